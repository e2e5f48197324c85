import { describe, expect, it } from 'vitest';
import { mineTable, olsLine, queryRows } from '../src/views';
import type { DataProvider } from '../src/provider';
import type { VariableSpec } from '../src/island';

const v = (stage: string, column: string, values: number): VariableSpec => ({
  key: `${stage}.mines.${column}`, stage, table: 'mines', column, unit: '', label: { en: column, zh: column }, description: '', palette: 'sequential', years: null, values, missing: 0,
});

// A provider over plain arrays: enough for the table logic.
function provider(): DataProvider {
  const cols = [[3, NaN, 1, 2], [10, 20, 30, 40]];
  const variables = [v('damage', 'x', 0), v('damage', 'area_km2', 1), v('potential', 'area_km2', 1)];
  return {
    meta: {} as DataProvider['meta'], mineIds: ['A', 'B', 'C', 'D'], status: ['ok', 'too_small', 'ok', 'ok'], variables, geometryKind: 'none',
    indexOf: (id) => ['A', 'B', 'C', 'D'].indexOf(id), value: (vv, i) => cols[vv.values!][i], category: () => null,
    table: () => undefined, tables: () => [], polygons: () => [], point: () => null,
  };
}

describe('mines table', () => {
  it('names columns several stages write by stage', () => {
    expect(mineTable(provider()).columns).toEqual(['mine_id', 'status', 'x', 'damage.area_km2', 'potential.area_km2']);
  });
  it('sorts numbers with no value last in both directions, filters by status and text', () => {
    const t = mineTable(provider());
    expect(queryRows(t, { text: '', status: '', sort: 2, desc: false })).toEqual([2, 3, 0, 1]);
    expect(queryRows(t, { text: '', status: '', sort: 2, desc: true })).toEqual([0, 3, 2, 1]);
    expect(queryRows(t, { text: '', status: 'ok', sort: -1, desc: false })).toEqual([0, 2, 3]);
    expect(queryRows(t, { text: 'small', status: '', sort: -1, desc: false })).toEqual([1]);
  });
  it('fits the OLS line of planted points exactly', () => {
    const fit = olsLine([2000, 2001, 2002, 2003], [1, 3, NaN, 7]);
    expect(fit!.slope).toBeCloseTo(2, 12);
    expect(fit!.intercept + fit!.slope * 2000).toBeCloseTo(1, 9);
    expect(olsLine([1], [1])).toBeNull();
  });
});
