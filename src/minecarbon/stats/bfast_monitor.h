// BFAST Monitor: near real-time detection of a break at the end of a season–trend series
// (Verbesselt, Zeileis & Herold 2012, RSE 123:98, doi:10.1016/j.rse.2012.02.022), as R's
// bfast 1.7.0 bfastmonitor() computes it with strucchange's OLS-MOSUM monitoring (Chu, Hornik &
// Kuan 1995, Biometrika 82:603; Zeileis et al. 2005, J. Appl. Econometrics 20:99).
//
// Series y_1..y_N at decimal times t_1 < ... < t_N (years); NaN marks a missing value.
//   1. Design X (harmonic_design.h) on all N observations, then the rows with missing y dropped.
//   2. History: the valid observations with t < monitor_start, from
//        all       its first observation;
//        from_time the first one with t >= history_start_yr;
//        roc       the reverse-ordered CUSUM start: the recursive residuals (Brown, Durbin & Evans
//                  1975, JRSS B 37:149) of the history in reversed time order give the Rec-CUSUM
//                  process S_j = Σ_{i<=j} w_i / (sd(w)·√(n_h − p)), j = 0..n_h − p; when its
//                  sup |S_j|/(1 + 2j/(n_h − p)) has a Brownian-motion p-value < roc_level, the
//                  history starts at the observation of the first j >= 1 with
//                  |S_j| > λ_R·(1 + 2j/(n_h − p)), λ_R = 0.947898... (5 % boundary; bfast always
//                  draws it at 5 %); otherwise at the first observation.
//   3. OLS on the n history observations: β̂, σ̂² = RSS/(n − p), p = ncol(X).
//   4. Monitoring (k counts valid observations from the history start; k > n):
//        MO_k = Σ_{s=k−K+1}^{k} (y_s − x_sᵀβ̂) / (σ̂·√n),   K = floor(h·n),
//        b(k) = λ·√(2·log⁺(k/n)),  log⁺(x) = 1 for x <= e, else ln x,
//      λ = mosum_critical_value(h, end, level). The break is the first k with |MO_k| > b(k).
//   5. Magnitude = median(y_s − x_sᵀβ̂) over the valid observations with t >= monitor_start.
// Domain and edges: floor(h·n) <= 1 or n <= p → status too_few_history (no break, NaN
// magnitude), as bfast; a singular history design (collinear columns after gaps) →
// rank_deficient_history; no valid observation at or after monitor_start → no_monitoring_data
// (history fitted, no break, NaN magnitude). ROC needs n_h > p + 1 and an invertible design on
// the p latest history observations; otherwise the history starts at its first observation and
// roc_p_value is NaN.
// Accuracy: equals bfast 1.7.0 / strucchange 1.5-3 (break observation exact, coefficients, σ̂
// and magnitude to 1e-9; tests/data/bfast). Known behaviour: detection lags the change by up
// to K observations; a history model without the trend a series has alarms at the first step.
#pragma once

#include <limits>
#include <span>
#include <vector>

#include "minecarbon/core/name_table.h"
#include "minecarbon/stats/harmonic_design.h"

namespace minecarbon::stats {

enum class BfastHistory { all, from_time, roc };
inline constexpr NameTable<BfastHistory, 3> kBfastHistoryNames{{{
    {BfastHistory::all, "all"},
    {BfastHistory::from_time, "time"},
    {BfastHistory::roc, "ROC"},
}}};

// λ_R of ROC's Rec-CUSUM boundary λ_R·(1 + 2t): the root of P(sup |W(t)|/(1 + 2t) > λ) = 0.05
// for Brownian motion W (Brown, Durbin & Evans 1975), as strucchange's boundary() finds it with
// uniroot's default tolerance — this value, not the exact root, is what bfast compares with.
inline constexpr double kRecCusumBoundary5pct = 0.94789810173212397;

struct BfastMonitorParams {
  SeasonTrendDesign design;  // model, harmonic order, observations per year
  BfastHistory history = BfastHistory::all;
  double history_start_yr = std::numeric_limits<double>::quiet_NaN();  // for from_time
  double monitor_start_yr = std::numeric_limits<double>::quiet_NaN();
  // MOSUM bandwidth as a share of the history length: 0.25 reacts fastest (window K = n/4),
  // 1 smooths most. Only 0.25, 0.5 and 1 have critical values.
  double h = 0.25;
  // Significance level of the monitoring test, 0.001..0.05 (the simulated table's range).
  double level = 0.05;
  // Significance level of ROC's stability test (bfast uses the same as `level` by default).
  double roc_level = 0.05;
  // Monitoring horizon in multiples of the history length the critical value is for: 2..10.
  double end = 10;

  // Throws ConfigError: design (order, frequency), h / end / level outside the critical-value
  // table, non-finite monitor_start_yr, from_time without a finite history_start_yr, roc_level
  // outside (0, 1).
  void validate() const;
};

enum class BfastStatus { ok, too_few_history, rank_deficient_history, no_monitoring_data };
inline constexpr NameTable<BfastStatus, 4> kBfastStatusNames{{{
    {BfastStatus::ok, "ok"},
    {BfastStatus::too_few_history, "too_few_history"},
    {BfastStatus::rank_deficient_history, "rank_deficient_history"},
    {BfastStatus::no_monitoring_data, "no_monitoring_data"},
}}};

// One series' result; plain values so a block of pixels holds an array of them. Indices are
// 0-based positions in the input series (missing values counted).
struct BfastMonitorResult {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  BfastStatus status = BfastStatus::too_few_history;
  int history_start_index = -1;
  double history_start_yr = kNaN;
  int n_history = 0;             // n: valid observations in the stable history
  int n_monitor = 0;             // valid observations with t >= monitor_start
  int window = 0;                // K = floor(h·n)
  double sigma = kNaN;           // σ̂ (units of y)
  double critical_value = kNaN;  // λ
  double roc_p_value = kNaN;     // ROC's Rec-CUSUM p-value (history = roc only)
  bool has_break = false;
  int break_index = -1;
  double break_yr = kNaN;   // decimal time of the first boundary crossing
  double magnitude = kNaN;  // median residual in the monitoring period (units of y)
  double statistic = kNaN;  // max |MO_k| over the monitoring period
};

// The MOSUM process and boundary at every monitored observation (for --trace output).
struct BfastTrace {
  std::vector<int> index;  // 0-based input positions
  std::vector<double> time_yr;
  std::vector<double> process;
  std::vector<double> boundary;
};

// One series. time_yr strictly increasing and finite, same length as y; NaN y values are
// missing. Throws DataError when monitor_start_yr is not after the first time (no history can
// exist) or the times are not increasing; ConfigError from params.validate(). `coefficients`
// (optional) receives β̂ in design column order (empty unless status is ok or
// no_monitoring_data); `trace` (optional) the monitoring process.
BfastMonitorResult bfast_monitor(std::span<const double> time_yr, std::span<const double> y,
                                 const BfastMonitorParams& params,
                                 std::vector<double>* coefficients = nullptr,
                                 BfastTrace* trace = nullptr);

// Pixels sharing a time axis, stored date-major: values[d·n_pixels + pixel] (one plane per
// date, as bands come from a raster block). Pixels are grouped by their missing-value pattern,
// and each group's design, QR factorisations and ROC recursions are computed once and applied
// to all its pixels, so the result of every pixel equals bfast_monitor() on its series exactly.
// `out` has n_pixels entries; `coefficients` is empty or n_pixels·p (pixel-major, NaN where not
// fitted). Single-threaded: callers parallelise over blocks. Returns the number of distinct
// missing-value patterns.
int bfast_monitor_block(std::span<const double> time_yr, std::span<const double> values,
                        int n_pixels, const BfastMonitorParams& params,
                        std::span<BfastMonitorResult> out, std::span<double> coefficients = {});

}  // namespace minecarbon::stats
