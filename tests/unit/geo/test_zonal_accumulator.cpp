// Zonal accumulators: degenerate zones, hand-computed areas on small grids with half-cell
// polygon offsets, and merges over random splits that must give the bits of one pass.
#include "minecarbon/geo/zonal_accumulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/coverage.h"

namespace minecarbon::geo {
namespace {

MultiPolygon square(double x0, double y0, double x1, double y1) {
  return {Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, {}}};
}

bool bits_equal(double a, double b) {  // NaN == NaN for the comparison of results
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

TEST(ExactSum, EmptySumIsZero) {
  EXPECT_EQ(ExactSum{}.value(), 0.0);
}

TEST(ExactSum, CancellationThatPlainSumsLoseIsKept) {
  ExactSum exact;
  PlainSum plain;
  for (double term : {1e16, 1.0, -1e16, 1.0}) {
    exact.add(term);
    plain.add(term);
  }
  EXPECT_EQ(exact.value(), 2.0);
  EXPECT_NE(plain.value(), 2.0);  // 1e16 + 1 rounds the 1 away
}

TEST(ExactSum, ResultIsTheCorrectlyRoundedSum) {
  // 0.1 + 0.2 + 0.3 exactly is 0.6000000000000000055511151231257827 (binary values); the
  // nearest double is 0.6, while the left-to-right double sum gives 0.6000000000000001.
  ExactSum exact;
  for (double term : {0.1, 0.2, 0.3})
    exact.add(term);
  EXPECT_EQ(exact.value(), 0.6);
  EXPECT_EQ(0.1 + 0.2 + 0.3, 0.6000000000000001);
}

TEST(ContinuousAccumulator, NoCellGivesNaNMeanAndZeroAreas) {
  const ContinuousStat stat = ContinuousAccumulator{}.finish();
  EXPECT_TRUE(std::isnan(stat.mean));
  EXPECT_EQ(stat.valid_area_m2, 0.0);
  EXPECT_EQ(stat.covered_area_m2, 0.0);
}

TEST(ContinuousAccumulator, AllNodataGivesNaNMeanWithCoveredArea) {
  ContinuousAccumulator acc;
  acc.add(0.5, 100.0, std::nan(""));
  acc.add(1.0, 100.0, std::nan(""));
  const ContinuousStat stat = acc.finish();
  EXPECT_TRUE(std::isnan(stat.mean));
  EXPECT_EQ(stat.valid_area_m2, 0.0);
  EXPECT_EQ(stat.covered_area_m2, 150.0);
}

TEST(ContinuousAccumulator, HalfCellOffsetSquareOnA3x3GridByHand) {
  // Square (0.5, 0.5)–(2.5, 2.5) on unit cells of 100 m² each: corner cells 1/4, edge cells 1/2,
  // centre 1. Values x = 1..9 row-major, cell 0 (top-left, x = 1) nodata.
  const Grid grid{0.0, 3.0, 1.0, 1.0, 3, 3};
  const Coverage cov = compute_coverage(square(0.5, 0.5, 2.5, 2.5), grid);
  const std::vector<double> x = {std::nan(""), 2, 3, 4, 5, 6, 7, 8, 9};
  ContinuousAccumulator acc;
  for (std::int64_t row = 0; row < 3; ++row)
    acc.add_row(&cov.frac[static_cast<std::size_t>(row * 3)], &x[static_cast<std::size_t>(row * 3)],
                3, 100.0);
  const ContinuousStat stat = acc.finish();
  // covered: 4 m² of polygon = 400 m²; valid: minus the top-left quarter cell (25 m²).
  EXPECT_DOUBLE_EQ(stat.covered_area_m2, 400.0);
  EXPECT_DOUBLE_EQ(stat.valid_area_m2, 375.0);
  // Σ c·a·x = 100·(0.5·2 + 0.25·3 + 0.5·4 + 5 + 0.5·6 + 0.25·7 + 0.5·8 + 0.25·9) = 1975.
  EXPECT_DOUBLE_EQ(stat.mean, 1975.0 / 375.0);
}

TEST(ContinuousAccumulator, PlainRowSumMatchesTheExactOneToRounding) {
  const std::vector<double> c = {0.25, 0.5, 1.0, 0.75}, x = {1.5, std::nan(""), -2.0, 4.0};
  ContinuousAccumulator exact;
  PlainContinuousAccumulator plain;
  exact.add_row(c.data(), x.data(), 4, 30.0);
  plain.add_row(c.data(), x.data(), 4, 30.0);
  EXPECT_NEAR(plain.finish().mean, exact.finish().mean, 1e-12);
  EXPECT_DOUBLE_EQ(plain.finish().covered_area_m2, 75.0);
  EXPECT_DOUBLE_EQ(exact.finish().valid_area_m2, 60.0);
}

TEST(ContinuousAccumulator, MergeOfAnySplitGivesTheBitsOfOnePass) {
  std::mt19937_64 rng(20261206);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> value(300.0, 1e3);
  const std::size_t n = 5000;
  std::vector<double> c(n), a(n), x(n);
  for (std::size_t idx = 0; idx < n; ++idx) {
    c[idx] = unit(rng) < 0.2 ? 1.0 : unit(rng);
    a[idx] = 9.0e5 * (0.5 + unit(rng));  // cell areas of a lon/lat grid: vary by row
    x[idx] = unit(rng) < 0.1 ? std::nan("") : value(rng) * std::pow(10.0, 8 * unit(rng) - 4);
  }
  ContinuousAccumulator one_pass;
  for (std::size_t idx = 0; idx < n; ++idx)
    one_pass.add(c[idx], a[idx], x[idx]);
  const ContinuousStat expected = one_pass.finish();

  for (int trial = 0; trial < 50; ++trial) {
    // Random cut points, parts merged in a random order (as threads would finish).
    std::vector<std::size_t> cuts = {0, n};
    const int n_cuts = 1 + static_cast<int>(unit(rng) * 40);
    for (int k = 0; k < n_cuts; ++k)
      cuts.push_back(static_cast<std::size_t>(unit(rng) * n));
    std::sort(cuts.begin(), cuts.end());
    std::vector<ContinuousAccumulator> parts(cuts.size() - 1);
    for (std::size_t part = 0; part + 1 < cuts.size(); ++part)
      for (std::size_t idx = cuts[part]; idx < cuts[part + 1]; ++idx)
        parts[part].add(c[idx], a[idx], x[idx]);
    std::shuffle(parts.begin(), parts.end(), rng);
    ContinuousAccumulator merged;
    for (const auto& part : parts)
      merged.merge(part);
    const ContinuousStat got = merged.finish();
    ASSERT_TRUE(bits_equal(got.mean, expected.mean)) << "trial " << trial;
    ASSERT_TRUE(bits_equal(got.valid_area_m2, expected.valid_area_m2)) << "trial " << trial;
    ASSERT_TRUE(bits_equal(got.covered_area_m2, expected.covered_area_m2)) << "trial " << trial;
  }
}

TEST(ClassCodes, MapsCodesToIndicesAndFlagsTheRest) {
  const ClassCodes codes({10, 20, 11, 1});
  EXPECT_EQ(codes.index_of(10.0), 0);
  EXPECT_EQ(codes.index_of(1.0), 3);
  EXPECT_EQ(codes.index_of(std::nan("")), ClassCodes::kNoData);
  EXPECT_EQ(codes.index_of(12.0), ClassCodes::kUnknown);
  EXPECT_EQ(codes.index_of(10.5), ClassCodes::kUnknown);
  EXPECT_EQ(codes.index_of(0.0), ClassCodes::kUnknown);
  EXPECT_EQ(codes.index_of(21.0), ClassCodes::kUnknown);
  EXPECT_THROW(ClassCodes({1, 2, 1}), ConfigError);
  EXPECT_THROW(ClassCodes(std::vector<std::int64_t>{}), ConfigError);
}

TEST(CategoricalAccumulator, ClassAreasOfAHalfCellOffsetSquareOnA4x4Grid) {
  // Square (0.5, 0.5)–(2.5, 2.5) on a 4 × 4 grid of 10 m cells (100 m² each), y up to 4 cells.
  // Classes: left half of the grid (cols 0–1) class 1, right half class 2, row 3 nodata.
  const Grid grid{0.0, 40.0, 10.0, 10.0, 4, 4};
  const Coverage cov = compute_coverage(square(5, 5, 25, 25), grid);  // rows 1–3, cols 0–2
  const ClassCodes codes({1, 2});
  CategoricalAccumulator acc(codes.size());
  for (std::int64_t row = cov.window.row0; row < cov.window.row0 + cov.window.rows; ++row)
    for (std::int64_t col = cov.window.col0; col < cov.window.col0 + cov.window.cols; ++col) {
      const double code = row == 3 ? std::nan("") : col < 2 ? 1.0 : 2.0;
      acc.add(cov.at(row, col), 100.0, codes.index_of(code));
    }
  const CategoricalAreas areas = acc.finish();
  // Row 1: 0.25 + 0.5 (class 1), 0.25 (class 2); row 2: 0.5 + 1 (class 1), 0.5 (class 2);
  // row 3 (nodata): 0.25 + 0.5 + 0.25.
  EXPECT_DOUBLE_EQ(areas.area_m2[0], 225.0);
  EXPECT_DOUBLE_EQ(areas.area_m2[1], 75.0);
  EXPECT_DOUBLE_EQ(areas.valid_area_m2, 300.0);
  EXPECT_DOUBLE_EQ(areas.covered_area_m2, 400.0);
}

TEST(TransitionAccumulator, MatrixOfA3x3GridByHandSumsToTheCoveredArea) {
  // Square (0.5, 0.5)–(2.5, 2.5) on unit cells of 1 m²; before: column index; after: row index.
  const Grid grid{0.0, 3.0, 1.0, 1.0, 3, 3};
  const Coverage cov = compute_coverage(square(0.5, 0.5, 2.5, 2.5), grid);
  TransitionAccumulator acc(3, 3);
  for (std::int64_t row = 0; row < 3; ++row)
    for (std::int64_t col = 0; col < 3; ++col)
      acc.add(cov.at(row, col), 1.0, static_cast<int>(col), static_cast<int>(row));
  const TransitionAreas t = acc.finish();
  EXPECT_DOUBLE_EQ(t.at(0, 0), 0.25);  // corner
  EXPECT_DOUBLE_EQ(t.at(1, 0), 0.5);   // top edge
  EXPECT_DOUBLE_EQ(t.at(1, 1), 1.0);   // centre
  EXPECT_DOUBLE_EQ(t.at(2, 1), 0.5);   // right edge
  double total = 0;
  for (double area : t.area_m2)
    total += area;
  EXPECT_DOUBLE_EQ(total, t.covered_area_m2);
  EXPECT_DOUBLE_EQ(t.covered_area_m2, 4.0);
  EXPECT_DOUBLE_EQ(t.valid_area_m2, 4.0);
}

TEST(TransitionAccumulator, RandomZoneSplitsMergeToOnePassAndSumToValidArea) {
  std::mt19937_64 rng(77);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::size_t n = 3000, n_from = 5, n_to = 4;
  std::vector<double> c(n), a(n);
  std::vector<int> from(n), to(n);
  for (std::size_t idx = 0; idx < n; ++idx) {
    c[idx] = unit(rng);
    a[idx] = 800.0 + 100.0 * unit(rng);
    from[idx] = unit(rng) < 0.05 ? ClassCodes::kNoData : static_cast<int>(unit(rng) * n_from);
    to[idx] = static_cast<int>(unit(rng) * n_to);
  }
  TransitionAccumulator one_pass(n_from, n_to);
  CategoricalAccumulator before_pass(n_from);
  for (std::size_t idx = 0; idx < n; ++idx) {
    one_pass.add(c[idx], a[idx], from[idx], to[idx]);
    before_pass.add(c[idx], a[idx], from[idx]);
  }
  const TransitionAreas expected = one_pass.finish();
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t cut1 = static_cast<std::size_t>(unit(rng) * n);
    const std::size_t cut2 = cut1 + static_cast<std::size_t>(unit(rng) * (n - cut1));
    TransitionAccumulator parts[3] = {{n_from, n_to}, {n_from, n_to}, {n_from, n_to}};
    for (std::size_t idx = 0; idx < n; ++idx)
      parts[idx < cut1 ? 0 : idx < cut2 ? 1 : 2].add(c[idx], a[idx], from[idx], to[idx]);
    TransitionAccumulator merged;  // default: takes the shape of the first merge
    for (int k : {2, 0, 1})
      merged.merge(parts[k]);
    const TransitionAreas got = merged.finish();
    for (std::size_t idx = 0; idx < expected.area_m2.size(); ++idx)
      ASSERT_TRUE(bits_equal(got.area_m2[idx], expected.area_m2[idx]));
    ASSERT_TRUE(bits_equal(got.valid_area_m2, expected.valid_area_m2));
  }
  // Row sums of the matrix are the from-class areas; all entries sum to the valid area.
  const CategoricalAreas before = before_pass.finish();
  double total = 0;
  for (std::size_t k = 0; k < n_from; ++k) {
    double row_sum = 0;
    for (std::size_t l = 0; l < n_to; ++l)
      row_sum += expected.at(k, l);
    EXPECT_NEAR(row_sum, before.area_m2[k], 1e-9 * before.area_m2[k]);
    total += row_sum;
  }
  EXPECT_NEAR(total, expected.valid_area_m2, 1e-9 * expected.valid_area_m2);
  EXPECT_LT(expected.valid_area_m2, expected.covered_area_m2);  // the nodata cells
}

}  // namespace
}  // namespace minecarbon::geo
