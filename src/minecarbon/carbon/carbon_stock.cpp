#include "minecarbon/carbon/carbon_stock.h"
#include "minecarbon/core/nan.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>

namespace minecarbon::carbon {
namespace {

constexpr double kPercent = 100.0;

}  // namespace

MeanEstimate estimate_mean(std::span<const double> values) {
  MeanEstimate out;
  double sum = 0.0;
  for (const double v : values) {
    if (!std::isfinite(v)) continue;
    sum += v;
    ++out.n;
  }
  if (out.n == 0) return out;
  out.mean = sum / static_cast<double>(out.n);
  if (out.n < 2) return out;
  double ss = 0.0;
  for (const double v : values) {
    if (!std::isfinite(v)) continue;
    ss += (v - out.mean) * (v - out.mean);
  }
  out.df = static_cast<double>(out.n - 1);
  out.sd = std::sqrt(ss / out.df);
  out.se = out.sd / std::sqrt(static_cast<double>(out.n));
  return out;
}

double student_t_quantile(double level, double df) {
  if (!(df > 0) || !std::isfinite(df) || !(level > 0 && level < 1)) return kNaN;
  const boost::math::students_t_distribution<double> dist(df);
  return boost::math::quantile(boost::math::complement(dist, (1.0 - level) / 2.0));
}

ConfidenceInterval confidence_interval(double estimate, double se, double df, double level) {
  ConfidenceInterval ci;
  ci.level = level;
  const double t = student_t_quantile(level, df);
  if (!std::isfinite(t) || !std::isfinite(se) || !std::isfinite(estimate)) return ci;
  ci.half_width = t * se;
  ci.lower = estimate - ci.half_width;
  ci.upper = estimate + ci.half_width;
  ci.half_width_rel_pct = estimate != 0 ? kPercent * ci.half_width / std::fabs(estimate) : kNaN;
  return ci;
}

TotalEstimate stratified_total(std::span<const StratumSample> strata) {
  TotalEstimate out;
  if (strata.empty()) return out;
  double total = 0.0, variance = 0.0, df_denominator = 0.0;
  for (const auto& s : strata) {
    if (s.estimate.n == 0) return out;
    total += s.area_ha * s.estimate.mean;
    const double g = s.area_ha * s.area_ha / static_cast<double>(s.estimate.n);
    const double s2 = s.estimate.sd * s.estimate.sd;
    variance += g * s2;
    df_denominator += g * g * s2 * s2 / s.estimate.df;
  }
  out.total = total;
  out.se = std::sqrt(variance);  // NaN when a stratum has a single plot
  out.df = df_denominator > 0 ? variance * variance / df_denominator : kNaN;
  return out;
}

PrecisionCheck check_precision(double estimate, double se, double df, double level,
                               double threshold_pct) {
  PrecisionCheck check;
  check.level = level;
  check.threshold_pct = threshold_pct;
  const ConfidenceInterval ci = confidence_interval(estimate, se, df, level);
  check.half_width_rel_pct = ci.half_width_rel_pct;
  if (std::isnan(check.half_width_rel_pct)) return check;
  check.meets_threshold = check.half_width_rel_pct <= threshold_pct;
  check.deduction_frac = std::max(0.0, (check.half_width_rel_pct - threshold_pct) / kPercent);
  check.conservative = estimate * (1.0 - check.deduction_frac);
  return check;
}

}  // namespace minecarbon::carbon
