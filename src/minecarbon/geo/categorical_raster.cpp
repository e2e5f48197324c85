#include "minecarbon/geo/categorical_raster.h"

#include <gdal_utils.h>
#include <geodesic.h>
#include <ogr_spatialref.h>

#include <cmath>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/gdal_open.h"

namespace minecarbon::geo {

CategoricalRasterInfo inspect_categorical_raster(const std::string& path, const std::string& what,
                                                 int band) {
  // AlignedRasters checks file, band, georeferencing and CRS with the project's messages.
  const AlignedRasters one({RasterLayerSpec{path, band, what, {}, {}, false}});
  CategoricalRasterInfo info;
  info.path = path;
  info.grid = one.grid();
  info.crs_wkt = one.crs_wkt();
  info.nodata = one.layers()[0].nodata;
  const OpenedDataset opened = open_raster_for_reading(path, what);
  GDALRasterBand* raster_band = opened.dataset->GetRasterBand(band);
  const GDALDataType type = raster_band->GetRasterDataType();
  info.data_type = GDALGetDataTypeName(type);
  if (!GDALDataTypeIsInteger(type) || GDALDataTypeIsComplex(type)) {
    throw DataError(what + ": " + path + " band " + std::to_string(band) + " is " + info.data_type +
                    "; land-use class codes must be integers: convert it with gdal_translate "
                    "-ot Int32 (after checking its values are whole class codes)");
  }
  return info;
}

void warp_nearest_vrt(const std::string& path, const Grid& grid, const std::string& crs_wkt,
                      const std::string& vrt_path) {
  const OpenedDataset opened = open_raster_for_reading(path, "land-use map to align");
  // Cells outside the source get the source's nodata, or the smallest Int32 when it has none
  // (no land-use code); the warped band is Int32 either way.
  int has_nodata = 0;
  const double source_nodata = opened.dataset->GetRasterBand(1)->GetNoDataValue(&has_nodata);
  const double fill = has_nodata ? source_nodata : -2147483648.0;
  std::vector<std::string> args = {"-of",
                                   "VRT",
                                   "-r",
                                   "near",
                                   "-ot",
                                   "Int32",
                                   "-dstnodata",
                                   format_plain(fill),
                                   "-t_srs",
                                   crs_wkt,
                                   "-te",
                                   format_number(grid.x_min),
                                   format_number(grid.y_min()),
                                   format_number(grid.x_max()),
                                   format_number(grid.y_max),
                                   "-ts",
                                   std::to_string(grid.cols),
                                   std::to_string(grid.rows)};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
  if (!options) throw RunError("align: GDAL refused the warp options for " + path);
  GDALDatasetH source = GDALDataset::ToHandle(opened.dataset.get());
  int usage_error = 0;
  GDALDatasetH out = GDALWarp(vrt_path.c_str(), nullptr, 1, &source, options, &usage_error);
  GDALWarpAppOptionsFree(options);
  if (!out || usage_error)
    throw RunError("align: warping " + path + " onto " + grid.describe() +
                   " failed: " + CPLGetLastErrorMsg());
  GDALClose(out);
}

struct ProjectedCellAreas::Impl {
  std::unique_ptr<OGRCoordinateTransformation> to_geographic;
  geod_geodesic geodesic{};
  std::vector<double> xs, ys;
};

ProjectedCellAreas::ProjectedCellAreas(const std::string& crs_wkt)
    : impl_(std::make_unique<Impl>()) {
  OGRSpatialReference projected;
  if (projected.SetFromUserInput(crs_wkt.c_str()) != OGRERR_NONE || !projected.IsProjected())
    throw DataError("cell areas: the CRS is not a projected CRS");
  projected.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRSpatialReference> geographic(projected.CloneGeogCS());
  if (!geographic) throw DataError("cell areas: the CRS has no geographic base CRS");
  geographic->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  impl_->to_geographic.reset(OGRCreateCoordinateTransformation(&projected, geographic.get()));
  if (!impl_->to_geographic)
    throw DataError(std::string("cell areas: no transformation to the CRS's geographic CRS: ") +
                    CPLGetLastErrorMsg());
  OGRErr err = OGRERR_NONE;
  const double a = projected.GetSemiMajor(&err);
  const double inv_f = projected.GetInvFlattening(&err);
  geod_init(&impl_->geodesic, a, inv_f == 0 ? 0.0 : 1.0 / inv_f);
}

ProjectedCellAreas::~ProjectedCellAreas() = default;

void ProjectedCellAreas::areas_m2(const Grid& grid, const Window& window,
                                  std::vector<double>& out) {
  const std::int64_t corner_cols = window.cols + 1, corner_rows = window.rows + 1;
  const std::size_t n = static_cast<std::size_t>(corner_cols * corner_rows);
  impl_->xs.resize(n);
  impl_->ys.resize(n);
  for (std::int64_t r = 0; r < corner_rows; ++r)
    for (std::int64_t c = 0; c < corner_cols; ++c) {
      const std::size_t idx = static_cast<std::size_t>(r * corner_cols + c);
      impl_->xs[idx] = grid.col_x(static_cast<double>(window.col0 + c));
      impl_->ys[idx] = grid.row_y(static_cast<double>(window.row0 + r));
    }
  if (!impl_->to_geographic->Transform(static_cast<int>(n), impl_->xs.data(), impl_->ys.data()))
    throw DataError("cell areas: a cell corner of window " + std::to_string(window.row0) + "," +
                    std::to_string(window.col0) +
                    " cannot be transformed to longitude/latitude (outside the CRS's area?)");
  out.resize(static_cast<std::size_t>(window.cells()));
  for (std::int64_t r = 0; r < window.rows; ++r)
    for (std::int64_t c = 0; c < window.cols; ++c) {
      const std::size_t i00 = static_cast<std::size_t>(r * corner_cols + c);
      const std::size_t i01 = i00 + 1;
      const std::size_t i10 = i00 + static_cast<std::size_t>(corner_cols);
      const std::size_t i11 = i10 + 1;
      double lats[4] = {impl_->ys[i00], impl_->ys[i01], impl_->ys[i11], impl_->ys[i10]};
      double lons[4] = {impl_->xs[i00], impl_->xs[i01], impl_->xs[i11], impl_->xs[i10]};
      double area = 0, perimeter = 0;
      geod_polygonarea(&impl_->geodesic, lats, lons, 4, &area, &perimeter);
      out[static_cast<std::size_t>(r * window.cols + c)] = std::fabs(area);
    }
}

}  // namespace minecarbon::geo
