#include "minecarbon/geo/ogr_polygons.h"

#include <ogr_geometry.h>

namespace minecarbon::geo {
namespace {

Ring to_ring(const OGRLinearRing* ring) {
  Ring out;
  const int n = ring->getNumPoints();
  out.reserve(static_cast<std::size_t>(n));
  for (int idx = 0; idx < n; ++idx)
    out.push_back({ring->getX(idx), ring->getY(idx)});
  return out;
}

}  // namespace

void append_polygons(const OGRGeometry& geometry, MultiPolygon& out) {
  switch (wkbFlatten(geometry.getGeometryType())) {
    case wkbPolygon: {
      const auto* polygon = geometry.toPolygon();
      if (polygon->IsEmpty()) return;
      Polygon p;
      p.exterior = to_ring(polygon->getExteriorRing());
      for (int idx = 0; idx < polygon->getNumInteriorRings(); ++idx)
        p.holes.push_back(to_ring(polygon->getInteriorRing(idx)));
      out.push_back(std::move(p));
      return;
    }
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      const auto* collection = geometry.toGeometryCollection();
      for (int idx = 0; idx < collection->getNumGeometries(); ++idx)
        append_polygons(*collection->getGeometryRef(idx), out);
      return;
    }
    default:
      return;
  }
}

}  // namespace minecarbon::geo
