// Small land-use rasters written with GDAL for the landuse tests.
#pragma once

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace minecarbon::test {

struct LulcRaster {
  std::int64_t rows = 0, cols = 0;
  double x_min = 0, y_max = 0, dx = 1, dy = 1;
  std::string crs = "EPSG:26910";
  std::optional<double> nodata;
  GDALDataType type = GDT_Int32;
  std::vector<double> values;  // row-major
};

inline void write_lulc(const std::string& path, const LulcRaster& r) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  GDALDataset* ds = driver->Create(path.c_str(), static_cast<int>(r.cols), static_cast<int>(r.rows),
                                   1, r.type, nullptr);
  double gt[6] = {r.x_min, r.dx, 0, r.y_max, 0, -r.dy};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.SetFromUserInput(r.crs.c_str());
  ds->SetSpatialRef(&srs);
  GDALRasterBand* band = ds->GetRasterBand(1);
  if (r.nodata) band->SetNoDataValue(*r.nodata);
  std::vector<double> values = r.values;
  if (band->RasterIO(GF_Write, 0, 0, static_cast<int>(r.cols), static_cast<int>(r.rows),
                     values.data(), static_cast<int>(r.cols), static_cast<int>(r.rows), GDT_Float64,
                     0, 0) != CE_None)
    throw std::runtime_error("cannot write " + path);
  GDALClose(ds);
}

inline std::string wkt_of(const std::string& crs) {
  OGRSpatialReference srs;
  srs.SetFromUserInput(crs.c_str());
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2018", nullptr};
  srs.exportToWkt(&wkt, options);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

// A fresh folder under the system temp folder, removed at the end.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("mc_landuse_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace minecarbon::test
