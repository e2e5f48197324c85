// Bad input to `minecarbon potential`: every case ends with a message naming what and where, the
// documented exit code (2 usage/config, 3 input data) and no output folder; covariates missing for
// some mines are reported per mine and counted, not fatal.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"
#include "test_potential_fixture.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;
using namespace potential;

class PotentialBadInput : public ::testing::Test {
 protected:
  void SetUp() override { write_small_world(dir_); }
  std::string out() const { return dir_.str("out"); }
  void expect_nothing_written() const { EXPECT_FALSE(fs::exists(out())) << out(); }
  TempDir dir_{"potential_bad"};
};

TEST_F(PotentialBadInput, MissingCovariateRasterIsADataErrorNamingIt) {
  CliRun run = run_cli(small_run(dir_, "--covariate gpp=" + dir_.str("no_such_gpp.tif")) +
                       " --out " + out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("covariate 'gpp'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("no_such_gpp.tif does not exist"), std::string::npos) << run.err;
  expect_nothing_written();
}

TEST_F(PotentialBadInput, MinesOutsideACovariateAreReportedCountedAndNotPredicted) {
  // half_x1 covers the 32 western mines only.
  CliRun run = run_cli(small_run(dir_, "--covariate half=" + dir_.str("half_x1.tif")) +
                       " --min-training-mines 20 --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(slurp(out() + "/summary.json"));
  EXPECT_EQ(summary["counts"]["missing_covariates"], 32);
  EXPECT_EQ(summary["counts"]["pool_missing_covariates"], 32);
  EXPECT_EQ(summary["counts"]["not_predicted_missing_covariates"], 32);
  EXPECT_EQ(summary["counts"]["pool"], 32);
  CsvText cov = read_csv_file(out() + "/tables/covariates.csv");
  CsvText pot = read_csv_file(out() + "/tables/potential.csv");
  int outside = 0;
  for (std::size_t row = 0; row < cov.rows.size(); ++row) {
    const std::string id = cov.rows[row][cov.column("mine_id")];
    const bool east = std::stoi(id.substr(1, id.find('_') - 1)) >= kSide / 2;
    if (!east) continue;
    ++outside;
    EXPECT_EQ(cov.rows[row][cov.column("missing_covariates")], "half (outside)");
    EXPECT_EQ(cov.rows[row][cov.column("half")], "NA");
    EXPECT_EQ(cov.rows[row][cov.column("half_covered_area_m2")], "0");
    EXPECT_EQ(pot.rows[row][pot.column("prediction_status")], "not_predicted_missing_covariates");
    EXPECT_EQ(pot.rows[row][pot.column("role")], "missing_covariates");
  }
  EXPECT_EQ(outside, 32);
  bool warned = false;
  for (const auto& w : summary["warnings"])
    warned = warned || (w["code"] == "covariate_missing" &&
                        w["message"].get<std::string>().find(
                            "covariate half is missing for 32 of 64 mines") != std::string::npos);
  EXPECT_TRUE(warned) << summary["warnings"].dump();

  // With imputation they are predicted and flagged; training still excludes them.
  TempDir imputed_dir("potential_imputed");
  CliRun imputed = run_cli(small_run(dir_, "--covariate half=" + dir_.str("half_x1.tif")) +
                           " --min-training-mines 20 --missing-covariates impute_median --out " +
                           imputed_dir.str("o"));
  ASSERT_EQ(imputed.exit_code, 0) << imputed.err;
  const auto s2 = nlohmann::json::parse(slurp(imputed_dir.str("o/summary.json")));
  EXPECT_EQ(s2["counts"]["predicted_with_imputation"], 32);
  EXPECT_EQ(s2["counts"]["predicted"], 64);
  EXPECT_EQ(s2["counts"]["training"], summary["counts"]["training"]);
}

TEST_F(PotentialBadInput, ConstantCovariateIsADataError) {
  CliRun run =
      run_cli(small_run(dir_, "--covariate flat=" + dir_.str("const.tif")) + " --out " + out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("covariate flat is constant (= 7) over all"), std::string::npos)
      << run.err;
  expect_nothing_written();
}

TEST_F(PotentialBadInput, TooFewTrainingMinesGiveTheCounts) {
  // Responses above 250: 20·i + 5·j > 130, i.e. i = 7 (8 mines), i = 6 with j ≥ 3 (5) and
  // i = 5 with j = 7 (1): 14 mines, round(0.15 · 14) = 2 held out, 12 to train.
  CliRun run = run_cli(small_run(dir_, "--threshold 250") + " --out " + out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("only 12 training mines"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("> 250: 14 mines"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("need at least 30"), std::string::npos) << run.err;
  expect_nothing_written();
  // Fewer training mines than folds: 54 training mines, 60 folds.
  CliRun folds = run_cli(small_run(dir_, "--folds 60 --min-training-mines 2") + " --out " + out());
  EXPECT_EQ(folds.exit_code, 3) << folds.err;
  EXPECT_NE(folds.err.find("only 54 training mines"), std::string::npos) << folds.err;
  EXPECT_NE(folds.err.find("need at least 60"), std::string::npos) << folds.err;
  expect_nothing_written();
}

TEST_F(PotentialBadInput, ResponseColumnThatDoesNotExistListsTheColumns) {
  CliRun run = run_cli(small_run(dir_, "--response nep_gain") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("response = 'nep_gain': not a numeric column of"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("(numeric columns: nep_increment_gC_m2_yr)"), std::string::npos)
      << run.err;
  expect_nothing_written();
}

TEST_F(PotentialBadInput, ResponseColumnMissingFromADamageFolderListsItsColumns) {
  fs::create_directories(dir_.str("damage/tables"));
  std::ofstream(dir_.str("damage/tables/mines.csv"))
      << "mine_id,status,area_m2,nep_change_rel_last_gC_m2_yr\nS0_0,ok,1e6,-20\n";
  std::ofstream(dir_.str("damage/tables/mine_year.csv"))
      << "mine_id,year,nep_mine_change_gC_m2_yr\nS0_0,2000,0\nS0_0,2001,150\n";
  const std::string base = "--quiet potential --mines " + dir_.str("mines.gpkg") +
                           " --id-field mine_id --covariate x1=" + dir_.str("x1.tif") +
                           " --damage " + dir_.str("damage");
  CliRun run = run_cli(base + " --response nep_loss_total --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("not a numeric column of the damage results; use "
                         "nep_increment_gC_m2_yr (the default) or one of: area_m2, "
                         "nep_change_rel_last_gC_m2_yr"),
            std::string::npos)
      << run.err;
  expect_nothing_written();
  // No damage folder at all.
  CliRun missing = run_cli("--quiet potential --mines " + dir_.str("mines.gpkg") +
                           " --covariate x1=" + dir_.str("x1.tif") + " --damage " +
                           dir_.str("nowhere") + " --out " + out());
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("has no tables/mines.csv"), std::string::npos) << missing.err;
  expect_nothing_written();
}

TEST_F(PotentialBadInput, NoResponseSourceIsAUsageError) {
  CliRun run = run_cli("--quiet potential --mines " + dir_.str("mines.gpkg") +
                       " --covariate x1=" + dir_.str("x1.tif") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("no response: run it after a [damage] section"), std::string::npos)
      << run.err;
  expect_nothing_written();
}

TEST_F(PotentialBadInput, ProjectFileErrorsPointAtTheLine) {
  std::ofstream(dir_.str("project.toml"))
      << "[potential]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\n"
      << "response_table = \"response.csv\"\n"
      << "covariates = [\n  { name = \"x1\", raster = \"x1.tif\" },\n"
      << "  { name = \"x2\", raster = \"x2.tif\", stat = \"median\" },\n]\n";
  CliRun run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("project.toml:7 [potential.covariates] stat: expected one of mean, sum, "
                         "area_sum; got 'median'"),
            std::string::npos)
      << run.err;
  std::ofstream(dir_.str("project.toml"))
      << "[potential]\nmines = \"mines.gpkg\"\nresponse_table = \"response.csv\"\n"
      << "respons_threshold = 50\n";
  run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("project.toml:4 [potential] respons_threshold: unknown key; did you "
                         "mean 'response_threshold'?"),
            std::string::npos)
      << run.err;
  expect_nothing_written();
}

TEST_F(PotentialBadInput, BadSettingsStopBeforeAnyInputIsReadNamingTheFlagOrLine) {
  CliRun run = run_cli(small_run(dir_, "--interval 1.5") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("potential: --interval = 1.5: must be > 0 and < 1"), std::string::npos)
      << run.err;
  expect_nothing_written();
  run = run_cli(small_run(dir_, "--threshold nan") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("potential: --threshold: must be a finite number, got nan"),
            std::string::npos)
      << run.err;
  // small_run gives --grid-trees 60 already; a repeated flag appends: 60, 60, 0.
  run = run_cli(small_run(dir_, "--grid-trees 60,0") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("potential: --grid-trees: item 3 = 0: must be >= 1"), std::string::npos)
      << run.err;
  run = run_cli(small_run(dir_, "--terrain slope_deg,tilt --dem " + dir_.str("x1.tif")) +
                " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--terrain = 'tilt': expected one of slope_deg, aspect_deg"),
            std::string::npos)
      << run.err;
  expect_nothing_written();
  // In a project file: the line of the key, and a missing input found before anything runs.
  std::ofstream(dir_.str("project.toml"))
      << "[potential]\nmines = \"mines.gpkg\"\nresponse_table = \"response.csv\"\n"
      << "covariates = [{ name = \"x1\", raster = \"x1.tif\" }]\ngrid_num_trees = [60, 0]\n";
  run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("project.toml:5 [potential] grid_num_trees: item 2 = 0: must be >= 1"),
            std::string::npos)
      << run.err;
  std::ofstream(dir_.str("project.toml"))
      << "[potential]\nmines = \"mines.gpkg\"\nresponse_table = \"response.csv\"\n"
      << "covariates = [{ name = \"x1\", raster = \"x1.tif\" },\n"
      << "  { name = \"x9\", raster = \"x9.tif\" }]\n";
  run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("covariate 'x9'"), std::string::npos) << run.err;
  expect_nothing_written();
}

}  // namespace
}  // namespace minecarbon::e2e

namespace minecarbon::e2e {
namespace {

TEST_F(PotentialBadInput, ATextCellInTheResponseColumnNamesItsLine) {
  std::ofstream(dir_.str("response.csv")) << "mine_id,nep_increment_gC_m2_yr\nM1,120\nM2,abc\n";
  std::ofstream(dir_.str("project.toml"))
      << "[potential]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\n"
      << "response_table = \"response.csv\"\n"
      << "covariates = [{ name = \"x1\", raster = \"x1.tif\" }]\n";
  const CliRun run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("response.csv:3"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'abc' is not a number"), std::string::npos) << run.err;
  expect_nothing_written();
}

}  // namespace
}  // namespace minecarbon::e2e
