#include "minecarbon/geo/raster_series.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/gdal_open.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::geo {
namespace {

std::string year_input(int year) {
  return "raster for year " + std::to_string(year);
}

// Opens one year's raster and checks it is whole; `what` names it in messages.
OpenedDataset open_year(const std::string& path, int year) {
  if (path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(path)) {
    throw DataError("missing raster for year " + std::to_string(year) + ": " + path +
                    " does not exist; check the pattern and the year range");
  }
  OpenedDataset opened = open_raster_for_reading(path, year_input(year));
  if (opened.dataset->GetRasterCount() < 1) throw DataError(path + ": has no raster band");
  return opened;
}

// Name and authority code of a CRS, for messages: "WGS 84 / UTM zone 33N (EPSG:32633)".
std::string crs_label(const OGRSpatialReference& srs) {
  std::string label = srs.GetName() ? srs.GetName() : "unnamed CRS";
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority && code) label += std::string(" (") + authority + ":" + code + ")";
  return label;
}

Grid grid_of(const OpenedDataset& opened, const std::string& path) {
  GDALDataset& dataset = *opened.dataset;
  double gt[6];
  if (dataset.GetGeoTransform(gt) != CE_None) {
    if (!opened.complaints.empty()) {  // a damaged header loses its georeferencing tags first
      throw DataError(path +
                      ": is truncated or corrupt: GDAL finds no georeferencing in it and "
                      "reports: " +
                      opened.complaints + "; copy or export it again");
    }
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
  std::unique_ptr<OGRSpatialReference> first_srs;
  int first_bands = 0;
  // Every year is checked, not only the first: a later year on the same grid but labelled with
  // another CRS, or with other bands, is not the same data.
  for (int year = spec.first_year; year <= spec.last_year; ++year) {
    const std::string path = expand_year(spec.pattern, year);
    const OpenedDataset opened = open_year(path, year);
    GDALDataset& dataset = *opened.dataset;
    const Grid grid = grid_of(opened, path);
    check_raster_complete(opened, path, year_input(year));
    GDALRasterBand* band = dataset.GetRasterBand(1);
    const OGRSpatialReference* srs = dataset.GetSpatialRef();
    if (!srs || srs->IsEmpty()) {
      throw DataError(
          path + ": has no CRS; assign one (gdal_edit.py -a_srs EPSG:4326 " + path + ")" +
          (series.paths.empty()
               ? std::string()
               : "; the first year, " + series.paths.front() + ", is in " + crs_label(*first_srs)));
    }
    if (series.paths.empty()) {
      first_srs = std::make_unique<OGRSpatialReference>(*srs);
      first_bands = dataset.GetRasterCount();
      char* wkt = nullptr;
      const char* wkt_options[] = {"FORMAT=WKT2_2018", nullptr};
      srs->exportToWkt(&wkt, wkt_options);
      series.crs_wkt = wkt ? wkt : "";
      CPLFree(wkt);
      series.geographic = srs->IsGeographic() != 0;
      series.metres_per_unit = series.geographic ? 1.0 : srs->GetLinearUnits(nullptr);
      series.grid = grid;
      band->GetBlockSize(&series.block_cols, &series.block_rows);
    } else {
      const char* same_options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                                    "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
      if (!srs->IsSame(first_srs.get(), same_options)) {
        throw DataError(path + ": CRS " + crs_label(*srs) + " differs from the first year's (" +
                        series.paths.front() + ": " + crs_label(*first_srs) +
                        "); all years of a series must share one CRS: warp the odd year with "
                        "gdalwarp -t_srs, or fix its label with gdal_edit.py -a_srs if only the "
                        "label is wrong");
      }
      if (!grid.same_as(series.grid)) {
        throw DataError(path + ": grid " + grid.describe() + " differs from the first year's (" +
                        series.paths.front() + ": " + series.grid.describe() +
                        "); all years of a series must share one grid — warp them with gdalwarp "
                        "-tr/-te to the same grid");
      }
      if (dataset.GetRasterCount() != first_bands) {
        throw DataError(path + ": has " + std::to_string(dataset.GetRasterCount()) +
                        " bands, the first year (" + series.paths.front() + ") has " +
                        std::to_string(first_bands) +
                        "; every year must be the same kind of raster (band 1 is read)");
      }
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
  if (!dataset) dataset = open_year(series.paths[year_idx], series.years[year_idx]).dataset;
  values.resize(static_cast<std::size_t>(window.cells()));
  GDALRasterBand* band = dataset->GetRasterBand(1);
  if (band->RasterIO(GF_Read, static_cast<int>(window.col0), static_cast<int>(window.row0),
                     static_cast<int>(window.cols), static_cast<int>(window.rows), values.data(),
                     static_cast<int>(window.cols), static_cast<int>(window.rows), GDT_Float64, 0,
                     0, nullptr) != CE_None) {
    throw_read_failure(series.paths[year_idx], window.row0, window.rows);
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
