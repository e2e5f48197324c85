// The remote sensing ecological index RSEI (Xu Hanqiu 2013, China Environmental Science
// 33(5):889) over a scene of any size: the mergeable statistics of its passes, the PCA, the
// orientation of PC1, the rescale and the grades (docs/indices.md, "RSEI").
//
// Indicators per valid pixel, in this order: x = (NDVI, WET, NDBSI, LST in °C). A pixel is valid
// only when all four are finite (and the stage's masks keep it).
//
//   NI_k    = (x_k − low_k)/(high_k − low_k)        low/high = min/max over the scene (default), or
//                                                   the 1st/99th percentiles with NI clamped to
//                                                   [0, 1] ("percentile")
//   C       = covariance of NI (divisor n − 1, as R cov/prcomp); with min–max bounds
//             C = D⁻¹·Cov(x)·D⁻¹, D = diag(high − low), known after one pass over the inputs
//   v       = eigenvector of the largest eigenvalue λ₁ of C (or of the correlation matrix)
//   s       = orientation sign: NDVI loading of s·v > 0 (then WET > 0, then LST < 0, then
//             NDBSI < 0 when the earlier loadings are exactly 0)
//   p       = Σ_k w_k·NI_k with w = s·v (covariance) or w_k = s·v_k/sd_k (correlation)
//   RSEI    = (p − min p)/(max p − min p) ∈ [0, 1]
//
// Centring and positive scaling cancel in the rescale, so this equals Xu's RSEI = rescaled
// (1 − PC1) with PC1 oriented NDVI-negative, whatever sign the eigen solver returns (DERIVED in
// the methods note; tested against R prcomp). Eigen-decomposition: Eigen SelfAdjointEigenSolver
// on the 4×4 matrix.
//
// Determinism: the co-moment accumulator keeps its sums exactly (geo/exact_sum.h), so block
// partials merged in any grouping and order give the same bits — any thread count, window size
// or visiting order.
#pragma once

#include <Eigen/Dense>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "minecarbon/core/name_table.h"
#include "minecarbon/geo/exact_sum.h"
#include "minecarbon/rs/fixed_point_sum.h"

namespace minecarbon::rs {

inline constexpr std::size_t kRseiIndicatorCount = 4;
enum class RseiIndicator { ndvi, wet, ndbsi, lst };
inline constexpr NameTable<RseiIndicator, kRseiIndicatorCount> kRseiIndicatorNames{{{
    {RseiIndicator::ndvi, "ndvi"},
    {RseiIndicator::wet, "wet"},
    {RseiIndicator::ndbsi, "ndbsi"},
    {RseiIndicator::lst, "lst_C"},
}}};
using IndicatorVector = std::array<double, kRseiIndicatorCount>;

enum class RseiNormalisation { min_max, percentile };
inline constexpr NameTable<RseiNormalisation, 2> kRseiNormalisationNames{{{
    {RseiNormalisation::min_max, "min_max"},
    {RseiNormalisation::percentile, "percentile"},
}}};
enum class RseiPcaMatrix { covariance, correlation };
inline constexpr NameTable<RseiPcaMatrix, 2> kRseiPcaMatrixNames{{{
    {RseiPcaMatrix::covariance, "covariance"},
    {RseiPcaMatrix::correlation, "correlation"},
}}};

// Count, extremes, mean and covariance (divisor n − 1) of the indicator vectors added.
struct CoMoments {
  std::uint64_t n = 0;
  IndicatorVector min{}, max{}, mean{};
  Eigen::Matrix4d covariance = Eigen::Matrix4d::Zero();  // NaN when n < 2
};

// Mergeable co-moments of indicator vectors: n, per-indicator min and max, and the exact sums
// Σd_k and Σd_k·d_l of d = x − shift (shift fixed at construction, the same in every partial; 0
// by default). Each product enters as its rounded value plus its rounding error (an FMA), so
// both sums are exact (geo::ExactSum) and finish() forms n·M₂ = n·Σdd − Σd·Σd in double-double
// arithmetic: the co-moment is correct to about one rounding of the result even when the mean is
// large against the spread, where the textbook one-pass formula loses every digit, and without
// the order dependence of Welford's updates. The shift only saves work (shorter expansions).
//
// Cost per vector: 24 exact additions (4 sums, 10 products of the upper triangle with their
// errors), each into a FixedPointSum (fixed_point_sum.h: integer adds, constant cost) rather than
// a geo::ExactSum expansion (whose cost grows with its length); finish() hands the integer sums
// to geo::ExactSum, so every result has the bits the ExactSum-only accumulator gave (tested:
// tests/unit/rs/test_rsei.cpp, randomized equality against it). A term that is not finite
// (a product overflowing for |d| > 1e154) goes to an ExactSum directly, as before.
// add() ignores a vector with a NaN or infinite component and returns false.
class CoMomentAccumulator {
 public:
  explicit CoMomentAccumulator(const IndicatorVector& shift = {});
  bool add(const IndicatorVector& x);
  // Adds other's state; both must have the same shift (std::logic_error otherwise).
  void merge(const CoMomentAccumulator& other);
  std::uint64_t n() const { return n_; }
  CoMoments finish() const;

 private:
  static constexpr std::size_t kPairs = kRseiIndicatorCount * (kRseiIndicatorCount + 1) / 2;
  IndicatorVector shift_{};
  std::uint64_t n_ = 0;
  IndicatorVector min_{}, max_{};
  std::array<FixedPointSum, kRseiIndicatorCount> sum_d_;
  std::array<FixedPointSum, kPairs> sum_dd_;  // upper triangle, row-major
  // Non-finite terms (outside FixedPointSum's domain), rarely used.
  std::array<geo::ExactSum, kRseiIndicatorCount> sum_d_overflow_;
  std::array<geo::ExactSum, kPairs> sum_dd_overflow_;
};

// Normalisation bounds per indicator: NI = (x − low)/(high − low), clamped to [0, 1] when
// `clamp` (percentile bounds; min–max bounds need no clamp).
struct NormalisationBounds {
  IndicatorVector low{}, high{};
  bool clamp = false;
  double normalise(std::size_t indicator, double x) const {
    const double ni = (x - low[indicator]) / (high[indicator] - low[indicator]);
    if (!clamp) return ni;
    return ni < 0.0 ? 0.0 : (ni > 1.0 ? 1.0 : ni);
  }
};

// Min–max bounds from the raw co-moments. DataError when n < 2 ("RSEI needs at least 2 valid
// pixels") or an indicator is constant (min == max: its normalisation and the PCA are undefined),
// naming the indicator and its value; `where` prefixes the message (scene and year).
NormalisationBounds min_max_bounds(const CoMoments& raw, const std::string& where);

// Percentile bounds (low = p_low quantile, high = p_high quantile of each indicator, from
// percentile.h or the streamed equivalent), clamped. DataError when high == low for an indicator.
NormalisationBounds percentile_bounds(const IndicatorVector& low, const IndicatorVector& high,
                                      const std::string& where);

// Covariance of NI from the covariance of x when NI is affine in x (min–max): D⁻¹·C·D⁻¹.
Eigen::Matrix4d normalised_covariance(const Eigen::Matrix4d& raw_covariance,
                                      const NormalisationBounds& bounds);

// Correlation matrix from a covariance matrix: R_kl = C_kl/√(C_kk·C_ll) (as R cov2cor). NaN
// entries where a variance is 0.
Eigen::Matrix4d correlation_from_covariance(const Eigen::Matrix4d& covariance);

// The PCA of RSEI.
struct RseiPca {
  RseiPcaMatrix matrix_kind = RseiPcaMatrix::covariance;
  std::array<double, kRseiIndicatorCount> eigenvalues{};  // descending (λ₁ first)
  IndicatorVector pc1_loadings{};                         // oriented: s·v, unit length
  double pc1_share = 0;                                   // λ₁/Σλ
  int orientation_sign = 1;                               // s applied to the solver's vector
  IndicatorVector projection_weights{};                   // w of p = Σ w_k·NI_k
};

// Orientation rule (see the top of this file): the sign s making the NDVI loading of s·v
// positive, or if it is 0 the WET loading positive, then the LST loading negative, then NDBSI
// negative; +1 when v is all zeros.
int pc1_orientation_sign(const IndicatorVector& v);

// PCA of the covariance matrix of NI (4×4, symmetric). With `correlation`, the matrix is first
// scaled to a correlation matrix and the projection weights divide by the standard deviations of
// NI (as R prcomp(scale. = TRUE)). DataError when the matrix has a non-finite entry or a zero
// variance (constant indicator), naming `where`.
RseiPca rsei_pca(const Eigen::Matrix4d& covariance_of_ni, RseiPcaMatrix kind,
                 const std::string& where);
// The same from a given (unoriented) first eigenvector — what rsei_pca does after the solver;
// public so that tests can show that the solver's sign does not matter.
RseiPca rsei_pca_from_vector(const Eigen::Matrix4d& covariance_of_ni, RseiPcaMatrix kind,
                             const IndicatorVector& pc1_vector,
                             const std::array<double, kRseiIndicatorCount>& eigenvalues_desc);

// p = Σ_k w_k·NI_k for one pixel's raw indicators (NaN if any indicator is NaN).
inline double rsei_projection(const RseiPca& pca, const NormalisationBounds& bounds,
                              const IndicatorVector& x) {
  double p = 0.0;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k)
    p += pca.projection_weights[k] * bounds.normalise(k, x[k]);
  return p;
}

// Running min and max of the projection p (order-independent; NaN ignored).
struct ProjectionRange {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  void add(double p) {
    if (std::isnan(p)) return;
    min = p < min ? p : min;
    max = p > max ? p : max;
  }
  void merge(const ProjectionRange& other) {
    min = other.min < min ? other.min : min;
    max = other.max > max ? other.max : max;
  }
};
// Checks that the range is usable for the rescale: DataError when empty or max == min.
void check_projection_range(const ProjectionRange& range, const std::string& where);

// RSEI = (p − min)/(max − min) ∈ [0, 1]; NaN for NaN p.
inline double rsei_rescale(double p, const ProjectionRange& range) {
  return (p - range.min) / (range.max - range.min);
}

// Grades (Xu 2013 as in the RSEI literature): 1 poor [0, 0.2), 2 fair [0.2, 0.4), 3 moderate
// [0.4, 0.6), 4 good [0.6, 0.8), 5 excellent [0.8, 1.0] (lower bounds inclusive, 1.0 in the top
// grade); 0 = nodata (NaN RSEI). Values below 0 or above 1 (not produced by the rescale) take
// the nearest grade.
enum class RseiGrade : std::uint8_t { nodata = 0, poor, fair, moderate, good, excellent };
inline constexpr NameTable<RseiGrade, 6> kRseiGradeNames{{{
    {RseiGrade::nodata, "nodata"},
    {RseiGrade::poor, "poor"},
    {RseiGrade::fair, "fair"},
    {RseiGrade::moderate, "moderate"},
    {RseiGrade::good, "good"},
    {RseiGrade::excellent, "excellent"},
}}};
inline RseiGrade rsei_grade(double rsei) {
  if (std::isnan(rsei)) return RseiGrade::nodata;
  if (rsei < 0.2) return RseiGrade::poor;
  if (rsei < 0.4) return RseiGrade::fair;
  if (rsei < 0.6) return RseiGrade::moderate;
  if (rsei < 0.8) return RseiGrade::good;
  return RseiGrade::excellent;
}

}  // namespace minecarbon::rs
