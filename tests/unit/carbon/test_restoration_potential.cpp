// potential = max(0, ŷ − y) for one mine, its interval and its total, against values by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "minecarbon/carbon/restoration_potential.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::carbon {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(RestorationPotential, IsTheGapAboveTheObservedResponse) {
  EXPECT_EQ(restoration_potential(250, 100), 150);
  EXPECT_EQ(restoration_potential(-20, -80), 60);  // a loss smaller than predicted is no gain
}

TEST(RestorationPotential, IsZeroForAMineAboveItsPrediction) {
  EXPECT_EQ(restoration_potential(100, 250), 0);
  EXPECT_EQ(restoration_potential(100, 100), 0);
}

TEST(RestorationPotential, MissingDataIsNaNNeverZero) {
  EXPECT_TRUE(std::isnan(restoration_potential(kNaN, 100)));
  EXPECT_TRUE(std::isnan(restoration_potential(100, kNaN)));
  EXPECT_TRUE(std::isnan(restoration_potential(kInf, 100)));
  EXPECT_TRUE(std::isnan(restoration_potential(100, -kInf)));
}

TEST(RestorationPotential, IntervalIsShiftedByTheObservedValueAndClamped) {
  const auto p = restoration_potential_interval(300, 180, 420, 200);
  EXPECT_TRUE(p.known);
  EXPECT_EQ(p.potential, 100);
  EXPECT_EQ(p.low, 0);  // 180 − 200 < 0, clamped
  EXPECT_EQ(p.high, 220);
  EXPECT_FALSE(p.excludes_zero);  // the interval reaches below the observed value
}

TEST(RestorationPotential, IntervalAboveTheObservedValueExcludesZero) {
  const auto p = restoration_potential_interval(300, 210, 420, 200);
  EXPECT_EQ(p.low, 10);
  EXPECT_TRUE(p.excludes_zero);
  // The lower quantile equal to the observed value does not exclude zero.
  EXPECT_FALSE(restoration_potential_interval(300, 200, 420, 200).excludes_zero);
}

TEST(RestorationPotential, IntervalOfAMineWithoutDataIsNaN) {
  for (const auto& p : {restoration_potential_interval(kNaN, 1, 2, 0),
                        restoration_potential_interval(1, 0, 2, kNaN)}) {
    EXPECT_FALSE(p.known);
    EXPECT_FALSE(p.excludes_zero);
    EXPECT_TRUE(std::isnan(p.potential));
    EXPECT_TRUE(std::isnan(p.low));
    EXPECT_TRUE(std::isnan(p.high));
  }
  // A missing bound is NaN on its own; the point value stays.
  const auto p = restoration_potential_interval(300, kNaN, 420, 200);
  EXPECT_TRUE(p.known);
  EXPECT_EQ(p.potential, 100);
  EXPECT_TRUE(std::isnan(p.low));
  EXPECT_EQ(p.high, 220);
}

TEST(RestorationPotential, TotalIsGigagramsPerYear) {
  // 150 gC m⁻² yr⁻¹ over 2 km² = 3e8 g C/yr = 0.3 Gg C/yr.
  EXPECT_DOUBLE_EQ(potential_GgC_yr(150, 2e6), 0.3);
  EXPECT_TRUE(std::isnan(potential_GgC_yr(kNaN, 2e6)));
}

}  // namespace
}  // namespace minecarbon::carbon
