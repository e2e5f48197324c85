// Pure view logic shared by the DOM code and the unit tests: which variables the map offers, the
// headline sentence, table rows.
import type { TableSpec, VariableSpec } from './island';
import type { DataProvider } from './provider';
import { tableColumn } from './provider';
import { fmt, lang, t } from './i18n';

export function label(v: VariableSpec): string {
  return (lang === 'zh' ? v.label.zh : v.label.en) || v.column;
}

// Variables the map offers: numeric or categorical per-mine and per-year variables of the mines
// and mine_year tables, the key variables first.
const PREFERRED = [
  'nep_loss_last_gC_m2_yr', 'nep_loss_gC_m2_yr', 'nep_change_rel_mean_gC_m2_yr', 'change_rel_sen_slope_gC_m2_yr2',
  'nep_change_rel_last_MgC_yr', 'potential_gC_m2_yr', 'potential_GgC_yr', 'status',
];

export function mapVariables(data: DataProvider): VariableSpec[] {
  const vs = data.variables.filter((v) => v.values != null || v.codes != null);
  const rank = (v: VariableSpec) => {
    const i = PREFERRED.indexOf(v.column);
    return i < 0 ? PREFERRED.length : i;
  };
  return vs.map((v, i) => ({ v, i })).sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i).map((x) => x.v);
}

export interface Headline { text: string; kpis: { label: string; value: string }[] }

function lastRow(table: TableSpec): Record<string, number | string | null> | null {
  if (table.rows === 0) return null;
  const row: Record<string, number | string | null> = {};
  table.columns.forEach((c, i) => { row[c] = table.data[i][table.rows - 1]; });
  return row;
}

const num = (x: number | string | null | undefined) => (typeof x === 'number' ? x : NaN);

// The headline of the last year of damage's year_summary (and the potential when it exists).
export function headline(data: DataProvider): Headline | null {
  const ys = data.table('damage', 'year_summary');
  const row = ys ? lastRow(ys) : null;
  if (!ys || !row) return null;
  const year = num(row.year), n = num(row.n_mines), total = data.mineIds.length;
  const loss = num(row.total_loss_losing_GgC_yr), losing = num(row.n_mines_losing);
  const share = num(row.share_mines_losing), net = num(row.net_change_rel_GgC_yr), gain = num(row.total_gain_gaining_GgC_yr);
  const potential = data.variables.find((v) => v.stage === 'potential' && v.column === 'potential_GgC_yr' && !v.years);
  let regain = NaN;
  if (potential) {
    regain = 0;
    for (let i = 0; i < total; ++i) { const x = data.value(potential, i); if (Number.isFinite(x)) regain += x; }
  }
  const pct = Math.round(share * 100);
  let text = lang === 'zh'
    ? `${year} 年，${fmt(n, 0)} 个已分析矿区（共 ${fmt(total, 0)} 个）相对参照生态系统损失了 ${fmt(loss)} Gg C yr⁻¹ 的 NEP；${fmt(losing, 0)} 个（${pct} %）处于损失状态。`
    : `In ${year} the ${fmt(n, 0)} analysed mines (of ${fmt(total, 0)}) had lost ${fmt(loss)} Gg C yr⁻¹ of NEP relative to their reference ecosystems; ${fmt(losing, 0)} (${pct} %) were losing.`;
  if (Number.isFinite(regain))
    text += lang === 'zh' ? ` 恢复可重新获得 ${fmt(regain)} Gg C yr⁻¹。` : ` Restoration could regain ${fmt(regain)} Gg C yr⁻¹.`;
  const kpis = [
    { label: t('analysed'), value: `${fmt(n, 0)} / ${fmt(total, 0)}` },
    { label: t('losing'), value: `${fmt(losing, 0)} (${pct} %)` },
    { label: t('loss'), value: `${fmt(loss)} Gg C yr⁻¹` },
    { label: t('gain'), value: `${fmt(gain)} Gg C yr⁻¹` },
    { label: t('net'), value: `${fmt(net)} Gg C yr⁻¹` },
  ];
  if (Number.isFinite(regain)) kpis.push({ label: t('regain'), value: `${fmt(regain)} Gg C yr⁻¹` });
  return { text, kpis };
}

// The mines table: id, status, then every per-mine variable (not per-year, not compare). Rows are
// built when first read: the first page needs 500 of them, not every mine's (45,000 × 30 cells
// before the first map idle otherwise).
export type TableCell = string | number | null;
export interface MineTable {
  columns: string[];
  vars: (VariableSpec | null)[];
  readonly count: number;
  row(i: number): TableCell[];
  readonly rows: TableCell[][]; // every row (built on first use)
}

export function mineTable(data: DataProvider): MineTable {
  const vars = data.variables.filter((v) => !v.years && !v.key.startsWith('b:') && v.column !== 'mine_id' && v.column !== 'status');
  // A column that several stages write (ISO3_CODE, area_km2) is named stage.column.
  const seen = new Map<string, number>();
  for (const v of vars) seen.set(v.column, (seen.get(v.column) ?? 0) + 1);
  const columns = ['mine_id', 'status', ...vars.map((v) => ((seen.get(v.column) ?? 0) > 1 ? `${v.stage}.${v.column}` : v.column))];
  const count = data.mineIds.length;
  const built: (TableCell[] | undefined)[] = new Array<TableCell[] | undefined>(count);
  const row = (i: number): TableCell[] => (built[i] ??= [
    data.mineIds[i], data.status[i] ?? '',
    ...vars.map((v) => (v.codes != null ? data.category(v, i) : data.value(v, i))),
  ]);
  let all: TableCell[][] | null = null;
  return {
    columns, vars: [null, null, ...vars], count, row,
    get rows() { return (all ??= Array.from({ length: count }, (_, i) => row(i))); },
  };
}

export interface TableQuery { text: string; status: string; sort: number; desc: boolean }

// Row indexes of the current view: text search over the text cells, status filter, sort.
export function queryRows(table: MineTable, q: TableQuery): number[] {
  const needle = q.text.trim().toLowerCase();
  if (!needle && !q.status && q.sort < 0) return Array.from({ length: table.count }, (_, i) => i); // no row read
  let idx = table.rows.map((_, i) => i).filter((i) => {
    const row = table.rows[i];
    if (q.status && row[1] !== q.status) return false;
    if (!needle) return true;
    return row.some((c) => typeof c === 'string' && c.toLowerCase().includes(needle));
  });
  if (q.sort >= 0) {
    const k = q.sort, sign = q.desc ? -1 : 1;
    idx = idx.sort((a, b) => {
      const x = table.rows[a][k], y = table.rows[b][k];
      const xn = x === null || (typeof x === 'number' && !Number.isFinite(x));
      const yn = y === null || (typeof y === 'number' && !Number.isFinite(y));
      if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1; // no value last, either direction
      if (typeof x === 'number' && typeof y === 'number') return sign * (x - y) || a - b;
      return sign * String(x).localeCompare(String(y)) || a - b;
    });
  }
  return idx;
}

export function tableRows(t: TableSpec): (string | number | null)[][] {
  return Array.from({ length: t.rows }, (_, r) => t.columns.map((c) => tableColumn(t, c)![r]));
}

// Ordinary least squares line of y on x (finite pairs), or null with fewer than 2.
export function olsLine(x: number[], y: number[]): { slope: number; intercept: number } | null {
  const pts = x.map((xi, i) => [xi, y[i]]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (pts.length < 2) return null;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length, my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let sxy = 0, sxx = 0;
  for (const [a, b] of pts) { sxy += (a - mx) * (b - my); sxx += (a - mx) ** 2; }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
