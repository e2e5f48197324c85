// Merged points of the server's `mine_points` tiles (docs/web_tiles.md): below z 8 the mines
// whose points fall in one pixel come as one feature, that of the lowest mine index, with a uint
// property `count`. Kept apart from tile_map.ts (MapLibre) so that the unit tests can load it.

// From this zoom the map draws the mines' outlines (the `mines` layer) instead of points; the
// server merges points only below it (its kMaxMergedPointZoom = 7).
export const POINTS_MAX_ZOOM = 8;

// How many mines a `mine_points` feature stands for; 1 without a usable `count`.
export function clusterCount(properties: Record<string, unknown> | null | undefined): number {
  const n = Number(properties?.count ?? 1);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

// The zoom a click on a merged point goes to: two levels in (each level halves a pixel, so the
// mines of one pixel spread over up to 4×4), but not past the first zoom with outlines, where
// every mine is its own feature.
export function clusterZoom(zoom: number): number {
  return Math.min(zoom + 2, POINTS_MAX_ZOOM);
}
