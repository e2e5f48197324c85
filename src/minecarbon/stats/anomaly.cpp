#include "minecarbon/stats/anomaly.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/stats/median.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace minecarbon::stats {
namespace {

double scaled(double deviation, double scale) {
  if (!std::isfinite(deviation) || !(scale > 0) || !std::isfinite(scale)) return kNaN;
  return deviation / scale;
}

}  // namespace

ReferenceStats reference_stats(std::span<const double> time, std::span<const double> y,
                               ReferencePeriod period) {
  if (time.size() != y.size())
    throw std::invalid_argument("reference_stats: time and y differ in length");
  std::vector<double> values;
  for (std::size_t idx = 0; idx < y.size(); ++idx) {
    if (std::isfinite(y[idx]) && time[idx] >= period.first_time && time[idx] <= period.last_time)
      values.push_back(y[idx]);
  }
  ReferenceStats out;
  out.n = static_cast<int>(values.size());
  if (out.n == 0) {
    out.mean = out.sd = out.median = out.mad_scaled = kNaN;
    return out;
  }
  double sum = 0;
  for (double v : values)
    sum += v;
  out.mean = sum / out.n;
  double ss = 0;
  for (double v : values)
    ss += (v - out.mean) * (v - out.mean);
  out.sd = out.n > 1 ? std::sqrt(ss / (out.n - 1)) : kNaN;
  out.median = median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values)
    deviations.push_back(std::fabs(v - out.median));
  out.mad_scaled = kMadNormalConsistency * median(std::move(deviations));
  return out;
}

double temporal_z(double y, const ReferenceStats& reference) {
  return scaled(y - reference.mean, reference.sd);
}

double robust_z(double y, const ReferenceStats& reference) {
  return scaled(y - reference.median, reference.mad_scaled);
}

double spatial_z(double y, double reference_mean, double reference_sd) {
  return scaled(y - reference_mean, reference_sd);
}

GroupMeanSd group_mean_sd(std::span<const double> values) {
  GroupMeanSd out;
  double sum = 0;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    ++out.n;
    sum += v;
  }
  if (out.n == 0) return GroupMeanSd{0, kNaN, kNaN};
  out.mean = sum / out.n;
  double ss = 0;
  for (double v : values) {
    if (std::isfinite(v)) ss += (v - out.mean) * (v - out.mean);
  }
  out.sd = out.n > 1 ? std::sqrt(ss / (out.n - 1)) : kNaN;
  return out;
}

LastObservation last_observation(std::span<const double> time, std::span<const double> y) {
  if (time.size() != y.size())
    throw std::invalid_argument("last_observation: time and y differ in length");
  LastObservation out{kNaN, kNaN, 0};
  std::size_t idx = y.size();
  while (idx > 0 && !(std::isfinite(y[idx - 1]) && std::isfinite(time[idx - 1])))
    --idx;
  if (idx == 0) return out;
  out.time = time[idx - 1];
  out.value = y[idx - 1];
  for (std::size_t before = idx - 1; before > 0; --before) {
    const double v = y[before - 1];
    if (!std::isfinite(v) || !std::isfinite(time[before - 1])) continue;
    if (!(v > 0)) break;
    ++out.positive_run_before;
  }
  return out;
}

}  // namespace minecarbon::stats
