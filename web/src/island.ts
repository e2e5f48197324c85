// Reader of the report's data islands (docs/report_island.md): the mc-meta JSON and the gzip'd
// binary container "MCI3" (or the older "MCI2", whose every field MCI3 reads alike), as base122
// or base64 text. Pure functions of bytes and text, so the unit tests round-trip them.
// Buffers are decoded (un-shuffled, predictions undone) only when first read and then kept, so
// the first map pays only for the variables it draws.

export type Palette = 'sequential' | 'diverging' | 'categorical';
export type BufferType = 'f64' | 'f32' | 'i32' | 'u32' | 'u16' | 'u8';
export type TypedArray =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

export interface Meta {
  format: string;
  version: number;
  title: string;
  lang: 'en' | 'zh';
  minecarbon_version: string;
  command: string;
  created: string;
  stages: { stage: string; summary: Record<string, unknown> }[];
  warnings: { stage: string; message: string }[];
  geometry: { kind: 'full' | 'simplified' | 'centroids' | 'none'; tolerance_m: number; source: string; note: string };
  compare: null | { label_a: string; label_b: string };
  licences: { name: string; licence: string }[];
}

export interface BufferSpec { offset: number; length: number; type: BufferType; codec?: 'shuffle' }

export interface VariableSpec {
  key: string;
  stage: string;
  table: string;
  column: string;
  unit: string;
  label: { en: string; zh: string };
  description: string;
  palette: Palette;
  reversed?: boolean; // diverging with positive = a loss: colours high-to-low (losses red)
  years: number[] | null;
  values?: number | null;
  categories?: string[] | null;
  codes?: number | null;
  missing: number;
  breaks?: { method: string; edges: number[] } | null;
  // Per-mine numbers stored as the integers value · 10^decimals (f64): value = stored / 10^decimals.
  decimals?: number;
  // Per-year series whose `values` buffer (u32) holds its f32 bits XOR a prediction's.
  predict?: Predict | null;
}

export type Predict =
  | { op: 'scale'; of: string; factor?: number; factors?: number }
  | { op: 'sub'; of: [string, string] }
  | { op: 'base'; of: string; year_index: number };

export interface TableSpec {
  stage: string;
  name: string;
  columns: string[];
  numeric: boolean[];
  rows: number;
  data: (number | string | null)[][];
}

export interface GeometrySpec {
  scale: number;
  points: number;
  mine_parts?: number;
  part_rings?: number;
  ring_vertices?: number;
  coords?: number;
}

export interface Header {
  buffers: BufferSpec[];
  mines: { count: number; ids: string[]; status: string[] };
  variables: VariableSpec[];
  tables: TableSpec[];
  geometry?: GeometrySpec | null;
  compare?: { variables: VariableSpec[] } | null;
}

// A parsed container: the header, and its buffers decoded on first use.
export interface Container {
  header: Header;
  buffer(index: number): TypedArray;
  // A numeric variable's values: per mine (f64 or f32), or per year mine-major ([mine * years + y], f32).
  values(v: VariableSpec): Float64Array | Float32Array;
}

export const MAGIC = 'MCI3';
// Older containers this reader still takes: MCI2 differs only in what the writer chose (per-mine
// numbers f64, coordinates × 1e6), which the header states.
export const OLDER_MAGIC = ['MCI2'];
export const NO_CODE = 65535;
export const NO_COORD = -2147483648;

const CTORS = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array,
} as const;

export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(clean);
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; ++i) out[i] = bin.charCodeAt(i);
  return out;
}

// The island's base122 text (docs/report_island.md, C++ report/base122.h): 7-bit groups, most
// significant bit first; a character below U+0080 is one group, U+0100 + (k << 7 | n) is the
// excluded group k (0x00, 0x0D, 0x3C) followed by group n, U+0280 + k the excluded group k last.
// Whole bytes only: the padding of the last group never makes one.
const EXCLUDED = [0x00, 0x0d, 0x3c];
export function base122ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(Math.ceil((text.length * 14) / 8));
  // One loop without calls: 20 M characters at 45,000 mines.
  let acc = 0, bits = 0, n = 0;
  for (let i = 0; i < text.length; ++i) {
    const c = text.charCodeAt(i);
    let groups: number, count: number;
    if (c < 0x80) {
      if (c === 0x00 || c === 0x0d || c === 0x3c) throw new Error(`data island: base122 text holds the excluded character ${c} at ${i}`);
      groups = c; count = 1;
    } else if (c >= 0x100 && c < 0x280) {
      groups = (EXCLUDED[(c - 0x100) >> 7] << 7) | ((c - 0x100) & 0x7f); count = 2;
    } else if (c >= 0x280 && c < 0x283) {
      groups = EXCLUDED[c - 0x280]; count = 1;
    } else {
      throw new Error(`data island: base122 text holds U+${c.toString(16).padStart(4, '0')} at ${i}, which it never writes`);
    }
    acc = ((acc << (7 * count)) | groups) & 0x3fffff;
    bits += 7 * count;
    while (bits >= 8) { bits -= 8; out[n++] = (acc >> bits) & 0xff; }
  }
  return out.subarray(0, n);
}

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Parses the uncompressed container. Throws with the offset of what is wrong.
export function parseContainer(bytes: Uint8Array): Container {
  if (bytes.length < 8) throw new Error(`data island: ${bytes.length} bytes, shorter than its 8-byte head`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MAGIC && !OLDER_MAGIC.includes(magic)) throw new Error(`data island: starts with "${magic}", expected "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length)
    throw new Error(`data island: header of ${headerLength} bytes runs past the end (${bytes.length})`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header;
  header.buffers.forEach((b, i) => {
    const ctor = CTORS[b.type];
    if (!ctor) throw new Error(`data island: buffer ${i} has unknown type "${b.type}"`);
    if (b.offset % 8 !== 0) throw new Error(`data island: buffer ${i} starts at ${b.offset}, not a multiple of 8`);
    if (b.codec !== undefined && b.codec !== 'shuffle') throw new Error(`data island: buffer ${i} has unknown codec "${String(b.codec)}"`);
    const end = b.offset + b.length * ctor.BYTES_PER_ELEMENT;
    if (end > bytes.length) throw new Error(`data island: buffer ${i} (${b.offset}..${end}) runs past the end (${bytes.length})`);
  });
  return new LazyContainer(header, bytes);
}

class LazyContainer implements Container {
  private readonly decoded = new Map<number, TypedArray>();
  private readonly series = new Map<string, Float64Array | Float32Array>();
  private readonly byKey = new Map<string, VariableSpec>();

  constructor(readonly header: Header, private readonly bytes: Uint8Array) {
    for (const v of [...header.variables, ...(header.compare?.variables ?? [])]) this.byKey.set(v.key, v);
  }

  buffer(index: number): TypedArray {
    let out = this.decoded.get(index);
    if (!out) {
      const spec = this.header.buffers[index];
      if (!spec) throw new Error(`data island: no buffer ${index}`);
      out = decodeBuffer(this.bytes, spec);
      this.decoded.set(index, out);
    }
    return out;
  }

  values(v: VariableSpec): Float64Array | Float32Array {
    let out = this.series.get(v.key);
    if (!out) {
      if (v.values == null) throw new Error(`data island: variable ${v.key} has no values`);
      out = v.predict ? this.predicted(v, v.predict) : (this.buffer(v.values) as Float64Array | Float32Array);
      if (v.decimals) {
        // Integers of value · 10^decimals: one division gives back the writer's exact double.
        const p10 = Number(`1e${v.decimals}`), scaled = new Float64Array(out.length);
        for (let i = 0; i < out.length; ++i) scaled[i] = out[i] / p10;
        out = scaled;
      }
      this.series.set(v.key, out);
    }
    return out;
  }

  private operand(key: string): Float32Array {
    const v = this.byKey.get(key);
    if (!v) throw new Error(`data island: a prediction names no variable "${key}"`);
    return this.values(v) as Float32Array;
  }

  // bits = residual XOR bits(prediction); the prediction is one double operation on f32 operands
  // rounded to f32 (the writer's report/island_predict.h), a NaN prediction counting as 0.
  private predicted(v: VariableSpec, p: Predict): Float32Array {
    const residual = this.buffer(v.values!) as Uint32Array;
    const years = v.years?.length ?? 1;
    const out = new Float32Array(residual.length);
    const outBits = new Uint32Array(out.buffer);
    const one = new Float32Array(1), oneBits = new Uint32Array(one.buffer);
    const n = residual.length;
    const put = (i: number, prediction: number) => {
      one[0] = prediction;
      outBits[i] = (residual[i] ^ (Number.isNaN(prediction) ? 0 : oneBits[0])) >>> 0;
    };
    if (p.op === 'scale') {
      const a = this.operand(p.of);
      const factors = p.factors != null ? (this.buffer(p.factors) as Float64Array) : null;
      const factor = p.factor ?? NaN;
      for (let i = 0; i < n; ++i) put(i, (factors ? factors[Math.floor(i / years)] : factor) * a[i]);
    } else if (p.op === 'sub') {
      const a = this.operand(p.of[0]), b = this.operand(p.of[1]);
      for (let i = 0; i < n; ++i) put(i, a[i] - b[i]);
    } else if (p.op === 'base') {
      const a = this.operand(p.of);
      for (let i = 0; i < n; ++i) put(i, a[i] - a[i - (i % years) + p.year_index]);
    } else {
      throw new Error(`data island: variable ${v.key} has an unknown prediction "${(p as { op: string }).op}"`);
    }
    return out;
  }
}

// One buffer as its typed array: un-shuffled ("codec": "shuffle": byte k of element i at
// k * length + i), or a copy of its bytes.
export function decodeBuffer(bytes: Uint8Array, spec: BufferSpec): TypedArray {
  const ctor = CTORS[spec.type];
  const size = ctor.BYTES_PER_ELEMENT, n = spec.length;
  const raw = bytes.subarray(spec.offset, spec.offset + n * size);
  if (spec.codec !== 'shuffle' || size === 1) {
    // A view where the bytes are aligned for the type, else a copy.
    if (raw.byteOffset % size === 0) return new ctor(raw.buffer as ArrayBuffer, raw.byteOffset, n) as TypedArray;
    return new ctor(raw.slice().buffer as ArrayBuffer, 0, n) as TypedArray;
  }
  const out = new Uint8Array(n * size);
  for (let k = 0; k < size; ++k) {
    const plane = raw.subarray(k * n, (k + 1) * n);
    for (let i = 0, j = k; i < n; ++i, j += size) out[j] = plane[i];
  }
  return new ctor(out.buffer, 0, n) as TypedArray;
}

// `encoding`: the data script's data-encoding attribute ("base122"), or none for base64.
export async function decodeDataIsland(text: string, encoding?: string | null): Promise<Container> {
  if (encoding && encoding !== 'base122') throw new Error(`data island: unknown data-encoding "${encoding}"`);
  return parseContainer(await gunzip(encoding ? base122ToBytes(text) : base64ToBytes(text)));
}

// The value of a numeric variable for one mine (and year index for per-year variables); NaN = none.
export function numericValue(c: Container, v: VariableSpec, mine: number, yearIndex = 0): number {
  if (v.values == null) return NaN;
  const values = c.values(v);
  return values[v.years ? mine * v.years.length + yearIndex : mine];
}

// One mine's values over the years of a per-year variable (a view, no copy): what the drill-down
// draws. A per-mine variable gives its one value.
export function mineSeries(c: Container, v: VariableSpec, mine: number): Float32Array | Float64Array {
  const values = c.values(v);
  const years = v.years?.length ?? 1;
  return values.subarray(mine * years, (mine + 1) * years);
}

// The category of a categorical variable for one mine, or null for no value.
export function categoryValue(c: Container, v: VariableSpec, mine: number, yearIndex = 0): string | null {
  if (v.codes == null || !v.categories) return null;
  const code = c.buffer(v.codes)[v.years ? mine * v.years.length + yearIndex : mine];
  return code === NO_CODE ? null : (v.categories[code] ?? null);
}

export type Ring = [number, number][];
export type Polygon = Ring[];

// 0, 1, 2, 3, ... → 0, −1, 1, −2, ... (the i32 read as its u32 bits).
export function unzigzag(z: number): number {
  const u = z >>> 0;
  return u & 1 ? -((u >>> 1) + 1) : u >>> 1;
}

// The multipolygon of one mine in lon/lat degrees (rings closed for GeoJSON), [] without geometry.
export function minePolygons(c: Container, mine: number): Polygon[] {
  const g = c.header.geometry;
  if (!g || g.mine_parts == null || g.part_rings == null || g.ring_vertices == null || g.coords == null) return [];
  const parts = c.buffer(g.mine_parts), rings = c.buffer(g.part_rings);
  const verts = c.buffer(g.ring_vertices), coords = c.buffer(g.coords);
  const out: Polygon[] = [];
  for (let p = parts[mine]; p < parts[mine + 1]; ++p) {
    const poly: Polygon = [];
    for (let r = rings[p]; r < rings[p + 1]; ++r) {
      const ring: Ring = [];
      let x = 0, y = 0;
      for (let v = verts[r]; v < verts[r + 1]; ++v) {
        // The first vertex absolute, then zigzag steps (bit 0 the sign).
        x = v === verts[r] ? coords[2 * v] : x + unzigzag(coords[2 * v]);
        y = v === verts[r] ? coords[2 * v + 1] : y + unzigzag(coords[2 * v + 1]);
        ring.push([x / g.scale, y / g.scale]);
      }
      if (ring.length > 0) ring.push([ring[0][0], ring[0][1]]);
      poly.push(ring);
    }
    out.push(poly);
  }
  return out;
}

// The point on the surface of one mine, or null.
export function minePoint(c: Container, mine: number): [number, number] | null {
  const g = c.header.geometry;
  if (!g || g.points == null) return null;
  const pts = c.buffer(g.points);
  const x = pts[2 * mine], y = pts[2 * mine + 1];
  if (x === NO_COORD || y === NO_COORD) return null;
  return [x / g.scale, y / g.scale];
}

export function parseMeta(text: string): Meta {
  const meta = JSON.parse(text) as Meta;
  if (meta.format !== 'minecarbon-report') throw new Error(`mc-meta: format "${meta.format}", expected "minecarbon-report"`);
  return meta;
}
