// T_opt of the CASA temperature stress: the air temperature of the month in which NDVI reaches
// its annual maximum, averaged over the years of the run (Zhu Wenquan et al. 2006 via Chi Yuan et
// al. 2018 [S20], CONFIRMED; docs/nep.md §3). It needs every month of every year before the CASA
// pass can start, hence a pre-pass.
//
// Rules (ours, where the source is silent):
//   - a year counts only when all 12 months of NDVI and temperature are valid (with a month
//     missing, the peak may be the missing month);
//   - ties: the first month of the maximum NDVI;
//   - a cell without any complete year has T_opt = NaN, and every one of its years is nodata.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "minecarbon/carbon/casa_months.h"

namespace minecarbon::carbon {

// T_opt (°C) of one pixel from its months laid out [year·12 + month]; sizes equal and a multiple
// of 12 (else std::invalid_argument). NaN when no year is complete.
double optimum_temperature_C(std::span<const double> ndvi, std::span<const double> t_C);

// The same over a block, year by year: adds one year of n_cells cells to the running sums (one
// slot per cell; no allocation). Call once per year, then finish.
template <class T>
void add_optimum_temperature_year(const MonthLayers<T>& ndvi, const MonthLayers<T>& t_C,
                                  std::size_t n_cells, std::span<double> sum_t_C,
                                  std::span<std::uint32_t> n_years);

// t_opt_C[cell] = sum_t_C / n_years, NaN where n_years = 0.
void finish_optimum_temperature(std::span<const double> sum_t_C,
                                std::span<const std::uint32_t> n_years, std::span<double> t_opt_C);

}  // namespace minecarbon::carbon
