// Topographic position index and Weiss (2001) slope-position classes of a DEM held in memory.
//
//   TPI_k = z_k − mean{ z_j : j ≠ k, valid, d(j, k) ≤ radius }          metres
// (Guisan, Weiss & Weiss 1999, Plant Ecol. 143:107-122, doi:10.1023/A:1009841519580; Weiss 2001,
// "Topographic position and landforms analysis", ESRI User Conference poster), d the distance
// between cell centres from the row spacings dx_m, dy_m (geo/terrain.h; on a lon/lat grid the
// circle follows the centre row's spacing). Cells near the border or next to nodata use the valid
// cells of the circle they have (terra `focal(na.rm = TRUE)`); a nodata centre, or no valid
// neighbour, gives NaN. Standardised over the grid: z_TPI = (TPI − mean) / SD (sample SD, n − 1,
// over every valid TPI).
//
// Slope-position classes (Weiss 2001; thresholds as in the implementations that reproduce it):
//   valley        z_TPI ≤ −1
//   lower_slope   −1 < z_TPI ≤ −0.5
//   flat          −0.5 < z_TPI < 0.5 and slope ≤ 5°
//   middle_slope  −0.5 < z_TPI < 0.5 and slope > 5°
//   upper_slope   0.5 ≤ z_TPI ≤ 1
//   ridge         z_TPI > 1
// The implementations leave z = ±0.5 unassigned; here −0.5 is lower slope and +0.5 upper slope.
// NaN z or slope: no class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace minecarbon::geo {

enum class SlopePosition : std::uint8_t {
  valley,
  lower_slope,
  flat,
  middle_slope,
  upper_slope,
  ridge,
  none,  // no class: nodata
};
inline constexpr std::size_t kSlopePositionCount = 6;
// "valley", "lower_slope", "flat", "middle_slope", "upper_slope", "ridge", "none".
std::string_view to_string(SlopePosition position);

// Weiss's flat/middle-slope split, degrees.
inline constexpr double kWeissFlatSlopeDeg = 5.0;

// Throws DataError when sizes disagree or radius_m is smaller than the smallest cell spacing
// (no neighbour would be in the circle).
std::vector<double> topographic_position_index(std::span<const double> z, std::size_t rows,
                                               std::size_t cols, std::span<const double> dx_m,
                                               std::span<const double> dy_m, double radius_m);

// (v − mean) / SD over the non-NaN values; all NaN when fewer than 2 values or SD = 0.
std::vector<double> standardise(std::span<const double> values);

SlopePosition slope_position(double tpi_z, double slope_deg,
                             double flat_slope_deg = kWeissFlatSlopeDeg);

}  // namespace minecarbon::geo
