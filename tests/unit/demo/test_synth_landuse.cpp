// The demo's land-use world: the polygon clip its truth rests on (hand areas), and the planted
// properties the end-to-end test relies on (a mine on the maps' edge, nodata differing by date).
#include <gtest/gtest.h>

#include <set>

#include "minecarbon/demo/synth_landuse.h"

namespace minecarbon::demo {
namespace {

TEST(SynthLanduse, ClippedAreaOfHandShapes) {
  // A 4 × 4 square with a 2 × 2 hole, clipped by the rectangle x ≤ 2: 8 − 2 = 6.
  geo::Polygon square{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{1, 1}, {3, 1}, {3, 3}, {1, 3}}}};
  EXPECT_DOUBLE_EQ(clipped_area({square}, -10, -10, 2, 10), 6.0);
  EXPECT_DOUBLE_EQ(clipped_area({square}, -10, -10, 10, 10), 12.0);
  EXPECT_DOUBLE_EQ(clipped_area({square}, 5, 5, 10, 10), 0.0);
  // A non-convex L (area 3) cut by y ≤ 1.5: the foot (2) and half of the upright (0.5).
  geo::Polygon ell{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}, {}};
  EXPECT_DOUBLE_EQ(clipped_area({ell}, -1, -1, 3, 1.5), 2.5);
  // A triangle (0,0)-(2,0)-(0,2) in the unit square: 1 − the corner triangle beyond x + y = 2 (0).
  geo::Polygon tri{{{0, 0}, {2, 0}, {0, 2}}, {}};
  EXPECT_DOUBLE_EQ(clipped_area({tri}, 0, 0, 1, 1), 1.0);
  EXPECT_DOUBLE_EQ(clipped_area({tri}, 0.5, 0.5, 2, 2), 0.5 * 1.0 * 1.0);
}

TEST(SynthLanduse, MapsHaveTheEdgeMineAndNodataDifferingByDate) {
  const SynthWorld world = make_synth_world(42);
  const SynthLanduse lu = make_synth_landuse(world);
  ASSERT_EQ(lu.maps.size(), 3u);
  EXPECT_EQ(lu.grid.dx, 30.0);
  std::vector<std::set<std::size_t>> nodata(3);
  for (std::size_t d = 0; d < 3; ++d) {
    ASSERT_EQ(lu.maps[d].size(), static_cast<std::size_t>(lu.grid.rows * lu.grid.cols));
    for (std::size_t i = 0; i < lu.maps[d].size(); ++i) {
      if (lu.maps[d][i] == lu.nodata)
        nodata[d].insert(i);
      else
        EXPECT_TRUE(lu.maps[d][i] >= 1 && lu.maps[d][i] <= 9);
    }
    EXPECT_FALSE(nodata[d].empty());
  }
  EXPECT_NE(nodata[0], nodata[1]);
  EXPECT_NE(nodata[1], nodata[2]);
  // Every class of the pool table appears on some map.
  std::set<int> seen;
  for (const auto& map : lu.maps)
    seen.insert(map.begin(), map.end());
  for (const auto& c : lu.classes)
    EXPECT_TRUE(seen.count(c.code)) << c.name;
  // Truth for consecutive and first→last pairs; each carbon change is area × ΔC.
  std::set<std::string> kinds;
  for (const auto& t : lu.truth) {
    kinds.insert(t.pair_kind);
    EXPECT_GT(t.area_ha, 0.0);
    EXPECT_NE(t.from_code, t.to_code);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"consecutive", "first_last"}));
}

}  // namespace
}  // namespace minecarbon::demo
