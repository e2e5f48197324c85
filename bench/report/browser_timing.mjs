// Times a report in headless chromium (Debian's, through web/'s playwright-core, with the browser
// tests' flags): the first map idle (window.__mc.ready: data decoded, views built, first idle of
// the map) and the drill-down (a table-row click until the mine's panel is drawn), and the same
// first idle for the peer: a page holding the ogr2ogr GeoJSON of the same mines plainly, drawn by
// the same MapLibre as a fill and an outline layer over the same base map view.
//
//   node bench/report/browser_timing.mjs REPORT.html PEER.geojson [RUNS]
//
// Prints one JSON line per run and then the medians. Every run is a new browser context (a cold
// page); the peer page is written next to the GeoJSON as peer.html.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '..', '..', 'web');
const require = createRequire(path.join(web, 'package.json'));
const { chromium } = require('playwright-core');

const [reportFile, geojsonFile, runsArg] = process.argv.slice(2);
if (!reportFile || !geojsonFile) {
  console.error('usage: browser_timing.mjs REPORT.html PEER.geojson [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const ARGS = ['--enable-unsafe-swiftshader', '--disable-gpu', '--no-sandbox', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

// The peer page: MapLibre's own module and worker from blobs (as the report does), the GeoJSON
// inline as JSON text, a fill and a line layer; resolves window.__peer when the map is first idle.
function writePeerPage() {
  const dist = path.join(web, 'node_modules', 'maplibre-gl', 'dist');
  const lib = readFileSync(path.join(dist, 'maplibre-gl.mjs'), 'utf8');
  const worker = readFileSync(path.join(dist, 'maplibre-gl-worker.mjs'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const css = readFileSync(path.join(dist, 'maplibre-gl.css'), 'utf8');
  const geojson = readFileSync(geojsonFile, 'utf8');
  for (const [name, text] of [['maplibre', lib], ['worker', worker], ['geojson', geojson]])
    if (/<\/script/i.test(text)) throw new Error(`${name} holds </script; cannot inline it`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css} html,body{margin:0} #map{width:1246px;height:560px}</style></head>
<body><div id="map"></div>
<script type="text/plain" id="ml">${lib}</script>
<script type="text/plain" id="mlw">${worker}</script>
<script type="application/json" id="gj">${geojson}</script>
<script type="module">
window.__peer = (async () => {
  const blob = (id) => URL.createObjectURL(new Blob([document.getElementById(id).textContent], { type: 'text/javascript' }));
  const ml = await import(blob('ml'));
  ml.setWorkerUrl(blob('mlw'));
  const data = JSON.parse(document.getElementById('gj').textContent);
  performance.mark('peer:parsed');
  const map = new ml.Map({ container: 'map', attributionControl: false, renderWorldCopies: false, bounds: [-170, -58, 180, 78],
    style: { version: 8, sources: { mines: { type: 'geojson', data } }, layers: [
      { id: 'bg', type: 'background', paint: { 'background-color': '#dce8f2' } },
      { id: 'fill', type: 'fill', source: 'mines', paint: { 'fill-color': '#2166ac', 'fill-opacity': 0.85 } },
      { id: 'line', type: 'line', source: 'mines', paint: { 'line-color': '#333', 'line-width': 0.6 } }] } });
  await new Promise((r) => map.once('idle', r));
  performance.mark('peer:idle');
  return { features: data.features.length };
})();
</script></body></html>`;
  const out = path.resolve(path.dirname(geojsonFile), 'peer.html');
  writeFileSync(out, html);
  return out;
}

const peerFile = writePeerPage();
const browser = await chromium.launch({ executablePath: process.env.MC_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS });
const rows = [];
try {
  for (let r = 0; r < runs; ++r) {
    // The report.
    let ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    let page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${path.resolve(reportFile)}`, { timeout: 300000 });
    await page.waitForFunction(() => window.__mc !== undefined, null, { timeout: 300000 });
    await page.evaluate(() => window.__mc.ready);
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])));
    // Drill-down: five table rows in turn; click to the panel drawn (two animation frames later).
    const drill = [];
    const ids = await page.$$eval('[data-mc="mines-table"] tbody tr', (trs) => trs.slice(0, 40).map((tr) => tr.dataset.mineId));
    for (const id of [ids[3], ids[11], ids[19], ids[27], ids[35]].filter(Boolean)) {
      drill.push(await page.evaluate(async (mine) => {
        const tr = document.querySelector(`[data-mc="mines-table"] tbody tr[data-mine-id="${CSS.escape(mine)}"]`);
        const t0 = performance.now();
        tr.click();
        await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        if (!document.querySelector(`[data-mc="mine-panel"][data-mine-id="${CSS.escape(mine)}"]`)) throw new Error(`no panel for ${mine}`);
        return performance.now() - t0;
      }, id));
    }
    // The drill-down from a row also flies the map there; wait for that before closing.
    await ctx.close();
    // The peer.
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(`peer: ${String(e)}`));
    await page.goto(`file://${peerFile}`, { timeout: 300000 });
    await page.waitForFunction(() => window.__peer !== undefined, null, { timeout: 300000 });
    const peer = await page.evaluate(() => window.__peer);
    const peerMarks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])));
    await ctx.close();
    const row = {
      run: r + 1, report_first_idle_ms: marks['mc:ready'], report_marks: marks,
      drill_down_ms: drill.map((x) => Math.round(x)), drill_down_median_ms: Math.round(median(drill)),
      peer_first_idle_ms: peerMarks['peer:idle'], peer_parsed_ms: peerMarks['peer:parsed'], peer_features: peer.features, errors,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({
  runs,
  median_report_first_idle_ms: median(rows.map((x) => x.report_first_idle_ms)),
  median_drill_down_ms: median(rows.map((x) => x.drill_down_median_ms)),
  median_peer_first_idle_ms: median(rows.map((x) => x.peer_first_idle_ms)),
}));
