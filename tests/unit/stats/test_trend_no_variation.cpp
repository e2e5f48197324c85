// Trend tests on series that are constant within rounding: "no variation", never statistics made
// of rounding noise.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "minecarbon/stats/trend.h"

namespace minecarbon::stats {
namespace {

const std::vector<double> kYears = {2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007};

void expect_no_variation(const TrendTests& t) {
  EXPECT_TRUE(t.no_variation);
  EXPECT_EQ(t.ols.slope, 0.0);
  EXPECT_EQ(t.sen.slope, 0.0);
  EXPECT_TRUE(std::isnan(t.ols.r2));
  EXPECT_TRUE(std::isnan(t.mk.tau_b));
  EXPECT_TRUE(std::isnan(t.mk.z));
  EXPECT_TRUE(std::isnan(t.mk.p));
}

TEST(TrendNoVariation, ExactZerosAreNoVariation) {
  const std::vector<double> zeros(kYears.size(), 0.0);
  EXPECT_FALSE(has_variation(zeros));
  expect_no_variation(trend_tests(kYears, zeros));
}

// A planted constant mean (310.375) as the zonal sums return it: equal to the last digits or
// not, depending on the order of the sums (seen: 310.37499999999284). Plain OLS gives a slope of
// rounding noise and Mann–Kendall counts the noise as a monotone trend.
TEST(TrendNoVariation, AConstantWithRoundingNoiseIsNoVariation) {
  std::vector<double> q(kYears.size(), 310.375);
  for (std::size_t idx = 0; idx < q.size(); ++idx)
    q[idx] -= static_cast<double>(idx) * 1e-12;  // a drift of 7e-12 over 310: 2.3e-14 relative
  const OlsFit raw = ols(kYears, q);
  EXPECT_NE(raw.slope, 0.0);                   // the noise a plain fit reports
  EXPECT_LT(mann_kendall(kYears, q).p, 0.05);  // and "significant"
  EXPECT_FALSE(has_variation(q));
  expect_no_variation(trend_tests(kYears, q));
  EXPECT_DOUBLE_EQ(trend_tests(kYears, q).ols.intercept, 310.375 - 3.5e-12);
}

// S = P − W of a mine whose change is ~1e-13: large against its own magnitude, noise against the
// Q and O (≈ 300) it was computed from. The operand scale decides.
TEST(TrendNoVariation, TheOperandScaleJudgesDifferences) {
  const std::vector<double> s = {0, 1e-13, -2e-13, 0, 3e-13, 0, -1e-13, 2e-13};
  EXPECT_TRUE(has_variation(s));  // on its own magnitude it varies
  EXPECT_FALSE(has_variation(s, 300.0));
  expect_no_variation(trend_tests(kYears, s, 300.0));
  // A real change of 0.01 gC/m²/yr against the same operands is kept and tested.
  std::vector<double> real(kYears.size());
  for (std::size_t idx = 0; idx < real.size(); ++idx)
    real[idx] = 0.01 * static_cast<double>(idx);
  const TrendTests t = trend_tests(kYears, real, 300.0);
  EXPECT_FALSE(t.no_variation);
  EXPECT_DOUBLE_EQ(t.ols.slope, 0.01);
  EXPECT_DOUBLE_EQ(t.mk.tau_b, 1.0);
}

// The rule is what makes the statistics independent of how the noise falls: two noise patterns
// of one constant give identical results.
TEST(TrendNoVariation, ResultsDoNotDependOnTheNoisePattern) {
  std::vector<double> a(kYears.size(), -4.0), b(kYears.size(), -4.0);
  a[3] = std::nextafter(-4.0, 0.0);
  b[6] = std::nextafter(-4.0, -8.0);
  const TrendTests ta = trend_tests(kYears, a, 250.0), tb = trend_tests(kYears, b, 250.0);
  EXPECT_EQ(ta.ols.slope, tb.ols.slope);
  EXPECT_EQ(ta.sen.slope, tb.sen.slope);
  EXPECT_TRUE(ta.no_variation && tb.no_variation);
}

TEST(TrendNoVariation, MissingValuesAndShortSeries) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> one = {nan, 5, nan, nan, nan, nan, nan, nan};
  EXPECT_FALSE(has_variation(one));
  const TrendTests t = trend_tests(kYears, one);
  EXPECT_FALSE(t.no_variation);  // one point: undefined, not constant
  EXPECT_TRUE(std::isnan(t.ols.slope));
  const std::vector<double> gaps = {7, nan, 7, 7, nan, 7, 7, 7};
  expect_no_variation(trend_tests(kYears, gaps));
  EXPECT_EQ(trend_tests(kYears, gaps).n, 6);
}

}  // namespace
}  // namespace minecarbon::stats
