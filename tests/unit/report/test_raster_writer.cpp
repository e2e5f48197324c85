// The streaming GeoTIFF writer: written block by block, read back with GDAL (values, nodata,
// geotransform, CRS, tiles, compression), atomic under its temporary name, and the same bytes
// whatever order the blocks arrive in.
#include "minecarbon/report/raster_writer.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::report {
namespace {

namespace fs = std::filesystem;

const geo::Grid kGrid{500000.0, 4100000.0, 30.0, 30.0, 150, 203};  // odd: cut edge tiles

float planted(int band, std::int64_t row, std::int64_t col) {
  if ((row + 3 * col) % 11 == 0) return -9999.0f;
  return static_cast<float>(band * 1000 + row) + 0.125f * static_cast<float>(col);
}

std::vector<std::vector<float>> block_values(const geo::BlockPlan& plan, std::size_t id,
                                             int bands) {
  const geo::Window w = plan.window(id);
  std::vector<std::vector<float>> values(static_cast<std::size_t>(bands));
  for (int band = 1; band <= bands; ++band)
    for (std::int64_t row = w.row0; row < w.row0 + w.rows; ++row)
      for (std::int64_t col = w.col0; col < w.col0 + w.cols; ++col)
        values[static_cast<std::size_t>(band - 1)].push_back(planted(band, row, col));
  return values;
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class RasterWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_raster_writer_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes kGrid's two bands through write_block with blocks in the order `ids`.
  void write_in_order(const std::string& path, std::vector<std::size_t> ids) {
    RasterWriteOptions options;
    options.bands = 2;
    options.tile_cols = 64;
    options.tile_rows = 32;
    GeoTiffWriter writer(path, kGrid, "EPSG:32650", options);
    for (std::size_t id : ids)
      writer.write_block(id, block_values(writer.plan(), id, 2));
    EXPECT_FALSE(fs::exists(path)) << "visible before finish()";
    EXPECT_TRUE(fs::exists(path + ".partial"));
    writer.finish();
  }

  fs::path dir_;
};

TEST_F(RasterWriterTest, BadOptionsAreConfigErrors) {
  RasterWriteOptions options;
  options.tile_cols = 100;  // not a multiple of 16
  EXPECT_THROW(GeoTiffWriter((dir_ / "x.tif").string(), kGrid, "EPSG:32650", options), ConfigError);
  EXPECT_THROW(GeoTiffWriter((dir_ / "x.tif").string(), kGrid, "not a CRS"), ConfigError);
  EXPECT_FALSE(fs::exists(dir_ / "x.tif.partial"));
}

TEST_F(RasterWriterTest, WriterDestroyedBeforeFinishLeavesNoFile) {
  const std::string path = (dir_ / "dropped.tif").string();
  {
    GeoTiffWriter writer(path, kGrid, "EPSG:32650");
    writer.write_block(0, block_values(writer.plan(), 0, 1));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(RasterWriterTest, MissingBlockAtFinishIsARunErrorAndLeavesNoFile) {
  const std::string path = (dir_ / "holes.tif").string();
  RasterWriteOptions options;
  options.tile_cols = 64;
  options.tile_rows = 32;
  GeoTiffWriter writer(path, kGrid, "EPSG:32650", options);
  ASSERT_EQ(writer.plan().size(), 20u);
  writer.write_block(1, block_values(writer.plan(), 1, 1));  // block 0 never comes
  EXPECT_THROW(writer.write_block(1, block_values(writer.plan(), 1, 1)), RunError);  // twice
  EXPECT_THROW(writer.finish(), RunError);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(RasterWriterTest, BlockByBlockRoundTripKeepsValuesNodataGeoreferencingTilesAndDeflate) {
  const std::string path = (dir_ / "round.tif").string();
  // 150 rows / 32 → 5 window rows; 203 columns / 64 → 4 window columns: 20 blocks.
  const std::size_t n_blocks =
      geo::BlockPlan(kGrid, {geo::BlockSize{32, 64}}, geo::BlockPlanOptions{1, 1, 4096}).size();
  ASSERT_EQ(n_blocks, 20u);
  std::vector<std::size_t> ids(n_blocks);
  for (std::size_t id = 0; id < n_blocks; ++id)
    ids[id] = id;
  write_in_order(path, ids);
  ASSERT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));

  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  ASSERT_EQ(ds->GetRasterCount(), 2);
  ASSERT_EQ(ds->GetRasterXSize(), 203);
  ASSERT_EQ(ds->GetRasterYSize(), 150);
  double gt[6];
  ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
  EXPECT_EQ(gt[0], 500000.0);
  EXPECT_EQ(gt[1], 30.0);
  EXPECT_EQ(gt[3], 4100000.0);
  EXPECT_EQ(gt[5], -30.0);
  EXPECT_EQ(gt[2], 0.0);
  EXPECT_EQ(gt[4], 0.0);
  OGRSpatialReference utm50;
  utm50.importFromEPSG(32650);
  ASSERT_NE(ds->GetSpatialRef(), nullptr);
  EXPECT_TRUE(ds->GetSpatialRef()->IsSame(&utm50));
  const char* compression = ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE");
  ASSERT_NE(compression, nullptr);
  EXPECT_STREQ(compression, "DEFLATE");
  for (int band = 1; band <= 2; ++band) {
    GDALRasterBand* b = ds->GetRasterBand(band);
    int block_cols = 0, block_rows = 0;
    b->GetBlockSize(&block_cols, &block_rows);
    EXPECT_EQ(block_cols, 64);
    EXPECT_EQ(block_rows, 32);
    int has_nodata = 0;
    EXPECT_EQ(b->GetNoDataValue(&has_nodata), -9999.0);
    EXPECT_TRUE(has_nodata);
    EXPECT_EQ(b->GetRasterDataType(), GDT_Float32);
    std::vector<float> values(150 * 203);
    ASSERT_EQ(
        b->RasterIO(GF_Read, 0, 0, 203, 150, values.data(), 203, 150, GDT_Float32, 0, 0, nullptr),
        CE_None);
    for (std::int64_t row = 0; row < 150; ++row)
      for (std::int64_t col = 0; col < 203; ++col)
        ASSERT_EQ(values[static_cast<std::size_t>(row * 203 + col)], planted(band, row, col))
            << band << " " << row << " " << col;
  }
}

TEST_F(RasterWriterTest, BlocksArrivingInAnyOrderGiveTheSameBytes) {
  std::vector<std::size_t> ids(20);
  for (std::size_t id = 0; id < ids.size(); ++id)
    ids[id] = id;
  write_in_order((dir_ / "ordered.tif").string(), ids);
  std::mt19937_64 rng(5);
  std::shuffle(ids.begin(), ids.end(), rng);
  write_in_order((dir_ / "shuffled.tif").string(), ids);
  const std::string a = bytes_of((dir_ / "ordered.tif").string());
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, bytes_of((dir_ / "shuffled.tif").string()));
}

TEST_F(RasterWriterTest, WholeArrayWriterRoundTrips) {
  const std::string path = (dir_ / "whole.tif").string();
  const geo::Grid grid{100.0, 40.0, 0.25, 0.25, 300, 270};
  std::vector<float> values(300 * 270);
  for (std::size_t idx = 0; idx < values.size(); ++idx)
    values[idx] = static_cast<float>(idx % 977) - 3.5f;
  write_geotiff_float32(path, grid, "EPSG:4326", values, -1.0f);
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  std::vector<float> back(values.size());
  ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, 270, 300, back.data(), 270, 300,
                                           GDT_Float32, 0, 0, nullptr),
            CE_None);
  EXPECT_EQ(back, values);
  int block_cols = 0, block_rows = 0;
  ds->GetRasterBand(1)->GetBlockSize(&block_cols, &block_rows);
  EXPECT_EQ(block_cols, 256);
  EXPECT_EQ(ds->GetRasterBand(1)->GetNoDataValue(), -1.0);
  EXPECT_THROW(write_geotiff_float32((dir_ / "short.tif").string(), grid, "EPSG:4326",
                                     std::vector<float>(10), -1.0f),
               RunError);
}

}  // namespace
}  // namespace minecarbon::report
