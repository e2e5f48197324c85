// Season–trend design matrices of BFAST-type regressions (Verbesselt, Hyndman, Newnham &
// Culvenor 2010, RSE 114(1):106, doi:10.1016/j.rse.2009.08.014; bfast's bfastpp()).
//
// Row s of X for observation s = 1..N at decimal time t_s (years), in this column order:
//   1                                   intercept (every model)
//   s                                   trend: the observation index counted before missing
//                                       values are dropped (models trend, trend+harmon)
//   cos(2π·t_s·j), j = 1..J             harmonics (models harmon, trend+harmon),
//   sin(2π·t_s·j), j = 1..J             J = min(order, frequency); when 2·J = frequency the last
//                                       sine (a multiple of sin(π·frequency·t), zero on the
//                                       sampling grid) is dropped.
// The argument is computed as (2π·t)·j, the order R's outer(2*pi*time, 1:order) uses, so a row
// equals bfastpp()'s bit for bit when t does.
#pragma once

#include <Eigen/Dense>

#include <span>
#include <string>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::stats {

enum class SeasonTrendModel { constant, trend, harmon, trend_harmon };
inline constexpr NameTable<SeasonTrendModel, 4> kSeasonTrendModelNames{{{
    {SeasonTrendModel::constant, "const"},
    {SeasonTrendModel::trend, "trend"},
    {SeasonTrendModel::harmon, "harmon"},
    {SeasonTrendModel::trend_harmon, "trend+harmon"},
}}};

struct SeasonTrendDesign {
  SeasonTrendModel model = SeasonTrendModel::trend_harmon;
  int order = 3;       // harmonic order requested (bfast default 3)
  int frequency = 23;  // observations per year (23 for 16-day, 12 monthly, 1 annual)

  // Harmonic order used: min(order, frequency); 0 for models without harmonics.
  int harmonic_order() const;
  // p = ncol(X).
  int columns() const;
  // "(Intercept)", "trend", "cos1", ..., "sin1", ... (R's names without the "harmon" prefix).
  std::vector<std::string> column_names() const;
  // Throws ConfigError for order < 1, frequency < 1, or a harmonic model with frequency < 2
  // (annual harmonics are constant on the sampling grid and alias the intercept).
  void validate() const;
  // Fills row `out` (size columns()) for 1-based observation index `trend_index` at `time_yr`.
  void fill_row(double time_yr, int trend_index, std::span<double> out) const;
  // X for all N observations (rows in time order, missing values not dropped).
  Eigen::MatrixXd matrix(std::span<const double> time_yr) const;
};

}  // namespace minecarbon::stats
