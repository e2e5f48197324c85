// The per-series warning stage (issue 12 §4; docs/warning.md, "The stage"): for every series (a
// mine's annual NEP, or any annual series of a CSV) every statistic of statistic_names.h that the
// stats/ functions give, p-values adjusted across series per test, the alert rules evaluated,
// and forecasts to `horizon_yr` by Theil–Sen and ETS(A,A,N)/(A,Ad,N).
//
// Series are treated as annual (frequency 1): BFAST Monitor with model const or trend, ETS with
// one step per observation, forecasts at last_time + 1 .. last_time + horizon_yr. A method that
// cannot run on a series (too few points, a constant series) leaves its statistics NaN and adds a
// note to the series; it never stops the stage. Series are computed on `threads` workers, each
// series by itself, so the numbers do not depend on the thread count.
#pragma once

#include <nlohmann/json.hpp>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/warning/alert_rules.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/table.h"
#include "minecarbon/stats/bfast_monitor.h"
#include "minecarbon/stats/harmonic_design.h"
#include "minecarbon/stats/ols_cusum.h"
#include "minecarbon/stats/theil_sen_forecast.h"

namespace minecarbon::assess::warning {

struct WarningParams {
  // Method switches: a switched-off method leaves its statistics NaN.
  bool mann_kendall = true, pettitt = true, ols_cusum = true, bfast = true, page_cusum = true,
       theil_sen = true, ets = true;
  // BFAST Monitor (stats/bfast_monitor.h) on the annual series.
  stats::BfastHistory history = stats::BfastHistory::all;
  std::optional<double> history_start;  // with history = "time": the stable history's start
  stats::SeasonTrendModel model = stats::SeasonTrendModel::trend;  // const or trend (annual)
  double h = 0.25;
  double level = 0.05;
  // Default (unset): each series' own middle, the time of observation floor(n/2) + 1.
  std::optional<double> monitor_start;
  // OLS-CUSUM model: "const" tests a stable mean (strucchange efp(y ~ 1)).
  stats::CusumModel ols_cusum_model = stats::CusumModel::constant;
  // Lower Page CUSUM and the z of the last value: reference years (default: the times before
  // each series' monitor start).
  double cusum_k = 0.5, cusum_h = 4.0;
  std::optional<double> reference_first, reference_last;
  std::int64_t horizon_yr = 5;
  double alpha = 0.05;  // Sen's slope interval at 1 − alpha
  stats::SenIntercept sen_intercept = stats::SenIntercept::separate;
  // The ids whose values in a series' year make its spatial z (empty: against the series' own
  // reference ring when it has one, from damage in memory; else z_spatial_last NaN).
  std::vector<std::string> reference_ids;
  // With history = "time": the field holding each series' own history start (a column of the
  // series CSV, or of the mine layer; e.g. the restoration year). Read by the job into
  // WarningSeries::history_start; a series without a value falls back to history_start.
  std::string history_start_field;
  // Keep BFAST Monitor's MOSUM process and boundary of every series (tables/warning_mosum.csv).
  bool trace = false;

  static const OptionTable<WarningParams>& options();
  void validate() const;  // throws OptionError
};

// One series: its id and its points in time order (NaN values allowed: missing).
struct WarningSeries {
  std::string id;
  std::vector<double> time;
  std::vector<double> value;
  // This series' stable-history start for BFAST Monitor (history = "time"), from
  // history_start_field; NaN: WarningParams::history_start.
  double history_start = std::numeric_limits<double>::quiet_NaN();
  // Optional, aligned with `time` (from damage in memory): the mine's own mean NEP Q and its
  // reference ring's area-weighted mean O and sd, gC m⁻² yr⁻¹. With them, and no reference_ids,
  // the spatial z of year t is (Q_t − O_t)/sd_t.
  std::vector<double> ring_own{}, ring_mean{}, ring_sd{};
};

struct WarningInputs {
  std::string value_name;             // the series' column, for outputs ("nep_mine_gC_m2_yr")
  std::string source = "the series";  // where the series come from, for messages
  std::vector<WarningSeries> series;
  AlertRuleSet rules;
};

struct ForecastRow {
  std::string method;  // "theil_sen", "ets_holt", "ets_damped"
  stats::ForecastPoint point;
};

// One year of a series' spatial z: its value against the reference set of that year.
struct SpatialZRow {
  double time = 0;
  double value = 0;           // Q (ring) or the series value (group)
  double reference_mean = 0;  // O (ring) or the group mean
  double reference_sd = 0;    // ring: area-weighted, population form; group: n − 1
  int reference_n = 0;        // group members with a value (0 for a ring)
  double z = 0;
};

struct SeriesResult {
  std::string id;
  StatisticValues values;
  std::vector<ForecastRow> forecasts;
  std::vector<SpatialZRow> spatial;  // per time, when a spatial reference exists
  stats::BfastTrace trace;           // with WarningParams::trace
  AlertDecision decision;
  std::vector<std::string> notes;  // methods that could not run, and why
  double monitor_start = 0, reference_first = 0, reference_last = 0;  // as used
};

struct WarningResult {
  std::string value_name;
  std::string spatial_reference = "none";  // "ring", "reference_ids" or "none"
  AlertRuleSet rules;
  std::vector<SeriesResult> series;
  ProblemList warnings;
  nlohmann::json summary;
};

// Every statistic of one series, before the adjustment across series (the *_bh, *_bonferroni
// statistics stay NaN) and without the spatial z. Exposed so a test can compare it with direct
// calls of the stats functions.
SeriesResult series_statistics(const WarningParams& params, const WarningSeries& series);

WarningResult run_warning(const WarningParams& params, const WarningInputs& inputs, int threads);

// tables/warning_series.csv: id, every statistic by name, level, rules_hit, notes.
Table warning_series_table(const WarningResult& result);
// tables/warning_forecast.csv: id, method, time, mean, lo80, hi80, lo95, hi95.
Table warning_forecast_table(const WarningResult& result);
// tables/warning_alerts.csv: id, rule, level, when, note, values.
Table warning_alerts_table(const WarningResult& result);
// alerts.json (schema in docs/warning.md, "The stage").
nlohmann::json warning_alerts_json(const WarningResult& result);
// tables/warning_spatial_z.csv (with a spatial reference): id, time, value, reference,
// reference_mean, reference_sd, reference_n, z_spatial.
Table warning_spatial_table(const WarningResult& result);
// tables/warning_mosum.csv (with trace): id, k, time, process, boundary.
Table warning_mosum_table(const WarningResult& result);

}  // namespace minecarbon::assess::warning
