// The lower Page CUSUM chart: a persistent downward shift of a series against its reference
// years (Page 1954, "Continuous inspection schemes", Biometrika 41(1/2):100-115,
// doi:10.1093/biomet/41.1-2.100; docs/warning.md §3).
//
//   z_t = (y_t − μ₀) / σ₀          μ₀, σ₀: mean and sd (n − 1) of the reference points
//                                  (anomaly.h reference_stats), unit of y cancels
//   S_0 = 0,  S_t = max(0, S_{t−1} − z_t − k)
//   alarm at t when S_t > h
//
// k (`cusum_k`, in σ₀) is the allowance: half the shift to detect fastest (k = 0.5 for a 1-σ₀
// drop); h (`cusum_h`, in σ₀) the decision interval: larger h, fewer false alarms, later
// detection. With k = 0.5, h = 4 an in-control normal series alarms on average every 335.4
// steps (spc::xcusum.arl, Knoth's spc 0.6.7), a 1-σ₀ drop after 8.4.
//
// The chart monitors the points after the reference period (t > last_time; "phase II"), or
// every point from the first reference one when `monitor_reference` is set (useful when the
// reference is the whole record). Missing points are skipped: S carries over. The chart is not
// reset after an alarm; it reports the first and the last point above h and how many there were.
//
// Edges: σ₀ NaN or 0 (fewer than 2 reference points, constant reference): no chart, every
// output NaN (alarm counts 0, `defined` false). k ≥ 0 and h > 0, else std::invalid_argument.
#pragma once

#include <span>
#include <vector>

#include "minecarbon/stats/anomaly.h"

namespace minecarbon::stats {

struct PageCusumParams {
  double k = 0.5;  // allowance, in reference sd
  double h = 4.0;  // decision interval, in reference sd
  bool monitor_reference = false;
};

// One step of the lower chart on a standardised value z; true when S > h after it. The whole
// state is `s`, so a simulation or a streamed series can run the chart point by point.
struct LowerCusumChart {
  double s = 0;
  bool add(double z, double k, double h) {
    s = s - z - k;
    if (s < 0) s = 0;
    return s > h;
  }
};

struct PageCusum {
  bool defined = false;
  ReferenceStats reference;
  int n_monitored = 0;          // finite points the chart ran over
  std::vector<double> s;        // S_t per input point; NaN where not monitored or missing
  int n_alarms = 0;             // monitored points with S_t > h
  double first_alarm_time = 0;  // NaN when none
  double last_alarm_time = 0;   // NaN when none
  double last_s = 0;            // S at the last monitored point
};

PageCusum lower_page_cusum(std::span<const double> time, std::span<const double> y,
                           ReferencePeriod reference, const PageCusumParams& params);

}  // namespace minecarbon::stats
