// RasterBlock<float> of small-integer bands (Byte, UInt16, Int16) is read straight as Float32:
// the same bits as the double read cast to float, with nodata, a mask band, and scale/offset
// (Landsat Collection-2 surface reflectance: DN · 2.75e-5 − 0.2).
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/geo/block_reader.h"

namespace minecarbon::geo {
namespace {

namespace fs = std::filesystem;

const Grid kGrid{500000.0, 4100000.0, 30.0, 30.0, 70, 50};

class BlockReaderFloatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_block_reader_float_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, GDALDataType type, bool nodata, bool mask,
                    double scale, double offset) {
    const std::string path = (dir_ / name).string();
    const char* options[] = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=DEFLATE",
                             nullptr};
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(
        driver->Create(path.c_str(), 50, 70, 1, type, const_cast<char**>(options)));
    double gt[6] = {kGrid.x_min, kGrid.dx, 0, kGrid.y_max, 0, -kGrid.dy};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.SetFromUserInput("EPSG:32650");
    ds->SetSpatialRef(&srs);
    GDALRasterBand* band = ds->GetRasterBand(1);
    if (nodata) band->SetNoDataValue(type == GDT_Int16 ? -7 : 0);
    if (scale != 1.0) band->SetScale(scale);
    if (offset != 0.0) band->SetOffset(offset);
    std::vector<double> values;
    for (int row = 0; row < 70; ++row)
      for (int col = 0; col < 50; ++col)
        values.push_back(type == GDT_Byte    ? (row * 7 + col) % 256
                         : type == GDT_Int16 ? (row * 50 + col) % 600 - 300
                                             : 7000 + (row * 131 + col * 17) % 40000);
    values[3] = nodata ? (type == GDT_Int16 ? -7 : 0) : 1;
    EXPECT_EQ(
        band->RasterIO(GF_Write, 0, 0, 50, 70, values.data(), 50, 70, GDT_Float64, 0, 0, nullptr),
        CE_None);
    if (mask) {
      EXPECT_EQ(band->CreateMaskBand(0), CE_None);
      std::vector<unsigned char> m(50 * 70, 255);
      for (std::size_t idx = 0; idx < m.size(); idx += 9)
        m[idx] = 0;
      EXPECT_EQ(band->GetMaskBand()->RasterIO(GF_Write, 0, 0, 50, 70, m.data(), 50, 70, GDT_Byte, 0,
                                              0, nullptr),
                CE_None);
    }
    return path;
  }

  fs::path dir_;
};

TEST_F(BlockReaderFloatTest, SmallIntegerBandsGiveTheBitsOfTheDoubleRead) {
  std::vector<RasterLayerSpec> layers(4);
  layers[0].path = write("sr.tif", GDT_UInt16, true, false, 2.75e-5, -0.2);
  layers[1].path = write("byte.tif", GDT_Byte, false, true, 1.0, 0.0);
  layers[2].path = write("int16.tif", GDT_Int16, true, false, 0.01, 0.0);
  layers[3].path = write("plain.tif", GDT_UInt16, false, false, 1.0, 0.0);
  const AlignedRasters rasters(layers);
  BlockReader reader(rasters);
  RasterBlock<double> as_double;
  RasterBlock<float> as_float;
  const BlockPlan plan = rasters.plan(BlockPlanOptions{1, 1, 4096});
  std::size_t nan_cells = 0;
  for (std::size_t id = 0; id < plan.size(); ++id) {
    reader.read(plan.window(id), as_double);
    reader.read(plan.window(id), as_float);
    for (std::size_t layer = 0; layer < layers.size(); ++layer) {
      ASSERT_EQ(as_float.values[layer].size(), as_double.values[layer].size());
      for (std::size_t idx = 0; idx < as_float.values[layer].size(); ++idx) {
        const float expected = static_cast<float>(as_double.values[layer][idx]);
        const float got = as_float.values[layer][idx];
        if (std::isnan(expected)) ++nan_cells;
        ASSERT_EQ(std::memcmp(&expected, &got, sizeof got), 0)
            << "layer " << layer << " cell " << idx << ": " << got << " vs " << expected;
      }
    }
  }
  EXPECT_GT(nan_cells, 3500u / 9);  // the masked cells (and 2 nodata cells)
  // Hand value: DN 7000 at (0, 0) → 7000 · 2.75e-5 − 0.2 = −0.0075.
  reader.read(Window{0, 0, 1, 1}, as_float);
  EXPECT_EQ(as_float.values[0][0], static_cast<float>(7000 * 2.75e-5 - 0.2));
}

}  // namespace
}  // namespace minecarbon::geo
