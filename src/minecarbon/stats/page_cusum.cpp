#include "minecarbon/stats/page_cusum.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace minecarbon::stats {

PageCusum lower_page_cusum(std::span<const double> time, std::span<const double> y,
                           ReferencePeriod reference, const PageCusumParams& params) {
  if (time.size() != y.size())
    throw std::invalid_argument("lower_page_cusum: time and y differ in length");
  if (!(params.k >= 0) || !(params.h > 0))
    throw std::invalid_argument("lower_page_cusum: needs k >= 0 and h > 0");
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  PageCusum out;
  out.reference = reference_stats(time, y, reference);
  out.s.assign(y.size(), kNaN);
  out.first_alarm_time = out.last_alarm_time = out.last_s = kNaN;
  if (!(out.reference.sd > 0) || !std::isfinite(out.reference.sd)) return out;
  out.defined = true;
  const double monitor_from = params.monitor_reference ? reference.first_time : reference.last_time;
  LowerCusumChart chart;
  for (std::size_t idx = 0; idx < y.size(); ++idx) {
    if (!std::isfinite(y[idx]) || !std::isfinite(time[idx])) continue;
    const bool monitored =
        params.monitor_reference ? time[idx] >= monitor_from : time[idx] > monitor_from;
    if (!monitored) continue;
    ++out.n_monitored;
    const double z = (y[idx] - out.reference.mean) / out.reference.sd;
    if (chart.add(z, params.k, params.h)) {
      ++out.n_alarms;
      if (out.n_alarms == 1) out.first_alarm_time = time[idx];
      out.last_alarm_time = time[idx];
    }
    out.s[idx] = chart.s;
    out.last_s = chart.s;
  }
  return out;
}

}  // namespace minecarbon::stats
