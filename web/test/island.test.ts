import { describe, expect, it } from 'vitest';
import { base64ToBytes, categoryValue, decodeDataIsland, minePoint, minePolygons, numericValue, parseContainer, NO_CODE, NO_COORD } from '../src/island';
import { encodeContainer, encodeGeometry, gzipBase64 } from './encoder';

const squares: [number, number][][][][] = [
  [[[[110.5, 35.25], [110.51, 35.25], [110.51, 35.26], [110.5, 35.26]]]],
  // two parts, the first with a hole
  [[[[-3, -2], [-2, -2], [-2, -1], [-3, -1]], [[-2.8, -1.8], [-2.2, -1.8], [-2.2, -1.2]]], [[[10, 10], [10.5, 10], [10.5, 10.5]]]],
  [],
];

function sample(extraPadding = 0) {
  const g = encodeGeometry(squares, 1e6);
  const header = {
    mines: { count: 3, ids: ['M1', 'M<2>&', '中3'], status: ['ok', 'ok', 'no_geometry'] },
    variables: [
      { key: 'damage.mines.x_gC_m2_yr', stage: 'damage', table: 'mines', column: 'x_gC_m2_yr', unit: 'gC m⁻² yr⁻¹', label: { en: 'x', zh: 'x' }, description: '', palette: 'sequential' as const, years: null, values: 0, missing: 1, breaks: { method: 'quantile', edges: [0, 1, 2] } },
      { key: 'damage.mine_year.q', stage: 'damage', table: 'mine_year', column: 'nep_mine_gC_m2_yr', unit: '', label: { en: 'Q', zh: 'Q' }, description: '', palette: 'sequential' as const, years: [2000, 2001], values: 1, missing: 0 },
      { key: 'damage.mines.status', stage: 'damage', table: 'mines', column: 'status', unit: '', label: { en: 's', zh: 's' }, description: '', palette: 'categorical' as const, years: null, categories: ['ok', 'too_small'], codes: 2, missing: 1 },
    ],
    tables: [],
    geometry: { scale: 1e6, points: 3, mine_parts: 4, part_rings: 5, ring_vertices: 6, coords: 7 },
  };
  const columns = [
    { type: 'f64' as const, data: [0.1 + 0.2, NaN, -1e300] },
    { type: 'f32' as const, data: [1, 2, 3, 4.5, 5, 6] },
    { type: 'u16' as const, data: [1, 0, NO_CODE] },
    { type: 'i32' as const, data: [110505000, 35255000, -2900000, -1900000, NO_COORD, NO_COORD] },
    { type: 'u32' as const, data: g.parts },
    { type: 'u32' as const, data: g.rings },
    { type: 'u32' as const, data: g.verts },
    { type: 'i32' as const, data: g.coords },
  ];
  return encodeContainer(header, columns, extraPadding);
}

describe('data island', () => {
  it('round-trips values, categories and geometry through gzip and base64', async () => {
    const c = await decodeDataIsland(await gzipBase64(sample()));
    expect(c.header.mines.ids).toEqual(['M1', 'M<2>&', '中3']);
    const [x, q, s] = c.header.variables;
    expect(numericValue(c, x, 0)).toBe(0.1 + 0.2); // f64 exact
    expect(numericValue(c, x, 1)).toBeNaN();
    expect(numericValue(c, x, 2)).toBe(-1e300);
    // per-year values are year-major: [y * N + mine]
    expect(numericValue(c, q, 0, 1)).toBe(4.5);
    expect(numericValue(c, q, 2, 0)).toBe(3);
    expect(categoryValue(c, s, 0)).toBe('too_small');
    expect(categoryValue(c, s, 1)).toBe('ok');
    expect(categoryValue(c, s, 2)).toBeNull();
    expect(minePoint(c, 0)).toEqual([110.505, 35.255]);
    expect(minePoint(c, 2)).toBeNull();
    const p0 = minePolygons(c, 0);
    expect(p0).toHaveLength(1);
    expect(p0[0][0]).toHaveLength(5); // closed for GeoJSON
    expect(p0[0][0][2][0]).toBeCloseTo(110.51, 9);
    expect(p0[0][0][4]).toEqual(p0[0][0][0]);
    const p1 = minePolygons(c, 1);
    expect(p1).toHaveLength(2);
    expect(p1[0]).toHaveLength(2); // exterior + hole
    expect(p1[0][1][1][0]).toBeCloseTo(-2.2, 9);
    expect(p1[1][0][2]).toEqual([10.5, 10.5]);
    expect(minePolygons(c, 2)).toEqual([]);
  });

  it('reads buffers that start after extra padding', () => {
    const c = parseContainer(sample(16));
    expect(numericValue(c, c.header.variables[0], 0)).toBe(0.1 + 0.2);
  });

  it('rejects a wrong magic, a short file and a buffer past the end', () => {
    const good = sample();
    const bad = good.slice();
    bad[3] = 0x32;
    expect(() => parseContainer(bad)).toThrow(/MCI2.*expected "MCI1"/);
    expect(() => parseContainer(good.subarray(0, 5))).toThrow(/shorter than/);
    expect(() => parseContainer(good.subarray(0, good.length - 8))).toThrow(/runs past the end/);
  });

  it('decodes base64 (RFC 4648 test vectors)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, b64] of vectors) expect(new TextDecoder().decode(base64ToBytes(b64))).toBe(plain);
    expect(Array.from(base64ToBytes('/+8A'))).toEqual([255, 239, 0]);
  });
});
