#include <gtest/gtest.h>

#include <string>

#include "minecarbon/carbon/landuse_pools.h"
#include "minecarbon/core/errors.h"

using namespace minecarbon;
using namespace minecarbon::carbon;

namespace {

LandusePoolTable parse(const std::string& text) {
  return parse_landuse_pools(parse_csv_text(text, "pools.csv"));
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(LandusePools, EmptyTableIsAnError) {
  EXPECT_NE(error_of("lucode,c_above,c_below,c_soil,c_dead\n").find("no rows"), std::string::npos);
}

TEST(LandusePools, InvestHeaderCaseInsensitiveWithLabels) {
  // The header of InVEST's test table, extra column LULC_Name kept as a label.
  const LandusePoolTable t = parse(
      "C_above,C_below,C_soil,C_dead,lucode,LULC_Name\n"
      "15,10,60,1,1,forest\n5,3,20,0,2,grass\n2,1,5,0,3,bare\n");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.codes, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(t.total_tC_ha, (std::vector<double>{86, 28, 8}));
  EXPECT_EQ(t.pools[0][2].mean_tC_ha, 60.0);  // c_soil
  EXPECT_EQ(t.names[1], "2");                 // no `name` column: the code
  ASSERT_EQ(t.label_columns, (std::vector<std::string>{"LULC_Name"}));
  EXPECT_EQ(t.labels[2][0], "bare");
  EXPECT_FALSE(t.has_spread);
}

TEST(LandusePools, NameAndSpreads) {
  const LandusePoolTable t = parse(
      "lucode,name,c_above,c_above_sd,c_below,c_soil,c_soil_min,c_soil_max,c_dead\n"
      "11,cropland,2,0.5,1,40,30,55,0\n");
  EXPECT_EQ(t.names[0], "cropland");
  EXPECT_TRUE(t.has_spread);
  EXPECT_EQ(t.pools[0][0].spread, PoolSpread::normal);
  EXPECT_EQ(t.pools[0][0].sd_tC_ha, 0.5);
  EXPECT_EQ(t.pools[0][1].spread, PoolSpread::none);
  EXPECT_EQ(t.pools[0][2].spread, PoolSpread::triangular);
  EXPECT_EQ(t.pools[0][2].min_tC_ha, 30.0);
  EXPECT_EQ(t.pools[0][2].max_tC_ha, 55.0);
}

TEST(LandusePools, NegativePoolNamesLineAndField) {
  const std::string e = error_of("lucode,c_above,c_below,c_soil,c_dead\n1,1,1,1,1\n2,1,1,-3,0\n");
  EXPECT_NE(e.find("pools.csv:3"), std::string::npos) << e;
  EXPECT_NE(e.find("c_soil"), std::string::npos) << e;
  EXPECT_NE(e.find("negative"), std::string::npos) << e;
}

TEST(LandusePools, NonNumericPoolNamesLineAndField) {
  const std::string e = error_of("lucode,c_above,c_below,c_soil,c_dead\n1,1,abc,1,1\n");
  EXPECT_NE(e.find("pools.csv:2"), std::string::npos) << e;
  EXPECT_NE(e.find("c_below"), std::string::npos) << e;
  EXPECT_NE(e.find("'abc' is not a number"), std::string::npos) << e;
}

TEST(LandusePools, EmptyPoolIsRefused) {
  EXPECT_NE(error_of("lucode,c_above,c_below,c_soil,c_dead\n1,1,,1,1\n").find("use 0"),
            std::string::npos);
}

TEST(LandusePools, DuplicateLucodeNamesBothLines) {
  const std::string e =
      error_of("lucode,c_above,c_below,c_soil,c_dead\n5,1,1,1,1\n6,1,1,1,1\n5,2,2,2,2\n");
  EXPECT_NE(e.find("pools.csv:4"), std::string::npos) << e;
  EXPECT_NE(e.find("lucode 5 appears again (first on line 2)"), std::string::npos) << e;
}

TEST(LandusePools, NonIntegerLucode) {
  EXPECT_NE(error_of("lucode,c_above,c_below,c_soil,c_dead\n1.5,1,1,1,1\n").find("not an integer"),
            std::string::npos);
}

TEST(LandusePools, MissingColumnListsWhatTheFileHas) {
  const std::string e = error_of("lucode,c_above,c_below,c_soil\n1,1,1,1\n");
  EXPECT_NE(e.find("no column 'c_dead'"), std::string::npos) << e;
}

TEST(LandusePools, TriangularNeedsBothBoundsAroundTheValue) {
  EXPECT_NE(error_of("lucode,c_above,c_above_min,c_below,c_soil,c_dead\n1,1,0,1,1,1\n")
                .find("needs its partner"),
            std::string::npos);
  EXPECT_NE(error_of("lucode,c_above,c_above_min,c_above_max,c_below,c_soil,c_dead\n"
                     "1,5,6,9,1,1,1\n")
                .find("min <= c_above <= max"),
            std::string::npos);
}
