// Plot-to-stratum sampling estimates and the precision rule.
// Oracles: hand computation (written out in each test) and printed Student t tables
// (t_{0.95, 4} = 2.132, t_{0.975, 4} = 2.776, t_{0.95, 35} = 1.690, 3 decimals).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "minecarbon/carbon/carbon_stock.h"

namespace minecarbon::carbon {
namespace {

TEST(CarbonStock, EmptySampleIsNaN) {
  const MeanEstimate e = estimate_mean(std::vector<double>{});
  EXPECT_EQ(e.n, 0u);
  EXPECT_TRUE(std::isnan(e.mean));
}

TEST(CarbonStock, SinglePlotHasAMeanButNoStandardError) {
  const MeanEstimate e = estimate_mean(std::vector<double>{12.5});
  EXPECT_EQ(e.n, 1u);
  EXPECT_DOUBLE_EQ(e.mean, 12.5);
  EXPECT_TRUE(std::isnan(e.se));
  EXPECT_TRUE(std::isnan(confidence_interval(e.mean, e.se, e.df, 0.9).half_width_rel_pct));
  const PrecisionCheck p = check_precision(e.mean, e.se, e.df, 0.9, 10.0);
  EXPECT_FALSE(p.meets_threshold);
  EXPECT_TRUE(std::isnan(p.deduction_frac));
}

TEST(CarbonStock, NonFiniteValuesAreSkipped) {
  const MeanEstimate e = estimate_mean(std::vector<double>{10, NAN, 14});
  EXPECT_EQ(e.n, 2u);
  EXPECT_DOUBLE_EQ(e.mean, 12.0);
}

// Plots {10, 12, 14, 16, 18} tC/ha: mean 14, s² = (16 + 4 + 0 + 4 + 16)/4 = 10, SE = √(10/5) =
// √2 = 1.414214. 90 % CI: 14 ± 2.132 · 1.414214 = 14 ± 3.015; U = 21.54 %. 95 %: 14 ± 3.926.
TEST(CarbonStock, MeanStandardErrorAndStudentIntervalsByHand) {
  const MeanEstimate e = estimate_mean(std::vector<double>{10, 12, 14, 16, 18});
  EXPECT_DOUBLE_EQ(e.mean, 14.0);
  EXPECT_NEAR(e.sd, std::sqrt(10.0), 1e-12);
  EXPECT_NEAR(e.se, std::sqrt(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(e.df, 4.0);
  EXPECT_NEAR(student_t_quantile(0.90, 4), 2.132, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.95, 4), 2.776, 5e-4);
  const ConfidenceInterval ci90 = confidence_interval(e.mean, e.se, e.df, 0.90);
  EXPECT_NEAR(ci90.half_width, 2.132 * std::sqrt(2.0), 1e-3);
  EXPECT_NEAR(ci90.lower, 14.0 - 3.015, 1e-3);
  EXPECT_NEAR(ci90.half_width_rel_pct, 21.54, 0.01);
  const ConfidenceInterval ci95 = confidence_interval(e.mean, e.se, e.df, 0.95);
  EXPECT_NEAR(ci95.upper, 14.0 + 3.926, 1e-3);
}

// Two strata: A₁ = 100 ha with the plots above (ȳ 14, s² 10, n 5); A₂ = 50 ha with {20, 22, 24}
// (ȳ 22, s² 4, n 3). T = 1400 + 1100 = 2500 tC; Var = 100²·10/5 + 50²·4/3 = 20000 + 3333.33 =
// 23333.33, SE = 152.753; g₁ = 2000, g₂ = 833.33; df = 23333.33² / (2000²·10²/4 + 833.33²·4²/2)
// = 5.444444e8 / (1e8 + 5.555556e6) = 5.157895 (the small stratum's few df dominate).
TEST(CarbonStock, StratifiedTotalWithSatterthwaiteDfByHand) {
  const std::vector<StratumSample> strata = {
      {100.0, estimate_mean(std::vector<double>{10, 12, 14, 16, 18})},
      {50.0, estimate_mean(std::vector<double>{20, 22, 24})}};
  const TotalEstimate t = stratified_total(strata);
  EXPECT_NEAR(t.total, 2500.0, 1e-9);
  EXPECT_NEAR(t.se, std::sqrt(23333.3333333), 1e-6);
  EXPECT_NEAR(t.df, 5.157895, 1e-6);
}

// Precision rule on a total of 2500 tC with SE 152.753 and 35 df, at 90 %: half-width
// 1.690 · 152.753 = 258.1 tC, U = 10.32 %; with
// a 10 % threshold the deduction is 0.32 % and the conservative total 2500 · (1 − 0.0032) = 2492;
// with 15 % (VM0047) it passes without deduction.
TEST(CarbonStock, PrecisionThresholdAndDeduction) {
  const double se = std::sqrt(23333.3333333);
  const PrecisionCheck strict = check_precision(2500.0, se, 35.0, 0.90, 10.0);
  EXPECT_NEAR(strict.half_width_rel_pct, 100.0 * 1.690 * se / 2500.0, 0.01);
  EXPECT_FALSE(strict.meets_threshold);
  EXPECT_NEAR(strict.deduction_frac, 0.0032, 1e-4);
  EXPECT_NEAR(strict.conservative, 2492.0, 0.3);
  const PrecisionCheck lenient = check_precision(2500.0, se, 35.0, 0.90, 15.0);
  EXPECT_TRUE(lenient.meets_threshold);
  EXPECT_DOUBLE_EQ(lenient.deduction_frac, 0.0);
  EXPECT_DOUBLE_EQ(lenient.conservative, 2500.0);
}

TEST(CarbonStock, StratumWithOnePlotMakesTheTotalVarianceUnknown) {
  const std::vector<StratumSample> strata = {
      {100.0, estimate_mean(std::vector<double>{10, 12, 14})},
      {50.0, estimate_mean(std::vector<double>{20})}};
  const TotalEstimate t = stratified_total(strata);
  EXPECT_NEAR(t.total, 2200.0, 1e-9);
  EXPECT_TRUE(std::isnan(t.se));
}

}  // namespace
}  // namespace minecarbon::carbon
