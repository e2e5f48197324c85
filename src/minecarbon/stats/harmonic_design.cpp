#include "minecarbon/stats/harmonic_design.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "minecarbon/core/errors.h"

namespace minecarbon::stats {

namespace {
bool has_trend(SeasonTrendModel m) {
  return m == SeasonTrendModel::trend || m == SeasonTrendModel::trend_harmon;
}
bool has_harmon(SeasonTrendModel m) {
  return m == SeasonTrendModel::harmon || m == SeasonTrendModel::trend_harmon;
}
}  // namespace

int SeasonTrendDesign::harmonic_order() const {
  return has_harmon(model) ? std::min(order, frequency) : 0;
}

int SeasonTrendDesign::columns() const {
  const int j = harmonic_order();
  const bool drop_last_sine = j > 0 && 2 * j == frequency;
  return 1 + (has_trend(model) ? 1 : 0) + 2 * j - (drop_last_sine ? 1 : 0);
}

std::vector<std::string> SeasonTrendDesign::column_names() const {
  std::vector<std::string> names{"(Intercept)"};
  if (has_trend(model)) names.emplace_back("trend");
  const int j_max = harmonic_order();
  for (int j = 1; j <= j_max; ++j)
    names.push_back("cos" + std::to_string(j));
  for (int j = 1; j <= j_max; ++j) {
    if (j == j_max && 2 * j_max == frequency) break;
    names.push_back("sin" + std::to_string(j));
  }
  return names;
}

void SeasonTrendDesign::validate() const {
  if (order < 1)
    throw ConfigError("harmonic order = " + std::to_string(order) +
                      ": must be >= 1 (number of harmonic pairs); set e.g. order = 3");
  if (frequency < 1)
    throw ConfigError("frequency = " + std::to_string(frequency) +
                      ": must be >= 1 observations per year (23 for 16-day, 12 monthly, 1 annual)");
  if (has_harmon(model) && frequency < 2)
    throw ConfigError(std::string("model = \"") + std::string(kSeasonTrendModelNames.name(model)) +
                      "\" needs a sub-annual series (frequency >= 2): on an annual series the "
                      "harmonics are constant; use model = \"const\" or \"trend\"");
}

void SeasonTrendDesign::fill_row(double time_yr, int trend_index, std::span<double> out) const {
  std::size_t col = 0;
  out[col++] = 1.0;
  if (has_trend(model)) out[col++] = static_cast<double>(trend_index);
  const int j_max = harmonic_order();
  if (j_max == 0) return;
  const double angle = 2.0 * std::numbers::pi * time_yr;
  for (int j = 1; j <= j_max; ++j)
    out[col++] = std::cos(angle * j);
  const int sines = 2 * j_max == frequency ? j_max - 1 : j_max;
  for (int j = 1; j <= sines; ++j)
    out[col++] = std::sin(angle * j);
}

Eigen::MatrixXd SeasonTrendDesign::matrix(std::span<const double> time_yr) const {
  const int p = columns();
  Eigen::MatrixXd x(static_cast<Eigen::Index>(time_yr.size()), p);
  std::vector<double> row(static_cast<std::size_t>(p));
  for (std::size_t s = 0; s < time_yr.size(); ++s) {
    fill_row(time_yr[s], static_cast<int>(s) + 1, row);
    for (int c = 0; c < p; ++c)
      x(static_cast<Eigen::Index>(s), c) = row[static_cast<std::size_t>(c)];
  }
  return x;
}

}  // namespace minecarbon::stats
