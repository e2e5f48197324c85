// The choropleth map: MapLibre GL with the Natural Earth land as the only base map (no tiles, no
// glyphs, no sprites: nothing is fetched), mines as circles below zoom 6 and as polygons from zoom 6.
import { Map as MlMap, LngLatBounds, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerSource from 'maplibre-gl/dist/maplibre-gl-worker.mjs?raw';
import { landGeoJSON } from './basemap';
import type { DataProvider } from './provider';

export const POLYGON_MIN_ZOOM = 6;
const MINE_LAYERS = ['mines-fill', 'mines-line', 'mines-circle'];

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
  private polys: GeoJSON.Feature[] = [];
  private points: GeoJSON.Feature[] = [];
  private shown: Set<number> | null = null;
  private colours: string[] = [];
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
          { id: 'mines-fill', type: 'fill', source: 'mine-polys', minzoom: POLYGON_MIN_ZOOM, paint: { 'fill-color': ['get', 'c'], 'fill-opacity': 0.85 } },
          { id: 'mines-line', type: 'line', source: 'mine-polys', minzoom: POLYGON_MIN_ZOOM, paint: { 'line-color': '#333', 'line-width': 0.6 } },
          {
            id: 'mines-circle', type: 'circle', source: 'mine-points', ...(circlesOnly ? {} : { maxzoom: POLYGON_MIN_ZOOM }),
            paint: { 'circle-color': ['get', 'c'], 'circle-radius': 5, 'circle-stroke-color': '#333', 'circle-stroke-width': 0.6 },
          },
        ],
      },
      bounds: [-170, -58, 180, 78],
    });
    for (let i = 0; i < data.mineIds.length; ++i) {
      const props = { i, id: data.mineIds[i], c: '#bdbdbd' };
      const pt = data.point(i);
      if (pt) this.points.push({ type: 'Feature', id: i, properties: props, geometry: { type: 'Point', coordinates: pt } });
      if (data.geometryKind === 'polygons') {
        const mp = data.polygons(i);
        if (mp.length) this.polys.push({ type: 'Feature', id: i, properties: props, geometry: { type: 'MultiPolygon', coordinates: mp } });
      }
    }
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.map.on('click', (e: MapMouseEvent) => {
      const hit = this.map.queryRenderedFeatures(e.point, { layers: this.activeLayers() });
      if (hit.length) onClick(Number(hit[0].properties.i));
    });
    for (const layer of MINE_LAYERS) {
      this.map.on('mouseenter', layer, () => { this.map.getCanvas().style.cursor = 'pointer'; });
      this.map.on('mouseleave', layer, () => { this.map.getCanvas().style.cursor = ''; });
    }
  }

  private activeLayers(): string[] {
    return MINE_LAYERS.filter((l) => this.map.getLayer(l));
  }

  async whenLoaded(): Promise<void> { await this.loaded; }

  // Colours per mine index and the mines shown (null = all, after the table filter).
  async update(colours: string[], shown: Set<number> | null): Promise<void> {
    this.colours = colours;
    this.shown = shown;
    await this.loaded;
    const paint = (fs: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({
      type: 'FeatureCollection',
      features: fs
        .filter((f) => !this.shown || this.shown.has(f.id as number))
        .map((f) => ({ ...f, properties: { ...f.properties, c: this.colours[f.id as number] ?? '#bdbdbd' } })),
    });
    (this.map.getSource('mine-polys') as GeoJSONSource).setData(paint(this.polys));
    (this.map.getSource('mine-points') as GeoJSONSource).setData(paint(this.points));
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }

  private bounds(mines: Iterable<number>): LngLatBounds | null {
    const b = new LngLatBounds();
    let any = false;
    for (const i of mines) {
      const polys = this.data.geometryKind === 'polygons' ? this.data.polygons(i) : [];
      for (const p of polys) for (const [x, y] of p[0] ?? []) { b.extend([x, y]); any = true; }
      const pt = this.data.point(i);
      if (pt) { b.extend(pt); any = true; }
    }
    return any ? b : null;
  }

  async fit(mines: Iterable<number>): Promise<void> {
    await this.loaded;
    const b = this.bounds(mines);
    if (b) this.map.fitBounds(b, { padding: 40, animate: false, maxZoom: 14 });
    await this.idle();
  }

  renderedMineIds(): string[] {
    const ids = new Set<string>();
    for (const f of this.map.queryRenderedFeatures({ layers: this.activeLayers() })) ids.add(String(f.properties.id));
    return [...ids].sort();
  }
}
