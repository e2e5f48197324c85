// A forecast along the Theil–Sen line with empirical prediction limits (docs/warning.md §4).
//
//   ŷ(t) = a + β·t,  β = Sen's slope (trend.h sen_slope: median of pairwise slopes)
//   a = median(y) − β·median(t)   `SenIntercept::separate` (SciPy theilslopes' default and
//                                 trend.h's SenSlope::intercept)
//   a = median(y_i − β·t_i)       `SenIntercept::joint` (Conover 1980, "Practical Nonparametric
//                                 Statistics", §5.5; R mblm). The two differ when the residuals
//                                 are skewed; outputs name the one used.
//
// There is no standard prediction interval for Theil–Sen. `ForecastInterval::residual_quantiles`
// adds empirical quantiles of the in-sample residuals r_i = y_i − ŷ(t_i) to ŷ(t):
//   lo95, lo80, hi80, hi95 = ŷ(t) + Q(0.025), Q(0.10), Q(0.90), Q(0.975)
// with Q R's default quantile (type 7: linear between order statistics at (n − 1)·prob). The
// limits have the same width at every horizon: they carry the scatter about the line, not the
// uncertainty of β, so they are too narrow far ahead; treat them as a descriptive band.
//
// Domain and edges: fewer than 3 finite points, or fewer than 2 distinct t: slope, intercept
// and every forecast value NaN (the forecast times are still listed).
#pragma once

#include <span>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::stats {

enum class SenIntercept { separate, joint };
inline constexpr NameTable<SenIntercept, 2> kSenInterceptNames{
    {{{SenIntercept::separate, "separate"}, {SenIntercept::joint, "joint"}}}};

enum class ForecastInterval { residual_quantiles };
inline constexpr NameTable<ForecastInterval, 1> kForecastIntervalNames{
    {{{ForecastInterval::residual_quantiles, "residual_quantiles"}}}};

struct ForecastPoint {
  double time = 0;
  double mean = 0;
  double lo80 = 0, hi80 = 0;
  double lo95 = 0, hi95 = 0;
};

struct TheilSenForecast {
  int n = 0;  // finite points fitted
  SenIntercept intercept_method = SenIntercept::separate;
  ForecastInterval interval_method = ForecastInterval::residual_quantiles;
  double slope = 0;      // unit of y per unit of t
  double intercept = 0;  // ŷ at t = 0
  std::vector<ForecastPoint> points;
};

TheilSenForecast theil_sen_forecast(std::span<const double> time, std::span<const double> y,
                                    std::span<const double> forecast_times,
                                    SenIntercept intercept = SenIntercept::separate);

// R's quantile(x, prob, type = 7) of the finite values of `values`; NaN when there are none.
double quantile_type7(std::span<const double> values, double prob);

}  // namespace minecarbon::stats
