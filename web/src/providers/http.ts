// The server's DataProvider (`minecarbon serve`, docs/serve.md): the same interface as the report's
// EmbeddedProvider, over the HTTP API. GET /api/runs/{r}/model gives the island header's shapes,
// the meta and every per-mine value; a per-year variable's values come one year at a time
// (values?var=&year=) and a mine's series with its drill-down (mines/{id}). The map is the
// server's vector tiles (app/tile_map.ts), so no geometry is held here.
import type { Meta, Polygon, TableSpec, VariableSpec } from '../island';
import type { DataProvider, MapView } from '../provider';
import { TileMap } from '../app/tile_map';

// The JSON of GET /api/runs/{r}/model (src/minecarbon/web/api.cpp, model_text).
export interface ModelJson {
  run: string;
  meta: Meta;
  mine_ids: string[];
  mines: { count: number; ids: string[]; status: string[] };
  variables: VariableSpec[];
  tables: TableSpec[];
  attributes: Record<string, (number | string | null)[]>;
  points: ([number, number] | null)[];
  bounds: ([number, number, number, number] | null)[];
  scenario_variables: { key: string; scenarios: string[]; years: number[] | null }[];
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown = null) { super(message); }
}

// GET (or another method) of the API as JSON; the session cookie carries the token.
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const r = await fetch(path, { credentials: 'same-origin', ...init });
  const text = await r.text();
  let body: unknown;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!r.ok) {
    const e = (body as { error?: { message?: string; field?: string } } | null)?.error;
    throw new ApiError(r.status, `${init.method ?? 'GET'} ${path}: ${r.status} ${e?.message ?? text.slice(0, 200)}${e?.field ? ` (${e.field})` : ''}`, body);
  }
  return body as T;
}

const NO_VALUE = (x: number | string | null | undefined): boolean => x === null || x === undefined;

export class HttpProvider implements DataProvider {
  readonly mineIds: readonly string[];
  readonly status: readonly string[];
  readonly variables: readonly VariableSpec[];
  readonly geometryKind: 'polygons' | 'points' | 'none';
  private readonly index = new Map<string, number>();
  // "key|yearIndex" → the values of every mine; per-year variables only (the others are attributes).
  private readonly yearly = new Map<string, (number | string | null)[]>();
  private readonly pending = new Map<string, Promise<void>>();
  // mine → key → the series (per-year variables), from mines/{id}.
  private readonly series = new Map<number, Record<string, (number | string | null)[]>>();

  private constructor(readonly runId: string, readonly meta: Meta, private readonly m: ModelJson) {
    this.mineIds = m.mine_ids;
    this.status = m.mines.status;
    // The island marks a variable's kind by its buffer ("values" or "codes"); over HTTP there is
    // no buffer, the marker alone says numeric or categorical.
    this.variables = m.variables.map((v) => (v.categories ? { ...v, values: null, codes: 0 } : { ...v, values: 0, codes: null }));
    m.mine_ids.forEach((id, i) => this.index.set(id, i));
    this.geometryKind = m.bounds.some((b) => b !== null) ? 'polygons' : 'none';
  }

  static async load(runId: string): Promise<HttpProvider> {
    const m = await api<ModelJson>(`/api/runs/${encodeURIComponent(runId)}/model`);
    return new HttpProvider(runId, m.meta, m);
  }

  indexOf(mineId: string): number { return this.index.get(mineId) ?? -1; }

  private raw(v: VariableSpec, mine: number, yearIndex: number): number | string | null {
    if (!v.years) return this.m.attributes[v.key]?.[mine] ?? null;
    const s = this.series.get(mine)?.[v.key];
    if (s) return s[yearIndex] ?? null;
    return this.yearly.get(`${v.key}|${yearIndex}`)?.[mine] ?? null;
  }

  value(v: VariableSpec, mine: number, yearIndex = 0): number {
    const x = this.raw(v, mine, yearIndex);
    return typeof x === 'number' ? x : NaN;
  }

  category(v: VariableSpec, mine: number, yearIndex = 0): string | null {
    const x = this.raw(v, mine, yearIndex);
    return NO_VALUE(x) ? null : String(x);
  }

  table(stage: string, name: string): TableSpec | undefined {
    return this.m.tables.find((t) => t.stage === stage && t.name === name);
  }
  tables(): readonly TableSpec[] { return this.m.tables; }
  polygons(): Polygon[] { return []; }
  point(mine: number): [number, number] | null { return this.m.points[mine] ?? null; }
  bounds(mine: number): [number, number, number, number] | null { return this.m.bounds[mine] ?? null; }

  prepare(v: VariableSpec, yearIndex: number): Promise<void> | null {
    if (!v.years) return null;
    const key = `${v.key}|${yearIndex}`;
    if (this.yearly.has(key)) return null;
    let p = this.pending.get(key);
    if (!p) {
      const q = new URLSearchParams({ var: v.key, year: String(v.years[yearIndex]) });
      p = api<{ values: (number | string | null)[] }>(`/api/runs/${encodeURIComponent(this.runId)}/values?${q}`)
        .then((r) => { this.yearly.set(key, r.values); })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  prepareMine(mine: number): Promise<void> | null {
    if (this.series.has(mine) || mine < 0) return null;
    const key = `mine|${mine}`;
    let p = this.pending.get(key);
    if (!p) {
      const id = encodeURIComponent(this.mineIds[mine]);
      p = api<{ series: Record<string, { values: (number | string | null)[] }> }>(`/api/runs/${encodeURIComponent(this.runId)}/mines/${id}`)
        .then((r) => { this.series.set(mine, Object.fromEntries(Object.entries(r.series).map(([k, s]) => [k, s.values]))); })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  createMap(host: HTMLElement, onClick: (mine: number) => void): MapView {
    return new TileMap(host, this, onClick);
  }
}
