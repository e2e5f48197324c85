// Exact streamed quantiles (histogram pass + refinement pass) against R's quantile(type = 1) and
// against the in-memory quantiles_type1 (quantile_type1.h): ties, NaN, ±0, ±inf, a constant
// sample, a range that misses the data, partials merged in any order.
#include "minecarbon/stats/streamed_quantile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::stats {
namespace {

// Both passes over `values`, split into `parts` chunks whose partials are merged in `order`.
std::vector<double> streamed(const std::vector<double>& values, const std::vector<double>& probs,
                             double lo, double hi, std::size_t bins, std::size_t parts = 1,
                             bool reverse = false) {
  const std::size_t chunk = (values.size() + parts - 1) / std::max<std::size_t>(parts, 1);
  std::vector<QuantileHistogram> hist(parts, QuantileHistogram(lo, hi, bins));
  for (std::size_t part = 0; part < parts; ++part) {
    const std::size_t begin = std::min(values.size(), part * chunk);
    const std::size_t end = std::min(values.size(), begin + chunk);
    hist[part].add(values.data() + begin, end - begin);
  }
  QuantileHistogram total(lo, hi, bins);
  for (std::size_t k = 0; k < parts; ++k)
    total.merge(hist[reverse ? parts - 1 - k : k]);
  std::vector<QuantileRefinement> refine(parts, QuantileRefinement(total, probs));
  for (std::size_t part = 0; part < parts; ++part) {
    const std::size_t begin = std::min(values.size(), part * chunk);
    const std::size_t end = std::min(values.size(), begin + chunk);
    refine[part].add(values.data() + begin, end - begin);
  }
  QuantileRefinement all(total, probs);
  for (std::size_t k = 0; k < parts; ++k)
    all.merge(refine[reverse ? parts - 1 - k : k]);
  return all.finish();
}

bool same_bits(double a, double b) {
  return std::signbit(a) == std::signbit(b) && (a == b || (std::isnan(a) && std::isnan(b)));
}

TEST(StreamedQuantile, NoValuesGivesNaN) {
  const std::vector<double> nan_only(7, std::nan(""));
  const auto q = streamed(nan_only, {0.0, 0.5, 1.0}, 0.0, 1.0, 16);
  ASSERT_EQ(q.size(), 3u);
  for (double v : q)
    EXPECT_TRUE(std::isnan(v));
}

TEST(StreamedQuantile, HandWorkedSample) {
  // Sorted: -3 1 1 2 5 5 5 9 (NaN dropped), n = 8.
  const std::vector<double> x{5, 1, std::nan(""), 9, -3, 5, 2, 1, 5};
  const std::vector<double> probs{0.0, 0.125, 0.25, 0.3, 0.5, 0.625, 0.9, 1.0};
  const std::vector<double> expected{-3, -3, 1, 1, 2, 5, 9, 9};
  EXPECT_EQ(quantiles_type1(x, probs), expected);
  EXPECT_EQ(streamed(x, probs, -3, 9, 4), expected);
}

TEST(StreamedQuantile, ConstantSampleIsOneRun) {
  const std::vector<double> x(10000, 0.731);
  const auto q = streamed(x, {0.0, 0.05, 0.5, 1.0}, 0.731, 0.731, 65536, 7);
  for (double v : q)
    EXPECT_EQ(v, 0.731);
}

TEST(StreamedQuantile, RangeMissingTheDataIsStillExact) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 10.0);
  std::vector<double> x(3000);
  for (double& v : x)
    v = normal(rng);
  x[5] = std::numeric_limits<double>::infinity();
  x[6] = -std::numeric_limits<double>::infinity();
  const std::vector<double> probs{0.0, 0.001, 0.02, 0.5, 0.98, 1.0};
  // Range covering only the middle: the tails sit in the outer bins.
  EXPECT_EQ(streamed(x, probs, -1.0, 1.0, 64), quantiles_type1(x, probs));
  EXPECT_EQ(streamed(x, probs, -1.0, 1.0, 64)[0], -std::numeric_limits<double>::infinity());
}

TEST(StreamedQuantile, SignedZerosOrderedAndReturned) {
  // 3 × −0, 2 × +0, and two other values: sorted −1, −0, −0, −0, +0, +0, 2.
  const std::vector<double> x{0.0, -0.0, 2.0, -0.0, -1.0, 0.0, -0.0};
  const std::vector<double> probs{2.0 / 7.0, 4.0 / 7.0, 5.0 / 7.0, 6.0 / 7.0};
  const auto q = streamed(x, probs, -1.0, 2.0, 3, 3, true);
  const auto sorted = quantiles_type1(x, probs);
  ASSERT_EQ(q.size(), sorted.size());
  for (std::size_t k = 0; k < q.size(); ++k)
    EXPECT_TRUE(same_bits(q[k], sorted[k])) << k;
  EXPECT_TRUE(std::signbit(q[0]));   // rank 2: −0
  EXPECT_FALSE(std::signbit(q[2]));  // rank 5: +0
}

TEST(StreamedQuantile, RandomDataMatchesInMemoryForAnySplit) {
  std::mt19937_64 rng(20261207);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::uniform_int_distribution<int> kind(0, 19);
  std::vector<double> x(200000);
  for (double& v : x) {
    const int k = kind(rng);
    v = k == 0   ? std::nan("")
        : k == 1 ? 0.0
        : k == 2 ? -0.0
        : k < 6  ? std::round(uniform(rng) * 50) / 50
                 : uniform(rng);
  }
  std::vector<double> probs{0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0};
  for (int k = 1; k < 50; ++k)
    probs.push_back(k / 50.0 + 1e-9);
  const auto sorted = quantiles_type1(x, probs);
  for (std::size_t bins : {1ul, 16ul, 4096ul, 65536ul}) {
    for (std::size_t parts : {1ul, 2ul, 13ul}) {
      const auto q = streamed(x, probs, -1.0, 1.0, bins, parts, parts == 13);
      for (std::size_t k = 0; k < q.size(); ++k)
        ASSERT_TRUE(same_bits(q[k], sorted[k]))
            << "bins " << bins << " parts " << parts << " p " << probs[k];
    }
  }
}

TEST(StreamedQuantile, FloatInputsAsDoubles) {
  std::vector<float> x{0.5f, 0.25f, std::nanf(""), 0.75f, 0.25f};
  QuantileHistogram hist(0.0, 1.0, 8);
  hist.add(x.data(), x.size());
  EXPECT_EQ(hist.count(), 4u);
  QuantileRefinement refine(hist, {0.5, 1.0});
  refine.add(x.data(), x.size());
  EXPECT_EQ(refine.finish(), (std::vector<double>{0.25, 0.75}));
}

TEST(StreamedQuantile, BadSetupIsAConfigError) {
  EXPECT_THROW(QuantileHistogram(1.0, 0.0), ConfigError);
  EXPECT_THROW(QuantileHistogram(0.0, std::numeric_limits<double>::infinity()), ConfigError);
  EXPECT_THROW(QuantileHistogram(0.0, 1.0, 0), ConfigError);
  QuantileHistogram a(0.0, 1.0, 8), b(0.0, 2.0, 8);
  EXPECT_THROW(a.merge(b), ConfigError);
  EXPECT_THROW(QuantileRefinement(a, {-0.1}), ConfigError);
}

TEST(StreamedQuantile, RefinementOnOtherDataIsARunError) {
  QuantileHistogram hist(0.0, 1.0, 4);
  const std::vector<double> x{0.1, 0.2, 0.3};
  hist.add(x.data(), x.size());
  QuantileRefinement refine(hist, {1.0});
  refine.add(0.9);  // another bin: pass B did not see the data pass A counted
  EXPECT_THROW(refine.finish(), RunError);
}

// R 4.2.2 quantile(x, p, type = 1, na.rm = TRUE) on 5003 values with ties, zeros and NA
// (tests/data/streamed_quantile/make_reference.R): equal, not close.
TEST(StreamedQuantile, MatchesRQuantileType1) {
  const std::string dir = std::string(MC_TEST_DATA_DIR) + "/streamed_quantile/";
  std::ifstream values_in(dir + "values.csv");
  ASSERT_TRUE(values_in) << dir;
  std::vector<double> x;
  for (std::string line; std::getline(values_in, line);)
    x.push_back(line == "NA" ? std::nan("") : std::stod(line));
  ASSERT_EQ(x.size(), 5003u);
  std::ifstream q_in(dir + "quantiles.csv");
  std::string line;
  std::getline(q_in, line);  // header
  std::vector<double> probs, expected;
  while (std::getline(q_in, line)) {
    const auto comma = line.find(',');
    probs.push_back(std::stod(line.substr(0, comma)));
    expected.push_back(std::stod(line.substr(comma + 1)));
  }
  ASSERT_EQ(probs.size(), 15u);
  EXPECT_EQ(quantiles_type1(x, probs), expected);
  // Data range from the sample itself, as a min/max pass would give it; and a coarse histogram.
  EXPECT_EQ(streamed(x, probs, -0.489, 1.6, 65536, 5), expected);
  EXPECT_EQ(streamed(x, probs, -1.0, 2.0, 7, 3, true), expected);
}

}  // namespace
}  // namespace minecarbon::stats
