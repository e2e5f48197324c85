// Per-mine series of the drill-down panel taken from the stages' long tables (one row per mine,
// year and scenario): soil's yearly SOC trajectory of each scenario (soil.scenario_years) and the
// vegetation stock projection with its bands (vegetation.projection_mines). Pure functions over
// a TableSpec, so the panel only draws what these return and vitest checks them without a DOM.
import type { TableSpec } from './island';
import { lang } from './i18n';
import type { SeriesSpec } from './charts';

export interface PanelSeries {
  x: number[];
  series: Record<string, (number | null)[]>;
  unit: string;
}

const LABELS = {
  en: { soilYears: 'Soil organic carbon by scenario and year', vegetation: 'Vegetation stock projection', projected: 'projected', delta: 'delta-method band', mc: 'Monte Carlo band' },
  zh: { soilYears: '各情景逐年土壤有机碳', vegetation: '植被碳储量预测', projected: '预测值', delta: 'Delta 法区间', mc: '蒙特卡罗区间' },
};

export function drillLabel(key: keyof typeof LABELS.en): string {
  return LABELS[lang === 'zh' ? 'zh' : 'en'][key];
}

function column(table: TableSpec, name: string): (number | string | null)[] | undefined {
  const k = table.columns.indexOf(name);
  return k < 0 ? undefined : table.data[k];
}

function num(x: number | string | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

// The rows of `table` that belong to mine `id`.
function rowsOf(table: TableSpec, id: string): number[] {
  const ids = column(table, 'mine_id');
  if (!ids) return [];
  const rows: number[] = [];
  for (let r = 0; r < ids.length; ++r) if (String(ids[r]) === id) rows.push(r);
  return rows;
}

// soil.scenario_years: one series of soc_tC_ha per scenario over every year any scenario of the
// mine has (null where a scenario has no row for that year). Null when the mine has no row.
export function soilTrajectories(table: TableSpec | undefined, id: string): PanelSeries | null {
  if (!table) return null;
  const years = column(table, 'year'), soc = column(table, 'soc_tC_ha'), scen = column(table, 'scenario');
  if (!years || !soc || !scen) return null;
  const rows = rowsOf(table, id);
  if (!rows.length) return null;
  const x = [...new Set(rows.map((r) => Number(years[r])))].sort((a, b) => a - b);
  const at = new Map(x.map((yr, k) => [yr, k]));
  const series: Record<string, (number | null)[]> = {};
  for (const r of rows) {
    const name = String(scen[r]);
    series[name] ??= x.map(() => null);
    series[name][at.get(Number(years[r]))!] = num(soc[r]);
  }
  return { x, series, unit: 't C ha⁻¹' };
}

// The unit of a column from its suffix (the stock columns end in the growth response's total
// unit: _tC, _t, _m3).
function unitOfSuffix(suffix: string): string {
  const units: Record<string, string> = { tC: 't C', t: 't', m3: 'm³', MgC: 'Mg C', GgC: 'Gg C' };
  return units[suffix] ?? suffix;
}

// vegetation.projection_mines: the projected stock by year and, where the stage wrote them, its
// delta-method and Monte Carlo bands (lower/upper). Null when the mine has no row.
export function vegetationProjection(table: TableSpec | undefined, id: string): PanelSeries | null {
  if (!table) return null;
  const stockName = table.columns.find((c) => /^stock_[A-Za-z0-9]+$/.test(c) && !c.startsWith('stock_se_'));
  const years = column(table, 'year');
  if (!stockName || !years) return null;
  const suffix = stockName.slice('stock_'.length);
  const rows = rowsOf(table, id);
  if (!rows.length) return null;
  // One row per mine and year (the stage sums a mine's land uses into it: `land_uses`).
  const x = [...new Set(rows.map((r) => Number(years[r])))].sort((a, b) => a - b);
  const at = new Map(x.map((yr, k) => [yr, k]));
  const series: Record<string, (number | null)[]> = {};
  const wanted: [string, string][] = [
    [stockName, 'stock'],
    [`stock_delta_lower_${suffix}`, 'delta_lower'], [`stock_delta_upper_${suffix}`, 'delta_upper'],
    [`stock_mc_lower_${suffix}`, 'mc_lower'], [`stock_mc_upper_${suffix}`, 'mc_upper'],
  ];
  for (const [name, key] of wanted) {
    const col = column(table, name);
    if (!col) continue;
    const s: (number | null)[] = x.map(() => null);
    for (const r of rows) s[at.get(Number(years[r]))!] = num(col[r]);
    if (s.some((v) => v !== null)) series[key] = s;
  }
  return { x, series, unit: unitOfSuffix(suffix) };
}

// The chart's lines: the projection solid, each band as a dashed (delta method) or dotted
// (Monte Carlo) pair in the same colour.
export function vegetationSeries(p: PanelSeries): SeriesSpec[] {
  const colour = '#1b7837';
  const out: SeriesSpec[] = [];
  for (const [key, data] of Object.entries(p.series)) {
    if (key === 'stock') out.push({ name: drillLabel('projected'), data, colour });
    else out.push({ name: `${drillLabel(key.startsWith('mc') ? 'mc' : 'delta')} (${key.endsWith('lower') ? '−' : '+'})`, data, colour: key.startsWith('mc') ? '#7fbc41' : '#5aae61', dashed: true });
  }
  return out;
}

// Tables the panel draws as charts, so its list of "other rows of this mine" leaves them out.
export function chartedTable(stage: string, name: string): boolean {
  return (stage === 'soil' && name === 'scenario_years') || (stage === 'vegetation' && name === 'projection_mines');
}
