// InVEST Carbon's valuation constant and NPV against the values of its own test suite
// (natcap/invest tests/test_carbon.py), recomputed at full precision from the formula.
#include <gtest/gtest.h>

#include "minecarbon/carbon/landuse_valuation.h"
#include "minecarbon/core/errors.h"

using namespace minecarbon;
using namespace minecarbon::carbon;

TEST(LanduseValuation, LaterDateNotAfterEarlierIsAConfigError) {
  EXPECT_THROW(valuation_constant(2025, 2023, 43, -7.1, 2.8), ConfigError);
  EXPECT_THROW(valuation_constant(2020, 2020, 43, 0, 0), ConfigError);
}

TEST(LanduseValuation, RatesAtMinus100PercentAreRefused) {
  EXPECT_THROW(valuation_constant(2000, 2010, 10, -100, 0), ConfigError);
  EXPECT_THROW(valuation_constant(2000, 2010, 10, 0, -150), ConfigError);
}

TEST(LanduseValuation, ZeroRatesGiveThePrice) {
  // ratio = 1 exactly: K = price (InVEST 3.9.1 fixed a factor of n here).
  EXPECT_EQ(valuation_constant(2016, 2030, 43, 0, 0), 43.0);
  EXPECT_EQ(-58.0 * valuation_constant(2016, 2030, 43, 0, 0), -2494.0);
}

TEST(LanduseValuation, OneYearIsThePriceWhateverTheRates) {
  // n = 1: (1 − ratio)/(1 − ratio) = 1.
  EXPECT_NEAR(valuation_constant(2000, 2001, 25, 7, 3), 25.0, 1e-12);
}

TEST(LanduseValuation, InvestFixtureConstantAndNpv) {
  const double k = valuation_constant(2016, 2030, 43, -7.1, 2.8);
  EXPECT_NEAR(k, 59.001360702500605, 1e-12);
  EXPECT_NEAR(-58.0 * k, -3422.0789207450352, 1e-9);
}

TEST(LanduseValuation, InvestValuationConstantTest) {
  EXPECT_NEAR(valuation_constant(2010, 2012, 50, 50, 5), 40.87301587301587, 1e-12);
}

TEST(LanduseValuation, ClosedFormEqualsTheDiscountedSeries) {
  // K = price/n Σ_{t=0}^{n−1} ratioᵗ, the users' guide form.
  const double r = 4.5, c = 1.2, price = 31;
  const int n = 17;
  const double ratio = 1.0 / ((1 + r / 100) * (1 + c / 100));
  double series = 0, term = 1;
  for (int t = 0; t < n; ++t, term *= ratio)
    series += term;
  EXPECT_NEAR(valuation_constant(2003, 2003 + n, price, r, c), price / n * series, 1e-12);
}

TEST(LanduseValuation, PositiveRateChangeLowersTheValue) {
  EXPECT_LT(valuation_constant(2000, 2020, 10, 3, 2), valuation_constant(2000, 2020, 10, 3, 0));
}

TEST(LanduseValuation, PricePerCo2eTimes44Over12) {
  EXPECT_NEAR(price_per_tc_from_co2e(12.0), 44.0, 1e-12);
}
