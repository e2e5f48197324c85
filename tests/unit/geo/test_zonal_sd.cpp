// The area-weighted sd that zonal_sums gives beside the mean when a zone is squared (Σ c·a·x²):
// on a small geographic raster (cell areas change by row) with planted values, nodata and
// fractional coverages, the one-pass sd equals a two-pass sd computed here from the same cells
// to 1e-12, the mean and valid area do not move by a bit when squares are asked for, and 1 and 2
// threads give the same bits.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/zonal.h"

namespace minecarbon::geo {
namespace {

namespace fs = std::filesystem;

constexpr int kSize = 12;

// The planted value of cell (row, col) in year y (0 or 1); NaN marks nodata.
double planted(int row, int col, int year) {
  if ((row * 7 + col * 3 + year) % 11 == 0) return std::nan("");
  return 250.0 + 40.0 * std::sin(row * 1.3 + col * 0.7 + year) + 3.0 * col - 2.0 * row;
}

class ZonalSd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mc_zonal_sd_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    GDALAllRegister();
    for (int year = 0; year < 2; ++year) {
      const std::string path = (dir_ / ("nep_" + std::to_string(2000 + year) + ".tif")).string();
      const char* options[] = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", nullptr};
      GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
          path.c_str(), kSize, kSize, 1, GDT_Float64, const_cast<char**>(options)));
      double gt[6] = {110.0, 0.01, 0, 40.3, 0, -0.01};
      ds->SetGeoTransform(gt);
      OGRSpatialReference srs;
      srs.importFromEPSG(4326);
      ds->SetSpatialRef(&srs);
      ds->GetRasterBand(1)->SetNoDataValue(-9999);
      std::vector<double> v(kSize * kSize);
      for (int r = 0; r < kSize; ++r)
        for (int c = 0; c < kSize; ++c) {
          const double x = planted(r, c, year);
          v[static_cast<std::size_t>(r * kSize + c)] = std::isnan(x) ? -9999.0 : x;
        }
      ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, kSize, kSize, v.data(), kSize, kSize,
                                               GDT_Float64, 0, 0, nullptr),
                CE_None);
    }
    RasterSeriesSpec spec;
    spec.pattern = (dir_ / "nep_{year}.tif").string();
    spec.first_year = 2000;
    spec.last_year = 2001;
    series_ = open_raster_series(spec);
    // Zone 0: a "mine" block with fractional edges; zone 1: a "ring" frame around it.
    mine_.window = {3, 3, 5, 6};
    mine_.frac.assign(30, 1.0);
    for (int c = 0; c < 6; ++c)
      mine_.frac[static_cast<std::size_t>(c)] = 0.25;
    ring_.window = {0, 0, kSize, kSize};
    ring_.frac.assign(kSize * kSize, 0.0);
    for (int r = 0; r < kSize; ++r)
      for (int c = 0; c < kSize; ++c) {
        const bool inner = r >= 2 && r < 9 && c >= 2 && c < 10;
        ring_.frac[static_cast<std::size_t>(r * kSize + c)] = inner ? 0.0 : (c == 0 ? 0.5 : 1.0);
      }
    area_ = cell_area_by_row_m2(series_.grid, series_.geographic, series_.metres_per_unit);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Two-pass weighted mean and population sd of `zone` in `year`, weights c·a, NaN skipped.
  void two_pass(const Coverage& zone, int year, double& mean, double& sd) const {
    double w_sum = 0, wx = 0;
    for (std::int64_t r = 0; r < zone.window.rows; ++r)
      for (std::int64_t c = 0; c < zone.window.cols; ++c) {
        const double x = planted(static_cast<int>(zone.window.row0 + r),
                                 static_cast<int>(zone.window.col0 + c), year);
        if (std::isnan(x)) continue;
        const double w = zone.frac[static_cast<std::size_t>(r * zone.window.cols + c)] *
                         area_[static_cast<std::size_t>(zone.window.row0 + r)];
        w_sum += w;
        wx += w * x;
      }
    mean = wx / w_sum;
    double ss = 0;
    for (std::int64_t r = 0; r < zone.window.rows; ++r)
      for (std::int64_t c = 0; c < zone.window.cols; ++c) {
        const double x = planted(static_cast<int>(zone.window.row0 + r),
                                 static_cast<int>(zone.window.col0 + c), year);
        if (std::isnan(x)) continue;
        const double w = zone.frac[static_cast<std::size_t>(r * zone.window.cols + c)] *
                         area_[static_cast<std::size_t>(zone.window.row0 + r)];
        ss += w * (x - mean) * (x - mean);
      }
    sd = std::sqrt(ss / w_sum);
  }

  fs::path dir_;
  RasterSeries series_;
  Coverage mine_, ring_;
  std::vector<double> area_;
};

TEST_F(ZonalSd, OnePassSdEqualsTwoPassSdAndMeansKeepTheirBits) {
  RunContext context;
  context.quiet = true;
  const std::vector<const Coverage*> zones = {&mine_, &ring_};
  const ZonalSums plain = zonal_sums(zones, area_, series_, context);
  const ZonalSums squared = zonal_sums(zones, area_, series_, context, {0, 1});
  for (std::size_t zone = 0; zone < 2; ++zone)
    for (std::size_t year = 0; year < 2; ++year) {
      const std::size_t at = zone * 2 + year;
      // The sums of the plain pass, bit for bit.
      EXPECT_EQ(squared.valid_area_m2[at], plain.valid_area_m2[at]);
      EXPECT_EQ(squared.weighted_sum[at], plain.weighted_sum[at]);
    }
  EXPECT_EQ(squared.covered_area_m2, plain.covered_area_m2);
  EXPECT_TRUE(plain.weighted_sq_sum.empty());
  EXPECT_TRUE(std::isnan(plain.sd(1, 0)));
  EXPECT_TRUE(std::isnan(squared.sd(0, 0))) << "zone 0 was not squared";
  for (int year = 0; year < 2; ++year) {
    double mean = 0, sd = 0;
    two_pass(ring_, year, mean, sd);
    EXPECT_NEAR(squared.mean(1, static_cast<std::size_t>(year)), mean, 1e-12 * mean);
    EXPECT_NEAR(squared.sd(1, static_cast<std::size_t>(year)), sd, 1e-12 * sd) << year;
    EXPECT_GT(sd, 10.0);  // a real spread, not a degenerate zero
  }
}

TEST_F(ZonalSd, ThreadCountDoesNotChangeTheBits) {
  RunContext one, two;
  one.quiet = two.quiet = true;
  two.threads = 2;
  const std::vector<const Coverage*> zones = {&mine_, &ring_};
  const ZonalSums a = zonal_sums(zones, area_, series_, one, {1, 1});
  const ZonalSums b = zonal_sums(zones, area_, series_, two, {1, 1});
  EXPECT_EQ(a.weighted_sq_sum, b.weighted_sq_sum);
  EXPECT_EQ(a.weighted_sum, b.weighted_sum);
  double mean = 0, sd = 0;
  two_pass(mine_, 1, mean, sd);
  EXPECT_NEAR(a.sd(0, 1), sd, 1e-12 * sd);
}

TEST(ZonalSdEdges, ConstantZoneHasZeroSdNotNaN) {
  ZonalSums sums;
  sums.n_zones = 1;
  sums.n_years = 1;
  sums.valid_area_m2 = {4.0};
  sums.weighted_sum = {4.0 * 0.1};
  sums.weighted_sq_sum = {4.0 * 0.1 * 0.1};  // rounding may put Σx²/W − mean² below 0
  sums.squared = {1};
  EXPECT_LT(sums.sd(0, 0), 1e-8);
  sums.valid_area_m2 = {0.0};
  EXPECT_TRUE(std::isnan(sums.sd(0, 0)));
}

}  // namespace
}  // namespace minecarbon::geo
