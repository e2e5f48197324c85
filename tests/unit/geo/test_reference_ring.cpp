// Reference rings on shapes whose buffers have closed-form areas. GEOS draws a buffer of a square
// of side s at distance r with quad_segs q as the square, four r × s strips and four corner arcs
// that together make a regular 4q-gon inscribed in the circle of radius r:
//   A(s, r) = s² + 4·s·r + 2q·r²·sin(π / 2q).
#include "minecarbon/geo/reference_ring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/geodesic_area.h"

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

}  // namespace
}  // namespace minecarbon::geo
