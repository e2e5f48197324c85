// The raster pipeline end to end: inputs on two grids (one warped), a pass planned from a memory
// budget, a per-block statistic merged in block order and an output raster through the queued
// writer — identical statistic bits and file bytes for 1 and 2 threads; windows of whole input
// blocks and output tiles; GDAL's cache set for the pass and restored; the minimum budget refused.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/raster_pass.h"
#include "minecarbon/report/raster_writer_queue.h"

namespace minecarbon {
namespace {

namespace fs = std::filesystem;

const geo::Grid kGrid{500000.0, 4100000.0, 30.0, 30.0, 1100, 900};
const geo::Grid kCoarse{500000.0, 4100000.0, 300.0, 300.0, 110, 90};

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class RasterPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_raster_pipeline_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    red_ = write("red.tif", kGrid, 128, [](std::int64_t r, std::int64_t c) {
      return (r + c) % 53 == 0 ? 0.0 : 500.0 + static_cast<double>((r * 3 + c) % 700);
    });
    nir_ = write("nir.tif", kGrid, 128, [](std::int64_t r, std::int64_t c) {
      return 1500.0 + static_cast<double>((r * 5 + c * 2) % 1900);
    });
    climate_ = write("climate.tif", kCoarse, 16, [](std::int64_t r, std::int64_t c) {
      return 10.0 + 0.1 * static_cast<double>(r) - 0.05 * static_cast<double>(c);
    });
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const geo::Grid& grid, int tile,
                    double (*value)(std::int64_t, std::int64_t)) {
    const std::string path = (dir_ / name).string();
    const std::string side = std::to_string(tile);
    const std::string bx = "BLOCKXSIZE=" + side, by = "BLOCKYSIZE=" + side;
    const char* options[] = {"TILED=YES", bx.c_str(), by.c_str(), "COMPRESS=DEFLATE", nullptr};
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), static_cast<int>(grid.cols),
                                           static_cast<int>(grid.rows), 1, GDT_UInt16,
                                           const_cast<char**>(options)));
    double gt[6] = {grid.x_min, grid.dx, 0, grid.y_max, 0, -grid.dy};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.SetFromUserInput("EPSG:32650");
    ds->SetSpatialRef(&srs);
    ds->GetRasterBand(1)->SetNoDataValue(0);
    std::vector<double> values;
    for (std::int64_t row = 0; row < grid.rows; ++row)
      for (std::int64_t col = 0; col < grid.cols; ++col)
        values.push_back(value(row, col));
    EXPECT_EQ(
        ds->GetRasterBand(1)->RasterIO(
            GF_Write, 0, 0, static_cast<int>(grid.cols), static_cast<int>(grid.rows), values.data(),
            static_cast<int>(grid.cols), static_cast<int>(grid.rows), GDT_Float64, 0, 0, nullptr),
        CE_None);
    return path;
  }

  geo::AlignedRasters rasters() const {
    std::vector<geo::RasterLayerSpec> layers(3);
    layers[0].path = red_;
    layers[1].path = nir_;
    layers[2].path = climate_;
    return geo::AlignedRasters(layers, geo::AlignOptions{});
  }

  struct Outcome {
    double sum = 0;  // Σ ndvi · climate over valid cells, merged in block order
    std::int64_t valid = 0;
    std::string file;
  };

  // One pass: ndvi = (nir − red)/(nir + red) times the warped climate, written and summed.
  Outcome run(int threads, std::int64_t memory_mb, const std::string& name) {
    const geo::AlignedRasters in = rasters();
    geo::RasterPassRequest request;
    request.memory_mb = memory_mb;
    request.threads = threads;
    request.output_tile = 512;
    const geo::RasterPass pass = geo::plan_raster_pass(in, request);
    report::StreamedRasterOptions out_options;
    out_options.tile = 512;
    out_options.queue_depth = static_cast<std::size_t>(pass.budget.writer_queue_depth);
    const std::string path = (dir_ / name).string();
    report::QueuedGeoTiffWriter writer(path, in.grid(), in.crs_wkt(), pass.plan, out_options);
    std::vector<double> sums(pass.plan.size());
    std::vector<std::int64_t> counts(pass.plan.size());
    geo::run_block_pass(in, pass, [&](const geo::RasterBlock<double>& block, std::size_t) {
      report::abandon_on_error(writer, [&] {
        const std::size_t n = static_cast<std::size_t>(block.window.cells());
        std::vector<float> ndvi(n);
        double sum = 0;
        std::int64_t valid = 0;
        for (std::size_t idx = 0; idx < n; ++idx) {
          const double red = block.values[0][idx], nir = block.values[1][idx];
          const double v = (nir - red) / (nir + red) * block.values[2][idx];
          ndvi[idx] = static_cast<float>(v);
          if (!std::isnan(v)) {
            sum += v;
            ++valid;
          }
        }
        sums[block.block_id] = sum;
        counts[block.block_id] = valid;
        writer.submit(block.block_id, {std::move(ndvi)});
      });
    });
    writer.finish();
    Outcome outcome;
    for (std::size_t id = 0; id < sums.size(); ++id) {
      outcome.sum += sums[id];
      outcome.valid += counts[id];
    }
    outcome.file = bytes_of(path);
    return outcome;
  }

  fs::path dir_;
  std::string red_, nir_, climate_;
};

TEST_F(RasterPipelineTest, BelowTheMinimumBudgetIsAConfigError) {
  geo::RasterPassRequest request;
  request.threads = 2;
  request.memory_mb = 20;
  try {
    geo::plan_raster_pass(rasters(), request);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--memory-mb = 20: below the minimum of"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(RasterPipelineTest, WindowsHoldWholeInputBlocksAndOutputTiles) {
  geo::RasterPassRequest request;
  request.threads = 2;
  request.output_tile = 512;
  for (std::int64_t mb : {70, 1024}) {
    request.memory_mb = mb;
    const geo::RasterPass pass = geo::plan_raster_pass(rasters(), request);
    const geo::BlockPlan& plan = pass.plan;
    for (std::size_t id = 0; id < plan.size(); ++id) {
      const geo::Window w = plan.window(id);
      EXPECT_EQ(w.row0 % 512, 0);
      EXPECT_EQ(w.col0 % 512, 0);
      EXPECT_TRUE(w.rows % 512 == 0 || w.row0 + w.rows == kGrid.rows);
      EXPECT_TRUE(w.cols % 512 == 0 || w.col0 + w.cols == kGrid.cols);
    }
    // 70 MB: no room to grow; 1024 MB: room, but the grid has only 3 × 2 units of 512 cells and
    // windows are not grown below 16 per grid (or the unit count).
    EXPECT_EQ(plan.window_rows(), 512);
    EXPECT_EQ(plan.window_cols(), 512);
  }
}

TEST_F(RasterPipelineTest, SameNumbersAndBytesForOneAndTwoThreads) {
  const Outcome one = run(1, 256, "one.tif");
  const Outcome two = run(2, 256, "two.tif");
  const Outcome small_windows = run(2, 70, "small.tif");
  EXPECT_GT(one.valid, 900000);
  EXPECT_LT(one.valid, 1100 * 900);  // red nodata cells dropped
  EXPECT_EQ(one.valid, two.valid);
  EXPECT_EQ(one.sum, two.sum);        // bitwise: partials merged in block order
  EXPECT_TRUE(one.file == two.file);  // bytes (not printed: megabytes)
  // Other windows (a smaller budget): the same cells, the sum equal to rounding (another
  // summation order). The file's values are the same; its bytes may differ (tile order follows
  // the windows).
  EXPECT_EQ(small_windows.valid, one.valid);
  EXPECT_NEAR(small_windows.sum, one.sum, 1e-9 * std::fabs(one.sum));
}

TEST_F(RasterPipelineTest, GdalCacheIsTheBudgetsDuringThePass) {
  const std::int64_t before = GDALGetCacheMax64();
  const geo::AlignedRasters in = rasters();
  geo::RasterPassRequest request;
  request.memory_mb = 200;
  const geo::RasterPass pass = geo::plan_raster_pass(in, request);
  ASSERT_NE(pass.budget.gdal_cache_bytes, before);
  std::int64_t during = 0;
  geo::run_block_pass(in, pass, [&](const geo::RasterBlock<double>&, std::size_t) {
    during = GDALGetCacheMax64();
  });
  EXPECT_EQ(during, pass.budget.gdal_cache_bytes);
  EXPECT_EQ(GDALGetCacheMax64(), before);
  EXPECT_NE(pass.describe().find("GDAL cache"), std::string::npos);
}

}  // namespace
}  // namespace minecarbon
