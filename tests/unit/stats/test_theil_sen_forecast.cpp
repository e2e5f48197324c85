// The Theil–Sen forecast (both intercepts, residual-quantile limits) against R on the Nile, and
// Sen's slope interval against SciPy theilslopes (tests/data/warning, tests/data/trend_series).
#include "minecarbon/stats/theil_sen_forecast.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <vector>

#include "minecarbon/stats/trend.h"
#include "warning_series.h"

namespace minecarbon::stats {
namespace {

using testing::as_number;

TEST(TheilSenForecast, TooFewPointsGiveNaNAtEveryForecastTime) {
  const std::vector<double> t{1, 2}, y{1, 2}, ahead{3, 4};
  const TheilSenForecast f = theil_sen_forecast(t, y, ahead);
  EXPECT_TRUE(std::isnan(f.slope));
  ASSERT_EQ(f.points.size(), 2u);
  EXPECT_EQ(f.points[1].time, 4.0);
  EXPECT_TRUE(std::isnan(f.points[1].hi80));
}

TEST(TheilSenForecast, ExactLineHasZeroWidthLimits) {
  const std::vector<double> t{1, 2, 3, 4}, y{3, 5, 7, 9}, ahead{6};
  for (SenIntercept intercept : {SenIntercept::separate, SenIntercept::joint}) {
    const TheilSenForecast f = theil_sen_forecast(t, y, ahead, intercept);
    EXPECT_DOUBLE_EQ(f.points[0].mean, 13.0);
    EXPECT_DOUBLE_EQ(f.points[0].lo95, 13.0);
    EXPECT_DOUBLE_EQ(f.points[0].hi95, 13.0);
  }
}

TEST(TheilSenForecast, QuantileType7HandWorked) {
  const std::vector<double> v{4, 1, NAN, 3, 2};
  EXPECT_DOUBLE_EQ(quantile_type7(v, 0.1), 1.3);  // index 1.3 between 1 and 2
  EXPECT_DOUBLE_EQ(quantile_type7(v, 1.0), 4.0);
  EXPECT_TRUE(std::isnan(quantile_type7(std::vector<double>{NAN}, 0.5)));
}

TEST(TheilSenForecast, MatchesROnTheNileWithBothIntercepts) {
  const testing::Series& s = testing::warning_series().at("Nile");
  const std::vector<double> ahead{1971, 1972, 1973, 1974, 1975};
  const auto rows = testing::expected_rows("theil_sen_forecast_expected.csv");
  ASSERT_EQ(rows.size(), 10u);
  for (SenIntercept intercept : {SenIntercept::separate, SenIntercept::joint}) {
    const TheilSenForecast f = theil_sen_forecast(s.time, s.value, ahead, intercept);
    EXPECT_DOUBLE_EQ(f.slope, -2.6);
    std::size_t matched = 0;
    for (const auto& row : rows) {
      if (row.at("intercept") != kSenInterceptNames.name(intercept)) continue;
      const ForecastPoint& point = f.points[matched++];
      SCOPED_TRACE(row.at("intercept") + " " + row.at("year"));
      EXPECT_EQ(point.time, as_number(row.at("year")));
      EXPECT_NEAR(point.mean, as_number(row.at("mean")), 1e-9);
      EXPECT_NEAR(point.lo95, as_number(row.at("lo95")), 1e-9);
      EXPECT_NEAR(point.lo80, as_number(row.at("lo80")), 1e-9);
      EXPECT_NEAR(point.hi80, as_number(row.at("hi80")), 1e-9);
      EXPECT_NEAR(point.hi95, as_number(row.at("hi95")), 1e-9);
    }
    EXPECT_EQ(matched, ahead.size());
  }
}

TEST(SenSlopeInterval, UndefinedBelowThreePoints) {
  const std::vector<double> t{1, 2}, y{1, 2};
  EXPECT_TRUE(std::isnan(sen_slope_interval(t, y).lower));
  EXPECT_THROW(sen_slope_interval(t, y, 1.0), std::invalid_argument);
}

TEST(SenSlopeInterval, HandWorkedRanksRoundedAndInterpolated) {
  // n = 5, y = t²: slopes sorted 3 4 5 5 6 7 7 8 9 9... N′ = 10; Var S = 5·4·15/18 = 16.667;
  // at 50 % confidence z = 0.6745, C = 2.7536, M₁ = 3.623, M₂ + 1 = 7.377.
  const std::vector<double> t{1, 2, 3, 4, 5}, y{1, 4, 9, 16, 25};
  const SenSlopeInterval rounded = sen_slope_interval(t, y, 0.5, SenRankRule::rounded);
  const SenSlopeInterval interpolated = sen_slope_interval(t, y, 0.5, SenRankRule::interpolated);
  // Sorted slopes: 3 4 5 5 6 6 7 7 8 9 → rank 4 = 5, rank 7 = 7 (rounded);
  // interpolated: 5 + 0.623·(5 − 5) = 5 at 3.623 between ranks 3 and 4; 7 + 0.377·(7 − 7) = 7.
  EXPECT_DOUBLE_EQ(rounded.slope, 6.0);
  EXPECT_DOUBLE_EQ(rounded.lower, 5.0);
  EXPECT_DOUBLE_EQ(rounded.upper, 7.0);
  EXPECT_DOUBLE_EQ(interpolated.lower, 5.0);
  EXPECT_DOUBLE_EQ(interpolated.upper, 7.0);
  // 80 %: z = 1.2816, C = 5.232, M₁ = 2.384 → rank 2 = 4 (rounded), 4 + 0.384·1 (interpolated).
  const double c = 1.2815515655446004 * std::sqrt(5.0 * 4 * 15 / 18.0);
  const double m1 = (10 - c) / 2;
  EXPECT_DOUBLE_EQ(sen_slope_interval(t, y, 0.8, SenRankRule::rounded).lower, 4.0);
  EXPECT_NEAR(sen_slope_interval(t, y, 0.8, SenRankRule::interpolated).lower, 4.0 + (m1 - 2),
              1e-12);
}

TEST(SenSlopeInterval, RoundedRanksMatchSciPyTheilslopes) {
  std::ifstream in(std::string(MC_TEST_DATA_DIR) + "/trend_series/reference_trend_scipy.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  for (const auto& entry : doc["results"]) {
    const std::string name = entry["series"];
    SCOPED_TRACE(name);
    const testing::Series& s = testing::warning_series().at(name);
    const SenSlopeInterval ci = sen_slope_interval(s.time, s.value, 0.95);
    EXPECT_EQ(ci.n, entry["n"].get<int>());
    EXPECT_NEAR(ci.slope, entry["theil_sen_slope"].get<double>(), 1e-12);
    EXPECT_NEAR(ci.lower, entry["theil_sen_slope_low_95"].get<double>(), 1e-12);
    EXPECT_NEAR(ci.upper, entry["theil_sen_slope_high_95"].get<double>(), 1e-12);
    EXPECT_LT(ci.lower, ci.slope);
    EXPECT_GT(ci.upper, ci.slope);
  }
}

}  // namespace
}  // namespace minecarbon::stats
