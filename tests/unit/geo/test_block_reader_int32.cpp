// BlockReader's integer read (RasterBlock<std::int32_t>, used by the landuse pass for class maps):
// on Byte and Int16 rasters with nodata it must give, cell for cell, the raw values of the double
// read, with kInt32NoData exactly where the double read has NaN; bands that are not integers, or
// have a scale or offset, are not int32_exact and refuse the integer read.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/block_reader.h"

namespace minecarbon::geo {
namespace {

namespace fs = std::filesystem;

std::string write_raster(const fs::path& path, GDALDataType type, double nodata, double scale) {
  GDALAllRegister();
  const int cols = 70, rows = 50;
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=32", nullptr};
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  GDALDatasetUniquePtr ds(
      driver->Create(path.string().c_str(), cols, rows, 1, type, const_cast<char**>(options)));
  double gt[6] = {500000, 30, 0, 4100000, 0, -30};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.SetFromUserInput("EPSG:32650");
  ds->SetSpatialRef(&srs);
  std::vector<double> values(static_cast<std::size_t>(rows * cols));
  for (int i = 0; i < rows * cols; ++i)
    values[static_cast<std::size_t>(i)] = i % 11 == 0 ? nodata : (i * 7) % 200;
  GDALRasterBand* band = ds->GetRasterBand(1);
  band->SetNoDataValue(nodata);
  if (scale != 1.0) band->SetScale(scale);
  EXPECT_EQ(band->RasterIO(GF_Write, 0, 0, cols, rows, values.data(), cols, rows, GDT_Float64, 0, 0,
                           nullptr),
            CE_None);
  return path.string();
}

class BlockReaderInt32 : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mc_block_reader_int32_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(BlockReaderInt32, SameValuesAsTheDoubleReadWithNodataMarked) {
  const std::string byte_path = write_raster(dir_ / "b.tif", GDT_Byte, 255, 1.0);
  const std::string int16_path = write_raster(dir_ / "i.tif", GDT_Int16, -1, 1.0);
  const AlignedRasters rasters({RasterLayerSpec{byte_path, 1, "byte", {}, {}, false},
                                RasterLayerSpec{int16_path, 1, "int16", {}, {}, false}});
  ASSERT_TRUE(rasters.layers()[0].int32_exact);
  ASSERT_TRUE(rasters.layers()[1].int32_exact);
  BlockReader reader(rasters);
  const Window w{5, 9, 40, 50};  // crosses tiles
  RasterBlock<double> as_double;
  RasterBlock<std::int32_t> as_int;
  reader.read(w, as_double);
  reader.read(w, as_int);
  std::size_t nodata_cells = 0;
  for (std::size_t layer = 0; layer < 2; ++layer)
    for (std::size_t i = 0; i < static_cast<std::size_t>(w.cells()); ++i) {
      const double d = as_double.values[layer][i];
      const std::int32_t v = as_int.values[layer][i];
      if (std::isnan(d)) {
        EXPECT_EQ(v, kInt32NoData);
        ++nodata_cells;
      } else {
        EXPECT_EQ(static_cast<double>(v), d);
      }
    }
  EXPECT_GT(nodata_cells, 300u);  // every 11th cell of both layers
}

TEST_F(BlockReaderInt32, FloatOrScaledBandsAreNotInt32Exact) {
  const std::string float_path = write_raster(dir_ / "f.tif", GDT_Float32, -9999, 1.0);
  const std::string scaled_path = write_raster(dir_ / "s.tif", GDT_Int16, -1, 0.5);
  const AlignedRasters rasters({RasterLayerSpec{float_path, 1, "float", {}, {}, false},
                                RasterLayerSpec{scaled_path, 1, "scaled", {}, {}, false}});
  EXPECT_FALSE(rasters.layers()[0].int32_exact);
  EXPECT_FALSE(rasters.layers()[1].int32_exact);
  BlockReader reader(rasters);
  RasterBlock<std::int32_t> as_int;
  EXPECT_THROW(reader.read(Window{0, 0, 4, 4}, as_int), ConfigError);
}

}  // namespace
}  // namespace minecarbon::geo
