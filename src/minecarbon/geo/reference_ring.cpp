#include "minecarbon/geo/reference_ring.h"

#include <geos_c.h>
#include <proj.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <numeric>
#include <unordered_map>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/progress.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::geo {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
// Generous metres-per-degree bound for the neighbour search (a degree of latitude is ≥ 110.5 km).
constexpr double kMinMetresPerDegLat = 110000.0;

// One worker's GEOS and PROJ handles.
struct Workspace {
  GEOSContextHandle_t geos = GEOS_init_r();
  PJ_CONTEXT* proj = proj_context_create();
  ~Workspace() {
    GEOS_finish_r(geos);
    proj_context_destroy(proj);
  }
};

// Azimuthal equidistant projection centred on (lon0, lat0) on WGS84, in PROJ's "Guam" ellipsoidal
// form for small areas: 15× cheaper per vertex than the exact geodesic form, and distances are
// true to 3 cm at 6 km from a point 3 km off-centre, at latitudes up to 75° (measured against
// GeographicLib; PROJ documents the form as accurate within 200 km of the centre).
class LocalProjection {
 public:
  LocalProjection(PJ_CONTEXT* ctx, double lon0_deg, double lat0_deg) {
    char definition[200];
    std::snprintf(definition, sizeof definition,
                  "+proj=aeqd +guam +lat_0=%.12f +lon_0=%.12f +ellps=WGS84 +units=m", lat0_deg,
                  lon0_deg);
    pj_ = proj_create(ctx, definition);
    if (!pj_) throw RunError(std::string("PROJ cannot create ") + definition);
  }
  ~LocalProjection() { proj_destroy(pj_); }
  LocalProjection(const LocalProjection&) = delete;
  LocalProjection& operator=(const LocalProjection&) = delete;

  void forward(Ring& ring) const { run(ring, PJ_FWD); }
  void inverse(Ring& ring) const { run(ring, PJ_INV); }

 private:
  void run(Ring& ring, PJ_DIRECTION direction) const {
    if (ring.empty()) return;
    if (direction == PJ_FWD)
      for (auto& p : ring)
        p = {p.x * kDeg, p.y * kDeg};
    proj_trans_generic(pj_, direction, &ring[0].x, sizeof(XY), ring.size(), &ring[0].y, sizeof(XY),
                       ring.size(), nullptr, 0, 0, nullptr, 0, 0);
    if (direction == PJ_INV)
      for (auto& p : ring)
        p = {p.x / kDeg, p.y / kDeg};
  }
  PJ* pj_ = nullptr;
};

MultiPolygon project(const MultiPolygon& shape, const LocalProjection& projection, bool forward) {
  MultiPolygon out = shape;
  for (auto& polygon : out) {
    forward ? projection.forward(polygon.exterior) : projection.inverse(polygon.exterior);
    for (auto& hole : polygon.holes)
      forward ? projection.forward(hole) : projection.inverse(hole);
  }
  return out;
}

struct GeosDeleter {
  GEOSContextHandle_t handle;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(handle, g); }
};
using GeosPtr = std::unique_ptr<GEOSGeometry, GeosDeleter>;

GEOSGeometry* to_geos_ring(GEOSContextHandle_t h, const Ring& ring) {
  const bool closed = ring.front().x == ring.back().x && ring.front().y == ring.back().y;
  const unsigned n = static_cast<unsigned>(ring.size() + (closed ? 0 : 1));
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, n, 2);
  for (unsigned idx = 0; idx < ring.size(); ++idx)
    GEOSCoordSeq_setXY_r(h, seq, idx, ring[idx].x, ring[idx].y);
  if (!closed) GEOSCoordSeq_setXY_r(h, seq, n - 1, ring[0].x, ring[0].y);
  return GEOSGeom_createLinearRing_r(h, seq);
}

GeosPtr to_geos(GEOSContextHandle_t h, const MultiPolygon& shape) {
  std::vector<GEOSGeometry*> polygons;
  for (const auto& polygon : shape) {
    if (polygon.exterior.size() < 3) continue;
    std::vector<GEOSGeometry*> holes;
    for (const auto& hole : polygon.holes)
      if (hole.size() >= 3) holes.push_back(to_geos_ring(h, hole));
    polygons.push_back(GEOSGeom_createPolygon_r(h, to_geos_ring(h, polygon.exterior), holes.data(),
                                                static_cast<unsigned>(holes.size())));
  }
  return GeosPtr(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polygons.data(),
                                             static_cast<unsigned>(polygons.size())),
                 GeosDeleter{h});
}

Ring from_geos_ring(GEOSContextHandle_t h, const GEOSGeometry* ring) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  Ring out(n);
  for (unsigned idx = 0; idx < n; ++idx)
    GEOSCoordSeq_getXY_r(h, seq, idx, &out[idx].x, &out[idx].y);
  return out;
}

void append_from_geos(GEOSContextHandle_t h, const GEOSGeometry* g, MultiPolygon& out) {
  const int type = GEOSGeomTypeId_r(h, g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(h, g)) return;
    Polygon p;
    p.exterior = from_geos_ring(h, GEOSGetExteriorRing_r(h, g));
    const int n_holes = GEOSGetNumInteriorRings_r(h, g);
    for (int idx = 0; idx < n_holes; ++idx)
      p.holes.push_back(from_geos_ring(h, GEOSGetInteriorRingN_r(h, g, idx)));
    out.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int idx = 0; idx < n; ++idx)
      append_from_geos(h, GEOSGetGeometryN_r(h, g, idx), out);
  }
}

GeosPtr checked(GEOSContextHandle_t h, GEOSGeometry* g, const std::string& id, const char* step) {
  if (!g) throw DataError("mine " + id + ": GEOS failed to compute its " + step);
  return GeosPtr(g, GeosDeleter{h});
}

// buffer(zone, r), or the buffer of the zone's convex hull when that is provably the same set to
// within `budget_m` (the hull costs a tenth of buffering a concave polygon; most mines take it).
// buffer(hull, r) adds to buffer(zone, r) only points near a pocket: behind a hull edge AB of
// length L that bridges one, the zone's chain of vertices A = v_0 … v_m = B encloses it, h_k
// being the depth of v_k below AB:
// (a) a point beyond AB: it is within r of the edge, so within √(r² + L²/4) of A or B (both zone
//     vertices), an overshoot of at most √(r² + L²/4) − r;
// (b) a point inside the pocket: straight down from it, towards the chain, it leaves the pocket
//     through the chain, within max h_k; and the pocket (a polygon on the chain's vertices) lies
//     in the disc around A, or B, that holds the chain. Overshoot: min(max h_k, reach) − r.
// A bay behind a narrow mouth fails (b): the hull would fill it, and the ring would reach into the
// bay beyond outer_m (issue 10's concave-mine defect; (a) alone let it through). A zone with
// holes never takes the hull, which fills them.
GeosPtr outer_buffer(GEOSContextHandle_t h, const GEOSGeometry* zone, double r, int quad_segs,
                     double budget_m, const std::string& id, bool& used_hull) {
  used_hull = false;
  auto exact = [&] { return checked(h, GEOSBuffer_r(h, zone, r, quad_segs), id, "outer buffer"); };
  const GEOSGeometry* polygon = zone;
  if (GEOSGeomTypeId_r(h, zone) == GEOS_MULTIPOLYGON && GEOSGetNumGeometries_r(h, zone) == 1)
    polygon = GEOSGetGeometryN_r(h, zone, 0);
  if (GEOSGeomTypeId_r(h, polygon) != GEOS_POLYGON || GEOSGetNumInteriorRings_r(h, polygon) != 0)
    return exact();
  const Ring ring = from_geos_ring(h, GEOSGetExteriorRing_r(h, polygon));
  if (ring.size() < 4) return exact();
  GeosPtr hull = checked(h, GEOSConvexHull_r(h, polygon), id, "convex hull");
  if (GEOSGeomTypeId_r(h, hull.get()) != GEOS_POLYGON) return exact();
  const Ring hull_ring = from_geos_ring(h, GEOSGetExteriorRing_r(h, hull.get()));
  // Hull vertex -> position on the zone's ring (hull vertices are zone vertices, in the same
  // cyclic order): the pocket behind a hull edge is the ring between consecutive positions.
  const std::size_t n_ring = ring.size() - 1;
  std::map<std::pair<double, double>, std::size_t> position;
  for (std::size_t k = 0; k < n_ring; ++k)
    position[{ring[k].x, ring[k].y}] = k;
  std::vector<std::size_t> hull_positions;
  for (std::size_t k = 0; k + 1 < hull_ring.size(); ++k) {
    auto it = position.find({hull_ring[k].x, hull_ring[k].y});
    if (it == position.end()) return exact();  // not expected; stay safe
    hull_positions.push_back(it->second);
  }
  std::vector<std::size_t> sorted = hull_positions;
  std::sort(sorted.begin(), sorted.end());
  auto next_hull_position = [&](std::size_t pos) {
    auto it = std::upper_bound(sorted.begin(), sorted.end(), pos);
    return it == sorted.end() ? sorted.front() : *it;
  };
  double worst = 0.0;
  for (std::size_t k = 0; k < hull_positions.size(); ++k) {
    std::size_t from = hull_positions[k];
    std::size_t to = hull_positions[(k + 1) % hull_positions.size()];
    if (next_hull_position(from) != to) {  // the chain runs the other way round the ring
      if (next_hull_position(to) != from) return exact();  // repeated vertices; stay safe
      std::swap(from, to);
    }
    if ((from + 1) % n_ring == to) continue;  // a zone edge: no pocket
    const XY a = ring[from];
    const XY b = ring[to];
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    const double ux = (b.x - a.x) / length, uy = (b.y - a.y) / length;
    double max_depth = 0.0, reach_a = length, reach_b = length;
    for (std::size_t v = (from + 1) % n_ring; v != to; v = (v + 1) % n_ring) {
      const double dx = ring[v].x - a.x, dy = ring[v].y - a.y;
      max_depth = std::max(max_depth, std::abs(dx * uy - dy * ux));
      reach_a = std::max(reach_a, std::hypot(dx, dy));
      reach_b = std::max(reach_b, std::hypot(ring[v].x - b.x, ring[v].y - b.y));
    }
    const double beyond = std::sqrt(r * r + 0.25 * length * length) - r;
    const double inside = std::min({max_depth, reach_a, reach_b}) - r;
    worst = std::max({worst, beyond, inside});
    if (worst > budget_m) return exact();
  }
  used_hull = true;
  return checked(h, GEOSBuffer_r(h, hull.get(), r, quad_segs), id, "outer buffer");
}

// Bounding box of what to_geos converts (exteriors of three or more vertices); inverted (x_min >
// x_max) when that is nothing.
Bounds geos_box(const MultiPolygon& shape) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  Bounds b{inf, inf, -inf, -inf};
  for (const auto& polygon : shape) {
    if (polygon.exterior.size() < 3) continue;
    for (const auto& p : polygon.exterior) {
      b.x_min = std::min(b.x_min, p.x);
      b.y_min = std::min(b.y_min, p.y);
      b.x_max = std::max(b.x_max, p.x);
      b.y_max = std::max(b.y_max, p.y);
    }
  }
  return b;
}

XY centre_of(const MultiPolygon& shape) {
  const Bounds b = bounds(shape);
  return {0.5 * (b.x_min + b.x_max), 0.5 * (b.y_min + b.y_max)};
}

}  // namespace

double nominal_sagitta_m(double distance_m, int quad_segs) {
  return distance_m * (1.0 - std::cos(std::numbers::pi / (4.0 * quad_segs)));
}

double arc_tolerance_m(double distance_m, int quad_segs) {
  return distance_m * (1.0 - std::cos(3.0 * std::numbers::pi / (8.0 * quad_segs)));
}

RingSet build_reference_rings(const std::vector<MultiPolygon>& mines_lonlat,
                              const std::vector<std::string>& ids,
                              const std::vector<bool>& build_for, const RingParams& params,
                              const RunContext& context) {
  const std::size_t n = mines_lonlat.size();
  const int workers = std::max(1, context.threads);
  std::vector<std::unique_ptr<Workspace>> spaces(static_cast<std::size_t>(workers));
  auto space = [&](std::size_t worker) -> Workspace& {
    if (!spaces[worker]) spaces[worker] = std::make_unique<Workspace>();
    return *spaces[worker];
  };

  // Step 1: every mine's gap zone, in lon/lat, so neighbours can reuse it, and (for the mines
  // that need a ring) its outer buffer, made from the gap zone as it was stored (taken back
  // from lon/lat) with the same local projection: one projection per mine, whose set-up
  // (proj_create parses its definition) cost as much as projecting the mine's vertices.
  // The hull shortcut may push the outer edge out by one nominal sagitta (see the header).
  const double hull_budget_m = nominal_sagitta_m(params.outer_m - params.gap_m, params.quad_segs);
  std::vector<ReferenceZone> zones(n);
  std::atomic<std::size_t> hull_outer_count{0};
  std::vector<MultiPolygon> gap_zones(n);
  std::vector<Bounds> gap_bounds(n);
  {
    Progress progress(context, "reference rings (1/2: gap zones and outer buffers)", n);
    parallel_for(n, workers, [&](std::size_t idx, std::size_t worker) {
      Workspace& ws = space(worker);
      const XY centre = centre_of(mines_lonlat[idx]);
      LocalProjection local(ws.proj, centre.x, centre.y);
      GeosPtr mine = to_geos(ws.geos, project(mines_lonlat[idx], local, true));
      GeosPtr gap =
          checked(ws.geos, GEOSBuffer_r(ws.geos, mine.get(), params.gap_m, params.quad_segs),
                  ids[idx], "gap buffer");
      MultiPolygon gap_local;
      append_from_geos(ws.geos, gap.get(), gap_local);
      gap_zones[idx] = project(gap_local, local, false);
      gap_bounds[idx] = bounds(gap_zones[idx]);
      if (build_for[idx]) {
        GeosPtr own_gap = to_geos(ws.geos, project(gap_zones[idx], local, true));
        bool used_hull = false;
        GeosPtr outer = outer_buffer(ws.geos, own_gap.get(), params.outer_m - params.gap_m,
                                     params.quad_segs, hull_budget_m, ids[idx], used_hull);
        if (used_hull) ++hull_outer_count;
        MultiPolygon zone_local;
        append_from_geos(ws.geos, outer.get(), zone_local);
        zones[idx].outer = project(zone_local, local, false);
      }
      progress.advance();
    });
  }

  // Neighbour candidates: gap zones whose bounding box comes within the outer distance. A
  // uniform bucket grid over lon/lat is enough for mines (small, many, clustered).
  const double reach_deg = params.outer_m / kMinMetresPerDegLat;
  const double bucket_deg = std::max(0.05, 2.0 * reach_deg);
  auto bucket_key = [&](double lon, double lat) {
    const auto bx = static_cast<std::int64_t>(std::floor(lon / bucket_deg));
    const auto by = static_cast<std::int64_t>(std::floor(lat / bucket_deg));
    return (bx << 32) ^ (by & 0xffffffff);
  };
  std::unordered_map<std::int64_t, std::vector<std::size_t>> buckets;
  for (std::size_t idx = 0; idx < n; ++idx) {
    const Bounds& b = gap_bounds[idx];
    for (double lon = std::floor(b.x_min / bucket_deg) * bucket_deg; lon <= b.x_max;
         lon += bucket_deg)
      for (double lat = std::floor(b.y_min / bucket_deg) * bucket_deg; lat <= b.y_max;
           lat += bucket_deg)
        buckets[bucket_key(lon + 0.5 * bucket_deg, lat + 0.5 * bucket_deg)].push_back(idx);
  }

  Progress progress(context, "reference rings (2/2: neighbours)", n);
  parallel_for(n, workers, [&](std::size_t idx, std::size_t) {
    if (!build_for[idx]) {
      progress.advance();
      return;
    }
    const Bounds& own = gap_bounds[idx];
    // Longitude reach widens towards the poles.
    const double mid_lat = 0.5 * (own.y_min + own.y_max);
    const double lon_reach = reach_deg / std::max(0.01, std::cos(mid_lat * kDeg));
    std::vector<std::size_t> near;
    for (double lon = std::floor((own.x_min - lon_reach) / bucket_deg) * bucket_deg;
         lon <= own.x_max + lon_reach; lon += bucket_deg) {
      for (double lat = std::floor((own.y_min - reach_deg) / bucket_deg) * bucket_deg;
           lat <= own.y_max + reach_deg; lat += bucket_deg) {
        auto it = buckets.find(bucket_key(lon + 0.5 * bucket_deg, lat + 0.5 * bucket_deg));
        if (it == buckets.end()) continue;
        for (std::size_t other : it->second) {
          const Bounds& b = gap_bounds[other];
          if (b.x_max < own.x_min - lon_reach || b.x_min > own.x_max + lon_reach ||
              b.y_max < own.y_min - reach_deg || b.y_min > own.y_max + reach_deg)
            continue;
          near.push_back(other);
        }
      }
    }
    std::sort(near.begin(), near.end());
    near.erase(std::unique(near.begin(), near.end()), near.end());

    zones[idx].cut_candidates = std::move(near);  // includes the mine itself
    progress.advance();
  });
  progress.finish();
  return RingSet{std::move(zones), std::move(gap_zones), hull_outer_count.load()};
}

struct RingCutter::Impl {
  Workspace ws;
};

RingCutter::RingCutter() : impl_(std::make_unique<Impl>()) {}
RingCutter::~RingCutter() = default;

Coverage RingCutter::coverage(const MultiPolygon& outer,
                              const std::vector<const MultiPolygon*>& cuts,
                              const std::vector<const Coverage*>& cut_coverages, const Grid& grid,
                              const std::string& id, CutStats& stats) {
  GEOSContextHandle_t h = impl_->ws.geos;
  Coverage result = compute_coverage(outer, grid);
  if (result.window.empty()) return result;
  GeosPtr outer_g = to_geos(h, outer);
  const GEOSPreparedGeometry* prepared = GEOSPrepare_r(h, outer_g.get());
  // Bounding boxes first: a cut zone whose box misses the outer buffer's cannot intersect it,
  // and one whose box is not within it cannot lie inside it, so GEOS is asked (and the zone
  // converted) only when its answer is not already known. The answers are the same either way.
  const Bounds outer_box = geos_box(outer);
  auto disjoint = [](const Bounds& a, const Bounds& b) {
    return a.x_max < b.x_min || b.x_max < a.x_min || a.y_max < b.y_min || b.y_max < a.y_min;
  };
  std::vector<std::size_t> kept;
  std::vector<GeosPtr> shapes;
  std::vector<Bounds> boxes;
  std::vector<char> inside;
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    const Bounds box = geos_box(*cuts[k]);
    if (!(box.x_min <= box.x_max) || disjoint(box, outer_box)) continue;  // empty or apart
    GeosPtr g = to_geos(h, *cuts[k]);
    if (GEOSPreparedIntersects_r(h, prepared, g.get()) != 1) continue;
    const bool box_within = box.x_min >= outer_box.x_min && box.x_max <= outer_box.x_max &&
                            box.y_min >= outer_box.y_min && box.y_max <= outer_box.y_max;
    inside.push_back(box_within && GEOSPreparedContains_r(h, prepared, g.get()) == 1);
    kept.push_back(k);
    shapes.push_back(std::move(g));
    boxes.push_back(box);
  }
  GEOSPreparedGeom_destroy_r(h, prepared);
  if (kept.size() > 1) ++stats.reached_by_other_mines;
  // Groups of overlapping cut zones (union–find over pairwise intersection; boxes first).
  std::vector<std::size_t> group(kept.size());
  std::iota(group.begin(), group.end(), 0);
  std::function<std::size_t(std::size_t)> root = [&](std::size_t k) {
    return group[k] == k ? k : group[k] = root(group[k]);
  };
  for (std::size_t a = 0; a < kept.size(); ++a)
    for (std::size_t b = a + 1; b < kept.size(); ++b)
      if (!disjoint(boxes[a], boxes[b]) &&
          GEOSIntersects_r(h, shapes[a].get(), shapes[b].get()) == 1)
        group[root(a)] = root(b);
  std::map<std::size_t, std::vector<std::size_t>> members;
  for (std::size_t k = 0; k < kept.size(); ++k)
    members[root(k)].push_back(k);
  for (const auto& [group_root, list] : members) {
    const bool all_inside =
        std::all_of(list.begin(), list.end(), [&](std::size_t k) { return inside[k] != 0; });
    if (list.size() == 1 && all_inside) {
      subtract(result, *cut_coverages[kept[list[0]]]);
      continue;
    }
    ++stats.overlays;
    std::vector<GEOSGeometry*> parts;
    for (std::size_t k : list)
      parts.push_back(GEOSGeom_clone_r(h, shapes[k].get()));
    GeosPtr collection(GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                   static_cast<unsigned>(parts.size())),
                       GeosDeleter{h});
    GeosPtr piece =
        checked(h, GEOSUnaryUnion_r(h, collection.get()), id, "union of overlapping gap zones");
    if (!all_inside)
      piece = checked(h, GEOSIntersection_r(h, piece.get(), outer_g.get()), id,
                      "gap zones clipped to the ring");
    MultiPolygon piece_shape;
    append_from_geos(h, piece.get(), piece_shape);
    if (!piece_shape.empty()) subtract(result, compute_coverage(piece_shape, grid));
  }
  return result;
}

}  // namespace minecarbon::geo
