// Set equality for the maps' "which mines are shown" filters (map.ts, app/tile_map.ts): null is
// "no filter", equal only to null.
export function sameSet(a: Set<number> | null, b: Set<number> | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
