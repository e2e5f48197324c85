// Whole rasters in memory for the scenario stage (CARS reads every cell's neighbours each
// iteration, so the maps are held whole, not streamed by block): class maps on their own grid and
// driver or restriction layers put on that grid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

struct WholeClassRaster {
  std::string path;
  Grid grid;
  std::string crs_wkt;
  std::vector<std::int64_t> codes;  // row-major
  std::vector<std::uint8_t> valid;  // 0 where the band's nodata
};

// Band 1 of an integer raster (inspect_categorical_raster's checks: file, CRS, georeferencing,
// integer type). DataError naming `what` and the file otherwise.
WholeClassRaster read_whole_class_raster(const std::string& path, const std::string& what);

// Band 1 of `path` on `grid`/`crs_wkt`: read directly when the grids match, else through a
// warped VRT (nearest neighbour for categorical layers, bilinear otherwise; grid_warp.h).
// Nodata and cells the source does not cover are NaN. DataError for a missing file, a raster
// without CRS or georeferencing. `warped` is set to whether it was resampled.
std::vector<double> read_layer_on_grid(const std::string& path, const std::string& what,
                                       const Grid& grid, const std::string& crs_wkt,
                                       bool categorical, bool& warped);

}  // namespace minecarbon::geo
