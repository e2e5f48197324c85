// Helpers for categorical (class-code) rasters such as land-use maps: checking the band holds
// integers, warping a map onto another map's grid by nearest neighbour, and the true area of the
// cells of a projected grid.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

struct CategoricalRasterInfo {
  std::string path;
  Grid grid;
  std::string crs_wkt;
  std::string data_type;  // GDAL's name: Byte, Int16, UInt16, Int32, Float32…
  std::optional<double> nodata;
};

// Opens `path` (any GDAL format) and checks band `band` holds integers (Byte, Int8, (U)Int16,
// (U)Int32, (U)Int64). Throws DataError naming `what`, the file and its data type for a float or
// complex band ("class codes must be integers; convert with gdal_translate -ot Int32"), and the
// messages of AlignedRasters for a missing file, band, CRS or georeferencing.
CategoricalRasterInfo inspect_categorical_raster(const std::string& path, const std::string& what,
                                                 int band = 1);

// Writes a virtual raster (GDAL VRT, XML only: pixels are warped when read) at `vrt_path` (may be
// under /vsimem/) that puts band 1 of `path` on `grid` in `crs_wkt` by nearest neighbour. Cells the
// source does not cover, and its nodata cells, are nodata (the source's nodata value, or the
// smallest Int32 when it has none); the warped band is Int32.
// Throws RunError when GDAL fails.
void warp_nearest_vrt(const std::string& path, const Grid& grid, const std::string& crs_wkt,
                      const std::string& vrt_path);

// True areas of the cells of a projected grid: each cell's four corners are taken to the CRS's
// own geographic CRS (same ellipsoid) and the area of the quadrilateral with geodesic edges is
// computed on that ellipsoid (Karney 2013, GeographicLib through PROJ) — the area terra's
// cellSize(transform = TRUE) gives with rcx at least the raster's size. Not thread-safe: one
// object per worker.
class ProjectedCellAreas {
 public:
  // Throws DataError for a CRS that is not projected or cannot be transformed.
  explicit ProjectedCellAreas(const std::string& crs_wkt);
  ~ProjectedCellAreas();
  ProjectedCellAreas(const ProjectedCellAreas&) = delete;
  ProjectedCellAreas& operator=(const ProjectedCellAreas&) = delete;

  // Area of every cell of `window` of `grid`, m², row-major (window.cells() values).
  void areas_m2(const Grid& grid, const Window& window, std::vector<double>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace minecarbon::geo
