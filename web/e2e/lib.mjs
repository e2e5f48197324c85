// Shared by the browser tests: Debian's chromium through playwright-core, the report's island
// decoded in Node (independently of web/src), and a fixture report filled by a small JS writer of
// the island (docs/report_island.md).
import { chromium } from 'playwright-core';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE_DIR = process.env.MC_SOURCE_DIR ?? path.resolve(WEB_DIR, '..');
export const WORK_DIR = process.env.MC_E2E_WORK ?? path.join(WEB_DIR, 'e2e', 'artifacts');
mkdirSync(WORK_DIR, { recursive: true });

export function chromiumPath() {
  for (const p of [process.env.MC_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && existsSync(p)) return p;
  return null;
}

export const CHROMIUM_ARGS = [
  '--enable-unsafe-swiftshader', '--disable-gpu', '--no-sandbox', '--disable-background-networking',
  '--disable-component-update', '--no-first-run',
];

export async function launch(extraArgs = []) {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

// Opens `file` and records every request URL; resolves when window.__mc.ready has settled.
export async function openReport(browser, file, hash = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const requests = [];
  const consoleErrors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`file://${file}${hash}`);
  await page.waitForFunction(() => window.__mc !== undefined, null, { timeout: 30000 });
  await page.evaluate(() => window.__mc.ready);
  return { context, page, requests, consoleErrors };
}

// The islands of a report file, decoded here with Node's zlib.
export function readIslands(html) {
  const meta = JSON.parse(/<script type="application\/json" id="mc-meta">([\s\S]*?)<\/script>/.exec(html)[1]);
  const b64 = /<script type="application\/octet-stream" id="mc-data">([\s\S]*?)<\/script>/.exec(html)[1];
  const bytes = gunzipSync(Buffer.from(b64, 'base64'));
  if (bytes.toString('latin1', 0, 4) !== 'MCI1') throw new Error('data island: bad magic');
  const headerLength = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength));
  const ctors = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array };
  const copy = new Uint8Array(bytes); // 8-aligned
  const buffers = header.buffers.map((b) => new ctors[b.type](copy.buffer, b.offset, b.length));
  return { meta, header, buffers };
}

// The island's point on the surface of mine `i` (lon, lat).
export function islandPoint(island, i) {
  const g = island.header.geometry;
  const pts = island.buffers[g.points];
  return [pts[2 * i] / g.scale, pts[2 * i + 1] / g.scale];
}

// Parses a CSV without quoted fields into header and rows.
export function readCsv(file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length);
  const header = lines[0].split(',');
  return { header, rows: lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [header[k], v]))) };
}

// ---- a fixture report (no C++ needed) ----
const SIZES = { f64: 8, f32: 4, i32: 4, u32: 4, u16: 2, u8: 1 };

export function encodeIsland(header, columns) {
  const pad8 = (n) => Math.ceil(n / 8) * 8;
  let offsets = columns.map(() => 0), json = '';
  for (let pass = 0; pass < 4; ++pass) {
    json = JSON.stringify({ ...header, buffers: columns.map((c, i) => ({ offset: offsets[i], length: c.data.length, type: c.type })) });
    let at = pad8(8 + Buffer.byteLength(json));
    const next = columns.map((c) => { const o = at; at = pad8(at + c.data.length * SIZES[c.type]); return o; });
    if (next.every((o, i) => o === offsets[i])) break;
    offsets = next;
  }
  const last = columns.length - 1;
  const out = Buffer.alloc(pad8(offsets[last] + columns[last].data.length * SIZES[columns[last].type]));
  out.write('MCI1', 0, 'latin1');
  out.writeUInt32LE(Buffer.byteLength(json), 4);
  out.write(json, 8, 'utf8');
  const w = { f64: 'writeDoubleLE', f32: 'writeFloatLE', i32: 'writeInt32LE', u32: 'writeUInt32LE', u16: 'writeUInt16LE', u8: 'writeUInt8' };
  columns.forEach((c, i) => c.data.forEach((x, k) => out[w[c.type]](x, offsets[i] + k * SIZES[c.type])));
  return gzipSync(out).toString('base64');
}

export function fillTemplate(template, meta, base64) {
  const json = JSON.stringify(meta).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return template
    .replace('<!--MC_META-->', () => `<script type="application/json" id="mc-meta">${json}</script>`)
    .replace('<!--MC_DATA-->', () => `<script type="application/octet-stream" id="mc-data">${base64}</script>`);
}
