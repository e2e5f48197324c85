// `minecarbon balance` on a results folder built here with the tables each stage writes (the
// column contracts of docs/balance.md): numbers worked by hand, the GeoPackage, the per-mine
// report, `run` with a [balance] section, and bad input (exit code, message, nothing written).
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "../unit/assess/landuse_fixture.h"
#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

constexpr double k = 44.0 / 12.0;

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

class BalanceE2e : public ::testing::Test {
 protected:
  // One results folder as `minecarbon run` lays it out: damage at the top, the others below.
  // M1 has every stage; M3 only process emissions; M2 only a missing NEP value.
  void SetUp() override {
    write_file(dir_.path() / "r/tables/mine_year.csv",
               "mine_id,year,nep_change_rel_MgC_yr,nep_loss_gC_m2_yr\n"
               "M1,2001,-3,1\nM1,2002,-3,1\nM2,2001,NA,NA\n");
    write_file(dir_.path() / "r/vegetation/tables/projection_mines.csv",
               "mine_id,land_uses,year,sink_tC_yr\nM1,forest,2010,5\nM1,forest,2011,5\n"
               "M1,forest,2012,5\n");
    write_file(dir_.path() / "r/landuse/tables/mine_change.csv",
               "mine_id,year_from,year_to,pair_kind,loss_tC,gain_tC\n"
               "M1,2000,2005,consecutive,-10,2\nM1,2005,2010,consecutive,0,3\n"
               "M1,2000,2010,first_last,-10,5\n");
    write_file(dir_.path() / "r/emissions/tables/mine_year_source.csv",
               "mine_id,year,source,co2_t,co2e_t\nM1,2001,diesel,4,4\n"
               "M1,2001,land_cleared,100,100\nM3,2002,diesel,7,7\n");
    write_file(dir_.path() / "r/soil/tables/scenario_years.csv",
               "scenario,mine_id,year,sequestration_tC_yr,area_ha\na,M1,2011,1,10\n");
  }
  CliRun balance(const std::string& extra = "") {
    return run_cli("--quiet balance --from " + dir_.str("r") + " --horizon-year 2013 --out " +
                   dir_.str("out") + " " + extra);
  }
  std::map<std::string, std::vector<std::string>> summary_row(const std::string& mine) {
    const CsvText csv = read_csv_file(dir_.str("out/tables/mine_summary.csv"));
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& row : csv.rows)
      if (row[0] == mine)
        for (std::size_t c = 0; c < csv.header.size(); ++c)
          out[csv.header[c]].push_back(row[c]);
    return out;
  }
  TempDir dir_{"balance_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(BalanceE2e, JoinsEveryStageOfAResultsFolder) {
  const CliRun run = balance("--report-mine M1");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto m1 = summary_row("M1");
  EXPECT_EQ(m1["status"][0], "not_within_horizon");
  EXPECT_EQ(m1["components"][0], "emissions;landuse;damage;vegetation;soil");
  // Process 4 (the land_cleared row is counted by the maps); in t C: clearing 10, foregone
  // 2 × 3, map gains 3 × 0.4 + 5 × 0.6 (2003-2010), restoration 5 + 1 (2011) and 5 (2012).
  EXPECT_NEAR(std::stod(m1["process_emission_co2e_t"][0]), 4.0, 1e-12);
  EXPECT_NEAR(std::stod(m1["clearing_emission_co2e_t"][0]), 10.0 * k, 1e-9);
  EXPECT_NEAR(std::stod(m1["foregone_sink_co2e_t"][0]), 6.0 * k, 1e-9);
  EXPECT_NEAR(std::stod(m1["landuse_gain_removal_co2e_t"][0]), -4.2 * k, 1e-9);
  EXPECT_NEAR(std::stod(m1["restoration_removal_co2e_t"][0]), -11.0 * k, 1e-9);
  EXPECT_NEAR(std::stod(m1["cumulative_net_emission_co2e_t"][0]),
              4.0 + (10.0 + 6.0 - 4.2 - 11.0) * k, 1e-9);
  EXPECT_EQ(m1["first_net_removal_year"][0], "2006");
  EXPECT_EQ(m1["carbon_neutral_year"][0], "NA");
  auto m3 = summary_row("M3");
  EXPECT_EQ(m3["components"][0], "emissions");
  EXPECT_EQ(m3["cumulative_net_emission_co2e_t"][0], "7");
  EXPECT_EQ(summary_row("M2")["status"][0], "no_data");

  const CsvText years = read_csv_file(dir_.str("out/tables/mine_year.csv"));
  std::map<std::string, std::string> basis;
  for (const auto& row : years.rows)
    if (row[0] == "M1") basis[row[1]] = row[years.column("ecosystem_basis")];
  EXPECT_EQ(basis["2001"], "nep");
  EXPECT_EQ(basis["2003"], "landuse");
  EXPECT_EQ(basis["2011"], "projection");
  EXPECT_EQ(basis["2013"], "none");
  const CsvText report = read_csv_file(dir_.str("out/report_mine_M1.csv"));
  EXPECT_EQ(report.rows.size(), 13u);  // 2001-2013

  const auto summary = nlohmann::json::parse(slurp(dir_.path() / "out/summary.json"));
  EXPECT_NE(summary["sign_convention"].get<std::string>().find("positive = emission"),
            std::string::npos);
  EXPECT_EQ(summary["stages"].size(), 5u);
  EXPECT_EQ(summary["parameters"]["horizon_year"], 2013);
  EXPECT_EQ(summary["warning_counts"]["land_cleared_counted_by_maps"], 1);
}

TEST_F(BalanceE2e, WritesTheMinesWithTheirSummaryIntoAGeoPackage) {
  write_file(dir_.path() / "mines.geojson",
             R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"mine_id":"M9"},"geometry":{"type":"Polygon","coordinates":[[[110,38],[110.1,38],[110.1,38.1],[110,38]]]}},
{"type":"Feature","properties":{"mine_id":"M1"},"geometry":{"type":"Polygon","coordinates":[[[111,38],[111.1,38],[111.1,38.1],[111,38]]]}}]})");
  const CliRun run = balance("--mines " + dir_.str("mines.geojson") + " --id-field mine_id");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  GDALAllRegister();
  GDALDatasetUniquePtr gpkg(
      GDALDataset::Open(dir_.str("out/balance.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* layer = gpkg->GetLayerByName("mines");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(layer->GetFeatureCount(), 2);
  std::map<std::string, std::string> status;
  for (auto& feature : *layer)
    status[feature->GetFieldAsString("mine_id")] = feature->GetFieldAsString("status");
  EXPECT_EQ(status["M9"], "no_data");  // in the layer, in no stage
  EXPECT_EQ(status["M1"], "not_within_horizon");
  EXPECT_NE(gpkg->GetLayerByName("mine_year"), nullptr);
  // M3 and M2 have no polygon: in the tables, with a warning.
  const auto summary = nlohmann::json::parse(slurp(dir_.path() / "out/summary.json"));
  EXPECT_EQ(summary["warning_counts"]["mine_without_geometry"], 1);
  EXPECT_EQ(read_csv_file(dir_.str("out/tables/mine_summary.csv")).rows.size(), 4u);
}

// The project's [balance] reading the same folder gives the standalone command's numbers.
TEST_F(BalanceE2e, RunsAsTheLastSectionOfAProject) {
  write_file(dir_.path() / "p.toml",
             "[project]\nout = \"results\"\n\n[balance]\nfrom = \"r\"\nhorizon_year = 2013\n");
  const CliRun run = run_cli("--quiet run " + dir_.str("p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(balance().exit_code, 0);
  for (const char* table : {"tables/mine_summary.csv", "tables/mine_year.csv"}) {
    const std::string project = slurp(dir_.path() / "results/balance" / table);
    EXPECT_GT(project.size(), 100u) << table;
    EXPECT_EQ(project, slurp(dir_.path() / "out" / table)) << table;
  }
  const CsvText csv = read_csv_file(dir_.str("results/balance/tables/mine_summary.csv"));
  bool m1 = false;
  for (const auto& row : csv.rows) {
    if (row[0] != "M1") continue;
    m1 = true;
    EXPECT_NEAR(std::stod(row[csv.column("cumulative_net_emission_co2e_t")]),
                4.0 + (10.0 + 6.0 - 4.2 - 11.0) * k, 1e-9);
    EXPECT_EQ(row[csv.column("status")], "not_within_horizon");
  }
  EXPECT_TRUE(m1);
  const auto summary = nlohmann::json::parse(slurp(dir_.path() / "results/balance/summary.json"));
  EXPECT_EQ(summary["counts"]["mines"], 3);
  EXPECT_EQ(summary["stages"].size(), 5u);
}

TEST_F(BalanceE2e, AProjectSectionWithNothingToJoinIsAConfigError) {
  write_file(dir_.path() / "p.toml", "[balance]\nhorizon_year = 2050\n");
  const CliRun run = run_cli("--quiet run " + dir_.str("p.toml"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("nothing to join"), std::string::npos) << run.err;
}

// ---- bad input: exit code, message, nothing written -----------------------------------------

TEST_F(BalanceE2e, AFolderWithoutStageResultsIsExit3) {
  fs::create_directories(dir_.path() / "empty");
  const CliRun run =
      run_cli("--quiet balance --from " + dir_.str("empty") + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("no stage results in"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(BalanceE2e, StagesWithoutACommonMineIdAreExit3) {
  fs::remove_all(dir_.path() / "r");
  write_file(dir_.path() / "r/tables/mine_year.csv",
             "mine_id,year,nep_change_rel_MgC_yr\n1,2001,-3\n");
  write_file(dir_.path() / "r/emissions/tables/mine_year_source.csv",
             "mine_id,year,source,co2e_t\nM1,2001,diesel,4\n");
  const CliRun run = balance();
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("share no mine id"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(BalanceE2e, ABadCellNamesFileLineAndColumn) {
  write_file(dir_.path() / "r/landuse/tables/mine_change.csv",
             "mine_id,year_from,year_to,pair_kind,loss_tC,gain_tC\n"
             "M1,2000,2005,consecutive,-10,2\nM1,2005,2010,consecutive,abc,3\n");
  const CliRun run = balance();
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("mine_change.csv:3"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'loss_tC'"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(BalanceE2e, AnUnknownReportMineIsAConfigErrorNamingTheOption) {
  const CliRun run = balance("--report-mine M7");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  // On the command line the option is named by its flag (the project file names its key).
  EXPECT_NE(run.err.find("--report-mine: no mine 'M7'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("(mines: M1, M3, M2)"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

// A vegetation projection of volume in the folder is left out with a warning (as in memory).
TEST_F(BalanceE2e, AVolumeProjectionIsLeftOutWithAWarning) {
  write_file(dir_.path() / "r/vegetation/tables/projection_mines.csv",
             "mine_id,land_uses,year,sink_m3_yr\nM1,forest,2010,5\n");
  const CliRun run = balance();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(slurp(dir_.path() / "out/summary.json"));
  EXPECT_EQ(summary["warning_counts"]["vegetation_not_carbon"], 1);
  EXPECT_EQ(summary["stages"].size(), 4u);
  EXPECT_EQ(summary_row("M1")["components"][0], "emissions;landuse;damage;soil");
}

TEST_F(BalanceE2e, ARepeatedMineYearNamesFileAndLineExit3) {
  write_file(dir_.path() / "r/tables/mine_year.csv",
             "mine_id,year,nep_change_rel_MgC_yr\nM1,2001,-3\nM1,2001,-2\n");
  const CliRun run = balance();
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("mine_year.csv:3: mine 'M1', year 2001 repeated (first at line 2)"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(BalanceE2e, BadOptionsAreExit2) {
  CliRun run = balance("--first-year 2020");  // after the horizon 2013
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--first-year"), std::string::npos) << run.err;
  run = balance("--soil-multiple most");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("first, sum, error"), std::string::npos) << run.err;
  run = run_cli("--quiet balance --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("--from"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(BalanceE2e, AnUnwritableOrInputOutputFolderIsExit2) {
  write_file(dir_.path() / "a_file", "x");
  CliRun run =
      run_cli("--quiet balance --from " + dir_.str("r") + " --out " + dir_.str("a_file/out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  run = run_cli("--quiet balance --from " + dir_.str("r") + " --out " + dir_.str("r"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "r/summary.json"));
}

}  // namespace
}  // namespace minecarbon::e2e

namespace minecarbon::e2e {
namespace {

// The project file of the demo with only the sections named (and their sub-tables).
std::string sections_of(const std::string& toml, const std::set<std::string>& keep) {
  std::istringstream in(toml);
  std::string out, line;
  bool kept = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') {
      const std::string name = line.substr(line.find_first_not_of('['));
      const std::string top = name.substr(0, name.find_first_of(".]"));
      kept = keep.count(top) > 0;
    }
    if (kept) out += line + "\n";
  }
  return out;
}

// The same balance from memory (`run`) and from the folders the stages wrote (`balance --from`):
// the CSV round trip of every value is exact, so the tables are byte for byte the same. Every
// stage of the demo the balance joins is present: damage, vegetation and soil (its RothC
// scenarios name mine M1 and an area, so the soil adapter and the scenario_years reader meet).
TEST(BalanceDemo, MemoryAndFoldersGiveTheSameTables) {
  TempDir dir("balance_demo");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  const std::string project = sections_of(slurp(dir.path() / "demo/project.toml"),
                                          {"project", "nep", "damage", "vegetation", "soil"});
  ASSERT_NE(project.find("[vegetation]"), std::string::npos);
  ASSERT_NE(project.find("[[soil.scenarios]]"), std::string::npos);
  std::ofstream(dir.path() / "demo/p.toml")
      << project << "\n[balance]\nhorizon_year = 2060\nmines = \"mines.gpkg\"\n"
      << "id_field = \"mine_id\"\n";
  CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml") + " --out " + dir.str("res"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = run_cli("--quiet balance --from " + dir.str("res") + " --out " + dir.str("sa"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* table : {"tables/mine_year.csv", "tables/mine_summary.csv"}) {
    const std::string memory = slurp(dir.path() / "res/balance" / table);
    EXPECT_GT(memory.size(), 1000u) << table;
    EXPECT_EQ(memory, slurp(dir.path() / "sa" / table)) << table;
  }
  // Standalone, the mine layer comes from damage's results.gpkg.
  EXPECT_TRUE(fs::exists(dir.path() / "sa/balance.gpkg"));
  // Soil took part in both: M1's soil scenario and restoration removal.
  const CsvText summary = read_csv_file(dir.str("res/balance/tables/mine_summary.csv"));
  bool m1 = false;
  for (const auto& row : summary.rows) {
    if (row[0] != "M1") continue;
    m1 = true;
    EXPECT_NE(row[summary.column("components")].find("soil"), std::string::npos);
    EXPECT_EQ(row[summary.column("soil_scenario")], "topsoil_grass_manure");
    EXPECT_LT(std::stod(row[summary.column("restoration_removal_co2e_t")]), 0.0);
  }
  EXPECT_TRUE(m1);
}

// [soil.ipcc] of a mine, end to end: a tiny IPCC sequence worked by hand (D = 4 years):
//   2020 spoil, fixed 0 t C/ha; 2021 grass, SOC_REF 40 × 1 × 1 × 1: 10, 20, 30, 40 t C/ha in
//   2021–2024 (+10 a year); 2025 disturbed, fixed 20: 35, 30 in 2025–2026 (−5 a year).
// On 3 ha of mine M1: +30 t C a year, restoration −110 t CO2e in 2021–2024; −15 t C a year, +55 t
// CO2e in 2025–2026; cumulative −330 t CO2e at the 2026 horizon. `run` joins it from memory and
// `balance --from` from soil's ipcc_trajectory.csv: the same tables, byte for byte.
constexpr const char* kIpccOfM1 =
    "[soil]\n[soil.ipcc]\nclimate = \"warm_temperate_dry\"\nsoc_ref_tC_ha = 40\n"
    "last_year = 2026\ntransition_years = 4\nmine_id = \"M1\"\narea_ha = 3\n"
    "[[soil.ipcc.states]]\nlabel = \"spoil\"\nstart_year = 2020\nsoc_tC_ha = 0\n"
    "[[soil.ipcc.states]]\nlabel = \"grass\"\nstart_year = 2021\nf_lu = 1\nf_mg = 1\nf_i = 1\n"
    "[[soil.ipcc.states]]\nlabel = \"disturbed\"\nstart_year = 2025\nsoc_tC_ha = 20\n";

TEST(BalanceIpcc, TheIpccTrajectoryOfAMineIsItsSoilSequestration) {
  TempDir dir("balance_ipcc");
  write_file(dir.path() / "p.toml", std::string(kIpccOfM1) + "\n[balance]\nhorizon_year = 2026\n");
  CliRun run = run_cli("--quiet run " + dir.str("p.toml") + " --out " + dir.str("res"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText years = read_csv_file(dir.str("res/balance/tables/mine_year.csv"));
  std::map<int, double> removal, cumulative;
  for (std::size_t row = 0; row < years.rows.size(); ++row) {
    ASSERT_EQ(years.rows[row][years.column("mine_id")], "M1");
    const int year = static_cast<int>(years.number(row, years.column("year")));
    removal[year] = years.number(row, years.column("restoration_removal_co2e_t"));
    cumulative[year] = years.number(row, years.column("cumulative_net_emission_co2e_t"));
    EXPECT_EQ(years.rows[row][years.column("ecosystem_basis")], "projection") << year;
  }
  for (int year = 2021; year <= 2026; ++year) {
    ASSERT_TRUE(removal.count(year)) << year;
    EXPECT_NEAR(removal[year], year <= 2024 ? -110.0 : 55.0, 1e-9) << year;
  }
  EXPECT_NEAR(cumulative[2024], -440.0, 1e-9);
  EXPECT_NEAR(cumulative[2026], -330.0, 1e-9);
  const CsvText summary = read_csv_file(dir.str("res/balance/tables/mine_summary.csv"));
  ASSERT_EQ(summary.rows.size(), 1u);
  EXPECT_EQ(summary.rows[0][summary.column("soil_scenario")], "ipcc");
  EXPECT_EQ(summary.rows[0][summary.column("components")], "soil");
  EXPECT_NEAR(summary.number(0, summary.column("restoration_removal_co2e_t")), -330.0, 1e-9);
  // The soil stage's table carries the mine and its area.
  const CsvText trajectory = read_csv_file(dir.str("res/soil/tables/ipcc_trajectory.csv"));
  ASSERT_EQ(trajectory.rows.size(), 7u);
  EXPECT_EQ(trajectory.rows[1][trajectory.column("mine_id")], "M1");
  EXPECT_NEAR(trajectory.number(1, trajectory.column("change_tC_yr")), 30.0, 1e-12);

  run = run_cli("--quiet balance --from " + dir.str("res") + " --horizon-year 2026 --out " +
                dir.str("sa"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* table : {"tables/mine_year.csv", "tables/mine_summary.csv"})
    EXPECT_EQ(slurp(dir.path() / "res/balance" / table), slurp(dir.path() / "sa" / table)) << table;
}

// A mine without an area, areas_land_use without the areas table, a scenario named "ipcc": exit
// 2 before anything runs, naming the key.
TEST(BalanceIpcc, BadIpccAttributionIsAConfigErrorNamingTheKey) {
  TempDir dir("balance_ipcc_bad");
  std::string no_area = kIpccOfM1;
  no_area.erase(no_area.find("area_ha = 3\n"), std::string("area_ha = 3\n").size());
  write_file(dir.path() / "a.toml", no_area + "\n[balance]\nhorizon_year = 2026\n");
  CliRun run = run_cli("--quiet run " + dir.str("a.toml") + " --out " + dir.str("res"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("area_ha"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("mine_id = 'M1' needs the area"), std::string::npos) << run.err;

  std::string by_land_use = kIpccOfM1;
  by_land_use.replace(by_land_use.find("mine_id = \"M1\"\narea_ha = 3\n"),
                      std::string("mine_id = \"M1\"\narea_ha = 3\n").size(),
                      "areas_land_use = \"grass\"\n");
  write_file(dir.path() / "b.toml", by_land_use);
  run = run_cli("--quiet run " + dir.str("b.toml") + " --out " + dir.str("res"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("areas_land_use"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("set areas ="), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir.path() / "res"));
}

// A project whose only joined stage cannot give the balance anything (the demo's vegetation
// projecting volume) is refused when the project is read, before any stage runs.
TEST(BalanceDemo, AProjectWhoseOnlyStageGivesNoCarbonIsAConfigErrorBeforeRunning) {
  TempDir dir("balance_demo_volume");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  std::string project =
      sections_of(slurp(dir.path() / "demo/project.toml"), {"project", "vegetation"});
  const std::string carbon = "growth_response = \"tree_carbon\"";
  ASSERT_NE(project.find(carbon), std::string::npos);
  project.replace(project.find(carbon), carbon.size(), "growth_response = \"volume\"");
  std::ofstream(dir.path() / "demo/p.toml") << project << "\n[balance]\nhorizon_year = 2050\n";
  const CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml") + " --out " + dir.str("res"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("[balance]: nothing to join"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("growth_response = \"volume\" projects no carbon"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(dir.path() / "res"));
}

// The landuse stage in memory (landuse_adapter) and from its mine_change.csv give the same
// balance: three 10 x 10 maps of 1 m cells (EPSG:26910), class 1 (86 t C/ha) in 2000, class 2
// (28 t C/ha) on the left half in 2010, class 1 back on its top half in 2020; mines M1 (the left
// half) and M2 (the right half, never changed). Planar areas: M1 loses 50 m² x 58 t C/ha =
// 0.29 t C over 2001-2010 and regains 0.145 t C over 2011-2020.
TEST(BalanceLanduse, MemoryAndFolderGiveTheSameTables) {
  TempDir dir("balance_landuse");
  auto map = [](auto cell_class) {
    test::LulcRaster r;
    r.rows = r.cols = 10;
    r.x_min = 461261;
    r.y_max = 4923265;
    r.nodata = -1;
    for (int row = 0; row < 10; ++row)
      for (int col = 0; col < 10; ++col)
        r.values.push_back(cell_class(row, col));
    return r;
  };
  fs::create_directories(dir.path() / "maps");
  test::write_lulc(dir.str("maps/lulc_2000.tif"), map([](int, int) { return 1.0; }));
  test::write_lulc(dir.str("maps/lulc_2010.tif"),
                   map([](int, int col) { return col < 5 ? 2.0 : 1.0; }));
  test::write_lulc(dir.str("maps/lulc_2020.tif"),
                   map([](int row, int col) { return col < 5 && row >= 5 ? 2.0 : 1.0; }));
  write_file(dir.path() / "pools.csv",
             "lucode,c_above,c_below,c_soil,c_dead\n1,15,10,60,1\n2,5,3,20,0\n");
  write_file(
      dir.path() / "mines.geojson",
      R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:26910"}},"features":[
{"type":"Feature","properties":{"mine_id":"M1"},"geometry":{"type":"Polygon","coordinates":[[[461261,4923255],[461266,4923255],[461266,4923265],[461261,4923265],[461261,4923255]]]}},
{"type":"Feature","properties":{"mine_id":"M2"},"geometry":{"type":"Polygon","coordinates":[[[461266,4923255],[461271,4923255],[461271,4923265],[461266,4923265],[461266,4923255]]]}}]})");
  write_file(dir.path() / "p.toml",
             "[project]\nout = \"res\"\n\n[landuse]\nlulc_pattern = \"maps/lulc_{year}.tif\"\n"
             "years = [2000, 2010, 2020]\npools = \"pools.csv\"\narea = \"planar\"\n"
             "mines = \"mines.geojson\"\nid_field = \"mine_id\"\n\n"
             "[balance]\nhorizon_year = 2025\n");
  CliRun run = run_cli("--quiet run " + dir.str("p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = run_cli("--quiet balance --landuse-dir " + dir.str("res/landuse") +
                " --horizon-year 2025 --out " + dir.str("sa"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* table : {"tables/mine_year.csv", "tables/mine_summary.csv"}) {
    const std::string memory = slurp(dir.path() / "res/balance" / table);
    EXPECT_GT(memory.size(), 200u) << table;
    EXPECT_EQ(memory, slurp(dir.path() / "sa" / table)) << table;
  }
  const CsvText summary = read_csv_file(dir.str("res/balance/tables/mine_summary.csv"));
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& row : summary.rows)
    rows[row[0]] = row;
  ASSERT_EQ(rows.count("M1"), 1u);
  const auto& m1 = rows["M1"];
  EXPECT_NEAR(std::stod(m1[summary.column("clearing_emission_co2e_t")]), 0.29 * k, 1e-12);
  EXPECT_NEAR(std::stod(m1[summary.column("landuse_gain_removal_co2e_t")]), -0.145 * k, 1e-12);
  EXPECT_EQ(m1[summary.column("components")], "landuse");
}

}  // namespace
}  // namespace minecarbon::e2e
