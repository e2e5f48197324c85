// The queued GeoTIFF writer: values, nodata, tiles, compression and predictor read back with
// GDAL; the same bytes for 1 and 2 worker threads and for blocks handed over in reverse order;
// back-pressure; a COG at the end; atomic names; refusals and failures.
#include "minecarbon/report/raster_writer_queue.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"

namespace minecarbon::report {
namespace {

namespace fs = std::filesystem;

// 700 rows × 600 columns: edge tiles are cut on both axes.
const geo::Grid kGrid{500000.0, 4100000.0, 30.0, 30.0, 700, 600};

float planted(int band, std::int64_t row, std::int64_t col) {
  if ((row * 7 + col * 3) % 29 == 0) return std::nanf("");
  return static_cast<float>(band * 1000 + row) + 0.25f * static_cast<float>(col % 97);
}

// The plan of a pass whose input has 256-tiles, windows of 512 × 256 (from a memory budget).
geo::BlockPlan read_plan(int tile = 256) {
  geo::BlockPlanOptions options;
  options.fixed_rows = 512;
  options.fixed_cols = 256 * (tile / 256);
  return geo::BlockPlan(kGrid, {geo::BlockSize{256, 256}, geo::BlockSize{tile, tile}}, options);
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

class RasterWriterQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_raster_writer_queue_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every block of `plan` computed on `threads` workers and handed over as they finish.
  std::string write(const std::string& name, const StreamedRasterOptions& options, int threads,
                    const geo::BlockPlan& plan) {
    const std::string path = (dir_ / name).string();
    QueuedGeoTiffWriter writer(path, kGrid, "EPSG:32650", plan, options);
    parallel_for(plan.size(), threads, [&](std::size_t id, std::size_t) {
      abandon_on_error(writer, [&] { writer.submit(id, block_values(plan, id, options.bands)); });
    });
    writer.finish();
    return path;
  }

  fs::path dir_;
};

TEST_F(RasterWriterQueueTest, ValuesNodataTilesAndCompressionReadBack) {
  StreamedRasterOptions options;
  options.bands = 2;
  options.queue_depth = 3;
  const std::string path = write("two_bands.tif", options, 2, read_plan());
  EXPECT_FALSE(fs::exists(path + ".partial"));
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  ASSERT_EQ(ds->GetRasterCount(), 2);
  EXPECT_STREQ(ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE");
  EXPECT_STREQ(ds->GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE"), "BAND");
  EXPECT_STREQ(ds->GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE"), "3");
  double gt[6];
  ds->GetGeoTransform(gt);
  EXPECT_EQ(gt[0], 500000.0);
  EXPECT_EQ(gt[5], -30.0);
  for (int band = 1; band <= 2; ++band) {
    GDALRasterBand* b = ds->GetRasterBand(band);
    int bx = 0, by = 0;
    b->GetBlockSize(&bx, &by);
    EXPECT_EQ(bx, 256);
    EXPECT_EQ(by, 256);
    int has_nodata = 0;
    EXPECT_TRUE(std::isnan(b->GetNoDataValue(&has_nodata)));
    EXPECT_TRUE(has_nodata);
    std::vector<float> values(static_cast<std::size_t>(kGrid.rows * kGrid.cols));
    ASSERT_EQ(
        b->RasterIO(GF_Read, 0, 0, 600, 700, values.data(), 600, 700, GDT_Float32, 0, 0, nullptr),
        CE_None);
    std::size_t nan_cells = 0;
    for (std::int64_t row = 0; row < kGrid.rows; ++row) {
      for (std::int64_t col = 0; col < kGrid.cols; ++col) {
        const float expected = planted(band, row, col);
        const float got = values[static_cast<std::size_t>(row * kGrid.cols + col)];
        if (std::isnan(expected)) {
          ++nan_cells;
          ASSERT_TRUE(std::isnan(got)) << row << "," << col;
        } else {
          ASSERT_EQ(got, expected) << row << "," << col;
        }
      }
    }
    EXPECT_GT(nan_cells, 1000u);
  }
}

TEST_F(RasterWriterQueueTest, SameBytesForAnyThreadCountAndArrivalOrder) {
  for (const RasterCompression compress : {RasterCompression::deflate, RasterCompression::zstd}) {
    StreamedRasterOptions options;
    options.compress = compress;
    options.tile = 512;
    options.queue_depth = 2;
    const geo::BlockPlan plan = read_plan(512);
    const std::string one = bytes_of(write("one.tif", options, 1, plan));
    const std::string two = bytes_of(write("two.tif", options, 2, plan));
    EXPECT_GT(one.size(), 10000u);
    EXPECT_TRUE(one == two);  // (EXPECT_TRUE: a failure would print megabytes)
    // Reverse arrival with a queue holding every block.
    options.queue_depth = plan.size();
    const std::string path = (dir_ / "reverse.tif").string();
    {
      QueuedGeoTiffWriter writer(path, kGrid, "EPSG:32650", plan, options);
      for (std::size_t k = plan.size(); k-- > 0;)
        writer.submit(k, block_values(plan, k, 1));
      writer.finish();
    }
    EXPECT_TRUE(bytes_of(path) == one);
  }
}

TEST_F(RasterWriterQueueTest, ZstdUint8WritesNaNAsNodata) {
  StreamedRasterOptions options;
  options.type = RasterType::uint8;
  options.compress = RasterCompression::zstd;
  options.level = 3;
  options.nodata = 255;
  const geo::BlockPlan plan = read_plan();
  const std::string path = (dir_ / "grade.tif").string();
  QueuedGeoTiffWriter writer(path, kGrid, "EPSG:32650", plan, options);
  for (std::size_t id = 0; id < plan.size(); ++id) {
    const geo::Window w = plan.window(id);
    std::vector<float> grades;
    for (std::int64_t row = w.row0; row < w.row0 + w.rows; ++row)
      for (std::int64_t col = w.col0; col < w.col0 + w.cols; ++col)
        grades.push_back(col == 0 ? std::nanf("") : static_cast<float>((row + col) % 5));
    writer.submit(id, {grades});
  }
  writer.finish();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  EXPECT_STREQ(ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), "ZSTD");
  EXPECT_EQ(ds->GetRasterBand(1)->GetRasterDataType(), GDT_Byte);
  std::vector<unsigned char> row(600);
  ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 333, 600, 1, row.data(), 600, 1, GDT_Byte, 0,
                                           0, nullptr),
            CE_None);
  EXPECT_EQ(row[0], 255);
  EXPECT_EQ(row[7], (333 + 7) % 5);
  EXPECT_EQ(row[599], (333 + 599) % 5);
}

TEST_F(RasterWriterQueueTest, CogAtTheEnd) {
  StreamedRasterOptions options;
  options.cog = true;
  const std::string path = write("cog.tif", options, 2, read_plan());
  EXPECT_FALSE(fs::exists(path + ".partial"));
  EXPECT_FALSE(fs::exists(path + ".partial.cog"));
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  EXPECT_STREQ(ds->GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE"), "COG");
  EXPECT_GE(ds->GetRasterBand(1)->GetOverviewCount(), 1);
  float value = 0;
  ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Read, 301, 455, 1, 1, &value, 1, 1, GDT_Float32, 0, 0,
                                           nullptr),
            CE_None);
  EXPECT_EQ(value, planted(1, 455, 301));
}

TEST_F(RasterWriterQueueTest, BackPressureHoldsBlocksAheadOfTheQueue) {
  StreamedRasterOptions options;
  options.queue_depth = 2;
  const geo::BlockPlan plan = read_plan();  // 2 × 3 windows
  ASSERT_EQ(plan.size(), 6u);
  const std::string path = (dir_ / "pressure.tif").string();
  QueuedGeoTiffWriter writer(path, kGrid, "EPSG:32650", plan, options);
  writer.submit(1, block_values(plan, 1, 1));  // 1 < 0 + 2: admitted at once
  std::atomic<bool> admitted{false};
  std::thread ahead([&] {
    writer.submit(3, block_values(plan, 3, 1));  // 3 ≥ 0 + 2: waits for blocks 0 and 1
    admitted = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(admitted.load());
  writer.submit(0, block_values(plan, 0, 1));
  writer.submit(2, block_values(plan, 2, 1));
  ahead.join();
  EXPECT_TRUE(admitted.load());
  writer.submit(4, block_values(plan, 4, 1));
  writer.submit(5, block_values(plan, 5, 1));
  writer.finish();
  EXPECT_TRUE(fs::exists(path));
}

TEST_F(RasterWriterQueueTest, MissingOrDuplicateBlockIsARunErrorAndLeavesNoFile) {
  const geo::BlockPlan plan = read_plan();
  const std::string path = (dir_ / "missing.tif").string();
  {
    QueuedGeoTiffWriter writer(path, kGrid, "EPSG:32650", plan, {});
    writer.submit(0, block_values(plan, 0, 1));
    EXPECT_THROW(writer.submit(0, block_values(plan, 0, 1)), RunError);
    EXPECT_THROW(writer.submit(99, block_values(plan, 0, 1)), RunError);
    EXPECT_THROW(writer.submit(2, block_values(plan, 3, 1)), RunError);  // wrong size
    writer.submit(2, block_values(plan, 2, 1));
    try {
      writer.finish();
      FAIL() << "expected RunError";
    } catch (const RunError& e) {
      EXPECT_NE(std::string(e.what()).find("block 1 was never submitted"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(RasterWriterQueueTest, FailingWorkerReleasesTheOthers) {
  StreamedRasterOptions options;
  options.queue_depth = 1;
  const geo::BlockPlan plan = read_plan();
  const std::string path = (dir_ / "failed.tif").string();
  QueuedGeoTiffWriter writer(path, kGrid, "EPSG:32650", plan, options);
  // Block 0 fails; blocks beyond it wait for it; abandon_on_error releases them.
  EXPECT_THROW(parallel_for(plan.size(), 2,
                            [&](std::size_t id, std::size_t) {
                              abandon_on_error(writer, [&] {
                                if (id == 0) {
                                  std::this_thread::sleep_for(std::chrono::milliseconds(50));
                                  throw DataError("block 0: bad input");
                                }
                                writer.submit(id, block_values(plan, id, 1));
                              });
                            }),
               DataError);
  EXPECT_THROW(writer.finish(), RunError);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(RasterWriterQueueTest, BadOptionsAreConfigErrors) {
  const std::string path = (dir_ / "bad.tif").string();
  StreamedRasterOptions options;
  options.tile = 128;
  EXPECT_THROW(QueuedGeoTiffWriter(path, kGrid, "EPSG:32650", read_plan(), options), ConfigError);
  options = {};
  options.level = 23;
  options.compress = RasterCompression::zstd;
  EXPECT_THROW(QueuedGeoTiffWriter(path, kGrid, "EPSG:32650", read_plan(), options), ConfigError);
  options = {};
  options.type = RasterType::uint8;  // NaN nodata in a byte raster
  EXPECT_THROW(QueuedGeoTiffWriter(path, kGrid, "EPSG:32650", read_plan(), options), ConfigError);
  options = {};
  options.tile = 512;  // windows of 256 columns cut 512-tiles
  try {
    QueuedGeoTiffWriter(path, kGrid, "EPSG:32650", read_plan(256), options);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cut its 512-cell tiles"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

}  // namespace
}  // namespace minecarbon::report
