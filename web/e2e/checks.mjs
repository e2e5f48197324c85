// Checks shared by the fixture test and the demo report test.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORK_DIR } from './lib.mjs';

export function assertOffline(requests) {
  const bad = requests.filter((u) => !/^(file|blob|data):/.test(u));
  assert.deepEqual(bad, [], `requests other than file:, blob:, data: ${bad.join(', ')}`);
}

export async function mcErrors(page) {
  return page.evaluate(() => window.__mc.errors.slice());
}

// Clicks with the real mouse at lon/lat and returns the panel data.
export async function clickAt(page, lonlat) {
  const xy = await page.evaluate((p) => { const pt = window.__mc.map.project(p); return [pt.x, pt.y]; }, lonlat);
  const box = await page.locator('[data-mc="map"] canvas').boundingBox();
  await page.mouse.click(box.x + xy[0], box.y + xy[1]);
  await page.waitForSelector('[data-mc="mine-panel"][data-mine-id]');
  return page.evaluate(() => window.__mc.panel());
}

// Downloads the table's CSV and returns its text.
export async function downloadCsv(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-mc="download-csv"]')]);
  const file = path.join(WORK_DIR, `download-${Date.now()}.csv`);
  await download.saveAs(file);
  return readFileSync(file, 'utf8');
}

// A screenshot of the map, kept as an artifact, read back as RGBA in a blank page (no PNG decoder
// needed in Node). Returns the fraction of pixels that differ from `background` and the colours at
// `points` (CSS pixels of the map).
export async function mapPixels(browser, page, name, background, points = []) {
  const map = page.locator('[data-mc="map"]');
  const png = await map.screenshot();
  writeFileSync(path.join(WORK_DIR, `${name}.png`), png);
  const box = await map.boundingBox();
  const blank = await browser.newPage();
  const result = await blank.evaluate(async ({ b64, bg, pts, cssWidth }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let differ = 0;
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 24) differ++;
    const scale = img.width / cssWidth;
    const colours = pts.map(([x, y]) => { const k = 4 * (Math.round(y * scale) * c.width + Math.round(x * scale)); return [d[k], d[k + 1], d[k + 2]]; });
    return { fraction: differ / (d.length / 4), colours };
  }, { b64: png.toString('base64'), bg: background, pts: points, cssWidth: box.width });
  await blank.close();
  return result;
}

export async function project(page, lonlat) {
  return page.evaluate((p) => { const q = window.__mc.map.project(p); return [q.x, q.y]; }, lonlat);
}

export const hex = (h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
// MapLibre fill at opacity `a` over `under`.
export const blend = (c, under, a) => c.map((x, k) => Math.round(a * x + (1 - a) * under[k]));
export const LAND = hex('#f3f1ec');
