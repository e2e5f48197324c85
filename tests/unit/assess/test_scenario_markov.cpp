// Markov demand (assess/scenario/markov.h) on a planted 3-class pair of maps whose matrix and
// projections are worked out by hand, and on PLUS's published sample transition counts.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "minecarbon/assess/scenario/markov.h"
#include "minecarbon/core/errors.h"

using namespace minecarbon;
using namespace minecarbon::assess::scenario;

namespace {

// Planted counts (rows T1, columns T2): [6,3,1], [2,8,0], [0,0,5] plus 3 nodata cells.
void planted_maps(std::vector<std::int32_t>& t1, std::vector<std::int32_t>& t2) {
  const int counts[3][3] = {{6, 3, 1}, {2, 8, 0}, {0, 0, 5}};
  for (int from = 0; from < 3; ++from)
    for (int to = 0; to < 3; ++to)
      for (int n = 0; n < counts[from][to]; ++n) {
        t1.push_back(from);
        t2.push_back(to);
      }
  t1.insert(t1.end(), {-1, 1, -1});
  t2.insert(t2.end(), {2, -1, -1});
}

}  // namespace

TEST(ScenarioMarkov, PlantedMatrixAndProjections) {
  std::vector<std::int32_t> t1, t2;
  planted_maps(t1, t2);
  const TransitionCounts counts = count_transitions(t1, t2, 3);
  EXPECT_EQ(counts.valid_cells, 25u);
  EXPECT_EQ(counts.excluded_cells, 3u);
  EXPECT_EQ(counts.at(0, 1), 3u);
  EXPECT_EQ(counts.at(1, 0), 2u);
  EXPECT_EQ(counts.to_totals(), (std::vector<std::uint64_t>{8, 11, 6}));
  EXPECT_EQ(counts.from_totals(), (std::vector<std::uint64_t>{10, 10, 5}));

  const MarkovMatrix p = markov_matrix(counts);
  const double expected[3][3] = {{0.6, 0.3, 0.1}, {0.2, 0.8, 0.0}, {0.0, 0.0, 1.0}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_DOUBLE_EQ(p.at(i, j), expected[i][j]) << i << "," << j;
  EXPECT_TRUE(p.empty_rows.empty());

  const std::vector<double> s = {8, 11, 6};
  const auto one = project_demand(s, p, 1);  // [7.0, 11.2, 6.8] by hand
  EXPECT_NEAR(one[0], 7.0, 1e-12);
  EXPECT_NEAR(one[1], 11.2, 1e-12);
  EXPECT_NEAR(one[2], 6.8, 1e-12);
  const auto two = project_demand(s, p, 2);  // [6.44, 11.06, 7.5]
  EXPECT_NEAR(two[0], 6.44, 1e-12);
  EXPECT_NEAR(two[1], 11.06, 1e-12);
  EXPECT_NEAR(two[2], 7.5, 1e-12);
  // Δt = 10 years: 5 years → halfway to S·P; 15 years → halfway between S·P and S·P².
  const auto half = project_demand_years(s, p, 10, 5);
  EXPECT_NEAR(half[0], 7.5, 1e-12);
  EXPECT_NEAR(half[1], 11.1, 1e-12);
  EXPECT_NEAR(half[2], 6.4, 1e-12);
  const auto one_half = project_demand_years(s, p, 10, 15);
  EXPECT_NEAR(one_half[0], 6.72, 1e-12);
  EXPECT_NEAR(one_half[1], 11.13, 1e-12);
  EXPECT_NEAR(one_half[2], 7.15, 1e-12);
  const auto twenty = project_demand_years(s, p, 10, 20);
  EXPECT_NEAR(twenty[2], 7.5, 1e-12);

  // Largest remainder: floors 6, 11, 7 and the last cell to class 2 (remainder 0.5).
  EXPECT_EQ(integer_demand(two, 25), (std::vector<std::int64_t>{6, 11, 8}));
}

TEST(ScenarioMarkov, FactorsRenormaliseRows) {
  std::vector<std::int32_t> t1, t2;
  planted_maps(t1, t2);
  const MarkovMatrix p = markov_matrix(count_transitions(t1, t2, 3));
  const std::vector<MarkovFactor> factors = {{0, 2, 4.0}};  // 0→2 four times as likely
  const MarkovMatrix q = adjust_markov(p, factors);
  // Row 0 becomes [0.6, 0.3, 0.4] / 1.3.
  EXPECT_NEAR(q.at(0, 0), 0.6 / 1.3, 1e-15);
  EXPECT_NEAR(q.at(0, 2), 0.4 / 1.3, 1e-15);
  EXPECT_DOUBLE_EQ(q.at(1, 1), 0.8);
  const std::vector<MarkovFactor> zero_row = {{2, 2, 0.0}};
  EXPECT_THROW(adjust_markov(p, zero_row), ConfigError);
  const std::vector<MarkovFactor> negative = {{0, 1, -1.0}};
  EXPECT_THROW(adjust_markov(p, negative), ConfigError);
}

TEST(ScenarioMarkov, EmptyRowStaysAndIsReported) {
  const std::vector<std::int32_t> t1 = {0, 0, 1}, t2 = {0, 2, 1};
  const MarkovMatrix p = markov_matrix(count_transitions(t1, t2, 3));
  ASSERT_EQ(p.empty_rows, (std::vector<std::size_t>{2}));
  EXPECT_EQ(p.at(2, 2), 1.0);
  EXPECT_EQ(p.at(0, 2), 0.5);
}

TEST(ScenarioMarkov, BadMapsAreDataErrors) {
  const std::vector<std::int32_t> a = {0, 1}, b = {0}, c = {0, 3};
  EXPECT_THROW(count_transitions(a, b, 2), DataError);
  EXPECT_THROW(count_transitions(a, c, 2), DataError);
}

// PLUS's sample TransitionMatrix (methods §2.6, rows T1, columns T2, printed to 6 significant
// digits): the column sums of classes 2, 3 and 6 are the sample's demands exactly, and P rows
// sum to 1.
TEST(ScenarioMarkov, PlusSampleCountsReproduceDemands) {
  const std::uint64_t rows[7][7] = {{5048940, 2735, 23249, 82129, 641948, 11984, 0},
                                    {4196, 856068, 1178, 5745, 15819, 649, 0},
                                    {5544, 185, 61767, 0, 12708, 0, 0},
                                    {0, 0, 0, 1927030, 0, 0, 0},
                                    {0, 0, 0, 0, 449191, 0, 0},
                                    {0, 0, 0, 0, 0, 282252, 0},
                                    {3598, 89, 154, 3584, 7443, 68, 69412}};
  TransitionCounts counts;
  counts.n_classes = 7;
  for (const auto& row : rows)
    counts.cells.insert(counts.cells.end(), row, row + 7);
  const auto to = counts.to_totals();
  EXPECT_EQ(to[1], 859077u);
  EXPECT_EQ(to[2], 86348u);
  EXPECT_EQ(to[5], 294953u);
  const MarkovMatrix p = markov_matrix(counts);
  for (std::size_t i = 0; i < 7; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < 7; ++j)
      sum += p.at(i, j);
    EXPECT_NEAR(sum, 1.0, 1e-15);
  }
  // One step from S(T1) is S(T2) by construction (column sums of the counts).
  std::vector<double> s1;
  for (auto v : counts.from_totals())
    s1.push_back(static_cast<double>(v));
  const auto s2 = project_demand(s1, p, 1);
  for (std::size_t k = 0; k < 7; ++k)
    EXPECT_NEAR(s2[k], static_cast<double>(to[k]), 1e-6 * static_cast<double>(to[k]) + 1e-6);
}
