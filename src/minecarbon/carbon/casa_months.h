// One year of monthly rasters of a block of cells, as the CASA kernels read it: for each of the
// 12 months a pointer to n_cells contiguous values (structure of arrays, one layer per month, as
// geo::RasterBlock holds them), NaN = nodata. T is float or double.
#pragma once

#include <array>
#include <cstddef>

namespace minecarbon::carbon {

inline constexpr std::size_t kMonthsPerYear = 12;

template <class T>
using MonthLayers = std::array<const T*, kMonthsPerYear>;  // [month 0..11] → n_cells values

}  // namespace minecarbon::carbon
