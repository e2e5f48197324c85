// `minecarbon indices` end to end.
// - On the real Landsat 8 L1TP subset of tests/data/landsat_indices (41 × 41, one file per band,
//   TOA scaling from the MTL): the NDVI, NDWI and MNDWI rasters equal R satellite's values in
//   reference_pixels.csv, FVC and RSEI equal the independent R terra / prcomp values in
//   expected_pixels.csv (Float32 output: 1e-6), the PCA table equals expected_pca.csv.
// - On a synthetic 7-band UInt16 scene of several windows: identical files for --threads 1 and 2
//   and for a budget near the minimum.
// - Bad inputs (ISSUE 12 §6) stop with exit 2 or 3, a message naming file/band/field, and write
//   nothing.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/rs/rsei.h"

namespace minecarbon::e2e {
namespace {

const std::string kSubset = std::string(MC_TEST_DATA_DIR) + "/landsat_indices";
const std::string kL8 = kSubset + "/landsat8_2013-07-07/LC08_L1TP_195025_20130707_20170503_01_T1";

// Global flags (--quiet, --threads) go before the command.
CliRun run_mc(const std::string& args, const std::string& globals = "") {
  return run_cli("--quiet " + globals + " " + args);
}

std::vector<double> read_band(const std::string& path, int* cols = nullptr, int* rows = nullptr) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  if (!ds) return {};
  const int nx = ds->GetRasterXSize(), ny = ds->GetRasterYSize();
  if (cols) *cols = nx;
  if (rows) *rows = ny;
  std::vector<double> values(static_cast<std::size_t>(nx) * ny);
  (void)ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, nx, ny, values.data(), nx, ny, GDT_Float64, 0,
                                       0, nullptr);
  return values;
}

std::string subset_args(const std::string& out, const std::string& index) {
  return "indices --scene " + kL8 +
         "_B{band}.TIF --sensor landsat8 --scaling landsat_l1_toa --mtl " + kL8 +
         "_MTL.txt --emissivity 0.97 --index " + index + " --out " + out;
}

TEST(IndicesE2e, LandsatSubsetMatchesRAtEveryPixel) {
  TempDir dir("mc_indices_subset");
  const CliRun run = run_mc(subset_args(dir.str("out"), "ndvi,ndwi,mndwi,fvc,rsei"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText reference = read_csv_file(kSubset + "/reference_pixels.csv");
  const CsvText expected = read_csv_file(kSubset + "/expected_pixels.csv");
  auto check = [&](const std::string& raster, const CsvText& csv, const std::string& column) {
    int cols = 0, rows = 0;
    const auto values = read_band(dir.str("out/" + raster + ".tif"), &cols, &rows);
    ASSERT_EQ(cols, 41);
    ASSERT_EQ(rows, 41);
    const auto want = csv.numbers(csv.column(column));
    const auto row_of = csv.numbers(csv.column("row"));
    const auto col_of = csv.numbers(csv.column("col"));
    ASSERT_EQ(want.size(), 41u * 41u);
    for (std::size_t i = 0; i < want.size(); ++i) {
      const auto cell = static_cast<std::size_t>(row_of[i] * 41 + col_of[i]);
      ASSERT_NEAR(values[cell], want[i], 1e-6)
          << raster << " row " << row_of[i] << " col " << col_of[i];
    }
  };
  check("ndvi", reference, "l8_ndvi");
  check("ndwi", reference, "l8_ndwi");
  check("mndwi", reference, "l8_mndwi");
  check("fvc", expected, "fvc");
  check("rsei", expected, "rsei_covariance_min_max");

  // Grades follow the expected RSEI (cells within Float32 rounding of a bound skipped).
  const auto grades = read_band(dir.str("out/rsei_grade.tif"));
  const auto rsei = expected.numbers(expected.column("rsei_covariance_min_max"));
  int checked = 0;
  for (std::size_t i = 0; i < rsei.size(); ++i) {
    const double to_bound = std::fabs(rsei[i] * 5 - std::round(rsei[i] * 5));
    if (to_bound < 1e-5) continue;
    EXPECT_EQ(grades[i], static_cast<double>(rs::rsei_grade(rsei[i]))) << "cell " << i;
    ++checked;
  }
  EXPECT_GT(checked, 1600);

  const CsvText pca = read_csv_file(dir.str("out/tables/rsei_pca.csv"));
  const CsvText want = read_csv_file(kSubset + "/expected_pca.csv");
  std::size_t row = 0;
  for (; row < want.rows.size(); ++row)
    if (want.rows[row][want.column("variant")] == "covariance_min_max") break;
  ASSERT_LT(row, want.rows.size());
  for (const char* column : {"loading_ndvi", "loading_wet", "loading_ndbsi", "loading_lst_C",
                             "pc1_share", "eigenvalue_1", "eigenvalue_2"})
    EXPECT_NEAR(pca.number(0, pca.column(column)), want.number(row, want.column(column)), 1e-12)
        << column;
  EXPECT_EQ(
      pca.number(0, pca.column("orientation_sign")) * pca.number(0, pca.column("loading_ndvi")) !=
          0,
      true);

  const CsvText summary = read_csv_file(dir.str("out/tables/index_summary.csv"));
  ASSERT_EQ(summary.rows.size(), 5u);
  EXPECT_EQ(summary.rows[0][summary.column("index")], "ndvi");
  EXPECT_EQ(summary.number(0, summary.column("n_valid")), 41.0 * 41.0);
  const std::string summary_json = slurp(dir.str("out/summary.json"));
  EXPECT_NE(summary_json.find("reflectances_out_of_range"), std::string::npos);
  EXPECT_NE(summary_json.find("RSEI projection range"), std::string::npos);
}

TEST(IndicesE2e, PercentileNormalisationAndCorrelationMatchR) {
  TempDir dir("mc_indices_variants");
  CliRun run = run_mc(subset_args(dir.str("pct"), "rsei") + " --rsei-normalisation percentile");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = run_mc(subset_args(dir.str("cor"), "rsei") + " --rsei-matrix correlation");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText expected = read_csv_file(kSubset + "/expected_pixels.csv");
  const auto pct = read_band(dir.str("pct/rsei.tif"));
  const auto cor = read_band(dir.str("cor/rsei.tif"));
  const auto want_pct = expected.numbers(expected.column("rsei_covariance_percentile"));
  const auto want_cor = expected.numbers(expected.column("rsei_correlation_min_max"));
  ASSERT_EQ(pct.size(), want_pct.size());
  for (std::size_t i = 0; i < want_pct.size(); ++i) {
    ASSERT_NEAR(pct[i], want_pct[i], 1e-6) << "percentile, cell " << i;
    ASSERT_NEAR(cor[i], want_cor[i], 1e-6) << "correlation, cell " << i;
  }
}

TEST(IndicesE2e, ProjectSectionAndYearSeriesGiveTheSingleSceneFiles) {
  TempDir dir("mc_indices_project");
  const CliRun single = run_mc(subset_args(dir.str("single"), "ndvi,rsei"));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  // The same scene as a two-year series ({year} in the folder), and through a project file.
  for (const char* year : {"2013", "2014"}) {
    std::filesystem::create_directories(dir.str(year));
    for (const char* band : {"2", "3", "4", "5", "6", "7", "10"})
      std::filesystem::copy_file(kL8 + "_B" + band + ".TIF",
                                 dir.str(std::string(year) + "/B" + band + ".TIF"));
    std::filesystem::copy_file(kL8 + "_MTL.txt", dir.str(std::string(year) + "/MTL.txt"));
  }
  {
    std::ofstream toml(dir.str("project.toml"));
    toml << "[project]\nout = \"" << dir.str("project") << "\"\n[indices]\nscene = \""
         << dir.str("{year}/B{band}.TIF") << "\"\nyears = \"2013-2014\"\nmtl = \""
         << dir.str("{year}/MTL.txt") << "\"\nsensor = \"landsat8\"\n"
         << "scaling = \"landsat_l1_toa\"\nemissivity = 0.97\nindex = [\"ndvi\", \"rsei\"]\n";
  }
  const CliRun project = run_mc("run " + dir.str("project.toml"));
  ASSERT_EQ(project.exit_code, 0) << project.err;
  for (const char* index : {"ndvi", "rsei", "rsei_grade"})
    for (const char* year : {"2013", "2014"}) {
      const std::string want = slurp(dir.str("single/") + index + ".tif");
      ASSERT_FALSE(want.empty());
      EXPECT_EQ(slurp(dir.str("project/indices/") + index + "_" + year + ".tif"), want)
          << index << " " << year;
    }
  const CsvText pca = read_csv_file(dir.str("project/indices/tables/rsei_pca.csv"));
  ASSERT_EQ(pca.rows.size(), 2u);
  EXPECT_EQ(pca.rows[0][pca.column("scene")], "2013");
  EXPECT_EQ(pca.rows[1][pca.column("pca_scope")], "per_scene");
}

// ---- a synthetic multi-window scene ----

// 2108 × 1000 cells: 9 × 4 output tiles of 256, so the default budget's windows (2 tiles wide,
// the grid keeping >= 16 windows) differ from those of a budget at the minimum (one tile).
constexpr int kCols = 2108, kRows = 1000;

// 7 bands (blue green red nir swir1 swir2 thermal) as Landsat C2 L2 DNs; a few nodata cells.
void write_scene(const std::string& path, bool constant = false, int cols = kCols,
                 int rows = kRows) {
  const int bands = 7;
  GDALAllRegister();
  char** options = nullptr;
  options = CSLSetNameValue(options, "TILED", "YES");
  options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), cols, rows, bands, GDT_UInt16, options));
  CSLDestroy(options);
  double gt[6] = {500000.0, 30.0, 0, 4400000.0, 0, -30.0};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  ds->SetSpatialRef(&srs);
  std::vector<std::uint16_t> values(static_cast<std::size_t>(cols) * rows);
  for (int b = 0; b < bands; ++b) {
    for (int row = 0; row < rows; ++row)
      for (int col = 0; col < cols; ++col) {
        const double veg = 0.5 + 0.5 * std::sin(0.013 * col + 0.021 * row) * std::cos(0.007 * row);
        const double rho[6] = {0.04 + 0.05 * (1 - veg),
                               0.06 + 0.04 * (1 - veg),
                               0.05 + 0.15 * (1 - veg),
                               0.15 + 0.35 * veg,
                               0.12 + 0.18 * (1 - veg) + 0.01 * ((row + col) % 5),
                               0.08 + 0.15 * (1 - veg)};
        double dn = b < 6 ? (rho[b] + 0.2) / 2.75e-5
                          : (295.0 + 12.0 * (1 - veg) + 0.1 * (row % 7) - 149.0) / 0.00341802;
        if (constant) dn = 12000 + 100 * b;
        if ((row * 31 + col * 17) % 997 == 0) dn = 0;  // nodata
        values[static_cast<std::size_t>(row) * cols + col] = static_cast<std::uint16_t>(dn);
      }
    ds->GetRasterBand(b + 1)->SetNoDataValue(0);
    (void)ds->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, 0, cols, rows, values.data(), cols, rows,
                                             GDT_UInt16, 0, 0, nullptr);
  }
}

std::string synth_args(
    const std::string& scene, const std::string& out,
    const std::string& index = "ndvi,evi,ndwi,mndwi,ndmi,ndbsi,wet,lst,fvc,rsei") {
  return "indices --scene " + scene +
         " --sensor landsat8 --band blue=1 --band green=2 --band red=3 --band nir=4 --band "
         "swir1=5 --band swir2=6 --band thermal=7 --scaling landsat_c2_l2 --index " +
         index + " --out " + out;
}

TEST(IndicesE2e, SameFilesForOneAndTwoThreadsAndASmallBudget) {
  TempDir dir("mc_indices_threads");
  write_scene(dir.str("scene.tif"));
  // For measuring the stage by hand (docs/indices.md): keep a copy of the scene.
  if (const char* keep = std::getenv("MC_INDICES_KEEP_SCENE")) write_scene(keep);
  const std::string base = synth_args(dir.str("scene.tif"), "", "ndvi,wet,fvc,rsei");
  CliRun run = run_mc(base + dir.str("t1"), "--threads 1");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = run_mc(base + dir.str("t2"), "--threads 2");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = run_mc(base + dir.str("small") + " --memory-mb 82", "--threads 2");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Other windows with the small budget (else this part would prove nothing).
  auto windows = [&](const std::string& sub) {
    const std::string text = slurp(dir.str(sub + "/summary.json"));
    const auto at = text.find("\"windows\"");
    return at == std::string::npos ? std::string() : text.substr(at, 20);
  };
  EXPECT_NE(windows("t1"), windows("small"));
  EXPECT_FALSE(windows("t1").empty());
  for (const char* file : {"ndvi.tif", "wet.tif", "fvc.tif", "rsei.tif", "rsei_grade.tif",
                           "tables/index_summary.csv", "tables/rsei_pca.csv"}) {
    const std::string one = slurp(dir.str("t1/") + file);
    ASSERT_FALSE(one.empty()) << file;
    // Same bytes for 1 and 2 threads.
    EXPECT_EQ(one, slurp(dir.str("t2/") + file)) << file;
    // Another budget: other windows, so possibly another tile order in the file, but the same
    // values bit for bit (and the same tables: the statistics are exact sums).
    if (std::string(file).find(".csv") != std::string::npos) {
      EXPECT_EQ(one, slurp(dir.str("small/") + file)) << file;
    } else {
      const auto a = read_band(dir.str("t1/") + file);
      const auto b = read_band(dir.str("small/") + file);
      ASSERT_EQ(a.size(), b.size());
      EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)), 0) << file;
    }
  }
  // The RSEI spans [0, 1] and nodata cells stay NaN.
  const auto rsei = read_band(dir.str("t1/rsei.tif"));
  double lo = 2, hi = -1;
  for (double v : rsei)
    if (!std::isnan(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 1.0);
  EXPECT_TRUE(std::isnan(rsei[0]));  // (0, 0) is a nodata cell
}

// ---- bad inputs ----

void expect_fails(const CliRun& run, int code, const std::vector<std::string>& words,
                  const std::string& out) {
  EXPECT_EQ(run.exit_code, code) << run.err;
  for (const auto& word : words)
    EXPECT_NE(run.err.find(word), std::string::npos) << "'" << word << "' not in: " << run.err;
  EXPECT_FALSE(std::filesystem::exists(out + "/ndvi.tif")) << out;
  EXPECT_FALSE(std::filesystem::exists(out + "/tables")) << out;
  EXPECT_FALSE(std::filesystem::exists(out + "/summary.json")) << out;
}

TEST(IndicesE2e, BadInputsNameTheProblemAndWriteNothing) {
  TempDir dir("mc_indices_bad");
  write_scene(dir.str("scene.tif"), false, 300, 200);
  write_scene(dir.str("flat.tif"), true, 300, 200);
  const std::string scene = dir.str("scene.tif");
  const std::string out = dir.str("out");
  // Missing band role for a requested index.
  expect_fails(run_mc("indices --scene " + scene + " --band red=3 --index ndvi --out " + out), 2,
               {"ndvi", "nir", "--band nir="}, out);
  // Band number beyond the file's bands.
  expect_fails(
      run_mc("indices --scene " + scene + " --band red=3 --band nir=9 --index ndvi --out " + out),
      2, {scene, "7 band", "band 9", "nir"}, out);
  // A sensor without wetness coefficients, for WET.
  expect_fails(run_mc("indices --scene " + scene +
                      " --sensor landsat9 --band blue=1 --band green=2 --band red=3 --band "
                      "nir=4 --band swir1=5 --band swir2=6 --index wet --out " +
                      out),
               2, {"landsat9", "wet_coefficients"}, out);
  // A constant indicator: RSEI's PCA is undefined.
  expect_fails(run_mc(synth_args(dir.str("flat.tif"), out)), 3, {"constant", "ndvi"}, out);
  // Memory budget below the minimum.
  expect_fails(run_mc(synth_args(scene, out) + " --memory-mb 20"), 2, {"memory_mb", "minimum"},
               out);
}

TEST(IndicesE2e, FewerThanTwoValidPixelsForRseiIsADataError) {
  TempDir dir("mc_indices_empty");
  constexpr int kSmallCols = 300, kSmallRows = 200;
  write_scene(dir.str("scene.tif"), false, kSmallCols, kSmallRows);
  // A mask keeping one cell.
  {
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
        dir.str("mask.tif").c_str(), kSmallCols, kSmallRows, 1, GDT_Byte, nullptr));
    double gt[6] = {500000.0, 30.0, 0, 4400000.0, 0, -30.0};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(32650);
    ds->SetSpatialRef(&srs);
    std::vector<std::uint8_t> keep(static_cast<std::size_t>(kSmallCols) * kSmallRows, 0);
    keep[5 * kSmallCols + 5] = 1;
    (void)ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, kSmallCols, kSmallRows, keep.data(),
                                         kSmallCols, kSmallRows, GDT_Byte, 0, 0, nullptr);
  }
  const std::string out = dir.str("out");
  expect_fails(run_mc(synth_args(dir.str("scene.tif"), out) + " --mask " + dir.str("mask.tif")), 3,
               {"at least 2 valid pixels"}, out);
}

}  // namespace
}  // namespace minecarbon::e2e
