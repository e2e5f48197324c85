// Bad input: every case ends with a message naming what and where, the documented exit code
// (2 usage/config, 3 input data), and no output folder left behind.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <cmath>
#include <vector>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

struct Feature {
  std::string id;
  std::string wkt;
};

// A small world near 45°N: 40 × 40 cells of 0.005°, values 300 except `nan_cell`.
void write_raster(const std::string& path, double x_min = 10.0, bool with_crs = true,
                  bool nan_cell = false) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), 40, 40, 1, GDT_Float32, nullptr));
  double gt[6] = {x_min, 0.005, 0, 45.2, 0, -0.005};
  ds->SetGeoTransform(gt);
  if (with_crs) {
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    ds->SetSpatialRef(&srs);
  }
  std::vector<float> values(1600, 300.0f);
  if (nan_cell) values[820] = std::nanf("");
  ds->GetRasterBand(1)->SetNoDataValue(-9999);
  (void)ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 40, 40, values.data(), 40, 40, GDT_Float32,
                                       0, 0, nullptr);
}

void write_series(const std::string& dir, int skip_year = 0, int shifted_year = 0,
                  int nan_year = 0) {
  fs::create_directories(dir);
  for (int year = 2000; year <= 2002; ++year) {
    if (year == skip_year) continue;
    write_raster(dir + "/nep_" + std::to_string(year) + ".tif",
                 year == shifted_year ? 10.001 : 10.0, true, year == nan_year);
  }
}

void write_mines(const std::string& path, const std::vector<Feature>& features,
                 bool with_crs = true) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  OGRLayer* layer = ds->CreateLayer("mines", with_crs ? &srs : nullptr, wkbUnknown, nullptr);
  OGRFieldDefn id_field("mine_id", OFTString);
  (void)layer->CreateField(&id_field);
  for (const auto& f : features) {
    OGRFeature feature(layer->GetLayerDefn());
    if (!f.id.empty()) feature.SetField("mine_id", f.id.c_str());
    OGRGeometry* geometry = nullptr;
    OGRGeometryFactory::createFromWkt(f.wkt.c_str(), nullptr, &geometry);
    feature.SetGeometryDirectly(geometry);
    (void)layer->CreateFeature(&feature);
  }
}

const char* kSquare = "POLYGON((10.05 45.05,10.07 45.05,10.07 45.07,10.05 45.07,10.05 45.05))";
const char* kSquare2 = "POLYGON((10.12 45.12,10.14 45.12,10.14 45.14,10.12 45.14,10.12 45.12))";
const char* kBowtie = "POLYGON((10.05 45.05,10.07 45.07,10.07 45.05,10.05 45.07,10.05 45.05))";

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    write_series(dir_.str("nep"));
    write_mines(dir_.str("mines.gpkg"), {{"A", kSquare}, {"B", kSquare2}});
  }
  // Runs damage with the given mines/rasters; the output folder must not exist afterwards when
  // the run fails.
  CliRun damage(const std::string& mines, const std::string& nep_dir,
                const std::string& extra = {}) {
    return run_cli(
        "--quiet damage --mines " + mines + " --id-field mine_id --nep '" + nep_dir +
        "/nep_{year}.tif' --years 2000-2002 --min-area-km2 0 --ring-outer-m 2000 --out " + out() +
        " " + extra);
  }
  std::string out() const { return dir_.str("out"); }
  TempDir dir_{"bad_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(BadInput, ValidInputRunsAndWritesResults) {
  CliRun run = damage(dir_.str("mines.gpkg"), dir_.str("nep"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(out() + "/results.gpkg"));
}

TEST_F(BadInput, MissingRasterForAYearIsADataError) {
  write_series(dir_.str("gap"), 2001);
  CliRun run = damage(dir_.str("mines.gpkg"), dir_.str("gap"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("missing raster for year 2001"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nep_2001.tif"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, RastersOnDifferentGridsAreADataError) {
  write_series(dir_.str("shifted"), 0, 2002);
  CliRun run = damage(dir_.str("mines.gpkg"), dir_.str("shifted"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("nep_2002.tif: grid"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("differs from the first year"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, MinesWithoutCrsAreADataError) {
  write_mines(dir_.str("nocrs.gpkg"), {{"A", kSquare}}, false);
  CliRun run = damage(dir_.str("nocrs.gpkg"), dir_.str("nep"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("have no CRS"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, RasterWithoutCrsIsADataError) {
  fs::create_directories(dir_.str("nocrs"));
  for (int year = 2000; year <= 2002; ++year)
    write_raster(dir_.str("nocrs/nep_" + std::to_string(year) + ".tif"), 10.0, false);
  CliRun run = damage(dir_.str("mines.gpkg"), dir_.str("nocrs"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("nep_2000.tif: has no CRS"), std::string::npos) << run.err;
}

TEST_F(BadInput, NonPolygonGeometryNamesTheFeature) {
  write_mines(dir_.str("point.gpkg"), {{"A", kSquare}, {"P7", "POINT(10.1 45.1)"}});
  CliRun run = damage(dir_.str("point.gpkg"), dir_.str("nep"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("feature P7"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("Point"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, InvalidPolygonIsRepairedAndReportedOrRefusedWithNoRepair) {
  write_mines(dir_.str("bowtie.gpkg"), {{"A", kSquare}, {"BOW", kBowtie}});
  CliRun refused = damage(dir_.str("bowtie.gpkg"), dir_.str("nep"), "--no-repair");
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("feature BOW"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("invalid polygon"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(out()));

  CliRun repaired = damage(dir_.str("bowtie.gpkg"), dir_.str("nep"));
  ASSERT_EQ(repaired.exit_code, 0) << repaired.err;
  const std::string summary = slurp(out() + "/summary.json");
  EXPECT_NE(summary.find("\"repaired_ids\": [\n    \"BOW\"\n  ]"), std::string::npos) << summary;
}

TEST_F(BadInput, EmptyIdIsADataError) {
  write_mines(dir_.str("noid.gpkg"), {{"A", kSquare}, {"", kSquare2}});
  CliRun run = damage(dir_.str("noid.gpkg"), dir_.str("nep"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("field 'mine_id' is empty"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, DuplicateIdIsADataError) {
  write_mines(dir_.str("dup.gpkg"), {{"A", kSquare}, {"A", kSquare2}});
  CliRun run = damage(dir_.str("dup.gpkg"), dir_.str("nep"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("id 'A' appears more than once"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, MineOutsideTheRastersIsReportedWithZeroValidArea) {
  write_mines(dir_.str("away.gpkg"),
              {{"A", kSquare}, {"FAR", "POLYGON((20 10,20.02 10,20.02 10.02,20 10.02,20 10))"}});
  CliRun run = damage(dir_.str("away.gpkg"), dir_.str("nep"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string mines = slurp(out() + "/tables/mines.csv");
  EXPECT_NE(mines.find("FAR,outside_raster"), std::string::npos) << mines;
  const std::string years = slurp(out() + "/tables/mine_year.csv");
  EXPECT_NE(years.find("FAR,2000,NA,NA,NA,NA,NA,NA,NA,NA,0,0"), std::string::npos) << years;
}

TEST_F(BadInput, NaNCellsAreAnErrorUnlessDeclaredNodata) {
  write_series(dir_.str("nan"), 0, 0, 2001);
  CliRun run = damage(dir_.str("mines.gpkg"), dir_.str("nan"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("nep_2001.tif: NaN at row 20, column 20"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--nan-is-nodata"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
  EXPECT_EQ(damage(dir_.str("mines.gpkg"), dir_.str("nan"), "--nan-is-nodata").exit_code, 0);
}

TEST_F(BadInput, UnwritableOutputFolderIsAUsageError) {
  { std::ofstream(dir_.str("a_file")) << "x"; }
  CliRun run = run_cli("--quiet damage --mines " + dir_.str("mines.gpkg") +
                       " --id-field mine_id --nep '" + dir_.str("nep") +
                       "/nep_{year}.tif' --years 2000-2002 --out " + dir_.str("a_file/sub"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cannot create output folder"), std::string::npos) << run.err;
}

TEST_F(BadInput, UnknownProjectKeyIsAConfigErrorWithASuggestion) {
  std::ofstream(dir_.str("project.toml"))
      << "[damage]\nmines = \"mines.gpkg\"\nnep = \"nep/nep_{year}.tif\"\n"
      << "years = \"2000-2002\"\nring_outer = 3000\n";
  CliRun run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(
      run.err.find("project.toml:5 [damage] ring_outer: unknown key; did you mean 'ring_outer_m'?"),
      std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, InputsAreNeverTouched) {
  const auto before = fs::last_write_time(dir_.str("mines.gpkg"));
  const std::string bytes = slurp(dir_.str("mines.gpkg"));
  ASSERT_EQ(damage(dir_.str("mines.gpkg"), dir_.str("nep")).exit_code, 0);
  EXPECT_EQ(fs::last_write_time(dir_.str("mines.gpkg")), before);
  EXPECT_EQ(slurp(dir_.str("mines.gpkg")), bytes);
}

}  // namespace
}  // namespace minecarbon::e2e

namespace minecarbon::e2e {
namespace {

TEST_F(BadInput, NoMineOverlappingTheRastersIsADataErrorWithBothExtents) {
  write_mines(dir_.str("far.gpkg"),
              {{"FAR", "POLYGON((20 10,20.02 10,20.02 10.02,20 10.02,20 10))"}});
  CliRun run = damage(dir_.str("far.gpkg"), dir_.str("nep"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("no mine overlaps the NEP rasters: the mines span lon 20 to 20.02"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("40 x 40 cells"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(BadInput, AYearOfNodataIsNAInTheTotalsNotZero) {
  write_series(dir_.str("hole"));
  {
    // 2001 all nodata.
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(dir_.str("hole/nep_2001.tif").c_str(), GDAL_OF_UPDATE));
    std::vector<float> values(1600, -9999.0f);
    ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 40, 40, values.data(), 40, 40,
                                             GDT_Float32, 0, 0, nullptr),
              CE_None);
  }
  CliRun run = damage(dir_.str("mines.gpkg"), dir_.str("hole"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string years = slurp(out() + "/tables/year_summary.csv");
  EXPECT_NE(years.find("\n2001,0,NA,NA,0,NA,NA,NA,NA,NA\n"), std::string::npos) << years;
  const std::string summary = slurp(out() + "/summary.json");
  EXPECT_NE(summary.find("year 2001: no analysed mine has valid data; its totals are NA"),
            std::string::npos)
      << summary;
}

}  // namespace
}  // namespace minecarbon::e2e
