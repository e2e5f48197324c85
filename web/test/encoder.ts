// A small writer of the report's binary island (docs/report_island.md), written from the contract
// independently of src/island.ts, so the tests round-trip the reader against it. Also used by the
// browser tests' fixture page (e2e) through `npm run` only.
import type { BufferType, Header } from '../src/island';

// shuffle: store byte k of every element, then byte k + 1, ... ("codec": "shuffle").
export type Column = { type: BufferType; data: number[]; shuffle?: boolean };

const SIZES: Record<BufferType, number> = { f64: 8, f32: 4, i32: 4, u32: 4, u16: 2, u8: 1 };

// Lays out the header and buffers; header.buffers is filled in here.
// `magic`: "MCI3", or the older "MCI2" the reader still takes.
export function encodeContainer(header: Omit<Header, 'buffers'>, columns: Column[], extraPadding = 0, magic = 'MCI3'): Uint8Array {
  const pad8 = (n: number) => Math.ceil(n / 8) * 8;
  // The header's length depends on the offsets it states: iterate until stable.
  let offsets: number[] = [];
  let json = '';
  for (let pass = 0; pass < 4; ++pass) {
    const full = { ...header, buffers: columns.map((c, i) => ({ offset: offsets[i] ?? 0, length: c.data.length, type: c.type, ...(c.shuffle ? { codec: 'shuffle' as const } : {}) })) };
    json = JSON.stringify(full);
    let at = pad8(8 + new TextEncoder().encode(json).length) + extraPadding;
    const next = columns.map((c) => { const o = at; at = pad8(at + c.data.length * SIZES[c.type]); return o; });
    if (next.every((o, i) => o === offsets[i])) break;
    offsets = next;
  }
  const headerBytes = new TextEncoder().encode(json);
  const total = columns.length ? pad8(offsets[offsets.length - 1] + columns[columns.length - 1].data.length * SIZES[columns[columns.length - 1].type]) : pad8(8 + headerBytes.length);
  const out = new Uint8Array(total);
  const head = new DataView(out.buffer);
  out.set(new TextEncoder().encode(magic), 0);
  head.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  columns.forEach((c, i) => {
    // Written plainly into `bytes`, then shuffled into place if asked.
    const size = SIZES[c.type], n = c.data.length;
    const bytes = new Uint8Array(n * size);
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (const x of c.data) {
      switch (c.type) {
        case 'f64': view.setFloat64(at, x, true); break;
        case 'f32': view.setFloat32(at, x, true); break;
        case 'i32': view.setInt32(at, x, true); break;
        case 'u32': view.setUint32(at, x, true); break;
        case 'u16': view.setUint16(at, x, true); break;
        case 'u8': view.setUint8(at, x); break;
      }
      at += size;
    }
    for (let e = 0; e < n; ++e)
      for (let k = 0; k < size; ++k) out[offsets[i] + (c.shuffle ? k * n + e : e * size + k)] = bytes[e * size + k];
  });
  return out;
}

export async function gzipBase64(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  const gz = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = '';
  for (let i = 0; i < gz.length; i += 0x8000) bin += String.fromCharCode(...gz.subarray(i, i + 0x8000));
  return btoa(bin);
}

// Quantises and delta-codes polygons (rings not closed) into the island's geometry buffers.
export function encodeGeometry(mines: [number, number][][][][], scale: number) {
  const parts = [0], rings = [0], verts = [0], coords: number[] = [];
  for (const mine of mines) {
    for (const poly of mine) {
      for (const ring of poly) {
        let px = 0, py = 0;
        // The first vertex absolute, then zigzag steps: 0, −1, 1, −2 → 0, 1, 2, 3.
        const zigzag = (d: number) => (d < 0 ? -2 * d - 1 : 2 * d);
        ring.forEach(([x, y], k) => {
          const qx = Math.round(x * scale), qy = Math.round(y * scale);
          coords.push(k === 0 ? qx : zigzag(qx - px), k === 0 ? qy : zigzag(qy - py));
          px = qx; py = qy;
        });
        verts.push(coords.length / 2);
      }
      rings.push(verts.length - 1);
    }
    parts.push(rings.length - 1);
  }
  return { parts, rings, verts, coords };
}

// base122 of bytes (docs/report_island.md), bit by bit: 7-bit groups, the excluded ones (NUL, CR,
// '<') written with the next group as U+0100 + (k << 7 | n), or as U+0280 + k when last.
export function base122(bytes: Uint8Array): string {
  const groups: number[] = [];
  const nbits = bytes.length * 8;
  for (let b = 0; b < nbits; b += 7) {
    let g = 0;
    for (let k = 0; k < 7; ++k) g = (g << 1) | (b + k < nbits ? (bytes[(b + k) >> 3] >> (7 - ((b + k) & 7))) & 1 : 0);
    groups.push(g);
  }
  let out = '';
  for (let i = 0; i < groups.length; ++i) {
    const k = [0x00, 0x0d, 0x3c].indexOf(groups[i]);
    if (k < 0) out += String.fromCharCode(groups[i]);
    else if (i + 1 < groups.length) out += String.fromCharCode(0x100 + ((k << 7) | groups[++i]));
    else out += String.fromCharCode(0x280 + k);
  }
  return out;
}

export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
