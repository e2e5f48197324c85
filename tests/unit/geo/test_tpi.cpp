// TPI and Weiss slope positions: by hand, then terra 1.7-3 focal means on a real DEM
// (tests/data/topography/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/geo/terrain.h"
#include "minecarbon/geo/tpi.h"

namespace minecarbon::geo {
namespace {

const std::string kData = std::string(MC_TEST_DATA_DIR) + "/topography";

TEST(Tpi, RadiusBelowOneCellIsADataError) {
  const std::vector<double> z(9, 1.0), d(3, 30.0);
  EXPECT_THROW(topographic_position_index(z, 3, 3, d, d, 20.0), DataError);
}

TEST(Tpi, ByHandOnThreeByThree) {
  // Radius 30 m on 30 m cells: the four orthogonal neighbours (diagonals are 42 m away).
  const std::vector<double> z = {1, 2, 3, 4, 10, 6, 7, 8, kNaN}, d(3, 30.0);
  const std::vector<double> tpi = topographic_position_index(z, 3, 3, d, d, 30.0);
  EXPECT_DOUBLE_EQ(tpi[4], 10.0 - (2 + 4 + 6 + 8) / 4.0);
  EXPECT_DOUBLE_EQ(tpi[0], 1.0 - (2 + 4) / 2.0);   // the border uses the neighbours it has
  EXPECT_DOUBLE_EQ(tpi[5], 6.0 - (3 + 10) / 2.0);  // the nodata neighbour is skipped
  EXPECT_TRUE(std::isnan(tpi[8]));
}

TEST(Tpi, WeissClassesAtTheirThresholds) {
  EXPECT_EQ(slope_position(-1.0, 0), SlopePosition::valley);
  EXPECT_EQ(slope_position(-0.5, 0), SlopePosition::lower_slope);
  EXPECT_EQ(slope_position(-0.49, 5.0), SlopePosition::flat);
  EXPECT_EQ(slope_position(0.49, 5.01), SlopePosition::middle_slope);
  EXPECT_EQ(slope_position(0.5, 30), SlopePosition::upper_slope);
  EXPECT_EQ(slope_position(1.0, 30), SlopePosition::upper_slope);
  EXPECT_EQ(slope_position(1.01, 0), SlopePosition::ridge);
  EXPECT_EQ(slope_position(kNaN, 0), SlopePosition::none);
  EXPECT_EQ(slope_position(0.0, kNaN), SlopePosition::none);
}

TEST(Tpi, MatchesTerraFocalMeansAndClassesOnARealDem) {
  const CsvText ref = read_csv_file(kData + "/tpi_reference.csv");
  const CsvText saga = read_csv_file(kData + "/saga_reference.csv");
  const std::size_t rows = 41, cols = 41;
  std::vector<double> z;
  for (const auto& row : saga.rows)
    z.push_back(std::stod(row[saga.column("dem_m")]));
  const std::vector<double> d(rows, 30.0);
  const std::vector<double> tpi = topographic_position_index(z, rows, cols, d, d, 75.0);
  const std::vector<double> tpi_z = standardise(tpi);
  const TerrainLayers terrain = compute_terrain(z, rows, cols, d, d);
  std::size_t classed = 0;
  for (std::size_t idx = 0; idx < ref.rows.size(); ++idx) {
    const auto& row = ref.rows[idx];
    const std::size_t cell =
        std::stoul(row[ref.column("row")]) * cols + std::stoul(row[ref.column("col")]);
    EXPECT_NEAR(tpi[cell], std::stod(row[ref.column("tpi_m")]), 1e-9) << "cell " << cell;
    EXPECT_NEAR(tpi_z[cell], std::stod(row[ref.column("tpi_z")]), 1e-9) << "cell " << cell;
    const std::string& expected = row[ref.column("class")];
    const SlopePosition got = slope_position(tpi_z[cell], terrain.slope_deg[cell]);
    EXPECT_EQ(std::string(to_string(got)), expected.empty() ? "none" : expected) << cell;
    if (!expected.empty()) ++classed;
  }
  EXPECT_GT(classed, 1500u);
}

}  // namespace
}  // namespace minecarbon::geo
