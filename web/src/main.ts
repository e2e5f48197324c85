// The report's entry: reads the islands, builds the views, keeps the state in the URL hash and
// publishes the test hooks on window.__mc (web/README.md).
import './style.css';
import { EmbeddedProvider, type DataProvider, type MapView } from './provider';
import { classOf, colourOf, NO_DATA_COLOUR, paletteColours } from './classes';
import { formatHash, parseHash, type ViewState } from './hash';
import { fmt, lang, setLang, t } from './i18n';
import { chart, disposeCharts, saveUrl } from './charts';
import { hasWebGL2, MineMap } from './map';
import { toCsv } from './csv';
import { chartedTable, drillLabel, soilTrajectories, vegetationProjection, vegetationSeries } from './drilldown';
import { headline, label, mapVariables, mineTable, olsLine, queryRows, tableRows, type MineTable, type TableQuery } from './views';
import type { TableSpec, VariableSpec } from './island';
import { CompareView, compareTitle, type CompareState } from './views/compare_view';

interface PanelData { mine_id: string; charts: Record<string, { x: number[]; series: Record<string, (number | null)[]> }> }

interface McHooks {
  ready: Promise<void>;
  map: unknown;
  errors: string[];
  renderedMineIds(): string[];
  fitAll(): Promise<void>;
  fitMine(id: string): Promise<void>;
  setView(v: { variable?: string; year?: number; scenario?: string }): Promise<void>;
  panel(): PanelData | null;
  // Only in a report made with --compare (web/README.md).
  compare: null | { map: unknown; state(): CompareState; show(variable: string, year?: number | null): Promise<void>; fitMine(id: string): Promise<void> };
}

declare global { interface Window { __mc: McHooks } }

const errors: string[] = [];
const origError = console.error.bind(console);
console.error = (...args: unknown[]) => { errors.push(args.map(String).join(' ')); origError(...args); };
window.addEventListener('error', (e) => errors.push(`uncaught: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String(e.reason)}`));

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
}

function section(title: string, mc: string): HTMLElement {
  const s = el('section', { 'data-mc': mc, class: 'mc-section' }, el('h2', {}, title));
  document.getElementById('app')!.append(s);
  return s;
}

function htmlTable(spec: TableSpec, mc: string): HTMLTableElement {
  const table = el('table', { 'data-mc': mc, class: 'mc-table' });
  table.append(el('thead', {}, el('tr', {}, ...spec.columns.map((c) => el('th', {}, c)))));
  const body = el('tbody');
  const isYear = spec.columns.map((c) => /(^|_)year$/.test(c));
  for (const row of tableRows(spec)) body.append(el('tr', {}, ...row.map((c, k) => el('td', {}, typeof c === 'number' ? (isYear[k] ? String(c) : fmt(c, 4)) : c ?? 'NA'))));
  table.append(body);
  return table;
}

class Report {
  state: ViewState;
  mineMap: MapView | null = null;
  variables: VariableSpec[];
  table: MineTable;
  query: TableQuery = { text: '', status: '', sort: -1, desc: false };
  shown: number[] = [];
  panelData: PanelData | null = null;
  legendEl!: HTMLElement;
  yearEl!: HTMLInputElement;
  yearLabel!: HTMLElement;
  varSelect!: HTMLSelectElement;
  tableBody!: HTMLElement;
  tableInfo!: HTMLElement;
  panelEl!: HTMLElement;
  distEl: HTMLElement | null = null;
  compareView: CompareView | null = null;

  constructor(readonly data: DataProvider) {
    this.state = parseHash(location.hash);
    this.variables = mapVariables(data);
    this.table = mineTable(data);
    this.query.text = this.state.filter;
  }

  variable(): VariableSpec | undefined {
    return this.variables.find((v) => v.key === this.state.variable) ?? this.variables[0];
  }

  yearIndex(v: VariableSpec): number {
    if (!v.years) return 0;
    const i = this.state.year === null ? -1 : v.years.indexOf(this.state.year);
    return i < 0 ? v.years.length - 1 : i;
  }

  writeHash(): void {
    const h = formatHash(this.state);
    if (h !== location.hash) history.replaceState(null, '', h || location.pathname + location.search);
  }

  build(): void {
    const app = document.getElementById('app')!;
    app.replaceChildren();
    const meta = this.data.meta;
    document.title = meta.title || 'minecarbon report';
    document.documentElement.lang = lang;
    app.append(el('h1', { 'data-mc': 'title' }, meta.title || 'minecarbon report'));
    this.buildWarnings();
    this.buildHeadline();
    this.buildMapSection();
    if (this.data.meta.compare) this.compareView = new CompareView(section(compareTitle(), 'compare'), this.data, (id) => this.openMine(id));
    this.distEl = section(t('distribution'), 'distribution');
    this.buildSummaries();
    this.buildTable();
    this.buildMethod();
    this.buildFooter();
  }

  buildWarnings(): void {
    const ws = this.data.meta.warnings ?? [];
    if (!ws.length) return;
    const s = section(`${t('warnings')} (${ws.length})`, 'warnings');
    s.classList.add('mc-warnings');
    const item = (w: { stage: string; message: string }) => el('li', {}, el('b', {}, w.stage), ': ', w.message);
    const first = 5;
    s.append(el('ul', {}, ...ws.slice(0, first).map(item)));
    if (ws.length > first)
      s.append(el('details', {}, el('summary', {}, t('moreWarnings', { n: ws.length - first })), el('ul', {}, ...ws.slice(first).map(item))));
  }

  buildHeadline(): void {
    const h = headline(this.data);
    if (!h) return;
    const s = el('section', { 'data-mc': 'headline', class: 'mc-section' }, el('p', { class: 'mc-headline' }, h.text));
    s.append(el('div', { class: 'mc-kpis' }, ...h.kpis.map((k) => el('div', { class: 'mc-kpi' }, el('div', { class: 'mc-kpi-value' }, k.value), el('div', {}, k.label)))));
    document.getElementById('app')!.append(s);
  }

  buildMapSection(): void {
    const s = section(t('map'), 'map-section');
    const controls = el('div', { class: 'mc-controls' });
    this.varSelect = el('select', { 'data-mc': 'variable' });
    for (const v of this.variables) this.varSelect.append(el('option', { value: v.key }, `${label(v)}${v.unit ? ` (${v.unit})` : ''} · ${v.stage}`));
    this.varSelect.addEventListener('change', () => { this.state.variable = this.varSelect.value; this.state.year = null; void this.recolour(); });
    this.yearEl = el('input', { type: 'range', 'data-mc': 'year' });
    this.yearLabel = el('span', { 'data-mc': 'year-label' });
    this.yearEl.addEventListener('input', () => {
      const v = this.variable();
      if (v?.years) { this.state.year = v.years[Number(this.yearEl.value)]; void this.recolour(); }
    });
    controls.append(el('label', {}, `${t('variable')} `, this.varSelect), el('label', { class: 'mc-year' }, `${t('year')} `, this.yearEl, this.yearLabel));
    s.append(controls);
    const wrap = el('div', { class: 'mc-map-wrap' });
    const mapEl = el('div', { class: 'mc-map', 'data-mc': 'map' });
    this.legendEl = el('div', { class: 'mc-legend', 'data-mc': 'legend' });
    this.panelEl = el('aside', { class: 'mc-panel', hidden: '' });
    wrap.append(mapEl, this.legendEl, this.panelEl);
    s.append(wrap);
    const g = this.data.meta.geometry;
    if (g && g.kind !== 'full') s.append(el('p', { class: 'mc-note', 'data-mc': 'geometry-note' }, `${t('geometryNote')}: ${g.kind}${g.tolerance_m ? ` (${g.tolerance_m} m)` : ''}. ${g.note ?? ''}`));
    if (hasWebGL2()) {
      const onClick = (i: number) => this.openMine(this.data.mineIds[i]);
      this.mineMap = this.data.createMap ? this.data.createMap(mapEl, onClick) : new MineMap(mapEl, this.data, onClick);
    } else {
      mapEl.replaceWith(el('div', { class: 'mc-nowebgl', 'data-mc': 'no-webgl' }, t('noWebgl')));
      const ov = document.getElementById('mc-overview');
      if (ov && ov.querySelector('svg')) { ov.hidden = false; s.append(ov); }
    }
  }

  colours(v: VariableSpec): string[] {
    const n = this.data.mineIds.length, yi = this.yearIndex(v);
    const out = new Array<string>(n);
    if (v.codes != null && v.categories) {
      const pal = paletteColours('categorical', v.categories.length);
      for (let i = 0; i < n; ++i) { const c = this.data.category(v, i, yi); out[i] = c === null ? NO_DATA_COLOUR : pal[v.categories.indexOf(c)]; }
      return out;
    }
    const edges = v.breaks?.edges ?? [];
    for (let i = 0; i < n; ++i) out[i] = colourOf(edges, v.palette, this.data.value(v, i, yi), v.reversed === true);
    return out;
  }

  renderLegend(v: VariableSpec): void {
    const items: HTMLElement[] = [];
    const swatch = (c: string, text: string) => el('div', { class: 'mc-legend-row' }, el('span', { class: 'mc-swatch', style: `background:${c}` }), text);
    if (v.codes != null && v.categories) {
      const pal = paletteColours('categorical', v.categories.length);
      v.categories.forEach((c, k) => items.push(swatch(pal[k], c)));
    } else {
      const edges = v.breaks?.edges ?? [];
      const pal = paletteColours(v.palette, Math.max(0, edges.length - 1), v.reversed === true);
      for (let k = 0; k + 1 < edges.length; ++k) items.push(swatch(pal[k], `${fmt(edges[k], 2)} – ${fmt(edges[k + 1], 2)}`));
    }
    // Count the no-data mines of the shown year; their statuses say why.
    const yi = this.yearIndex(v);
    let missing = 0;
    for (let i = 0; i < this.data.mineIds.length; ++i) {
      const none = v.codes != null ? this.data.category(v, i, yi) === null : !Number.isFinite(this.data.value(v, i, yi));
      if (none) missing++;
    }
    items.push(swatch(NO_DATA_COLOUR, `${t('noDataStatus')}: ${missing}`));
    const method = v.breaks?.method ? ` · ${v.breaks.method}` : '';
    this.legendEl.replaceChildren(
      el('div', { class: 'mc-legend-title' }, label(v)),
      el('div', { class: 'mc-legend-unit', 'data-mc': 'legend-unit' }, `${v.unit || '—'}${method}`),
      ...items,
    );
    this.legendEl.title = v.description ?? '';
  }

  async recolour(): Promise<void> {
    const v = this.variable();
    if (!v) return;
    this.state.variable = v.key;
    this.varSelect.value = v.key;
    const yi = this.yearIndex(v);
    this.yearEl.parentElement!.hidden = !v.years;
    if (v.years) {
      this.yearEl.min = '0';
      this.yearEl.max = String(v.years.length - 1);
      this.yearEl.value = String(yi);
      this.yearLabel.textContent = String(v.years[yi]);
      this.state.year = v.years[yi];
    } else {
      this.state.year = null;
    }
    await this.data.prepare?.(v, yi); // the server's provider fetches the year's values
    this.renderLegend(v);
    performance.mark('mc:legend');
    this.renderDistribution(v);
    performance.mark('mc:distribution');
    this.writeHash();
    const shown = this.query.text || this.query.status ? new Set(this.shown) : null;
    if (this.mineMap) {
      await this.mineMap.update(this.colours(v), shown);
      performance.mark('mc:map-updated');
      await this.mineMap.idle();
    }
  }

  // Histogram over the map classes (with the no-data count) and the top ten mines, linked to the
  // map: a bar click opens the mine.
  renderDistribution(v: VariableSpec): void {
    const host = this.distEl;
    if (!host) return;
    disposeCharts(host);
    host.querySelectorAll('.mc-chart, .mc-note').forEach((e) => e.remove());
    if (v.values == null) return;
    const edges = v.breaks?.edges ?? [];
    const k = Math.max(0, edges.length - 1), yi = this.yearIndex(v), n = this.data.mineIds.length;
    const counts = new Array<number>(k).fill(0);
    let missing = 0;
    const finite: [number, number][] = [];
    for (let i = 0; i < n; ++i) {
      const x = this.data.value(v, i, yi);
      if (!Number.isFinite(x)) { missing++; continue; }
      finite.push([x, i]);
      const c = classOf(edges, x);
      if (c >= 0) counts[c]++;
    }
    const pal = paletteColours(v.palette, k, v.reversed === true);
    const year = v.years ? ` ${v.years[yi]}` : '';
    const hist = chart(host, `${label(v)}${year}: ${t('histogram')}`, counts.map((_, c) => `${fmt(edges[c], 2)}–${fmt(edges[c + 1], 2)}`),
      [{ name: t('mines'), kind: 'bar', data: counts }], t('mines'), 'histogram');
    hist.setOption({ series: [{ data: counts.map((c, j) => ({ value: c, itemStyle: { color: pal[j] } })) }] });
    host.append(el('p', { class: 'mc-note', 'data-mc': 'histogram-missing' }, `${t('noData')}: ${missing}`));
    // Biggest first; for a diverging variable the most negative (the largest losses) first.
    finite.sort((a, b) => (v.palette === 'diverging' ? a[0] - b[0] : b[0] - a[0]) || a[1] - b[1]);
    const top = finite.slice(0, 10);
    const ranked = chart(host, `${t('top')} ${top.length}: ${label(v)}${year}`, top.map(([, i]) => this.data.mineIds[i]),
      [{ name: label(v), kind: 'bar', data: top.map(([x]) => x) }], v.unit, 'top');
    ranked.setOption({ series: [{ data: top.map(([x]) => ({ value: x, itemStyle: { color: colourOf(edges, v.palette, x, v.reversed === true) } })) }] });
    ranked.on('click', (p) => { const id = String(p.name); this.openMine(id); void this.fitMine(id); });
  }

  openMine(id: string | null): void {
    disposeCharts(this.panelEl);
    this.state.mine = id;
    this.writeHash();
    this.panelData = null;
    if (!id) { this.panelEl.hidden = true; this.panelEl.replaceChildren(); this.mineMap?.map.resize(); return; }
    const i = this.data.indexOf(id);
    const wasHidden = this.panelEl.hidden;
    this.panelEl.hidden = false;
    if (wasHidden) this.mineMap?.map.resize();
    if (i < 0) { this.panelEl.replaceChildren(el('p', {}, t('noMine', { id }))); return; }
    const loading = this.data.prepareMine?.(i); // the server's provider fetches the mine's series
    if (loading) {
      this.panelEl.removeAttribute('data-mc');
      this.panelEl.removeAttribute('data-mine-id');
      this.panelEl.replaceChildren(el('p', {}, '…'));
      void loading.then(() => { if (this.state.mine === id) this.openMine(id); });
      return;
    }
    const p = this.panelEl;
    p.setAttribute('data-mc', 'mine-panel');
    p.setAttribute('data-mine-id', id);
    const close = el('button', { type: 'button', 'data-mc': 'panel-close' }, t('close'));
    close.addEventListener('click', () => this.openMine(null));
    const print = el('button', { type: 'button' }, t('print'));
    print.addEventListener('click', () => { document.body.classList.add('mc-print-mine'); window.print(); document.body.classList.remove('mc-print-mine'); });
    p.replaceChildren(el('h3', {}, `${t('mine')} ${id}`), el('div', {}, close, ' ', print));
    const status = this.data.status[i] ?? '';
    const dl = el('dl', { class: 'mc-attrs' }, el('dt', {}, t('status')), el('dd', { 'data-mc': 'mine-status' }, status || '—'));
    const perMine = this.data.variables.filter((v) => !v.years && !v.key.startsWith('b:') && !(v.stage === 'damage' && v.column === 'status'));
    for (const v of perMine) {
      const value = v.codes != null ? this.data.category(v, i) : this.data.value(v, i);
      if (value === null || (typeof value === 'number' && !Number.isFinite(value))) continue;
      dl.append(el('dt', { title: v.description ?? '' }, label(v)), el('dd', {}, typeof value === 'number' ? `${fmt(value, 4)} ${v.unit}` : value));
    }
    const share = this.find('damage', 'mine_min_valid_share', false);
    if (share && this.data.value(share, i) < 0.5) p.append(el('p', { class: 'mc-warn', 'data-mc': 'valid-share-warning' }, `${t('validShare')}: ${fmt(this.data.value(share, i), 2)} — ${t('lowValid')}`));
    p.append(dl);
    const charts: PanelData['charts'] = {};
    const q = this.find('damage', 'nep_mine_gC_m2_yr', true), o = this.find('damage', 'nep_ref_gC_m2_yr', true);
    const series = (v: VariableSpec) => v.years!.map((_, y) => { const x = this.data.value(v, i, y); return Number.isFinite(x) ? x : null; });
    if (q && o && q.years) {
      const qs = series(q), os = series(o);
      charts.qo = { x: q.years, series: { nep_mine_gC_m2_yr: qs, nep_ref_gC_m2_yr: os } };
      chart(p, t('qo'), q.years, [{ name: 'Q', data: qs, colour: '#b2182b' }, { name: 'O', data: os, colour: '#2166ac' }], q.unit, `mine-${id}-QO`);
    }
    const s = this.find('damage', 'nep_change_rel_gC_m2_yr', true);
    if (s && s.years) {
      const ss = series(s);
      const fit = olsLine(s.years, ss.map((x) => x ?? NaN));
      const line = s.years.map((yr) => (fit ? fit.intercept + fit.slope * yr : null));
      charts.s = { x: s.years, series: { nep_change_rel_gC_m2_yr: ss, ols: line } };
      const sen = this.find('damage', 'change_rel_sen_slope_gC_m2_yr2', false), mkp = this.find('damage', 'change_rel_mk_p', false);
      const note = [sen ? `${t('sen')} ${fmt(this.data.value(sen, i), 3)} ${sen.unit}` : '', mkp ? `${t('mkp')} ${fmt(this.data.value(mkp, i), 3)}` : ''].filter(Boolean).join(' · ');
      chart(p, t('s'), s.years, [{ name: 'S', data: ss, kind: 'bar', colour: '#4393c3' }, { name: 'OLS', data: line, dashed: true, colour: '#333' }], s.unit, `mine-${id}-S`);
      if (note) p.append(el('p', { 'data-mc': 'trend-note' }, note));
    }
    const pot = this.data.variables.filter((v) => v.stage === 'potential' && !v.years && /potential/.test(v.column));
    if (pot.length) {
      p.append(el('h4', {}, t('potential')));
      p.append(el('p', {}, pot.map((v) => `${label(v)}: ${fmt(this.data.value(v, i), 3)} ${v.unit}`).join(' · ')));
    }
    // Soil scenarios: the yearly SOC trajectories (soil.scenario_years, drilldown.ts); without
    // that table, SOC of the first and last year of each scenario (soil.scenarios).
    const soilYears = soilTrajectories(this.data.table('soil', 'scenario_years'), id);
    if (soilYears) {
      charts.soil = { x: soilYears.x, series: soilYears.series };
      chart(p, drillLabel('soilYears'), soilYears.x, Object.entries(soilYears.series).map(([name, data]) => ({ name, data })), soilYears.unit, `mine-${id}-soil`);
    }
    const veg = vegetationProjection(this.data.table('vegetation', 'projection_mines'), id);
    if (veg) {
      charts.vegetation = { x: veg.x, series: veg.series };
      chart(p, drillLabel('vegetation'), veg.x, vegetationSeries(veg), veg.unit, `mine-${id}-vegetation`);
    }
    const sc = soilYears ? undefined : this.data.table('soil', 'scenarios');
    if (sc) {
      const col = (c: string) => sc.data[sc.columns.indexOf(c)] ?? [];
      const rows = col('mine_id').map((m, r) => (String(m) === id ? r : -1)).filter((r) => r >= 0);
      if (rows.length) {
        const first = Math.min(...rows.map((r) => Number(col('first_year')[r])));
        const last = Math.max(...rows.map((r) => Number(col('last_year')[r])));
        const x = Array.from({ length: last - first + 1 }, (_, k) => first + k);
        const series: Record<string, (number | null)[]> = {};
        for (const r of rows) {
          const a = Number(col('first_year')[r]), b = Number(col('last_year')[r]);
          const s0 = col('soc_start_tC_ha')[r], s1 = col('soc_end_tC_ha')[r];
          series[String(col('scenario')[r])] = x.map((yr) => (yr === a && typeof s0 === 'number' ? s0 : yr === b && typeof s1 === 'number' ? s1 : null));
        }
        charts.soil = { x, series };
        chart(p, t('soilScenarios'), x, Object.entries(series).map(([name, data]) => ({ name, data })), 't C ha⁻¹', `mine-${id}-soil`)
          .setOption({ series: Object.keys(series).map(() => ({ connectNulls: true })) });
      }
    }
    // Every other table row of this mine (soil comparison, vegetation saturation, …).
    for (const tb of this.data.tables()) {
      const k = tb.columns.indexOf(tb.columns.includes('mine_id') ? 'mine_id' : 'id');
      if (k < 0 || (tb.stage === 'soil' && tb.name === 'scenarios') || chartedTable(tb.stage, tb.name)) continue;
      const rows = tb.data[k].map((m, r) => (String(m) === id ? r : -1)).filter((r) => r >= 0).slice(0, 20);
      if (!rows.length) continue;
      const sub = { ...tb, rows: rows.length, data: tb.data.map((c) => rows.map((r) => c[r])) };
      p.append(el('h4', {}, `${tb.stage} · ${tb.name}`), el('div', { class: 'mc-table-wrap' }, htmlTable(sub, `mine-table-${tb.stage}-${tb.name}`)));
    }
    this.panelData = { mine_id: id, charts };
  }

  find(stage: string, column: string, perYear: boolean): VariableSpec | undefined {
    return this.data.variables.find((v) => v.stage === stage && v.column === column && !!v.years === perYear && !v.key.startsWith('b:'));
  }

  buildSummaries(): void {
    const ys = this.data.table('damage', 'year_summary');
    const gy = this.data.table('damage', 'group_year');
    const pe = this.data.table('damage', 'periods');
    if (!ys && !gy && !pe) return;
    const s = section(t('summaries'), 'summaries');
    if (ys) {
      const col = (c: string) => (ys.data[ys.columns.indexOf(c)] ?? []).map((x) => (typeof x === 'number' ? x : null));
      const years = col('year').map((x) => x ?? 0);
      chart(s, t('yearSummary'), years, [
        { name: 'loss (losing)', data: col('total_loss_losing_GgC_yr').map((x) => (x === null ? null : -x)), kind: 'bar', colour: '#b2182b' },
        { name: 'gain (gaining)', data: col('total_gain_gaining_GgC_yr'), kind: 'bar', colour: '#2166ac' },
        { name: 'net', data: col('net_change_rel_GgC_yr'), colour: '#333' },
      ], 'Gg C yr⁻¹', 'year_summary');
      s.append(el('h3', {}, t('yearSummary')), htmlTable(ys, 'year-summary'));
    }
    if (gy) {
      const c = (name: string) => gy.data[gy.columns.indexOf(name)] ?? [];
      const groups = [...new Set(c('group').map(String))];
      const years = [...new Set(c('year').map(Number))].sort((a, b) => a - b);
      const field = String(c('group_field')[0] ?? 'group');
      const net = c('net_change_rel_GgC_yr');
      const pal = paletteColours('categorical', groups.length);
      chart(s, `${t('groupYear')} (${field})`, years, groups.map((g, k) => ({
        name: g, kind: 'bar' as const, colour: pal[k],
        data: years.map((yr) => { const r = c('group').findIndex((x, j) => String(x) === g && Number(c('year')[j]) === yr); const v = r < 0 ? null : net[r]; return typeof v === 'number' ? v : null; }),
      })), 'Gg C yr⁻¹', 'group_year');
    }
    if (pe) s.append(el('h3', {}, t('periods')), htmlTable(pe, 'periods'));
  }

  buildTable(): void {
    const s = section(t('table'), 'table-section');
    const search = el('input', { type: 'search', placeholder: t('search'), 'data-mc': 'search', value: this.query.text });
    const statusSel = el('select', { 'data-mc': 'status-filter' }, el('option', { value: '' }, t('statusFilter')));
    for (const st of [...new Set(this.data.status)].sort()) statusSel.append(el('option', { value: st }, st || '—'));
    const download = el('button', { type: 'button', 'data-mc': 'download-csv' }, t('download'));
    this.tableInfo = el('span', { class: 'mc-note', 'data-mc': 'table-info' });
    s.append(el('div', { class: 'mc-controls' }, search, statusSel, download, this.tableInfo));
    const table = el('table', { class: 'mc-table', 'data-mc': 'mines-table' });
    const headRow = el('tr');
    this.table.columns.forEach((c, k) => {
      const v = this.table.vars[k];
      const th = el('th', { title: v?.description ?? '' }, c, v?.unit ? el('small', {}, ` ${v.unit}`) : '');
      th.addEventListener('click', () => { this.query.desc = this.query.sort === k ? !this.query.desc : false; this.query.sort = k; this.refreshTable(); });
      headRow.append(th);
    });
    this.tableBody = el('tbody');
    table.append(el('thead', {}, headRow), this.tableBody);
    s.append(el('div', { class: 'mc-table-wrap' }, table));
    search.addEventListener('input', () => { this.query.text = search.value; this.state.filter = search.value; this.refreshTable(true); });
    statusSel.addEventListener('change', () => { this.query.status = statusSel.value; this.refreshTable(true); });
    download.addEventListener('click', () => {
      const csv = toCsv(this.table.columns, this.shown.map((i) => this.table.row(i)));
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      saveUrl(url, 'mines.csv');
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    });
    this.refreshTable(false);
  }

  refreshTable(toMap = false): void {
    this.shown = queryRows(this.table, this.query);
    const limit = 500;
    this.tableBody.replaceChildren(...this.shown.slice(0, limit).map((i) => {
      const row = this.table.row(i);
      const tr = el('tr', { 'data-mine-id': String(row[0]) }, ...row.map((c) => el('td', {}, typeof c === 'number' ? fmt(c, 4) : c ?? 'NA')));
      tr.addEventListener('click', () => { const id = String(row[0]); this.openMine(id); void this.fitMine(id); });
      return tr;
    }));
    this.tableInfo.textContent = t('showing', { n: Math.min(limit, this.shown.length), m: this.table.count, f: this.shown.length });
    if (toMap) void this.recolour();
  }

  buildMethod(): void {
    const s = section(t('method'), 'method');
    const damage = this.data.meta.stages.find((x) => x.stage === 'damage');
    if (damage) s.append(el('div', { class: 'mc-eq' },
      el('p', {}, 'Qₜ: mean NEP inside the mine; Oₜ: the same over its reference ecosystem (gC m⁻² yr⁻¹).'),
      el('p', {}, 'Pₜ = Qₜ − Q_base (1) · Wₜ = Oₜ − O_base (2) · Sₜ = Pₜ − Wₜ (3, negative = lost NEP) · Hₜ = Sₜ · U (4, U the geodesic mine area).')));
    for (const st of this.data.meta.stages) {
      const det = el('details', { 'data-stage': st.stage }, el('summary', {}, st.stage));
      const pre = el('pre', {}, JSON.stringify(st.summary, null, 2));
      det.append(pre);
      s.append(det);
    }
    const unitless = this.data.variables.filter((v) => v.values != null && !v.unit && !v.key.startsWith('b:'));
    if (unitless.length) s.append(el('p', { 'data-mc': 'unitless' }, `${t('unitless')}: ${unitless.map((v) => v.column).join(', ')}`));
  }

  buildFooter(): void {
    const m = this.data.meta;
    const f = el('footer', { 'data-mc': 'footer', class: 'mc-section' });
    f.append(el('h2', {}, t('footer')), el('p', {}, t('generated', { t: m.created, v: m.minecarbon_version })), el('p', {}, `${t('command')}: `, el('code', {}, m.command)));
    const licences = [...(m.licences ?? [])];
    const add = (name: string, licence: string) => { if (!licences.some((l) => l.name === name)) licences.push({ name, licence }); };
    add('MapLibre GL JS', 'BSD-3-Clause');
    add('Apache ECharts', 'Apache-2.0. NOTICE: Apache ECharts, Copyright 2017-2026 The Apache Software Foundation. This product includes software developed at The Apache Software Foundation (https://www.apache.org/).');
    add('Natural Earth 1:110m land', 'public domain (via world-atlas 2.0.2, ISC)');
    f.append(el('h3', {}, t('licences')), el('ul', { 'data-mc': 'licences' }, ...licences.map((l) => el('li', {}, `${l.name}: ${l.licence}`))));
    document.getElementById('app')!.append(f);
  }

  async fitMine(id: string): Promise<void> {
    const i = this.data.indexOf(id);
    if (i < 0 || !this.mineMap) return;
    await this.mineMap.fit([i]);
  }

  async start(): Promise<void> {
    this.build();
    performance.mark('mc:built');
    if (this.mineMap) await this.mineMap.whenLoaded();
    performance.mark('mc:map-loaded');
    await this.recolour();
    performance.mark('mc:coloured');
    if (this.compareView) { await this.compareView.whenLoaded(); await this.compareView.show(); }
    if (this.state.mine) this.openMine(this.state.mine);
    window.addEventListener('hashchange', () => {
      const next = parseHash(location.hash);
      // A hash without var/year (e.g. "#mine=ID") keeps the current map.
      const variable = next.variable ?? this.state.variable, year = next.year ?? this.state.year;
      if (variable !== this.state.variable || year !== this.state.year) { this.state.variable = variable; this.state.year = year; void this.recolour(); }
      if (next.mine !== this.state.mine) this.openMine(next.mine);
    });
    if (this.mineMap) await this.mineMap.idle();
  }
}

let report: Report | null = null;
let resolveReady!: () => void, rejectReady!: (e: unknown) => void;
const ready = new Promise<void>((res, rej) => { resolveReady = res; rejectReady = rej; });

window.__mc = {
  ready,
  get map() { return report?.mineMap?.map ?? null; },
  errors,
  renderedMineIds: () => report?.mineMap?.renderedMineIds() ?? [],
  fitAll: async () => { if (report?.mineMap) await report.mineMap.fit(report.data.mineIds.map((_, i) => i)); },
  fitMine: async (id: string) => { await report?.fitMine(id); },
  setView: async (v) => {
    if (!report) return;
    if (v.variable !== undefined) report.state.variable = v.variable;
    if (v.year !== undefined) report.state.year = v.year;
    if (v.scenario !== undefined) report.state.scenario = v.scenario;
    await report.recolour();
  },
  panel: () => report?.panelData ?? null,
  get compare() {
    const c = report?.compareView;
    return c ? { map: c.map, state: () => c.state(), show: (k: string, y?: number | null) => c.show(k, y ?? null), fitMine: (id: string) => c.fitMine(id) } : null;
  },
};

// Shows `data` (the app calls it again for another run).
async function show(data: DataProvider): Promise<void> {
  report?.mineMap?.map.remove();
  setLang(data.meta.lang);
  report = new Report(data);
  await report.start();
}

async function main(): Promise<void> {
  try {
    // performance marks (mc:*) let a benchmark see where the time to the first idle goes.
    performance.mark('mc:start');
    if (import.meta.env.MODE === 'app') {
      // The server's app (app/shell.ts): projects, runs and uploads around the same views.
      const { startApp } = await import('./app/shell');
      await startApp(show);
    } else {
      const data = await EmbeddedProvider.load();
      performance.mark('mc:decoded');
      await show(data);
    }
    performance.mark('mc:ready');
    resolveReady();
  } catch (e) {
    const app = document.getElementById('app');
    app?.replaceChildren(el('p', { class: 'mc-warn', 'data-mc': 'load-error' }, String(e instanceof Error ? e.message : e)));
    console.error(e);
    rejectReady(e);
  }
}

void main();
