// One raster (a covariate: precipitation, GPP, a DEM…) opened as a single-layer RasterSeries, so
// the zonal machinery (zonal.h) and RasterSeriesReader serve it as they serve the annual NEP
// series. Its one layer has index 0 and "year" 0; the path is used as is (no {year}).
#pragma once

#include <optional>
#include <string>

#include "minecarbon/geo/raster_series.h"

namespace minecarbon::geo {

struct SingleRasterSpec {
  std::string path;
  // value = raw · scale + offset; unset = the band's own metadata (default 1, 0).
  std::optional<double> scale;
  std::optional<double> offset;
  // NaN cells count as nodata even when the band's nodata is not NaN.
  bool nan_is_nodata = false;
};

// Checks what open_raster_series checks (file exists and opens, a band, a north-up geotransform,
// a CRS) and reads the band's nodata, scale and offset. `what` names the raster in messages
// ("covariate 'precip_mm_yr'"). Throws DataError naming the file and what to do.
RasterSeries open_single_raster(const SingleRasterSpec& spec, const std::string& what);

}  // namespace minecarbon::geo
