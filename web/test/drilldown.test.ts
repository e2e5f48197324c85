import { describe, expect, it } from 'vitest';
import { chartedTable, soilTrajectories, vegetationProjection, vegetationSeries } from '../src/drilldown';
import type { TableSpec } from '../src/island';

// A long table as the island carries it: columns of values.
function table(stage: string, name: string, columns: string[], rows: (number | string | null)[][]): TableSpec {
  return { stage, name, columns, numeric: columns.map((_, k) => typeof rows[0][k] === 'number'), rows: rows.length, data: columns.map((_, k) => rows.map((r) => r[k])) };
}

describe('soil trajectories', () => {
  // Two scenarios of mine A over different years, rows out of order, and a row of mine B.
  const t = table('soil', 'scenario_years', ['scenario', 'mine_id', 'year', 'soc_tC_ha'], [
    ['grass', 'A', 2022, 31.5], ['grass', 'A', 2021, 30], ['forest', 'A', 2021, 30], ['forest', 'A', 2023, 34.25],
    ['grass', 'B', 2021, 99], ['forest', 'A', 2022, null],
  ]);
  it('gives every year of every scenario, in year order, with no value as null', () => {
    const s = soilTrajectories(t, 'A')!;
    expect(s.x).toEqual([2021, 2022, 2023]);
    expect(s.series.grass).toEqual([30, 31.5, null]);
    expect(s.series.forest).toEqual([30, null, 34.25]);
    expect(Object.keys(s.series).sort()).toEqual(['forest', 'grass']);
    expect(s.unit).toBe('t C ha⁻¹');
  });
  it('is null for a mine without rows or without the table', () => {
    expect(soilTrajectories(t, 'C')).toBeNull();
    expect(soilTrajectories(undefined, 'A')).toBeNull();
    expect(soilTrajectories(table('soil', 'scenario_years', ['scenario', 'mine_id', 'year'], [['g', 'A', 2020]]), 'A')).toBeNull();
  });
});

describe('vegetation projection', () => {
  const cols = ['mine_id', 'year', 'stock_tC', 'stock_se_tC', 'stock_delta_lower_tC', 'stock_delta_upper_tC', 'stock_mc_lower_tC', 'stock_mc_upper_tC'];
  const t = table('vegetation', 'projection_mines', cols, [
    ['M1', 2030, 120, 5, 110, 130, 108, 133],
    ['M1', 2025, 100, 4, 92, 108, NaN, NaN],
    ['M2', 2025, 7, 1, 5, 9, 5, 9],
  ]);
  it('takes the stock and both bands by year, leaving out the standard error', () => {
    const p = vegetationProjection(t, 'M1')!;
    expect(p.x).toEqual([2025, 2030]);
    expect(p.series.stock).toEqual([100, 120]);
    expect(p.series.delta_lower).toEqual([92, 110]);
    expect(p.series.delta_upper).toEqual([108, 130]);
    expect(p.series.mc_lower).toEqual([null, 108]);
    expect(p.series.mc_upper).toEqual([null, 133]);
    expect(Object.keys(p.series)).not.toContain('se');
    expect(p.unit).toBe('t C');
    // Lower ≤ stock ≤ upper wherever a band exists: the chart's lines keep that order.
    const lines = vegetationSeries(p);
    expect(lines).toHaveLength(5);
    expect(lines.filter((l) => l.dashed)).toHaveLength(4);
  });
  it('drops a band the stage left empty and is null for an unknown mine', () => {
    const noMc = table('vegetation', 'projection_mines', cols, [['M1', 2025, 1, 0, 0.5, 1.5, NaN, NaN]]);
    expect(Object.keys(vegetationProjection(noMc, 'M1')!.series)).toEqual(['stock', 'delta_lower', 'delta_upper']);
    expect(vegetationProjection(t, 'M9')).toBeNull();
  });
  it('marks the charted tables so the panel does not list their rows again', () => {
    expect(chartedTable('vegetation', 'projection_mines')).toBe(true);
    expect(chartedTable('soil', 'scenario_years')).toBe(true);
    expect(chartedTable('soil', 'comparison')).toBe(false);
  });
});
