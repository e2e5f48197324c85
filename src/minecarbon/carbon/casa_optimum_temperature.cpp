#include "minecarbon/carbon/casa_optimum_temperature.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace minecarbon::carbon {

double optimum_temperature_C(std::span<const double> ndvi, std::span<const double> t_C) {
  if (ndvi.size() != t_C.size() || ndvi.size() % kMonthsPerYear != 0)
    throw std::invalid_argument(
        "optimum_temperature_C: NDVI and temperature need 12 months a year");
  double sum = 0.0;
  std::size_t years = 0;
  for (std::size_t first = 0; first < ndvi.size(); first += kMonthsPerYear) {
    bool complete = true;
    std::size_t peak = first;
    for (std::size_t idx = first; idx < first + kMonthsPerYear; ++idx) {
      if (std::isnan(ndvi[idx]) || std::isnan(t_C[idx])) {
        complete = false;
        break;
      }
      if (ndvi[idx] > ndvi[peak]) peak = idx;
    }
    if (!complete) continue;
    sum += t_C[peak];
    ++years;
  }
  return years == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(years);
}

template <class T>
void add_optimum_temperature_year(const MonthLayers<T>& ndvi, const MonthLayers<T>& t_C,
                                  std::size_t n_cells, std::span<double> sum_t_C,
                                  std::span<std::uint32_t> n_years) {
  for (std::size_t cell = 0; cell < n_cells; ++cell) {
    double peak_ndvi = 0.0, peak_t = 0.0;
    bool complete = true;
    for (std::size_t month = 0; month < kMonthsPerYear; ++month) {
      const double v = ndvi[month][cell];
      const double t = t_C[month][cell];
      if (std::isnan(v) || std::isnan(t)) {
        complete = false;
        break;
      }
      if (month == 0 || v > peak_ndvi) {
        peak_ndvi = v;
        peak_t = t;
      }
    }
    if (!complete) continue;
    sum_t_C[cell] += peak_t;
    ++n_years[cell];
  }
}

template void add_optimum_temperature_year<float>(const MonthLayers<float>&,
                                                  const MonthLayers<float>&, std::size_t,
                                                  std::span<double>, std::span<std::uint32_t>);
template void add_optimum_temperature_year<double>(const MonthLayers<double>&,
                                                   const MonthLayers<double>&, std::size_t,
                                                   std::span<double>, std::span<std::uint32_t>);

void finish_optimum_temperature(std::span<const double> sum_t_C,
                                std::span<const std::uint32_t> n_years, std::span<double> t_opt_C) {
  for (std::size_t cell = 0; cell < t_opt_C.size(); ++cell)
    t_opt_C[cell] = n_years[cell] == 0 ? std::numeric_limits<double>::quiet_NaN()
                                       : sum_t_C[cell] / static_cast<double>(n_years[cell]);
}

}  // namespace minecarbon::carbon
