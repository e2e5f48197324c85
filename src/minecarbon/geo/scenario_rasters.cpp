#include "minecarbon/geo/scenario_rasters.h"

#include <ogr_spatialref.h>

#include <atomic>
#include <cmath>
#include <limits>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/categorical_raster.h"
#include "minecarbon/geo/gdal_open.h"
#include "minecarbon/geo/grid_warp.h"

namespace minecarbon::geo {

namespace {

std::vector<double> read_band(GDALDataset& ds, const std::string& path, std::int64_t rows,
                              std::int64_t cols) {
  std::vector<double> values(static_cast<std::size_t>(rows * cols));
  GDALRasterBand* band = ds.GetRasterBand(1);
  if (band->RasterIO(GF_Read, 0, 0, static_cast<int>(cols), static_cast<int>(rows), values.data(),
                     static_cast<int>(cols), static_cast<int>(rows), GDT_Float64, 0, 0,
                     nullptr) != CE_None)
    throw_read_failure(path, 0, rows);
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  if (has_nodata)
    for (double& v : values)
      if (v == nodata || (std::isnan(nodata) && std::isnan(v)))
        v = std::numeric_limits<double>::quiet_NaN();
  return values;
}

}  // namespace

WholeClassRaster read_whole_class_raster(const std::string& path, const std::string& what) {
  const CategoricalRasterInfo info = inspect_categorical_raster(path, what);
  WholeClassRaster out;
  out.path = path;
  out.grid = info.grid;
  out.crs_wkt = info.crs_wkt;
  const OpenedDataset opened = open_raster_for_reading(path, what);
  const std::vector<double> values =
      read_band(*opened.dataset, path, info.grid.rows, info.grid.cols);
  out.codes.resize(values.size());
  out.valid.resize(values.size());
  for (std::size_t cell = 0; cell < values.size(); ++cell) {
    out.valid[cell] = std::isfinite(values[cell]) ? 1 : 0;
    out.codes[cell] = out.valid[cell] ? static_cast<std::int64_t>(values[cell]) : 0;
  }
  return out;
}

std::vector<double> read_layer_on_grid(const std::string& path, const std::string& what,
                                       const Grid& grid, const std::string& crs_wkt,
                                       bool categorical, bool& warped) {
  const OpenedDataset opened = open_raster_for_reading(path, what);
  GDALDataset& ds = *opened.dataset;
  const OGRSpatialReference* srs = ds.GetSpatialRef();
  if (srs == nullptr || srs->IsEmpty())
    throw DataError(what + ": " + path +
                    " has no CRS; assign one (gdal_edit.py -a_srs EPSG:…) so it can be put on "
                    "the land-use grid");
  double gt[6];
  if (ds.GetGeoTransform(gt) != CE_None)
    throw DataError(what + ": " + path + " has no georeferencing (geotransform)");
  Grid own;
  own.x_min = gt[0];
  own.y_max = gt[3];
  own.dx = gt[1];
  own.dy = -gt[5];
  own.rows = ds.GetRasterYSize();
  own.cols = ds.GetRasterXSize();
  OGRSpatialReference target;
  target.importFromWkt(crs_wkt.c_str());
  const bool same_crs = srs->IsSame(&target) != 0;
  if (same_crs && gt[2] == 0 && gt[4] == 0 && own.same_as(grid) && own.rows == grid.rows &&
      own.cols == grid.cols) {
    warped = false;
    return read_band(ds, path, grid.rows, grid.cols);
  }
  warped = true;
  static std::atomic<int> counter{0};
  const std::string vrt = "/vsimem/minecarbon_scenario_" + std::to_string(counter++) + ".vrt";
  WarpRequest request;
  request.path = path;
  request.grid = grid;
  request.crs_wkt = crs_wkt;
  request.resampling = categorical ? Resampling::near : Resampling::bilinear;
  write_warped_vrt(request, vrt);
  std::vector<double> values;
  {
    const OpenedDataset warped_ds = open_raster_for_reading(vrt, what + " (warped)");
    values = read_band(*warped_ds.dataset, path, grid.rows, grid.cols);
  }
  VSIUnlink(vrt.c_str());
  return values;
}

}  // namespace minecarbon::geo
