// The report's binary island (report/island.h): base64 against RFC 4648's vectors, gzip round
// trips with fixed bytes, and a hand-built model decoded by the contract's reader
// (island_decoder.h) giving back every value, NaN as NaN, every mine and its outline.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "island_decoder.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/report/island.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::report {
namespace {

TEST(Base64, MatchesTheRfc4648TestVectors) {
  // RFC 4648 §10.
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes += static_cast<char>(i);
  EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  EXPECT_EQ(base64_encode("\xff\xfe"), "//4=");  // the alphabet's last two characters
  EXPECT_THROW(base64_decode("Zm9v!"), std::invalid_argument);
}

TEST(Gzip, IsRfc1952WithMtimeZeroAndRoundTrips) {
  std::string data;
  for (int i = 0; i < 100000; ++i)
    data += static_cast<char>('a' + i % 7);
  const std::string gz = gzip_bytes(data);
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(gz[2], 8);                               // deflate
  EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0'));  // mtime 0: same bytes on every run
  EXPECT_LT(gz.size(), data.size() / 50);
  EXPECT_EQ(gunzip_bytes(gz), data);
  EXPECT_EQ(gzip_bytes(data), gz);
  EXPECT_THROW(gunzip_bytes(gz.substr(0, gz.size() / 2)), std::runtime_error);
}

geo::Ring square(double x0, double y0, double side, bool closed) {
  geo::Ring r{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}};
  if (closed) r.push_back(r.front());
  return r;
}

ReportModel model_with_everything() {
  ReportModel m;
  m.mine_ids = {"A", "B", "C"};
  ReportVariable loss;
  loss.key = "damage.mines.nep_loss_last_gC_m2_yr";
  loss.stage = "damage";
  loss.table = "mines";
  loss.column = "nep_loss_last_gC_m2_yr";
  loss.unit = "gC m⁻² yr⁻¹";
  loss.palette = PaletteKind::diverging;
  loss.values = {0.1 + 0.2, kNaN, -1e-300};  // values only f64 keeps exactly
  loss.missing = 1;
  m.variables.push_back(loss);
  ReportVariable q;
  q.key = "damage.mine_year.nep_mine_gC_m2_yr";
  q.stage = "damage";
  q.table = "mine_year";
  q.column = "nep_mine_gC_m2_yr";
  q.palette = PaletteKind::diverging;
  q.years = {2000, 2001};
  q.values = {1.5, 2.25, kNaN, 123.456789, -7.0, 0.0};
  q.missing = 1;
  m.variables.push_back(q);
  ReportVariable status;
  status.key = "damage.mines.status";
  status.stage = "damage";
  status.table = "mines";
  status.column = "status";
  status.numeric = false;
  status.palette = PaletteKind::categorical;
  status.texts = {"ok", "below_min_area", ""};
  status.missing = 1;
  m.variables.push_back(status);
  // A: a square with a hole and a second part; B: no geometry; C: a closed square.
  geo::Polygon a1{square(10, 20, 0.01, false), {square(10.002, 20.002, 0.001, true)}};
  geo::Polygon a2{square(11, 21, 0.005, true), {}};
  m.geometry = {{a1, a2}, {}, {geo::Polygon{square(-70.5, -33.25, 0.02, true), {}}}};
  return m;
}

IslandGeometry full_geometry(const ReportModel& m) {
  IslandGeometry g;
  g.kind = GeometryKind::full;
  g.shapes = m.geometry;
  g.points = {{10.005, 20.0005}, {kNaN, kNaN}, {-70.49, -33.24}};
  return g;
}

TEST(Island, DecodesToEveryValueWithNaNKept) {
  const ReportModel m = model_with_everything();
  const auto d = test::decode_container(island_container(m, full_geometry(m)));
  EXPECT_EQ(d.header["mines"]["ids"], nlohmann::json({"A", "B", "C"}));
  EXPECT_EQ(d.header["mines"]["status"], nlohmann::json({"ok", "below_min_area", ""}));
  // Header padding: the first buffer starts at a multiple of 8 after the header.
  std::uint32_t header_length = 0;
  std::memcpy(&header_length, d.container.data() + 4, 4);
  const std::size_t first = d.header["buffers"][0]["offset"];
  EXPECT_EQ(first % 8, 0u);
  EXPECT_GE(first, 8u + header_length);
  EXPECT_LT(first, 8u + header_length + 8u);

  const auto& vars = d.header["variables"];
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_FALSE(d.is_f32(vars[0]));  // per mine: f64, exact
  const auto loss = d.values(vars[0]);
  ASSERT_EQ(loss.size(), 3u);
  EXPECT_EQ(loss[0], 0.1 + 0.2);
  EXPECT_TRUE(std::isnan(loss[1]));
  EXPECT_EQ(loss[2], -1e-300);

  EXPECT_TRUE(d.is_f32(vars[1]));  // per year: f32, year-major
  EXPECT_EQ(vars[1]["years"], nlohmann::json({2000, 2001}));
  const auto q = d.values(vars[1]);
  const auto& expected = m.variables[1].values;
  ASSERT_EQ(q.size(), expected.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (std::isnan(expected[i]))
      EXPECT_TRUE(std::isnan(q[i]));
    else
      EXPECT_NEAR(q[i], expected[i], 1e-6 * std::abs(expected[i])) << i;
  }

  EXPECT_EQ(vars[2]["categories"], nlohmann::json({"below_min_area", "ok"}));
  const auto codes = d.buffer<std::uint16_t>(vars[2]["codes"], "u16");
  EXPECT_EQ(codes, (std::vector<std::uint16_t>{1, 0, 65535}));
}

TEST(Island, OutlinesAreQuantisedDeltaCodedOpenRings) {
  const ReportModel m = model_with_everything();
  const auto d = test::decode_container(island_container(m, full_geometry(m)));
  const auto& g = d.header["geometry"];
  EXPECT_EQ(g["scale"], 1e6);
  const auto points = d.buffer<std::int32_t>(g["points"], "i32");
  EXPECT_EQ(points, (std::vector<std::int32_t>{10005000, 20000500, INT32_MIN, INT32_MIN, -70490000,
                                               -33240000}));
  const auto a = test::decoded_mine(d, 0);
  ASSERT_EQ(a.size(), 2u);        // two parts
  ASSERT_EQ(a[0].size(), 2u);     // exterior and hole
  ASSERT_EQ(a[0][0].size(), 4u);  // not closed
  EXPECT_NEAR(a[0][0][2].first, 10.01, 1e-9);
  EXPECT_NEAR(a[0][0][2].second, 20.01, 1e-9);
  EXPECT_EQ(a[0][1].size(), 4u);  // the closed hole loses its closing vertex
  EXPECT_NEAR(test::decoded_area(a), 0.01 * 0.01 - 0.001 * 0.001 + 0.005 * 0.005, 1e-12);
  EXPECT_TRUE(test::decoded_mine(d, 1).empty());
  const auto c = test::decoded_mine(d, 2);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NEAR(c[0][0][0].first, -70.5, 1e-9);
  EXPECT_NEAR(c[0][0][3].second, -33.23, 1e-9);
}

TEST(Island, CentroidsHoldOnlyPoints) {
  const ReportModel m = model_with_everything();
  IslandGeometry g = full_geometry(m);
  g.kind = GeometryKind::centroids;
  const auto d = test::decode_container(island_container(m, g));
  EXPECT_TRUE(d.header["geometry"].contains("points"));
  EXPECT_FALSE(d.header["geometry"].contains("coords"));
}

TEST(Island, CompareAlignsSetBOnSetAsMinesAndYears) {
  const ReportModel a = model_with_everything();
  ReportModel b = model_with_everything();
  b.results_dir = "b";
  b.mine_ids = {"C", "X", "A"};  // B in another order, without B, with X
  b.variables[0].values = {30.0, 99.0, 10.0};
  b.variables[1].years = {2001};
  b.variables[1].values = {5.0, 6.0, 7.0};
  const auto vars = compare_variables(a, b);
  ASSERT_EQ(vars.size(), 2u);  // the two numeric variables; status is text
  EXPECT_EQ(vars[0].key, "b:damage.mines.nep_loss_last_gC_m2_yr");
  EXPECT_EQ(vars[0].values[0], 10.0);
  EXPECT_TRUE(std::isnan(vars[0].values[1]));
  EXPECT_EQ(vars[0].values[2], 30.0);
  // Year 2000 is missing in B; 2001: A ← 7, C ← 5.
  EXPECT_TRUE(std::isnan(vars[1].values[0]));
  EXPECT_EQ(vars[1].values[3], 7.0);
  EXPECT_TRUE(std::isnan(vars[1].values[4]));
  EXPECT_EQ(vars[1].values[5], 5.0);

  const auto d = test::decode_container(island_container(a, full_geometry(a), vars));
  ASSERT_EQ(d.header["compare"]["variables"].size(), 2u);
  EXPECT_EQ(d.values(d.header["compare"]["variables"][0])[2], 30.0);

  ReportModel disjoint = b;
  disjoint.mine_ids = {"P", "Q", "R"};
  EXPECT_THROW(compare_variables(a, disjoint), ConfigError);
  ReportModel no_vars = b;
  for (auto& v : no_vars.variables)
    v.key = "other." + v.key;
  EXPECT_THROW(compare_variables(a, no_vars), ConfigError);
}

}  // namespace
}  // namespace minecarbon::report
