// Defects found by feeding the tool deliberately bad inputs (issue 10, item 12): each case asserts
// the exit code, the message a user reads, that no result was published, and that every input is
// byte for byte what it was before the run.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

// 40 × 40 cells of 0.005° near 45°N, value 300, tiled 16 × 16 and uncompressed.
void write_raster(const std::string& path, int epsg = 4326) {
  GDALAllRegister();
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", nullptr};
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), 40, 40, 1, GDT_Float32, const_cast<char**>(options)));
  double gt[6] = {10.0, 0.005, 0, 45.2, 0, -0.005};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(epsg);
  ds->SetSpatialRef(&srs);
  std::vector<float> values(1600, 300.0f);
  ds->GetRasterBand(1)->SetNoDataValue(-9999);
  ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 40, 40, values.data(), 40, 40,
                                           GDT_Float32, 0, 0, nullptr),
            CE_None);
}

void write_mines(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  OGRLayer* layer = ds->CreateLayer("mines", &srs, wkbPolygon, nullptr);
  OGRFieldDefn id_field("mine_id", OFTString);
  ASSERT_EQ(layer->CreateField(&id_field), OGRERR_NONE);
  for (const auto& [id, wkt] : std::vector<std::pair<std::string, std::string>>{
           {"A", "POLYGON((10.05 45.05,10.07 45.05,10.07 45.07,10.05 45.07,10.05 45.05))"},
           {"B", "POLYGON((10.12 45.12,10.14 45.12,10.14 45.14,10.12 45.14,10.12 45.12))"}}) {
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("mine_id", id.c_str());
    OGRGeometry* geometry = nullptr;
    OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &geometry);
    feature.SetGeometryDirectly(geometry);
    ASSERT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
  }
}

// Every file under `dir` with its bytes: the inputs' checksum, compared whole.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file())
      files[fs::relative(entry.path(), dir).string()] = slurp(entry.path());
  return files;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class InputDefects : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(in("nep"));
    for (int year = 2000; year <= 2002; ++year)
      write_raster(in("nep/nep_" + std::to_string(year) + ".tif"));
    write_mines(in("mines.gpkg"));
  }
  std::string in(const std::string& name) const { return dir_.str("in/" + name); }
  std::string out() const { return dir_.str("out"); }
  CliRun damage(const std::string& mines, const std::string& out_dir) {
    return run_cli("--quiet damage --mines " + mines + " --id-field mine_id --nep '" + in("nep") +
                   "/nep_{year}.tif' --years 2000-2002 --min-area-km2 0 " +
                   "--ring-outer-m 2000 --out " + out_dir);
  }
  // The run failed cleanly: nothing published, no staging folder left, inputs untouched.
  void expect_clean_failure(const std::map<std::string, std::string>& inputs_before,
                            const std::string& out_dir) {
    EXPECT_FALSE(fs::exists(out_dir)) << "output folder left behind: " << out_dir;
    EXPECT_EQ(snapshot(dir_.str("in")), inputs_before) << "an input changed";
  }
  TempDir dir_{"defects_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(InputDefects, ValidInputsRun) {
  const auto before = snapshot(dir_.str("in"));
  CliRun run = damage(in("mines.gpkg"), out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(snapshot(dir_.str("in")), before);
}

// Only the first year's CRS was compared: a later year labelled with another CRS on the same grid
// was used silently.
TEST_F(InputDefects, LaterYearWithAnotherCrsIsRefusedNamingBothFilesAndCrs) {
  write_raster(in("nep/nep_2002.tif"), 4269);  // NAD83 label, same grid numbers
  const auto before = snapshot(dir_.str("in"));
  CliRun run = damage(in("mines.gpkg"), out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(contains(run.err,
                       "nep_2002.tif: CRS NAD83 (EPSG:4269) differs from the first "
                       "year's ("))
      << run.err;
  EXPECT_TRUE(contains(run.err, "nep_2000.tif: WGS 84 (EPSG:4326)")) << run.err;
  expect_clean_failure(before, out());
}

// A truncated GeoTIFF failed with exit 1 while reading, or said "has no georeferencing".
TEST_F(InputDefects, TruncatedGeoTiffIsADataErrorSayingSo) {
  const std::string path = in("nep/nep_2001.tif");
  fs::resize_file(path, fs::file_size(path) - 600);
  const auto before = snapshot(dir_.str("in"));
  CliRun run = damage(in("mines.gpkg"), out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(contains(run.err, "nep_2001.tif is truncated or corrupt")) << run.err;
  expect_clean_failure(before, out());
}

TEST_F(InputDefects, GeoTiffCutInsideItsHeaderIsADataErrorSayingSo) {
  fs::resize_file(in("nep/nep_2000.tif"), 300);
  const auto before = snapshot(dir_.str("in"));
  CliRun run = damage(in("mines.gpkg"), out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(contains(run.err, "nep_2000.tif")) << run.err;
  EXPECT_TRUE(contains(run.err, "truncated or corrupt")) << run.err;
  expect_clean_failure(before, out());
}

// A missing mines file said "cannot open as a vector dataset ()".
TEST_F(InputDefects, MissingVectorFileSaysItDoesNotExist) {
  const auto before = snapshot(dir_.str("in"));
  CliRun run = damage(in("no_such_mines.gpkg"), out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(contains(run.err, "no_such_mines.gpkg does not exist; check the path")) << run.err;
  expect_clean_failure(before, out());
}

TEST_F(InputDefects, MissingRasterSaysItDoesNotExist) {
  fs::remove(in("nep/nep_2001.tif"));
  const auto before = snapshot(dir_.str("in"));
  CliRun run = damage(in("mines.gpkg"), out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(contains(run.err, "nep_2001.tif does not exist")) << run.err;
  expect_clean_failure(before, out());
}

TEST_F(InputDefects, MissingCsvSaysItDoesNotExist) {
  { std::ofstream(in("plots.csv")) << "plot_id,area_m2,mine_id,stand_age_yr,land_use\n"; }
  const auto before = snapshot(dir_.str("in"));
  CliRun run = run_cli("--quiet vegetation --trees " + in("no_such_trees.csv") + " --plots " +
                       in("plots.csv") + " --out " + out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(contains(run.err, "no_such_trees.csv does not exist; check the path")) << run.err;
  expect_clean_failure(before, out());
}

// A tree list saved by Excel on Chinese Windows (GBK) leaked a JSON exception with exit 1.
TEST_F(InputDefects, CsvInGbkIsRefusedNamingFileLineAndTheEncodingOption) {
  {
    std::ofstream trees(in("trees.csv"), std::ios::binary);
    trees << "plot_id,species,dbh_cm,height_m,status\r\n"
          << "P1,Pinus tabuliformis,20.5,12.1,live\r\n"
          << "P1,\xD3\xCD\xCB\xC9,18.0,11.0,live\r\n";  // 油松 (Chinese pine) in GBK
    std::ofstream(in("plots.csv"), std::ios::binary)
        << "plot_id,area_m2,mine_id,stand_age_yr,land_use\r\nP1,400,M1,10,conifer\r\n";
  }
  const auto before = snapshot(dir_.str("in"));
  CliRun run = run_cli("--quiet vegetation --trees " + in("trees.csv") + " --plots " +
                       in("plots.csv") + " --out " + out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(contains(run.err, "trees.csv:3: byte 0xD3 at column 4 is not valid UTF-8"))
      << run.err;
  EXPECT_TRUE(contains(run.err, "encoding = \"gbk\"")) << run.err;
  EXPECT_TRUE(contains(run.err, "--encoding gbk")) << run.err;
  expect_clean_failure(before, out());
}

// A full disk while writing results said "write failed (disk full?)" or GDAL's own text. Needs a
// small tmpfs, so root (skipped elsewhere).
TEST_F(InputDefects, FullDiskSaysNoSpaceLeftOnDevice) {
  const fs::path small = dir_.path() / "small_disk";
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
  struct Unmount {
    fs::path path;
    ~Unmount() { ::umount(path.c_str()); }
  } unmount{small};
  const auto before = snapshot(dir_.str("in"));
  const std::string out_dir = (small / "out").string();
  CliRun run = damage(in("mines.gpkg"), out_dir);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains(run.err, "no space left on device")) << run.err;
  EXPECT_TRUE(contains(run.err, "free space on that file system or pass another --out")) << run.err;
  expect_clean_failure(before, out_dir);
  EXPECT_TRUE(fs::is_empty(small)) << "staging files left on the full disk";
}

}  // namespace
}  // namespace minecarbon::e2e
