// Exponential smoothing state-space models ETS(A,A,N) (Holt's linear trend) and ETS(A,Ad,N)
// (damped trend) with additive errors, fitted by maximum likelihood as R's forecast::ets 8.20
// (Hyndman, Koehler, Snyder & Grose 2002, IJF 18:439; Hyndman, Koehler, Ord & Snyder 2008,
// Forecasting with Exponential Smoothing, Springer; Hyndman & Khandakar 2008, JSS 27(3)).
//
// Model (φ = 1 for ETS(A,A,N)), for t = 1..n:
//   ŷ_t = l_{t−1} + φ·b_{t−1},  e_t = y_t − ŷ_t,
//   l_t = l_{t−1} + φ·b_{t−1} + α·e_t,   b_t = φ·b_{t−1} + β·e_t.
// Estimation as forecast::ets(y, model = "AAN", damped = FALSE/TRUE):
//   * parameters θ = (α, β[, φ], l_0, b_0), minimising n·log(Σ e_t²) (−2 × the concentrated
//     Gaussian log-likelihood without constants; forecast reports loglik = −½·n·log Σe²);
//   * bounds ("both"): 1e-4 <= α <= 0.9999, 1e-4 <= β <= min(α, 0.9999), 0.8 <= φ <= 0.98, and
//     the admissible region (0 <= φ <= 1 + 1e-8, 1 − 1/φ <= α <= 1 + 1/φ,
//     α(φ − 1) <= β <= (1 + φ)(2 − α)); outside them the objective is +Inf;
//   * start: α = 0.20006, β = 0.020096, φ = 0.9782 (forecast's initparam: lower + 0.2, 0.1, 0.99
//     of the range, β's range capped at α); l_0, b_0 from the least-squares line through the
//     first min(10, n) values against 1..min(10, n) (initstate);
//   * optimiser: Nelder–Mead as R's nmmin (nelder_mead.h), reltol √ε, at most 2000 evaluations;
//   * np = |θ| + 1 (σ counted), AIC = n·log Σe² + 2·np, AICc = AIC + 2·np(np + 1)/(n − np − 1),
//     BIC = n·log Σe² + log(n)·np; σ² = Σe²/(n − |θ|).
// Forecasts h = 1..H ahead: ŷ_{n+h} = l_n + (φ + φ² + ... + φ^h)·b_n, variance
//   σ²·(1 + Σ_{j=1}^{h−1} c_j²), c_j = α + β·(φ + ... + φ^j) (forecast's class1; Hyndman et al.
//   2008, ch. 6), limits ŷ ± z_{(1+level)/2}·√variance for levels 80 % and 95 %.
// Domain and edges: NaN values are handled as forecast's na.contiguous (the longest run of
// finite values; forecasts start after its end). Fewer than 9 values (10 damped) — where
// forecast::ets switches to HoltWinters() — give status too_few_observations; a constant series
// gives status constant_series (forecast fits a simple exponential smoothing then).
// Accuracy: forecasts, limits and log-likelihood equal forecast 8.20's to 1e-3 relative or
// better on LakeHuron, Nile and a planted series (tests/data/ets); the parameters of a flat
// likelihood (β at its 1e-4 bound) can differ more.
#pragma once

#include <limits>
#include <span>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::stats {

enum class EtsStatus { ok, too_few_observations, constant_series, optimiser_failed };
inline constexpr NameTable<EtsStatus, 4> kEtsStatusNames{{{
    {EtsStatus::ok, "ok"},
    {EtsStatus::too_few_observations, "too_few_observations"},
    {EtsStatus::constant_series, "constant_series"},
    {EtsStatus::optimiser_failed, "optimiser_failed"},
}}};

struct EtsFit {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  EtsStatus status = EtsStatus::too_few_observations;
  bool damped = false;
  int first_index = -1;  // 0-based span of the input used (longest finite run)
  int last_index = -1;
  int n = 0;
  double alpha = kNaN;
  double beta = kNaN;
  double phi = 1.0;
  double level0 = kNaN;
  double slope0 = kNaN;
  double level = kNaN;  // l_n
  double slope = kNaN;  // b_n
  double sse = kNaN;
  double sigma2 = kNaN;
  double loglik = kNaN;  // −½·n·log Σe², as forecast reports it
  double aic = kNaN;
  double aicc = kNaN;
  double bic = kNaN;
  int evaluations = 0;
  bool converged = false;
};

EtsFit ets_fit(std::span<const double> y, bool damped);

struct EtsForecast {
  std::vector<double> mean;
  std::vector<double> lo80, hi80, lo95, hi95;
};

// Forecasts 1..horizon steps after fit.last_index; empty unless fit.status is ok.
EtsForecast ets_forecast(const EtsFit& fit, int horizon);

}  // namespace minecarbon::stats
