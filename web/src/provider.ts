// Where the views get their data. The report reads the islands embedded in the page
// (EmbeddedProvider); the server (issue 15) adds an HttpProvider with the same interface.
import {
  categoryValue, decodeDataIsland, minePoint, minePolygons, numericValue, parseMeta,
  type Container, type Meta, type Polygon, type TableSpec, type VariableSpec,
} from './island';

export interface DataProvider {
  readonly meta: Meta;
  readonly mineIds: readonly string[];
  readonly status: readonly string[];
  readonly variables: readonly VariableSpec[];
  readonly geometryKind: 'polygons' | 'points' | 'none';
  indexOf(mineId: string): number;
  value(v: VariableSpec, mine: number, yearIndex?: number): number;
  category(v: VariableSpec, mine: number, yearIndex?: number): string | null;
  table(stage: string, name: string): TableSpec | undefined;
  tables(): readonly TableSpec[];
  polygons(mine: number): Polygon[];
  point(mine: number): [number, number] | null;
  // Providers that fetch their data (the server's HttpProvider, providers/http.ts): values of
  // `v` in year `yearIndex` for every mine before value()/category() read them, and the series of
  // one mine before the drill-down reads them. Each returns null when the data is already there.
  prepare?(v: VariableSpec, yearIndex: number): Promise<void> | null;
  prepareMine?(mine: number): Promise<void> | null;
  // A map of the provider's own (the server's tiles) instead of MineMap's GeoJSON.
  createMap?(host: HTMLElement, onClick: (mine: number) => void): MapView;
}

// What the page needs of a map (map.ts's MineMap, app/tile_map.ts's TileMap).
export interface MapView {
  readonly map: import('maplibre-gl').Map;
  whenLoaded(): Promise<void>;
  update(colours: string[], shown: Set<number> | null): Promise<void>;
  idle(): Promise<void>;
  fit(mines: Iterable<number>): Promise<void>;
  renderedMineIds(): string[];
}

export class ContainerProvider implements DataProvider {
  readonly mineIds: readonly string[];
  readonly status: readonly string[];
  readonly variables: readonly VariableSpec[];
  readonly geometryKind: 'polygons' | 'points' | 'none';
  private readonly index = new Map<string, number>();

  constructor(readonly meta: Meta, private readonly c: Container) {
    const h = c.header;
    this.mineIds = h.mines.ids;
    this.status = h.mines.status;
    this.variables = [...h.variables, ...(h.compare?.variables ?? [])];
    h.mines.ids.forEach((id, i) => this.index.set(id, i));
    const g = h.geometry;
    this.geometryKind = !g ? 'none' : g.mine_parts != null && g.coords != null ? 'polygons' : 'points';
  }
  indexOf(mineId: string): number { return this.index.get(mineId) ?? -1; }
  value(v: VariableSpec, mine: number, yearIndex = 0): number { return numericValue(this.c, v, mine, yearIndex); }
  category(v: VariableSpec, mine: number, yearIndex = 0): string | null { return categoryValue(this.c, v, mine, yearIndex); }
  table(stage: string, name: string): TableSpec | undefined {
    return this.c.header.tables.find((t) => t.stage === stage && t.name === name);
  }
  tables(): readonly TableSpec[] { return this.c.header.tables; }
  polygons(mine: number): Polygon[] { return minePolygons(this.c, mine); }
  point(mine: number): [number, number] | null { return minePoint(this.c, mine); }
}

// Reads <script id="mc-meta"> and <script id="mc-data"> of the page.
export class EmbeddedProvider {
  static async load(doc: Document = document): Promise<ContainerProvider> {
    const metaEl = doc.getElementById('mc-meta');
    const dataEl = doc.getElementById('mc-data');
    if (!metaEl || !dataEl)
      throw new Error('this page holds no report data (no mc-meta / mc-data island): it is the bare template; run `minecarbon report RESULTS_DIR`');
    const meta = parseMeta(metaEl.textContent ?? '');
    const container = await decodeDataIsland(dataEl.textContent ?? '', dataEl.getAttribute('data-encoding'));
    return new ContainerProvider(meta, container);
  }
}

// A table column as numbers (null → NaN) or text.
export function tableColumn(t: TableSpec, column: string): (number | string | null)[] | undefined {
  const i = t.columns.indexOf(column);
  return i < 0 ? undefined : t.data[i];
}
