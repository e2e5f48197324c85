// The OLS-CUSUM test for a structural change in a regression (Ploberger & Krämer 1992, "The
// CUSUM test with OLS residuals", Econometrica 60(2):271-285, doi:10.2307/2951597), as R
// strucchange 1.5-3 computes it with sctest(efp(y ~ X, type = "OLS-CUSUM")) (Zeileis et al.
// 2002, J. Stat. Softw. 7(2), doi:10.18637/jss.v007.i02).
//
// Fit y = X·β + e by least squares over the n finite points (X: the intercept, plus the time t
// for `CusumModel::trend`), residuals ê_i, then
//
//   σ̂  = √( Σ (ê_i − ē)² / (n − p) )      p = columns of X (strucchange's sd(e)·√((n−1)/df))
//   W_j = Σ_{i≤j} ê_i / (σ̂·√n),           j = 1..n   (the empirical fluctuation process)
//   S   = max_j |W_j|                     (the "max" functional; strucchange's S0)
//   p   = 1 − (1 + 2·Σ_{m=1}^{100} (−1)^m·exp(−2m²S²))  for S ≥ 0.1, else 1
//
// p is the tail of the supremum of a Brownian bridge, P(sup|B| > S) = 2·Σ (−1)^{m+1}·e^{−2m²S²}
// (Kolmogorov's series), cut after 100 terms as strucchange does; its 5 % critical value is
// 1.3581. `argmax` is the first j at which |W_j| = S (1-based, over the finite points): where the
// residual sums stray furthest, a rough location of the change; `argmax_time` its t.
//
// Domain and edges: time strictly increasing over the finite points (std::invalid_argument
// otherwise). n ≤ p, all t equal for the trend model, or σ̂ = 0 (a perfect fit): statistic, p,
// argmax_time NaN, argmax 0, process empty. Accuracy: the residuals come from centred sums
// rather than R's QR; statistic and p agree with strucchange within 1e-9 relative on the test
// series (tests/unit/stats/test_cusum.cpp).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::stats {

// The regressors of the OLS fit: an intercept (strucchange's y ~ 1), or an intercept and time
// (y ~ t: a series with a steady trend is then not "changing" just for trending).
enum class CusumModel { constant, trend };
inline constexpr NameTable<CusumModel, 2> kCusumModelNames{
    {{{CusumModel::constant, "const"}, {CusumModel::trend, "trend"}}}};

struct OlsCusum {
  int n = 0;                    // finite points used
  int parameters = 0;           // p, columns of X
  double sigma = 0;             // σ̂, unit of y
  double statistic = 0;         // S = max |W_j|, dimensionless
  double p = 0;                 // asymptotic p-value
  int argmax = 0;               // first j with |W_j| = S, 1-based
  double argmax_time = 0;       // t_j
  std::vector<double> process;  // W_1..W_n
};

OlsCusum ols_cusum(std::span<const double> time, std::span<const double> y, CusumModel model);

// P(sup_{0≤s≤1} |B(s)| > x) for a Brownian bridge B, computed as strucchange's pvalue.efp: 1 for
// x < 0.1, else the alternating series above cut after 100 terms.
double brownian_bridge_sup_p(double x);

}  // namespace minecarbon::stats
