// The comparison section of a report made with `--compare B`: an A−B map of one variable on the
// diverging palette (losses red), a totals table (A, B, A−B per variable) and a scatter of A
// against B per mine with the 1:1 line. A click on the A−B map (or on a scatter point) shows that
// mine's A, B and A−B and opens its drill-down.
import { classOf, colourOf, NO_DATA_COLOUR, paletteColours } from '../classes';
import { chart, disposeCharts } from '../charts';
import { lang } from '../i18n';
import { hasWebGL2, MineMap } from '../map';
import type { DataProvider } from '../provider';
import { label } from '../views';
import {
  allYearDiffs, comparePairs, compareTotals, compareValues, divergingQuantileEdges, scatterPoints, sig,
  type ComparePair, type CompareValues,
} from './compare';

const EN = {
  title: 'Comparison: A − B', variable: 'Variable', year: 'Year', totals: 'Totals (mines both sets analysed)',
  column: 'variable', unit: 'unit', stat: 'statistic', n: 'mines', sum: 'sum', mean: 'mean',
  scatter: 'A against B per mine', mine: 'Mine', noValue: 'no value in A or B', click: 'Click a mine on the map for its A, B and A − B.',
  sets: 'A: {a} · B: {b}', noWebgl: 'No WebGL2: the A − B map is off; the table and the scatter below still work.',
};
const ZH: typeof EN = {
  title: '对比：A − B', variable: '变量', year: '年份', totals: '合计（两组均已分析的矿区）',
  column: '变量', unit: '单位', stat: '统计量', n: '矿区数', sum: '总和', mean: '均值',
  scatter: '逐矿区 A 与 B 散点', mine: '矿区', noValue: 'A 或 B 无数值', click: '点击地图上的矿区查看其 A、B 与 A − B。',
  sets: 'A：{a} · B：{b}', noWebgl: '不支持 WebGL2：A − B 地图已关闭；下面的表格和散点图仍可使用。',
};
const tr = (k: keyof typeof EN, args: Record<string, string> = {}) =>
  (lang === 'zh' ? ZH : EN)[k].replace(/\{(\w+)\}/g, (_m, x: string) => args[x] ?? '');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (k === 'class') e.className = v; else e.setAttribute(k, v);
  e.append(...kids);
  return e;
}

// Numbers go into data-value at full precision, so a test reads exactly what was computed.
const numCell = (x: number, digits = 4) => el('td', { 'data-value': Number.isFinite(x) ? String(x) : '' }, sig(x, digits));

export const compareTitle = (): string => tr('title');

export interface CompareState {
  variable: string;
  year: number | null;
  edges: number[];
  ids: string[];
  a: (number | null)[];
  b: (number | null)[];
  diff: (number | null)[];
}

export class CompareView {
  readonly pairs: ComparePair[];
  private pair: ComparePair;
  private yearIndex = 0;
  private values: CompareValues | null = null;
  private edges: number[] = [];
  private readonly edgeCache = new Map<string, number[]>();
  private mineMap: MineMap | null = null;
  private readonly select: HTMLSelectElement;
  private readonly yearEl: HTMLInputElement;
  private readonly yearLabel: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly readout: HTMLElement;
  private readonly chartsEl: HTMLElement;

  // `host`: the section to fill; `openMine`: the report's drill-down.
  constructor(host: HTMLElement, private readonly data: DataProvider, private readonly openMine: (id: string) => void) {
    this.pairs = comparePairs(data);
    this.pair = this.pairs.find((p) => p.a.column === 'nep_change_rel_last_MgC_yr') ?? this.pairs[0];
    const c = data.meta.compare;
    if (c) host.append(el('p', { class: 'mc-note', 'data-mc': 'compare-sets' }, tr('sets', { a: c.label_a, b: c.label_b })));
    this.select = el('select', { 'data-mc': 'compare-variable' });
    for (const p of this.pairs) this.select.append(el('option', { value: p.a.key }, `${label(p.a)}${p.a.unit ? ` (${p.a.unit})` : ''} · ${p.a.stage}`));
    this.yearEl = el('input', { type: 'range', 'data-mc': 'compare-year' });
    this.yearLabel = el('span', { 'data-mc': 'compare-year-label' });
    this.select.addEventListener('change', () => { void this.show(this.select.value); });
    this.yearEl.addEventListener('input', () => { void this.show(this.pair.a.key, this.pair.a.years?.[Number(this.yearEl.value)] ?? null); });
    host.append(el('div', { class: 'mc-controls' }, el('label', {}, `${tr('variable')} `, this.select), el('label', { class: 'mc-year' }, `${tr('year')} `, this.yearEl, this.yearLabel)));
    const wrap = el('div', { class: 'mc-map-wrap' });
    const mapEl = el('div', { class: 'mc-map', 'data-mc': 'compare-map', style: 'height:440px' });
    this.legend = el('div', { class: 'mc-legend', 'data-mc': 'compare-legend' });
    this.readout = el('aside', { class: 'mc-panel', 'data-mc': 'compare-mine', style: 'flex-basis:260px;width:260px' }, el('p', { class: 'mc-note' }, tr('click')));
    wrap.append(mapEl, this.legend, this.readout);
    host.append(wrap);
    if (hasWebGL2()) this.mineMap = new MineMap(mapEl, data, (i) => this.pick(i));
    else mapEl.replaceWith(el('div', { class: 'mc-nowebgl' }, tr('noWebgl')));
    host.append(el('h3', {}, tr('totals')), el('div', { class: 'mc-table-wrap' }, this.totalsTable()));
    this.chartsEl = el('div', { 'data-mc': 'compare-charts' });
    host.append(this.chartsEl);
  }

  private totalsTable(): HTMLTableElement {
    const table = el('table', { class: 'mc-table', 'data-mc': 'compare-totals' });
    table.append(el('thead', {}, el('tr', {}, ...[tr('column'), tr('unit'), tr('year'), tr('stat'), tr('n'), 'A', 'B', 'A − B'].map((h) => el('th', {}, h)))));
    const body = el('tbody');
    for (const r of compareTotals(this.data, this.pairs)) {
      const p = this.pairs.find((x) => x.a.key === r.key)!;
      const row = el('tr', { 'data-key': r.key, 'data-stat': r.stat },
        el('td', { title: `${p.a.key}: ${p.a.description ?? ''}` }, `${label(p.a)} · ${p.a.stage}`), el('td', {}, r.unit),
        el('td', {}, r.year === null ? '' : String(r.year)), el('td', {}, tr(r.stat)), el('td', {}, String(r.n)),
        numCell(r.a), numCell(r.b), numCell(r.diff));
      row.addEventListener('click', () => { void this.show(r.key); });
      body.append(row);
    }
    table.append(body);
    return table;
  }

  // Loaded and fitted to every mine (a comparison is about the mines, not the world).
  async whenLoaded(): Promise<void> {
    if (!this.mineMap) return;
    await this.mineMap.whenLoaded();
    await this.mineMap.fit(this.data.mineIds.map((_, i) => i));
  }

  // Shows variable `key` (A's key) at `year` (default: the last year of a per-year variable).
  async show(key?: string, year: number | null = null): Promise<void> {
    const p = this.pairs.find((x) => x.a.key === key) ?? this.pair;
    if (!p) return;
    this.pair = p;
    this.select.value = p.a.key;
    const years = p.a.years;
    const yi = years ? (year !== null && years.includes(year) ? years.indexOf(year) : years.length - 1) : 0;
    this.yearIndex = yi;
    this.yearEl.parentElement!.hidden = !years;
    if (years) {
      this.yearEl.min = '0';
      this.yearEl.max = String(years.length - 1);
      this.yearEl.value = String(yi);
      this.yearLabel.textContent = String(years[yi]);
    }
    let edges = this.edgeCache.get(p.a.key);
    if (!edges) { edges = divergingQuantileEdges(allYearDiffs(this.data, p)); this.edgeCache.set(p.a.key, edges); }
    this.edges = edges;
    this.values = compareValues(this.data, p, yi);
    this.renderLegend();
    this.renderScatter();
    if (this.mineMap) {
      const reversed = p.a.reversed === true;
      const colours = Array.from(this.values.diff, (d) => colourOf(edges, 'diverging', d, reversed));
      await this.mineMap.update(colours, null);
      await this.mineMap.idle();
    }
  }

  private renderLegend(): void {
    const p = this.pair, edges = this.edges, reversed = p.a.reversed === true;
    const pal = paletteColours('diverging', Math.max(0, edges.length - 1), reversed);
    const counts = new Array<number>(pal.length).fill(0);
    let missing = 0;
    for (const d of this.values!.diff) { const k = classOf(edges, d); if (k < 0) missing++; else counts[k]++; }
    const row = (c: string, text: string) => el('div', { class: 'mc-legend-row' }, el('span', { class: 'mc-swatch', style: `background:${c}` }), text);
    const year = p.a.years ? ` ${p.a.years[this.yearIndex]}` : '';
    this.legend.replaceChildren(
      el('div', { class: 'mc-legend-title' }, `A − B: ${label(p.a)}${year}`),
      el('div', { class: 'mc-legend-unit', 'data-mc': 'compare-legend-unit' }, `${p.a.unit || '—'} · quantile, symmetric about 0`),
      ...pal.map((c, k) => row(c, `${sig(edges[k])} – ${sig(edges[k + 1])} (${counts[k]})`)),
      row(NO_DATA_COLOUR, `${tr('noValue')}: ${missing}`),
    );
  }

  private renderScatter(): void {
    disposeCharts(this.chartsEl);
    this.chartsEl.replaceChildren();
    const p = this.pair, v = this.values!;
    const { points, lo, hi } = scatterPoints(v);
    const year = p.a.years ? ` ${p.a.years[this.yearIndex]}` : '';
    const c = chart(this.chartsEl, `${tr('scatter')}: ${label(p.a)}${year}`, [], [{ name: 'mines', kind: 'scatter', data: [] }], p.a.unit, `compare-${p.a.column}`);
    c.setOption({
      legend: { show: false },
      tooltip: { trigger: 'item', formatter: (q: { data: [number, number, number] }) => `${this.data.mineIds[q.data[2]]}<br>A ${sig(q.data[0], 4)}<br>B ${sig(q.data[1], 4)}` },
      xAxis: { type: 'value', name: `A ${p.a.unit}`, scale: true, data: null },
      yAxis: { type: 'value', name: `B ${p.a.unit}`, scale: true },
      series: [
        { type: 'scatter', name: 'mines', data: points, symbolSize: 4, large: points.length > 2000, itemStyle: { color: '#4393c3', opacity: 0.7 } },
        { type: 'line', name: '1:1', data: Number.isFinite(lo) ? [[lo, lo], [hi, hi]] : [], showSymbol: false, lineStyle: { type: 'dashed', color: '#333' }, tooltip: { show: false } },
      ],
    });
    c.on('click', (q) => { const d = q.data as [number, number, number] | undefined; if (q.seriesIndex === 0 && d) this.pick(d[2]); });
  }

  // A, B and A − B of mine i beside the map; opens the mine's drill-down too.
  pick(i: number): void {
    const v = this.values;
    if (!v) return;
    const id = this.data.mineIds[i], unit = this.pair.a.unit;
    const line = (name: string, mc: string, x: number) => {
      const td = numCell(x);
      td.setAttribute('data-mc', mc);
      return el('tr', {}, el('th', {}, name), td, el('td', {}, unit));
    };
    this.readout.setAttribute('data-mine-id', id);
    this.readout.replaceChildren(el('h3', {}, `${tr('mine')} ${id}`), el('table', { class: 'mc-table' },
      line('A', 'compare-a', v.a[i]), line('B', 'compare-b', v.b[i]), line('A − B', 'compare-diff', v.diff[i])));
    this.openMine(id);
  }

  async fitMine(id: string): Promise<void> {
    const i = this.data.indexOf(id);
    if (i >= 0 && this.mineMap) await this.mineMap.fit([i]);
  }

  get map(): unknown { return this.mineMap?.map ?? null; }

  state(): CompareState {
    const v = this.values;
    const arr = (x: Float64Array | undefined) => Array.from(x ?? [], (y) => (Number.isFinite(y) ? y : null));
    return {
      variable: this.pair.a.key, year: this.pair.a.years ? this.pair.a.years[this.yearIndex] : null,
      edges: this.edges.slice(), ids: this.data.mineIds.slice(), a: arr(v?.a), b: arr(v?.b), diff: arr(v?.diff),
    };
  }
}
