// FixedPointSum (rs/fixed_point_sum.h) and the co-moment accumulator built on it (rs/rsei.h)
// against the geo::ExactSum-only accumulator they replaced: randomized equality, bit for bit.
// The reference below is the previous CoMomentAccumulator (every term added to a geo::ExactSum
// expansion), kept here verbatim in its arithmetic so that the speed-up is shown to change no bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "minecarbon/geo/exact_sum.h"
#include "minecarbon/rs/fixed_point_sum.h"
#include "minecarbon/rs/rsei.h"

namespace minecarbon::rs {
namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// hi = the exact total rounded; lo = the rest rounded (what rsei.cpp's split() reads).
std::pair<double, double> split(const geo::ExactSum& sum) {
  const double hi = sum.value();
  geo::ExactSum rest = sum;
  rest.add(-hi);
  return {hi, rest.value()};
}

// Terms over the whole double range, subnormals included, with exact cancellations.
std::vector<double> adversarial_terms(std::size_t count, std::uint64_t seed, int min_exp,
                                      int max_exp) {
  std::mt19937_64 engine(seed);
  std::uniform_int_distribution<int> exponent(min_exp, max_exp);
  std::uniform_real_distribution<double> mantissa(1.0, 2.0);
  std::bernoulli_distribution negative(0.5), repeat(0.1);
  std::vector<double> out;
  while (out.size() < count) {
    double x = std::ldexp(mantissa(engine), exponent(engine));
    if (negative(engine)) x = -x;
    out.push_back(x);
    if (repeat(engine)) out.push_back(-x);  // exact cancellation
  }
  return out;
}

TEST(FixedPointSum, EqualsExactSumBitForBitOnRandomTerms) {
  struct Range {
    int min_exp, max_exp;
  };
  // Subnormals and the lowest normals; a narrow range (long carries); the whole usable range.
  const Range ranges[] = {{-1074, -1000}, {-10, 10}, {-60, 60}, {-1074, 990}, {500, 990}};
  std::uint64_t seed = 1;
  for (const Range& range : ranges) {
    for (std::size_t count : {1u, 2u, 17u, 1000u, 20000u}) {
      const auto terms = adversarial_terms(count, seed++, range.min_exp, range.max_exp);
      geo::ExactSum direct;
      FixedPointSum fixed;
      for (double t : terms) {
        direct.add(t);
        fixed.add(t);
      }
      geo::ExactSum handed;
      fixed.to_exact_sum(handed);
      const auto [hi_direct, lo_direct] = split(direct);
      const auto [hi_fixed, lo_fixed] = split(handed);
      EXPECT_TRUE(same_bits(hi_direct, hi_fixed))
          << "range " << range.min_exp << ".." << range.max_exp << ", " << count
          << " terms: " << hi_direct << " vs " << hi_fixed;
      EXPECT_TRUE(same_bits(lo_direct, lo_fixed)) << lo_direct << " vs " << lo_fixed;
    }
  }
}

TEST(FixedPointSum, MergedPartsInAnyOrderEqualTheWhole) {
  const auto terms = adversarial_terms(30000, 99, -200, 200);
  FixedPointSum whole;
  for (double t : terms)
    whole.add(t);
  std::vector<FixedPointSum> parts(7);
  for (std::size_t i = 0; i < terms.size(); ++i)
    parts[(i * 2654435761u) % parts.size()].add(terms[i]);
  FixedPointSum forward, backward;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    forward.merge(parts[p]);
    backward.merge(parts[parts.size() - 1 - p]);
  }
  for (const FixedPointSum* s : {&forward, &backward}) {
    geo::ExactSum a, b;
    whole.to_exact_sum(a);
    s->to_exact_sum(b);
    EXPECT_TRUE(same_bits(a.value(), b.value()));
    EXPECT_TRUE(same_bits(split(a).second, split(b).second));
  }
}

TEST(FixedPointSum, CancellingToZeroIsEmptyAndExactZero) {
  FixedPointSum sum;
  EXPECT_TRUE(sum.empty());
  for (double t : {1e300, 3.0, -1e300, 5e-324, -3.0, -5e-324})
    sum.add(t);
  sum.normalise();
  EXPECT_TRUE(sum.empty());
  geo::ExactSum out;
  sum.to_exact_sum(out);
  EXPECT_TRUE(same_bits(out.value(), 0.0));
}

// --- The previous co-moment accumulator (all sums in geo::ExactSum), as the reference ----------

struct DD {
  double hi = 0, lo = 0;
};
DD two_sum(double a, double b) {
  const double s = a + b;
  const double bv = s - a;
  return {s, (a - (s - bv)) + (b - bv)};
}
DD two_prod(double a, double b) {
  const double p = a * b;
  return {p, std::fma(a, b, -p)};
}
DD split_dd(const geo::ExactSum& sum) {
  const auto [hi, lo] = split(sum);
  return {hi, lo};
}

class ReferenceCoMoments {
 public:
  void add(const IndicatorVector& x) {
    for (double v : x)
      if (!std::isfinite(v)) return;
    ++n_;
    std::size_t pair = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      min_[k] = std::min(min_[k], x[k]);
      max_[k] = std::max(max_[k], x[k]);
      sum_d_[k].add(x[k]);
      for (std::size_t l = k; l < 4; ++l) {
        const DD product = two_prod(x[k], x[l]);
        sum_dd_[pair].add(product.hi);
        sum_dd_[pair].add(product.lo);
        ++pair;
      }
    }
  }
  CoMoments finish() const {
    CoMoments out;
    out.n = n_;
    out.min = min_;
    out.max = max_;
    const double n = static_cast<double>(n_);
    std::array<DD, 4> sum_d;
    for (std::size_t k = 0; k < 4; ++k) {
      sum_d[k] = split_dd(sum_d_[k]);
      out.mean[k] = (sum_d[k].hi + sum_d[k].lo) / n + 0.0;
    }
    std::size_t pair = 0;
    for (std::size_t k = 0; k < 4; ++k)
      for (std::size_t l = k; l < 4; ++l) {
        const DD sum_dd = split_dd(sum_dd_[pair++]);
        DD a = two_prod(n, sum_dd.hi);
        a.lo += n * sum_dd.lo;
        DD b = two_prod(sum_d[k].hi, sum_d[l].hi);
        b.lo += sum_d[k].hi * sum_d[l].lo + sum_d[k].lo * sum_d[l].hi;
        DD c = two_sum(a.hi, -b.hi);
        c.lo += a.lo - b.lo;
        const double cov = (c.hi + c.lo) / n / (n - 1.0);
        out.covariance(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(l)) = cov;
        out.covariance(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(k)) = cov;
      }
    return out;
  }

 private:
  std::uint64_t n_ = 0;
  IndicatorVector min_{kInf, kInf, kInf, kInf}, max_{-kInf, -kInf, -kInf, -kInf};
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  std::array<geo::ExactSum, 4> sum_d_;
  std::array<geo::ExactSum, 10> sum_dd_;
};

bool same_bits(const CoMoments& a, const CoMoments& b) {
  return a.n == b.n && std::memcmp(a.min.data(), b.min.data(), sizeof(a.min)) == 0 &&
         std::memcmp(a.max.data(), b.max.data(), sizeof(a.max)) == 0 &&
         std::memcmp(a.mean.data(), b.mean.data(), sizeof(a.mean)) == 0 &&
         std::memcmp(a.covariance.data(), b.covariance.data(), sizeof(double) * 16) == 0;
}

TEST(CoMomentAccumulator, EqualsTheExactSumOnlyAccumulatorBitForBit) {
  std::mt19937_64 engine(2026);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<int> scale_exp(-40, 40);
  for (int trial = 0; trial < 40; ++trial) {
    // Indicator-like vectors (NDVI, WET, NDBSI in [−1, 1], LST in °C), then wilder scales and
    // offsets (a large mean against a small spread), some NaN rows, some constant columns.
    // Trials 36..39: values whose products underflow (2⁻⁵³⁰ → products near 2⁻¹⁰⁶⁰, subnormal;
    // 2⁻⁴⁹⁰ → exponent sums just below the FMA's exact range) or near 2⁹⁶⁰ (products within FixedPointSum's domain): the paths
    // where products are added as rounded value + error instead of exact integers.
    const int extreme_exp[] = {-530, -490, -484, 480};
    const bool extreme = trial >= 36;
    const double offset = !extreme && trial % 4 == 0 ? std::ldexp(1.0, scale_exp(engine)) : 0.0;
    const double scale = extreme          ? std::ldexp(1.0, extreme_exp[trial - 36])
                         : trial % 3 == 0 ? std::ldexp(1.0, scale_exp(engine))
                                          : 1.0;
    const std::size_t count = 2 + static_cast<std::size_t>(trial) * 397;
    ReferenceCoMoments reference;
    CoMomentAccumulator fast;
    std::vector<CoMomentAccumulator> parts(5);
    for (std::size_t i = 0; i < count; ++i) {
      const double common = unit(engine);
      IndicatorVector x{offset + scale * (common + 0.1 * unit(engine)),
                        offset + scale * (0.3 * unit(engine) - 0.5 * common),
                        trial % 7 == 0 ? 0.25 : offset + scale * unit(engine),
                        extreme ? scale * unit(engine) : 25.0 + 10.0 * common + unit(engine)};
      if (i % 101 == 7) x[static_cast<std::size_t>(i % 4)] = std::nan("");
      reference.add(x);
      fast.add(x);
      parts[i % parts.size()].add(x);
    }
    CoMomentAccumulator merged;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
      merged.merge(*it);
    const CoMoments want = reference.finish();
    EXPECT_TRUE(same_bits(want, fast.finish())) << "trial " << trial;
    EXPECT_TRUE(same_bits(want, merged.finish())) << "trial " << trial << " (merged parts)";
  }
}

}  // namespace
}  // namespace minecarbon::rs
