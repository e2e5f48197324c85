#include "minecarbon/geo/covariate_raster.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <filesystem>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/gdal_open.h"

namespace minecarbon::geo {

RasterSeries open_single_raster(const SingleRasterSpec& spec, const std::string& what) {
  GDALAllRegister();
  const std::string& path = spec.path;
  if (path.empty()) throw ConfigError(what + ": no raster path given");
  if (path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(path)) {
    throw DataError(what + ": raster " + path + " does not exist; check the path");
  }
  const OpenedDataset opened = open_raster_for_reading(path, what);
  GDALDataset* dataset = opened.dataset.get();
  if (dataset->GetRasterCount() < 1) throw DataError(what + ": " + path + " has no raster band");
  double gt[6];
  if (dataset->GetGeoTransform(gt) != CE_None) {
    if (!opened.complaints.empty()) {
      throw DataError(what + ": " + path +
                      " is truncated or corrupt: GDAL finds no georeferencing in it and reports: " +
                      opened.complaints + "; copy or export it again");
    }
    throw DataError(what + ": " + path +
                    " has no georeferencing (geotransform); georeference it first");
  }
  check_raster_complete(opened, path, what);
  if (gt[2] != 0.0 || gt[4] != 0.0 || !(gt[1] > 0) || !(gt[5] < 0)) {
    throw DataError(what + ": " + path +
                    " is not a north-up grid (rotated, sheared or flipped geotransform); warp it "
                    "with gdalwarp");
  }
  const OGRSpatialReference* srs = dataset->GetSpatialRef();
  if (!srs || srs->IsEmpty()) {
    throw DataError(what + ": " + path + " has no CRS; assign one (gdal_edit.py -a_srs EPSG:4326 " +
                    path + ")");
  }
  RasterSeries series;
  series.spec.pattern = path;
  series.spec.scale = spec.scale;
  series.spec.offset = spec.offset;
  series.spec.nan_is_nodata = spec.nan_is_nodata;
  series.years = {0};
  series.paths = {path};
  series.grid =
      Grid{gt[0], gt[3], gt[1], -gt[5], dataset->GetRasterYSize(), dataset->GetRasterXSize()};
  char* wkt = nullptr;
  const char* wkt_options[] = {"FORMAT=WKT2_2018", nullptr};
  srs->exportToWkt(&wkt, wkt_options);
  series.crs_wkt = wkt ? wkt : "";
  CPLFree(wkt);
  series.geographic = srs->IsGeographic() != 0;
  if (!series.geographic && !srs->IsProjected()) {
    throw DataError(what + ": " + path +
                    " has a CRS that is neither geographic nor projected; warp it to one");
  }
  series.metres_per_unit = series.geographic ? 1.0 : srs->GetLinearUnits(nullptr);
  GDALRasterBand* band = dataset->GetRasterBand(1);
  band->GetBlockSize(&series.block_cols, &series.block_rows);
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  series.nodata = {has_nodata ? std::optional<double>(nodata) : std::nullopt};
  int has_scale = 0, has_offset = 0;
  const double band_scale = band->GetScale(&has_scale);
  const double band_offset = band->GetOffset(&has_offset);
  series.scale = {spec.scale.value_or(has_scale ? band_scale : 1.0)};
  series.offset = {spec.offset.value_or(has_offset ? band_offset : 0.0)};
  return series;
}

}  // namespace minecarbon::geo
