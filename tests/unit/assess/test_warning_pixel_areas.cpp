// Per-mine area and share of the per-pixel alert levels (assess/warning/pixel_alert_areas.h) on a
// planted alert raster whose answer is known by hand:
//   30 × 20 cells of 10 m × 10 m (100 m²) in UTM 50N, tiled 16 × 16 (mines cross tiles);
//   alert code by column: 0–9 none (0), 10–14 watch (1), 15–19 warning (2), 20–24 alarm (3),
//   25–29 no data (255).
//   mine A: cols 5–22.5 × rows 2–12 (a half column of alarm), with a 2 × 2-cell hole in "none";
//   mine B: cols 23–28 × rows 0–4 (alarm and no data);
//   mine C: off the raster.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "landuse_fixture.h"
#include "minecarbon/assess/warning/pixel_alert_areas.h"

namespace minecarbon::assess::warning {
namespace {

constexpr double kX0 = 500000.0, kY0 = 4400000.0, kCell = 10.0;
constexpr int kCols = 30, kRows = 20;

std::string utm50n_wkt() {
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  std::string out = wkt;
  CPLFree(wkt);
  return out;
}

void write_alert_raster(const std::string& path) {
  GDALAllRegister();
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", nullptr};
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), kCols, kRows, 1, GDT_Byte, const_cast<char**>(options)));
  double gt[6] = {kX0, kCell, 0, kY0, 0, -kCell};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  ds->SetSpatialRef(&srs);
  std::vector<std::uint8_t> code(static_cast<std::size_t>(kCols) * kRows);
  for (int row = 0; row < kRows; ++row)
    for (int col = 0; col < kCols; ++col)
      code[static_cast<std::size_t>(row) * kCols + col] = col < 10   ? 0
                                                          : col < 15 ? 1
                                                          : col < 20 ? 2
                                                          : col < 25 ? 3
                                                                     : 255;
  GDALRasterBand* band = ds->GetRasterBand(1);
  band->SetNoDataValue(255);
  ASSERT_EQ(band->RasterIO(GF_Write, 0, 0, kCols, kRows, code.data(), kCols, kRows, GDT_Byte, 0, 0,
                           nullptr),
            CE_None);
}

// Rectangle over columns [c0, c1) and rows [r0, r1) of the grid (fractions allowed).
geo::Ring cells(double c0, double c1, double r0, double r1) {
  const double x0 = kX0 + c0 * kCell, x1 = kX0 + c1 * kCell;
  const double y0 = kY0 - r1 * kCell, y1 = kY0 - r0 * kCell;
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

geo::PolygonLayer planted_mines() {
  geo::PolygonLayer layer;
  layer.path = "planted_mines";
  layer.crs_wkt = utm50n_wkt();
  geo::Polygon a{cells(5, 22.5, 2, 12), {cells(6, 8, 3, 5)}};
  std::reverse(a.holes[0].begin(), a.holes[0].end());
  layer.features.push_back({"A", {a}, {}});
  layer.features.push_back({"B", {geo::Polygon{cells(23, 28, 0, 4), {}}}, {}});
  layer.features.push_back({"C", {geo::Polygon{cells(1000, 1010, 0, 4), {}}}, {}});
  return layer;
}

class PixelAlertAreasTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir("pixel_alert_areas");
    write_alert_raster(dir_->file("alert_level.tif"));
  }
  static void TearDownTestSuite() { delete dir_; }
  static test::ScratchDir* dir_;
  const std::vector<std::string> levels_{"watch", "warning", "alarm"};
};
test::ScratchDir* PixelAlertAreasTest::dir_ = nullptr;

TEST_F(PixelAlertAreasTest, AreasAndSharesEqualThePlantedAnswer) {
  const PixelAlertAreas areas =
      pixel_alert_areas(dir_->file("alert_level.tif"), planted_mines(), levels_, 64, 1);
  ASSERT_EQ(areas.levels, (std::vector<std::string>{"none", "watch", "warning", "alarm"}));
  ASSERT_EQ(areas.mine_ids, (std::vector<std::string>{"A", "B", "C"}));
  // A: 10 rows; none 5 columns minus the 4-cell hole, watch 5, warning 5, alarm 2.5 columns.
  const geo::CategoricalAreas& a = areas.areas[0];
  EXPECT_NEAR(a.area_m2[0], (50 - 4) * 100.0, 1e-6);
  EXPECT_NEAR(a.area_m2[1], 50 * 100.0, 1e-6);
  EXPECT_NEAR(a.area_m2[2], 50 * 100.0, 1e-6);
  EXPECT_NEAR(a.area_m2[3], 25 * 100.0, 1e-6);
  EXPECT_NEAR(a.valid_area_m2, 17100.0, 1e-6);
  EXPECT_NEAR(a.covered_area_m2, 17100.0, 1e-6);
  // B: 4 rows; alarm columns 23–24, no data 25–27.
  const geo::CategoricalAreas& b = areas.areas[1];
  EXPECT_NEAR(b.area_m2[0] + b.area_m2[1] + b.area_m2[2], 0.0, 1e-9);
  EXPECT_NEAR(b.area_m2[3], 800.0, 1e-6);
  EXPECT_NEAR(b.valid_area_m2, 800.0, 1e-6);
  EXPECT_NEAR(b.covered_area_m2, 2000.0, 1e-6);
  EXPECT_EQ(areas.areas[2].covered_area_m2, 0.0);

  const Table t = pixel_alert_area_table(areas);
  auto col = [&](const std::string& name) {
    const Column* c = t.find(name);
    EXPECT_NE(c, nullptr) << name;
    return c ? std::get<std::vector<double>>(c->data) : std::vector<double>(3, -1.0);
  };
  EXPECT_NEAR(col("pixel_none_share")[0], 4600.0 / 17100.0, 1e-12);
  EXPECT_NEAR(col("pixel_watch_share")[0], 5000.0 / 17100.0, 1e-12);
  EXPECT_NEAR(col("pixel_alarm_share")[0], 2500.0 / 17100.0, 1e-12);
  EXPECT_NEAR(col("pixel_alarm_area_m2")[1], 800.0, 1e-6);
  EXPECT_NEAR(col("pixel_alarm_share")[1], 1.0, 1e-12);
  EXPECT_NEAR(col("nodata_area_m2")[1], 1200.0, 1e-6);
  EXPECT_TRUE(std::isnan(col("pixel_alarm_share")[2]));  // C has no valid cell
  double sum = 0;
  for (const char* level : {"none", "watch", "warning", "alarm"})
    sum += col(std::string("pixel_") + level + "_share")[0];
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST_F(PixelAlertAreasTest, SameBitsForOneAndTwoThreads) {
  const PixelAlertAreas one =
      pixel_alert_areas(dir_->file("alert_level.tif"), planted_mines(), levels_, 64, 1);
  const PixelAlertAreas two =
      pixel_alert_areas(dir_->file("alert_level.tif"), planted_mines(), levels_, 64, 2);
  for (std::size_t m = 0; m < one.areas.size(); ++m) {
    EXPECT_EQ(one.areas[m].covered_area_m2, two.areas[m].covered_area_m2);
    EXPECT_EQ(one.areas[m].valid_area_m2, two.areas[m].valid_area_m2);
    EXPECT_EQ(one.areas[m].area_m2, two.areas[m].area_m2);
  }
}

}  // namespace
}  // namespace minecarbon::assess::warning
