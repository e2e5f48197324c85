#include "minecarbon/rs/rsei.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::rs {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// An unevaluated sum hi + lo of two doubles (double-double).
struct DoubleDouble {
  double hi = 0, lo = 0;
};

// Knuth's TwoSum: s + e == a + b exactly.
DoubleDouble two_sum(double a, double b) {
  const double s = a + b;
  const double b_virtual = s - a;
  const double e = (a - (s - b_virtual)) + (b - b_virtual);
  return {s, e};
}

// p + e == a·b exactly (fused multiply-add gives the rounding error of the product).
DoubleDouble two_prod(double a, double b) {
  const double p = a * b;
  return {p, std::fma(a, b, -p)};
}

// The exact sum held by `sum` as hi + lo: hi its rounded value, lo the rounded remainder.
DoubleDouble split(const geo::ExactSum& sum) {
  const double hi = sum.value();
  geo::ExactSum rest = sum;
  rest.add(-hi);
  return {hi, rest.value()};
}

std::string indicator_name(std::size_t k) {
  return std::string(kRseiIndicatorNames.name(static_cast<RseiIndicator>(k)));
}

std::string prefix(const std::string& where) {
  return where.empty() ? "RSEI: " : where + ": ";
}

}  // namespace

CoMomentAccumulator::CoMomentAccumulator(const IndicatorVector& shift) : shift_(shift) {
  min_.fill(kInf);
  max_.fill(-kInf);
}

bool CoMomentAccumulator::add(const IndicatorVector& x) {
  IndicatorVector d;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    if (!std::isfinite(x[k])) return false;
    d[k] = x[k] - shift_[k];
  }
  ++n_;
  // Each d_k as ±mantissa·2^(position − 1074) (fixed_point_sum.h), once per vector.
  std::array<std::uint64_t, kRseiIndicatorCount> mantissa{}, negative{};
  std::array<std::uint32_t, kRseiIndicatorCount> position{};
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    std::uint64_t bits;
    std::memcpy(&bits, &d[k], sizeof bits);
    const std::uint64_t biased = (bits >> 52) & 0x7FF;
    mantissa[k] = (bits & ((std::uint64_t{1} << 52) - 1)) | (biased ? std::uint64_t{1} << 52 : 0);
    position[k] = static_cast<std::uint32_t>(biased == 0 ? 0 : biased - 1);
    negative[k] = bits >> 63;
  }
  std::size_t pair = 0;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    min_[k] = x[k] < min_[k] ? x[k] : min_[k];
    max_[k] = x[k] > max_[k] ? x[k] : max_[k];
    if (FixedPointSum::is_exact_term(d[k])) [[likely]]
      sum_d_[k].add(d[k]);
    else
      sum_d_overflow_[k].add(d[k]);
    for (std::size_t l = k; l < kRseiIndicatorCount; ++l, ++pair) {
      // Σdd is kept exact, so the spread survives a mean large against it (fl(d·d) alone loses
      // it: 1e9 + 1 squared is off by up to 64). The exact product enters the sum either as its
      // 106-bit integer m_k·m_l at bit position p_k + p_l − 1074 or, outside the range where
      // that is safe, as its rounded value plus the rounding error (an FMA). Both give the same
      // exact total: in the range below (both terms normal, exponent sum ≥ −968, product below
      // 2¹⁰¹⁸) the FMA's error is exact, so rounded value + error = the product (exactness of
      // the FMA-based TwoProduct when e_a + e_b ≥ e_min + p − 1 = −970: Muller et al.,
      // Handbook of Floating-Point Arithmetic, 2nd ed. 2018, "2MultFMA"). Tested against the
      // ExactSum-only accumulator on tiny and huge values too (test_fixed_point_sum.cpp).
      const std::uint32_t product_position = position[k] + position[l];
      if (mantissa[k] == 0 || mantissa[l] == 0) continue;  // ±0: adds nothing either way
      if (position[k] > 0 && position[l] > 0 && product_position >= 1076 &&
          product_position <= 3060) [[likely]] {
        FixedPointSum& sum = sum_dd_[pair];
        const unsigned __int128 product =
            static_cast<unsigned __int128>(mantissa[k]) * mantissa[l];  // < 2¹⁰⁶
        const std::uint32_t bit = product_position - 1074;
        const std::size_t digit = bit >> 5;
        const unsigned shift = bit & 31;
        const unsigned __int128 low = product << shift;  // bits 0..127 of the shifted product
        const std::uint64_t top =
            shift == 0 ? 0 : static_cast<std::uint64_t>(product >> (128 - shift));  // < 2⁹
        const std::int64_t pieces[5] = {
            static_cast<std::int64_t>(static_cast<std::uint64_t>(low) & 0xFFFFFFFFu),
            static_cast<std::int64_t>(static_cast<std::uint64_t>(low) >> 32),
            static_cast<std::int64_t>(static_cast<std::uint64_t>(low >> 64) & 0xFFFFFFFFu),
            static_cast<std::int64_t>(static_cast<std::uint64_t>(low >> 96)),
            static_cast<std::int64_t>(top)};
        if (negative[k] ^ negative[l]) {
          for (std::size_t j = 0; j < 5; ++j)
            sum.digits_[digit + j] -= pieces[j];
        } else {
          for (std::size_t j = 0; j < 5; ++j)
            sum.digits_[digit + j] += pieces[j];
        }
        if (++sum.pending_ >= FixedPointSum::kNormaliseAfter) sum.normalise();
        continue;
      }
      const DoubleDouble product = two_prod(d[k], d[l]);
      if (FixedPointSum::is_exact_term(product.hi) && FixedPointSum::is_exact_term(product.lo)) {
        sum_dd_[pair].add(product.hi);
        sum_dd_[pair].add(product.lo);
      } else {
        sum_dd_overflow_[pair].add(product.hi);
        sum_dd_overflow_[pair].add(product.lo);
      }
    }
  }
  return true;
}

void CoMomentAccumulator::merge(const CoMomentAccumulator& other) {
  if (other.shift_ != shift_)
    throw std::logic_error("CoMomentAccumulator::merge: partials with different shifts");
  n_ += other.n_;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    min_[k] = other.min_[k] < min_[k] ? other.min_[k] : min_[k];
    max_[k] = other.max_[k] > max_[k] ? other.max_[k] : max_[k];
    sum_d_[k].merge(other.sum_d_[k]);
    sum_d_overflow_[k].merge(other.sum_d_overflow_[k]);
  }
  for (std::size_t pair = 0; pair < kPairs; ++pair) {
    sum_dd_[pair].merge(other.sum_dd_[pair]);
    sum_dd_overflow_[pair].merge(other.sum_dd_overflow_[pair]);
  }
}

CoMoments CoMomentAccumulator::finish() const {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  CoMoments out;
  out.n = n_;
  out.min = min_;
  out.max = max_;
  if (n_ == 0) {
    out.min.fill(kNaN);
    out.max.fill(kNaN);
    out.mean.fill(kNaN);
    out.covariance.setConstant(kNaN);
    return out;
  }
  const double n = static_cast<double>(n_);
  // The exact sums as geo::ExactSum: the overflow terms (if any) plus the fixed-point totals.
  const auto exact = [](const geo::ExactSum& overflow, const FixedPointSum& fixed) {
    geo::ExactSum out = overflow;
    fixed.to_exact_sum(out);
    return out;
  };
  std::array<DoubleDouble, kRseiIndicatorCount> sum_d;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    sum_d[k] = split(exact(sum_d_overflow_[k], sum_d_[k]));
    out.mean[k] = (sum_d[k].hi + sum_d[k].lo) / n + shift_[k];
  }
  std::size_t pair = 0;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    for (std::size_t l = k; l < kRseiIndicatorCount; ++l) {
      const DoubleDouble sum_dd = split(exact(sum_dd_overflow_[pair], sum_dd_[pair]));
      ++pair;
      // n·M₂ = n·Σdd − Σd_k·Σd_l in double-double: the two terms nearly cancel when the mean is
      // large against the spread, so each is formed to ~2⁻¹⁰⁶ before the subtraction.
      DoubleDouble a = two_prod(n, sum_dd.hi);
      a.lo += n * sum_dd.lo;
      DoubleDouble b = two_prod(sum_d[k].hi, sum_d[l].hi);
      b.lo += sum_d[k].hi * sum_d[l].lo + sum_d[k].lo * sum_d[l].hi;
      DoubleDouble c = two_sum(a.hi, -b.hi);
      c.lo += a.lo - b.lo;
      const double n_m2 = c.hi + c.lo;
      const double cov = n_ < 2 ? kNaN : n_m2 / n / (n - 1.0);
      out.covariance(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(l)) = cov;
      out.covariance(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(k)) = cov;
    }
  }
  return out;
}

NormalisationBounds min_max_bounds(const CoMoments& raw, const std::string& where) {
  if (raw.n < 2)
    throw DataError(prefix(where) +
                    "RSEI needs at least 2 valid pixels (all four indicators "
                    "ndvi, wet, ndbsi, lst_C finite and not masked); found " +
                    std::to_string(raw.n) + "; check the masks, the band map and the scaling");
  NormalisationBounds out;
  out.clamp = false;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    if (!(raw.max[k] > raw.min[k]))
      throw DataError(prefix(where) + "indicator " + indicator_name(k) + " is constant (" +
                      format_plain(raw.min[k]) + " on all " + std::to_string(raw.n) +
                      " valid pixels): its min-max normalisation and the PCA are undefined; "
                      "check the bands of this indicator or the masks");
    out.low[k] = raw.min[k];
    out.high[k] = raw.max[k];
  }
  return out;
}

NormalisationBounds percentile_bounds(const IndicatorVector& low, const IndicatorVector& high,
                                      const std::string& where) {
  NormalisationBounds out;
  out.clamp = true;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    if (!(high[k] > low[k]))
      throw DataError(prefix(where) + "indicator " + indicator_name(k) +
                      ": its low and high percentiles are equal (" + format_plain(low[k]) +
                      "), so the percentile normalisation is undefined; use rsei_normalisation = "
                      "\"min_max\" or check the indicator's bands");
    out.low[k] = low[k];
    out.high[k] = high[k];
  }
  return out;
}

Eigen::Matrix4d normalised_covariance(const Eigen::Matrix4d& raw_covariance,
                                      const NormalisationBounds& bounds) {
  Eigen::Matrix4d out;
  for (Eigen::Index k = 0; k < 4; ++k)
    for (Eigen::Index l = 0; l < 4; ++l) {
      const auto uk = static_cast<std::size_t>(k), ul = static_cast<std::size_t>(l);
      out(k, l) = raw_covariance(k, l) /
                  ((bounds.high[uk] - bounds.low[uk]) * (bounds.high[ul] - bounds.low[ul]));
    }
  return out;
}

Eigen::Matrix4d correlation_from_covariance(const Eigen::Matrix4d& covariance) {
  const Eigen::Vector4d inv_sd = covariance.diagonal().cwiseSqrt().cwiseInverse();
  Eigen::Matrix4d out = inv_sd.asDiagonal() * covariance * inv_sd.asDiagonal();
  for (Eigen::Index k = 0; k < 4; ++k)
    if (std::isfinite(out(k, k))) out(k, k) = 1.0;  // exactly 1, not 1 ± an ulp
  return out;
}

int pc1_orientation_sign(const IndicatorVector& v) {
  const auto at = [&](RseiIndicator indicator) { return v[static_cast<std::size_t>(indicator)]; };
  if (at(RseiIndicator::ndvi) != 0.0) return at(RseiIndicator::ndvi) > 0.0 ? 1 : -1;
  if (at(RseiIndicator::wet) != 0.0) return at(RseiIndicator::wet) > 0.0 ? 1 : -1;
  if (at(RseiIndicator::lst) != 0.0) return at(RseiIndicator::lst) < 0.0 ? 1 : -1;
  if (at(RseiIndicator::ndbsi) != 0.0) return at(RseiIndicator::ndbsi) < 0.0 ? 1 : -1;
  return 1;
}

RseiPca rsei_pca_from_vector(const Eigen::Matrix4d& covariance_of_ni, RseiPcaMatrix kind,
                             const IndicatorVector& pc1_vector,
                             const std::array<double, kRseiIndicatorCount>& eigenvalues_desc) {
  RseiPca out;
  out.matrix_kind = kind;
  out.eigenvalues = eigenvalues_desc;
  double total = 0;
  for (double lambda : eigenvalues_desc)
    total += lambda;
  out.pc1_share = eigenvalues_desc[0] / total;
  out.orientation_sign = pc1_orientation_sign(pc1_vector);
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    // Negation is exact, so −v and v give the same oriented loadings bit for bit.
    out.pc1_loadings[k] = out.orientation_sign > 0 ? pc1_vector[k] : -pc1_vector[k];
    const auto kk = static_cast<Eigen::Index>(k);
    out.projection_weights[k] = kind == RseiPcaMatrix::covariance
                                    ? out.pc1_loadings[k]
                                    : out.pc1_loadings[k] / std::sqrt(covariance_of_ni(kk, kk));
  }
  return out;
}

RseiPca rsei_pca(const Eigen::Matrix4d& covariance_of_ni, RseiPcaMatrix kind,
                 const std::string& where) {
  if (!covariance_of_ni.allFinite())
    throw DataError(prefix(where) +
                    "the covariance matrix of the normalised indicators has a "
                    "non-finite entry (fewer than 2 valid pixels?); the PCA is undefined");
  for (Eigen::Index k = 0; k < 4; ++k)
    if (!(covariance_of_ni(k, k) > 0.0))
      throw DataError(prefix(where) + "indicator " + indicator_name(static_cast<std::size_t>(k)) +
                      " has zero variance after normalisation: the PCA is undefined; check its "
                      "bands or the masks");
  Eigen::Matrix4d matrix = covariance_of_ni;
  if (kind == RseiPcaMatrix::correlation) matrix = correlation_from_covariance(covariance_of_ni);
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix4d> solver(matrix);
  if (solver.info() != Eigen::Success)
    throw RunError(prefix(where) + "the eigen-decomposition of the 4x4 " +
                   std::string(kRseiPcaMatrixNames.name(kind)) + " matrix did not converge");
  // Eigen sorts eigenvalues ascending: PC1 is the last column.
  std::array<double, kRseiIndicatorCount> eigenvalues_desc;
  IndicatorVector v;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
    eigenvalues_desc[k] = solver.eigenvalues()(static_cast<Eigen::Index>(3 - k));
    v[k] = solver.eigenvectors()(static_cast<Eigen::Index>(k), 3);
  }
  return rsei_pca_from_vector(covariance_of_ni, kind, v, eigenvalues_desc);
}

void check_projection_range(const ProjectionRange& range, const std::string& where) {
  if (!(range.max >= range.min))
    throw DataError(prefix(where) + "no valid pixel was projected on PC1; RSEI is undefined");
  if (!(range.max > range.min))
    throw DataError(prefix(where) + "every valid pixel has the same PC1 value (" +
                    format_plain(range.min) + "): RSEI's rescale is undefined");
}

}  // namespace minecarbon::rs
