// An image stack: one raster whose bands are the dates of a time series (a 16-day NDVI stack with
// 276 bands), read as one layer per band through AlignedRasters.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/geo/block_reader.h"

namespace minecarbon::geo {

// The number of bands of `path`. Throws DataError as open_raster_for_reading does ("<what>: <path>
// does not exist …"), and when the raster has no band.
int raster_band_count(const std::string& path, const std::string& what);

// One layer per band 1..bands of `path`, named "<path> band <b>".
std::vector<RasterLayerSpec> stack_layers(const std::string& path, int bands);

}  // namespace minecarbon::geo
