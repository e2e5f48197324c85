// The comparison view on the demo: two runs of the same demo project that differ in one damage
// setting (B measures the change from 2005, A from the first year, 2000), then `minecarbon report A --compare B`, opened in chromium
// from file:. The A−B values, the totals and the map's colours are checked against the two runs'
// own CSV tables.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { islandPoint, launch, openReport, readCsv, readIslands, WORK_DIR } from './lib.mjs';
import { assertOffline, blend, LAND, mcErrors } from './checks.mjs';

const CLI = process.env.MC_CLI;
const dir = path.join(WORK_DIR, 'compare-run');
const resultsA = path.join(dir, 'results-a'), resultsB = path.join(dir, 'results-b');
const reportFile = path.join(dir, 'compare.html');
const cli = (args) => execFileSync(CLI, ['--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const skip = !(CLI && existsSync(CLI)) && 'MC_CLI (the minecarbon executable) is not set';

function sectionsOf(toml, keep) {
  let kept = false;
  return toml.split('\n').filter((line) => {
    if (line.startsWith('[')) kept = keep.some((k) => line === `[${k}]` || line.startsWith(`[${k}.`));
    return kept;
  }).join('\n') + '\n';
}
// A project's [damage] with `key = value` set (replaced when the demo already sets it).
function withDamage(toml, key, value) {
  const lines = toml.split('\n');
  const start = lines.indexOf('[damage]');
  let end = lines.findIndex((l, k) => k > start && l.startsWith('['));
  if (end < 0) end = lines.length;
  const at = lines.findIndex((l, k) => k > start && k < end && new RegExp(`^${key}\\s*=`).test(l));
  if (at >= 0) lines[at] = `${key} = ${value}`;
  else lines.splice(start + 1, 0, `${key} = ${value}`);
  return lines.join('\n');
}

const num = (s) => (s === undefined || s === '' || s === 'NA' || s === 'nan' ? NaN : Number(s));
// column → mine_id → number, from a per-mine table; or mine_id|year → number from mine_year.
function perMine(file, column) {
  return new Map(readCsv(file).rows.map((r) => [r.mine_id, num(r[column])]));
}
function perMineYear(file, column) {
  return new Map(readCsv(file).rows.map((r) => [`${r.mine_id}|${r.year}`, num(r[column])]));
}
const close = (got, want, rel) => (Number.isNaN(want) ? got === null : got !== null && Math.abs(got - want) <= rel * Math.max(1, Math.abs(want)));

// The test's own symmetric quantile classes (R type 7 over |x|, mirrored about 0; 7 classes), as
// docs/report.md states the report's rule, written independently of web/src.
function symmetricEdges(values) {
  const x = values.filter(Number.isFinite).map(Math.abs).sort((a, b) => a - b);
  const q = (p) => { const h = (x.length - 1) * p, lo = Math.floor(h), hi = Math.ceil(h); return x[lo] + (h - lo) * (x[hi] - x[lo]); };
  const m = [...new Set([0, 0.25, 0.5, 0.75, 1].map(q))];
  m[0] = 0;
  return [...m.slice(1).reverse().map((e) => -e), ...m.slice(1)];
}

let browser, session, island;

before(async () => {
  if (skip) return;
  rmSync(dir, { recursive: true, force: true });
  cli(['synth', '--out', path.join(dir, 'demo')]);
  const toml = sectionsOf(readFileSync(path.join(dir, 'demo', 'project.toml'), 'utf8'), ['project', 'damage', 'potential'])
    .replace('[damage]\n', '[damage]\nnep = "nep/nep_{year}.tif"\n');
  writeFileSync(path.join(dir, 'demo', 'a.toml'), toml);
  writeFileSync(path.join(dir, 'demo', 'b.toml'), withDamage(toml, 'base_year', '2005'));
  cli(['run', path.join(dir, 'demo', 'a.toml'), '--out', resultsA]);
  cli(['run', path.join(dir, 'demo', 'b.toml'), '--out', resultsB]);
  cli(['report', resultsA, '--compare', resultsB, '-o', reportFile]);
  island = readIslands(readFileSync(reportFile, 'utf8'));
  browser = await launch();
  session = await openReport(browser, reportFile);
});
after(async () => { await browser?.close(); });

test('the compare report is offline, error-free and has the comparison section', { skip }, async () => {
  assertOffline(session.requests);
  assert.deepEqual(await mcErrors(session.page), []);
  assert.deepEqual(session.consoleErrors, []);
  assert.ok(island.meta.compare, 'meta.compare is null');
  assert.ok(await session.page.isVisible('[data-mc="compare-map"]'));
  assert.equal(await session.page.evaluate(() => window.__mc.compare !== null), true);
  await session.page.locator('[data-mc="compare"]').screenshot({ path: path.join(WORK_DIR, 'compare-section.png') });
});

test('A − B per mine equals the difference of the two runs\' mines.csv', { skip }, async () => {
  const { page } = session;
  const key = 'damage.mines.nep_change_rel_last_MgC_yr';
  const st = await page.evaluate((k) => window.__mc.compare.show(k).then(() => window.__mc.compare.state()), key);
  assert.equal(st.variable, key);
  const a = perMine(path.join(resultsA, 'tables', 'mines.csv'), 'nep_change_rel_last_MgC_yr');
  const b = perMine(path.join(resultsB, 'tables', 'mines.csv'), 'nep_change_rel_last_MgC_yr');
  let changed = 0, compared = 0;
  st.ids.forEach((id, i) => {
    const want = a.get(id) - b.get(id); // NaN when either has none
    // Per-mine numbers are stored within 1e-6 relative (docs/report_island.md), A and B each.
    assert.ok(close(st.a[i], a.get(id), 1e-6), `${id}: A ${st.a[i]} vs ${a.get(id)}`);
    const tol = 1e-6 * (Math.abs(a.get(id)) + Math.abs(b.get(id)));
    assert.ok(Number.isNaN(want) ? st.diff[i] === null : Math.abs(st.diff[i] - want) <= tol + 1e-12, `${id}: A−B ${st.diff[i]} vs ${want}`);
    // A real change, not rounding: the base year moves S by the mine's own 2000-2005 drift.
    if (Number.isFinite(want)) { compared++; if (Math.abs(want) > 1e-6 * Math.max(1, Math.abs(a.get(id)))) changed++; }
  });
  assert.ok(compared > 100, `only ${compared} mines with both values`);
  assert.ok(changed > compared / 4, `the two runs differ at only ${changed} of ${compared} mines`);
  // The classes: symmetric about 0, the quantile rule over |A − B|.
  const want = symmetricEdges(st.diff.map((x) => (x === null ? NaN : x)));
  assert.equal(st.edges.length, want.length);
  st.edges.forEach((e, k) => assert.ok(Math.abs(e - want[k]) <= 1e-9 * Math.max(1, Math.abs(want[k])), `edge ${k}: ${e} vs ${want[k]}`));
  assert.equal(await page.locator('[data-mc="compare-legend"] .mc-swatch').count(), want.length); // classes + no value
  // Totals row: sums over the mines both runs analysed.
  let sa = 0, sb = 0, abs = 0;
  for (const id of st.ids) if (Number.isFinite(a.get(id)) && Number.isFinite(b.get(id))) { sa += a.get(id); sb += b.get(id); abs += Math.abs(a.get(id)) + Math.abs(b.get(id)); }
  const cells = await page.$$eval(`[data-mc="compare-totals"] tr[data-key="${key}"] td[data-value]`, (tds) => tds.map((td) => Number(td.dataset.value)));
  assert.equal(await page.getAttribute(`[data-mc="compare-totals"] tr[data-key="${key}"]`, 'data-stat'), 'sum');
  // Each value within 1e-6 relative: the sums within 1e-6 of the sum of magnitudes.
  assert.ok(Math.abs(cells[0] - sa) <= 1e-6 * abs && Math.abs(cells[1] - sb) <= 1e-6 * abs, `totals ${cells} vs ${sa}, ${sb}`);
  assert.ok(Math.abs(cells[2] - (sa - sb)) <= 1e-6 * abs, `A−B total ${cells[2]} vs ${sa - sb}`);
});

test('per-year A − B equals the difference of the two runs\' mine_year.csv', { skip }, async () => {
  const { page } = session;
  const key = 'damage.mine_year.nep_change_rel_gC_m2_yr';
  const v = island.header.variables.find((x) => x.key === key);
  assert.ok(v && v.years, `${key} is not a per-year variable of the island`);
  const year = v.years[Math.floor(v.years.length / 2)];
  const st = await page.evaluate(([k, y]) => window.__mc.compare.show(k, y).then(() => window.__mc.compare.state()), [key, year]);
  assert.equal(st.year, year);
  const a = perMineYear(path.join(resultsA, 'tables', 'mine_year.csv'), 'nep_change_rel_gC_m2_yr');
  const b = perMineYear(path.join(resultsB, 'tables', 'mine_year.csv'), 'nep_change_rel_gC_m2_yr');
  let compared = 0;
  st.ids.forEach((id, i) => {
    const x = a.get(`${id}|${year}`) ?? NaN, y = b.get(`${id}|${year}`) ?? NaN;
    // Per-year values are f32 in the island (1e-6 relative each).
    const tol = 2e-6 * Math.max(1, Math.abs(x), Math.abs(y));
    if (!Number.isFinite(x - y)) { assert.equal(st.diff[i], null, `${id} ${year}: ${st.diff[i]} for no value`); return; }
    assert.ok(Math.abs(st.diff[i] - (x - y)) <= tol, `${id} ${year}: A−B ${st.diff[i]} vs ${x - y}`);
    compared++;
  });
  assert.ok(compared > 100, `only ${compared} mines compared`);
  assert.equal(await page.textContent('[data-mc="compare-year-label"]'), String(year));
});

test('a real click on the A − B map shows the mine\'s A, B, A − B in its class colour', { skip }, async () => {
  const { page } = session;
  const key = 'damage.mines.nep_change_rel_last_MgC_yr';
  const st = await page.evaluate((k) => window.__mc.compare.show(k).then(() => window.__mc.compare.state()), key);
  const a = perMine(path.join(resultsA, 'tables', 'mines.csv'), 'nep_change_rel_last_MgC_yr');
  const b = perMine(path.join(resultsB, 'tables', 'mines.csv'), 'nep_change_rel_last_MgC_yr');
  // The mine with the largest |A − B|: an end class, far from any edge.
  let i = -1;
  st.diff.forEach((d, k) => { if (d !== null && (i < 0 || Math.abs(d) > Math.abs(st.diff[i]))) i = k; });
  const id = st.ids[i];
  await page.evaluate((m) => window.__mc.compare.fitMine(m), id);
  const pt = await page.evaluate((p) => { const q = window.__mc.compare.map.project(p); return [q.x, q.y]; }, islandPoint(island, i));
  const map = page.locator('[data-mc="compare-map"]');
  const png = await map.screenshot();
  writeFileSync(path.join(WORK_DIR, 'compare-mine.png'), png);
  const box = await map.boundingBox();
  const colour = await page.evaluate(async ({ b64, p, w }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const s = img.width / w;
    return Array.from(ctx.getImageData(Math.round(p[0] * s), Math.round(p[1] * s), 1, 1).data.slice(0, 3));
  }, { b64: png.toString('base64'), p: pt, w: box.width });
  const swatches = await page.evaluate(() => Array.from(document.querySelectorAll('[data-mc="compare-legend"] .mc-swatch'), (s) => s.style.background));
  const k = st.diff[i] < 0 ? 0 : st.edges.length - 2;
  const want = blend(swatches[k].match(/\d+/g).map(Number), LAND, 0.85);
  assert.ok(colour.every((c, j) => Math.abs(c - want[j]) <= 12), `mine ${id}: ${colour} vs class ${k} ${want}`);
  // RdBu: losses red. This variable is not reversed, so a negative A − B (B kept more sink) is red.
  if (st.diff[i] < 0) assert.ok(want[0] > want[2], `negative A − B drawn ${want}, not red`);
  await page.mouse.click(box.x + pt[0], box.y + pt[1]);
  await page.waitForSelector(`[data-mc="compare-mine"][data-mine-id="${id}"]`);
  const shown = await page.$$eval('[data-mc="compare-mine"] td[data-mc]', (tds) => Object.fromEntries(tds.map((td) => [td.dataset.mc, Number(td.dataset.value)])));
  // Within 1e-6 relative each (per-mine numbers, docs/report_island.md).
  assert.ok(close(shown['compare-a'], a.get(id), 1e-6), `A ${shown['compare-a']} vs ${a.get(id)}`);
  assert.ok(close(shown['compare-b'], b.get(id), 1e-6), `B ${shown['compare-b']} vs ${b.get(id)}`);
  assert.ok(Math.abs(shown['compare-diff'] - (a.get(id) - b.get(id))) <= 1e-6 * (Math.abs(a.get(id)) + Math.abs(b.get(id))) + 1e-12);
  // The click also opens the mine's drill-down.
  assert.equal(await page.evaluate(() => window.__mc.panel()?.mine_id), id);
});
