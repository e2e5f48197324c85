#include "minecarbon/assess/warning/warning_stage.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/text.h"
#include "minecarbon/stats/anomaly.h"
#include "minecarbon/stats/ets.h"
#include "minecarbon/stats/mosum_critical_values.h"
#include "minecarbon/stats/multiple_testing.h"
#include "minecarbon/stats/page_cusum.h"
#include "minecarbon/stats/pettitt.h"
#include "minecarbon/stats/trend.h"

namespace minecarbon::assess::warning {
const OptionTable<WarningParams>& WarningParams::options() {
  static const OptionTable<WarningParams> table = [] {
    using P = WarningParams;
    OptionTable<P> t("warning");
    t.add(
        "mann_kendall", [](P& p) -> bool& { return p.mann_kendall; },
        "Mann-Kendall test and Sen's slope with its interval");
    t.add(
        "pettitt", [](P& p) -> bool& { return p.pettitt; }, "Pettitt's change-point test");
    t.add(
        "ols_cusum", [](P& p) -> bool& { return p.ols_cusum; }, "OLS-CUSUM stability test");
    t.add(
        "bfast", [](P& p) -> bool& { return p.bfast; }, "BFAST Monitor on the annual series");
    t.add(
        "page_cusum", [](P& p) -> bool& { return p.page_cusum; },
        "lower Page CUSUM chart against the reference years");
    t.add(
        "theil_sen", [](P& p) -> bool& { return p.theil_sen; },
        "forecast along the Theil-Sen line with residual-quantile limits");
    t.add(
        "ets", [](P& p) -> bool& { return p.ets; },
        "ETS(A,A,N) and ETS(A,Ad,N) forecasts (maximum likelihood, as R forecast::ets)");
    t.add_choice(
        "history", [](P& p) -> stats::BfastHistory& { return p.history; },
        stats::kBfastHistoryNames.entries,
        "BFAST Monitor stable history: all (every point before monitor_start), time (from "
        "history_start) or ROC (reverse-ordered CUSUM)");
    t.add(
        "history_start", [](P& p) -> std::optional<double>& { return p.history_start; },
        "with history = \"time\": the decimal year the stable history starts (e.g. the "
        "restoration year)");
    t.add_choice(
        "model", [](P& p) -> stats::SeasonTrendModel& { return p.model; },
        enum_names({stats::SeasonTrendModel::constant, stats::SeasonTrendModel::trend},
                   [](stats::SeasonTrendModel m) { return stats::kSeasonTrendModelNames.name(m); }),
        "BFAST Monitor history model on annual series: const or trend");
    t.add(
         "h", [](P& p) -> double& { return p.h; },
         "BFAST Monitor MOSUM window as a share of the history length")
        .range(0.25, 1.0);
    t.add(
         "level", [](P& p) -> double& { return p.level; },
         "BFAST Monitor significance level of the MOSUM boundary")
        .range(0.001, 0.1);
    t.add(
         "monitor_start", [](P& p) -> std::optional<double>& { return p.monitor_start; },
         "decimal year monitoring starts (BFAST Monitor, Page CUSUM, z); default: each "
         "series' middle, the time of observation floor(n/2) + 1")
        .shown_default("middle of each series");
    t.add_choice(
        "ols_cusum_model", [](P& p) -> stats::CusumModel& { return p.ols_cusum_model; },
        stats::kCusumModelNames.entries, "OLS-CUSUM regression: const (a stable mean) or trend");
    t.add(
         "cusum_k", [](P& p) -> double& { return p.cusum_k; },
         "lower Page CUSUM allowance k, in reference sd")
        .at_least(0.0);
    t.add(
         "cusum_h", [](P& p) -> double& { return p.cusum_h; },
         "lower Page CUSUM decision interval h, in reference sd")
        .above(0.0);
    t.add(
         "reference_first", [](P& p) -> std::optional<double>& { return p.reference_first; },
         "first reference year of the Page CUSUM and the z (default: the series' first time)")
        .shown_default("first time");
    t.add(
         "reference_last", [](P& p) -> std::optional<double>& { return p.reference_last; },
         "last reference year of the Page CUSUM and the z (default: the last time before "
         "monitor_start)")
        .shown_default("before monitor_start");
    t.add(
         "horizon_yr", [](P& p) -> std::int64_t& { return p.horizon_yr; },
         "forecast horizon, years after the last observation")
        .range(1, 100);
    t.add(
         "alpha", [](P& p) -> double& { return p.alpha; },
         "Sen's slope interval at confidence 1 - alpha")
        .range(0.001, 0.5);
    t.add_choice(
        "sen_intercept", [](P& p) -> stats::SenIntercept& { return p.sen_intercept; },
        stats::kSenInterceptNames.entries,
        "intercept of the Theil-Sen forecast: separate (median of y - b t) or joint");
    t.add(
        "reference_ids", [](P& p) -> std::vector<std::string>& { return p.reference_ids; },
        "ids of the series that make the spatial z of every series (their mean and sd, n - 1, "
        "in each year); empty: against each mine's reference ring when the series come from "
        "damage in the same run, else no spatial z");
    t.add(
         "history_start_field", [](P& p) -> std::string& { return p.history_start_field; },
         "with history = \"time\": a column of the series CSV (one value per id) or a field "
         "of the mine layer holding each series' own history start, e.g. the restoration year; "
         "a series without a value uses history_start")
        .shown_default("none");
    t.add(
         "trace", [](P& p) -> bool& { return p.trace; },
         "write BFAST Monitor's MOSUM process and boundary of every series "
         "(tables/warning_mosum.csv)")
        .flag("--trace");
    return t;
  }();
  return table;
}

void WarningParams::validate() const {
  check_options(options(), *this);
  if (model != stats::SeasonTrendModel::constant && model != stats::SeasonTrendModel::trend)
    throw OptionError("warning", "model",
                      "= '" + std::string(stats::kSeasonTrendModelNames.name(model)) +
                          "': annual series take const or trend (no season to fit)");
  if (history == stats::BfastHistory::from_time && !history_start && history_start_field.empty())
    throw OptionError("warning", "history_start",
                      "required with history = \"time\": the decimal year the stable history "
                      "starts, e.g. history_start = 2005 (or history_start_field naming a "
                      "column or mine field that holds it per series)");
  if (!history_start_field.empty() && history != stats::BfastHistory::from_time)
    throw OptionError("warning", "history_start_field",
                      "= '" + history_start_field + "' needs history = \"time\" (history is '" +
                          std::string(stats::kBfastHistoryNames.name(history)) + "')");
  if (reference_first && reference_last && !(*reference_first <= *reference_last))
    throw OptionError("warning", "reference_last",
                      "= " + format_plain(*reference_last) +
                          " is before reference_first = " + format_plain(*reference_first));
  try {
    stats::mosum_critical_value(h, 10.0, level);
  } catch (const std::exception& e) {
    throw OptionError(
        "warning", "h",
        "= " + format_plain(h) + " with level = " + format_plain(level) + ": " + e.what());
  }
}

namespace {

// What one year of a series is compared with for the spatial z: the compared value (ring: the
// mine's mean Q; group: the series' value), the reference's mean and sd, and the group members
// with a value (0 for a ring).
struct SpatialReference {
  double value, mean, sd;
  int n;
};

// The spatial z rows of one series, one per year the series itself has a finite value (so its
// last one is z_spatial_last's): reference_at(k) gives year k's reference, and
// z = (value − mean)/sd (stats::spatial_z). The one loop of both references, ring and group.
template <class ReferenceAt>
std::vector<SpatialZRow> spatial_z_rows(const WarningSeries& s, ReferenceAt&& reference_at) {
  std::vector<SpatialZRow> rows;
  for (std::size_t k = 0; k < s.time.size(); ++k) {
    if (!std::isfinite(s.value[k])) continue;
    const SpatialReference ref = reference_at(k);
    rows.push_back({s.time[k], ref.value, ref.mean, ref.sd, ref.n,
                    stats::spatial_z(ref.value, ref.mean, ref.sd)});
  }
  return rows;
}

}  // namespace

SeriesResult series_statistics(const WarningParams& params, const WarningSeries& series) {
  SeriesResult out;
  out.id = series.id;
  StatisticValues& v = out.values;
  using S = Statistic;
  // Finite points only, in time order (the stats functions drop NaN themselves; BFAST and
  // Page CUSUM keep the positions, the rest use the compacted series).
  std::vector<double> t, y;
  for (std::size_t i = 0; i < series.time.size(); ++i)
    if (std::isfinite(series.value[i])) {
      t.push_back(series.time[i]);
      y.push_back(series.value[i]);
    }
  const int n = static_cast<int>(y.size());
  v.set(S::n_obs, n);
  const stats::LastObservation last = stats::last_observation(t, y);
  v.set(S::last_value, last.value);
  v.set(S::last_time, last.time);
  v.set(S::sink_years_before_last, n > 0 ? last.positive_run_before : kNaN);
  auto note = [&](const std::string& method, const std::string& why) {
    out.notes.push_back(method + ": " + why);
  };
  // Monitoring start and reference years of this series.
  const double monitor_start =
      params.monitor_start ? *params.monitor_start : (n > 0 ? t[n / 2] : kNaN);
  out.monitor_start = monitor_start;
  out.reference_first = params.reference_first ? *params.reference_first : (n > 0 ? t[0] : kNaN);
  double ref_last = kNaN;
  if (params.reference_last) {
    ref_last = *params.reference_last;
  } else {
    for (int i = 0; i < n; ++i)
      if (t[i] < monitor_start) ref_last = t[i];
  }
  out.reference_last = ref_last;

  if (params.mann_kendall) {
    const stats::MannKendall mk = stats::mann_kendall(t, y);
    const stats::SenSlopeInterval sen = stats::sen_slope_interval(t, y, 1.0 - params.alpha);
    v.set(S::mk_z, mk.z);
    v.set(S::mk_p, mk.p);
    v.set(S::mk_tau, mk.tau_b);
    v.set(S::sen_slope, sen.slope);
    v.set(S::sen_slope_lo, sen.lower);
    v.set(S::sen_slope_hi, sen.upper);
    if (n < 3) note("mann_kendall", "fewer than 3 points");
  }
  if (params.pettitt) {
    const stats::Pettitt pt = stats::pettitt(t, y);
    if (n >= 2) {
      v.set(S::pettitt_u, pt.u_star);
      v.set(S::pettitt_k, pt.k_first);
      v.set(S::pettitt_k_ties, pt.k_count);
      v.set(S::pettitt_time, pt.change_time);
      v.set(S::pettitt_age_yr, last.time - pt.change_time);
      v.set(S::pettitt_shift, pt.mean_after - pt.mean_before);
      v.set(S::pettitt_p, pt.p);
    } else {
      note("pettitt", "fewer than 2 points");
    }
  }
  if (params.ols_cusum) {
    const stats::OlsCusum oc = stats::ols_cusum(t, y, params.ols_cusum_model);
    v.set(S::ols_cusum_stat, oc.statistic);
    v.set(S::ols_cusum_time, oc.argmax_time);
    v.set(S::ols_cusum_p, oc.p);
    if (!std::isfinite(oc.statistic)) note("ols_cusum", "too few points or a perfect fit");
  }
  if (params.bfast && n > 0) {
    stats::BfastMonitorParams bp;
    bp.design.model = params.model;
    bp.design.order = 1;
    bp.design.frequency = 1;
    bp.history = params.history;
    // The series' own history start (history_start_field) before the stage-wide one.
    if (std::isfinite(series.history_start))
      bp.history_start_yr = series.history_start;
    else if (params.history_start)
      bp.history_start_yr = *params.history_start;
    bp.monitor_start_yr = monitor_start;
    bp.h = params.h;
    bp.level = params.level;
    if (params.history == stats::BfastHistory::from_time && !std::isfinite(bp.history_start_yr)) {
      note("bfast",
           "no history start: no value in " + params.history_start_field + " and no history_start");
    } else
      try {
        const stats::BfastMonitorResult b =
            stats::bfast_monitor(t, y, bp, nullptr, params.trace ? &out.trace : nullptr);
        if (b.status == stats::BfastStatus::ok) {
          v.set(S::bfast_break, b.has_break ? 1.0 : 0.0);
          v.set(S::bfast_break_time, b.break_yr);
          v.set(S::bfast_magnitude, b.magnitude);
        } else {
          note("bfast", std::string(stats::kBfastStatusNames.name(b.status)));
        }
        v.set(S::bfast_history_start, b.history_start_yr);
        v.set(S::bfast_history_n, b.n_history);
        v.set(S::bfast_sigma, b.sigma);
        v.set(S::bfast_critical_value, b.critical_value);
      } catch (const std::exception& e) {
        note("bfast", e.what());
      }
  }
  stats::ReferencePeriod reference{out.reference_first, ref_last};
  if (params.page_cusum && std::isfinite(ref_last)) {
    stats::PageCusumParams cp;
    cp.k = params.cusum_k;
    cp.h = params.cusum_h;
    const stats::PageCusum pc = stats::lower_page_cusum(t, y, reference, cp);
    if (pc.defined) {
      v.set(S::cusum_s_last, pc.last_s);
      v.set(S::cusum_alarms, pc.n_alarms);
      v.set(S::cusum_first_alarm_time, pc.first_alarm_time);
      v.set(S::cusum_last_alarm_time, pc.last_alarm_time);
      v.set(S::cusum_alarm_age_yr, last.time - pc.last_alarm_time);
    } else {
      note("page_cusum", "reference sd undefined (fewer than 2 reference points or constant)");
    }
  } else if (params.page_cusum) {
    note("page_cusum", "no reference point before monitor_start");
  }
  if (std::isfinite(ref_last)) {
    const stats::ReferenceStats rs = stats::reference_stats(t, y, reference);
    v.set(S::z_temporal_last, stats::temporal_z(last.value, rs));
    v.set(S::z_robust_last, stats::robust_z(last.value, rs));
  }
  // Forecast times: the years after the last observation.
  std::vector<double> future;
  for (std::int64_t k = 1; k <= params.horizon_yr && n > 0; ++k)
    future.push_back(last.time + static_cast<double>(k));
  auto band_stats = [](const std::vector<stats::ForecastPoint>& points, double& mean_end,
                       double& hi80_min, double& lo80_min) {
    mean_end = points.empty() ? kNaN : points.back().mean;
    hi80_min = kNaN;
    lo80_min = kNaN;
    for (const auto& p : points) {
      if (std::isfinite(p.hi80))
        hi80_min = std::isnan(hi80_min) ? p.hi80 : std::min(hi80_min, p.hi80);
      if (std::isfinite(p.lo80))
        lo80_min = std::isnan(lo80_min) ? p.lo80 : std::min(lo80_min, p.lo80);
    }
  };
  if (params.theil_sen && n > 0) {
    const stats::TheilSenForecast ts =
        stats::theil_sen_forecast(t, y, future, params.sen_intercept);
    double mean_end, hi, lo;
    band_stats(ts.points, mean_end, hi, lo);
    v.set(S::theil_sen_mean_end, mean_end);
    v.set(S::theil_sen_hi80_min, hi);
    v.set(S::theil_sen_lo80_min, lo);
    for (const auto& p : ts.points)
      out.forecasts.push_back({"theil_sen", p});
    if (!std::isfinite(ts.slope)) note("theil_sen", "fewer than 3 points");
  }
  if (params.ets && n > 0) {
    for (bool damped : {false, true}) {
      const char* method = damped ? "ets_damped" : "ets_holt";
      const stats::EtsFit fit = stats::ets_fit(series.value, damped);
      if (fit.status != stats::EtsStatus::ok) {
        note(method, std::string(stats::kEtsStatusNames.name(fit.status)));
        continue;
      }
      const stats::EtsForecast fc = stats::ets_forecast(fit, static_cast<int>(params.horizon_yr));
      std::vector<stats::ForecastPoint> points;
      // The forecast continues the fitted run, which may end before the last observation.
      const double run_end = series.time[static_cast<std::size_t>(fit.last_index)];
      for (std::size_t k = 0; k < fc.mean.size(); ++k)
        points.push_back({run_end + static_cast<double>(k + 1), fc.mean[k], fc.lo80[k], fc.hi80[k],
                          fc.lo95[k], fc.hi95[k]});
      double mean_end, hi, lo;
      band_stats(points, mean_end, hi, lo);
      v.set(damped ? S::ets_damped_mean_end : S::ets_holt_mean_end, mean_end);
      v.set(damped ? S::ets_damped_hi80_min : S::ets_holt_hi80_min, hi);
      for (const auto& p : points)
        out.forecasts.push_back({method, p});
    }
  }
  return out;
}

WarningResult run_warning(const WarningParams& params, const WarningInputs& inputs, int threads) {
  params.validate();
  WarningResult result;
  result.value_name = inputs.value_name;
  result.rules = inputs.rules;
  const std::size_t count = inputs.series.size();
  result.series.resize(count);
  parallel_for(count, threads, [&](std::size_t i, int) {
    result.series[i] = series_statistics(params, inputs.series[i]);
  });
  // Adjustment across series, per test, over the series with a finite p (p_adjust's m).
  using S = Statistic;
  auto adjust = [&](S p_stat, S adjusted, stats::PAdjustMethod method) {
    std::vector<double> p(count);
    for (std::size_t i = 0; i < count; ++i)
      p[i] = result.series[i].values.get(p_stat);
    const std::vector<double> q = stats::p_adjust(p, method);
    for (std::size_t i = 0; i < count; ++i)
      result.series[i].values.set(adjusted, q[i]);
  };
  adjust(S::mk_p, S::mk_p_bh, stats::PAdjustMethod::benjamini_hochberg);
  adjust(S::mk_p, S::mk_p_bonferroni, stats::PAdjustMethod::bonferroni);
  adjust(S::pettitt_p, S::pettitt_p_bh, stats::PAdjustMethod::benjamini_hochberg);
  adjust(S::pettitt_p, S::pettitt_p_bonferroni, stats::PAdjustMethod::bonferroni);
  adjust(S::ols_cusum_p, S::ols_cusum_p_bh, stats::PAdjustMethod::benjamini_hochberg);
  // Spatial z, per year: against the reference_ids group, else the series' own reference ring.
  if (!params.reference_ids.empty()) {
    result.spatial_reference = "reference_ids";
    std::map<std::string, const WarningSeries*> by_id;
    for (const auto& s : inputs.series)
      by_id[s.id] = &s;
    for (const auto& id : params.reference_ids)
      if (!by_id.count(id)) {
        std::vector<std::string> known;
        for (const auto& s : inputs.series)
          if (known.size() < 10) known.push_back(s.id);
        throw ConfigError("[warning] reference_ids: '" + id + "' is not a series id of " +
                          inputs.source + " (ids there: " + join(known, ", ") +
                          (inputs.series.size() > known.size() ? ", ..." : "") +
                          "); name series that exist");
      }
    // The group's values by time, once.
    std::map<double, std::vector<double>> group_at;
    for (const auto& id : params.reference_ids) {
      const WarningSeries& s = *by_id.at(id);
      for (std::size_t k = 0; k < s.time.size(); ++k)
        group_at[s.time[k]].push_back(s.value[k]);
    }
    for (std::size_t i = 0; i < count; ++i) {
      const WarningSeries& s = inputs.series[i];
      result.series[i].spatial = spatial_z_rows(s, [&](std::size_t k) {
        auto it = group_at.find(s.time[k]);
        const stats::GroupMeanSd g =
            stats::group_mean_sd(it == group_at.end() ? std::vector<double>{} : it->second);
        return SpatialReference{s.value[k], g.n > 0 ? g.mean : kNaN, g.sd, g.n};
      });
    }
  } else if (std::any_of(inputs.series.begin(), inputs.series.end(),
                         [](const WarningSeries& s) { return !s.ring_mean.empty(); })) {
    result.spatial_reference = "ring";
    for (std::size_t i = 0; i < count; ++i) {
      const WarningSeries& s = inputs.series[i];
      if (s.ring_mean.size() != s.time.size() || s.ring_sd.size() != s.time.size() ||
          s.ring_own.size() != s.time.size())
        continue;
      result.series[i].spatial = spatial_z_rows(s, [&](std::size_t k) {
        return SpatialReference{s.ring_own[k], s.ring_mean[k], s.ring_sd[k], 0};
      });
    }
  }
  for (auto& r : result.series) {
    const double when = r.values.get(S::last_time);
    for (const SpatialZRow& row : r.spatial)
      if (row.time == when) r.values.set(S::z_spatial_last, row.z);
  }
  std::size_t by_level_none = 0;
  std::vector<std::size_t> by_level(result.rules.levels.size(), 0);
  for (auto& r : result.series) {
    r.decision = decide_alert(result.rules, r.values);
    if (r.decision.level < 0)
      ++by_level_none;
    else
      ++by_level[static_cast<std::size_t>(r.decision.level)];
    for (const auto& why : r.notes)
      result.warnings.add("method_skipped", "series '" + r.id + "': " + why);
  }
  nlohmann::json levels = nlohmann::json::object();
  levels[std::string(kNoAlertLevel)] = by_level_none;
  for (std::size_t l = 0; l < by_level.size(); ++l)
    levels[result.rules.levels[l]] = by_level[l];
  result.summary["series"] = count;
  result.summary["series_by_level"] = levels;
  result.summary["rules_file"] = result.rules.file;
  result.summary["value_column"] = inputs.value_name;
  result.summary["spatial_reference"] = result.spatial_reference;
  return result;
}

Table warning_series_table(const WarningResult& result) {
  Table table("warning_series");
  std::vector<std::string> ids, levels, notes;
  std::vector<std::int64_t> hits;
  for (const auto& r : result.series) {
    ids.push_back(r.id);
    levels.push_back(result.rules.level_name(r.decision.level));
    hits.push_back(static_cast<std::int64_t>(r.decision.hits.size()));
    notes.push_back(join(r.notes, "; "));
  }
  table.add("id", ids);
  for (const auto& info : kWarningStatistics) {
    std::vector<double> column;
    for (const auto& r : result.series)
      column.push_back(r.values.get(info.id));
    table.add(std::string(info.name), std::move(column));
  }
  std::vector<double> ms, rf, rl;
  for (const auto& r : result.series) {
    ms.push_back(r.monitor_start);
    rf.push_back(r.reference_first);
    rl.push_back(r.reference_last);
  }
  table.add("monitor_start", ms);
  table.add("reference_first", rf);
  table.add("reference_last", rl);
  table.add("level", levels);
  table.add("rules_hit", hits);
  table.add("notes", notes);
  return table;
}

Table warning_forecast_table(const WarningResult& result) {
  Table table("warning_forecast");
  std::vector<std::string> ids, methods;
  std::vector<double> time, mean, lo80, hi80, lo95, hi95;
  for (const auto& r : result.series)
    for (const auto& f : r.forecasts) {
      ids.push_back(r.id);
      methods.push_back(f.method);
      time.push_back(f.point.time);
      mean.push_back(f.point.mean);
      lo80.push_back(f.point.lo80);
      hi80.push_back(f.point.hi80);
      lo95.push_back(f.point.lo95);
      hi95.push_back(f.point.hi95);
    }
  table.add("id", ids);
  table.add("method", methods);
  table.add("time", time);
  table.add("mean", mean);
  table.add("lo80", lo80);
  table.add("hi80", hi80);
  table.add("lo95", lo95);
  table.add("hi95", hi95);
  return table;
}

namespace {

std::string values_text(const RuleHit& hit) {
  std::string text;
  for (const auto& [stat, value] : hit.values)
    text += (text.empty() ? "" : "; ") + std::string(statistic_info(stat).name) + "=" +
            format_plain(value);
  return text;
}

const AlertRule& rule_of(const AlertRuleSet& rules, int index) {
  for (const auto& r : rules.rules)
    if (r.index == index) return r;
  throw std::logic_error("warning: unknown rule index");
}

nlohmann::json json_number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

Table warning_alerts_table(const WarningResult& result) {
  Table table("warning_alerts");
  std::vector<std::string> ids, levels, whens, notes, values;
  std::vector<std::int64_t> rules;
  for (const auto& r : result.series)
    for (const auto& hit : r.decision.hits) {
      const AlertRule& rule = rule_of(result.rules, hit.rule);
      ids.push_back(r.id);
      rules.push_back(hit.rule);
      levels.push_back(result.rules.level_name(hit.level));
      whens.push_back(rule.condition.text());
      notes.push_back(rule.note);
      values.push_back(values_text(hit));
    }
  table.add("id", ids);
  table.add("rule", rules);
  table.add("level", levels);
  table.add("when", whens);
  table.add("note", notes);
  table.add("values", values);
  return table;
}

nlohmann::json warning_alerts_json(const WarningResult& result) {
  nlohmann::json doc;
  doc["schema"] = "minecarbon.warning.alerts/1";
  doc["value"] = result.value_name;
  doc["levels"] = result.rules.levels;
  doc["series"] = nlohmann::json::array();
  for (const auto& r : result.series) {
    nlohmann::json s;
    s["id"] = r.id;
    s["level"] = result.rules.level_name(r.decision.level);
    s["last_time"] = json_number(r.values.get(Statistic::last_time));
    s["last_value"] = json_number(r.values.get(Statistic::last_value));
    s["rules"] = nlohmann::json::array();
    for (const auto& hit : r.decision.hits) {
      const AlertRule& rule = rule_of(result.rules, hit.rule);
      nlohmann::json h;
      h["rule"] = hit.rule;
      h["level"] = result.rules.level_name(hit.level);
      h["when"] = rule.condition.text();
      h["note"] = rule.note;
      nlohmann::json vals = nlohmann::json::object();
      for (const auto& [stat, value] : hit.values)
        vals[std::string(statistic_info(stat).name)] = json_number(value);
      h["values"] = vals;
      s["rules"].push_back(h);
    }
    // The band of the damped-trend ETS forecast (the default alarm rule's), else Theil–Sen.
    nlohmann::json band;
    for (const char* method : {"ets_damped", "theil_sen"}) {
      nlohmann::json time = nlohmann::json::array(), mean = time, lo80 = time, hi80 = time;
      for (const auto& f : r.forecasts)
        if (f.method == method) {
          time.push_back(f.point.time);
          mean.push_back(json_number(f.point.mean));
          lo80.push_back(json_number(f.point.lo80));
          hi80.push_back(json_number(f.point.hi80));
        }
      if (time.empty()) continue;
      band = {{"method", method}, {"time", time}, {"mean", mean}, {"lo80", lo80}, {"hi80", hi80}};
      break;
    }
    s["forecast"] = band;
    doc["series"].push_back(s);
  }
  return doc;
}

Table warning_spatial_table(const WarningResult& result) {
  Table table("warning_spatial_z");
  std::vector<std::string> ids, reference;
  std::vector<double> time, value, mean, sd, z;
  std::vector<std::int64_t> n;
  for (const auto& r : result.series)
    for (const auto& row : r.spatial) {
      ids.push_back(r.id);
      time.push_back(row.time);
      value.push_back(row.value);
      reference.push_back(result.spatial_reference);
      mean.push_back(row.reference_mean);
      sd.push_back(row.reference_sd);
      n.push_back(row.reference_n);
      z.push_back(row.z);
    }
  table.add("id", ids);
  table.add("time", time);
  table.add("value", value);
  table.add("reference", reference);
  table.add("reference_mean", mean);
  table.add("reference_sd", sd);
  table.add("reference_n", n);
  table.add("z_spatial", z);
  return table;
}

Table warning_mosum_table(const WarningResult& result) {
  Table table("warning_mosum");
  std::vector<std::string> ids;
  std::vector<std::int64_t> k;
  std::vector<double> time, process, boundary;
  for (const auto& r : result.series) {
    // k counts the valid observations from the history start: the first monitored one is n + 1.
    const double n_history = r.values.get(Statistic::bfast_history_n);
    for (std::size_t j = 0; j < r.trace.time_yr.size(); ++j) {
      ids.push_back(r.id);
      k.push_back(static_cast<std::int64_t>(n_history) + 1 + static_cast<std::int64_t>(j));
      time.push_back(r.trace.time_yr[j]);
      process.push_back(r.trace.process[j]);
      boundary.push_back(r.trace.boundary[j]);
    }
  }
  table.add("id", ids);
  table.add("k", k);
  table.add("time", time);
  table.add("process", process);
  table.add("boundary", boundary);
  return table;
}

}  // namespace minecarbon::assess::warning
