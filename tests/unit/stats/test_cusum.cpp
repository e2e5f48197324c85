// The OLS-CUSUM test against strucchange::sctest(efp(type = "OLS-CUSUM")), and the lower Page
// CUSUM chart: hand-worked paths and its in-control run length against spc::xcusum.arl
// (tests/data/warning).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "minecarbon/core/random.h"
#include "minecarbon/stats/ols_cusum.h"
#include "minecarbon/stats/page_cusum.h"
#include "warning_series.h"

namespace minecarbon::stats {
namespace {

using testing::as_number;

TEST(OlsCusum, TooFewPointsOrPerfectFitIsUndefined) {
  const std::vector<double> t{1, 2}, y{1, 3};
  const OlsCusum trend = ols_cusum(t, y, CusumModel::trend);
  EXPECT_TRUE(std::isnan(trend.statistic));
  EXPECT_TRUE(std::isnan(trend.p));
  EXPECT_EQ(trend.argmax, 0);
  const std::vector<double> t4{1, 2, 3, 4}, line{1, 3, 5, 7};
  EXPECT_TRUE(std::isnan(ols_cusum(t4, line, CusumModel::trend).statistic));  // σ̂ = 0
  EXPECT_FALSE(std::isnan(ols_cusum(t4, line, CusumModel::constant).statistic));
}

TEST(OlsCusum, HandWorkedConstantModel) {
  // y = 1 1 −1 −1: ê = y, σ̂ = √(4/3), W = (1, 2, 1, 0)/(σ̂·2): S = 1/σ̂ = √0.75 at j = 2.
  const std::vector<double> t{1, 2, 3, 4}, y{1, 1, -1, -1};
  const OlsCusum result = ols_cusum(t, y, CusumModel::constant);
  EXPECT_NEAR(result.statistic, std::sqrt(0.75), 1e-15);
  EXPECT_EQ(result.argmax, 2);
  EXPECT_EQ(result.argmax_time, 2.0);
  ASSERT_EQ(result.process.size(), 4u);
  EXPECT_NEAR(result.process[3], 0.0, 1e-15);
}

TEST(OlsCusum, MissingValuesAreDroppedBeforeTheFit) {
  const testing::Series& s = testing::warning_series().at("trend_drop");
  std::vector<double> t = s.time, y = s.value;
  y[7] = NAN;
  t.erase(t.begin() + 7);
  std::vector<double> kept = s.value;
  kept.erase(kept.begin() + 7);
  const OlsCusum with_gap = ols_cusum(s.time, y, CusumModel::trend);
  const OlsCusum removed = ols_cusum(t, kept, CusumModel::trend);
  EXPECT_EQ(with_gap.n, 29);
  EXPECT_EQ(with_gap.statistic, removed.statistic);
  EXPECT_EQ(with_gap.argmax_time, removed.argmax_time);
}

TEST(OlsCusum, BrownianBridgeTailAtItsKnownCriticalValue) {
  // strucchange's 5 % critical value of the max functional, strucchange 1.5-3 (docs/warning.md §3).
  EXPECT_NEAR(brownian_bridge_sup_p(1.3581), 0.05, 5e-5);
  EXPECT_EQ(brownian_bridge_sup_p(0.05), 1.0);
}

TEST(OlsCusum, MatchesStrucchangeSctest) {
  const auto& all = testing::warning_series();
  const auto rows = testing::expected_rows("ols_cusum_expected.csv");
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.at("series") + " " + row.at("model"));
    const testing::Series& s = all.at(row.at("series"));
    const CusumModel model = *kCusumModelNames.parse(row.at("model"));
    const OlsCusum result = ols_cusum(s.time, s.value, model);
    EXPECT_EQ(result.n, std::stoi(row.at("n")));
    const double statistic = as_number(row.at("statistic")), p = as_number(row.at("p"));
    EXPECT_NEAR(result.statistic, statistic, 1e-9 * statistic);
    EXPECT_NEAR(result.p, p, 1e-9 * std::max(p, 1e-3));
    EXPECT_EQ(result.argmax, std::stoi(row.at("argmax")));
  }
}

TEST(PageCusum, ConstantReferenceGivesNoChart) {
  const std::vector<double> t{1, 2, 3, 4}, y{2, 2, 2, 1};
  const PageCusum chart = lower_page_cusum(t, y, ReferencePeriod{1, 3}, PageCusumParams{});
  EXPECT_FALSE(chart.defined);
  EXPECT_EQ(chart.n_alarms, 0);
  EXPECT_TRUE(std::isnan(chart.first_alarm_time));
}

TEST(PageCusum, HandWorkedPathAfterTheReference) {
  // Reference 1..4: y = 9 11 9 11, μ₀ = 10, σ₀ = √(4/3) = 1.1547. Then y = 8, NaN, 8, 12:
  // z = −1.732, −1.732, 1.732; S = 1.232, (skip), 2.464, 0.232 with k = 0.5; h = 2 alarms once.
  const std::vector<double> t{1, 2, 3, 4, 5, 6, 7, 8}, y{9, 11, 9, 11, 8, NAN, 8, 12};
  const PageCusumParams params{0.5, 2.0, false};
  const PageCusum chart = lower_page_cusum(t, y, ReferencePeriod{1, 4}, params);
  ASSERT_TRUE(chart.defined);
  const double z = 2.0 / std::sqrt(4.0 / 3.0);
  EXPECT_EQ(chart.n_monitored, 3);
  EXPECT_TRUE(std::isnan(chart.s[3]));
  EXPECT_NEAR(chart.s[4], z - 0.5, 1e-14);
  EXPECT_TRUE(std::isnan(chart.s[5]));
  EXPECT_NEAR(chart.s[6], 2 * (z - 0.5), 1e-14);
  EXPECT_NEAR(chart.s[7], 2 * (z - 0.5) - z - 0.5, 1e-14);
  EXPECT_EQ(chart.n_alarms, 1);
  EXPECT_EQ(chart.first_alarm_time, 7.0);
  EXPECT_EQ(chart.last_alarm_time, 7.0);
  EXPECT_NEAR(chart.last_s, chart.s[7], 0.0);
}

TEST(PageCusum, MonitoringTheReferencePeriodStartsAtItsFirstPoint) {
  const std::vector<double> t{1, 2, 3, 4}, y{9, 11, 9, 11};
  PageCusumParams params;
  params.monitor_reference = true;
  const PageCusum chart = lower_page_cusum(t, y, ReferencePeriod{1, 4}, params);
  EXPECT_EQ(chart.n_monitored, 4);
  EXPECT_NEAR(chart.s[0], 1.0 / std::sqrt(4.0 / 3.0) - 0.5, 1e-14);
}

// Mean run length of the chart on N(shift, 1) values (a lower chart on N(−shift, 1) behaves as
// spc's upper chart on N(shift, 1)), with its Monte Carlo standard error.
struct RunLength {
  double mean = 0, standard_error = 0;
};
RunLength simulate_run_length(double k, double h, double shift, int runs) {
  double sum = 0, sum_sq = 0;
  for (int run = 0; run < runs; ++run) {
    RandomStream stream(20261207, StreamPurpose::page_cusum_run_length,
                        static_cast<std::uint64_t>(run));
    LowerCusumChart chart;
    double length = 0;
    do {
      ++length;
    } while (!chart.add(stream.normal() - shift, k, h));
    sum += length;
    sum_sq += length * length;
  }
  const double mean = sum / runs;
  const double variance = (sum_sq - runs * mean * mean) / (runs - 1);
  return {mean, std::sqrt(variance / runs)};
}

TEST(PageCusum, RunLengthMatchesSpcWithinMonteCarloError) {
  const auto rows = testing::expected_rows("page_cusum_arl_expected.csv");
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) {
    const double k = as_number(row.at("k")), h = as_number(row.at("h"));
    const double shift = as_number(row.at("shift")), arl = as_number(row.at("arl"));
    SCOPED_TRACE("k " + row.at("k") + " h " + row.at("h") + " shift " + row.at("shift"));
    const RunLength simulated = simulate_run_length(k, h, shift, 4000);
    // 4 standard errors: a false failure once in ~16 000 seeds; the seed is fixed.
    EXPECT_NEAR(simulated.mean, arl, 4 * simulated.standard_error);
    EXPECT_LT(simulated.standard_error, 0.05 * arl);  // the check has teeth
  }
}

}  // namespace
}  // namespace minecarbon::stats
