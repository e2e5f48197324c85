// `minecarbon nep` end to end on a small projected grid of monthly Float32 rasters: the annual
// rasters equal the CASA kernel (carbon/casa_nep.h, itself checked against an independent R
// script in tests/unit/carbon/test_casa_grid.cpp) applied to the same cells, the summary table
// equals the area-weighted means of those cells, 1 and 2 threads write identical files, and bad
// inputs stop with exit 3 and a message naming the file, cell, month or code.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "cli_harness.h"
#include "minecarbon/carbon/casa_nep.h"
#include "minecarbon/carbon/casa_optimum_temperature.h"
#include "minecarbon/carbon/casa_vegetation.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

// 260 columns: two 256-wide tiles, so the block loop has two blocks to share between threads.
constexpr int kCols = 260, kRows = 5;
constexpr std::size_t kCells = kCols * kRows;
constexpr int kYears[2] = {2000, 2001};
const char* kVars[4] = {"ndvi", "temp", "prec", "sol"};

float value(int var, int row, int col_in, int year, int month) {
  const int col = (col_in * 5 + row) % 7;  // a pattern that repeats along the row
  const double season = std::sin(std::numbers::pi * (month - 0.5) / 12.0);
  const double y = year - 2000;
  switch (var) {
    case 0:
      return static_cast<float>(0.15 + 0.45 * season * (1 + 0.05 * col) - 0.02 * row + 0.01 * y);
    case 1:
      return static_cast<float>(-12.0 + 30.0 * season + 0.5 * col - 0.3 * row + y);
    case 2:
      return static_cast<float>(std::max(0.0, -5.0 + 90.0 * season + 3.0 * row - 2.0 * col));
    default:
      return static_cast<float>(150.0 + 400.0 * season + row);
  }
}

// Vegetation codes: 11, 21, 31 by (row + col) mod 3; 0 (nodata) at (0, 0); 99 at (4, 6).
float code(int row, int col) {
  if (row == 0 && col == 0) return 0.0f;
  if (row == 4 && col == 6) return 99.0f;
  return static_cast<float>(11 + 10 * ((row + col) % 3));
}

void write_tif(const std::string& path, const std::vector<float>& values, bool nodata_zero) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), kCols, kRows, 1, GDT_Float32, nullptr));
  double gt[6] = {500000.0, 30.0, 0, 4400000.0, 0, -30.0};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  ds->SetSpatialRef(&srs);
  if (nodata_zero) ds->GetRasterBand(1)->SetNoDataValue(0.0);
  (void)ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, kCols, kRows,
                                       const_cast<float*>(values.data()), kCols, kRows, GDT_Float32,
                                       0, 0, nullptr);
}

std::vector<float> read_tif(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  std::vector<float> values(kCells);
  if (!ds) return {};
  (void)ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, kCols, kRows, values.data(), kCols, kRows,
                                       GDT_Float32, 0, 0, nullptr);
  return values;
}

std::string month_file(const TempDir& dir, int var, int year, int month) {
  return dir.str(std::string(kVars[var]) + "_" + std::to_string(year) + "_" +
                 (month < 10 ? "0" : "") + std::to_string(month) + ".tif");
}

void write_fixture(const TempDir& dir) {
  for (int var = 0; var < 4; ++var)
    for (int year : kYears)
      for (int month = 1; month <= 12; ++month) {
        std::vector<float> v(kCells);
        for (int r = 0; r < kRows; ++r)
          for (int c = 0; c < kCols; ++c)
            v[r * kCols + c] = value(var, r, c, year, month);
        if (var == 0 && year == 2001 && month == 7) v[2 * kCols + 3] = std::nanf("");
        write_tif(month_file(dir, var, year, month), v, false);
      }
  std::vector<float> veg(kCells);
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c)
      veg[r * kCols + c] = code(r, c);
  write_tif(dir.str("veg.tif"), veg, true);
  std::ofstream(dir.str("classes.csv"))
      << "code,type\n11,desert_grassland\n21,shrub\n31,evergreen_needleleaf_forest\n";
}

std::string args(const TempDir& dir, const std::string& out, const std::string& extra = "",
                 const std::string& global = "") {
  auto pattern = [&](int var) {
    return "'" + dir.str(std::string(kVars[var])) + "_{year}_{month}.tif'";
  };
  return "-q " + global + " nep --years 2000-2001 --ndvi " + pattern(0) + " --temperature " +
         pattern(1) + " --precipitation " + pattern(2) + " --solar-radiation " + pattern(3) +
         " --vegetation " + dir.str("veg.tif") + " --class-table " + dir.str("classes.csv") +
         " --out " + dir.str(out) + " " + extra;
}

// The kernel on the fixture's cells (float inputs, as the stage reads Float32 rasters).
struct Expected {
  std::vector<double> npp[2], rh[2], nep[2];
};

Expected expected(const std::string& default_type_for_99 = "") {
  const carbon::CasaVegetationTable table = carbon::parse_casa_vegetation(
      read_csv_file(std::string(MC_SOURCE_DIR) + "/data/casa_vegetation.csv"));
  std::vector<carbon::CasaTypeParams> params(table.types.size());
  for (std::size_t t = 0; t < table.types.size(); ++t)
    if (table.types[t].has_eps_max() && table.types[t].has_extremes())
      params[t] = carbon::casa_type_params(table.types[t], true);
  std::vector<std::int32_t> type(kCells, -1);
  const char* names[3] = {"desert_grassland", "shrub", "evergreen_needleleaf_forest"};
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c) {
      const float k = code(r, c);
      if (k >= 11 && k <= 31)
        type[r * kCols + c] =
            static_cast<std::int32_t>(*table.find(names[(static_cast<int>(k) - 11) / 10]));
      if (k == 99 && !default_type_for_99.empty())
        type[r * kCols + c] = static_cast<std::int32_t>(*table.find(default_type_for_99));
    }
  std::vector<float> v[2][4];
  for (int y = 0; y < 2; ++y)
    for (int var = 0; var < 4; ++var) {
      v[y][var].resize(12 * kCells);
      for (int m = 0; m < 12; ++m)
        for (int r = 0; r < kRows; ++r)
          for (int c = 0; c < kCols; ++c)
            v[y][var][m * kCells + r * kCols + c] = value(var, r, c, kYears[y], m + 1);
    }
  v[1][0][6 * kCells + 2 * kCols + 3] = std::nanf("");
  auto layers = [&](int y, int var) {
    carbon::MonthLayers<float> out{};
    for (std::size_t m = 0; m < 12; ++m)
      out[m] = v[y][var].data() + m * kCells;
    return out;
  };
  std::vector<double> sum(kCells, 0.0), t_opt(kCells);
  std::vector<std::uint32_t> count(kCells, 0);
  for (int y = 0; y < 2; ++y)
    carbon::add_optimum_temperature_year(layers(y, 0), layers(y, 1), kCells, sum, count);
  carbon::finish_optimum_temperature(sum, count, t_opt);
  Expected e;
  carbon::CasaScratch scratch;
  for (int y = 0; y < 2; ++y) {
    carbon::CasaYearBlock<float> block;
    block.n_cells = kCells;
    block.ndvi = layers(y, 0);
    block.t_C = layers(y, 1);
    block.precip_mm = layers(y, 2);
    block.sol_MJ_m2 = layers(y, 3);
    block.t_opt_C = t_opt.data();
    block.type_idx = type.data();
    e.npp[y].resize(kCells);
    e.rh[y].resize(kCells);
    e.nep[y].resize(kCells);
    carbon::CasaYearOutputs out;
    out.npp_gC_m2_yr = e.npp[y].data();
    out.rh_gC_m2_yr = e.rh[y].data();
    out.nep_gC_m2_yr = e.nep[y].data();
    carbon::casa_nep_year(block, params, {}, scratch, out);
  }
  return e;
}

}  // namespace

TEST(NepE2e, AnnualRastersEqualTheKernelAndTheSummaryTheirMeans) {
  TempDir dir("nep_main");
  write_fixture(dir);
  std::ofstream(dir.str("classes.csv"), std::ios::app) << "99,shrub\n";
  const CliRun run = run_cli(args(dir, "out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  Expected e = expected("shrub");
  std::size_t nan_cells = 0;
  for (int y = 0; y < 2; ++y) {
    const std::string year = std::to_string(kYears[y]);
    const std::vector<float> npp = read_tif(dir.str("out/npp_" + year + ".tif"));
    const std::vector<float> rh = read_tif(dir.str("out/rh_" + year + ".tif"));
    const std::vector<float> nep = read_tif(dir.str("out/nep_" + year + ".tif"));
    ASSERT_EQ(nep.size(), kCells);
    double sum = 0;
    int n = 0;
    for (std::size_t cell = 0; cell < kCells; ++cell) {
      if (std::isnan(e.nep[y][cell])) {
        EXPECT_TRUE(std::isnan(nep[cell]) && std::isnan(npp[cell]) && std::isnan(rh[cell]))
            << "cell " << cell;
        ++nan_cells;
        continue;
      }
      EXPECT_EQ(npp[cell], static_cast<float>(e.npp[y][cell])) << "cell " << cell;
      EXPECT_EQ(rh[cell], static_cast<float>(e.rh[y][cell])) << "cell " << cell;
      EXPECT_EQ(nep[cell], static_cast<float>(e.nep[y][cell])) << "cell " << cell;
      sum += e.nep[y][cell];
      ++n;
    }
    // Equal 900 m² cells: the area-weighted mean is the plain mean.
    const CsvText table = read_csv_file(dir.str("out/tables/nep_summary.csv"));
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.rows[y][table.column("year")], year);
    EXPECT_NEAR(table.number(y, table.column("nep_mean_gC_m2_yr")), sum / n, 1e-9);
    EXPECT_EQ(table.number(y, table.column("valid_cells")), n);
    EXPECT_NEAR(table.number(y, table.column("valid_area_km2")), n * 900.0 / 1e6, 1e-12);
    EXPECT_NEAR(table.number(y, table.column("nep_total_GgC")), sum * 900.0 / 1e9, 1e-12);
  }
  // (0, 0) has no vegetation code in both years; (2, 3) misses July 2001 NDVI.
  EXPECT_EQ(nan_cells, 3u);
  EXPECT_TRUE(std::isnan(e.nep[1][2 * kCols + 3]));
  EXPECT_FALSE(std::isnan(e.nep[0][2 * kCols + 3]));
}

TEST(NepE2e, OneAndTwoThreadsWriteIdenticalFiles) {
  TempDir dir("nep_threads");
  write_fixture(dir);
  std::ofstream(dir.str("classes.csv"), std::ios::app) << "99,shrub\n";
  ASSERT_EQ(run_cli(args(dir, "one", "", "--threads 1")).exit_code, 0);
  ASSERT_EQ(run_cli(args(dir, "two", "", "--threads 2")).exit_code, 0);
  for (const char* file : {"nep_2000.tif", "npp_2001.tif", "rh_2001.tif", "tables/nep_summary.csv"})
    EXPECT_EQ(slurp(dir.str(std::string("one/") + file)),
              slurp(dir.str(std::string("two/") + file)))
        << file;
}

TEST(NepE2e, UnmappedCodeIsAnErrorNamingItUnlessDefaultIsAsked) {
  TempDir dir("nep_unmapped");
  write_fixture(dir);
  const CliRun error = run_cli(args(dir, "out"));
  EXPECT_EQ(error.exit_code, 3) << error.err;
  EXPECT_NE(error.err.find("vegetation code(s) 99"), std::string::npos) << error.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("out/nep_2000.tif")));
  // The default type has no FPAR extremes: with table extremes that is an error naming the row.
  const CliRun table = run_cli(args(dir, "out", "--unmapped default"));
  EXPECT_EQ(table.exit_code, 3) << table.err;
  EXPECT_NE(table.err.find("'default' has no NDVI/SR extremes"), std::string::npos) << table.err;
  const CliRun data = run_cli(args(dir, "out", "--unmapped default --fpar-extremes data"));
  EXPECT_EQ(data.exit_code, 0) << data.err;
  const std::string summary = slurp(dir.str("out/summary.json"));
  EXPECT_NE(summary.find("unmapped_codes"), std::string::npos);
  EXPECT_NE(summary.find("are not in"), std::string::npos) << summary;
}

TEST(NepE2e, NdviOutOfRangeStopsNamingFileAndCell) {
  TempDir dir("nep_ndvi");
  write_fixture(dir);
  std::ofstream(dir.str("classes.csv"), std::ios::app) << "99,shrub\n";
  std::vector<float> v(kCells);
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c)
      v[r * kCols + c] = value(0, r, c, 2001, 3);
  v[1 * kCols + 2] = 4500.0f;  // NDVI × 10000 in one cell
  write_tif(month_file(dir, 0, 2001, 3), v, false);
  const CliRun run = run_cli(args(dir, "out"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("ndvi_2001_03.tif"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("(ndvi, 2001-03)"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("row 1 col 2: 4500 is not within [-1, 1]"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("out/tables/nep_summary.csv")));
}

TEST(NepE2e, MissingMonthStopsNamingVariableYearAndMonth) {
  TempDir dir("nep_month");
  write_fixture(dir);
  std::filesystem::remove(month_file(dir, 2, 2001, 5));
  const CliRun run = run_cli(args(dir, "out"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("precipitation of 2001-05"), std::string::npos) << run.err;
}

TEST(NepE2e, PatternWithoutMonthIsAConfigError) {
  TempDir dir("nep_pattern");
  write_fixture(dir);
  const CliRun run = run_cli(
      "-q nep --years 2000-2000 --ndvi x_{year}.tif --temperature t_{year}_{month}.tif "
      "--precipitation p_{year}_{month}.tif --solar-radiation "
      "s_{year}_{month}.tif --vegetation " +
      dir.str("veg.tif") + " --class-table " + dir.str("classes.csv") + " --out " + dir.str("o"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("must contain {year} and {month}"), std::string::npos) << run.err;
}

// Climate read once: temperature as one 12-band raster per year (pattern without {month}) and
// solar radiation, the same in both years of the fixture, as one 12-band raster for every year
// (no {year}, no {month}). The annual rasters are the same bytes as from the monthly files.
void write_months(const std::string& path, int var, int year) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), kCols, kRows, 12, GDT_Float32, nullptr));
  double gt[6] = {500000.0, 30.0, 0, 4400000.0, 0, -30.0};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  ds->SetSpatialRef(&srs);
  for (int month = 1; month <= 12; ++month) {
    std::vector<float> v(kCells);
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c)
        v[r * kCols + c] = value(var, r, c, year, month);
    (void)ds->GetRasterBand(month)->RasterIO(GF_Write, 0, 0, kCols, kRows, v.data(), kCols, kRows,
                                             GDT_Float32, 0, 0, nullptr);
  }
}

TEST(NepE2e, ClimateAsTwelveBandRastersGivesTheSameFilesAsMonthlyFiles) {
  TempDir dir("nep_banded");
  write_fixture(dir);
  std::ofstream(dir.str("classes.csv"), std::ios::app) << "99,shrub\n";
  for (int year : kYears)
    write_months(dir.str("temp12_" + std::to_string(year) + ".tif"), 1, year);
  write_months(dir.str("sol12.tif"), 3, 2000);
  ASSERT_EQ(value(3, 1, 2, 2000, 5), value(3, 1, 2, 2001, 5));  // sol: the same every year
  ASSERT_EQ(run_cli(args(dir, "monthly")).exit_code, 0);
  auto banded = [&](const std::string& out) {
    std::string a = args(dir, out);
    auto swap = [&](const std::string& from, const std::string& to) {
      const std::size_t at = a.find(from);
      if (at != std::string::npos) a.replace(at, from.size(), to);
    };
    swap(dir.str("temp") + "_{year}_{month}.tif", dir.str("temp12_{year}.tif"));
    swap(dir.str("sol") + "_{year}_{month}.tif", dir.str("sol12.tif"));
    return a;
  };
  const CliRun run = run_cli(banded("banded"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* file :
       {"nep_2000.tif", "npp_2001.tif", "rh_2001.tif", "nep_2001.tif", "tables/nep_summary.csv"})
    EXPECT_EQ(slurp(dir.str(std::string("monthly/") + file)),
              slurp(dir.str(std::string("banded/") + file)))
        << file;
  // The 12-band files are listed once among the inputs, not once per month.
  const std::string summary = slurp(dir.str("banded/summary.json"));
  const std::string entry = "\"path\": \"" + dir.str("sol12.tif") + "\"";
  std::size_t count = 0;
  for (std::size_t at = summary.find(entry); at != std::string::npos;
       at = summary.find(entry, at + 1))
    ++count;
  EXPECT_EQ(count, 1u) << summary;
  // A raster without {month} must hold 12 bands: exit 3 naming the file.
  write_tif(dir.str("sol12.tif"), std::vector<float>(kCells, 100.0f), false);
  const CliRun bad = run_cli(banded("bad"));
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  EXPECT_NE(bad.err.find("sol12.tif has 1 band(s)"), std::string::npos) << bad.err;
}

}  // namespace minecarbon::e2e

namespace minecarbon::e2e {

TEST(NepE2e, ProjectSectionRunsTheSameStage) {
  TempDir dir("nep_project");
  write_fixture(dir);
  std::ofstream(dir.str("classes.csv"), std::ios::app) << "99,shrub\n";
  std::ofstream(dir.str("project.toml"))
      << "[nep]\nyears = \"2000-2001\"\nndvi = \"ndvi_{year}_{month}.tif\"\n"
      << "temperature = \"temp_{year}_{month}.tif\"\nprecipitation = \"prec_{year}_{month}.tif\"\n"
      << "solar_radiation = \"sol_{year}_{month}.tif\"\nvegetation = \"veg.tif\"\n"
      << "class_table = \"classes.csv\"\n";
  const CliRun project = run_cli("-q run " + dir.str("project.toml") + " --out " + dir.str("p"));
  ASSERT_EQ(project.exit_code, 0) << project.err;
  ASSERT_EQ(run_cli(args(dir, "single")).exit_code, 0);
  EXPECT_EQ(slurp(dir.str("p/nep/nep_2001.tif")), slurp(dir.str("single/nep_2001.tif")));
  EXPECT_EQ(slurp(dir.str("p/nep/tables/nep_summary.csv")),
            slurp(dir.str("single/tables/nep_summary.csv")));
  // A typo in a key is a config error naming it.
  std::ofstream(dir.str("project.toml"), std::ios::app) << "rh_temp_coeff = 0.0913\n";
  const CliRun typo = run_cli("-q run " + dir.str("project.toml") + " --out " + dir.str("q"));
  EXPECT_EQ(typo.exit_code, 2) << typo.err;
  EXPECT_NE(typo.err.find("rh_temp_coef"), std::string::npos) << typo.err;
}

}  // namespace minecarbon::e2e

namespace minecarbon::e2e {
namespace {

// Two 300 m x 90 m mines inside the fixture's grid (EPSG:32650), ids M1 and M2.
void write_mines(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  OGRLayer* layer = ds->CreateLayer("mines", &srs, wkbPolygon, nullptr);
  OGRFieldDefn id_field("mine_id", OFTString);
  (void)layer->CreateField(&id_field);
  const char* wkt[2] = {
      "POLYGON((503000 4399880,503300 4399880,503300 4399970,503000 4399970,503000 4399880))",
      "POLYGON((505000 4399880,505300 4399880,505300 4399970,505000 4399970,505000 4399880))"};
  for (int idx = 0; idx < 2; ++idx) {
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("mine_id", ("M" + std::to_string(idx + 1)).c_str());
    OGRGeometry* geometry = nullptr;
    OGRGeometryFactory::createFromWkt(wkt[idx], nullptr, &geometry);
    feature.SetGeometryDirectly(geometry);
    (void)layer->CreateFeature(&feature);
  }
}

const char* kNepSection =
    "[nep]\nyears = \"2000-2001\"\nndvi = \"ndvi_{year}_{month}.tif\"\n"
    "temperature = \"temp_{year}_{month}.tif\"\nprecipitation = \"prec_{year}_{month}.tif\"\n"
    "solar_radiation = \"sol_{year}_{month}.tif\"\nvegetation = \"veg.tif\"\n"
    "class_table = \"classes.csv\"\n";

std::string damage_section(const std::string& years) {
  return "[damage]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\nyears = \"" + years +
         "\"\nmin_area_km2 = 0\nring_gap_m = 30\nring_outer_m = 300\n";
}

}  // namespace

// [damage] without a nep key takes the annual NEP the run's [nep] stage wrote: its tables equal
// those of `nep` then `damage --nep <the files nep wrote>`.
TEST(NepE2e, DamageInTheSameRunTakesTheNepStagesSeries) {
  TempDir dir("nep_damage");
  write_fixture(dir);
  std::ofstream(dir.str("classes.csv"), std::ios::app) << "99,shrub\n";
  write_mines(dir.str("mines.gpkg"));
  std::ofstream(dir.str("project.toml")) << kNepSection << damage_section("2000-2001");
  const CliRun project = run_cli("-q run " + dir.str("project.toml") + " --out " + dir.str("p"));
  ASSERT_EQ(project.exit_code, 0) << project.err;
  ASSERT_EQ(run_cli(args(dir, "n")).exit_code, 0);
  const CliRun damage = run_cli("-q damage --mines " + dir.str("mines.gpkg") +
                                " --id-field mine_id --nep '" + dir.str("n/nep_{year}.tif") +
                                "' --years 2000-2001 --min-area-km2 0 --ring-gap-m 30 "
                                "--ring-outer-m 300 --out " +
                                dir.str("d"));
  ASSERT_EQ(damage.exit_code, 0) << damage.err;
  EXPECT_EQ(slurp(dir.str("p/nep/nep_2001.tif")), slurp(dir.str("n/nep_2001.tif")));
  for (const char* table : {"mines", "mine_year", "year_summary"})
    EXPECT_EQ(slurp(dir.str(std::string("p/tables/") + table + ".csv")),
              slurp(dir.str(std::string("d/tables/") + table + ".csv")))
        << table;
  EXPECT_NE(slurp(dir.str("p/summary.json")).find("this run's nep stage"), std::string::npos);
  // Both mines analysed in both years, with a finite NEP from the rasters.
  const CsvText mine_year = read_csv_file(dir.str("p/tables/mine_year.csv"));
  ASSERT_EQ(mine_year.rows.size(), 4u);
  for (std::size_t row = 0; row < 4; ++row)
    EXPECT_TRUE(std::isfinite(mine_year.number(row, mine_year.column("nep_mine_gC_m2_yr"))))
        << "row " << row;
}

TEST(NepE2e, DamageYearsBeyondTheNepStageAreAConfigErrorBeforeAnythingRuns) {
  TempDir dir("nep_damage_years");
  write_fixture(dir);
  std::ofstream(dir.str("classes.csv"), std::ios::app) << "99,shrub\n";
  write_mines(dir.str("mines.gpkg"));
  std::ofstream(dir.str("project.toml")) << kNepSection << damage_section("2000-2002");
  const CliRun run = run_cli("-q run " + dir.str("project.toml") + " --out " + dir.str("p"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("[nep] years = \"2000-2001\" does not cover"), std::string::npos)
      << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("p")));
  // Without a [nep] section the nep key is required, and the message says so.
  std::ofstream(dir.str("alone.toml")) << damage_section("2000-2001");
  const CliRun alone = run_cli("-q run " + dir.str("alone.toml") + " --out " + dir.str("q"));
  EXPECT_EQ(alone.exit_code, 2) << alone.err;
  EXPECT_NE(alone.err.find("nep"), std::string::npos) << alone.err;
  EXPECT_NE(alone.err.find("add a [nep] section"), std::string::npos) << alone.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("q")));
}

}  // namespace minecarbon::e2e
