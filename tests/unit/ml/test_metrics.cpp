// Error metrics worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/metrics.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;

TEST(Metrics, EmptyOrMismatchedInputIsADataError) {
  const std::vector<double> two = {1, 2}, three = {1, 2, 3}, none;
  EXPECT_THROW(ml::rmse(two, three), mc::DataError);
  EXPECT_THROW(ml::mae(none, none), mc::DataError);
  EXPECT_THROW(ml::r_squared(two, three), mc::DataError);
}

TEST(Metrics, HandWorkedValues) {
  const std::vector<double> observed = {1, 2, 3, 4}, predicted = {2, 2, 3, 2};
  // errors 1, 0, 0, −2: SSE 5, SST 5 (mean 2.5)
  EXPECT_DOUBLE_EQ(ml::rmse(predicted, observed), std::sqrt(5.0 / 4.0));
  EXPECT_DOUBLE_EQ(ml::mae(predicted, observed), 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(ml::r_squared(predicted, observed), 0.0);
  EXPECT_DOUBLE_EQ(ml::r_squared(observed, observed), 1.0);
}

TEST(Metrics, RSquaredOfConstantObservationsIsNaN) {
  const std::vector<double> observed = {2, 2, 2}, predicted = {1, 2, 3};
  EXPECT_TRUE(std::isnan(ml::r_squared(predicted, observed)));
}
