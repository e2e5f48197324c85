// `minecarbon warning` per pixel end to end: a 260 × 24 Int16 16-day NDVI stack (2005–2009,
// 115 bands, scale 1e-4, cloud gaps; pixel_stack_fixture.h) with a planted drop of 0.25 from
// 2008.8 in a large patch straddling the two 256-column windows and in a 2-pixel patch.
// Checks: 1 and 2 threads write byte-identical rasters; the sieve (min_alert_pixels = 4)
// removes the small patch and keeps the large one; the rasters hold the planted break; and bad
// inputs stop with exit 2 or 3 naming the file, band or rule.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "../unit/assess/pixel_stack_fixture.h"
#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

constexpr int kRows = 24, kCols = 260;
constexpr double kDropTime = 2008.8;

testing::PixelStack planted_stack() {
  testing::PixelStackSpec spec;
  spec.rows = kRows;
  spec.cols = kCols;
  spec.first_year = 2005;
  spec.years = 5;
  spec.drop_time = kDropTime;
  spec.row0 = 4, spec.row1 = 14, spec.col0 = 248, spec.col1 = 259;   // large, across windows
  spec.row2 = 19, spec.row3 = 21, spec.col2 = 100, spec.col3 = 101;  // 2 pixels
  return testing::make_pixel_stack(spec);
}

void set_georeference(GDALDataset& ds) {
  double gt[6] = {500000.0, 30.0, 0, 4400000.0, 0, -30.0};
  ds.SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  ds.SetSpatialRef(&srs);
}

// Bands [first, first + count) of the stack as Int16 NDVI × 10000, nodata −32768, tiled 32.
void write_stack(const std::string& path, const testing::PixelStack& s, std::size_t first,
                 std::size_t count) {
  GDALAllRegister();
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=32", nullptr};
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), kCols, kRows, static_cast<int>(count), GDT_Int16, const_cast<char**>(options)));
  set_georeference(*ds);
  std::vector<std::int16_t> raw(s.pixels());
  for (std::size_t b = 0; b < count; ++b) {
    for (std::size_t px = 0; px < s.pixels(); ++px) {
      const double v = s.at(first + b, px);
      raw[px] = std::isnan(v) ? std::int16_t{-32768}
                              : static_cast<std::int16_t>(std::lround(v * 10000.0));
    }
    GDALRasterBand* band = ds->GetRasterBand(static_cast<int>(b) + 1);
    band->SetNoDataValue(-32768);
    band->SetScale(1e-4);
    (void)band->RasterIO(GF_Write, 0, 0, kCols, kRows, raw.data(), kCols, kRows, GDT_Int16, 0, 0,
                         nullptr);
  }
}

std::vector<double> read_band(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  if (!ds) return {};
  std::vector<double> values(static_cast<std::size_t>(kRows) * kCols);
  (void)ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, kCols, kRows, values.data(), kCols, kRows,
                                       GDT_Float64, 0, 0, nullptr);
  return values;
}

const char* kRasters[] = {"break_time.tif", "magnitude.tif",    "history_start.tif", "mk_z.tif",
                          "sen_slope.tif",  "pettitt_time.tif", "alert_level.tif"};

class WarningPixelE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("warning_pixel");
    stack_ = new testing::PixelStack(planted_stack());
    write_stack(dir_->str("ndvi_stack.tif"), *stack_, 0, stack_->time_yr.size());
  }
  static void TearDownTestSuite() {
    delete stack_;
    delete dir_;
  }
  static std::string stack_args(const std::string& global = "") {
    return "--quiet " + global + " warning --stack " + dir_->str("ndvi_stack.tif") +
           " --start 2005 --frequency 23 --monitor-start 2008";
  }
  static TempDir* dir_;
  static testing::PixelStack* stack_;
};
TempDir* WarningPixelE2E::dir_ = nullptr;
testing::PixelStack* WarningPixelE2E::stack_ = nullptr;

TEST_F(WarningPixelE2E, OneAndTwoThreadsWriteIdenticalRasters) {
  const CliRun one = run_cli(stack_args("--threads 1") + " --out " + dir_->str("t1"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const CliRun two = run_cli(stack_args("--threads 2") + " --out " + dir_->str("t2"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  for (const char* raster : kRasters) {
    const std::string a = slurp(dir_->path() / "t1" / raster);
    ASSERT_FALSE(a.empty()) << raster;
    EXPECT_EQ(a, slurp(dir_->path() / "t2" / raster)) << raster;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_->path() / "t1" / "tmp_warning_pixel"));
  const std::string summary = slurp(dir_->path() / "t1" / "summary.json");
  EXPECT_NE(summary.find("\"pixels\": 6240"), std::string::npos) << summary;
}

TEST_F(WarningPixelE2E, SieveRemovesTheSmallPatchAndKeepsTheLargeOne) {
  const CliRun sieved = run_cli(stack_args() + " --out " + dir_->str("sieved"));
  ASSERT_EQ(sieved.exit_code, 0) << sieved.err;
  const CliRun raw = run_cli(stack_args() + " --min-alert-pixels 1 --out " + dir_->str("raw"));
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  const std::vector<double> kept = read_band(dir_->str("sieved/alert_level.tif"));
  const std::vector<double> all = read_band(dir_->str("raw/alert_level.tif"));
  const std::vector<double> brk = read_band(dir_->str("raw/break_time.tif"));
  const std::vector<double> mag = read_band(dir_->str("raw/magnitude.tif"));
  ASSERT_EQ(kept.size(), stack_->pixels());
  int large = 0, large_kept = 0, early = 0, disturbed = 0;
  for (std::size_t px = 0; px < stack_->pixels(); ++px) {
    if (!stack_->disturbed[px]) continue;
    const int col = static_cast<int>(px % kCols);
    EXPECT_GE(all[px], 2.0) << "pixel " << px;  // at least "warning" before the sieve
    ++disturbed;
    EXPECT_GE(brk[px], 2008.0) << px;      // in the monitoring period
    early += brk[px] < kDropTime ? 1 : 0;  // noise crossed the boundary before the drop
    EXPECT_LT(mag[px], -0.15) << px;
    if (col == 100) {
      EXPECT_EQ(kept[px], 0.0) << "small patch pixel " << px << " survived the sieve";
    } else {
      ++large;
      large_kept += kept[px] == all[px] ? 1 : 0;
    }
  }
  EXPECT_EQ(large, 110);
  EXPECT_LE(early, disturbed / 10);
  EXPECT_EQ(large_kept, large);
}

// Per mine: two cell-aligned mines (one over the large disturbed patch and across the two
// windows, one elsewhere); each level's area in tables/warning_pixel_mine.csv is the count of
// that level's cells of alert_level.tif inside the mine × 900 m², the shares sum to 1.
TEST_F(WarningPixelE2E, PerMineAreaByLevelIsTheCellCountOfTheAlertRaster) {
  struct Box {
    const char* id;
    int row0, row1, col0, col1;
  };
  const Box boxes[] = {{"M1", 2, 16, 230, 260}, {"M2", 0, 24, 10, 60}};
  std::ofstream geojson(dir_->str("mines.geojson"));
  geojson << "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
             "{\"name\": \"urn:ogc:def:crs:EPSG::32650\"}}, \"features\": [";
  for (std::size_t m = 0; m < 2; ++m) {
    const Box& b = boxes[m];
    const double x0 = 500000.0 + 30.0 * b.col0, x1 = 500000.0 + 30.0 * b.col1;
    const double y1 = 4400000.0 - 30.0 * b.row0, y0 = 4400000.0 - 30.0 * b.row1;
    geojson << (m ? ", " : "") << "{\"type\": \"Feature\", \"properties\": {\"mine_id\": \"" << b.id
            << "\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[" << std::fixed << x0
            << ", " << y0 << "], [" << x1 << ", " << y0 << "], [" << x1 << ", " << y1 << "], ["
            << x0 << ", " << y1 << "], [" << x0 << ", " << y0 << "]]]}}";
  }
  geojson << "]}\n";
  geojson.close();
  const CliRun run = run_cli(stack_args() + " --mines " + dir_->str("mines.geojson") +
                             " --id-field mine_id --out " + dir_->str("mines_out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<double> level = read_band(dir_->str("mines_out/alert_level.tif"));
  const CsvText table = read_csv_file(dir_->str("mines_out/tables/warning_pixel_mine.csv"));
  ASSERT_EQ(table.rows.size(), 2u);
  const char* names[] = {"none", "watch", "warning", "alarm"};
  for (std::size_t m = 0; m < 2; ++m) {
    const Box& b = boxes[m];
    EXPECT_EQ(table.rows[m][table.column("mine_id")], b.id);
    double count[4] = {0, 0, 0, 0}, nodata = 0;
    for (int row = b.row0; row < b.row1; ++row)
      for (int col = b.col0; col < b.col1; ++col) {
        const double code = level[static_cast<std::size_t>(row) * kCols + col];
        if (code >= 0 && code <= 3)
          ++count[static_cast<int>(code)];
        else
          ++nodata;
      }
    const double valid = count[0] + count[1] + count[2] + count[3];
    EXPECT_NEAR(table.number(m, table.column("covered_area_m2")),
                900.0 * (b.row1 - b.row0) * (b.col1 - b.col0), 1e-6);
    EXPECT_NEAR(table.number(m, table.column("nodata_area_m2")), 900.0 * nodata, 1e-6);
    double shares = 0;
    for (int l = 0; l < 4; ++l) {
      const std::string name = std::string("pixel_") + names[l];
      EXPECT_NEAR(table.number(m, table.column(name + "_area_m2")), 900.0 * count[l], 1e-6)
          << b.id << " " << name;
      shares += table.number(m, table.column(name + "_share"));
      EXPECT_NEAR(table.number(m, table.column(name + "_share")), count[l] / valid, 1e-12);
    }
    EXPECT_NEAR(shares, 1.0, 1e-12);
  }
  // M1 holds the large disturbed patch: alert pixels; the layer is in results.gpkg.
  EXPECT_GT(table.number(0, table.column("pixel_alarm_area_m2")) +
                table.number(0, table.column("pixel_warning_area_m2")),
            0.0);
  EXPECT_TRUE(std::filesystem::exists(dir_->str("mines_out/results.gpkg")));
}

TEST_F(WarningPixelE2E, BandCountOtherThanTimesIsExit3NamingTheFile) {
  const CliRun run = run_cli("--quiet warning --stack " + dir_->str("ndvi_stack.tif") +
                             " --times 2005,2005.5,2006 --out " + dir_->str("bad1"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("ndvi_stack.tif has 115 band(s)"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("3 time(s)"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_->path() / "bad1" / "alert_level.tif"));
}

TEST_F(WarningPixelE2E, StackWithoutTimesIsExit2) {
  const CliRun run = run_cli("--quiet warning --stack " + dir_->str("ndvi_stack.tif") + " --out " +
                             dir_->str("bad2"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("times"), std::string::npos) << run.err;
}

TEST_F(WarningPixelE2E, MissingYearOfThePatternIsExit3NamingTheFile) {
  const testing::PixelStack& s = *stack_;
  for (int year = 2005; year <= 2008; ++year)  // one band per year: the year's first date
    write_stack(dir_->str("annual_" + std::to_string(year) + ".tif"), s,
                static_cast<std::size_t>((year - 2005) * 23), 1);
  const CliRun run = run_cli("--quiet warning --raster " + dir_->str("annual_{year}.tif") +
                             " --pixel-years 2005-2009 --frequency 1 --pixel-model trend "
                             "--out " +
                             dir_->str("bad3"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("annual_2009.tif does not exist"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("year 2009"), std::string::npos) << run.err;
}

TEST_F(WarningPixelE2E, PixelRuleNamingAPerSeriesStatisticIsExit2NamingTheRule) {
  const std::string rules = dir_->str("pixel_rules.toml");
  std::ofstream(rules) << "[warning]\nlevels = [\"watch\", \"alarm\"]\n\n"
                          "[[warning.pixel_rule]]\nlevel = \"watch\"\nwhen = \"mk_z < 0\"\n\n"
                          "[[warning.pixel_rule]]\nlevel = \"alarm\"\n"
                          "when = \"ets_damped_hi80_min < 0\"\n";
  const CliRun run = run_cli(stack_args() + " --rules " + rules + " --out " + dir_->str("bad4"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("pixel_rules.toml:10"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("rule 2"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'ets_damped_hi80_min' is not computed per pixel"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace minecarbon::e2e
