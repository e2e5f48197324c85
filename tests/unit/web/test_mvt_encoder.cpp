// The hand-written MVT encoder (web/mvt.h): protobuf primitives, the ring clipper, quantisation
// and the polygon rules of the spec, checked with an independent decoder (mvt_test_support.h).
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "minecarbon/geo/polygon.h"
#include "minecarbon/web/mvt.h"
#include "mvt_test_support.h"

namespace mvt = minecarbon::web::mvt;
using minecarbon::geo::XY;

namespace {

double ring_area(const std::vector<XY>& ring) {
  return minecarbon::geo::signed_area(ring);
}

std::vector<std::string_view> props(const std::string& id, const std::string& status) {
  return {id, status};
}

}  // namespace

TEST(MvtPrimitives, VarintsAndZigzagFollowTheProtobufEncoding) {
  // Protobuf encoding guide: 150 → 96 01; 300 → ac 02; zigzag(-1) = 1, zigzag(1) = 2,
  // zigzag(-2) = 3, zigzag(2147483647) = 4294967294.
  std::string out;
  mvt::append_varint(out, 150);
  mvt::append_varint(out, 300);
  EXPECT_EQ(out, std::string("\x96\x01\xac\x02", 4));
  EXPECT_EQ(mvt::zigzag32(0), 0u);
  EXPECT_EQ(mvt::zigzag32(-1), 1u);
  EXPECT_EQ(mvt::zigzag32(1), 2u);
  EXPECT_EQ(mvt::zigzag32(-2), 3u);
  EXPECT_EQ(mvt::zigzag32(2147483647), 4294967294u);
  for (std::int32_t v : {0, 1, -1, 4096, -4160, 2147483647, -2147483647 - 1})
    EXPECT_EQ(mvt::unzigzag32(mvt::zigzag32(v)), v);
  EXPECT_EQ(mvt::command(mvt::kMoveTo, 1), 9u);   // spec §4.3.1 example
  EXPECT_EQ(mvt::command(mvt::kLineTo, 3), 26u);  // spec: LineTo ×3 = 26
  EXPECT_EQ(mvt::command(mvt::kClosePath, 1), 15u);
}

TEST(MvtClip, SquareHalfOutsideKeepsTheInsideHalf) {
  const mvt::ClipBox box{0, 0, 100, 100};
  std::vector<XY> out, scratch;
  mvt::clip_ring(std::vector<XY>{{-50, 10}, {50, 10}, {50, 90}, {-50, 90}, {-50, 10}}, box, out,
                 scratch);
  EXPECT_DOUBLE_EQ(std::abs(ring_area(out)), 50.0 * 80.0);
  for (const XY& p : out)
    EXPECT_GE(p.x, 0.0);
  // Orientation is kept.
  EXPECT_GT(ring_area(out), 0.0);
}

TEST(MvtClip, ConcaveRingCutIntoTwoPiecesKeepsTheirTotalArea) {
  // A "U" whose two arms reach above the box top (y = 100): inside are two arms and the base.
  const std::vector<XY> u{{10, 10}, {90, 10}, {90, 150}, {70, 150},
                          {70, 30}, {30, 30}, {30, 150}, {10, 150}};
  const mvt::ClipBox box{0, 0, 100, 100};
  std::vector<XY> out, scratch;
  mvt::clip_ring(u, box, out, scratch);
  // Base 80×20 + two arms 20×70.
  EXPECT_NEAR(std::abs(ring_area(out)), 80.0 * 20 + 2 * 20.0 * 70, 1e-9);
  for (const XY& p : out)
    EXPECT_LE(p.y, 100.0);
}

TEST(MvtClip, RingOutsideIsEmptyAndBoxInsideRingIsTheBox) {
  const mvt::ClipBox box{0, 0, 100, 100};
  std::vector<XY> out, scratch;
  mvt::clip_ring(std::vector<XY>{{200, 200}, {300, 200}, {300, 300}}, box, out, scratch);
  EXPECT_TRUE(out.empty());
  mvt::clip_ring(std::vector<XY>{{-10, -10}, {110, -10}, {110, 110}, {-10, 110}}, box, out,
                 scratch);
  EXPECT_DOUBLE_EQ(std::abs(ring_area(out)), 100.0 * 100.0);
}

TEST(MvtQuantise, DropsRepeatedAndClosingVertices) {
  std::vector<mvt::TilePoint> out;
  mvt::quantise_ring(std::vector<XY>{{0.1, 0.2}, {0.4, -0.3}, {10.2, 0}, {10, 9.6}, {0.3, 0.1}},
                     out);
  const std::vector<mvt::TilePoint> expected{{0, 0}, {10, 0}, {10, 10}};
  EXPECT_EQ(out, expected);
}

TEST(MvtLayer, WindingFollowsTheSpecWhateverTheInputOrientation) {
  mvt::LayerEncoder layer("mines", {"mine_id", "status"});
  // Counter-clockwise on screen (negative area with y down) exterior and a clockwise hole: both
  // must be reversed.
  const std::vector<std::vector<mvt::TilePoint>> rings{
      {{0, 0}, {0, 100}, {100, 100}, {100, 0}},
      {{20, 20}, {60, 20}, {60, 60}, {20, 60}},
  };
  const std::vector<char> exterior{1, 0};
  const auto values = props("M1", "ok");
  ASSERT_TRUE(layer.add_polygon(7, rings, exterior, values));
  std::string tile;
  layer.append_to_tile(tile);
  const auto decoded = mvt_test::decode_tile(tile);
  ASSERT_EQ(decoded.size(), 1u);
  const auto& l = decoded[0];
  EXPECT_EQ(l.version, 2u);
  EXPECT_EQ(l.name, "mines");
  EXPECT_EQ(l.extent, 4096u);
  ASSERT_EQ(l.features.size(), 1u);
  const auto& f = l.features[0];
  EXPECT_TRUE(f.has_id);
  EXPECT_EQ(f.id, 7u);
  EXPECT_EQ(f.type, 3u);
  EXPECT_EQ(l.property(f, "mine_id"), "M1");
  EXPECT_EQ(l.property(f, "status"), "ok");
  const auto decoded_rings = mvt_test::polygon_rings(f);
  ASSERT_EQ(decoded_rings.size(), 2u);
  EXPECT_EQ(mvt_test::twice_area(decoded_rings[0]), 2 * 100 * 100);
  EXPECT_EQ(mvt_test::twice_area(decoded_rings[1]), -2 * 40 * 40);
  // The first MoveTo is relative to (0, 0) and each LineTo carries count - 1 vertices.
  EXPECT_EQ(f.commands[1].count, 3u);
}

TEST(MvtLayer, CollapsedRingsAndTheHolesOfCollapsedExteriorsAreDropped) {
  mvt::LayerEncoder layer("mines", {"mine_id", "status"});
  const std::vector<std::vector<mvt::TilePoint>> rings{
      {{0, 0}, {5, 5}, {10, 10}},            // collinear: zero area → dropped
      {{2, 2}, {3, 2}, {3, 3}},              // its hole → dropped with it
      {{200, 200}, {300, 200}, {300, 300}},  // a second polygon, kept
      {{250, 220}, {251, 220}},              // its hole, < 3 vertices → dropped
  };
  const std::vector<char> exterior{1, 0, 1, 0};
  const auto values = props("M2", "");
  ASSERT_TRUE(layer.add_polygon(3, rings, exterior, values));
  std::string tile;
  layer.append_to_tile(tile);
  const auto l = mvt_test::decode_tile(tile).at(0);
  const auto decoded_rings = mvt_test::polygon_rings(l.features.at(0));
  ASSERT_EQ(decoded_rings.size(), 1u);
  EXPECT_EQ(mvt_test::twice_area(decoded_rings[0]), 100 * 100);
  EXPECT_EQ(decoded_rings[0][0], (std::pair<std::int64_t, std::int64_t>{200, 200}));

  // Nothing left: no feature, and an empty layer adds nothing to the tile.
  mvt::LayerEncoder empty("mines", {"mine_id", "status"});
  const std::vector<std::vector<mvt::TilePoint>> flat{{{0, 0}, {1, 1}, {2, 2}}};
  const std::vector<char> one{1};
  EXPECT_FALSE(empty.add_polygon(1, flat, one, values));
  std::string none;
  empty.append_to_tile(none);
  EXPECT_TRUE(none.empty());
}

TEST(MvtLayer, StringValuesAreSharedBetweenFeatures) {
  mvt::LayerEncoder layer("mine_points", {"mine_id", "status"});
  for (int m = 0; m < 5; ++m) {
    const std::string id = "M" + std::to_string(m);
    const auto values = props(id, m % 2 ? "ok" : "too_small");
    layer.add_point(static_cast<std::uint64_t>(m), {m * 10, -m}, values);
  }
  std::string tile;
  layer.append_to_tile(tile);
  const auto l = mvt_test::decode_tile(tile).at(0);
  EXPECT_EQ(l.values.size(), 5u + 2u);  // five ids, two statuses
  ASSERT_EQ(l.features.size(), 5u);
  for (int m = 0; m < 5; ++m) {
    const auto& f = l.features[static_cast<std::size_t>(m)];
    EXPECT_EQ(f.type, 1u);
    ASSERT_EQ(f.commands.size(), 1u);
    EXPECT_EQ(f.commands[0].id, 1u);
    EXPECT_EQ(f.commands[0].count, 1u);
    EXPECT_EQ(f.commands[0].deltas[0], (std::pair<std::int32_t, std::int32_t>{m * 10, -m}));
    EXPECT_EQ(l.property(f, "status"), m % 2 ? "ok" : "too_small");
  }
}

// A uint key's values are Value.uint_value (field 5), interned apart from strings: the number 3
// and the string "3" are two values, and 300 (two varint bytes) reads back whole.
TEST(MvtLayer, UintValuesAreNumbersInternedApartFromStrings) {
  mvt::LayerEncoder layer("mine_points", {"mine_id", "status"}, {"count"});
  const std::uint64_t counts[] = {3, 300, 3};
  for (int m = 0; m < 3; ++m) {
    const auto values = props("3", "ok");
    const std::uint64_t number[] = {counts[m]};
    layer.add_point(static_cast<std::uint64_t>(m), {m, m}, values, number);
  }
  std::string tile;
  layer.append_to_tile(tile);
  // Value messages as written: "3" is 0a 01 33, 3 is 28 03, 300 is 28 ac 02.
  EXPECT_NE(tile.find(std::string("\x22\x03\x0a\x01\x33", 5)), std::string::npos);
  EXPECT_NE(tile.find(std::string("\x22\x02\x28\x03", 4)), std::string::npos);
  EXPECT_NE(tile.find(std::string("\x22\x03\x28\xac\x02", 5)), std::string::npos);
  const auto l = mvt_test::decode_tile(tile).at(0);
  EXPECT_EQ(l.keys, (std::vector<std::string>{"mine_id", "status", "count"}));
  EXPECT_EQ(l.values.size(), 4u);  // "3", "ok", 3, 300
  ASSERT_EQ(l.features.size(), 3u);
  for (int m = 0; m < 3; ++m) {
    const auto& f = l.features[static_cast<std::size_t>(m)];
    EXPECT_EQ(l.property(f, "mine_id"), "3");
    EXPECT_EQ(l.property(f, "count"), std::to_string(counts[m]));
  }
}
