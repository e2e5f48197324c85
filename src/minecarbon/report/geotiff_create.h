#pragma once
// Creating a tiled GeoTIFF: the part both GeoTIFF writers (`GeoTiffWriter`, `QueuedGeoTiffWriter`)
// share. Internal to report/: the writers differ in how they fill tiles and in their creation
// options (compression, tile size), not in how the file is set up, so the set-up lives here once
// and a fix to it (a GDAL quirk, an error message) reaches both.

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"
#include "minecarbon/report/raster_writer.h"

namespace minecarbon::report::detail {

// The GDAL cell type of a raster type.
GDALDataType gdal_type(RasterType type);

// Whether the type holds floating-point cells (it decides the predictor: 3 for floats, 2 for
// integers, as GDAL's GTiff driver expects).
bool is_float(RasterType type);

// "PREDICTOR=1" (off), "PREDICTOR=2" (horizontal differencing, integers) or "PREDICTOR=3"
// (floating-point), the GTiff creation option for `predictor` on a raster of `type`.
std::string predictor_option(bool predictor, RasterType type);

// Throws ConfigError naming `path` unless the grid has 1..2^31-1 rows and columns (GDAL sizes are
// ints).
void check_geotiff_grid(const std::string& path, const geo::Grid& grid);

// The spatial reference of `crs` (EPSG:<code> or WKT); throws ConfigError naming `path` if GDAL
// does not know it.
OGRSpatialReference parse_geotiff_crs(const std::string& path, const std::string& crs);

// Creates `partial_path` with the GTiff driver and `create_options` (KEY=VALUE strings), `bands`
// bands of `type`, then sets the north-up geotransform of `grid`, `srs` and every band's
// `nodata`. Throws RunError naming `path` (the final file) when GDAL cannot create it.
GDALDatasetUniquePtr create_geotiff(const std::string& path, const std::string& partial_path,
                                    const geo::Grid& grid, const OGRSpatialReference& srs,
                                    int bands, GDALDataType type, double nodata,
                                    const std::vector<std::string>& create_options);

}  // namespace minecarbon::report::detail
