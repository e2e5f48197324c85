// The balance stage's readers of the tables other stages wrote: the contract's columns, and
// errors naming the file, line and column.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/balance_job.h"

namespace minecarbon::pipeline {
namespace {

namespace fs = std::filesystem;

std::string message_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(BalanceReaders, LanduseKeepsConsecutivePairsOnly) {
  const CsvText csv = parse_csv_text(
      "mine_id,year_from,year_to,pair_kind,loss_tC,gain_tC,npv\n"
      "M1,2000,2010,consecutive,-5,1,3\nM1,2010,2020,consecutive,0,2,3\n"
      "M1,2000,2020,first_last,-5,3,3\n",
      "mine_change.csv");
  const auto records = read_landuse_records(csv);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].year_from, 2010);
  EXPECT_EQ(records[1].gain_tC, 2.0);
}

TEST(BalanceReaders, APositiveLossNamesFileLineAndColumn) {
  const CsvText csv = parse_csv_text(
      "mine_id,year_from,year_to,pair_kind,loss_tC,gain_tC\n"
      "M1,2000,2010,consecutive,-5,1\nM1,2010,2020,consecutive,4,2\n",
      "mine_change.csv");
  const std::string message = message_of([&] { read_landuse_records(csv); });
  EXPECT_NE(message.find("mine_change.csv:3, column 'loss_tC': 4 must be <= 0"), std::string::npos)
      << message;
}

TEST(BalanceReaders, AnUnknownPairKindIsRefused) {
  const CsvText csv = parse_csv_text(
      "mine_id,year_from,year_to,pair_kind,loss_tC,gain_tC\nM1,2000,2010,annual,-5,1\n", "m.csv");
  EXPECT_NE(message_of([&] { read_landuse_records(csv); }).find("'annual'; expected consecutive"),
            std::string::npos);
}

TEST(BalanceReaders, AYearThatIsNotWholeNamesItsLine) {
  const CsvText csv = parse_csv_text(
      "mine_id,year,source,co2e_t\nM1,2001,diesel,3\nM1,2001.5,diesel,3\n", "mine_year_source.csv");
  const std::string message = message_of([&] { read_emission_records(csv); });
  EXPECT_NE(message.find("mine_year_source.csv:3, column 'year': '2001.5' is not a calendar year"),
            std::string::npos)
      << message;
}

TEST(BalanceReaders, AMissingColumnListsTheColumnsThere) {
  const CsvText csv = parse_csv_text("mine_id,year,co2e_t\nM1,2001,3\n", "e.csv");
  const std::string message = message_of([&] { read_emission_records(csv); });
  EXPECT_NE(message.find("e.csv: no column 'source'"), std::string::npos) << message;
}

TEST(BalanceReaders, DamageNeedsItsNepChangeColumn) {
  const CsvText other = parse_csv_text("mine_id,year,net_emission_co2e_t\nM1,2001,3\n", "t.csv");
  EXPECT_NE(message_of([&] { read_damage_records(other); }).find("not the damage stage's"),
            std::string::npos);
  const CsvText csv =
      parse_csv_text("mine_id,year,nep_change_rel_MgC_yr\nM1,2001,-4\nM1,2002,NA\n", "d.csv");
  const auto records = read_damage_records(csv);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].nep_change_rel_MgC_yr, -4.0);
  EXPECT_TRUE(std::isnan(records[1].nep_change_rel_MgC_yr));
}

TEST(BalanceReaders, VegetationReadsTheCarbonSinkColumn) {
  ProblemList warnings;
  const CsvText csv = parse_csv_text(
      "mine_id,year,sink_tC_yr\nM1,2020,2.5\nM1,2020.5,9\nM1,2021,3\n", "projection_mines.csv");
  const auto records = read_vegetation_records(csv, warnings);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].sink_tC_yr, 3.0);
  EXPECT_TRUE(warnings.has("vegetation_fractional_year"));
}

// As in memory (vegetation_adapter): a projection that is not carbon, or has no calendar years,
// is left out with a warning, not refused.
TEST(BalanceReaders, AVegetationProjectionThatIsNotCarbonIsLeftOutWithAWarning) {
  ProblemList warnings;
  const CsvText volume =
      parse_csv_text("mine_id,year,sink_m3_yr\nM1,2020,2.5\n", "projection_mines.csv");
  EXPECT_FALSE(read_vegetation_records(volume, warnings));
  ASSERT_TRUE(warnings.has("vegetation_not_carbon"));
  EXPECT_NE(warnings.listed().back().message.find("projection_mines.csv"), std::string::npos);
  EXPECT_NE(warnings.listed().back().message.find("'sink_m3_yr'"), std::string::npos);
  const CsvText no_year =
      parse_csv_text("mine_id,year,sink_tC_yr\nM1,NA,2.5\n", "projection_mines.csv");
  EXPECT_FALSE(read_vegetation_records(no_year, warnings));
  ASSERT_TRUE(warnings.has("vegetation_no_calendar_year"));
  EXPECT_NE(warnings.listed().back().message.find("projection_mines.csv:2"), std::string::npos)
      << warnings.listed().back().message;
}

// A repeated mine-year names the file and both lines.
TEST(BalanceReaders, ARepeatedMineYearNamesFileAndLines) {
  ProblemList warnings;
  const CsvText damage = parse_csv_text(
      "mine_id,year,nep_change_rel_MgC_yr\nM1,2001,-4\nM2,2001,-1\nM1,2001,-3\n", "d.csv");
  std::string message = message_of([&] { read_damage_records(damage); });
  EXPECT_NE(message.find("d.csv:4: mine 'M1', year 2001 repeated (first at line 2)"),
            std::string::npos)
      << message;
  const CsvText emissions = parse_csv_text(
      "mine_id,year,source,co2e_t\nM1,2001,diesel,3\nM1,2001,explosive,1\nM1,2001,diesel,3\n",
      "e.csv");
  message = message_of([&] { read_emission_records(emissions); });
  EXPECT_NE(message.find("e.csv:4: mine 'M1', year 2001, source 'diesel' repeated (first at "
                         "line 2)"),
            std::string::npos)
      << message;
  const CsvText vegetation =
      parse_csv_text("mine_id,year,sink_tC_yr\nM1,2020,2.5\nM1,2020,3\n", "v.csv");
  message = message_of([&] { read_vegetation_records(vegetation, warnings); });
  EXPECT_NE(message.find("v.csv:3: mine 'M1', year 2020 repeated"), std::string::npos) << message;
  const CsvText soil = parse_csv_text(
      "scenario,mine_id,year,sequestration_tC_yr\na,M1,2021,1\nb,M1,2021,1\na,M1,2021,2\n",
      "s.csv");
  message = message_of([&] { read_soil_records(soil, warnings); });
  EXPECT_NE(message.find("s.csv:4: scenario 'a', mine 'M1', year 2021 repeated (first at line 2)"),
            std::string::npos)
      << message;
  const CsvText landuse = parse_csv_text(
      "mine_id,year_from,year_to,pair_kind,loss_tC,gain_tC\n"
      "M1,2000,2010,consecutive,-5,1\nM1,2000,2010,consecutive,-5,1\n",
      "l.csv");
  message = message_of([&] { read_landuse_records(landuse); });
  EXPECT_NE(message.find("l.csv:3: mine 'M1', pair from 2000 repeated"), std::string::npos)
      << message;
}

TEST(BalanceReaders, SoilRowsWithoutMineOrAreaAreLeftOutWithAWarning) {
  ProblemList warnings;
  const CsvText csv = parse_csv_text(
      "scenario,mine_id,year,sequestration_tC_yr,area_ha\n"
      "a,M1,2021,1.5,10\nb,,2021,1,10\nc,M2,2021,NA,NA\n",
      "scenario_years.csv");
  const auto records = read_soil_records(csv, warnings);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sequestration_tC_yr, 1.5);
  EXPECT_TRUE(warnings.has("soil_scenario_without_mine"));
  EXPECT_TRUE(warnings.has("soil_scenario_without_area"));
}

// ipcc_trajectory.csv as the soil stage writes it (mine_id, year, change_tC_yr among its columns):
// each mine's rows as the soil scenario "ipcc"; rows without a mine or area left out with a note.
TEST(BalanceReaders, IpccTrajectoryRowsOfAMineAreItsScenarioIpcc) {
  ProblemList warnings;
  const CsvText csv = parse_csv_text(
      "mine_id,year,state,soc_tC_ha,change_tC_ha_yr,area_ha,change_tC_yr\n"
      "M1,2021,grass,10,10,3,30\nM1,2022,grass,20,10,3,30\nM2,2021,grass,10,10,NA,NA\n",
      "ipcc_trajectory.csv");
  const auto records = read_ipcc_soil_records(csv, warnings);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].scenario, "ipcc");
  EXPECT_EQ(records[1].mine_id, "M1");
  EXPECT_EQ(records[1].year, 2022);
  EXPECT_EQ(records[1].sequestration_tC_yr, 30.0);
  EXPECT_TRUE(warnings.has("soil_ipcc_without_area"));
  EXPECT_FALSE(warnings.has("soil_ipcc_without_mine"));
  // No mine named (empty mine_id, or a table from before the column): nothing, one warning.
  ProblemList none;
  EXPECT_TRUE(read_ipcc_soil_records(
                  parse_csv_text("mine_id,year,change_tC_yr\n,2021,30\n,2022,30\n", "t.csv"), none)
                  .empty());
  EXPECT_EQ(none.counts().at("soil_ipcc_without_mine"), 1u);
  ProblemList old;
  EXPECT_TRUE(
      read_ipcc_soil_records(parse_csv_text("year,change_tC_yr\n2021,30\n", "t.csv"), old).empty());
  EXPECT_TRUE(old.has("soil_ipcc_without_mine"));
  const std::string message = message_of([&] {
    read_ipcc_soil_records(
        parse_csv_text("mine_id,year,change_tC_yr\nM1,2021,1\nM1,2021,2\n", "t.csv"), warnings);
  });
  EXPECT_NE(message.find("t.csv:3: mine 'M1', year 2021 repeated (first at line 2)"),
            std::string::npos)
      << message;
}

class BalanceFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mc_balance_folder_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tables");
    fs::create_directories(dir_ / "soil");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const fs::path& path, const std::string& text) { std::ofstream(dir_ / path) << text; }
  fs::path dir_;
};

TEST_F(BalanceFolder, FindsEachStagesTableWhereItWroteIt) {
  write("tables/mine_year.csv", "mine_id,year,nep_change_rel_MgC_yr\nM1,2001,-1\n");
  write("soil/scenario_years.csv", "scenario,mine_id,year,sequestration_tC_yr\na,M1,2030,1\n");
  BalanceJob job;
  job.from = dir_.string();
  const auto tables = locate_balance_tables(job);
  ASSERT_EQ(tables.size(), 6u);  // soil has two tables
  for (const auto& t : tables) {
    if (t.stage == "damage") {
      EXPECT_EQ(t.path, (dir_ / "tables/mine_year.csv").string());
    } else if (t.table == "scenario_years.csv") {
      EXPECT_EQ(t.stage, "soil");
      EXPECT_EQ(t.path, (dir_ / "soil/scenario_years.csv").string());
    } else {
      EXPECT_TRUE(t.path.empty()) << t.stage;
    }
  }
  const auto loaded = load_balance(job);
  EXPECT_TRUE(loaded->from_files.damage);
  EXPECT_TRUE(loaded->from_files.soil);
  EXPECT_FALSE(loaded->from_files.landuse);
  EXPECT_EQ(loaded->files.size(), 2u);
}

// The soil folder with both tables: the scenarios' records, then the trajectory's, one origin
// naming both files; a soil_dir holding only the trajectory is enough.
TEST_F(BalanceFolder, SoilJoinsScenarioYearsAndTheIpccTrajectory) {
  write("soil/scenario_years.csv", "scenario,mine_id,year,sequestration_tC_yr\na,M1,2030,1\n");
  write("soil/ipcc_trajectory.csv", "mine_id,year,change_tC_yr\nM1,2030,30\nM1,2031,30\n");
  BalanceJob job;
  job.from = dir_.string();
  auto loaded = load_balance(job);
  ASSERT_TRUE(loaded->from_files.soil);
  const auto& soil = *loaded->from_files.soil;
  ASSERT_EQ(soil.size(), 3u);
  EXPECT_EQ(soil[0].scenario, "a");
  EXPECT_EQ(soil[2].scenario, "ipcc");
  EXPECT_EQ(soil[2].sequestration_tC_yr, 30.0);
  ASSERT_EQ(loaded->from_files.origins.size(), 1u);
  EXPECT_NE(loaded->from_files.origins[0].second.find("scenario_years.csv and "),
            std::string::npos);
  EXPECT_NE(loaded->from_files.origins[0].second.find("ipcc_trajectory.csv"), std::string::npos);
  EXPECT_EQ(loaded->files.size(), 2u);

  fs::remove(dir_ / "soil/scenario_years.csv");
  BalanceJob only;
  only.soil_dir = (dir_ / "soil").string();
  loaded = load_balance(only);
  ASSERT_TRUE(loaded->from_files.soil);
  EXPECT_EQ(loaded->from_files.soil->size(), 2u);
  fs::remove(dir_ / "soil/ipcc_trajectory.csv");
  const std::string message = message_of([&] { locate_balance_tables(only); });
  EXPECT_NE(message.find("soil_dir"), std::string::npos) << message;
  EXPECT_NE(message.find("scenario_years.csv or ipcc_trajectory.csv"), std::string::npos)
      << message;
}

TEST_F(BalanceFolder, AFolderGivenForAStageMustHoldItsTable) {
  BalanceJob job;
  job.landuse_dir = dir_.string();
  const std::string message = message_of([&] { locate_balance_tables(job); });
  EXPECT_NE(message.find("landuse_dir"), std::string::npos) << message;
  EXPECT_NE(message.find("mine_change.csv"), std::string::npos) << message;
}

TEST_F(BalanceFolder, NoStageAtAllIsADataError) {
  BalanceJob job;
  job.from = dir_.string();
  const std::string message = message_of([&] { load_balance(job); });
  EXPECT_NE(message.find("no stage results in"), std::string::npos) << message;
  EXPECT_NE(message.find("landuse/tables/mine_change.csv"), std::string::npos) << message;
}

// Standalone, every mine is known before the run: an unknown report mine is a config error
// naming report_mines.
TEST_F(BalanceFolder, AnUnknownReportMineIsAnOptionErrorBeforeRunning) {
  write("tables/mine_year.csv", "mine_id,year,nep_change_rel_MgC_yr\nM1,2001,-1\n");
  BalanceJob job;
  job.from = dir_.string();
  job.report_mines = {"M1", "M9"};
  try {
    load_balance(job);
    ADD_FAILURE() << "no error";
  } catch (const OptionError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("balance: report_mines: no mine 'M9'"), std::string::npos) << message;
    EXPECT_NE(message.find("(mines: M1)"), std::string::npos) << message;
  }
  job.report_mines = {"M1"};
  EXPECT_NO_THROW(load_balance(job));
}

TEST(BalanceJobOptions, ALayerWithoutMinesSaysWhatToDo) {
  BalanceJob job;
  job.id_field = "code";
  try {
    validate(job);
    ADD_FAILURE() << "no error";
  } catch (const OptionError& e) {
    EXPECT_NE(std::string(e.what()).find("id_field: is set but mines is not: give mines ="),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(has_any_folder(job));
  job.soil_dir = "x";
  EXPECT_TRUE(has_any_folder(job));
}

}  // namespace
}  // namespace minecarbon::pipeline
