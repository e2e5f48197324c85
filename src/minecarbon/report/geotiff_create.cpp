#include "minecarbon/report/geotiff_create.h"

#include <cstdint>

#include "minecarbon/core/errors.h"

namespace minecarbon::report::detail {

GDALDataType gdal_type(RasterType type) {
  switch (type) {
    case RasterType::float32:
      return GDT_Float32;
    case RasterType::float64:
      return GDT_Float64;
    case RasterType::int16:
      return GDT_Int16;
    case RasterType::int32:
      return GDT_Int32;
    case RasterType::uint8:
      return GDT_Byte;
  }
  return GDT_Float32;
}

bool is_float(RasterType type) {
  return type == RasterType::float32 || type == RasterType::float64;
}

std::string predictor_option(bool predictor, RasterType type) {
  return std::string("PREDICTOR=") + (!predictor ? "1" : is_float(type) ? "3" : "2");
}

void check_geotiff_grid(const std::string& path, const geo::Grid& grid) {
  if (grid.rows < 1 || grid.cols < 1 || grid.rows > INT32_MAX || grid.cols > INT32_MAX) {
    throw ConfigError(path + ": cannot write grid " + grid.describe() +
                      "; GeoTIFF needs 1..2^31-1 rows and columns");
  }
}

OGRSpatialReference parse_geotiff_crs(const std::string& path, const std::string& crs) {
  OGRSpatialReference srs;
  if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE) {
    throw ConfigError(path + ": unknown CRS '" + crs.substr(0, 80) + "'; give EPSG:<code> or WKT");
  }
  return srs;
}

GDALDatasetUniquePtr create_geotiff(const std::string& path, const std::string& partial_path,
                                    const geo::Grid& grid, const OGRSpatialReference& srs,
                                    int bands, GDALDataType type, double nodata,
                                    const std::vector<std::string>& create_options) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!driver) throw RunError(path + ": GDAL has no GTiff driver");
  std::vector<const char*> option_ptrs;
  for (const std::string& option : create_options)
    option_ptrs.push_back(option.c_str());
  option_ptrs.push_back(nullptr);
  CPLErrorReset();
  GDALDatasetUniquePtr handle(driver->Create(partial_path.c_str(), static_cast<int>(grid.cols),
                                             static_cast<int>(grid.rows), bands, type,
                                             const_cast<char**>(option_ptrs.data())));
  if (!handle) {
    throw RunError(path + ": cannot create GeoTIFF (" + std::string(CPLGetLastErrorMsg()) + ")");
  }
  // North-up: rows go down from y_max, so the y step is negative.
  double gt[6] = {grid.x_min, grid.dx, 0.0, grid.y_max, 0.0, -grid.dy};
  handle->SetGeoTransform(gt);
  handle->SetSpatialRef(&srs);
  for (int band = 1; band <= bands; ++band)
    handle->GetRasterBand(band)->SetNoDataValue(nodata);
  return handle;
}

}  // namespace minecarbon::report::detail
