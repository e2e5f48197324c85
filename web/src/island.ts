// Reader of the report's data islands (docs/report_island.md): the mc-meta JSON and the base64 gzip
// binary container "MCI1". Pure functions of bytes and text, so the unit tests round-trip them.

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

export interface BufferSpec { offset: number; length: number; type: BufferType }

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
}

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

export interface Container { header: Header; buffers: TypedArray[] }

export const MAGIC = 'MCI1';
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

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Parses the uncompressed container. Throws with the offset of what is wrong.
export function parseContainer(bytes: Uint8Array): Container {
  if (bytes.length < 8) throw new Error(`data island: ${bytes.length} bytes, shorter than its 8-byte head`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MAGIC) throw new Error(`data island: starts with "${magic}", expected "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length)
    throw new Error(`data island: header of ${headerLength} bytes runs past the end (${bytes.length})`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header;
  // Typed arrays need aligned offsets: copy into an 8-aligned buffer when the view is not.
  const base = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const buffers = header.buffers.map((b, i) => {
    const ctor = CTORS[b.type];
    if (!ctor) throw new Error(`data island: buffer ${i} has unknown type "${b.type}"`);
    if (b.offset % 8 !== 0) throw new Error(`data island: buffer ${i} starts at ${b.offset}, not a multiple of 8`);
    const end = b.offset + b.length * ctor.BYTES_PER_ELEMENT;
    if (end > base.length) throw new Error(`data island: buffer ${i} (${b.offset}..${end}) runs past the end (${base.length})`);
    return new ctor(base.buffer as ArrayBuffer, base.byteOffset + b.offset, b.length) as TypedArray;
  });
  return { header, buffers };
}

export async function decodeDataIsland(base64: string): Promise<Container> {
  return parseContainer(await gunzip(base64ToBytes(base64)));
}

// The value of a numeric variable for one mine (and year index for per-year variables); NaN = none.
export function numericValue(c: Container, v: VariableSpec, mine: number, yearIndex = 0): number {
  if (v.values == null) return NaN;
  const n = c.header.mines.count;
  return Number(c.buffers[v.values][v.years ? yearIndex * n + mine : mine]);
}

// The category of a categorical variable for one mine, or null for no value.
export function categoryValue(c: Container, v: VariableSpec, mine: number, yearIndex = 0): string | null {
  if (v.codes == null || !v.categories) return null;
  const n = c.header.mines.count;
  const code = c.buffers[v.codes][v.years ? yearIndex * n + mine : mine];
  return code === NO_CODE ? null : (v.categories[code] ?? null);
}

export type Ring = [number, number][];
export type Polygon = Ring[];

// The multipolygon of one mine in lon/lat degrees (rings closed for GeoJSON), [] without geometry.
export function minePolygons(c: Container, mine: number): Polygon[] {
  const g = c.header.geometry;
  if (!g || g.mine_parts == null || g.part_rings == null || g.ring_vertices == null || g.coords == null) return [];
  const parts = c.buffers[g.mine_parts], rings = c.buffers[g.part_rings];
  const verts = c.buffers[g.ring_vertices], coords = c.buffers[g.coords];
  const out: Polygon[] = [];
  for (let p = parts[mine]; p < parts[mine + 1]; ++p) {
    const poly: Polygon = [];
    for (let r = rings[p]; r < rings[p + 1]; ++r) {
      const ring: Ring = [];
      let x = 0, y = 0;
      for (let v = verts[r]; v < verts[r + 1]; ++v) {
        x += coords[2 * v];
        y += coords[2 * v + 1];
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
  const pts = c.buffers[g.points];
  const x = pts[2 * mine], y = pts[2 * mine + 1];
  if (x === NO_COORD || y === NO_COORD) return null;
  return [x / g.scale, y / g.scale];
}

export function parseMeta(text: string): Meta {
  const meta = JSON.parse(text) as Meta;
  if (meta.format !== 'minecarbon-report') throw new Error(`mc-meta: format "${meta.format}", expected "minecarbon-report"`);
  return meta;
}
