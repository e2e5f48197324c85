// The base map: Natural Earth 1:110m land (data/basemap/, public domain), inlined at build time as
// TopoJSON and decoded here to GeoJSON. TopoJSON: arcs are delta-coded integer positions, scaled
// by transform (x·scale + translate); an arc index i < 0 means arc ~i reversed; consecutive arcs
// of a ring share their joint point, so each arc after the first drops its first position.
import land from '../../data/basemap/ne_110m_land.topo.json';

interface Topology {
  transform?: { scale: [number, number]; translate: [number, number] };
  arcs: [number, number][][];
  objects: Record<string, { type: string; geometries: { type: string; arcs: number[][] | number[][][] }[] }>;
}

export function decodeArcs(topo: Topology): [number, number][][] {
  const t = topo.transform;
  return topo.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => {
      if (!t) return [dx, dy] as [number, number];
      x += dx; y += dy;
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]] as [number, number];
    });
  });
}

export function topologyToGeoJSON(topo: Topology, object: string): GeoJSON.FeatureCollection {
  const arcs = decodeArcs(topo);
  const ring = (indexes: number[]) => {
    const out: [number, number][] = [];
    indexes.forEach((i, k) => {
      const pts = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      out.push(...(k === 0 ? pts : pts.slice(1)));
    });
    return out;
  };
  const features: GeoJSON.Feature[] = topo.objects[object].geometries.map((g) => ({
    type: 'Feature',
    properties: {},
    geometry: g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: (g.arcs as number[][]).map(ring) }
      : { type: 'MultiPolygon', coordinates: (g.arcs as number[][][]).map((p) => p.map(ring)) },
  }));
  return { type: 'FeatureCollection', features };
}

export function landGeoJSON(): GeoJSON.FeatureCollection {
  return topologyToGeoJSON(land as unknown as Topology, 'land');
}
