// `minecarbon topography` end to end: alone on the small lon/lat world of the potential tests
// (a sink table), in a project after [potential] (the forest's partial dependence, sinks from
// memory), and bad inputs: exit 2 for settings, 3 for data, naming the file and field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_harness.h"
#include "test_potential_fixture.h"

namespace minecarbon::e2e {
namespace {

namespace pw = potential;

// A DEM on the small world's grid: a plane rising east (x1 is col-based) plus the x3 pattern.
void write_dem(const TempDir& dir) {
  pw::write_raster(dir.str("dem.tif"), [](int row, int col) {
    return 200.0 + 3.0 * col + 0.5 * row + pw::x3(row, col);
  });
}

void write_sinks(const TempDir& dir) {
  std::ofstream csv(dir.str("sinks.csv"));
  csv << "mine_id,nep_gC_m2_yr,label\n";
  for (int i = 0; i < pw::kSide; ++i)
    for (int j = 0; j < pw::kSide; ++j)
      csv << pw::mine_id(i, j) << ',' << pw::response(i, j) << ",x\n";
}

std::string alone(const TempDir& dir, const std::string& extra = {}) {
  return "--quiet topography --dem " + dir.str("dem.tif") + " --mines " + dir.str("mines.gpkg") +
         " --id-field mine_id --sink-table " + dir.str("sinks.csv") +
         " --sink-fields nep_gC_m2_yr --tpi-radius-m 3000 " + extra;
}

TEST(TopographyE2E, AloneWritesEveryTableAndTheGeoPackage) {
  TempDir dir("topo_alone");
  pw::write_small_world(dir);
  write_dem(dir);
  write_sinks(dir);
  const CliRun run = run_cli(alone(dir, "--out " + dir.str("out")));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* file :
       {"results.gpkg", "summary.json", "tables/mine_terrain.csv", "tables/terrain_groups.csv",
        "tables/terrain_tests.csv", "tables/partial_dependence.csv"})
    EXPECT_TRUE(std::filesystem::exists(dir.str("out/") + file)) << file;
  const std::string terrain = slurp(dir.str("out/tables/mine_terrain.csv"));
  EXPECT_NE(terrain.find("S0_0,ok,"), std::string::npos) << terrain.substr(0, 400);
  const std::string tests = slurp(dir.str("out/tables/terrain_tests.csv"));
  EXPECT_NE(tests.find("nep_gC_m2_yr,continuous,spearman,elevation_mean_m"), std::string::npos);
}

TEST(TopographyE2E, InAProjectAfterPotentialItTakesTheForestFromMemory) {
  TempDir dir("topo_project");
  pw::write_small_world(dir);
  write_dem(dir);
  std::ofstream(dir.str("project.toml"))
      << "[project]\nout = \"results\"\n"
      << "[potential]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\n"
      << "response_table = \"response.csv\"\ndem = \"dem.tif\"\n"
      << "terrain = [\"slope_deg\", \"northness\"]\n"
      << "covariates = [{ name = \"x1\", raster = \"x1.tif\" }, { name = \"x2\", raster = "
         "\"x2.tif\" }]\n"
      << "grid_num_trees = [60]\ngrid_min_node_size = [3]\n"
      << "[topography]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\ndem = \"dem.tif\"\n"
      << "tpi_radius_m = 3000\npd_grid_points = 5\n";
  const CliRun run = run_cli("--quiet run " + dir.str("project.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string pd = slurp(dir.str("results/topography/tables/partial_dependence.csv"));
  EXPECT_NE(pd.find("slope_deg,0,"), std::string::npos) << pd;
  EXPECT_NE(pd.find("northness,4,"), std::string::npos) << pd;
  const std::string tests = slurp(dir.str("results/topography/tables/terrain_tests.csv"));
  EXPECT_NE(tests.find("predicted_nep_increment_gC_m2_yr,"), std::string::npos);
}

TEST(TopographyE2E, MissingSinkColumnIsExit3NamingFileAndField) {
  TempDir dir("topo_bad_field");
  pw::write_small_world(dir);
  write_dem(dir);
  write_sinks(dir);
  const CliRun run = run_cli(alone(dir, "--sink-fields nep_typo --out " + dir.str("out")));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("sinks.csv: no column 'nep_typo'"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("out")));
}

TEST(TopographyE2E, TextInASinkColumnIsExit3NamingTheLine) {
  TempDir dir("topo_bad_value");
  pw::write_small_world(dir);
  write_dem(dir);
  write_sinks(dir);
  const CliRun run = run_cli(alone(dir, "--sink-fields label --out " + dir.str("out")));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("sinks.csv:2"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'label'"), std::string::npos) << run.err;
}

TEST(TopographyE2E, BadSlopeBreaksAreExit2NamingTheFlag) {
  TempDir dir("topo_bad_breaks");
  pw::write_small_world(dir);
  write_dem(dir);
  write_sinks(dir);
  const CliRun run = run_cli(alone(dir, "--slope-breaks-deg 15,8 --out " + dir.str("out")));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("slope-breaks-deg"), std::string::npos) << run.err;
}

TEST(TopographyE2E, DemWithoutCrsIsExit3NamingTheFile) {
  TempDir dir("topo_no_crs");
  pw::write_small_world(dir);
  write_sinks(dir);
  GDALAllRegister();
  {
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
        dir.str("dem.tif").c_str(), 10, 10, 1, GDT_Float32, nullptr));
    double gt[6] = {20.0, 0.01, 0, 45.8, 0, -0.01};
    ds->SetGeoTransform(gt);
  }
  const CliRun run = run_cli(alone(dir, "--out " + dir.str("out")));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("dem.tif"), std::string::npos) << run.err;
}

TEST(TopographyE2E, MinesOutsideTheDemAreReportedNotACrash) {
  TempDir dir("topo_outside");
  pw::write_small_world(dir);
  write_sinks(dir);
  // A DEM covering only the left quarter of the world: most mines lie outside it.
  pw::write_raster(
      dir.str("dem.tif"), [](int, int col) { return 100.0 + col; }, pw::kCells / 4);
  const CliRun run = run_cli(alone(dir, "--out " + dir.str("out")));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string terrain = slurp(dir.str("out/tables/mine_terrain.csv"));
  EXPECT_NE(terrain.find("S7_7,outside,"), std::string::npos);
  EXPECT_NE(terrain.find("S0_0,ok,"), std::string::npos);
  EXPECT_NE(slurp(dir.str("out/summary.json")).find("mine_outside_dem"), std::string::npos);
}

}  // namespace
}  // namespace minecarbon::e2e
