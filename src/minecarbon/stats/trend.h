// Trend statistics of a short series y(x) (years, NEP): ordinary least squares, the Mann–Kendall
// test and Sen's slope. Non-finite points are dropped before any statistic; each result says how
// many points it used, and is NaN where the statistic is undefined.
#pragma once

#include <span>

namespace minecarbon::stats {

// y = intercept + slope·x by least squares. r2 = 1 − RSS/TSS (NaN when y is constant);
// slope NaN with fewer than 2 distinct x.
struct OlsFit {
  int n = 0;
  double slope = 0;
  double intercept = 0;
  double r2 = 0;
};
OlsFit ols(std::span<const double> x, std::span<const double> y);

// Mann–Kendall test (Mann 1945; Kendall 1975), two-sided, normal approximation.
//   S = Σ_{i<j} sign(y_j − y_i), pairs ordered by x (x must be distinct),
//   Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18 over groups of t tied y values,
//   Z = (S − sign S)/√Var(S) (continuity corrected; Z = S/√Var(S) without), p = 2(1 − Φ(|Z|)),
//   tau_b = S / √((n₀ − n₁)(n₀ − n₂)), n₀ = n(n−1)/2, n₁ = Σ t(t−1)/2 over y ties,
//           n₂ the same over x ties.
// Matches R stats::cor.test(x, y, method = "kendall", exact = FALSE) and SciPy kendalltau.
// n < 3 gives NaN z and p.
struct MannKendall {
  int n = 0;
  double s = 0;
  double var_s = 0;
  double tau_b = 0;
  double z = 0;  // continuity corrected
  double p = 0;  // two-sided, continuity corrected
  double z_no_continuity = 0;
  double p_no_continuity = 0;
};
MannKendall mann_kendall(std::span<const double> x, std::span<const double> y);

// Sen's slope (Sen 1968; Theil 1950): median of (y_j − y_i)/(x_j − x_i) over pairs with x_i ≠ x_j,
// and intercept = median(y) − slope·median(x) (SciPy theilslopes' default).
struct SenSlope {
  int n = 0;
  double slope = 0;
  double intercept = 0;
};
SenSlope sen_slope(std::span<const double> x, std::span<const double> y);

// Confidence interval of Sen's slope at level `confidence` (Sen 1968, JASA 63:1379,
// doi:10.1080/01621459.1968.10480934, eq. 2.6; Gilbert 1987, "Statistical Methods for
// Environmental Pollution Monitoring", §16.5):
//   C  = z_{(1+confidence)/2}·√Var(S),
//   Var(S) = [n(n−1)(2n+5) − Σ_x t(t−1)(2t+5) − Σ_y t(t−1)(2t+5)] / 18 (tie groups in x and y),
//   M₁ = (N′ − C)/2, M₂ = (N′ + C)/2 over the N′ slopes of pairs with distinct x, sorted;
//   lower = the slope of rank M₁, upper = the slope of rank M₂ + 1 (ranks 1-based).
// Ranks that are not whole numbers are rounded to the nearest (ties to even), as SciPy 1.10
// `theilslopes` does (`SenRankRule::rounded`, the default; tests/data/trend_series), or
// interpolated linearly between the neighbouring slopes, as Gilbert describes
// (`SenRankRule::interpolated`); both clamp the ranks to 1..N′.
// n < 3 or fewer than 2 distinct x: slope, lower and upper NaN. confidence must be in (0, 1),
// else std::invalid_argument. `slope` is sen_slope()'s.
enum class SenRankRule { rounded, interpolated };
struct SenSlopeInterval {
  int n = 0;
  double confidence = 0;
  double slope = 0;
  double lower = 0;
  double upper = 0;
};
SenSlopeInterval sen_slope_interval(std::span<const double> x, std::span<const double> y,
                                    double confidence = 0.95,
                                    SenRankRule rule = SenRankRule::rounded);

// Relative size of rounding noise: differences up to this fraction of the operands' magnitude are
// rounding, not change. The same tolerance as carbon::difference_or_zero: means of thousands of
// cells summed in another order (another CRS, another thread split) differ by ~1e-13 relative,
// while measured quantities carry at most ~7 significant digits, so no real change is this small.
inline constexpr double kRelativeRounding = 1e-12;

// Whether a series varies beyond rounding: the spread of its finite values (max − min) exceeds
//   kRelativeRounding · max(max |y|, operand_scale),
// where operand_scale is the magnitude of the operands the values were computed from (for
// S = (Q − Q_base) − (O − O_base): the largest |Q|, |O|; 0 when y holds measured values). The
// operand scale matters for differences: S ≈ 1e-13 from Q ≈ 300 is noise although it is large
// against its own magnitude. A series with fewer than two finite values does not vary.
bool has_variation(std::span<const double> y, double operand_scale = 0.0);

// OLS, Mann–Kendall and Sen's slope of one series, with one rule for series without variation
// (has_variation false, at least two finite points): they are reported as exactly constant
// series are, whatever their rounding noise, so the result cannot change with the input CRS or
// the summation order:
//   no_variation = true, OLS slope 0 (intercept the mean), Sen slope 0 (intercept the median),
//   and r², tau_b, z and p NaN (undefined for a constant series: TSS = 0, every pair tied).
// Otherwise each statistic as its function above computes it.
struct TrendTests {
  int n = 0;  // finite points
  bool no_variation = false;
  OlsFit ols;
  MannKendall mk;
  SenSlope sen;
};
TrendTests trend_tests(std::span<const double> x, std::span<const double> y,
                       double operand_scale = 0.0);

}  // namespace minecarbon::stats
