// Pettitt's change-point test against an R script of its formula (tests/data/warning).
#include "minecarbon/stats/pettitt.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "warning_series.h"

namespace minecarbon::stats {
namespace {

using testing::as_number;

TEST(Pettitt, FewerThanTwoPointsIsUndefined) {
  const std::vector<double> t{2001, 2002}, y{1.0, NAN};
  const Pettitt result = pettitt(t, y);
  EXPECT_EQ(result.n, 1);
  EXPECT_TRUE(std::isnan(result.u_star));
  EXPECT_TRUE(std::isnan(result.p));
  EXPECT_EQ(result.k_first, 0);
  EXPECT_EQ(result.k_count, 0);
}

TEST(Pettitt, ConstantSeriesHasEveryKAtTheMaximumAndPOne) {
  const std::vector<double> t{1, 2, 3, 4, 5}, y(5, 7.0);
  const Pettitt result = pettitt(t, y);
  EXPECT_EQ(result.u_star, 0.0);
  EXPECT_EQ(result.k_first, 1);
  EXPECT_EQ(result.k_count, 4);  // k = 1..n−1
  EXPECT_EQ(result.p, 1.0);
}

TEST(Pettitt, TimeMustIncrease) {
  const std::vector<double> t{2001, 2003, 2002}, y{1, 2, 3};
  EXPECT_THROW(pettitt(t, y), std::invalid_argument);
}

TEST(Pettitt, HandWorkedStepWithMissingValue) {
  // y = 5 5 NaN 1 1 1: ranks of the finite values 4.5 4.5 2 2 2 (n = 5), U_1 = 3, U_2 = 6,
  // U_3 = 4, U_4 = 2; U* = 6 at K = 2 (the two 5s), change after t = 2, p = 2·exp(−216/150).
  const std::vector<double> t{1, 2, 3, 4, 5, 6}, y{5, 5, NAN, 1, 1, 1};
  const Pettitt result = pettitt(t, y);
  EXPECT_EQ(result.n, 5);
  EXPECT_EQ(result.u_star, 6.0);
  EXPECT_EQ(result.u_at_k, 6.0);
  EXPECT_EQ(result.k_first, 2);
  EXPECT_EQ(result.k_count, 1);
  EXPECT_EQ(result.change_time, 2.0);
  EXPECT_EQ(result.mean_before, 5.0);
  EXPECT_EQ(result.mean_after, 1.0);
  EXPECT_NEAR(result.p, 2.0 * std::exp(-216.0 / 150.0), 1e-15);
}

TEST(Pettitt, MatchesTheRFormulaOnPublicAndPlantedSeries) {
  const auto& all = testing::warning_series();
  const auto rows = testing::expected_rows("pettitt_expected.csv");
  ASSERT_EQ(rows.size(), 7u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.at("series"));
    const testing::Series& s = all.at(row.at("series"));
    const Pettitt result = pettitt(s.time, s.value);
    EXPECT_EQ(result.n, std::stoi(row.at("n")));
    EXPECT_EQ(result.u_star, as_number(row.at("u_star")));  // exact
    EXPECT_EQ(result.u_at_k, as_number(row.at("u_at_k")));
    EXPECT_EQ(result.k_first, std::stoi(row.at("k_first")));
    EXPECT_EQ(result.k_count, std::stoi(row.at("k_count")));
    EXPECT_NEAR(result.p, as_number(row.at("p")), 1e-12);
    EXPECT_EQ(result.change_time, s.time[result.k_first - 1]);
  }
}

TEST(Pettitt, PlantedDropIsFoundWithALowerMeanAfter) {
  const testing::Series& s = testing::warning_series().at("step_ties");
  const Pettitt result = pettitt(s.time, s.value);
  EXPECT_EQ(result.change_time, 2010.0);
  EXPECT_GT(result.u_at_k, 0.0);
  EXPECT_LT(result.mean_after, result.mean_before);
  EXPECT_LT(result.p, 0.05);
}

}  // namespace
}  // namespace minecarbon::stats
