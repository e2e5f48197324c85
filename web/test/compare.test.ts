import { describe, expect, it } from 'vitest';
import {
  allYearDiffs, comparePairs, compareTotals, compareValues, divergingQuantileEdges, isIntensive, scatterPoints, sig,
} from '../src/views/compare';
import type { DataProvider } from '../src/provider';
import type { VariableSpec } from '../src/island';

const v = (key: string, column: string, unit: string, values: number, years: number[] | null = null): VariableSpec => ({
  key, stage: 'damage', table: years ? 'mine_year' : 'mines', column, unit, label: { en: column, zh: column }, description: '',
  palette: 'diverging', years, values, missing: 0,
});

// Four mines; set B lacks mine D (NaN) and has no value for C's density.
function provider(): DataProvider {
  const ids = ['A', 'B', 'C', 'D'];
  const cols = [
    [10, -4, 2.5, 7], // A: H, Mg C yr-1
    [6, -1, 3, NaN], // B: H
    [100, 200, 50, 80], // A: density, gC m-2 yr-1
    [90, 260, NaN, NaN], // B: density
    [1, 2, 3, 4, 5, 6, 7, 8], // A per year (2 years x 4 mines, year-major)
    [0, 2, 1, NaN, 9, 6, 0, NaN], // B per year
  ];
  const variables = [
    v('damage.mines.h_MgC_yr', 'h_MgC_yr', 'Mg C yr⁻¹', 0), v('damage.mines.d_gC_m2_yr', 'd_gC_m2_yr', 'gC m⁻² yr⁻¹', 2),
    v('damage.mine_year.s_gC_m2_yr', 's_gC_m2_yr', 'gC m⁻² yr⁻¹', 4, [2000, 2001]),
    v('damage.mines.only_a', 'only_a', '', 0),
    v('b:damage.mines.h_MgC_yr', 'h_MgC_yr', 'Mg C yr⁻¹', 1), v('b:damage.mines.d_gC_m2_yr', 'd_gC_m2_yr', 'gC m⁻² yr⁻¹', 3),
    v('b:damage.mine_year.s_gC_m2_yr', 's_gC_m2_yr', 'gC m⁻² yr⁻¹', 5, [2000, 2001]),
  ];
  return {
    meta: {} as DataProvider['meta'], mineIds: ids, status: ids.map(() => 'ok'), variables, geometryKind: 'none',
    indexOf: (id) => ids.indexOf(id),
    value: (vv, i, y = 0) => cols[vv.values!][vv.years ? y * 4 + i : i],
    category: () => null, table: () => undefined, tables: () => [], polygons: () => [], point: () => null,
  };
}

describe('comparison of two result sets', () => {
  it('pairs A variables with their b: twins only', () => {
    expect(comparePairs(provider()).map((p) => [p.a.key, p.b.key])).toEqual([
      ['damage.mines.h_MgC_yr', 'b:damage.mines.h_MgC_yr'],
      ['damage.mines.d_gC_m2_yr', 'b:damage.mines.d_gC_m2_yr'],
      ['damage.mine_year.s_gC_m2_yr', 'b:damage.mine_year.s_gC_m2_yr'],
    ]);
  });
  it('takes A − B per mine, NaN where either side has none', () => {
    const d = provider(), [h, , s] = comparePairs(d);
    expect(Array.from(compareValues(d, h).diff)).toEqual([4, -3, -0.5, NaN]);
    expect(Array.from(compareValues(d, s, 1).diff)).toEqual([-4, 0, 7, NaN]);
    expect(Array.from(allYearDiffs(d, s))).toEqual([1, 0, 2, NaN, -4, 0, 7, NaN]);
  });
  it('sums extensive and averages intensive variables over mines both sets have', () => {
    const d = provider();
    const [h, dens, s] = compareTotals(d, comparePairs(d));
    expect(h).toMatchObject({ stat: 'sum', n: 3, a: 8.5, b: 8, diff: 0.5, year: null });
    expect(dens).toMatchObject({ stat: 'mean', n: 2, a: 150, b: 175, diff: -25 });
    expect(s).toMatchObject({ stat: 'mean', n: 3, year: 2001, a: 6, b: 5, diff: 1 });
    expect(isIntensive('t C ha⁻¹')).toBe(true);
    expect(isIntensive('Gg C yr⁻¹')).toBe(false);
    expect(isIntensive('km²')).toBe(false);
    expect(isIntensive('')).toBe(true);
  });
  it('gives the scatter finite pairs and the 1:1 line over both axes', () => {
    const d = provider();
    const sp = scatterPoints(compareValues(d, comparePairs(d)[0]));
    expect(sp.points).toEqual([[10, 6, 0], [-4, -1, 1], [2.5, 3, 2]]);
    expect([sp.lo, sp.hi]).toEqual([-4, 10]);
  });
});

describe('A − B classes (report/map_classes.cpp, diverging quantile)', () => {
  it('mirrors the quantiles of |x| about 0 (worked by hand, R type 7)', () => {
    // |x| sorted: 0 1 1 2 3 5 6 8 10 12; quartiles at 1 + 9p: 3.25 → 1.25, 5.5 → 4, 7.75 → 7.5, 10 → 12.
    const x = [-10, -6, -3, -1, 0, 1, 2, 5, 8, 12, NaN];
    expect(divergingQuantileEdges(x, 7)).toEqual([-12, -7.5, -4, -1.25, 1.25, 4, 7.5, 12]);
    // Six classes: terciles of |x| at 1 + 9p = 4, 7, 10 → 2, 6, 12, with an edge at 0.
    expect(divergingQuantileEdges(x, 6)).toEqual([-12, -6, -2, 0, 2, 6, 12]);
  });
  it('handles ties, all zero and no value', () => {
    expect(divergingQuantileEdges([0, 0, NaN])).toEqual([0, 0]);
    expect(divergingQuantileEdges([NaN])).toEqual([]);
    expect(divergingQuantileEdges([2, -2, 2])).toEqual([-2, 2]); // one magnitude: one class [−2, 2]
    // |x| = 1 1 1 3 3: two distinct, so two half-classes at 1 + 4p = 1, 3, 5 → 1, 1, 3; the tied
    // edge is dropped and the smallest becomes 0, leaving one class [−3, 3].
    expect(divergingQuantileEdges([1, -1, 3, -3, 1], 7)).toEqual([-3, 3]);
  });
});

describe('numbers of the comparison', () => {
  it('keeps significant digits of small differences and never prints -0', () => {
    expect(sig(0.001234567)).toBe('0.00123');
    expect(sig(-0.0000456, 2)).toBe('-4.6e-5');
    expect(sig(1.2e-13)).toBe('1.2e-13');
    expect(sig(0.000123456)).toBe('0.000123');
    expect(sig(-0)).toBe('0');
    expect(sig(12345.6)).toBe('12,300');
    expect(sig(NaN)).toBe('–');
  });
});
