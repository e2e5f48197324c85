// The report checks on the demo: `minecarbon synth`, `run` (project, damage from the
// planted NEP rasters, potential), then `minecarbon report`, opened in chromium from file:.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { islandPoint, launch, openReport, readCsv, readIslands, WORK_DIR } from './lib.mjs';
import { assertOffline, blend, clickAt, downloadCsv, hex, LAND, mapPixels, mcErrors, project } from './checks.mjs';

const CLI = process.env.MC_CLI;
const dir = path.join(WORK_DIR, 'demo-run');
const results = path.join(dir, 'results');
const reportFile = path.join(dir, 'report.html');
const cli = (args, env = {}) => execFileSync(CLI, ['--quiet', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
// Only the named sections of a project file (a section runs to the next "[" line).
function sectionsOf(toml, keep) {
  let kept = false;
  return toml.split('\n').filter((line) => {
    if (line.startsWith('[')) kept = keep.some((k) => line === `[${k}]` || line.startsWith(`[${k}.`));
    return kept;
  }).join('\n') + '\n';
}

// ctest sets MC_CLI; a manual `npm run test:browser` without it runs only the fixture tests.
const skip = !(CLI && existsSync(CLI)) && 'MC_CLI (the minecarbon executable) is not set';

let browser, session, island;

before(async () => {
  if (skip) return;
  rmSync(dir, { recursive: true, force: true });
  cli(['synth', '--out', path.join(dir, 'demo')]);
  const toml = sectionsOf(readFileSync(path.join(dir, 'demo', 'project.toml'), 'utf8'), ['project', 'damage', 'potential'])
    .replace('[damage]\n', '[damage]\nnep = "nep/nep_{year}.tif"\n');
  writeFileSync(path.join(dir, 'demo', 'p.toml'), toml);
  cli(['run', path.join(dir, 'demo', 'p.toml'), '--out', results]);
  cli(['report', results, '-o', reportFile], { SOURCE_DATE_EPOCH: '1765000000' });
  island = readIslands(readFileSync(reportFile, 'utf8'));
  browser = await launch();
  session = await openReport(browser, reportFile);
});
after(async () => { await browser?.close(); });

test('two runs with SOURCE_DATE_EPOCH give identical bytes', { skip }, () => {
  // Same command line (the meta records it), so the same output path; the first file is kept.
  const first = readFileSync(reportFile);
  cli(['report', results, '-o', reportFile], { SOURCE_DATE_EPOCH: '1765000000' });
  assert.ok(readFileSync(reportFile).equals(first), 'the second run wrote different bytes');
});

test('only file:, blob:, data: requests and no errors', { skip }, async () => {
  assertOffline(session.requests);
  assert.deepEqual(await mcErrors(session.page), []);
  assert.deepEqual(session.consoleErrors, []);
});

test('after fitAll the rendered mines are the demo mines', { skip }, async () => {
  const { page } = session;
  await page.evaluate(() => window.__mc.fitAll());
  const mines = readCsv(path.join(results, 'tables', 'mines.csv')).rows.map((r) => r.mine_id);
  const withGeometry = island.header.mines.ids.filter((_, i) => islandPoint(island, i)[0] !== -2147483648 / island.header.geometry.scale);
  assert.deepEqual([...withGeometry].sort(), [...mines].sort());
  assert.deepEqual(await page.evaluate(() => window.__mc.renderedMineIds()), [...mines].sort());
});

test('the legend shows the unit; map colours at known mines are their classes', { skip }, async () => {
  const { page } = session;
  const unit = await page.textContent('[data-mc="legend-unit"]');
  const key = await page.$eval('[data-mc="variable"]', (s) => s.value);
  const v = island.header.variables.find((x) => x.key === key);
  assert.ok(v.unit && unit.includes(v.unit), `legend "${unit}" lacks unit "${v.unit}"`);
  // Zoom to one analysed mine with a value: its polygon's interior point has its class colour.
  const values = island.buffers[v.values];
  const i = [...values.keys()].find((k) => Number.isFinite(values[k]) && island.header.mines.status[k] === 'ok');
  await page.evaluate((id) => window.__mc.fitMine(id), island.header.mines.ids[i]);
  const pt = await project(page, islandPoint(island, i));
  const px = await mapPixels(browser, page, 'demo-mine', hex('#dce8f2'), [pt]);
  assert.ok(px.fraction > 0.02, `map nearly empty: ${px.fraction}`);
  const edges = v.breaks.edges;
  let k = 0;
  while (k + 2 < edges.length && edges[k + 1] <= values[i]) k++;
  const colours = await page.evaluate(() => Array.from(document.querySelectorAll('[data-mc="legend"] .mc-swatch'), (s) => s.style.background));
  const rgb = colours[k].match(/\d+/g).map(Number);
  const want = blend(rgb, LAND, 0.85);
  assert.ok(px.colours[0].every((c, j) => Math.abs(c - want[j]) <= 12), `mine ${island.header.mines.ids[i]}: ${px.colours[0]} vs ${want}`);
  await page.evaluate(() => window.__mc.fitAll());
  const all = await mapPixels(browser, page, 'demo-all', hex('#dce8f2'));
  assert.ok(all.fraction > 0.05, `map nearly empty: ${all.fraction}`);
});

test('a real click at a mine opens its panel with mine_year.csv values', { skip }, async () => {
  const { page } = session;
  const rows = readCsv(path.join(results, 'tables', 'mine_year.csv')).rows;
  const id = rows.find((r) => r.nep_mine_gC_m2_yr !== 'NA' && r.nep_mine_gC_m2_yr !== '')?.mine_id;
  const i = island.header.mines.ids.indexOf(id);
  await page.evaluate((m) => window.__mc.fitMine(m), id);
  const panel = await clickAt(page, islandPoint(island, i));
  assert.equal(panel.mine_id, id);
  assert.equal(await page.getAttribute('[data-mc="mine-panel"]', 'data-mine-id'), id);
  const mine = rows.filter((r) => r.mine_id === id);
  assert.equal(panel.charts.qo.x.length, mine.length);
  mine.forEach((r, y) => {
    assert.equal(panel.charts.qo.x[y], Number(r.year));
    for (const col of ['nep_mine_gC_m2_yr', 'nep_ref_gC_m2_yr']) {
      const want = Number(r[col]), got = panel.charts.qo.series[col][y];
      assert.ok(Math.abs(got - want) <= 1e-4 * Math.max(1, Math.abs(want)), `${id} ${r.year} ${col}: ${got} vs ${want}`);
    }
    const s = Number(r.nep_change_rel_gC_m2_yr), got = panel.charts.s.series.nep_change_rel_gC_m2_yr[y];
    assert.ok(Math.abs(got - s) <= 1e-4 * Math.max(1, Math.abs(s)));
  });
  await page.screenshot({ path: path.join(WORK_DIR, 'demo-page.png'), fullPage: true });
});

test('the CSV download has the table header', { skip }, async () => {
  const { page } = session;
  const csv = await downloadCsv(page);
  const header = csv.split('\n')[0];
  const shown = await page.$$eval('[data-mc="mines-table"] thead th', (ths) => ths.map((th) => th.firstChild.textContent));
  assert.equal(header, shown.join(','));
  assert.ok(header.startsWith('mine_id,status,'));
  const columns = readCsv(path.join(results, 'tables', 'mines.csv')).header;
  for (const c of ['nep_loss_last_gC_m2_yr', 'nep_change_rel_mean_gC_m2_yr']) {
    assert.ok(columns.includes(c));
    assert.ok(header.split(',').includes(c), `CSV lacks ${c}`);
  }
  assert.equal(csv.trim().split('\n').length, island.header.mines.count + 1);
});
