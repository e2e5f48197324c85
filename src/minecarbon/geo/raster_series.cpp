#include "minecarbon/geo/raster_series.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <filesystem>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::geo {
namespace {

GDALDatasetUniquePtr open_raster(const std::string& path, int year) {
  GDALAllRegister();
  if (!std::filesystem::exists(path) && path.rfind("/vsi", 0) != 0) {
    throw DataError("missing raster for year " + std::to_string(year) + ": " + path +
                    " does not exist; check the pattern and the year range");
  }
  GDALDatasetUniquePtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY,
                                                 nullptr, nullptr, nullptr));
  if (!dataset) {
    throw DataError(path + ": cannot open as a raster (" + std::string(CPLGetLastErrorMsg()) + ")");
  }
  if (dataset->GetRasterCount() < 1) throw DataError(path + ": has no raster band");
  return dataset;
}

Grid grid_of(GDALDataset& dataset, const std::string& path) {
  double gt[6];
  if (dataset.GetGeoTransform(gt) != CE_None) {
    throw DataError(path + ": has no georeferencing (geotransform); georeference it first");
  }
  if (gt[2] != 0.0 || gt[4] != 0.0) {
    throw DataError(path + ": rotated or sheared grid (geotransform terms " +
                    std::to_string(gt[2]) + ", " + std::to_string(gt[4]) +
                    "); warp it to a north-up grid with gdalwarp");
  }
  if (!(gt[1] > 0) || !(gt[5] < 0)) {
    throw DataError(path + ": grid is not north-up (pixel size " + std::to_string(gt[1]) + " x " +
                    std::to_string(gt[5]) + "); warp it to a north-up grid with gdalwarp");
  }
  return Grid{gt[0], gt[3], gt[1], -gt[5], dataset.GetRasterYSize(), dataset.GetRasterXSize()};
}

}  // namespace

std::string expand_year(const std::string& pattern, int year) {
  std::string out = pattern;
  const std::string token = "{year}";
  for (auto pos = out.find(token); pos != std::string::npos; pos = out.find(token))
    out.replace(pos, token.size(), std::to_string(year));
  return out;
}

RasterSeries open_raster_series(const RasterSeriesSpec& spec) {
  if (spec.pattern.find("{year}") == std::string::npos) {
    throw ConfigError("raster pattern '" + spec.pattern +
                      "' has no {year}; write e.g. 'nep_{year}.tif'");
  }
  if (spec.last_year < spec.first_year) {
    throw ConfigError("year range " + std::to_string(spec.first_year) + "-" +
                      std::to_string(spec.last_year) + " is empty; write e.g. 2000-2020");
  }
  RasterSeries series;
  series.spec = spec;
  for (int year = spec.first_year; year <= spec.last_year; ++year) {
    const std::string path = expand_year(spec.pattern, year);
    GDALDatasetUniquePtr dataset = open_raster(path, year);
    const Grid grid = grid_of(*dataset, path);
    GDALRasterBand* band = dataset->GetRasterBand(1);
    if (series.paths.empty()) {
      const OGRSpatialReference* srs = dataset->GetSpatialRef();
      if (!srs || srs->IsEmpty()) {
        throw DataError(path + ": has no CRS; assign one (gdal_edit.py -a_srs EPSG:4326 " + path +
                        ")");
      }
      char* wkt = nullptr;
      const char* wkt_options[] = {"FORMAT=WKT2_2018", nullptr};
      srs->exportToWkt(&wkt, wkt_options);
      series.crs_wkt = wkt ? wkt : "";
      CPLFree(wkt);
      series.geographic = srs->IsGeographic() != 0;
      series.metres_per_unit = series.geographic ? 1.0 : srs->GetLinearUnits(nullptr);
      series.grid = grid;
      band->GetBlockSize(&series.block_cols, &series.block_rows);
    } else if (!grid.same_as(series.grid)) {
      throw DataError(path + ": grid " + grid.describe() + " differs from the first year's (" +
                      series.paths.front() + ": " + series.grid.describe() +
                      "); all years of a series must share one grid — warp them with gdalwarp "
                      "-tr/-te to the same grid");
    }
    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    series.nodata.push_back(has_nodata ? std::optional<double>(nodata) : std::nullopt);
    int has_scale = 0, has_offset = 0;
    const double band_scale = band->GetScale(&has_scale);
    const double band_offset = band->GetOffset(&has_offset);
    series.scale.push_back(spec.scale.value_or(has_scale ? band_scale : 1.0));
    series.offset.push_back(spec.offset.value_or(has_offset ? band_offset : 0.0));
    series.years.push_back(year);
    series.paths.push_back(path);
  }
  return series;
}

struct RasterSeriesReader::Impl {
  const RasterSeries* series;
  std::vector<GDALDatasetUniquePtr> datasets;
};

RasterSeriesReader::RasterSeriesReader(const RasterSeries& series)
    : impl_(std::make_unique<Impl>()) {
  impl_->series = &series;
  impl_->datasets.resize(series.paths.size());
}

RasterSeriesReader::~RasterSeriesReader() = default;

void RasterSeriesReader::read(std::size_t year_idx, const Window& window,
                              std::vector<double>& values) {
  const RasterSeries& series = *impl_->series;
  auto& dataset = impl_->datasets[year_idx];
  if (!dataset) dataset = open_raster(series.paths[year_idx], series.years[year_idx]);
  values.resize(static_cast<std::size_t>(window.cells()));
  GDALRasterBand* band = dataset->GetRasterBand(1);
  if (band->RasterIO(GF_Read, static_cast<int>(window.col0), static_cast<int>(window.row0),
                     static_cast<int>(window.cols), static_cast<int>(window.rows), values.data(),
                     static_cast<int>(window.cols), static_cast<int>(window.rows), GDT_Float64, 0,
                     0, nullptr) != CE_None) {
    throw RunError(series.paths[year_idx] + ": read failed at rows " + std::to_string(window.row0) +
                   "+" + std::to_string(window.rows) + ": " + CPLGetLastErrorMsg());
  }
  // Masks other than nodata (alpha bands, .msk files) are honoured too.
  const int mask_flags = band->GetMaskFlags();
  std::vector<unsigned char> mask;
  if (!(mask_flags & GMF_ALL_VALID) && !(mask_flags & GMF_NODATA)) {
    mask.resize(values.size());
    if (band->GetMaskBand()->RasterIO(GF_Read, static_cast<int>(window.col0),
                                      static_cast<int>(window.row0), static_cast<int>(window.cols),
                                      static_cast<int>(window.rows), mask.data(),
                                      static_cast<int>(window.cols), static_cast<int>(window.rows),
                                      GDT_Byte, 0, 0, nullptr) != CE_None)
      mask.clear();
  }
  const std::optional<double>& nodata = series.nodata[year_idx];
  const bool nodata_is_nan = nodata && std::isnan(*nodata);
  const double scale = series.scale[year_idx], offset = series.offset[year_idx];
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    double& value = values[idx];
    if (std::isnan(value)) {
      if (nodata_is_nan || series.spec.nan_is_nodata) continue;
      const auto row = window.row0 + static_cast<std::int64_t>(idx) / window.cols;
      const auto col = window.col0 + static_cast<std::int64_t>(idx) % window.cols;
      throw DataError(series.paths[year_idx] + ": NaN at row " + std::to_string(row) + ", column " +
                      std::to_string(col) + " but the band's nodata is " +
                      (nodata ? std::to_string(*nodata) : std::string("not set")) +
                      "; set nan_is_nodata = true (--nan-is-nodata) if NaN marks missing data");
    }
    if ((nodata && value == *nodata) || (!mask.empty() && mask[idx] == 0)) {
      value = std::nan("");
      continue;
    }
    if (std::isinf(value)) {
      const auto row = window.row0 + static_cast<std::int64_t>(idx) / window.cols;
      throw DataError(series.paths[year_idx] + ": infinite value at row " + std::to_string(row) +
                      "; set it to the nodata value");
    }
    value = value * scale + offset;
  }
}

}  // namespace minecarbon::geo
