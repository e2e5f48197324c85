// Opening a yearly raster series checks every year's file, not only the first: CRS, grid, band
// count, and whether the file is whole. And a missing or damaged input says so in plain words.
#include "minecarbon/geo/raster_series.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/covariate_raster.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::geo {
namespace {

namespace fs = std::filesystem;

class Folder {
 public:
  Folder()
      : path_(fs::temp_directory_path() /
              ("mc_series_" + std::to_string(::getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~Folder() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// 64 × 64 cells of 0.005° near 45°N, tiled 16 × 16 and uncompressed, so the last tile sits at the
// end of the file.
void write_raster(const std::string& path, int epsg = 4326, int bands = 1) {
  GDALAllRegister();
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", nullptr};
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), 64, 64, bands, GDT_Float32, const_cast<char**>(options)));
  double gt[6] = {10.0, 0.005, 0, 45.2, 0, -0.005};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(epsg);
  ds->SetSpatialRef(&srs);
  std::vector<float> values(64 * 64, 300.0f);
  for (int band = 1; band <= bands; ++band)
    ASSERT_EQ(ds->GetRasterBand(band)->RasterIO(GF_Write, 0, 0, 64, 64, values.data(), 64, 64,
                                                GDT_Float32, 0, 0, nullptr),
              CE_None);
}

void truncate_file(const std::string& path, std::uintmax_t keep_bytes) {
  fs::resize_file(path, keep_bytes);
}

std::string open_error(const RasterSeriesSpec& spec) {
  try {
    open_raster_series(spec);
  } catch (const DataError& error) {
    return error.what();
  }
  return "(no DataError)";
}

RasterSeriesSpec spec_for(const Folder& dir) {
  RasterSeriesSpec spec;
  spec.pattern = dir / "nep_{year}.tif";
  spec.first_year = 2000;
  spec.last_year = 2002;
  return spec;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RasterSeries, WholeSeriesOnOneGridAndCrsOpens) {
  Folder dir;
  for (int year = 2000; year <= 2002; ++year)
    write_raster(dir / ("nep_" + std::to_string(year) + ".tif"));
  const RasterSeries series = open_raster_series(spec_for(dir));
  EXPECT_EQ(series.years.size(), 3u);
  EXPECT_TRUE(series.geographic);
}

// Regression (issue 10): only the first year's CRS was compared.
TEST(RasterSeries, LaterYearLabelledWithAnotherCrsNamesBothFilesAndBothCrs) {
  Folder dir;
  write_raster(dir / "nep_2000.tif");
  write_raster(dir / "nep_2001.tif");
  write_raster(dir / "nep_2002.tif", 4269);  // NAD83, same grid numbers
  const std::string message = open_error(spec_for(dir));
  EXPECT_TRUE(contains(message,
                       "nep_2002.tif: CRS NAD83 (EPSG:4269) differs from the first "
                       "year's ("))
      << message;
  EXPECT_TRUE(contains(message, "nep_2000.tif: WGS 84 (EPSG:4326)")) << message;
  EXPECT_TRUE(contains(message, "gdal_edit.py -a_srs")) << message;
}

TEST(RasterSeries, LaterYearWithOtherBandsIsADataError) {
  Folder dir;
  write_raster(dir / "nep_2000.tif");
  write_raster(dir / "nep_2001.tif", 4326, 3);
  write_raster(dir / "nep_2002.tif");
  const std::string message = open_error(spec_for(dir));
  EXPECT_TRUE(contains(message, "nep_2001.tif: has 3 bands, the first year (")) << message;
  EXPECT_TRUE(contains(message, "nep_2000.tif) has 1")) << message;
}

TEST(RasterSeries, LaterYearWithoutCrsNamesTheFirstYearsCrs) {
  Folder dir;
  write_raster(dir / "nep_2000.tif");
  write_raster(dir / "nep_2001.tif");
  write_raster(dir / "nep_2002.tif");
  {
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "nep_2001.tif").c_str(), GDAL_OF_UPDATE));
    ds->SetSpatialRef(nullptr);
  }
  // GDAL keeps an empty CRS in a .aux.xml beside it, or drops the keys: either way, no CRS.
  const std::string message = open_error(spec_for(dir));
  EXPECT_TRUE(contains(message, "nep_2001.tif: has no CRS")) << message;
}

// Regression (issue 10): a truncated GeoTIFF failed with exit 1 at read time, or said "has no
// georeferencing".
TEST(RasterSeries, TruncatedLaterYearIsFoundWhenTheSeriesOpens) {
  Folder dir;
  for (int year = 2000; year <= 2002; ++year)
    write_raster(dir / ("nep_" + std::to_string(year) + ".tif"));
  const auto size = fs::file_size(dir / "nep_2002.tif");
  truncate_file(dir / "nep_2002.tif", size - 600);  // the last tile is 1024 bytes
  const std::string message = open_error(spec_for(dir));
  EXPECT_TRUE(contains(message,
                       "nep_2002.tif is truncated or corrupt: its block at column 3, "
                       "row 3 needs bytes up to"))
      << message;
  EXPECT_TRUE(contains(message, "copy or export it again")) << message;
}

TEST(RasterSeries, FileCutInsideItsHeaderIsTruncatedOrCorrupt) {
  Folder dir;
  for (int year = 2000; year <= 2002; ++year)
    write_raster(dir / ("nep_" + std::to_string(year) + ".tif"));
  truncate_file(dir / "nep_2001.tif", 100);
  const std::string message = open_error(spec_for(dir));
  EXPECT_TRUE(contains(message, "nep_2001.tif")) << message;
  EXPECT_TRUE(contains(message, "truncated or corrupt")) << message;
}

TEST(RasterSeries, EmptyFileIsTruncated) {
  Folder dir;
  for (int year = 2000; year <= 2002; ++year)
    write_raster(dir / ("nep_" + std::to_string(year) + ".tif"));
  truncate_file(dir / "nep_2000.tif", 0);
  const std::string message = open_error(spec_for(dir));
  EXPECT_TRUE(contains(message, "nep_2000.tif is empty (0 bytes): the file is truncated"))
      << message;
}

TEST(RasterSeries, TruncatedCovariateRasterIsTruncatedOrCorrupt) {
  Folder dir;
  write_raster(dir / "gpp.tif");
  truncate_file(dir / "gpp.tif", fs::file_size(dir / "gpp.tif") - 600);
  SingleRasterSpec spec;
  spec.path = dir / "gpp.tif";
  try {
    open_single_raster(spec, "covariate gpp");
    FAIL() << "no error";
  } catch (const DataError& error) {
    EXPECT_TRUE(contains(error.what(), "covariate gpp: " + spec.path + " is truncated or corrupt"))
        << error.what();
  }
}

// Regression (issue 10): "cannot open as a vector dataset ()".
TEST(PolygonLayerOpen, MissingFileSaysItDoesNotExist) {
  try {
    read_polygon_layer("/nonexistent/mines.gpkg", {});
    FAIL() << "no error";
  } catch (const DataError& error) {
    EXPECT_TRUE(contains(error.what(),
                         "mines: /nonexistent/mines.gpkg does not exist; check the "
                         "path"))
        << error.what();
  }
}

TEST(PolygonLayerOpen, DamagedFileIsTruncatedOrCorrupt) {
  Folder dir;
  { std::ofstream(dir / "mines.gpkg") << "SQLite format 3"; }  // a cut-off GeoPackage header
  try {
    read_polygon_layer(dir / "mines.gpkg", {});
    FAIL() << "no error";
  } catch (const DataError& error) {
    EXPECT_TRUE(contains(error.what(),
                         "cannot be read as a vector dataset: the file is truncated "
                         "or corrupt"))
        << error.what();
  }
}

}  // namespace
}  // namespace minecarbon::geo
