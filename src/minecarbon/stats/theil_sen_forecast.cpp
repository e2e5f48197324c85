#include "minecarbon/stats/theil_sen_forecast.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "minecarbon/core/nan.h"
#include "minecarbon/stats/median.h"
#include "minecarbon/stats/trend.h"

namespace minecarbon::stats {
double quantile_type7(std::span<const double> values, double prob) {
  std::vector<double> sorted;
  for (double v : values) {
    if (std::isfinite(v)) sorted.push_back(v);
  }
  if (sorted.empty()) return kNaN;
  std::sort(sorted.begin(), sorted.end());
  // R: index = 1 + (n − 1)·prob, lo = floor, hi = ceiling, (1 − h)·x[lo] + h·x[hi].
  const double index = 1.0 + static_cast<double>(sorted.size() - 1) * prob;
  const double lo = std::floor(index), hi = std::ceil(index);
  const double x_lo = sorted[static_cast<std::size_t>(lo) - 1];
  const double x_hi = sorted[static_cast<std::size_t>(hi) - 1];
  const double h = index - lo;
  if (!(index > lo) || x_hi == x_lo) return x_lo;
  return (1.0 - h) * x_lo + h * x_hi;
}

TheilSenForecast theil_sen_forecast(std::span<const double> time, std::span<const double> y,
                                    std::span<const double> forecast_times,
                                    SenIntercept intercept) {
  if (time.size() != y.size())
    throw std::invalid_argument("theil_sen_forecast: time and y differ in length");
  TheilSenForecast out;
  out.intercept_method = intercept;
  const SenSlope sen = sen_slope(time, y);
  out.n = sen.n;
  std::vector<double> t_used, y_used;
  for (std::size_t idx = 0; idx < y.size(); ++idx) {
    if (std::isfinite(time[idx]) && std::isfinite(y[idx])) {
      t_used.push_back(time[idx]);
      y_used.push_back(y[idx]);
    }
  }
  if (out.n < 3 || !std::isfinite(sen.slope)) {
    out.slope = out.intercept = kNaN;
    for (double t : forecast_times)
      out.points.push_back(ForecastPoint{t, kNaN, kNaN, kNaN, kNaN, kNaN});
    return out;
  }
  out.slope = sen.slope;
  if (intercept == SenIntercept::separate) {
    out.intercept = sen.intercept;
  } else {
    std::vector<double> offsets;
    for (std::size_t idx = 0; idx < y_used.size(); ++idx)
      offsets.push_back(y_used[idx] - out.slope * t_used[idx]);
    out.intercept = median(std::move(offsets));
  }
  std::vector<double> residuals;
  for (std::size_t idx = 0; idx < y_used.size(); ++idx)
    residuals.push_back(y_used[idx] - (out.intercept + out.slope * t_used[idx]));
  const double q025 = quantile_type7(residuals, 0.025), q10 = quantile_type7(residuals, 0.10);
  const double q90 = quantile_type7(residuals, 0.90), q975 = quantile_type7(residuals, 0.975);
  for (double t : forecast_times) {
    const double mean = out.intercept + out.slope * t;
    out.points.push_back(ForecastPoint{t, mean, mean + q10, mean + q90, mean + q025, mean + q975});
  }
  return out;
}

}  // namespace minecarbon::stats
