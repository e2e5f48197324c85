// Depression filling, D8/MFD flow accumulation and the LS factor: hand-made grids first, then
// SAGA GIS 8.5.0 on a real 30 m DEM (tests/data/topography/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/geo/flow_accumulation.h"

namespace minecarbon::geo {
namespace {

const std::string kData = std::string(MC_TEST_DATA_DIR) + "/topography";

struct Saga {
  std::size_t rows = 41, cols = 41;
  std::vector<double> dem, filled, slope, d8, mfd, ls_d8, ls_mfd;
};

const Saga& saga() {
  static const Saga s = [] {
    Saga out;
    const CsvText csv = read_csv_file(kData + "/saga_reference.csv");
    for (const auto& row : csv.rows) {
      out.dem.push_back(std::stod(row[csv.column("dem_m")]));
      out.filled.push_back(std::stod(row[csv.column("filled_m")]));
      out.slope.push_back(std::stod(row[csv.column("slope_rad")]));
      out.d8.push_back(std::stod(row[csv.column("area_d8_m2")]));
      out.mfd.push_back(std::stod(row[csv.column("area_mfd_m2")]));
      out.ls_d8.push_back(std::stod(row[csv.column("ls_d8")]));
      out.ls_mfd.push_back(std::stod(row[csv.column("ls_mfd")]));
    }
    return out;
  }();
  return s;
}

TEST(FlowAccumulation, SizesThatDisagreeAreDataErrors) {
  const std::vector<double> z(6, 1.0), d(2, 30.0), a(2, 900.0);
  EXPECT_THROW(fill_depressions(z, 3, 3, d, d, 0.0), DataError);
  EXPECT_THROW(flow_accumulation_m2(z, 2, 3, d, d, std::vector<double>(3, 900.0), FlowMethod::d8),
               DataError);
  EXPECT_THROW(flow_method_from_string("dinf"), ConfigError);
}

TEST(FlowAccumulation, PitIsFilledToItsSpillElevation) {
  // A 3×3 bowl whose centre is 1 m below a rim whose lowest cell is 5 m.
  const std::vector<double> z = {9, 9, 9, 9, 1, 5, 9, 9, 9};
  const std::vector<double> d(3, 10.0);
  const std::vector<double> flat = fill_depressions(z, 3, 3, d, d, 0.0);
  EXPECT_DOUBLE_EQ(flat[4], 5.0);
  const std::vector<double> sloped = fill_depressions(z, 3, 3, d, d, 1.0);
  EXPECT_NEAR(sloped[4], 5.0 + std::tan(1.0 * M_PI / 180.0) * 10.0, 1e-12);
  EXPECT_DOUBLE_EQ(sloped[0], 9.0);  // border cells keep their elevation
}

TEST(FlowAccumulation, NodataNeighboursAreOutletsAndStayNodata) {
  const std::vector<double> z = {9, 9, 9, 9, 1, kNaN, 9, 9, 9};
  const std::vector<double> d(3, 10.0);
  const std::vector<double> filled = fill_depressions(z, 3, 3, d, d, 0.0);
  EXPECT_DOUBLE_EQ(filled[4], 1.0);  // drains into the hole
  EXPECT_TRUE(std::isnan(filled[5]));
}

TEST(FlowAccumulation, PlaneDrainsDownhillByHand) {
  // A plane falling east on 5 × 6 cells of 100 m²; border cells are outlets (they keep their
  // water). D8: every interior cell drains east, so column c of an interior row holds c cells.
  const std::size_t rows = 5, cols = 6;
  std::vector<double> z(rows * cols);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c)
      z[r * cols + c] = 10.0 - static_cast<double>(c);
  const std::vector<double> d(rows, 10.0), a(rows, 100.0);
  const std::vector<double> d8 = flow_accumulation_m2(z, rows, cols, d, d, a, FlowMethod::d8);
  for (std::size_t r = 1; r + 1 < rows; ++r)
    for (std::size_t c = 1; c < cols; ++c)
      EXPECT_DOUBLE_EQ(d8[r * cols + c], 100.0 * static_cast<double>(c)) << r << "," << c;
  EXPECT_DOUBLE_EQ(d8[0 * cols + 3], 100.0);  // a border cell passes nothing on
  const std::vector<double> mfd = flow_accumulation_m2(z, rows, cols, d, d, a, FlowMethod::mfd);
  // MFD by t^1.1, t = 0.1 (E) or 0.1/√2 (diagonals). A border cell's missing neighbour mirrors the
  // opposite one: the top row also drains NE off the grid (its SW neighbour is 1 m higher), except
  // the corner (0, 0), whose SW is missing too.
  const double w_e = std::pow(0.1, 1.1), w_d = std::pow(0.1 / std::sqrt(2.0), 1.1);
  const double two_e = w_e / (w_e + w_d), two_d = w_d / (w_e + w_d);              // E and SE only
  const double three_e = w_e / (w_e + 2 * w_d), three_d = w_d / (w_e + 2 * w_d);  // NE, E, SE
  const double cell01 = 100.0 * (1 + two_e + three_d);
  const double cell11 = 100.0 * (1 + two_d + three_e + three_d);
  EXPECT_NEAR(mfd[0 * cols + 2], 100.0 + cell01 * three_e + cell11 * three_d, 1e-9);
  EXPECT_NEAR(mfd[0 * cols + 1], 100.0 * (1 + w_e / (w_e + w_d) + w_d / (w_e + 2 * w_d)), 1e-9);
}

TEST(FlowAccumulation, LsFactorByHand) {
  EXPECT_DOUBLE_EQ(ls_factor_moore(22.13, std::asin(0.0896)), 1.4);
  EXPECT_DOUBLE_EQ(ls_factor_moore(100.0, 0.0), 0.0);
  EXPECT_TRUE(std::isnan(ls_factor_moore(kNaN, 0.1)));
  EXPECT_DOUBLE_EQ(specific_catchment_area_m(900.0 * 5, 900.0), 150.0);
}

// SAGA 8.5.0 on the Landsat DEM (41 × 41, 30 m): the fill of `ta_preprocessor 4` (min slope
// 0.1°), the flow accumulation of `ta_hydrology 0` on SAGA's filled DEM, and `ta_hydrology 22`.
TEST(FlowAccumulation, FillMatchesSaga) {
  const Saga& s = saga();
  const std::vector<double> d(s.rows, 30.0);
  const std::vector<double> filled = fill_depressions(s.dem, s.rows, s.cols, d, d, 0.1);
  // SAGA's queue takes ties in its own order, so on a flat it may reach a cell diagonally where an
  // orthogonal path at the same spill level exists: its ε-raised cells can sit a few ε above our
  // minimal surface (ε = tan 0.1°·30 m = 0.052 m orthogonal, 0.074 m diagonal), never below it.
  std::size_t raised = 0, differ = 0;
  for (std::size_t cell = 0; cell < filled.size(); ++cell) {
    if (s.filled[cell] == s.dem[cell]) {
      EXPECT_EQ(filled[cell], s.dem[cell]) << "cell " << cell;
      continue;
    }
    ++raised;
    EXPECT_LE(filled[cell], s.filled[cell] + 1e-4) << "cell " << cell;
    EXPECT_GE(filled[cell], s.filled[cell] - 0.2) << "cell " << cell;
    if (std::fabs(filled[cell] - s.filled[cell]) > 1e-4) ++differ;
  }
  EXPECT_GT(raised - differ, 10u);  // and many raised cells agree to the float
  // Every interior cell of the filled DEM has a strictly lower neighbour: no pit is left.
  for (std::size_t r = 1; r + 1 < s.rows; ++r)
    for (std::size_t c = 1; c + 1 < s.cols; ++c) {
      double lowest = filled[r * s.cols + c];
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc)
          lowest = std::min(lowest, filled[(r + dr) * s.cols + (c + dc)]);
      EXPECT_LT(lowest, filled[r * s.cols + c]) << "pit at " << r << "," << c;
    }
  EXPECT_GT(raised, 10u);  // the DEM has real depressions to fill
}

TEST(FlowAccumulation, D8AndMfdMatchSagaOnSagasFilledDem) {
  const Saga& s = saga();
  const std::vector<double> d(s.rows, 30.0), a(s.rows, 900.0);
  const std::vector<double> d8 =
      flow_accumulation_m2(s.filled, s.rows, s.cols, d, d, a, FlowMethod::d8);
  const std::vector<double> mfd =
      flow_accumulation_m2(s.filled, s.rows, s.cols, d, d, a, FlowMethod::mfd, 1.1);
  double max_d8 = 0;
  for (std::size_t cell = 0; cell < d8.size(); ++cell) {
    EXPECT_NEAR(d8[cell], s.d8[cell], 1e-6 * s.d8[cell]) << "D8 cell " << cell;
    EXPECT_NEAR(mfd[cell], s.mfd[cell], 1e-5 * s.mfd[cell]) << "MFD cell " << cell;
    max_d8 = std::max(max_d8, d8[cell]);
  }
  EXPECT_GT(max_d8, 100 * 900.0);  // a real channel, not just single cells
}

TEST(FlowAccumulation, LsMatchesSaga) {
  const Saga& s = saga();
  for (std::size_t cell = 0; cell < s.dem.size(); ++cell) {
    const double ls_d8 =
        ls_factor_moore(specific_catchment_area_m(s.d8[cell], 900.0), s.slope[cell]);
    const double ls_mfd =
        ls_factor_moore(specific_catchment_area_m(s.mfd[cell], 900.0), s.slope[cell]);
    EXPECT_NEAR(ls_d8, s.ls_d8[cell], 1e-5 * std::max(1.0, s.ls_d8[cell])) << "cell " << cell;
    EXPECT_NEAR(ls_mfd, s.ls_mfd[cell], 1e-5 * std::max(1.0, s.ls_mfd[cell])) << "cell " << cell;
  }
}

}  // namespace
}  // namespace minecarbon::geo
