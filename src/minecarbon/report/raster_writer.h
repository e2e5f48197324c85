// Writing single-band GeoTIFFs (tiled 256 × 256, DEFLATE), for generated data.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::report {

void write_geotiff_float32(const std::string& path, const geo::Grid& grid, const std::string& crs,
                           const std::vector<float>& values, float nodata);

}  // namespace minecarbon::report
