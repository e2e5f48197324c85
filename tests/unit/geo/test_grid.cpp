// Grid compatibility and the common grid of two rasters: nesting cell sizes and aligned origins.
#include "minecarbon/geo/grid.h"

#include <gtest/gtest.h>

#include "minecarbon/core/errors.h"

namespace minecarbon::geo {
namespace {

TEST(Grid, IdenticalGridsAreCompatible) {
  const Grid a{100.0, 200.0, 30.0, 30.0, 10, 12};
  EXPECT_TRUE(a.compatible_with(a));
  EXPECT_EQ(a.incompatibility(a), "");
}

TEST(Grid, IntegerMultipleResolutionWithAlignedOriginIsCompatible) {
  const Grid fine{0.0, 90.0, 30.0, 30.0, 3, 3};
  const Grid coarse{-90.0, 180.0, 90.0, 90.0, 2, 2};  // 3× cells, origin 3 fine cells away
  EXPECT_TRUE(fine.compatible_with(coarse));
  EXPECT_TRUE(coarse.compatible_with(fine));
}

TEST(Grid, NonIntegerResolutionRatioIsRefusedWithTheValues) {
  const Grid a{0.0, 90.0, 30.0, 30.0, 3, 3};
  const Grid b{0.0, 90.0, 45.0, 30.0, 2, 3};
  EXPECT_FALSE(a.compatible_with(b));
  const std::string why = a.incompatibility(b);
  EXPECT_NE(why.find("cell width 30 vs 45"), std::string::npos) << why;
  EXPECT_NE(why.find("ratio 1.5"), std::string::npos) << why;
}

TEST(Grid, OriginShiftedByHalfACellIsRefused) {
  const Grid a{0.0, 90.0, 30.0, 30.0, 3, 3};
  const Grid b{15.0, 90.0, 30.0, 30.0, 3, 3};
  EXPECT_FALSE(a.compatible_with(b));
  const std::string why = a.incompatibility(b);
  EXPECT_NE(why.find("x_min 0 vs 15"), std::string::npos) << why;
  EXPECT_NE(why.find("0.5 cells"), std::string::npos) << why;
  const Grid c{0.0, 100.0, 30.0, 30.0, 3, 3};  // y off by a third of a cell
  EXPECT_NE(a.incompatibility(c).find("y_max 90 vs 100"), std::string::npos);
}

TEST(Grid, RoundingNoiseWithinToleranceIsAccepted) {
  const Grid a{0.0, 0.0, 0.1, 0.1, 10, 10};
  const Grid b{0.30000000000000004, 0.0, 0.2, 0.2, 5, 5};
  EXPECT_TRUE(a.compatible_with(b));
  EXPECT_FALSE(a.compatible_with(Grid{0.3001, 0.0, 0.2, 0.2, 5, 5}));
}

TEST(Grid, CommonGridTakesTheFinerCellsOverTheUnionExtent) {
  const Grid fine{0.0, 90.0, 30.0, 30.0, 3, 3};      // x 0..90, y 0..90
  const Grid coarse{60.0, 180.0, 60.0, 90.0, 2, 2};  // x 60..180, y 0..180
  const Grid common = common_grid(fine, coarse);
  EXPECT_DOUBLE_EQ(common.dx, 30.0);
  EXPECT_DOUBLE_EQ(common.dy, 30.0);
  EXPECT_DOUBLE_EQ(common.x_min, 0.0);
  EXPECT_DOUBLE_EQ(common.y_max, 180.0);
  EXPECT_EQ(common.cols, 6);  // 0..180
  EXPECT_EQ(common.rows, 6);  // 0..180
  EXPECT_TRUE(common.compatible_with(fine));
  EXPECT_TRUE(common.compatible_with(coarse));
}

TEST(Grid, CommonGridMixesTheFinerAxisOfEach) {
  const Grid wide{0.0, 40.0, 20.0, 10.0, 4, 2};  // fine in y
  const Grid tall{0.0, 40.0, 10.0, 20.0, 2, 4};  // fine in x
  const Grid common = common_grid(wide, tall);
  EXPECT_DOUBLE_EQ(common.dx, 10.0);
  EXPECT_DOUBLE_EQ(common.dy, 10.0);
  EXPECT_EQ(common.cols, 4);
  EXPECT_EQ(common.rows, 4);
}

TEST(Grid, CommonGridOfMisalignedGridsNamesBothGrids) {
  const Grid a{0.0, 90.0, 30.0, 30.0, 3, 3};
  const Grid b{10.0, 90.0, 30.0, 30.0, 3, 3};
  try {
    common_grid(a, b, 1e-6, "lulc_2000.tif", "lulc_2020.tif");
    FAIL() << "misaligned grids accepted";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("lulc_2000.tif (" + a.describe() + ")"), std::string::npos) << message;
    EXPECT_NE(message.find("lulc_2020.tif (" + b.describe() + ")"), std::string::npos) << message;
    EXPECT_NE(message.find("gdalwarp"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace minecarbon::geo
