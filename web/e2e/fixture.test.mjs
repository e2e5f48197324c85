// The front end against a fixture report made here (the template from `vite build --mode report`
// filled by e2e/lib.mjs's island writer): no C++ writer needed, planted values known exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeIsland, fillTemplate, launch, openReport, WEB_DIR, WORK_DIR } from './lib.mjs';
import { assertOffline, blend, clickAt, downloadCsv, hex, LAND, mapPixels, mcErrors, project } from './checks.mjs';

const template = [process.env.MC_TEMPLATE, path.join(WORK_DIR, '..', 'dist', 'report.html'), path.join(WEB_DIR, 'dist', 'report.html')]
  .find((p) => p && existsSync(p));

const ids = ['M1', 'M2', 'M3', 'M4'];
const years = [2000, 2001, 2002, 2003, 2004];
const N = ids.length;
const centre = (i) => [110.5 + 0.05 * i, 35.2];
const half = 0.0045; // ~1 km squares
const Q = (i, y) => 300 + 10 * i - 5 * y + 0.125;
const O = (i, y) => 320 + 3 * y - i;
const loss = [12.5, 40, 77.25, NaN];
const edges = [0, 20, 50, 80];

function fixture(lang = 'en') {
  const coords = [], verts = [0], rings = [0], parts = [0], points = [];
  ids.forEach((_, i) => {
    const [x, y] = centre(i);
    const ring = [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half]].map(([a, b]) => [Math.round(a * 1e6), Math.round(b * 1e6)]);
    const zigzag = (d) => (d < 0 ? -2 * d - 1 : 2 * d);
    ring.forEach(([a, b], k) => coords.push(k ? zigzag(a - ring[k - 1][0]) : a, k ? zigzag(b - ring[k - 1][1]) : b));
    verts.push(coords.length / 2); rings.push(verts.length - 1); parts.push(rings.length - 1);
    points.push(Math.round(x * 1e6), Math.round(y * 1e6));
  });
  const perYear = (f) => ids.flatMap((_, i) => years.map((_, y) => f(i, y))); // mine-major
  const v = (column, table, unit, palette, extra) => ({ key: `damage.${table}.${column}`, stage: 'damage', table, column, unit, label: { en: column, zh: column }, description: '', palette, years: null, missing: 0, ...extra });
  const header = {
    mines: { count: N, ids, status: ['ok', 'ok', 'ok', 'too_small'] },
    variables: [
      v('nep_loss_last_gC_m2_yr', 'mines', 'gC m⁻² yr⁻¹', 'sequential', { values: 0, missing: 1, breaks: { method: 'quantile', edges } }),
      v('nep_mine_gC_m2_yr', 'mine_year', 'gC m⁻² yr⁻¹', 'sequential', { years, values: 1, breaks: { method: 'quantile', edges: [250, 300, 350] } }),
      v('nep_ref_gC_m2_yr', 'mine_year', 'gC m⁻² yr⁻¹', 'sequential', { years, values: 2, breaks: { method: 'quantile', edges: [300, 320, 340] } }),
      v('nep_change_rel_gC_m2_yr', 'mine_year', 'gC m⁻² yr⁻¹', 'diverging', { years, values: 3, breaks: { method: 'quantile', edges: [-50, -10, 10, 50] } }),
    ],
    tables: [{ stage: 'damage', name: 'year_summary', columns: ['year', 'n_mines', 'n_mines_losing', 'share_mines_losing', 'total_loss_losing_GgC_yr', 'total_gain_gaining_GgC_yr', 'net_change_rel_GgC_yr'], numeric: [true, true, true, true, true, true, true], rows: 2, data: [[2003, 2004], [3, 3], [2, 3], [2 / 3, 1], [0.5, 0.75], [0.1, 0], [-0.4, -0.75]] }],
    geometry: { scale: 1e6, points: 4, mine_parts: 5, part_rings: 6, ring_vertices: 7, coords: 8 },
  };
  const cols = [
    { type: 'f64', data: loss },
    { type: 'f32', data: perYear(Q) }, { type: 'f32', data: perYear(O) },
    { type: 'f32', data: perYear((i, y) => (Q(i, y) - Q(i, 0)) - (O(i, y) - O(i, 0))) },
    { type: 'i32', data: points }, { type: 'u32', data: parts }, { type: 'u32', data: rings }, { type: 'u32', data: verts }, { type: 'i32', data: coords },
  ];
  const meta = {
    format: 'minecarbon-report', version: 1, title: 'Fixture <report> & co', lang, minecarbon_version: 'test', command: 'fixture',
    created: '2026-12-07T00:00:00Z', stages: [{ stage: 'damage', summary: { counts: { mines: 4 } } }],
    warnings: [{ stage: 'damage', message: 'mine M4 is too small' }], geometry: { kind: 'full', tolerance_m: 0, source: 'fixture', note: '' },
    compare: null, licences: [],
  };
  return fillTemplate(readFileSync(template, 'utf8'), meta, encodeIsland(header, cols));
}

let browser, session;
const file = path.join(WORK_DIR, 'fixture-report.html');

before(async () => {
  assert.ok(template, 'no report template: run `npm run build` in web/ or build the mc_web_bundle target');
  writeFileSync(file, fixture());
  browser = await launch();
  session = await openReport(browser, file);
});
after(async () => { await browser?.close(); });

test('offline, no errors, headline and warnings', async () => {
  const { page, requests, consoleErrors } = session;
  assertOffline(requests);
  assert.deepEqual(await mcErrors(page), []);
  assert.deepEqual(consoleErrors, []);
  assert.match(await page.textContent('[data-mc="headline"]'), /In 2004 the 3 analysed mines \(of 4\) had lost 0\.8 Gg C yr⁻¹ .*3 \(100 %\) were losing/);
  assert.match(await page.textContent('[data-mc="warnings"]'), /Warnings \(1\).*mine M4 is too small/);
  assert.equal(await page.title(), 'Fixture <report> & co');
});

test('fitAll shows every mine; polygons from z6, circles below', async () => {
  const { page } = session;
  await page.evaluate(() => window.__mc.fitAll());
  assert.ok(await page.evaluate(() => window.__mc.map.getZoom()) >= 6);
  assert.deepEqual(await page.evaluate(() => window.__mc.renderedMineIds()), ids);
  await page.evaluate(async () => { window.__mc.map.jumpTo({ zoom: 4 }); await new Promise((r) => window.__mc.map.once('idle', r)); });
  assert.deepEqual(await page.evaluate(() => window.__mc.renderedMineIds()), ids);
  await page.evaluate(() => window.__mc.fitAll());
});

test('legend shows the unit and the island breaks; colours at the mines follow the classes', async () => {
  const { page } = session;
  const legend = await page.textContent('[data-mc="legend"]');
  assert.match(legend, /gC m⁻² yr⁻¹/);
  assert.match(legend, /20 – 50/);
  assert.match(legend, /no data \(status\): 1/);
  const pts = [];
  for (let i = 0; i < 4; ++i) pts.push(await project(page, centre(i)));
  const px = await mapPixels(browser, page, 'fixture-map', hex('#dce8f2'), pts);
  assert.ok(px.fraction > 0.05, `map almost empty: ${px.fraction}`);
  const want = [...['#440154', '#21908c', '#fde725'], '#bdbdbd'].map((c) => blend(hex(c), LAND, 0.85)); // viridis(3), then no data
  px.colours.forEach((got, i) => assert.ok(got.every((c, j) => Math.abs(c - want[i][j]) <= 12), `mine ${ids[i]}: ${got} vs ${want[i]}`));
});

test('a click at a mine opens its panel with the planted series', async () => {
  const { page } = session;
  const panel = await clickAt(page, centre(2));
  assert.equal(panel.mine_id, 'M3');
  assert.deepEqual(panel.charts.qo.x, years);
  panel.charts.qo.series.nep_mine_gC_m2_yr.forEach((q, y) => assert.ok(Math.abs(q - Q(2, y)) < 1e-4));
  panel.charts.qo.series.nep_ref_gC_m2_yr.forEach((o, y) => assert.ok(Math.abs(o - O(2, y)) < 1e-4));
  // S = -8 y here: the OLS line is exact
  panel.charts.s.series.ols.forEach((s, y) => assert.ok(Math.abs(s - (-8 * y)) < 1e-3));
  assert.match(page.url(), /mine=M3/);
});

test('per-year variable: setView moves the year slider and the hash', async () => {
  const { page } = session;
  await page.evaluate(() => window.__mc.setView({ variable: 'damage.mine_year.nep_mine_gC_m2_yr', year: 2002 }));
  assert.equal(await page.textContent('[data-mc="year-label"]'), '2002');
  assert.match(page.url(), /year=2002/);
});

test('#mine=ID opens the panel; search filters the table and the map; CSV of the view', async () => {
  const s2 = await openReport(browser, file, '#mine=M2');
  const page = s2.page;
  assert.equal(await page.getAttribute('[data-mc="mine-panel"]', 'data-mine-id'), 'M2');
  await page.fill('[data-mc="search"]', 'M4');
  await page.waitForFunction(() => document.querySelectorAll('[data-mc="mines-table"] tbody tr').length === 1);
  await page.evaluate(() => window.__mc.fitAll());
  assert.deepEqual(await page.evaluate(() => window.__mc.renderedMineIds()), ['M4']);
  const csv = await downloadCsv(page);
  assert.equal(csv, 'mine_id,status,nep_loss_last_gC_m2_yr\nM4,too_small,NA\n');
  assert.deepEqual(await mcErrors(page), []);
  await s2.context.close();
});

test('without WebGL2: a clear message, the table and the overview still work', async () => {
  const b = await launch(['--disable-3d-apis']);
  try {
    const s = await openReport(b, file);
    assert.match(await s.page.textContent('[data-mc="no-webgl"]'), /no WebGL2/);
    assert.equal(await s.page.locator('[data-mc="mines-table"] tbody tr').count(), 4);
    assert.equal(await s.page.evaluate(() => window.__mc.map), null);
    assert.deepEqual(await mcErrors(s.page), []);
    await s.page.screenshot({ path: path.join(WORK_DIR, 'fixture-nowebgl.png'), fullPage: true });
  } finally {
    await b.close();
  }
});

test('full page screenshot (artifact)', async () => {
  await session.page.screenshot({ path: path.join(WORK_DIR, 'fixture-page.png'), fullPage: true });
});

test('--lang zh: Chinese labels and headline', async () => {
  const zh = path.join(WORK_DIR, 'fixture-report-zh.html');
  writeFileSync(zh, fixture('zh'));
  const s = await openReport(browser, zh);
  assert.match(await s.page.textContent('[data-mc="headline"]'), /2004 年，3 个已分析矿区（共 4 个）/);
  assert.match(await s.page.textContent('[data-mc="legend"]'), /无数据（状态）: 1/);
  assert.equal(await s.page.getAttribute('html', 'lang'), 'zh');
  assert.deepEqual(await mcErrors(s.page), []);
  await s.context.close();
});
