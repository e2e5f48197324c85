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
  const [, attributes, text] = /<script type="application\/octet-stream" id="mc-data"([^>]*)>([\s\S]*?)<\/script>/.exec(html);
  const bytes = gunzipSync(attributes.includes('data-encoding="base122"') ? base122Decode(text) : Buffer.from(text, 'base64'));
  if (!['MCI2', 'MCI3'].includes(bytes.toString('latin1', 0, 4))) throw new Error('data island: bad magic');
  const headerLength = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength));
  const ctors = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array };
  // Each buffer's elements, its byte planes put back together when shuffled.
  const buffers = header.buffers.map((b) => {
    const size = ctors[b.type].BYTES_PER_ELEMENT, n = b.length;
    const out = new Uint8Array(n * size);
    for (let e = 0; e < n; ++e)
      for (let k = 0; k < size; ++k) out[e * size + k] = bytes[b.offset + (b.codec === 'shuffle' ? k * n + e : e * size + k)];
    return new ctors[b.type](out.buffer, 0, n);
  });
  return { meta, header, buffers };
}

// base122 (docs/report_island.md): 7-bit groups; U+0100 + (k << 7 | n) is excluded group k
// (NUL, CR, '<') then group n; U+0280 + k the excluded group k last. Whole bytes only.
function base122Decode(text) {
  const excluded = [0x00, 0x0d, 0x3c];
  const groups = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) groups.push(c);
    else if (c >= 0x280) groups.push(excluded[c - 0x280]);
    else groups.push(excluded[(c - 0x100) >> 7], (c - 0x100) & 0x7f);
  }
  const out = Buffer.alloc(Math.floor((groups.length * 7) / 8));
  let bit = 0;
  for (const g of groups) {
    for (let k = 6; k >= 0; --k, ++bit) if (bit >> 3 < out.length && (g >> k) & 1) out[bit >> 3] |= 0x80 >> (bit & 7);
  }
  return out;
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
  out.write('MCI2', 0, 'latin1');
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
