// The per-pixel warning statistics (issue 12 §4 "Per pixel"; docs/warning.md, "Per pixel"): for
// every pixel of an image stack (one band per date, decimal times t_1 < … < t_N shared by all
// pixels) the statistics of statistic_names.h marked per_pixel, computed by the same stats/
// functions the per-series stage calls:
//   n_obs, last_value, last_time, sink_years_before_last   stats::last_observation
//   mk_z, mk_p, mk_tau, sen_slope                          stats::mann_kendall, stats::sen_slope
//   pettitt_*                                              stats::pettitt
//   bfast_*                                                stats::bfast_monitor_block (pixels
//                                                          grouped by missing-value pattern)
// on the pixel's series as given (every band, missing values NaN). The adjusted p-values
// (mk_p_bh, mk_p_bonferroni, pettitt_p_bh, pettitt_p_bonferroni) need every pixel's p and are
// filled by the pipeline (pipeline/warning_pixel_job.h); here they stay NaN.
//
// Unlike the per-series stage (annual series, BFAST model const or trend), the pixel series may
// be sub-annual: BFAST Monitor takes `pixel_model` (default trend + harmon), `pixel_order` and
// the stack's `frequency`. The monitoring start defaults to the time of band ⌊N/2⌋ + 1 of the
// stack (the same for every pixel, so pixels of one missing-value pattern share their fits).
// Domain: a pixel without any finite value has n_obs = 0 and every other statistic NaN.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "minecarbon/assess/warning/rule_expression.h"
#include "minecarbon/assess/warning/warning_stage.h"
#include "minecarbon/core/options.h"
#include "minecarbon/stats/bfast_monitor.h"

namespace minecarbon::assess::warning {

struct PixelWarningParams {
  // BFAST Monitor history model of the pixel series (bfast's default for sub-annual series).
  stats::SeasonTrendModel pixel_model = stats::SeasonTrendModel::trend_harmon;
  std::int64_t pixel_order = 3;  // harmonic order (bfast default 3)
  // Observations per year of the stack: 23 (16-day), 12 (monthly), 1 (annual).
  std::int64_t frequency = 23;
  std::vector<double> times;    // decimal years, one per band of the stack
  std::optional<double> start;  // decimal year of band 1; band b at start + (b − 1)/frequency
  // Minimum mapping unit: connected groups (4-neighbours) of alert pixels smaller than this are
  // set to "none" by GDAL's sieve filter; 1 keeps every alert pixel.
  std::int64_t min_alert_pixels = 4;
  std::int64_t memory_mb = 1024;

  static const OptionTable<PixelWarningParams>& options();
  void validate() const;  // throws OptionError
};

// What every pixel of a run shares: the time axis and the methods' settings.
struct PixelSetup {
  std::vector<double> time_yr;
  stats::BfastMonitorParams bfast;
  bool mann_kendall = true, pettitt = true, bfast_on = true;
};

// Throws ConfigError for a design the data cannot carry (a harmonic model on an annual axis) or
// BFAST settings outside their table; DataError when monitor_start is not after the first time.
PixelSetup pixel_setup(const WarningParams& params, const PixelWarningParams& pixel,
                       std::vector<double> time_yr);

// The per-pixel statistics of one series y (one value per time of setup, NaN = missing): the
// per-series function every pixel of pixel_block_statistics() equals exactly.
StatisticValues pixel_series_statistics(const PixelSetup& setup, std::span<const double> y);

// Every pixel of a block: values date-major (values[d·n_pixels + pixel]), out n_pixels entries.
// Returns the number of distinct missing-value patterns BFAST Monitor fitted (0 when off).
int pixel_block_statistics(const PixelSetup& setup, std::span<const double> values, int n_pixels,
                           std::span<StatisticValues> out);

// The p of one test (Statistic::mk_p or Statistic::pettitt_p) for every pixel of a block (NaN
// where undefined), for the Benjamini–Hochberg pre-pass; equal to pixel_block_statistics()'s.
void pixel_block_p_values(const PixelSetup& setup, Statistic test, std::span<const double> values,
                          int n_pixels, std::span<double> out);

}  // namespace minecarbon::assess::warning
