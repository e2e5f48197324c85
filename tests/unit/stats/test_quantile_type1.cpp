// The one in-memory R quantile(type = 1) (stats/quantile_type1.h): ranks, R's own answers on hand
// samples (with NA), the in-place variant the CASA extremes use, and agreement in bits with a full
// sort in the IEEE total order (±0 included). The streamed version is tested against it in
// test_streamed_quantile.cpp.
#include "minecarbon/stats/quantile_type1.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::stats {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

TEST(QuantileType1, RankIsCeilingOfNpAsRComputesIt) {
  // n·p whole: the value of rank n·p; otherwise the next rank; p = 0 → rank 1.
  EXPECT_EQ(type1_rank(100, 0.0), 1u);
  EXPECT_EQ(type1_rank(100, 0.05), 5u);  // 100·0.05 = 5 exactly in double
  EXPECT_EQ(type1_rank(100, 0.051), 6u);
  EXPECT_EQ(type1_rank(3, 1.0 / 3.0), 1u);  // 3·(1/3) = 1 in double
  EXPECT_EQ(type1_rank(7, 1.0), 7u);
  EXPECT_EQ(type1_rank(1, 0.5), 1u);
  EXPECT_EQ(type1_rank(10, 0.05), 1u);
  EXPECT_EQ(type1_rank(10, 0.1), 1u);
  EXPECT_EQ(type1_rank(10, 0.11), 2u);
  EXPECT_EQ(type1_rank(10, 0.5), 5u);
  EXPECT_EQ(type1_rank(1681, 0.05), 85u);  // 84.05 -> 85
  EXPECT_THROW(type1_rank(10, 1.5), ConfigError);
  EXPECT_THROW(type1_rank(10, -0.1), ConfigError);
  EXPECT_THROW(type1_rank(10, kNaN), ConfigError);
}

TEST(QuantileType1, MatchesRWithNaSkipped) {
  const std::vector<double> values{5, kNaN, 1, 4, 2, 3};
  const std::vector<double> probs{0.0, 0.2, 0.5, 0.6, 1.0};
  // R: quantile(c(5, NA, 1, 4, 2, 3), c(0, .2, .5, .6, 1), type = 1, na.rm = TRUE) = 1 1 3 3 5
  EXPECT_EQ(quantiles_type1(values, probs), (std::vector<double>{1, 1, 3, 3, 5}));
  const std::vector<double> none{kNaN};
  EXPECT_TRUE(std::isnan(quantiles_type1(none, probs)[0]));
  const std::vector<double> bad{0.5, 1.5};
  EXPECT_THROW(quantiles_type1(values, bad), ConfigError);
  EXPECT_THROW(quantiles_type1(none, bad), ConfigError);  // even with nothing to rank
}

TEST(QuantileType1, InPlaceMatchesR) {
  // R: x <- c(3.5,1,7,2,9,4,4,8,6,5,0.5,11,10,12,13,2.5,14,15,16,17);
  //    quantile(x, c(0, .05, .1, .5, .95, 1), type = 1) -> 0.5 0.5 1 7 16 17
  const std::vector<double> x{3.5, 1,  7,  2,  9,  4,   4,  8,  6,  5,
                              0.5, 11, 10, 12, 13, 2.5, 14, 15, 16, 17};
  const double p[] = {0.0, 0.05, 0.1, 0.5, 0.95, 1.0};
  const double r[] = {0.5, 0.5, 1.0, 7.0, 16.0, 17.0};
  for (int k = 0; k < 6; ++k) {
    std::vector<double> copy = x;
    EXPECT_EQ(quantile_type1_in_place(copy, p[k]), r[k]) << "p = " << p[k];
    std::sort(copy.begin(), copy.end());
    std::vector<double> sorted_x = x;
    std::sort(sorted_x.begin(), sorted_x.end());
    EXPECT_EQ(copy, sorted_x);  // reordered, not changed
  }
  EXPECT_EQ(quantiles_type1(x, std::vector<double>(p, p + 6)), std::vector<double>(r, r + 6));
}

TEST(QuantileType1, EqualsAFullSortInTotalOrderBitForBit) {
  std::mt19937_64 rng(20261207);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::uniform_int_distribution<int> kind(0, 9);
  std::vector<double> x(20000);
  for (double& v : x) {
    const int k = kind(rng);
    v = k == 0   ? kNaN
        : k == 1 ? 0.0
        : k == 2 ? -0.0
        : k < 5  ? std::round(uniform(rng) * 20) / 20
                 : uniform(rng);
  }
  std::vector<double> sorted;
  for (double v : x)
    if (!std::isnan(v)) sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end(), [](double a, double b) {
    return std::signbit(a) != std::signbit(b) && a == b ? std::signbit(a) : a < b;
  });
  std::vector<double> probs;
  for (int k = 0; k <= 100; ++k)
    probs.push_back(k / 100.0);
  const auto q = quantiles_type1(x, probs);
  for (std::size_t k = 0; k < probs.size(); ++k) {
    const double expected = sorted[type1_rank(sorted.size(), probs[k]) - 1];
    ASSERT_TRUE(same_bits(q[k], expected)) << "p = " << probs[k];
  }
}

}  // namespace
}  // namespace minecarbon::stats
