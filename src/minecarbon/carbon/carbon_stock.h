// From plots to strata and mines: the sampling estimates of a carbon stock and their precision.
//
// Within a stratum h (a land-use class, or a land-use class of one mine) the n_h plots are taken
// as a simple random sample of the stratum's area:
//   ȳ_h = Σ y_i / n_h                        mean per hectare (y = tC ha⁻¹ of each plot)
//   s_h² = Σ (y_i − ȳ_h)² / (n_h − 1)         plot-to-plot variance
//   SE_h = s_h / √n_h                         standard error of the mean
//   CI = ȳ_h ± t_{1−α/2, n_h−1} · SE_h        Student t quantile (Boost.Math)
//   U = t · SE / ȳ                            relative half-width of the CI (× 100 in %)
// Over strata of areas A_h (ha) — a stratified estimate of the total (Cochran 1977, Sampling
// Techniques, 3rd ed., Wiley, §5.3 and the Satterthwaite df of §5A.42):
//   T = Σ A_h ȳ_h,  Var T = Σ A_h² s_h² / n_h,
//   df = (Σ g_h s_h²)² / Σ (g_h² s_h⁴ / (n_h − 1)),  g_h = A_h² / n_h.
// Precision rule of carbon-credit methods (docs/carbon_methods.md §7): the relative half-width U at
// a confidence level (CDM AR-AMS0007: ±10 % at 90 %; VM0047 §8.4 quoted 2nd-hand: 15 % at 90 %) is
// compared with a threshold U_allow; the deduction is max(0, U − U_allow) as a fraction of the
// estimate and the conservative estimate is T · (1 − deduction).
//
// Edges: n = 0 gives NaN everywhere; n = 1 gives the mean with NaN SE, CI and U (no plot-to-plot
// variance); a stratum with n_h = 1 makes the stratified variance NaN. No finite-population
// correction: plots are a negligible fraction of a stratum's area.
#pragma once

#include <cstddef>
#include <limits>
#include <span>

namespace minecarbon::carbon {

struct MeanEstimate {
  std::size_t n = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();  // s, with n − 1 in the denominator
  double se = std::numeric_limits<double>::quiet_NaN();  // s / √n
  double df = std::numeric_limits<double>::quiet_NaN();  // n − 1
};

// Mean and its standard error of the finite values of `values` (non-finite values are skipped).
MeanEstimate estimate_mean(std::span<const double> values);

// Two-sided Student t quantile t_{1−α/2, df} for confidence `level` = 1 − α; NaN for df ≤ 0 or
// non-finite df.
double student_t_quantile(double level, double df);

struct ConfidenceInterval {
  double level = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  double half_width = std::numeric_limits<double>::quiet_NaN();
  double half_width_rel_pct = std::numeric_limits<double>::quiet_NaN();  // 100 · half / |estimate|
};

ConfidenceInterval confidence_interval(double estimate, double se, double df, double level);

struct StratumSample {
  double area_ha = 0.0;
  MeanEstimate estimate;
};

struct TotalEstimate {
  double total = std::numeric_limits<double>::quiet_NaN();  // Σ A_h ȳ_h
  double se = std::numeric_limits<double>::quiet_NaN();     // √(Σ A_h² s_h²/n_h)
  double df = std::numeric_limits<double>::quiet_NaN();     // Satterthwaite
};

// Stratified total (formulas above). Strata with n = 0 are the caller's error: the total is NaN.
TotalEstimate stratified_total(std::span<const StratumSample> strata);

struct PrecisionCheck {
  double level = std::numeric_limits<double>::quiet_NaN();               // e.g. 0.90
  double threshold_pct = std::numeric_limits<double>::quiet_NaN();       // U_allow, %
  double half_width_rel_pct = std::numeric_limits<double>::quiet_NaN();  // U, %
  bool meets_threshold = false;  // U ≤ U_allow (false when U is NaN)
  double deduction_frac = std::numeric_limits<double>::quiet_NaN();  // max(0, U − U_allow)
  double conservative = std::numeric_limits<double>::quiet_NaN();  // estimate · (1 − deduction)
};

PrecisionCheck check_precision(double estimate, double se, double df, double level,
                               double threshold_pct);

}  // namespace minecarbon::carbon
