// Reference rings on shapes whose buffers have closed-form areas. GEOS draws a buffer of a square
// of side s at distance r with quad_segs q as the square, four r × s strips and four corner arcs
// that together make a regular 4q-gon inscribed in the circle of radius r:
//   A(s, r) = s² + 4·s·r + 2q·r²·sin(π / 2q).
#include "minecarbon/geo/reference_ring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "minecarbon/core/run_context.h"
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

RunContext quiet() {
  RunContext context;
  context.quiet = true;
  return context;
}

TEST(ReferenceRing, LoneSquareMineGetsTheAnnulusBetweenItsTwoBuffers) {
  const MultiPolygon mine = square(30.0, 0.0, 1000.0);  // on the equator: degrees ~ metres
  const double side = std::sqrt(geodesic_area_m2(mine));
  RingParams params;  // 5000 m outer, 500 m gap, 8 segments per quarter
  RingSet set = build_reference_rings({mine}, {"A"}, {true}, params, quiet());
  ASSERT_EQ(set.rings.size(), 1u);
  EXPECT_EQ(set.with_neighbours, 0u);
  ASSERT_EQ(set.rings[0].size(), 1u);
  ASSERT_EQ(set.rings[0][0].holes.size(), 1u);
  // The hole is the gap zone, buffered once: the closed form holds to the projection round trip.
  const double hole = geodesic_area_m2({Polygon{set.rings[0][0].holes[0], {}}});
  EXPECT_NEAR(hole, buffered_square_m2(side, 500, 8), 1e-5 * hole);
  // The outer edge is buffer(buffer(mine, 500), 4500), whose corner arcs are segmented twice, so
  // it meets the one-step closed form only to the arc tolerance (0.5 % of the area).
  const double outer = geodesic_area_m2({Polygon{set.rings[0][0].exterior, {}}});
  EXPECT_NEAR(outer, buffered_square_m2(side, 5000, 8), 0.005 * outer);
  EXPECT_EQ(set.hull_outer, 1u);  // a square's gap zone is convex
}

TEST(ReferenceRing, NeighbourGapZoneInsideTheRingIsCutOut) {
  const MultiPolygon a = square(30.0, 0.0, 1000.0);
  const MultiPolygon b = square(30.0 + 2500.0 / 111320.0, 0.0, 400.0);  // 2.5 km east
  RingParams params;
  RingSet alone = build_reference_rings({a}, {"A"}, {true}, params, quiet());
  RingSet both = build_reference_rings({a, b}, {"A", "B"}, {true, false}, params, quiet());
  EXPECT_EQ(both.with_neighbours, 1u);
  EXPECT_TRUE(both.rings[1].empty());  // not asked for
  const double side_b = std::sqrt(geodesic_area_m2(b));
  // B's gap zone (square 400 m + 500 m buffer) lies wholly inside A's ring: A loses exactly it.
  const double lost = geodesic_area_m2(alone.rings[0]) - geodesic_area_m2(both.rings[0]);
  EXPECT_NEAR(lost, buffered_square_m2(side_b, 500, 8), 1e-3 * buffered_square_m2(side_b, 500, 8));
}

TEST(ReferenceRing, RingOfAMineWithAHoleKeepsTheFarPartOfTheHoleAsAnIsland) {
  // A 6 km square mine with a 3 km square hole: the hole's centre is 1.5 km from the mine, so a
  // 2 km square of it (farther than 500 m from every edge) is undisturbed and belongs to the ring.
  MultiPolygon mine = square(30.0, 0.0, 6000.0);
  mine[0].holes.push_back(square(30.0, 0.0, 3000.0)[0].exterior);
  RingParams params;
  RingSet set = build_reference_rings({mine}, {"A"}, {true}, params, quiet());
  double island = 0;
  for (const auto& polygon : set.rings[0]) {
    const double a = geodesic_area_m2({polygon});
    if (a < 5e6) island += a;
  }
  // Points of the hole farther than 500 m from its edges: the hole shrunk by 500 m, which keeps
  // sharp corners, so a 2000 m × 2000 m square (to the square's local-degree construction).
  EXPECT_NEAR(island, 4.0e6, 0.002 * 4.0e6);
}

}  // namespace
}  // namespace minecarbon::geo
