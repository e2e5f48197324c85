import { describe, expect, it } from 'vitest';
import { POINTS_MAX_ZOOM, clusterCount, clusterZoom } from '../src/app/cluster';

describe('merged mine points', () => {
  it('reads the count of a merged point, 1 when absent or unusable', () => {
    expect(clusterCount({ mine_id: 'M3', status: 'ok', count: 17 })).toBe(17);
    expect(clusterCount({ mine_id: 'M3', status: 'ok', count: 1 })).toBe(1);
    expect(clusterCount({ mine_id: 'M3', status: 'ok' })).toBe(1);
    expect(clusterCount({ count: 'x' })).toBe(1);
    expect(clusterCount({ count: 0 })).toBe(1);
    expect(clusterCount(null)).toBe(1);
  });
  it('zooms two levels in, never past the first zoom with outlines', () => {
    expect(clusterZoom(2)).toBe(4);
    expect(clusterZoom(5.5)).toBe(7.5);
    expect(clusterZoom(7)).toBe(POINTS_MAX_ZOOM);
    expect(POINTS_MAX_ZOOM).toBe(8);
  });
});
