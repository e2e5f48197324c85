// NEP products stored as scaled integers (e.g. Int16 with scale 0.1): the decoded values, from the
// command-line scale/offset or from the band's own metadata, must give the same results as the
// same values stored as floating point.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

constexpr int kSide = 30;

int raw_value(int row, int col, int year) {
  return 2500 + 7 * row - 5 * col + 31 * (year - 2000) + ((row * col) % 13);
}

// kind: "float" stores raw·0.1 − 20 as Float64; "int" stores raw as Int16, optionally with the
// band's scale 0.1 / offset −20 in its metadata.
void write_series(const std::string& dir, const std::string& kind, bool band_metadata) {
  GDALAllRegister();
  std::filesystem::create_directories(dir);
  for (int year = 2000; year <= 2002; ++year) {
    const bool as_float = kind == "float";
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
        (dir + "/nep_" + std::to_string(year) + ".tif").c_str(), kSide, kSide, 1,
        as_float ? GDT_Float64 : GDT_Int16, nullptr));
    double gt[6] = {20.0, 0.004, 0, 40.12, 0, -0.004};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    ds->SetSpatialRef(&srs);
    GDALRasterBand* band = ds->GetRasterBand(1);
    if (band_metadata) {
      band->SetScale(0.1);
      band->SetOffset(-20.0);
    }
    std::vector<double> values(kSide * kSide);
    for (int r = 0; r < kSide; ++r)
      for (int c = 0; c < kSide; ++c)
        values[r * kSide + c] =
            as_float ? raw_value(r, c, year) * 0.1 - 20.0 : raw_value(r, c, year);
    (void)band->RasterIO(GF_Write, 0, 0, kSide, kSide, values.data(), kSide, kSide, GDT_Float64, 0,
                         0, nullptr);
  }
}

void write_mines(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  OGRLayer* layer = ds->CreateLayer("mines", &srs, wkbPolygon, nullptr);
  OGRFeature feature(layer->GetLayerDefn());
  OGRGeometry* geometry = nullptr;
  OGRGeometryFactory::createFromWkt(
      "POLYGON((20.041 40.061,20.063 40.058,20.067 40.079,20.045 40.083,20.041 40.061))", nullptr,
      &geometry);
  feature.SetGeometryDirectly(geometry);
  (void)layer->CreateFeature(&feature);
}

std::string run_damage(const TempDir& dir, const std::string& series, const std::string& extra) {
  const std::string out = dir.str("out_" + series);
  CliRun run = run_cli("--quiet damage --mines " + dir.str("mines.gpkg") + " --nep '" +
                       dir.str(series) + "/nep_{year}.tif' --years 2000-2002 --min-area-km2 0 " +
                       "--ring-outer-m 3000 --ring-gap-m 300 --out " + out + " " + extra);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return slurp(out + "/tables/mine_year.csv");
}

TEST(DamageOnScaledIntegers, FlagsAndBandMetadataDecodeLikeFloats) {
  TempDir dir("scaled");
  write_mines(dir.str("mines.gpkg"));
  write_series(dir.str("float"), "float", false);
  write_series(dir.str("int_plain"), "int", false);
  write_series(dir.str("int_meta"), "int", true);
  const std::string floats = run_damage(dir, "float", "");
  ASSERT_NE(floats.find("\n1,2000,"), std::string::npos) << floats;  // GeoPackage FIDs start at 1
  EXPECT_EQ(run_damage(dir, "int_plain", "--nep-scale 0.1 --nep-offset -20"), floats);
  EXPECT_EQ(run_damage(dir, "int_meta", ""), floats);
  // Without the decoding the values are the raw integers: the tables must differ.
  EXPECT_NE(run_damage(dir, "int_plain", ""), floats);
}

}  // namespace
}  // namespace minecarbon::e2e
