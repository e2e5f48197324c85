// A small world for the potential command's end-to-end tests: 64 square mines on a lon/lat grid,
// covariate rasters with known cell values, and a response table. Written in a second.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace minecarbon::e2e::potential {

// Grid: 80 × 80 cells of 0.01°, upper-left corner (20.0°E, 45.8°N).
constexpr int kCells = 80;
constexpr double kCell = 0.01, kX0 = 20.0, kY1 = 45.8;
// Mines: 8 × 8 squares of 0.03°, at (20.05 + 0.09·i, 45.05 + 0.09·j), id "S<i>_<j>".
constexpr int kSide = 8;

inline double mine_x0(int i) {
  return 20.05 + 0.09 * i;
}
inline double mine_y0(int j) {
  return 45.05 + 0.09 * j;
}

// A Float32 GeoTIFF whose cell (row, col) holds value(row, col); NaN is written as nodata −9999.
inline void write_raster(const std::string& path, const std::function<double(int, int)>& value,
                         int cols = kCells) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), cols, kCells, 1, GDT_Float32, nullptr));
  double gt[6] = {kX0, kCell, 0, kY1, 0, -kCell};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  ds->SetSpatialRef(&srs);
  std::vector<float> values(static_cast<std::size_t>(cols * kCells));
  for (int row = 0; row < kCells; ++row)
    for (int col = 0; col < cols; ++col) {
      const double v = value(row, col);
      values[static_cast<std::size_t>(row * cols + col)] =
          std::isnan(v) ? -9999.0f : static_cast<float>(v);
    }
  ds->GetRasterBand(1)->SetNoDataValue(-9999);
  if (ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, cols, kCells, values.data(), cols, kCells,
                                     GDT_Float32, 0, 0, nullptr) != CE_None)
    throw std::runtime_error("cannot write " + path);
}

inline std::string mine_id(int i, int j) {
  return "S" + std::to_string(i) + "_" + std::to_string(j);
}

inline void write_mines(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayer* layer = ds->CreateLayer("mines", &srs, wkbPolygon, nullptr);
  OGRFieldDefn id_field("mine_id", OFTString);
  (void)layer->CreateField(&id_field);
  OGRFieldDefn iso_field("ISO3_CODE", OFTString);
  (void)layer->CreateField(&iso_field);
  for (int i = 0; i < kSide; ++i)
    for (int j = 0; j < kSide; ++j) {
      OGRFeature feature(layer->GetLayerDefn());
      feature.SetField("mine_id", mine_id(i, j).c_str());
      feature.SetField("ISO3_CODE", i < kSide / 2 ? "SRB" : "ROU");
      OGRLinearRing ring;
      const double x0 = mine_x0(i), y0 = mine_y0(j), s = 0.03;
      ring.addPoint(x0, y0);
      ring.addPoint(x0 + s, y0);
      ring.addPoint(x0 + s, y0 + s);
      ring.addPoint(x0, y0 + s);
      ring.addPoint(x0, y0);
      OGRPolygon polygon;
      polygon.addRing(&ring);
      feature.SetGeometry(&polygon);
      if (layer->CreateFeature(&feature) != OGRERR_NONE)
        throw std::runtime_error("cannot write a mine to " + path);
    }
}

// Covariates: x1 rises eastwards, x2 northwards, x3 a deterministic scramble, constant 7, and
// half_x1 = x1 over the western 40 columns only (the eastern mines lie outside it).
inline double x1(int, int col) {
  return 100.0 + 10.0 * col;
}
inline double x2(int row, int) {
  return 50.0 + 3.0 * (kCells - row);
}
inline double x3(int row, int col) {
  return static_cast<double>((row * 31 + col * 17) % 23);
}

// Response: 120 + 20·i + 5·j for mine (i, j), all above the default threshold of 100.
inline double response(int i, int j) {
  return 120.0 + 20.0 * i + 5.0 * j;
}

inline void write_small_world(const TempDir& dir) {
  write_mines(dir.str("mines.gpkg"));
  write_raster(dir.str("x1.tif"), x1);
  write_raster(dir.str("x2.tif"), x2);
  write_raster(dir.str("x3.tif"), x3);
  write_raster(dir.str("const.tif"), [](int, int) { return 7.0; });
  write_raster(dir.str("half_x1.tif"), x1, kCells / 2);
  std::ofstream csv(dir.str("response.csv"));
  csv << "mine_id,nep_increment_gC_m2_yr,label\n";
  for (int i = 0; i < kSide; ++i)
    for (int j = 0; j < kSide; ++j)
      csv << mine_id(i, j) << ',' << response(i, j) << ",text\n";
}

// The command line up to the output folder, with a small, fast grid.
inline std::string small_run(const TempDir& dir, const std::string& extra = {}) {
  return "--quiet potential --mines " + dir.str("mines.gpkg") + " --id-field mine_id" +
         " --covariate x1=" + dir.str("x1.tif") + " --covariate x2=" + dir.str("x2.tif") +
         " --covariate x3=" + dir.str("x3.tif") + " --response-table " + dir.str("response.csv") +
         " --grid-trees 60 --grid-mtry 1,2 --grid-min-node-size 3 " + extra;
}

}  // namespace minecarbon::e2e::potential
