// `minecarbon emissions` end to end: a small activity table worked by hand, the project section,
// and every bad input of the issue that concerns emissions — exit code, message and nothing
// written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

const char* kHeader = "mine_id,year,source,amount,unit,subtype,region,fuel_oil_fraction\n";

// Hand values (AR5): 1 t off-road diesel 3.1863 t CO2, 0.17845 kg CH4, 1.2298 kg N2O;
// 1 Mt average surface coal 871 t CH4 = 24,388 t CO2e; 1000 MWh in Shanxi 2022 709.6 t CO2;
// 10 t ANFO at 5.5 % fuel oil 1.752465 t CO2.
const char* kGoodRows =
    "M1,2022,diesel,1,t,,,\n"
    "M1,2022,coal_surface,1000000,t,average,,\n"
    "M1,2022,electricity,1000,MWh,,CN-SX,\n"
    "M2,2022,explosive,10,t,ANFO,,0.055\n"
    "M2,2023,electricity,1000000,kWh,,CN-SX,\n";

class EmissionsCli : public ::testing::Test {
 protected:
  void SetUp() override { write_file(dir_.str("a.csv"), std::string(kHeader) + kGoodRows); }
  CliRun run(const std::string& extra = "") {
    return run_cli("--quiet emissions --activity " + dir_.str("a.csv") + " --out " +
                   dir_.str("out") + " " + extra);
  }
  CliRun run_rows(const std::string& rows, const std::string& extra = "") {
    write_file(dir_.str("a.csv"), std::string(kHeader) + rows);
    return run(extra);
  }
  void expect_nothing_written() {
    EXPECT_FALSE(fs::exists(dir_.str("out")));
    EXPECT_FALSE(fs::exists(dir_.str("results")));
  }
  TempDir dir_{"emissions_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(EmissionsCli, HandValuesReachTheTables) {
  CliRun r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* table :
       {"emission_rows", "mine_year_source", "mine_year_gas", "mine_year", "mine_totals"})
    EXPECT_TRUE(fs::exists(dir_.str("out/tables/") + table + ".csv")) << table;
  const std::string mys = slurp(dir_.str("out/tables/mine_year_source.csv"));
  EXPECT_EQ(mys.substr(0, mys.find('\n')), "mine_id,year,source,co2_t,ch4_t,n2o_t,co2e_t");
  EXPECT_NE(mys.find("M1,2022,electricity,709.6,0,0,709.6"), std::string::npos) << mys;
  EXPECT_NE(mys.find("M2,2023,electricity,709.6,0,0,709.6"), std::string::npos) << mys;
  EXPECT_NE(mys.find("M2,2022,explosive,1.75246"), std::string::npos) << mys;
  const nlohmann::json summary = nlohmann::json::parse(slurp(dir_.str("out/summary.json")));
  EXPECT_EQ(summary["gwp"]["set"], "AR5");
  EXPECT_EQ(summary["parameters"]["gwp"], "AR5");
  EXPECT_EQ(summary["counts"]["mines"], 2);
  EXPECT_NEAR(summary["totals"]["co2e_t_by_source"]["coal_surface"].get<double>(), 24388.0, 1e-6);
  EXPECT_NEAR(summary["totals"]["co2_t"].get<double>(), 3.1863 + 709.6 * 2 + 0.055 * 3.1863 * 10,
              1e-9);
  EXPECT_EQ(summary["factor_years"]["grid_years_used"]["CN-SX"], nlohmann::json({2022}));
  // 2023 fell back to the 2022 factor, with a warning naming region and years.
  ASSERT_TRUE(summary.contains("warnings"));
  const std::string warning = summary["warnings"][0]["message"];
  EXPECT_NE(warning.find("region CN-SX, 2023"), std::string::npos) << warning;
  EXPECT_NE(warning.find("used the 2022 factor"), std::string::npos) << warning;
  EXPECT_NE(summary["disturbed_area_est"]["label"].get<std::string>().find("estimate"),
            std::string::npos);
  const std::string totals = slurp(dir_.str("out/tables/mine_totals.csv"));
  EXPECT_NE(totals.find(",1e+06,22\n"), std::string::npos) << totals;  // coal t, est. ha
}

TEST_F(EmissionsCli, Ar6UsesFossilMethane) {
  write_file(dir_.str("a.csv"), std::string(kHeader) + "M1,2022,coal_surface,1000000,t,,,\n");
  CliRun r = run("--gwp AR6");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json summary = nlohmann::json::parse(slurp(dir_.str("out/summary.json")));
  EXPECT_EQ(summary["gwp"]["set"], "AR6");
  EXPECT_NEAR(summary["totals"]["co2e_t"].get<double>(), 871.0 * 29.8, 1e-6);
}

TEST_F(EmissionsCli, ProjectSectionWritesIntoItsFolder) {
  write_file(dir_.str("pools.csv"), "lucode,c_above,c_below,c_soil,c_dead\n1,15,10,60,1\n");
  write_file(dir_.str("a.csv"),
             std::string(kHeader) + kGoodRows + "M1,2022,land_cleared,2,ha,1,,\n");
  write_file(dir_.str("project.toml"),
             "[project]\nout = \"results\"\n\n[emissions]\nactivity = \"a.csv\"\n"
             "pools = \"pools.csv\"\ngwp = \"AR4\"\nclearing_soc_loss_fraction = 0.5\n");
  CliRun r = run_cli("--quiet run " + dir_.str("project.toml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string mys = slurp(dir_.str("results/emissions/tables/mine_year_source.csv"));
  // 2 ha × (15 + 10 + 1 + 0.5 × 60) t C/ha × 44/12 = 410.666… t CO2.
  EXPECT_NE(mys.find("M1,2022,land_cleared,410.66666666666"), std::string::npos) << mys;
  const nlohmann::json summary =
      nlohmann::json::parse(slurp(dir_.str("results/emissions/summary.json")));
  EXPECT_EQ(summary["gwp"]["set"], "AR4");
}

TEST_F(EmissionsCli, UnknownSource) {
  CliRun r = run_rows("M1,2022,disel,1,t,,,\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("a.csv:2: source = 'disel': unknown source; expected diesel"),
            std::string::npos)
      << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, UnknownUnit) {
  CliRun r = run_rows("M1,2022,diesel,1,gallon,,,\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("a.csv:2: unit = 'gallon': unknown unit; expected L, m3, t or GJ"),
            std::string::npos)
      << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, NegativeAmount) {
  CliRun r = run_rows("M1,2022,diesel,1,t,,,\nM1,2022,diesel,-3,t,,,\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("a.csv:3: amount = -3: must be >= 0"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, GridFactorMissingForARegion) {
  CliRun r = run_rows("M4,2022,electricity,5,MWh,,CN-GD,\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("a.csv:2: mine M4, 2022, electricity: no grid factor for region 'CN-GD'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--grid-factors"), std::string::npos) << r.err;
  expect_nothing_written();
  // Given in the user's own grid table, the row runs.
  write_file(dir_.str("grid.csv"), "region,year,co2_t_per_MWh,source\nCN-GD,2022,0.4,test\n");
  r = run("--grid-factors " + dir_.str("grid.csv"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(EmissionsCli, RecoveredMethaneAboveFugitive) {
  CliRun r = run_rows("M1,2022,coal_surface,1000,t,,,\nM1,2022,ch4_recovered,5,t,,,\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("a.csv:3: mine M1, 2022: ch4_recovered 5 t CH4 is more than the "
                       "mine-year's fugitive CH4"),
            std::string::npos)
      << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, LandClearedWithoutPoolTable) {
  CliRun r = run_rows("M1,2022,land_cleared,3,ha,1,,\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("land_cleared needs the pool table"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--pools"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, LandClearedWithAnUnknownClass) {
  write_file(dir_.str("pools.csv"), "lucode,c_above,c_below,c_soil,c_dead\n1,15,10,60,1\n");
  CliRun r = run_rows("M1,2022,land_cleared,3,ha,9,,\n", "--pools " + dir_.str("pools.csv"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("subtype = '9': class not in the pool table"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, BadPoolTable) {
  write_file(dir_.str("pools.csv"),
             "lucode,c_above,c_below,c_soil,c_dead\n1,15,10,60,1\n2,-2,0,0,0\n");
  CliRun r = run("--pools " + dir_.str("pools.csv"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("pools.csv:3, field 'c_above': -2 is negative"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, UnknownGwpSetIsAUsageError) {
  CliRun r = run("--gwp AR7");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--gwp"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SAR, AR4, AR5, AR6"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, OutOfRangeOptionInTheProjectFile) {
  write_file(dir_.str("project.toml"),
             "[emissions]\nactivity = \"a.csv\"\nflare_efficiency = 1.5\n");
  CliRun r = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + dir_.str("out"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("project.toml:3 [emissions] flare_efficiency"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, MissingActivityFile) {
  CliRun r =
      run_cli("--quiet emissions --activity " + dir_.str("nope.csv") + " --out " + dir_.str("out"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("nope.csv does not exist"), std::string::npos) << r.err;
  expect_nothing_written();
}

TEST_F(EmissionsCli, UnwritableOutputFolderIsAUsageError) {
  { std::ofstream(dir_.str("a_file")) << "x"; }
  CliRun r = run_cli("--quiet emissions --activity " + dir_.str("a.csv") + " --out " +
                     dir_.str("a_file/sub"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("cannot create output folder"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace minecarbon::e2e
