// The aligned multi-raster block reader on small GeoTIFFs written here: several files with
// different block layouts (tiles of 16 and 32, strips of 4 rows) and a two-band file, planted
// values, nodata, scale/offset, and the refusals of rasters on another grid or CRS.
#include "minecarbon/geo/block_reader.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/zonal_accumulator.h"

namespace minecarbon::geo {
namespace {

namespace fs = std::filesystem;

constexpr double kNodata = -9999.0;
const Grid kGrid{500000.0, 4100000.0, 30.0, 30.0, 100, 90};  // UTM 50N, 100 rows × 90 cols

RasterLayerSpec spec(const std::string& path, int band = 1, const std::string& name = "") {
  RasterLayerSpec layer;
  layer.path = path;
  layer.band = band;
  layer.name = name;
  return layer;
}

// Planted raw value of a layer at a cell; every 7th cell of layer 1 is nodata.
double planted(int layer, std::int64_t row, std::int64_t col) {
  if (layer == 1 && (row * 90 + col) % 7 == 0) return kNodata;
  return 1000.0 * layer + row + 0.01 * static_cast<double>(col);
}

class BlockReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_block_reader_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One GeoTIFF with `layers.size()` bands; layout "tile16", "tile32" or "strip4".
  std::string write(const std::string& name, const std::vector<int>& layers,
                    const std::string& layout, const Grid& grid = kGrid,
                    const char* crs = "EPSG:32650", double scale = 1.0, double offset = 0.0) {
    const std::string path = (dir_ / name).string();
    std::vector<std::string> options = {"COMPRESS=DEFLATE"};
    if (layout == "strip4") {
      options.push_back("BLOCKYSIZE=4");
    } else {
      const std::string side = layout == "tile16" ? "16" : "32";
      options.insert(options.end(), {"TILED=YES", "BLOCKXSIZE=" + side, "BLOCKYSIZE=" + side});
    }
    std::vector<const char*> option_ptrs;
    for (const auto& option : options)
      option_ptrs.push_back(option.c_str());
    option_ptrs.push_back(nullptr);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(driver->Create(
        path.c_str(), static_cast<int>(grid.cols), static_cast<int>(grid.rows),
        static_cast<int>(layers.size()), GDT_Float32, const_cast<char**>(option_ptrs.data())));
    double gt[6] = {grid.x_min, grid.dx, 0, grid.y_max, 0, -grid.dy};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.SetFromUserInput(crs);
    ds->SetSpatialRef(&srs);
    for (std::size_t band_idx = 0; band_idx < layers.size(); ++band_idx) {
      std::vector<float> values(static_cast<std::size_t>(grid.rows * grid.cols));
      for (std::int64_t row = 0; row < grid.rows; ++row)
        for (std::int64_t col = 0; col < grid.cols; ++col)
          values[static_cast<std::size_t>(row * grid.cols + col)] =
              static_cast<float>(planted(layers[band_idx], row, col));
      GDALRasterBand* band = ds->GetRasterBand(static_cast<int>(band_idx) + 1);
      band->SetNoDataValue(kNodata);
      if (scale != 1.0) band->SetScale(scale);
      if (offset != 0.0) band->SetOffset(offset);
      EXPECT_EQ(
          band->RasterIO(GF_Write, 0, 0, static_cast<int>(grid.cols), static_cast<int>(grid.rows),
                         values.data(), static_cast<int>(grid.cols), static_cast<int>(grid.rows),
                         GDT_Float32, 0, 0, nullptr),
          CE_None);
    }
    return path;
  }

  // Layers 1 (tiles of 16, nodata), 2 (tiles of 32, scale 0.5 offset 10), 3 and 4 (two bands of
  // one file in 4-row strips).
  std::vector<RasterLayerSpec> four_layers() {
    return {spec(write("a.tif", {1}, "tile16"), 1, "a"),
            spec(write("b.tif", {2}, "tile32", kGrid, "EPSG:32650", 0.5, 10.0), 1, "b"),
            spec(write("cd.tif", {3, 4}, "strip4"), 1, "c"),
            spec(dir_.string() + "/cd.tif", 2, "d")};
  }

  fs::path dir_;
};

// Decoded value expected for layer index 0..3 of four_layers().
double expected(std::size_t layer_idx, std::int64_t row, std::int64_t col) {
  const int layer = static_cast<int>(layer_idx) + 1;
  const double raw = static_cast<float>(planted(layer, row, col));
  if (raw == kNodata) return std::nan("");
  return layer == 2 ? raw * 0.5 + 10.0 : raw;
}

TEST_F(BlockReaderTest, MissingFileAndMissingBandAreDataErrors) {
  const std::string a = write("a.tif", {1}, "tile16");
  try {
    AlignedRasters({spec((dir_ / "nope.tif").string())});
    FAIL();
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("nope.tif: does not exist"), std::string::npos);
  }
  try {
    AlignedRasters({spec(a, 2)});
    FAIL();
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("no band 2; the file has 1 band"), std::string::npos)
        << error.what();
  }
}

TEST_F(BlockReaderTest, RasterOnAnotherGridIsRefusedNamingBothFilesAndGrids) {
  const std::string a = write("a.tif", {1}, "tile16");
  Grid shifted = kGrid;
  shifted.x_min += 15.0;  // half a cell
  const std::string b = write("b.tif", {2}, "tile16", shifted);
  try {
    AlignedRasters({spec(a), spec(b)});
    FAIL() << "a raster on another grid was accepted";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(b + ": grid " + shifted.describe()), std::string::npos) << message;
    EXPECT_NE(message.find(a + ": grid " + kGrid.describe()), std::string::npos) << message;
  }
}

TEST_F(BlockReaderTest, RasterInAnotherCrsIsRefused) {
  const std::string a = write("a.tif", {1}, "tile16");
  const std::string b = write("b.tif", {2}, "tile16", kGrid, "EPSG:32651");
  try {
    AlignedRasters({spec(a), spec(b)});
    FAIL() << "a raster in another CRS was accepted";
  } catch (const DataError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("50N"), std::string::npos) << message;
    EXPECT_NE(message.find("51N"), std::string::npos) << message;
  }
}

TEST_F(BlockReaderTest, PlanHoldsWholeBlocksOfEveryLayer) {
  const AlignedRasters rasters(four_layers());
  const BlockPlan plan = rasters.plan(BlockPlanOptions{1, 1, 4096});
  // Rows: lcm(16, 32, 4) = 32; columns: the 90-column strips force whole rows.
  EXPECT_EQ(plan.window_rows(), 32);
  EXPECT_EQ(plan.window_cols(), 90);
  for (std::size_t id = 0; id < plan.size(); ++id) {
    const Window w = plan.window(id);
    for (const RasterLayer& layer : rasters.layers()) {
      EXPECT_EQ(w.row0 % layer.block.rows, 0);
      EXPECT_EQ(w.col0 % layer.block.cols, 0);
      const std::int64_t row_end = w.row0 + w.rows, col_end = w.col0 + w.cols;
      EXPECT_TRUE(row_end % layer.block.rows == 0 || row_end == kGrid.rows);
      EXPECT_TRUE(col_end % layer.block.cols == 0 || col_end == kGrid.cols);
    }
  }
}

TEST_F(BlockReaderTest, EveryCellOfEveryLayerIsDecodedOnce) {
  const AlignedRasters rasters(four_layers());
  ASSERT_EQ(rasters.layers()[1].scale, 0.5);
  const BlockPlan plan = rasters.plan(BlockPlanOptions{1, 1, 4096});
  std::vector<int> visits(plan.size(), 0);
  std::vector<int> seen(static_cast<std::size_t>(kGrid.rows * kGrid.cols), 0);
  for_each_block<float>(rasters, plan, 1, [&](const RasterBlock<float>& block, std::size_t) {
    ++visits[block.block_id];
    EXPECT_EQ(block.window, plan.window(block.block_id));
    const Window& w = block.window;
    for (std::int64_t row = w.row0; row < w.row0 + w.rows; ++row)
      for (std::int64_t col = w.col0; col < w.col0 + w.cols; ++col) {
        ++seen[static_cast<std::size_t>(row * kGrid.cols + col)];
        for (std::size_t layer = 0; layer < 4; ++layer) {
          const double want = expected(layer, row, col);
          const float got = block.at(layer, row, col);
          if (std::isnan(want)) {
            ASSERT_TRUE(std::isnan(got)) << layer << " " << row << " " << col;
          } else {
            ASSERT_EQ(got, static_cast<float>(want)) << layer << " " << row << " " << col;
          }
        }
      }
  });
  for (int v : visits)
    EXPECT_EQ(v, 1);
  for (int s : seen)
    ASSERT_EQ(s, 1);
}

TEST_F(BlockReaderTest, OneAndTwoThreadsGiveIdenticalBits) {
  const AlignedRasters rasters(four_layers());
  const BlockPlan plan = rasters.plan(BlockPlanOptions{1, 1, 4096});  // 4 windows of 32 rows
  ASSERT_EQ(plan.size(), 4u);
  auto run = [&](int threads) {
    // Per block: the mean of layer 2 over cells where layer 1 is valid, weighted by layer 3;
    // plain sums merged in block order.
    std::vector<PlainContinuousAccumulator> per_block(plan.size());
    std::atomic<std::size_t> max_worker{0};
    for_each_block(
        rasters, plan, threads, [&](const RasterBlock<double>& block, std::size_t worker) {
          if (worker > max_worker) max_worker = worker;
          const std::size_t n = static_cast<std::size_t>(block.window.cells());
          for (std::size_t idx = 0; idx < n; ++idx) {
            const double x = std::isnan(block.values[0][idx]) ? std::nan("") : block.values[1][idx];
            per_block[block.block_id].add(1.0, block.values[2][idx], x);
          }
        });
    PlainContinuousAccumulator total;
    for (const auto& part : per_block)
      total.merge(part);
    return total.finish();
  };
  const ContinuousStat one = run(1), two = run(2);
  EXPECT_EQ(std::memcmp(&one, &two, sizeof one), 0);
  EXPECT_GT(one.valid_area_m2, 0.0);
  EXPECT_LT(one.valid_area_m2, one.covered_area_m2);  // the nodata cells of layer 1
}

TEST_F(BlockReaderTest, SubsetOfBlocksIsVisitedInTheGivenIds) {
  const AlignedRasters rasters(four_layers());
  const BlockPlan plan = rasters.plan(BlockPlanOptions{1, 1, 4096});
  const std::vector<std::size_t> ids = {3, 1};
  std::vector<int> visits(plan.size(), 0);
  for_each_block(
      rasters, plan, 2,
      [&](const RasterBlock<double>& block, std::size_t) { ++visits[block.block_id]; }, &ids);
  EXPECT_EQ(visits, (std::vector<int>{0, 1, 0, 1}));
  const std::vector<std::size_t> none;
  for_each_block(
      rasters, plan, 2, [&](const RasterBlock<double>&, std::size_t) { FAIL(); }, &none);
}

TEST_F(BlockReaderTest, NaNWithoutNaNNodataIsADataErrorUnlessDeclared) {
  const std::string path = (dir_ / "nan.tif").string();
  {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 4, 3, 1, GDT_Float32, nullptr));
    double gt[6] = {0, 1, 0, 3, 0, -1};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.SetFromUserInput("EPSG:4326");
    ds->SetSpatialRef(&srs);
    std::vector<float> values(12, 1.0f);
    values[6] = std::nanf("");  // row 1, column 2
    ds->GetRasterBand(1)->SetNoDataValue(-1);
    ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 4, 3, values.data(), 4, 3, GDT_Float32,
                                             0, 0, nullptr),
              CE_None);
  }
  const AlignedRasters strict({spec(path)});
  BlockReader reader(strict);
  RasterBlock<double> block;
  try {
    reader.read(strict.grid().full(), block);
    FAIL() << "NaN accepted";
  } catch (const DataError& error) {
    EXPECT_NE(std::string(error.what()).find("NaN at row 1, column 2"), std::string::npos)
        << error.what();
  }
  RasterLayerSpec lenient = spec(path);
  lenient.nan_is_nodata = true;
  const AlignedRasters declared({lenient});
  BlockReader reader2(declared);
  reader2.read(declared.grid().full(), block);
  EXPECT_TRUE(std::isnan(block.at(0, 1, 2)));
  EXPECT_EQ(block.at(0, 1, 1), 1.0);
}

}  // namespace
}  // namespace minecarbon::geo
