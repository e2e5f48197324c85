// The covariate table of `minecarbon potential --covariates-only` against independent
// computations: zonal means, valid and covered areas of real mine polygons from GEOS intersections
// and R terra (tests/data/zonal_terra/README.md), geodesic mine areas from terra::expanse
// (tests/data/mining_polygons/README.md), and squares on cell edges worked by hand.
#include <gdal_utils.h>
#include <gtest/gtest.h>

#include <map>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"
#include "test_potential_fixture.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;
const std::string kData = MC_TEST_DATA_DIR;

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(' ');
  const auto last = text.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

double number_or_nan(const CsvText& csv, std::size_t row, const std::string& column) {
  const std::string text = trim(csv.rows[row][csv.column(column)]);
  return text == "NA" ? std::nan("") : std::stod(text);
}

// The 20 terra rasters (each around one mine, cells of 0.0025° on a common lattice) as one
// virtual mosaic spanning them all: a single covariate raster for all 100 mines.
void build_mosaic(const std::string& vrt) {
  GDALAllRegister();
  std::vector<std::string> names;
  for (int k = 1; k <= 20; ++k)
    names.push_back(kData + "/zonal_terra/r_" + std::to_string(k) + ".tif");
  std::vector<const char*> sources;
  for (const auto& n : names)
    sources.push_back(n.c_str());
  const char* argv[] = {"-tr",   "0.0025",     "0.0025", "-tap", "-srcnodata",
                        "-9999", "-vrtnodata", "-9999",  nullptr};
  GDALBuildVRTOptions* options = GDALBuildVRTOptionsNew(const_cast<char**>(argv), nullptr);
  int usage_error = 0;
  GDALDatasetH ds = GDALBuildVRT(vrt.c_str(), static_cast<int>(sources.size()), nullptr,
                                 sources.data(), options, &usage_error);
  GDALBuildVRTOptionsFree(options);
  ASSERT_NE(ds, nullptr);
  GDALClose(ds);
}

TEST(PotentialCovariates, MeansAndAreasOfRealMinesMatchGeosTerraAndGeodesicReferences) {
  TempDir dir("potential_cov_terra");
  build_mosaic(dir.str("mosaic.vrt"));
  CliRun run = run_cli("--quiet potential --covariates-only --mines " + kData +
                       "/mining_polygons/maus_tang_combined_demo_100.gpkg --id-field id"
                       " --covariate x=" +
                       dir.str("mosaic.vrt") + " --covariate-sum xsum=" + dir.str("mosaic.vrt") +
                       " --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  CsvText got = read_csv_file(dir.str("out/tables/covariates.csv"));
  ASSERT_EQ(got.rows.size(), 100u);
  std::map<std::string, std::size_t> row_of;
  for (std::size_t row = 0; row < got.rows.size(); ++row)
    row_of[got.rows[row][got.column("mine_id")]] = row;

  // Means, valid and covered areas: GEOS intersections (1e-9 in the damage tests; 1e-8 here for the
  // far-away mosaic origin), terra's exact = TRUE means to 1e-5.
  CsvText geos = read_csv_file(kData + "/zonal_terra/reference_zonal_means.csv");
  CsvText terra = read_csv_file(kData + "/zonal_terra/terra_exact_means.csv");
  ASSERT_EQ(geos.rows.size(), 20u);
  for (std::size_t k = 0; k < geos.rows.size(); ++k) {
    const std::string id = trim(geos.rows[k][geos.column("id")]);
    ASSERT_TRUE(row_of.count(id)) << id;
    const std::size_t row = row_of[id];
    const double mean = number_or_nan(geos, k, "mean");
    EXPECT_NEAR(got.number(row, got.column("x")), mean, 1e-8 * std::fabs(mean)) << id;
    const double valid = number_or_nan(geos, k, "valid_area_m2");
    EXPECT_NEAR(got.number(row, got.column("x_valid_area_m2")), valid, 1e-8 * valid) << id;
    const double covered = number_or_nan(geos, k, "covered_area_m2");
    EXPECT_NEAR(got.number(row, got.column("x_covered_area_m2")), covered, 1e-8 * covered) << id;
    EXPECT_EQ(got.rows[row][got.column("covariates_complete")], "1");
    const double terra_mean = number_or_nan(terra, k, "terra_exact_mean");
    EXPECT_NEAR(got.number(row, got.column("x")), terra_mean, 1e-5 * std::fabs(terra_mean)) << id;
  }
  // Sums Σ f·x over valid cells, with terra's own fractions (accurate to ~6e-7 per cell).
  CsvText cells = read_csv_file(kData + "/zonal_terra/terra_cells.csv");
  std::map<std::string, double> terra_sum;
  for (std::size_t k = 0; k < cells.rows.size(); ++k) {
    const double x = number_or_nan(cells, k, "x");
    if (!std::isnan(x))
      terra_sum[trim(cells.rows[k][cells.column("id")])] += number_or_nan(cells, k, "f_terra") * x;
  }
  ASSERT_EQ(terra_sum.size(), 20u);
  for (const auto& [id, sum] : terra_sum)
    EXPECT_NEAR(got.number(row_of.at(id), got.column("xsum")), sum, 1e-5 * sum) << id;
  // The other 80 mines lie in the mosaic's empty space or outside it: reported, not dropped.
  int missing = 0;
  for (std::size_t row = 0; row < got.rows.size(); ++row) {
    if (terra_sum.count(got.rows[row][got.column("mine_id")])) continue;
    ++missing;
    EXPECT_EQ(got.rows[row][got.column("covariates_complete")], "0");
    EXPECT_EQ(got.rows[row][got.column("x")], "NA");
    const std::string why = got.rows[row][got.column("missing_covariates")];
    EXPECT_TRUE(why == "x (nodata); xsum (nodata)" || why == "x (outside); xsum (outside)") << why;
  }
  EXPECT_EQ(missing, 80);
  // Geodesic areas against terra::expanse (GeographicLib) for all 100.
  CsvText areas = read_csv_file(kData + "/mining_polygons/reference_areas_maus_tang_demo.csv");
  ASSERT_EQ(areas.rows.size(), 100u);
  for (std::size_t k = 0; k < areas.rows.size(); ++k) {
    const std::string id = areas.rows[k][areas.column("id")];
    const double expected_km2 = areas.number(k, areas.column("terra_area_m2")) / 1e6;
    EXPECT_NEAR(got.number(row_of.at(id), got.column("mine_area_km2")), expected_km2,
                1e-9 * expected_km2)
        << id;
  }
  EXPECT_FALSE(fs::exists(dir.str("out/tables/potential.csv")));  // covariates only
}

TEST(PotentialCovariates, SquaresOnCellEdgesGiveHandComputedMeansAndSums) {
  // Each mine covers exactly 3 × 3 cells: columns c0..c0+2 with c0 = 5 + 9·i. x1 = 100 + 10·col
  // is constant down a column, so its area-weighted mean is 100 + 10·(c0 + 1) whatever the row
  // weights; the coverage-weighted sum of a constant 7 is 9 · 7 = 63.
  using namespace potential;
  TempDir dir("potential_cov_squares");
  write_small_world(dir);
  CliRun run =
      run_cli("--quiet potential --covariates-only --mines " + dir.str("mines.gpkg") +
              " --id-field mine_id --covariate x1=" + dir.str("x1.tif") +
              " --covariate-sum seven=" + dir.str("const.tif") + " --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  CsvText got = read_csv_file(dir.str("out/tables/covariates.csv"));
  ASSERT_EQ(got.rows.size(), 64u);
  for (std::size_t row = 0; row < got.rows.size(); ++row) {
    const std::string id = got.rows[row][got.column("mine_id")];
    const int i = std::stoi(id.substr(1, id.find('_') - 1));
    EXPECT_NEAR(got.number(row, got.column("x1")), 100.0 + 10.0 * (5 + 9 * i + 1), 1e-9) << id;
    EXPECT_NEAR(got.number(row, got.column("seven")), 63.0, 1e-9) << id;
  }
}

}  // namespace
}  // namespace minecarbon::e2e
