// The server's map: MapLibre over the server's own vector tiles (docs/web_tiles.md) instead of the
// report's GeoJSON. Below POINTS_MAX_ZOOM the `mine_points` layer (a z 4 `mines` tile of 45k
// mines is 1.2 MB; the server merges the mines of one pixel into one point with a `count`, and a
// click on such a point zooms in), from it the `mines` polygons. Features carry only mine_id,
// status (and count); colours are feature state keyed by mine_id (promoteId), so a new variable,
// year or scenario sets states and never fetches a tile again. MapLibre's worker is a same-origin
// asset (the server's CSP has worker-src 'self' and connect-src 'self', no blob: fetches).
import { Map as MlMap, LngLatBounds, setWorkerUrl, type MapMouseEvent, type FilterSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { landGeoJSON } from '../basemap';
import type { MapView } from '../provider';
import { sameSet } from '../sets';
import { POINTS_MAX_ZOOM, clusterCount, clusterZoom } from './cluster';

export { POINTS_MAX_ZOOM };
const LAYERS = ['mines-fill', 'mines-line', 'mines-circle'];
const COLOUR = ['coalesce', ['feature-state', 'c'], '#bdbdbd'] as unknown as string;

export interface TileData {
  readonly runId: string;
  readonly mineIds: readonly string[];
  indexOf(mineId: string): number;
  bounds(mine: number): [number, number, number, number] | null;
}

let workerSet = false;

export class TileMap implements MapView {
  readonly map: MlMap;
  private readonly loaded: Promise<void>;
  private colours: string[] = [];
  private shown: Set<number> | null = null;
  private filterSet = false;

  constructor(host: HTMLElement, private readonly data: TileData, onClick: (mine: number) => void) {
    if (!workerSet) { setWorkerUrl(new URL(workerUrl, location.href).href); workerSet = true; }
    const base = `${location.origin}/api/runs/${encodeURIComponent(data.runId)}/tiles`;
    this.map = new MlMap({
      container: host,
      attributionControl: false,
      renderWorldCopies: false,
      maxZoom: 18,
      style: {
        version: 8,
        sources: {
          land: { type: 'geojson', data: landGeoJSON() },
          points: { type: 'vector', tiles: [`${base}/mine_points/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 16, promoteId: 'mine_id' },
          mines: { type: 'vector', tiles: [`${base}/mines/{z}/{x}/{y}.mvt`], minzoom: POINTS_MAX_ZOOM, maxzoom: 16, promoteId: 'mine_id' },
        },
        layers: [
          { id: 'background', type: 'background', paint: { 'background-color': '#dce8f2' } },
          { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f3f1ec', 'fill-outline-color': '#c8c4bb' } },
          { id: 'mines-fill', type: 'fill', source: 'mines', 'source-layer': 'mines', minzoom: POINTS_MAX_ZOOM, paint: { 'fill-color': COLOUR, 'fill-opacity': 0.85 } },
          { id: 'mines-line', type: 'line', source: 'mines', 'source-layer': 'mines', minzoom: POINTS_MAX_ZOOM, paint: { 'line-color': '#333', 'line-width': 0.6 } },
          {
            id: 'mines-circle', type: 'circle', source: 'points', 'source-layer': 'mine_points', maxzoom: POINTS_MAX_ZOOM,
            paint: { 'circle-color': COLOUR, 'circle-radius': 5, 'circle-stroke-color': '#333', 'circle-stroke-width': 0.6 },
          },
        ],
      },
      bounds: [-170, -58, 180, 78],
    });
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.map.on('click', (e: MapMouseEvent) => {
      const hit = this.map.queryRenderedFeatures(e.point, { layers: LAYERS });
      if (!hit.length) return;
      // A point standing for several mines in one pixel (`count`, docs/web_tiles.md): zoom in
      // towards them rather than open the one that represents them.
      if (clusterCount(hit[0].properties) > 1) {
        this.map.easeTo({ center: e.lngLat, zoom: clusterZoom(this.map.getZoom()) });
        return;
      }
      const i = this.data.indexOf(String(hit[0].properties.mine_id));
      if (i >= 0) onClick(i);
    });
    for (const layer of LAYERS) {
      this.map.on('mouseenter', layer, () => { this.map.getCanvas().style.cursor = 'pointer'; });
      this.map.on('mouseleave', layer, () => { this.map.getCanvas().style.cursor = ''; });
    }
  }

  async whenLoaded(): Promise<void> { await this.loaded; }

  async update(colours: string[], shown: Set<number> | null): Promise<void> {
    await this.loaded;
    const shownChanged = !this.filterSet || !sameSet(shown, this.shown);
    if (shownChanged) {
      this.shown = shown;
      this.filterSet = true;
      const filter: FilterSpecification | null = shown
        ? ['in', ['get', 'mine_id'], ['literal', [...shown].map((i) => this.data.mineIds[i])]] as FilterSpecification
        : null;
      for (const layer of LAYERS) this.map.setFilter(layer, filter);
    }
    for (let i = 0; i < colours.length; ++i) {
      if (colours[i] === this.colours[i]) continue;
      const id = this.data.mineIds[i];
      this.map.setFeatureState({ source: 'points', sourceLayer: 'mine_points', id }, { c: colours[i] });
      this.map.setFeatureState({ source: 'mines', sourceLayer: 'mines', id }, { c: colours[i] });
    }
    this.colours = colours.slice();
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }

  async fit(mines: Iterable<number>): Promise<void> {
    await this.loaded;
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (const i of mines) {
      const b = this.data.bounds(i);
      if (!b) continue;
      w = Math.min(w, b[0]); s = Math.min(s, b[1]); e = Math.max(e, b[2]); n = Math.max(n, b[3]);
    }
    if (w <= e) this.map.fitBounds(new LngLatBounds([w, s], [e, n]), { padding: 40, animate: false, maxZoom: 14 });
    await this.idle();
  }

  renderedMineIds(): string[] {
    const ids = new Set<string>();
    for (const f of this.map.queryRenderedFeatures({ layers: LAYERS })) ids.add(String(f.properties.mine_id));
    return [...ids].sort();
  }
}

