// Damage eqs 1–4 for one mine, with rounding noise snapped to zero.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "minecarbon/carbon/nep_change.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::carbon {
namespace {

TEST(NepChange, EquationsOneToFourByHand) {
  const std::vector<double> q = {300, 250, 180}, o = {320, 330, 300};
  const auto c = nep_change(q, o, 0, 2e6);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].change_rel_gC_m2_yr, 0);
  EXPECT_EQ(c[1].mine_change_gC_m2_yr, -50);  // P = 250 − 300
  EXPECT_EQ(c[1].ref_change_gC_m2_yr, 10);    // W = 330 − 320
  EXPECT_EQ(c[1].change_rel_gC_m2_yr, -60);   // S = P − W
  EXPECT_EQ(c[2].change_rel_gC_m2_yr, -100);  // (180 − 300) − (300 − 320)
  EXPECT_EQ(c[2].change_rel_gC_yr, -100 * 2e6);
}

TEST(NepChange, TheBaseYearNeedNotBeTheFirst) {
  const auto c = nep_change(std::vector<double>{300, 250}, std::vector<double>{320, 330}, 1, 1);
  EXPECT_EQ(c[0].change_rel_gC_m2_yr, 60);
  EXPECT_EQ(c[1].change_rel_gC_m2_yr, 0);
}

TEST(NepChange, RoundingNoiseIsZeroNotMinusFiveE14) {
  // The same mean reached by two summation orders differs in its last bit.
  const double a = 0.1 + 0.2 + 0.3, b = 0.3 + 0.2 + 0.1;
  ASSERT_NE(a - b, 0.0);
  EXPECT_EQ(difference_or_zero(a, b), 0.0);
  EXPECT_EQ(difference_or_zero(b, a), 0.0);
  EXPECT_FALSE(std::signbit(difference_or_zero(a, b)));
  const auto c = nep_change(std::vector<double>{a * 500, b * 500}, std::vector<double>{b, a}, 0, 1);
  EXPECT_EQ(c[1].change_rel_gC_m2_yr, 0.0);
}

TEST(NepChange, AMeanSummedWithRoundingIsNoChange) {
  // Seen on the synthetic world: the mean of cells all planted at 310.375.
  EXPECT_EQ(difference_or_zero(310.37499999999284, 310.375), 0.0);
}

TEST(NepChange, RealDifferencesSurviveTheSnap) {
  EXPECT_EQ(difference_or_zero(300.0, 299.999), 300.0 - 299.999);
  EXPECT_EQ(difference_or_zero(1e-9, 0.0), 1e-9) << "a small value against zero is real";
}

TEST(NepChange, MissingValuesGiveNaNForThatYearOnly) {
  const auto c =
      nep_change(std::vector<double>{300, kNaN, 280}, std::vector<double>{320, 320, 320}, 0, 1);
  EXPECT_TRUE(std::isnan(c[1].change_rel_gC_m2_yr));
  EXPECT_EQ(c[2].change_rel_gC_m2_yr, -20);
  const auto none = nep_change(std::vector<double>{kNaN, 250}, std::vector<double>{320, 330}, 0, 1);
  EXPECT_TRUE(std::isnan(none[1].change_rel_gC_m2_yr));
}

TEST(NepChange, MismatchedSeriesAreAProgrammingError) {
  EXPECT_THROW(nep_change(std::vector<double>{1, 2}, std::vector<double>{1}, 0, 1),
               std::invalid_argument);
  EXPECT_THROW(nep_change(std::vector<double>{1}, std::vector<double>{1}, 1, 1),
               std::invalid_argument);
}

}  // namespace
}  // namespace minecarbon::carbon
