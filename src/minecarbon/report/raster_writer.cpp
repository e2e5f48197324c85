#include "minecarbon/report/raster_writer.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "minecarbon/core/errors.h"

namespace minecarbon::report {

void write_geotiff_float32(const std::string& path, const geo::Grid& grid, const std::string& crs,
                           const std::vector<float>& values, float nodata) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
                           nullptr};
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), static_cast<int>(grid.cols),
                                         static_cast<int>(grid.rows), 1, GDT_Float32,
                                         const_cast<char**>(options)));
  if (!ds) throw RunError(path + ": cannot create GeoTIFF: " + CPLGetLastErrorMsg());
  double gt[6] = {grid.x_min, grid.dx, 0.0, grid.y_max, 0.0, -grid.dy};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.SetFromUserInput(crs.c_str());
  ds->SetSpatialRef(&srs);
  GDALRasterBand* band = ds->GetRasterBand(1);
  band->SetNoDataValue(nodata);
  if (band->RasterIO(GF_Write, 0, 0, static_cast<int>(grid.cols), static_cast<int>(grid.rows),
                     const_cast<float*>(values.data()), static_cast<int>(grid.cols),
                     static_cast<int>(grid.rows), GDT_Float32, 0, 0, nullptr) != CE_None)
    throw RunError(path + ": write failed: " + CPLGetLastErrorMsg());
}

}  // namespace minecarbon::report
