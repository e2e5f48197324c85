// Off-grid inputs read through a warped VRT onto the reference grid: the values are GDAL's own
// (a gdalwarp of the same file to a GeoTIFF, made here through the GDAL API), `near` by hand,
// another CRS, one VRT per (file, resampling) recorded for the summary, the VRT gone with the
// last AlignedRasters; and GDAL_NUM_THREADS = 1 while the block workers run.
#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/block_reader.h"

namespace minecarbon::geo {
namespace {

namespace fs = std::filesystem;

// Reference: 24 rows × 32 cols of 10 m, tiles of 16. Coarse: 6 × 8 cells of 40 m over the same
// extent (and one cell beyond it on the right, so edges are interpolated from real data).
const Grid kFine{500000.0, 4100000.0, 10.0, 10.0, 24, 32};
const Grid kCoarse{500000.0, 4100000.0, 40.0, 40.0, 6, 9};
constexpr double kCoarseNodata = -9999.0;

double coarse_value(std::int64_t row, std::int64_t col) {
  if (row == 2 && col == 5) return kCoarseNodata;
  return 10.0 * static_cast<double>(row) + static_cast<double>(col) +
         0.5 * static_cast<double>(row * col);
}

RasterLayerSpec spec(const std::string& path) {
  RasterLayerSpec layer;
  layer.path = path;
  return layer;
}

// Whole class codes for `near`.
double class_value(std::int64_t row, std::int64_t col) {
  if (row == 2 && col == 5) return kCoarseNodata;
  return static_cast<double>(10 * row + col);
}

class GridWarpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_grid_warp_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const Grid& grid, GDALDataType type, const char* crs,
                    double (*value)(std::int64_t, std::int64_t), bool nodata = true) {
    const std::string path = (dir_ / name).string();
    const char* options[] = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", nullptr};
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), static_cast<int>(grid.cols),
                                           static_cast<int>(grid.rows), 1, type,
                                           const_cast<char**>(options)));
    double gt[6] = {grid.x_min, grid.dx, 0, grid.y_max, 0, -grid.dy};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.SetFromUserInput(crs);
    ds->SetSpatialRef(&srs);
    if (nodata) ds->GetRasterBand(1)->SetNoDataValue(kCoarseNodata);
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

  std::string reference() {
    return write("reference.tif", kFine, GDT_Float32, "EPSG:32650",
                 [](std::int64_t row, std::int64_t col) { return double(row * 100 + col); });
  }

  // gdalwarp of `path` onto kFine written to a GeoTIFF through the GDAL API, read back.
  std::vector<double> gdalwarp_values(const std::string& path, const std::string& resampling) {
    const std::string out = (dir_ / ("gdalwarp_" + resampling + ".tif")).string();
    OGRSpatialReference srs;
    srs.SetFromUserInput("EPSG:32650");
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    std::vector<std::string> args = {"-of",
                                     "GTiff",
                                     "-r",
                                     resampling,
                                     "-t_srs",
                                     wkt,
                                     "-te",
                                     format_number(kFine.x_min),
                                     format_number(kFine.y_min()),
                                     format_number(kFine.x_max()),
                                     format_number(kFine.y_max),
                                     "-ts",
                                     std::to_string(kFine.cols),
                                     std::to_string(kFine.rows),
                                     "-ot",
                                     "Float64",
                                     "-dstnodata",
                                     "nan",
                                     "-et",
                                     "0"};
    CPLFree(wkt);
    std::vector<char*> argv;
    for (auto& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
    GDALDatasetUniquePtr source(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
    GDALDatasetH handle = GDALDataset::ToHandle(source.get());
    GDALDatasetH warped = GDALWarp(out.c_str(), nullptr, 1, &handle, options, nullptr);
    GDALWarpAppOptionsFree(options);
    EXPECT_NE(warped, nullptr);
    std::vector<double> values(static_cast<std::size_t>(kFine.rows * kFine.cols));
    EXPECT_EQ(
        GDALRasterIO(GDALGetRasterBand(warped, 1), GF_Read, 0, 0, static_cast<int>(kFine.cols),
                     static_cast<int>(kFine.rows), values.data(), static_cast<int>(kFine.cols),
                     static_cast<int>(kFine.rows), GDT_Float64, 0, 0),
        CE_None);
    GDALClose(warped);
    return values;
  }

  // Every cell of layer `layer_idx`, read block by block on `threads` workers.
  static std::vector<double> read_all(const AlignedRasters& rasters, std::size_t layer_idx,
                                      int threads = 2) {
    const Grid& grid = rasters.grid();
    std::vector<double> out(static_cast<std::size_t>(grid.rows * grid.cols));
    const BlockPlan plan = rasters.plan(BlockPlanOptions{1, 1, 4096});
    for_each_block(rasters, plan, threads, [&](const RasterBlock<double>& block, std::size_t) {
      for (std::int64_t row = 0; row < block.window.rows; ++row)
        for (std::int64_t col = 0; col < block.window.cols; ++col)
          out[static_cast<std::size_t>((block.window.row0 + row) * grid.cols + block.window.col0 +
                                       col)] =
              block.at(layer_idx, block.window.row0 + row, block.window.col0 + col);
    });
    return out;
  }

  fs::path dir_;
};

void expect_same_cells(const std::vector<double>& got, const std::vector<double>& expected) {
  ASSERT_EQ(got.size(), expected.size());
  std::size_t finite = 0;
  for (std::size_t idx = 0; idx < got.size(); ++idx) {
    if (std::isnan(expected[idx])) {
      EXPECT_TRUE(std::isnan(got[idx])) << "cell " << idx;
    } else {
      ++finite;
      EXPECT_EQ(got[idx], expected[idx]) << "cell " << idx;
    }
  }
  EXPECT_GT(finite, got.size() / 2);
}

TEST_F(GridWarpTest, OffGridWithoutOptionsIsStillADataError) {
  const std::string ref = reference();
  const std::string coarse = write("coarse.tif", kCoarse, GDT_Float32, "EPSG:32650", coarse_value);
  EXPECT_THROW(AlignedRasters({spec(ref), spec(coarse)}), DataError);
  AlignOptions no_warp;
  no_warp.warp_off_grid = false;
  EXPECT_THROW(AlignedRasters({spec(ref), spec(coarse)}, no_warp), DataError);
}

TEST_F(GridWarpTest, UnknownResamplingIsAConfigError) {
  const std::string ref = reference();
  const std::string coarse = write("coarse.tif", kCoarse, GDT_Float32, "EPSG:32650", coarse_value);
  RasterLayerSpec layer = spec(coarse);
  layer.resampling = "bicubic";
  try {
    AlignedRasters({spec(ref), layer}, AlignOptions{});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'bicubic': unknown resampling"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("cubicspline"), std::string::npos);
  }
}

TEST_F(GridWarpTest, NearByHand) {
  // Each 10 m cell lies inside one 40 m cell: near gives that cell's value; its nodata → NaN.
  const std::string ref = reference();
  const std::string coarse = write("coarse.tif", kCoarse, GDT_Int16, "EPSG:32650", class_value);
  RasterLayerSpec layer = spec(coarse);
  layer.resampling = "near";
  const AlignedRasters rasters({spec(ref), layer}, AlignOptions{});
  EXPECT_TRUE(rasters.layers()[1].warped);
  EXPECT_TRUE(rasters.layers()[1].int32_exact);  // near with nodata keeps the integer type
  const std::vector<double> got = read_all(rasters, 1);
  for (std::int64_t row = 0; row < kFine.rows; ++row) {
    for (std::int64_t col = 0; col < kFine.cols; ++col) {
      const double expected = class_value(row / 4, col / 4);
      const double value = got[static_cast<std::size_t>(row * kFine.cols + col)];
      if (expected == kCoarseNodata) {
        EXPECT_TRUE(std::isnan(value)) << row << "," << col;
      } else {
        EXPECT_EQ(value, expected) << row << "," << col;
      }
    }
  }
  // The reference layer is read as it is.
  EXPECT_EQ(read_all(rasters, 0)[5 * 32 + 7], 507.0);
}

TEST_F(GridWarpTest, BilinearEqualsGdalwarp) {
  const std::string ref = reference();
  const std::string coarse = write("coarse.tif", kCoarse, GDT_Float32, "EPSG:32650", coarse_value);
  const AlignedRasters rasters({spec(ref), spec(coarse)}, AlignOptions{});
  const std::vector<double> got = read_all(rasters, 1);
  expect_same_cells(got, gdalwarp_values(coarse, "bilinear"));
  // By hand away from nodata: fine cell (row 13, col 9) has its centre at 95 m east and 135 m
  // south of the corner, i.e. at coarse (column, row) coordinates (2.375, 3.375): between coarse
  // centres 1.5..2.5 and 2.5..3.5 → weights 0.875/0.125 in each direction.
  const double tx = 0.875, ty = 0.875;  // towards column 2 and row 3
  const double v = (1 - ty) * ((1 - tx) * coarse_value(2, 1) + tx * coarse_value(2, 2)) +
                   ty * ((1 - tx) * coarse_value(3, 1) + tx * coarse_value(3, 2));
  EXPECT_NEAR(got[13 * 32 + 9], v, 1e-5);
  // One threads count or two: the same bits.
  const std::vector<double> one = read_all(rasters, 1, 1);
  for (std::size_t idx = 0; idx < got.size(); ++idx)
    EXPECT_TRUE(one[idx] == got[idx] || (std::isnan(one[idx]) && std::isnan(got[idx])));
}

TEST_F(GridWarpTest, CubicAndAverageEqualGdalwarp) {
  const std::string ref = reference();
  const std::string coarse = write("coarse.tif", kCoarse, GDT_Float32, "EPSG:32650", coarse_value);
  for (const std::string resampling : {"cubic", "average"}) {
    RasterLayerSpec layer = spec(coarse);
    layer.resampling = resampling;
    const AlignedRasters rasters({spec(ref), layer}, AlignOptions{});
    expect_same_cells(read_all(rasters, 1), gdalwarp_values(coarse, resampling));
  }
}

TEST_F(GridWarpTest, AnotherCrsEqualsGdalwarp) {
  // The coarse raster in lon/lat (0.001° cells) around the reference: reprojected by the warp.
  const Grid geographic{116.99, 37.05, 0.001, 0.001, 20, 30};
  const std::string ref = reference();
  const std::string lonlat = write(
      "lonlat.tif", geographic, GDT_Float32, "EPSG:4326",
      [](std::int64_t row, std::int64_t col) { return 0.25 * double(row) - 0.125 * double(col); },
      false);
  // Sanity: the reference lies inside the geographic raster (UTM 50N, 500 km E = 117° E).
  const AlignedRasters rasters({spec(ref), spec(lonlat)}, AlignOptions{});
  ASSERT_EQ(rasters.warped().size(), 1u);
  EXPECT_NE(rasters.warped()[0].source_crs.find("WGS 84"), std::string::npos);
  expect_same_cells(read_all(rasters, 1), gdalwarp_values(lonlat, "bilinear"));
}

TEST_F(GridWarpTest, OneVrtPerFileAndResamplingRecorded) {
  const std::string ref = reference();
  const std::string coarse = write("coarse.tif", kCoarse, GDT_Float32, "EPSG:32650", coarse_value);
  RasterLayerSpec near = spec(coarse);
  near.resampling = "near";
  RasterLayerSpec again = spec(coarse);  // the same file and kernel again: the same VRT
  std::string vrt_path;
  {
    const AlignedRasters rasters({spec(ref), spec(coarse), near, again}, AlignOptions{});
    ASSERT_EQ(rasters.warped().size(), 2u);
    EXPECT_EQ(rasters.warped()[0].resampling, Resampling::bilinear);
    EXPECT_EQ(rasters.warped()[1].resampling, Resampling::near);
    EXPECT_EQ(rasters.layers()[1].source(), rasters.layers()[3].source());
    EXPECT_NE(rasters.layers()[1].source(), rasters.layers()[2].source());
    EXPECT_EQ(rasters.warped()[0].bands, std::vector<int>{1});
    EXPECT_TRUE(rasters.warped()[0].source_grid.same_as(kCoarse));
    EXPECT_TRUE(rasters.warped()[0].target_grid.same_as(kFine));
    const nlohmann::json json = rasters.warped_json();
    ASSERT_EQ(json.size(), 2u);
    EXPECT_EQ(json[0]["resampling"], "bilinear");
    EXPECT_EQ(json[1]["resampling"], "near");
    EXPECT_EQ(json[0]["source_grid"]["cols"], 9);
    EXPECT_EQ(json[0]["path"], coarse);
    // The VRT's blocks are the reference's tiles: the plan is the reference's.
    EXPECT_EQ(rasters.layers()[1].block.rows, 16);
    EXPECT_EQ(rasters.layers()[1].block.cols, 16);
    const AlignedRasters copy = rasters;  // copies share the VRT
    vrt_path = rasters.warped()[0].vrt_path;
    VSIStatBufL stat;
    EXPECT_EQ(VSIStatL(vrt_path.c_str(), &stat), 0);
  }
  VSIStatBufL stat;
  EXPECT_NE(VSIStatL(vrt_path.c_str(), &stat), 0);  // removed with the last copy
}

TEST_F(GridWarpTest, GdalNumThreadsIsOneWhileWorkersRun) {
  const std::string ref = reference();
  const AlignedRasters rasters({spec(ref)});
  CPLSetConfigOption("GDAL_NUM_THREADS", "ALL_CPUS");
  std::mutex mutex;
  std::set<std::string> seen;
  for_each_block(rasters, rasters.plan(BlockPlanOptions{1, 1, 4096}), 2,
                 [&](const RasterBlock<double>&, std::size_t) {
                   const char* value = CPLGetConfigOption("GDAL_NUM_THREADS", "unset");
                   std::lock_guard<std::mutex> lock(mutex);
                   seen.insert(value);
                 });
  EXPECT_EQ(seen, std::set<std::string>{"1"});
  EXPECT_STREQ(CPLGetConfigOption("GDAL_NUM_THREADS", "unset"), "ALL_CPUS");
  CPLSetConfigOption("GDAL_NUM_THREADS", nullptr);
  {
    const GdalPassScope scope(std::int64_t{24} << 20);
    EXPECT_EQ(GDALGetCacheMax64(), std::int64_t{24} << 20);
    EXPECT_STREQ(CPLGetConfigOption("GDAL_NUM_THREADS", "unset"), "1");
  }
  EXPECT_STREQ(CPLGetConfigOption("GDAL_NUM_THREADS", "unset"), "unset");
}

}  // namespace
}  // namespace minecarbon::geo
