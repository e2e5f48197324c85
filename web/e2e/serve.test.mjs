// The browser checks of `minecarbon serve` (ctest browser_serve): the demo's damage run in
// the server's app, the map over the server's vector tiles, colours by class after a change of
// variable and year, the drill-down, then a run made from the page (upload the demo mines, check
// and save a configuration, start it, follow its progress by server-sent events) and the
// comparison of the two runs (A − B).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { URLSearchParams } from 'node:url';
import { launch, readCsv, WORK_DIR } from './lib.mjs';
import { blend, hex, LAND, mapPixels, mcErrors, project } from './checks.mjs';

const { fetch } = globalThis; // Node's own (>= 18)
const CLI = process.env.MC_CLI;
const skip = !(CLI && existsSync(CLI)) && 'MC_CLI (the minecarbon executable) is not set';
const dir = path.join(WORK_DIR, 'serve');
const ws = path.join(dir, 'ws');
const base = path.join(ws, 'demo');
const TOKEN = 'browser-test-token-3f9a2c';
const cli = (args) => execFileSync(CLI, ['--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

// Only the named sections of a project file (a section runs to the next "[" line).
function sectionsOf(toml, keep) {
  let kept = false;
  return toml.split('\n').filter((line) => {
    if (line.startsWith('[')) kept = keep.some((k) => line === `[${k}]` || line.startsWith(`[${k}.`));
    return kept;
  }).join('\n') + '\n';
}

// CIE76 ΔE between two sRGB colours (D65).
function lab([r, g, b]) {
  const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const xyz = [(0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047, 0.2126 * R + 0.7152 * G + 0.0722 * B, (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883];
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const [fx, fy, fz] = xyz.map(f);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
const deltaE = (a, b) => Math.hypot(...lab(a).map((x, k) => x - lab(b)[k]));

let server, origin, browser, page, model, requests = [], consoleErrors = [];

async function apiGet(p) {
  const r = await fetch(`${origin}${p}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 200, `${p}: ${r.status}`);
  return r.json();
}

// The class of `x` for `edges` (report/map_classes.h: the last class is closed).
function classOf(edges, x) {
  let k = 0;
  while (k + 2 < edges.length && edges[k + 1] <= x) k++;
  return k;
}

// The colour of the legend's class k (the legend is drawn from the same palettes as the map).
async function legendColour(k) {
  const colours = await page.evaluate(() => Array.from(document.querySelectorAll('[data-mc="legend"] .mc-swatch'), (s) => s.style.background));
  return colours[k].match(/\d+/g).map(Number);
}

before(async () => {
  if (skip) return;
  rmSync(dir, { recursive: true, force: true });
  cli(['synth', '--out', base]);
  const toml = sectionsOf(readFileSync(path.join(base, 'project.toml'), 'utf8'), ['project', 'damage'])
    .replace('[damage]\n', '[damage]\nnep = "nep/nep_{year}.tif"\n');
  writeFileSync(path.join(base, 'project.toml'), toml);
  cli(['run', path.join(base, 'project.toml')]); // results/: the project's imported run
  server = spawn(CLI, ['--quiet', 'serve', ws, '--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (d) => { text += d; const nl = text.indexOf('\n'); if (nl >= 0) resolve(text.slice(0, nl)); });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const m = /^minecarbon serve: (http:\/\/127\.0\.0\.1:\d+)\/\?token=(.+)$/.exec(first);
  assert.ok(m, first);
  origin = m[1];
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${origin}/?token=${TOKEN}`);
  await page.waitForFunction(() => window.__mc !== undefined, null, { timeout: 60000 });
  await page.evaluate(() => window.__mc.ready);
  const run = await page.getAttribute('body', 'data-mc-run');
  model = await apiGet(`/api/runs/${run}/model`);
});
after(async () => { await browser?.close(); server?.kill('SIGTERM'); });

test('the page comes from the server: same-origin requests only, tiles not GeoJSON, no errors', { skip }, async () => {
  const other = requests.filter((u) => !u.startsWith(`${origin}/`));
  assert.deepEqual(other, [], `requests elsewhere: ${other.join(', ')}`);
  assert.ok(requests.some((u) => /\/tiles\/mine_points\/\d+\/\d+\/\d+\.mvt$/.test(u)), 'no mine_points tile fetched');
  assert.ok(requests.some((u) => /\/assets\/maplibre-gl-worker-[^/]+\.mjs$/.test(u)), 'MapLibre worker not loaded from /assets/');
  // The token left the address bar (exchanged for the cookie).
  assert.ok(!page.url().includes('token='), page.url());
  assert.deepEqual(await mcErrors(page), []);
  assert.deepEqual(consoleErrors, []);
});

test('after fitAll the rendered mines are the run\'s mines, drawn from tiles', { skip }, async () => {
  await page.evaluate(() => window.__mc.fitAll());
  const results = path.join(base, 'results');
  const mines = readCsv(path.join(results, 'tables', 'mines.csv')).rows.map((r) => r.mine_id);
  const withGeometry = model.mine_ids.filter((_, i) => model.points[i] !== null);
  assert.deepEqual([...withGeometry].sort(), [...mines].sort());
  assert.deepEqual(await page.evaluate(() => window.__mc.renderedMineIds()), [...mines].sort());
  const all = await mapPixels(browser, page, 'serve-all', hex('#dce8f2'));
  assert.ok(all.fraction > 0.05, `map nearly empty: ${all.fraction}`);
});

// A mine of the run with a value of `key` in `year` (null: a per-mine variable), zoomed to; the
// pixel at its point on the surface and the class colour it must have (ΔE ≤ 3).
async function valuesOf(key, year) {
  const q = new URLSearchParams({ var: key, ...(year !== null ? { year: String(year) } : {}) });
  return (await apiGet(`/api/runs/${model.run}/values?${q}`)).values;
}
const usable = (values, k) => typeof values[k] === 'number' && model.points[k] !== null && model.mines.status[k] === 'ok';

async function colourCheck(key, year, name, mine = -1) {
  await page.evaluate(([k, y]) => window.__mc.setView({ variable: k, year: y ?? undefined }), [key, year]);
  const v = model.variables.find((x) => x.key === key);
  const values = await valuesOf(key, year);
  const i = mine >= 0 ? mine : values.findIndex((_, k) => usable(values, k));
  assert.ok(i >= 0 && usable(values, i), `no mine with a value of ${key}`);
  await page.evaluate((id) => window.__mc.fitMine(id), model.mine_ids[i]);
  const pt = await project(page, model.points[i]);
  const px = await mapPixels(browser, page, name, hex('#dce8f2'), [pt]);
  const want = blend(await legendColour(classOf(v.breaks.edges, values[i])), LAND, 0.85);
  const dE = deltaE(px.colours[0], want);
  assert.ok(dE <= 3, `${key} ${year ?? ''} mine ${model.mine_ids[i]}: pixel ${px.colours[0]} vs class colour ${want} (ΔE ${dE.toFixed(2)})`);
  return { mine: model.mine_ids[i], colour: px.colours[0], value: values[i] };
}

test('the legend shows the unit; changing variable and year gives each mine its class colour', { skip }, async () => {
  const perMine = model.variables.find((v) => v.column === 'nep_loss_last_gC_m2_yr' && !v.years);
  const perYear = model.variables.find((v) => v.column === 'nep_change_rel_gC_m2_yr' && v.years);
  assert.ok(perMine && perYear);
  await page.evaluate((k) => window.__mc.setView({ variable: k }), perMine.key);
  const unit = await page.textContent('[data-mc="legend-unit"]');
  assert.ok(perMine.unit && unit.includes(perMine.unit), `legend "${unit}" lacks unit "${perMine.unit}"`);
  await colourCheck(perMine.key, null, 'serve-var');
  // Two years of the per-year variable at a mine whose class differs between them: the pixel
  // changes, each time to the colour of that year's class.
  const [y0, y1] = [perYear.years[0], perYear.years[perYear.years.length - 1]];
  const [a, b] = [await valuesOf(perYear.key, y0), await valuesOf(perYear.key, y1)];
  const edges = perYear.breaks.edges;
  const i = a.findIndex((_, k) => usable(a, k) && usable(b, k) && classOf(edges, a[k]) !== classOf(edges, b[k]));
  assert.ok(i >= 0, 'no mine changes class between the first and last year');
  const first = await colourCheck(perYear.key, y0, 'serve-year-first', i);
  const last = await colourCheck(perYear.key, y1, 'serve-year-last', i);
  assert.ok(deltaE(first.colour, last.colour) > 10, `mine ${first.mine}: ${first.colour} → ${last.colour}`);
  assert.deepEqual(await mcErrors(page), []);
});

test('a click at a mine opens its panel with the series of mine_year.csv', { skip }, async () => {
  const rows = readCsv(path.join(base, 'results', 'tables', 'mine_year.csv')).rows;
  const id = rows.find((r) => r.nep_mine_gC_m2_yr !== 'NA' && r.nep_mine_gC_m2_yr !== '')?.mine_id;
  const i = model.mine_ids.indexOf(id);
  await page.evaluate((m) => window.__mc.fitMine(m), id);
  const xy = await project(page, model.points[i]);
  const box = await page.locator('[data-mc="map"] canvas').boundingBox();
  await page.mouse.click(box.x + xy[0], box.y + xy[1]);
  await page.waitForSelector(`[data-mc="mine-panel"][data-mine-id="${id}"]`);
  const panel = await page.evaluate(() => window.__mc.panel());
  assert.equal(panel.mine_id, id);
  const mine = rows.filter((r) => r.mine_id === id);
  assert.equal(panel.charts.qo.x.length, mine.length);
  mine.forEach((r, y) => {
    const want = Number(r.nep_mine_gC_m2_yr), got = panel.charts.qo.series.nep_mine_gC_m2_yr[y];
    assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${id} ${r.year}: ${got} vs ${want}`);
  });
  await page.click('[data-mc="panel-close"]');
});

test('upload the demo mines, save a configuration, start a run: SSE reaches done/ok and the run renders', { skip, timeout: 600000 }, async () => {
  const imported = await page.getAttribute('body', 'data-mc-run');
  await page.click('[data-mc="project-panel"] summary');
  await page.setInputFiles('[data-mc="upload"]', path.join(base, 'mines.gpkg'));
  const li = await page.waitForSelector('[data-mc="inputs"] li[data-input-id]', { timeout: 60000 });
  const inputId = await li.getAttribute('data-input-id');
  assert.match(inputId, /^[a-z0-9]{12}$/);
  assert.ok(existsSync(path.join(base, 'inputs', `${inputId}.gpkg`)));
  // The same damage configuration, on the uploaded copy of the mines.
  const config = readFileSync(path.join(base, 'project.toml'), 'utf8').replace('mines = "mines.gpkg"', `mines = "inputs/${inputId}.gpkg"`);
  assert.ok(config.includes(`inputs/${inputId}.gpkg`));
  // A bad key first: the errors are listed and nothing is saved.
  await page.fill('[data-mc="config"]', config.replace('[damage]\n', '[damage]\nring_gap = 5\n'));
  await page.click('[data-mc="save-config"]');
  await page.waitForSelector('[data-mc="config-errors"] li');
  assert.match(await page.textContent('[data-mc="config-errors"]'), /ring_gap/);
  await page.fill('[data-mc="config"]', config);
  await page.click('[data-mc="save-config"]');
  await page.waitForSelector('[data-mc="config-ok"]');
  assert.equal(readFileSync(path.join(base, 'project.toml'), 'utf8'), config);
  await page.click('[data-mc="start-run"]');
  const progress = await page.waitForSelector('[data-mc="run-progress"][data-run-id]');
  const runId = await progress.getAttribute('data-run-id');
  await page.waitForSelector('[data-mc="run-progress"][data-status="ok"]', { timeout: 540000 });
  await page.waitForSelector(`body[data-mc-run="${runId}"]`, { timeout: 60000 });
  assert.notEqual(runId, imported);
  // The events the page followed: numbered, with progress, ending in done/ok.
  const events = await (await fetch(`${origin}/api/runs/${runId}/events`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
  assert.match(events, /event: progress/);
  assert.match(events, /event: done\ndata: \{[^\n]*"status":"ok"/);
  await page.evaluate(() => window.__mc.fitAll());
  const mines = readCsv(path.join(base, 'runs', runId, 'tables', 'mines.csv')).rows.map((r) => r.mine_id);
  assert.deepEqual(await page.evaluate(() => window.__mc.renderedMineIds()), [...mines].sort());
  const shot = await mapPixels(browser, page, 'serve-new-run', hex('#dce8f2'));
  assert.ok(shot.fraction > 0.05, `map nearly empty: ${shot.fraction}`);

  // The comparison: the new run (A) against the imported one (B), same inputs: A − B is 0.
  await page.selectOption('[data-mc="compare-run"]', imported);
  await page.waitForSelector('[data-mc="compare-table"]');
  const diffs = await page.$$eval('[data-mc="compare-table"] [data-mc="diff"]', (tds) => tds.map((td) => td.textContent));
  assert.ok(diffs.length >= mines.length, `${diffs.length} rows`);
  assert.ok(diffs.every((d) => d === 'NA' || Number(d) === 0), diffs.join(' '));
  assert.ok(diffs.some((d) => d !== 'NA'));
  assert.deepEqual(await mcErrors(page), []);
  // The refused configuration's 422 is the one failed request the browser logs.
  const refused = consoleErrors.filter((e) => /status of 422/.test(e));
  assert.equal(refused.length, 1);
  assert.deepEqual(consoleErrors.filter((e) => !refused.includes(e)), []);
});
