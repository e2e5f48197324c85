// The comparison of two result sets (`minecarbon report A --compare B`): pure logic behind the
// A−B map, the totals table and the A-against-B scatter (compare_view.ts draws them). Set B's
// values are in the island as variables keyed "b:" + A's key, aligned to A's mines and years
// (docs/report_island.md); NaN where B has no such mine or year.
import type { VariableSpec } from '../island';
import type { DataProvider } from '../provider';
import { lang } from '../i18n';

export const B_PREFIX = 'b:';

export interface ComparePair { a: VariableSpec; b: VariableSpec }

// Every numeric variable of A that set B also has, in A's order.
export function comparePairs(data: DataProvider): ComparePair[] {
  const byKey = new Map<string, VariableSpec>();
  for (const v of data.variables) if (v.key.startsWith(B_PREFIX)) byKey.set(v.key.slice(B_PREFIX.length), v);
  const out: ComparePair[] = [];
  for (const a of data.variables) {
    if (a.key.startsWith(B_PREFIX) || a.values == null) continue;
    const b = byKey.get(a.key);
    if (b && b.values != null) out.push({ a, b });
  }
  return out;
}

export interface CompareValues { a: Float64Array; b: Float64Array; diff: Float64Array }

// A, B and A − B of every mine for one year index (ignored for per-mine variables). A − B is NaN
// when either side has no value: a missing B is not 0.
export function compareValues(data: DataProvider, pair: ComparePair, yearIndex = 0): CompareValues {
  const n = data.mineIds.length;
  const a = new Float64Array(n), b = new Float64Array(n), diff = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    a[i] = data.value(pair.a, i, yearIndex);
    b[i] = data.value(pair.b, i, yearIndex);
    diff[i] = Number.isFinite(a[i]) && Number.isFinite(b[i]) ? a[i] - b[i] : NaN;
  }
  return { a, b, diff };
}

// R's quantile type 7 of sorted `x` at probability p (as stats/class_breaks.cpp r_type7).
function type7(x: readonly number[], p: number): number {
  const index = 1 + (x.length - 1) * p;
  const lo = Math.floor(index), hi = Math.ceil(index);
  const xl = x[lo - 1], xh = x[hi - 1];
  if (!(index > lo) || xh === xl) return xl;
  const h = index - lo;
  return (1 - h) * xl + h * xh;
}

// Quantile breaks of the sorted non-negative `x` into up to k classes, repeated edges dropped
// (report/map_classes.cpp breaks_up_to with the quantile method).
function quantileUpTo(x: readonly number[], k: number): number[] {
  let distinct = 0;
  for (let i = 0; i < x.length; ++i) if (i === 0 || x[i] !== x[i - 1]) distinct++;
  if (distinct === 0) return [];
  if (distinct === 1) return [x[0], x[0]];
  const kk = Math.min(k, distinct), by = 1 / kk, edges: number[] = [];
  for (let j = 0; j <= kk; ++j) {
    const e = type7(x, Math.min(j * by, 1));
    if (edges.length === 0 || edges[edges.length - 1] !== e) edges.push(e);
  }
  return edges;
}

// Class edges for a difference, symmetric about 0: quantile breaks of |x| into ceil(k/2) classes
// mirrored about 0, with the smallest magnitude replaced by 0 (an odd k has a middle class around
// 0, an even k an edge at 0). The same rule as report/map_classes.cpp map_classes for a diverging
// variable with the default quantile method and 7 classes, so the A−B map reads like the others.
// The island carries no breaks for A−B (it holds A and B), so they are computed here, once per
// variable over all its years. NaN values are left out; [] when there is no finite value.
export function divergingQuantileEdges(values: ArrayLike<number>, classes = 7): number[] {
  const mags: number[] = [];
  for (let i = 0; i < values.length; ++i) if (Number.isFinite(values[i])) mags.push(Math.abs(values[i]));
  mags.sort((p, q) => p - q);
  const m = quantileUpTo(mags, Math.floor((classes + 1) / 2));
  if (m.length === 0) return [];
  m[0] = 0;
  if (m[m.length - 1] === 0) return [0, 0];
  const edges: number[] = [];
  for (let i = m.length - 1; i >= 1; --i) edges.push(-m[i]);
  if (classes % 2 === 0) edges.push(0);
  for (let i = 1; i < m.length; ++i) edges.push(m[i]);
  return edges;
}

// A − B over every year of the pair (for the classes of a per-year variable).
export function allYearDiffs(data: DataProvider, pair: ComparePair): Float64Array {
  const years = pair.a.years?.length ?? 1, n = data.mineIds.length;
  const out = new Float64Array(years * n);
  for (let y = 0; y < years; ++y) out.set(compareValues(data, pair, y).diff, y * n);
  return out;
}

// An intensive quantity (per area, or without a unit: shares, indices, p-values) is averaged over
// the mines; an extensive one (Gg C yr⁻¹, m², t C) is summed.
export function isIntensive(unit: string): boolean {
  return unit === '' || /⁻²|⁻³|ha⁻¹|km⁻²|m⁻²|per /.test(unit);
}

export interface TotalsRow {
  key: string;
  column: string;
  unit: string;
  stat: 'sum' | 'mean';
  year: number | null;
  n: number; // mines with both A and B
  a: number;
  b: number;
  diff: number; // a − b
}

// Totals over the mines both sets have a value for (so A − B is exactly the difference of the two
// totals, and a mine only one set analysed does not count as a change). Per-year variables use the
// year `yearOf(pair)` picks (default: the last year).
export function compareTotals(data: DataProvider, pairs: readonly ComparePair[],
  yearOf: (p: ComparePair) => number = (p) => (p.a.years ? p.a.years.length - 1 : 0)): TotalsRow[] {
  return pairs.map((p) => {
    const yi = yearOf(p);
    const { a, b } = compareValues(data, p, yi);
    let sa = 0, sb = 0, n = 0;
    for (let i = 0; i < a.length; ++i) {
      if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) continue;
      sa += a[i]; sb += b[i]; n++;
    }
    const stat = isIntensive(p.a.unit) ? 'mean' : 'sum';
    if (stat === 'mean') { sa = n ? sa / n : NaN; sb = n ? sb / n : NaN; }
    if (n === 0) { sa = NaN; sb = NaN; }
    return {
      key: p.a.key, column: p.a.column, unit: p.a.unit, stat, year: p.a.years ? p.a.years[yi] : null,
      n, a: sa, b: sb, diff: sa - sb,
    };
  });
}

// The scatter's points [a, b, mine] (both finite) and the 1:1 line's ends.
export function scatterPoints(v: CompareValues): { points: [number, number, number][]; lo: number; hi: number } {
  const points: [number, number, number][] = [];
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.a.length; ++i) {
    if (!Number.isFinite(v.a[i]) || !Number.isFinite(v.b[i])) continue;
    points.push([v.a[i], v.b[i], i]);
    lo = Math.min(lo, v.a[i], v.b[i]);
    hi = Math.max(hi, v.a[i], v.b[i]);
  }
  return { points, lo, hi };
}

// Differences are often small against the values (a setting moved a little), so the comparison
// shows numbers to significant digits, not to fixed decimals; never "-0".
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e12) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return x.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumSignificantDigits: digits });
}
