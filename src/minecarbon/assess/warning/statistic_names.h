// The statistics the warning stage computes for each series (a mine's annual NEP, or one pixel's
// index series), by name: the one list that alert rules may name, that `minecarbon warning
// --list-statistics` prints and that docs/warning.md documents (a test checks the docs name every
// one). Add a statistic by appending an enum value and its row; the rows are in enum order.
//
// Units: "y" is the unit of the series (gC m⁻² yr⁻¹ for NEP), "t" its time (decimal years),
// "1" dimensionless. A statistic the stage could not compute (too few points, a method switched
// off) is NaN; rules treat it as missing (rule_expression.h).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace minecarbon::assess::warning {

enum class Statistic : unsigned char {
  n_obs,
  last_value,
  last_time,
  sink_years_before_last,
  mk_z,
  mk_p,
  mk_p_bh,
  mk_p_bonferroni,
  mk_tau,
  sen_slope,
  sen_slope_lo,
  sen_slope_hi,
  pettitt_u,
  pettitt_k,
  pettitt_k_ties,
  pettitt_time,
  pettitt_age_yr,
  pettitt_shift,
  pettitt_p,
  pettitt_p_bh,
  pettitt_p_bonferroni,
  ols_cusum_stat,
  ols_cusum_time,
  ols_cusum_p,
  ols_cusum_p_bh,
  bfast_break,
  bfast_break_time,
  bfast_magnitude,
  bfast_history_start,
  bfast_history_n,
  bfast_sigma,
  bfast_critical_value,
  cusum_s_last,
  cusum_alarms,
  cusum_first_alarm_time,
  cusum_last_alarm_time,
  cusum_alarm_age_yr,
  theil_sen_mean_end,
  theil_sen_hi80_min,
  theil_sen_lo80_min,
  ets_holt_mean_end,
  ets_holt_hi80_min,
  ets_damped_mean_end,
  ets_damped_hi80_min,
  z_temporal_last,
  z_robust_last,
  z_spatial_last,
};

struct StatisticInfo {
  Statistic id;
  std::string_view name;
  std::string_view unit;
  bool per_pixel;  // computed by the per-pixel pass too (pixel rules may name it)
  std::string_view doc;
};

inline constexpr std::array kWarningStatistics = std::to_array<StatisticInfo>({
    {Statistic::n_obs, "n_obs", "1", true, "finite observations of the series"},
    {Statistic::last_value, "last_value", "y", true, "the last finite observation"},
    {Statistic::last_time, "last_time", "t", true, "the time of the last finite observation"},
    {Statistic::sink_years_before_last, "sink_years_before_last", "1", true,
     "consecutive observations with y > 0 (a sink) just before the last one"},
    {Statistic::mk_z, "mk_z", "1", true,
     "Mann–Kendall Z, continuity corrected (< 0: a downward trend)"},
    {Statistic::mk_p, "mk_p", "1", true, "Mann–Kendall two-sided p"},
    {Statistic::mk_p_bh, "mk_p_bh", "1", true,
     "mk_p adjusted by Benjamini–Hochberg over all series (mines or pixels)"},
    {Statistic::mk_p_bonferroni, "mk_p_bonferroni", "1", true,
     "mk_p adjusted by Bonferroni over all series"},
    {Statistic::mk_tau, "mk_tau", "1", true, "Kendall's tau-b of y against time"},
    {Statistic::sen_slope, "sen_slope", "y/t", true, "Sen's slope (median pairwise slope)"},
    {Statistic::sen_slope_lo, "sen_slope_lo", "y/t", false,
     "lower limit of Sen's slope at the stage's confidence level"},
    {Statistic::sen_slope_hi, "sen_slope_hi", "y/t", false,
     "upper limit of Sen's slope at the stage's confidence level"},
    {Statistic::pettitt_u, "pettitt_u", "1", true, "Pettitt's U* = max |U_k|"},
    {Statistic::pettitt_k, "pettitt_k", "1", true,
     "Pettitt's K: observations before the change (first arg max)"},
    {Statistic::pettitt_k_ties, "pettitt_k_ties", "1", true, "how many k reach U*"},
    {Statistic::pettitt_time, "pettitt_time", "t", true,
     "time of observation K (the last one before the change)"},
    {Statistic::pettitt_age_yr, "pettitt_age_yr", "t", true,
     "last_time − pettitt_time: how long ago the change happened"},
    {Statistic::pettitt_shift, "pettitt_shift", "y", true,
     "mean after K − mean up to K (< 0: a lower mean after the change)"},
    {Statistic::pettitt_p, "pettitt_p", "1", true, "Pettitt's approximate p"},
    {Statistic::pettitt_p_bh, "pettitt_p_bh", "1", true,
     "pettitt_p adjusted by Benjamini–Hochberg over all series"},
    {Statistic::pettitt_p_bonferroni, "pettitt_p_bonferroni", "1", true,
     "pettitt_p adjusted by Bonferroni over all series"},
    {Statistic::ols_cusum_stat, "ols_cusum_stat", "1", false, "OLS-CUSUM sup |W| (strucchange S0)"},
    {Statistic::ols_cusum_time, "ols_cusum_time", "t", false,
     "time at which |W| reaches its maximum"},
    {Statistic::ols_cusum_p, "ols_cusum_p", "1", false, "OLS-CUSUM p (Brownian bridge)"},
    {Statistic::ols_cusum_p_bh, "ols_cusum_p_bh", "1", false,
     "ols_cusum_p adjusted by Benjamini–Hochberg over all series"},
    {Statistic::bfast_break, "bfast_break", "1", true,
     "1 when BFAST Monitor found a break in the monitoring period, 0 when not"},
    {Statistic::bfast_break_time, "bfast_break_time", "t", true,
     "time of the BFAST Monitor break (NaN without one)"},
    {Statistic::bfast_magnitude, "bfast_magnitude", "y", true,
     "median residual over the monitoring period (< 0: below the history model)"},
    {Statistic::bfast_history_start, "bfast_history_start", "t", true,
     "start of the stable history"},
    {Statistic::bfast_history_n, "bfast_history_n", "1", true, "observations in the history"},
    {Statistic::bfast_sigma, "bfast_sigma", "y", true, "σ̂ of the history fit"},
    {Statistic::bfast_critical_value, "bfast_critical_value", "1", true,
     "λ, the critical value of the MOSUM boundary"},
    {Statistic::cusum_s_last, "cusum_s_last", "1", false,
     "lower Page CUSUM S at the last monitored point (in reference sd)"},
    {Statistic::cusum_alarms, "cusum_alarms", "1", false, "monitored points with S > cusum_h"},
    {Statistic::cusum_first_alarm_time, "cusum_first_alarm_time", "t", false,
     "time of the first Page CUSUM alarm (NaN without one)"},
    {Statistic::cusum_last_alarm_time, "cusum_last_alarm_time", "t", false,
     "time of the last Page CUSUM alarm (NaN without one)"},
    {Statistic::cusum_alarm_age_yr, "cusum_alarm_age_yr", "t", false,
     "last_time − cusum_last_alarm_time (0: the last point alarms)"},
    {Statistic::theil_sen_mean_end, "theil_sen_mean_end", "y", false,
     "Theil–Sen forecast at the end of the horizon"},
    {Statistic::theil_sen_hi80_min, "theil_sen_hi80_min", "y", false,
     "lowest Theil–Sen 80 % upper limit over the horizon (< 0: a source within it)"},
    {Statistic::theil_sen_lo80_min, "theil_sen_lo80_min", "y", false,
     "lowest Theil–Sen 80 % lower limit over the horizon"},
    {Statistic::ets_holt_mean_end, "ets_holt_mean_end", "y", false,
     "ETS(A,A,N) forecast at the end of the horizon"},
    {Statistic::ets_holt_hi80_min, "ets_holt_hi80_min", "y", false,
     "lowest ETS(A,A,N) 80 % upper limit over the horizon"},
    {Statistic::ets_damped_mean_end, "ets_damped_mean_end", "y", false,
     "ETS(A,Ad,N) forecast at the end of the horizon"},
    {Statistic::ets_damped_hi80_min, "ets_damped_hi80_min", "y", false,
     "lowest ETS(A,Ad,N) 80 % upper limit over the horizon (< 0: a source within it)"},
    {Statistic::z_temporal_last, "z_temporal_last", "1", false,
     "temporal z of the last value against the reference years"},
    {Statistic::z_robust_last, "z_robust_last", "1", false,
     "robust z (median, 1.4826·MAD) of the last value against the reference years"},
    {Statistic::z_spatial_last, "z_spatial_last", "1", false,
     "spatial z of the last value against the reference ring or group in its year"},
});

inline constexpr std::size_t kStatisticCount = kWarningStatistics.size();

// The rows are in enum order, so a statistic's row is its value.
constexpr bool statistics_in_enum_order() {
  for (std::size_t idx = 0; idx < kStatisticCount; ++idx) {
    if (static_cast<std::size_t>(kWarningStatistics[idx].id) != idx) return false;
  }
  return true;
}
static_assert(statistics_in_enum_order(), "kWarningStatistics rows must follow the enum order");

constexpr const StatisticInfo& statistic_info(Statistic id) {
  return kWarningStatistics[static_cast<std::size_t>(id)];
}

std::optional<Statistic> find_statistic(std::string_view name);

// The nearest statistic name within 3 edits, for "did you mean"; "" when none is near.
std::string nearest_statistic(std::string_view name);

// Every statistic, one per line: name, unit, "pixel" when per-pixel, and the doc; what
// `minecarbon warning --list-statistics` prints.
std::string statistics_listing();

}  // namespace minecarbon::assess::warning
