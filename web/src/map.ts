// The choropleth map: MapLibre GL with the Natural Earth land as the only base map (no tiles, no
// glyphs, no sprites: nothing is fetched), mines as circles below zoom 6 and as polygons from zoom 6.
import { Map as MlMap, LngLatBounds, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerSource from 'maplibre-gl/dist/maplibre-gl-worker.mjs?raw';
import { landGeoJSON } from './basemap';
import type { DataProvider } from './provider';
import { sameSet } from './sets';

export const POLYGON_MIN_ZOOM = 6;
const MINE_LAYERS = ['mines-fill', 'mines-line', 'mines-circle'];
// Colours are feature state (set per mine on the main thread), so a new variable or year recolours
// without re-tiling the GeoJSON in the worker.
const MINE_COLOUR = ['coalesce', ['feature-state', 'c'], '#bdbdbd'] as unknown as string;

let workerUrl: string | null = null;
// MapLibre 6 loads its worker by URL; in a file: page under the report's CSP that URL must be a
// blob: of the worker source inlined in this bundle (worker-src/connect-src blob: data:).
function ensureWorker(): void {
  if (workerUrl) return;
  const source = workerSource.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  workerUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  setWorkerUrl(workerUrl);
}

export function hasWebGL2(): boolean {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}

export class MineMap {
  readonly map: MlMap;
  private polys: (GeoJSON.Feature | null)[] = []; // per mine, built on first need: not for the first idle
  private polyArea: [number, number, number, number] | null = null; // west, south, east, north handed to the worker
  private points: GeoJSON.Feature[] = [];
  private shown: Set<number> | null = null;
  private colours: string[] = [];
  private dataSet = false;
  private readonly bbox: Float64Array; // per mine: west, south, east, north; NaN without geometry
  private readonly outlineInBox: Uint8Array; // 1 once the mine's outline is in its bbox
  private polysSet = false;
  private readonly loaded: Promise<void>;

  constructor(host: HTMLElement, private readonly data: DataProvider, onClick: (mine: number) => void) {
    ensureWorker();
    const circlesOnly = data.geometryKind !== 'polygons';
    this.map = new MlMap({
      container: host,
      attributionControl: false,
      renderWorldCopies: false,
      maxZoom: 16,
      style: {
        version: 8,
        sources: {
          land: { type: 'geojson', data: landGeoJSON() },
          'mine-polys': { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
          'mine-points': { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
        },
        layers: [
          { id: 'background', type: 'background', paint: { 'background-color': '#dce8f2' } },
          { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f3f1ec', 'fill-outline-color': '#c8c4bb' } },
          { id: 'mines-fill', type: 'fill', source: 'mine-polys', minzoom: POLYGON_MIN_ZOOM, paint: { 'fill-color': MINE_COLOUR, 'fill-opacity': 0.85 } },
          { id: 'mines-line', type: 'line', source: 'mine-polys', minzoom: POLYGON_MIN_ZOOM, paint: { 'line-color': '#333', 'line-width': 0.6 } },
          {
            id: 'mines-circle', type: 'circle', source: 'mine-points', ...(circlesOnly ? {} : { maxzoom: POLYGON_MIN_ZOOM }),
            paint: { 'circle-color': MINE_COLOUR, 'circle-radius': 5, 'circle-stroke-color': '#333', 'circle-stroke-width': 0.6 },
          },
        ],
      },
      bounds: [-170, -58, 180, 78],
    });
    this.bbox = new Float64Array(4 * data.mineIds.length).fill(NaN);
    this.outlineInBox = new Uint8Array(data.mineIds.length);
    // Only the points are built now; the outlines (most of the decoding at 45k mines) wait until
    // the map nears zoom 6 or a fit needs a mine's extent.
    for (let i = 0; i < data.mineIds.length; ++i) {
      const pt = data.point(i);
      if (pt) {
        this.points.push({ type: 'Feature', id: i, properties: { i, id: data.mineIds[i] }, geometry: { type: 'Point', coordinates: pt } });
        this.extend(i, pt);
      }
    }
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.map.on('moveend', () => this.ensurePolygons());
    this.map.on('click', (e: MapMouseEvent) => {
      const hit = this.map.queryRenderedFeatures(e.point, { layers: this.activeLayers() });
      if (hit.length) onClick(Number(hit[0].properties.i));
    });
    for (const layer of MINE_LAYERS) {
      this.map.on('mouseenter', layer, () => { this.map.getCanvas().style.cursor = 'pointer'; });
      this.map.on('mouseleave', layer, () => { this.map.getCanvas().style.cursor = ''; });
    }
  }

  private extend(i: number, [x, y]: [number, number]): void {
    const b = this.bbox, k = 4 * i;
    if (!(b[k] <= x)) b[k] = x;
    if (!(b[k + 1] <= y)) b[k + 1] = y;
    if (!(b[k + 2] >= x)) b[k + 2] = x;
    if (!(b[k + 3] >= y)) b[k + 3] = y;
  }

  // The outline of mine i into its bbox (once); returns its multipolygon.
  private outline(i: number): GeoJSON.Position[][][] {
    const mp = this.data.polygons(i);
    if (!this.outlineInBox[i]) {
      for (const p of mp) for (const xy of p[0] ?? []) this.extend(i, xy as [number, number]);
      this.outlineInBox[i] = 1;
    }
    return mp;
  }

  // The outlines of the mines whose extent (its point until its outline is decoded) meets
  // `area`: only these are decoded and handed to the worker, so a fly-to tiles a few hundred
  // outlines, not every mine's.
  private polygonFeatures([w, s, e, n]: [number, number, number, number]): GeoJSON.Feature[] {
    const out: GeoJSON.Feature[] = [];
    const b = this.bbox;
    for (let i = 0; i < this.data.mineIds.length; ++i) {
      const k = 4 * i;
      if (!(b[k] <= e && b[k + 2] >= w && b[k + 1] <= n && b[k + 3] >= s)) continue; // NaN: no geometry
      let f = this.polys[i];
      if (f === undefined) {
        const mp = this.outline(i);
        f = mp.length ? { type: 'Feature', id: i, properties: { i, id: this.data.mineIds[i] }, geometry: { type: 'MultiPolygon', coordinates: mp } } : null;
        this.polys[i] = f;
      }
      if (f) out.push(f);
    }
    return out;
  }

  private activeLayers(): string[] {
    return MINE_LAYERS.filter((l) => this.map.getLayer(l));
  }

  async whenLoaded(): Promise<void> { await this.loaded; }

  // Colours per mine index and the mines shown (null = all, after the table filter).
  async update(colours: string[], shown: Set<number> | null): Promise<void> {
    await this.loaded;
    const shownChanged = !sameSet(shown, this.shown) || !this.dataSet;
    this.shown = shown;
    if (shownChanged) {
      this.dataSet = true;
      this.polysSet = false;
      (this.map.getSource('mine-points') as GeoJSONSource).setData(this.collection(this.points));
      this.ensurePolygons();
    }
    const sources = this.data.geometryKind === 'polygons' ? ['mine-points', 'mine-polys'] : ['mine-points'];
    for (let i = 0; i < colours.length; ++i) {
      if (colours[i] === this.colours[i] && !shownChanged) continue;
      for (const source of sources) this.map.setFeatureState({ source, id: i }, { c: colours[i] });
    }
    this.colours = colours.slice();
  }

  private collection(fs: GeoJSON.Feature[]): GeoJSON.FeatureCollection {
    return { type: 'FeatureCollection', features: this.shown ? fs.filter((f) => this.shown!.has(f.id as number)) : fs };
  }

  // Polygons are tiled only once the map gets near the zoom that shows them (at world zoom only
  // the circles are drawn), and only those around the view: the view and half of it again on
  // every side, plus 0.1° for outlines reaching beyond their points. A move within that area
  // keeps them; a move out of it hands the worker the outlines around the new view.
  private ensurePolygons(): void {
    if (this.data.geometryKind !== 'polygons' || !this.dataSet) return;
    if (this.map.getZoom() < POLYGON_MIN_ZOOM - 1) return;
    const v = this.map.getBounds();
    const w = v.getWest(), s = v.getSouth(), e = v.getEast(), n = v.getNorth();
    const a = this.polyArea;
    if (this.polysSet && a && w >= a[0] && s >= a[1] && e <= a[2] && n <= a[3]) return;
    const dx = (e - w) / 2 + 0.1, dy = (n - s) / 2 + 0.1;
    this.polyArea = [w - dx, s - dy, e + dx, n + dy];
    this.polysSet = true;
    (this.map.getSource('mine-polys') as GeoJSONSource).setData(this.collection(this.polygonFeatures(this.polyArea)));
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }

  private bounds(mines: Iterable<number>): LngLatBounds | null {
    let w = Infinity, so = Infinity, e = -Infinity, n = -Infinity;
    for (const i of mines) {
      if (this.data.geometryKind === 'polygons' && !this.outlineInBox[i]) this.outline(i);
      if (!(this.bbox[4 * i] <= this.bbox[4 * i + 2])) continue; // NaN: no geometry
      w = Math.min(w, this.bbox[4 * i]); so = Math.min(so, this.bbox[4 * i + 1]);
      e = Math.max(e, this.bbox[4 * i + 2]); n = Math.max(n, this.bbox[4 * i + 3]);
    }
    return w <= e ? new LngLatBounds([w, so], [e, n]) : null;
  }

  async fit(mines: Iterable<number>): Promise<void> {
    await this.loaded;
    const b = this.bounds(mines);
    if (b) this.map.fitBounds(b, { padding: 40, animate: false, maxZoom: 14 });
    this.ensurePolygons();
    await this.idle();
  }

  renderedMineIds(): string[] {
    const ids = new Set<string>();
    for (const f of this.map.queryRenderedFeatures({ layers: this.activeLayers() })) ids.add(String(f.properties.id));
    return [...ids].sort();
  }
}

