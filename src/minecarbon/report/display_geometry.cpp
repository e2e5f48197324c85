#include "minecarbon/report/display_geometry.h"
#include "minecarbon/core/nan.h"

#include <geos_c.h>

#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <stdexcept>

namespace minecarbon::report {
namespace {

// One GEOS handle per thread: the report finds its points on several workers.
GEOSContextHandle_t geos_handle() {
  struct Handle {
    GEOSContextHandle_t h = GEOS_init_r();
    ~Handle() { GEOS_finish_r(h); }
  };
  thread_local Handle handle;
  return handle.h;
}

struct Deleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos_handle(), g); }
};
using GeosPtr = std::unique_ptr<GEOSGeometry, Deleter>;

bool is_closed(const geo::Ring& ring) {
  return ring.front().x == ring.back().x && ring.front().y == ring.back().y;
}

GEOSGeometry* make_ring(GEOSContextHandle_t h, const geo::Ring& ring) {
  const bool closed = is_closed(ring);
  const unsigned n = static_cast<unsigned>(ring.size() + (closed ? 0 : 1));
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, n, 2);
  for (unsigned i = 0; i < ring.size(); ++i)
    GEOSCoordSeq_setXY_r(h, seq, i, ring[i].x, ring[i].y);
  if (!closed) GEOSCoordSeq_setXY_r(h, seq, n - 1, ring[0].x, ring[0].y);
  return GEOSGeom_createLinearRing_r(h, seq);
}

// Rings of fewer than three distinct vertices are left out: GEOS cannot build them, and they
// cover nothing.
GeosPtr to_geos(const geo::MultiPolygon& shape) {
  GEOSContextHandle_t h = geos_handle();
  std::vector<GEOSGeometry*> polygons;
  for (const geo::Polygon& p : shape) {
    if (p.exterior.size() < 3) continue;
    std::vector<GEOSGeometry*> holes;
    for (const geo::Ring& hole : p.holes)
      if (hole.size() >= 3) holes.push_back(make_ring(h, hole));
    polygons.push_back(GEOSGeom_createPolygon_r(h, make_ring(h, p.exterior), holes.data(),
                                                static_cast<unsigned>(holes.size())));
  }
  GEOSGeometry* g = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polygons.data(),
                                                static_cast<unsigned>(polygons.size()));
  if (!g) throw std::runtime_error("GEOS could not build a multipolygon");
  return GeosPtr(g);
}

geo::Ring from_geos_ring(GEOSContextHandle_t h, const GEOSGeometry* ring) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  geo::Ring out(n);
  for (unsigned i = 0; i < n; ++i)
    GEOSCoordSeq_getXY_r(h, seq, i, &out[i].x, &out[i].y);
  return out;
}

void append(GEOSContextHandle_t h, const GEOSGeometry* g, geo::MultiPolygon& out) {
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g)) return;
    geo::Polygon p;
    p.exterior = from_geos_ring(h, GEOSGetExteriorRing_r(h, g));
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i)
      p.holes.push_back(from_geos_ring(h, GEOSGetInteriorRingN_r(h, g, i)));
    out.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i)
      append(h, GEOSGetGeometryN_r(h, g, i), out);
  }
}

bool has_area(const geo::MultiPolygon& shape) {
  for (const geo::Polygon& p : shape)
    if (p.exterior.size() >= 3) return true;
  return false;
}

}  // namespace

geo::XY point_on_surface(const geo::MultiPolygon& shape) {
  if (!has_area(shape)) return {kNaN, kNaN};
  GEOSContextHandle_t h = geos_handle();
  const GeosPtr g = to_geos(shape);
  const GeosPtr point(GEOSPointOnSurface_r(h, g.get()));
  geo::XY xy{kNaN, kNaN};
  if (point && !GEOSisEmpty_r(h, point.get())) {
    GEOSGeomGetX_r(h, point.get(), &xy.x);
    GEOSGeomGetY_r(h, point.get(), &xy.y);
  }
  return xy;
}

geo::XY point_on_surface_or_centre(const geo::MultiPolygon& shape) {
  const geo::XY xy = point_on_surface(shape);
  if (std::isfinite(xy.x) || shape.empty()) return xy;
  const geo::Bounds b = geo::bounds(shape);
  if (!std::isfinite(b.x_min)) return xy;
  return {0.5 * (b.x_min + b.x_max), 0.5 * (b.y_min + b.y_max)};
}

double approx_area_km2(const geo::MultiPolygon& shape) {
  if (!has_area(shape)) return 0.0;
  const geo::Bounds b = geo::bounds(shape);
  const double lat = 0.5 * (b.y_min + b.y_max) * std::numbers::pi / 180.0;
  const double km_per_deg = kMetresPerDegree / 1000.0;
  return geo::planar_area(shape) * km_per_deg * km_per_deg * std::cos(lat);
}

geo::MultiPolygon simplify_for_display(const geo::MultiPolygon& shape, double tolerance_deg,
                                       double area_km2, double keep_area_km2,
                                       double max_area_change) {
  if (!has_area(shape) || !(tolerance_deg > 0)) return shape;
  GEOSContextHandle_t h = geos_handle();
  const GeosPtr g = to_geos(shape);
  const double area = geo::planar_area(shape);
  double tolerance = tolerance_deg;
  for (int attempt = 0; attempt < 12; ++attempt, tolerance /= 2) {
    const GeosPtr simple(GEOSTopologyPreserveSimplify_r(h, g.get(), tolerance));
    if (!simple) break;
    geo::MultiPolygon out;
    append(h, simple.get(), out);
    if (!has_area(out)) continue;
    if (area_km2 >= keep_area_km2 &&
        std::abs(geo::planar_area(out) - area) > max_area_change * std::abs(area))
      continue;
    return out;
  }
  return shape;
}

double hausdorff_distance(const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
  GEOSContextHandle_t h = geos_handle();
  const GeosPtr ga = to_geos(a);
  const GeosPtr gb = to_geos(b);
  double d = kNaN;
  if (!GEOSHausdorffDistance_r(h, ga.get(), gb.get(), &d))
    throw std::runtime_error("GEOS could not compute a Hausdorff distance");
  return d;
}

}  // namespace minecarbon::report
