// Reference rings on shapes whose buffers have closed-form areas. GEOS draws a buffer of a square
// of side s at distance r with quad_segs q as the square, four r × s strips and four corner arcs
// that together make a regular 4q-gon inscribed in the circle of radius r:
//   A(s, r) = s² + 4·s·r + 2q·r²·sin(π / 2q).
#include "minecarbon/geo/reference_ring.h"

#include <geos_c.h>
#include <gtest/gtest.h>
#include <proj.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::geo {
namespace {

double buffered_square_m2(double side_m, double r_m, int quad_segs) {
  return side_m * side_m + 4 * side_m * r_m +
         2.0 * quad_segs * r_m * r_m * std::sin(std::numbers::pi / (2.0 * quad_segs));
}

// A square of side_m metres centred at (lon, lat), as lon/lat degrees (local scale at its centre;
// the geodesic area of the result, not side_m², is what the tests compare against).
MultiPolygon square(double lon, double lat, double side_m) {
  const double half_lat = 0.5 * side_m / 110574.0;
  const double half_lon = 0.5 * side_m / (111320.0 * std::cos(lat * std::numbers::pi / 180));
  return {Polygon{{{lon - half_lon, lat - half_lat},
                   {lon + half_lon, lat - half_lat},
                   {lon + half_lon, lat + half_lat},
                   {lon - half_lon, lat + half_lat}},
                  {}}};
}

// Area of a mine's ring as the damage stage sees it: the cutter's coverage on a fine lon/lat
// grid (0.001°), times the true cell areas.
struct RingArea {
  double area_m2 = 0;
  RingCutter::CutStats stats;
};
RingArea ring_area(const RingSet& set, std::size_t mine) {
  const Bounds b = bounds(set.zones[mine].outer);
  constexpr double kCell = 0.001;
  const Grid grid{std::floor(b.x_min / kCell) * kCell - kCell,
                  std::ceil(b.y_max / kCell) * kCell + kCell,
                  kCell,
                  kCell,
                  static_cast<std::int64_t>((b.y_max - b.y_min) / kCell) + 4,
                  static_cast<std::int64_t>((b.x_max - b.x_min) / kCell) + 4};
  std::vector<const MultiPolygon*> cuts;
  std::vector<Coverage> covs;
  for (std::size_t gap : set.zones[mine].cut_candidates) {
    cuts.push_back(&set.gap_zones[gap]);
    covs.push_back(compute_coverage(set.gap_zones[gap], grid));
  }
  std::vector<const Coverage*> cov_ptrs;
  for (const auto& c : covs)
    cov_ptrs.push_back(&c);
  RingArea out;
  RingCutter cutter;
  const Coverage ring =
      cutter.coverage(set.zones[mine].outer, cuts, cov_ptrs, grid, "test", out.stats);
  const auto cell_area = cell_area_by_row_m2(grid, true);
  for (std::int64_t r = 0; r < ring.window.rows; ++r)
    for (std::int64_t c = 0; c < ring.window.cols; ++c)
      out.area_m2 += ring.frac[static_cast<std::size_t>(r * ring.window.cols + c)] *
                     cell_area[static_cast<std::size_t>(ring.window.row0 + r)];
  return out;
}

RunContext quiet() {
  RunContext context;
  context.quiet = true;
  return context;
}

TEST(ReferenceRing, LoneSquareMineGetsTheAnnulusBetweenItsTwoBuffers) {
  const MultiPolygon mine = square(30.0, 0.0, 1000.0);  // on the equator
  const double side = std::sqrt(geodesic_area_m2(mine));
  RingParams params;  // 5000 m outer, 500 m gap, 8 segments per quarter
  RingSet set = build_reference_rings({mine}, {"A"}, {true}, params, quiet());
  ASSERT_EQ(set.zones.size(), 1u);
  EXPECT_EQ(set.hull_outer, 1u);  // a square's gap zone is convex
  ASSERT_EQ(set.zones[0].cut_candidates, std::vector<std::size_t>{0});
  // The gap zone is buffered once: the closed form holds to the projection round trip.
  const double gap = geodesic_area_m2(set.gap_zones[0]);
  EXPECT_NEAR(gap, buffered_square_m2(side, 500, 8), 1e-5 * gap);
  // The outer edge is buffer(buffer(mine, 500), 4500), whose corner arcs are segmented twice, so
  // it meets the one-step closed form only to the arc tolerance (0.5 % of the area).
  const double outer = geodesic_area_m2(set.zones[0].outer);
  EXPECT_NEAR(outer, buffered_square_m2(side, 5000, 8), 0.005 * outer);
  // The ring's coverage is the outer buffer less the gap zone, with no overlay.
  const RingArea ring = ring_area(set, 0);
  EXPECT_NEAR(ring.area_m2, outer - gap, 1e-6 * (outer - gap));
  EXPECT_EQ(ring.stats.overlays, 0u);
  EXPECT_EQ(ring.stats.reached_by_other_mines, 0u);
}

TEST(ReferenceRing, NeighbourGapZoneInsideTheRingIsCutOut) {
  const MultiPolygon a = square(30.0, 0.0, 1000.0);
  const MultiPolygon b = square(30.0 + 2500.0 / 111320.0, 0.0, 400.0);  // 2.5 km east
  RingParams params;
  RingSet alone = build_reference_rings({a}, {"A"}, {true}, params, quiet());
  RingSet both = build_reference_rings({a, b}, {"A", "B"}, {true, false}, params, quiet());
  EXPECT_TRUE(both.zones[1].outer.empty());  // not asked for
  const RingArea with_b = ring_area(both, 0);
  EXPECT_EQ(with_b.stats.reached_by_other_mines, 1u);
  EXPECT_EQ(with_b.stats.overlays, 0u);  // B's gap zone lies inside A's ring
  const double side_b = std::sqrt(geodesic_area_m2(b));
  const double lost = ring_area(alone, 0).area_m2 - with_b.area_m2;
  EXPECT_NEAR(lost, buffered_square_m2(side_b, 500, 8), 1e-3 * buffered_square_m2(side_b, 500, 8));
}

TEST(ReferenceRing, OverlappingGapZonesAreUnionedBeforeTheyAreCut) {
  const MultiPolygon a = square(30.0, 0.0, 1000.0);
  const MultiPolygon b = square(30.0 + 1300.0 / 111320.0, 0.0, 400.0);  // 600 m apart
  RingParams params;
  RingSet alone = build_reference_rings({a}, {"A"}, {true}, params, quiet());
  RingSet both = build_reference_rings({a, b}, {"A", "B"}, {true, false}, params, quiet());
  const RingArea with_b = ring_area(both, 0);
  EXPECT_EQ(with_b.stats.overlays, 1u);
  // A loses B's gap zone less the part it shares with A's own.
  const double lost = ring_area(alone, 0).area_m2 - with_b.area_m2;
  const double gap_b = geodesic_area_m2(both.gap_zones[1]);
  EXPECT_GT(lost, 0.5 * gap_b);
  EXPECT_LT(lost, gap_b);
}

TEST(ReferenceRing, GapZoneCrossingTheOuterEdgeIsClippedToIt) {
  const MultiPolygon a = square(30.0, 0.0, 1000.0);
  const MultiPolygon b = square(30.0 + 5500.0 / 111320.0, 0.0, 400.0);  // on A's outer edge
  RingParams params;
  RingSet alone = build_reference_rings({a}, {"A"}, {true}, params, quiet());
  RingSet both = build_reference_rings({a, b}, {"A", "B"}, {true, false}, params, quiet());
  const RingArea with_b = ring_area(both, 0);
  EXPECT_EQ(with_b.stats.overlays, 1u);
  const double lost = ring_area(alone, 0).area_m2 - with_b.area_m2;
  const double gap_b = geodesic_area_m2(both.gap_zones[1]);
  EXPECT_GT(lost, 0.2 * gap_b);  // part of B's zone is inside A's ring...
  EXPECT_LT(lost, 0.8 * gap_b);  // ...and part outside, which must not be subtracted
}

TEST(ReferenceRing, RingOfAMineWithAHoleKeepsTheFarPartOfTheHoleAsAnIsland) {
  // A 6 km square mine with a 3 km square hole: the part of the hole farther than 500 m from the
  // mine is undisturbed and belongs to the ring. An inward offset of a square keeps sharp
  // corners, so that part is a 2000 m × 2000 m square.
  MultiPolygon mine = square(30.0, 0.0, 6000.0);
  mine[0].holes.push_back(square(30.0, 0.0, 3000.0)[0].exterior);
  RingParams params;
  RingSet set = build_reference_rings({mine}, {"A"}, {true}, params, quiet());
  ASSERT_EQ(set.gap_zones[0].size(), 1u);
  ASSERT_EQ(set.gap_zones[0][0].holes.size(), 1u);
  const double island = geodesic_area_m2({Polygon{set.gap_zones[0][0].holes[0], {}}});
  EXPECT_NEAR(island, 4.0e6, 0.002 * 4.0e6);
  const double outer_minus_filled_gap =
      geodesic_area_m2(set.zones[0].outer) -
      geodesic_area_m2({Polygon{set.gap_zones[0][0].exterior, {}}});
  EXPECT_NEAR(ring_area(set, 0).area_m2 - outer_minus_filled_gap, island, 1e-5 * island);
}

// --- Distances from the mine, measured independently of the construction -----------------------
// In PROJ's exact azimuthal equidistant projection centred on the mine (not the "Guam" form the
// rings are built in), with GEOS distances: within the ~20 km of these shapes, planar distances
// there are geodesic distances to millimetres.
class Frame {
 public:
  explicit Frame(const MultiPolygon& mine) {
    const Bounds b = bounds(mine);
    char definition[200];
    std::snprintf(definition, sizeof definition,
                  "+proj=aeqd +lat_0=%.12f +lon_0=%.12f +ellps=WGS84 +units=m",
                  0.5 * (b.y_min + b.y_max), 0.5 * (b.x_min + b.x_max));
    pj_ = proj_create(proj_, definition);
    geos_ = GEOS_init_r();
    mine_ = to_geos(mine);
    prepared_mine_ = GEOSPrepare_r(geos_, mine_);
  }
  ~Frame() {
    GEOSPreparedGeom_destroy_r(geos_, prepared_mine_);
    GEOSGeom_destroy_r(geos_, mine_);
    GEOS_finish_r(geos_);
    proj_destroy(pj_);
    proj_context_destroy(proj_);
  }
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  // Lon/lat shape -> GEOS multipolygon in metres (caller owns).
  GEOSGeometry* to_geos(const MultiPolygon& shape) const {
    std::vector<GEOSGeometry*> polygons;
    for (const Polygon& polygon : shape) {
      std::vector<GEOSGeometry*> holes;
      for (const Ring& hole : polygon.holes)
        holes.push_back(ring(hole));
      polygons.push_back(GEOSGeom_createPolygon_r(geos_, ring(polygon.exterior), holes.data(),
                                                  static_cast<unsigned>(holes.size())));
    }
    return GEOSGeom_createCollection_r(geos_, GEOS_MULTIPOLYGON, polygons.data(),
                                       static_cast<unsigned>(polygons.size()));
  }

  struct Span {
    double nearest_m = 1e300;
    double farthest_m = 0;
  };
  // Distances from the mine of the points of `region`'s boundary, every 2 m, and with
  // `interior`, of its inside on a 100 m lattice too (where the farthest point of a filled bay
  // would be).
  Span span(const GEOSGeometry* region, bool interior) const {
    Span out;
    auto visit = [&](const GEOSGeometry* point) {
      double d = 0;
      GEOSPreparedDistance_r(geos_, prepared_mine_, point, &d);
      out.nearest_m = std::min(out.nearest_m, d);
      out.farthest_m = std::max(out.farthest_m, d);
    };
    GEOSGeometry* boundary = GEOSBoundary_r(geos_, region);
    GEOSGeometry* dense = GEOSDensify_r(geos_, boundary, 2.0);
    GEOSGeometry* points = GEOSGeom_extractUniquePoints_r(geos_, dense);
    for (int k = 0; k < GEOSGetNumGeometries_r(geos_, points); ++k)
      visit(GEOSGetGeometryN_r(geos_, points, k));
    for (GEOSGeometry* g : {boundary, dense, points})
      GEOSGeom_destroy_r(geos_, g);
    if (!interior) return out;
    const GEOSPreparedGeometry* inside = GEOSPrepare_r(geos_, region);
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    GEOSGeom_getXMin_r(geos_, region, &x0);
    GEOSGeom_getYMin_r(geos_, region, &y0);
    GEOSGeom_getXMax_r(geos_, region, &x1);
    GEOSGeom_getYMax_r(geos_, region, &y1);
    for (double y = y0; y <= y1; y += 100.0)
      for (double x = x0; x <= x1; x += 100.0) {
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(geos_, x, y);
        if (GEOSPreparedContains_r(geos_, inside, p) == 1) visit(p);
        GEOSGeom_destroy_r(geos_, p);
      }
    GEOSPreparedGeom_destroy_r(geos_, inside);
    return out;
  }
  // Area (m²) of the part of `region` farther than distance_m from the mine, against a 64-segment
  // buffer (its own chords fall 0.1 m short: the check is that much stricter).
  double area_beyond_m2(const GEOSGeometry* region, double distance_m) const {
    GEOSGeometry* limit = GEOSBuffer_r(geos_, mine_, distance_m, 64);
    GEOSGeometry* beyond = GEOSDifference_r(geos_, region, limit);
    double area = 0;
    GEOSArea_r(geos_, beyond, &area);
    GEOSGeom_destroy_r(geos_, limit);
    GEOSGeom_destroy_r(geos_, beyond);
    return area;
  }
  // Area (m²) of the points within distance_m of the mine that `region` misses.
  double area_missed_m2(const GEOSGeometry* region, double distance_m) const {
    GEOSGeometry* within = GEOSBuffer_r(geos_, mine_, distance_m, 64);
    GEOSGeometry* missed = GEOSDifference_r(geos_, within, region);
    double area = 0;
    GEOSArea_r(geos_, missed, &area);
    GEOSGeom_destroy_r(geos_, within);
    GEOSGeom_destroy_r(geos_, missed);
    return area;
  }
  GEOSContextHandle_t geos() const { return geos_; }

 private:
  GEOSGeometry* ring(const Ring& lonlat) const {
    const bool closed = lonlat.front().x == lonlat.back().x && lonlat.front().y == lonlat.back().y;
    const unsigned n = static_cast<unsigned>(lonlat.size() + (closed ? 0 : 1));
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos_, n, 2);
    for (unsigned k = 0; k < n; ++k) {
      const XY& p = lonlat[k % lonlat.size()];
      PJ_COORD c = proj_trans(pj_, PJ_FWD, proj_coord(proj_torad(p.x), proj_torad(p.y), 0, 0));
      GEOSCoordSeq_setXY_r(geos_, seq, k, c.xy.x, c.xy.y);
    }
    return GEOSGeom_createLinearRing_r(geos_, seq);
  }
  PJ_CONTEXT* proj_ = proj_context_create();
  PJ* pj_ = nullptr;
  GEOSContextHandle_t geos_ = nullptr;
  GEOSGeometry* mine_ = nullptr;
  const GEOSPreparedGeometry* prepared_mine_ = nullptr;
};

// What the ring keeps of the tolerances: its outer zone and its gap edge, measured from the mine.
struct RingReach {
  Frame::Span outer;            // of the outer zone (before the cut), boundary and inside
  Frame::Span gap;              // of the gap zone's boundary: the ring's inner edge
  double beyond_m2 = 0;         // outer zone area farther than outer_m + tolerance
  double missed_m2 = 0;         // area within outer_m − tolerance that the outer zone misses
  double gap_too_small_m2 = 0;  // area within gap_m − tolerance left outside the gap zone
};
RingReach reach(const MultiPolygon& mine, const RingParams& params, const RingSet& set) {
  Frame frame(mine);
  GEOSGeometry* outer = frame.to_geos(set.zones[0].outer);
  GEOSGeometry* gap = frame.to_geos(set.gap_zones[0]);
  const double outer_tol = arc_tolerance_m(params.outer_m, params.quad_segs);
  const double gap_tol = arc_tolerance_m(params.gap_m, params.quad_segs);
  RingReach out;
  out.outer = frame.span(outer, true);
  out.gap = frame.span(gap, false);
  out.beyond_m2 = frame.area_beyond_m2(outer, params.outer_m + outer_tol);
  out.missed_m2 = frame.area_missed_m2(outer, params.outer_m - outer_tol);
  out.gap_too_small_m2 = frame.area_missed_m2(gap, params.gap_m - gap_tol);
  GEOSGeom_destroy_r(frame.geos(), outer);
  GEOSGeom_destroy_r(frame.geos(), gap);
  return out;
}

// A shape drawn in metres east/north of (lon, lat) near the equator, as lon/lat.
MultiPolygon from_metres(double lon, double lat, const std::vector<std::vector<XY>>& rings_m) {
  const double m_per_deg_lat = 110574.0;
  const double m_per_deg_lon = 111320.0 * std::cos(lat * std::numbers::pi / 180);
  Polygon polygon;
  for (std::size_t k = 0; k < rings_m.size(); ++k) {
    Ring ring;
    for (const XY& p : rings_m[k])
      ring.push_back({lon + p.x / m_per_deg_lon, lat + p.y / m_per_deg_lat});
    if (k == 0)
      polygon.exterior = ring;
    else
      polygon.holes.push_back(ring);
  }
  return {polygon};
}

TEST(ReferenceRing, ArcToleranceIsTheSagittaOfAChordOfOneAndAHalfQuanta) {
  // GEOS rounds each arc's chord count: an arc of 1.49 quanta gets one chord. With 8 segments per
  // quarter a quantum is π/16, so the worst chord spans 3π/64 and its sagitta at 5000 m is 54.1 m.
  EXPECT_NEAR(arc_tolerance_m(5000, 8), 5000 * (1 - std::cos(3 * std::numbers::pi / 64)), 1e-9);
  EXPECT_NEAR(arc_tolerance_m(5000, 8), 54.11, 0.01);
  EXPECT_NEAR(nominal_sagitta_m(4500, 8), 21.67, 0.01);
  // Sagittas add: the two buffers' tolerances make the one-step tolerance.
  EXPECT_NEAR(arc_tolerance_m(500, 8) + arc_tolerance_m(4500, 8), arc_tolerance_m(5000, 8), 1e-9);
}

// A ring-shaped mine: a wall from radius inner_m to inner_m + 500 m around a lake, cut by a
// straight channel channel_m wide running south. Outlines of this kind (pits and dumps around an
// undisturbed core) are the concave mines whose rings overshot.
MultiPolygon walled_lake(double inner_m, double channel_m) {
  const double outer_m = inner_m + 500.0;
  const double half = 0.5 * channel_m;
  const double pi = std::numbers::pi;
  // Angles measured from south, counter-clockwise; the channel sits around 0.
  const double a_out = std::asin(half / outer_m), a_in = std::asin(half / inner_m);
  std::vector<XY> ring;
  const int n = 360;
  for (int k = 0; k <= n; ++k) {  // outer wall, from the channel's east side round to its west
    const double a = a_out + (2 * pi - 2 * a_out) * k / n;
    ring.push_back({outer_m * std::sin(a), -outer_m * std::cos(a)});
  }
  for (int k = n; k >= 0; --k) {  // inner wall, back
    const double a = a_in + (2 * pi - 2 * a_in) * k / n;
    ring.push_back({inner_m * std::sin(a), -inner_m * std::cos(a)});
  }
  return from_metres(30.0, 0.0, {ring});
}

// Regression (issue 10): the gap zone closes a 600 m channel, leaving the lake as a hole in a
// zone whose outline is convex but for a 600 m dent; the hull shortcut filled the hole, so the
// ring reached the middle of the lake, 7.5 km from the mine.
TEST(ReferenceRing, LakeWhoseChannelTheGapClosesIsNotFilledByTheHullShortcut) {
  const MultiPolygon mine = walled_lake(7500, 600);
  RingParams params;
  RingSet set = build_reference_rings({mine}, {"L"}, {true}, params, quiet());
  ASSERT_EQ(set.gap_zones[0].size(), 1u);
  EXPECT_EQ(set.gap_zones[0][0].holes.size(), 1u);
  EXPECT_EQ(set.hull_outer, 0u);
  const RingReach r = reach(mine, params, set);
  EXPECT_LE(r.outer.farthest_m, params.outer_m + arc_tolerance_m(params.outer_m, params.quad_segs));
  EXPECT_EQ(r.beyond_m2, 0.0);
  EXPECT_EQ(r.missed_m2, 0.0);
}

// Regression (issue 10): with a 10 km ring the hull may bridge up to 1.86 km, so a 1.4 km channel
// stays open in the gap zone and the lake behind it is a pocket of the zone, not a hole. Bound (b)
// (a pocket must lie within reach of its mouth) now refuses the hull; (a) alone accepted it and
// the ring reached the lake's middle, 12 km from the mine.
TEST(ReferenceRing, LakeBehindAnOpenChannelIsNotFilledByTheHullShortcut) {
  const MultiPolygon mine = walled_lake(12000, 1400);
  RingParams params;
  params.outer_m = 10000;
  RingSet set = build_reference_rings({mine}, {"L"}, {true}, params, quiet());
  ASSERT_EQ(set.gap_zones[0].size(), 1u);
  EXPECT_EQ(set.gap_zones[0][0].holes.size(), 0u);
  EXPECT_EQ(set.hull_outer, 0u);
  const RingReach r = reach(mine, params, set);
  EXPECT_LE(r.outer.farthest_m, params.outer_m + arc_tolerance_m(params.outer_m, params.quad_segs));
  EXPECT_EQ(r.beyond_m2, 0.0);
  EXPECT_EQ(r.missed_m2, 0.0);
}

TEST(ReferenceRing, DentInALongSideKeepsTheExactBufferAndTheTolerance) {
  // A 3 km × 2 km mine with an 800 m wide, 1 km deep bay: the gap zone fills the bay but for a
  // 200 m dent. GEOS's hull drops collinear vertices, so the edge bridging the dent runs the whole
  // 3 km side and bound (a) (√(4500² + 1500²) − 4500 = 243 m) keeps the exact buffer: the
  // bound is conservative, never loose.
  const MultiPolygon mine = from_metres(30.0, 0.0,
                                        {{{-1500, -1000},
                                          {1500, -1000},
                                          {1500, 1000},
                                          {400, 1000},
                                          {400, 0},
                                          {-400, 0},
                                          {-400, 1000},
                                          {-1500, 1000}}});
  RingParams params;
  RingSet set = build_reference_rings({mine}, {"U"}, {true}, params, quiet());
  EXPECT_EQ(set.hull_outer, 0u);
  const RingReach r = reach(mine, params, set);
  EXPECT_LE(r.outer.farthest_m, params.outer_m + nominal_sagitta_m(params.outer_m, 8));
  EXPECT_EQ(r.beyond_m2, 0.0);
  EXPECT_EQ(r.missed_m2, 0.0);
}

// Real concave outlines (tests/data/mining_polygons: 100 mine footprints of Maus et al. 2022 and
// Tang & Werner 2023). Each mine alone: the farthest point of its outer zone and the nearest point
// of its ring (the gap zone's edge) keep within the arc tolerance of outer_m and gap_m.
TEST(ReferenceRing, RealConcaveOutlinesKeepTheirRingsWithinTheArcTolerance) {
  const PolygonLayer layer = read_polygon_layer(
      std::string(MC_TEST_DATA_DIR) + "/mining_polygons/maus_tang_combined_demo_100.gpkg", {});
  ASSERT_EQ(layer.features.size(), 100u);
  // The 12 most concave (smallest area over convex-hull area) outlines.
  std::vector<std::pair<double, std::size_t>> concavity;
  for (std::size_t k = 0; k < layer.features.size(); ++k) {
    Frame frame(layer.features[k].shape);
    GEOSGeometry* g = frame.to_geos(layer.features[k].shape);
    GEOSGeometry* hull = GEOSConvexHull_r(frame.geos(), g);
    double area = 0, hull_area = 0;
    GEOSArea_r(frame.geos(), g, &area);
    GEOSArea_r(frame.geos(), hull, &hull_area);
    concavity.push_back({area / hull_area, k});
    GEOSGeom_destroy_r(frame.geos(), g);
    GEOSGeom_destroy_r(frame.geos(), hull);
  }
  std::sort(concavity.begin(), concavity.end());
  RingParams params;
  const double outer_tol = arc_tolerance_m(params.outer_m, params.quad_segs);
  const double gap_tol = arc_tolerance_m(params.gap_m, params.quad_segs);
  double farthest = 0, nearest = 1e300;
  for (std::size_t rank = 0; rank < 12; ++rank) {
    const PolygonFeature& mine = layer.features[concavity[rank].second];
    SCOPED_TRACE("mine " + mine.id + ", area/hull " + std::to_string(concavity[rank].first));
    RingSet set = build_reference_rings({mine.shape}, {mine.id}, {true}, params, quiet());
    const RingReach r = reach(mine.shape, params, set);
    EXPECT_LE(r.outer.farthest_m, params.outer_m + outer_tol);
    EXPECT_GE(r.gap.nearest_m, params.gap_m - gap_tol);
    EXPECT_LE(r.gap.farthest_m, params.gap_m + gap_tol);
    EXPECT_EQ(r.beyond_m2, 0.0);
    EXPECT_EQ(r.missed_m2, 0.0);
    EXPECT_EQ(r.gap_too_small_m2, 0.0);
    farthest = std::max(farthest, r.outer.farthest_m);
    nearest = std::min(nearest, r.gap.nearest_m);
  }
  RecordProperty("farthest_outer_m", std::to_string(farthest));
  RecordProperty("nearest_ring_m", std::to_string(nearest));
  std::printf(
      "real outlines: farthest outer point %.2f m (limit %.2f), nearest ring point %.2f m "
      "(limit %.2f)\n",
      farthest, params.outer_m + outer_tol, nearest, params.gap_m - gap_tol);
}

}  // namespace
}  // namespace minecarbon::geo
