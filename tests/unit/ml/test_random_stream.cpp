// Random streams: SplitMix64 reference values, stream independence, unbiased bounded integers.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "minecarbon/ml/random_stream.h"

namespace ml = minecarbon::ml;

TEST(RandomStream, SplitMix64MatchesTheReferenceSequenceForSeedZero) {
  // Published first outputs of Vigna's splitmix64.c with state 0 (Steele, Lea & Flood 2014).
  std::uint64_t state = 0;
  EXPECT_EQ(ml::splitmix64_next(state), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(ml::splitmix64_next(state), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(ml::splitmix64_next(state), 0x06C45D188009454FULL);
  EXPECT_EQ(ml::splitmix64_next(state), 0xF88BB8A8724C81ECULL);
}

TEST(RandomStream, SameSeedPurposeAndIndexGiveTheSameStream) {
  ml::RandomStream a(7, ml::StreamPurpose::tree_growth, 3), b(7, ml::StreamPurpose::tree_growth, 3);
  for (int draw = 0; draw < 100; ++draw)
    EXPECT_EQ(a.next(), b.next());
}

TEST(RandomStream, NeighbouringIndicesSeedsAndPurposesGiveDifferentStreams) {
  std::set<std::uint64_t> first_draws;
  for (std::uint64_t seed : {0ULL, 1ULL, 2ULL}) {
    for (auto purpose : {ml::StreamPurpose::tree_growth, ml::StreamPurpose::permutation_importance,
                         ml::StreamPurpose::conditional_importance}) {
      for (std::uint64_t index = 0; index < 50; ++index) {
        first_draws.insert(ml::RandomStream(seed, purpose, index).next());
      }
    }
  }
  EXPECT_EQ(first_draws.size(), 3u * 3u * 50u);
}

TEST(RandomStream, UniformIndexStaysInRangeAndIsUniform) {
  // χ² goodness of fit over 7 bins, 70 000 draws: the 0.999 quantile of χ²(6) is 22.46.
  ml::RandomStream rng(1, ml::StreamPurpose::tree_growth, 0);
  std::vector<double> counts(7, 0.0);
  for (int draw = 0; draw < 70000; ++draw) {
    const auto value = rng.uniform_index(7);
    ASSERT_LT(value, 7u);
    counts[value] += 1;
  }
  double chi2 = 0;
  for (double count : counts)
    chi2 += (count - 10000.0) * (count - 10000.0) / 10000.0;
  EXPECT_LT(chi2, 22.46);
}

TEST(RandomStream, UniformIndexHandlesBoundsNearTwoToThe64) {
  ml::RandomStream rng(3, ml::StreamPurpose::tree_growth, 0);
  const std::uint64_t bound = (std::uint64_t{1} << 63) + 12345;
  bool high_half = false, low_half = false;
  for (int draw = 0; draw < 200; ++draw) {
    const auto value = rng.uniform_index(bound);
    ASSERT_LT(value, bound);
    (value >= (std::uint64_t{1} << 62) ? high_half : low_half) = true;
  }
  EXPECT_TRUE(high_half && low_half);
  EXPECT_EQ(rng.uniform_index(1), 0u);
}

TEST(RandomStream, ShuffleIsAPermutation) {
  ml::RandomStream rng(5, ml::StreamPurpose::permutation_importance, 0);
  std::vector<int> values(100);
  for (int idx = 0; idx < 100; ++idx)
    values[idx] = idx;
  rng.shuffle(std::span<int>(values));
  std::set<int> seen(values.begin(), values.end());
  EXPECT_EQ(seen.size(), 100u);
  int fixed_points = 0;
  for (int idx = 0; idx < 100; ++idx)
    fixed_points += values[idx] == idx;
  EXPECT_LT(fixed_points, 10);  // expected 1; P(≥ 10) is about 1e-7
}
