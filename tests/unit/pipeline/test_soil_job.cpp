// The soil job keeps the stage's typed result for the stages after it, and the tables it publishes
// are laid out from the same records.
#include "minecarbon/pipeline/soil_job.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon::pipeline {
namespace {

namespace fs = std::filesystem;

class SoilJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mc_soil_job_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  fs::path dir_;
};

TEST_F(SoilJobTest, KeepsTheTypedResultThatItsTablesShow) {
  SoilJob job;
  job.profiles = write("p.csv",
                       "profile_id,mine_id,land_use,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
                       "R1,M1,reclaimed,0,30,10,1\nF1,M1,forest,0,30,20,1\n");
  job.params.intervals = {{0, 30}};
  job.params.reference = "forest";
  std::string climate = "month,temp_C,rain_mm,pan_evap_mm\n";
  for (int m = 1; m <= 12; ++m)
    climate += std::to_string(m) + ",10,80,30\n";
  SoilScenarioJob sc;
  sc.climate = write("climate.csv", climate);
  sc.scenario.name = "grass";
  sc.scenario.mine_id = "M1";
  sc.scenario.area_ha = 12.5;
  sc.scenario.first_year = 2030;
  sc.scenario.years = 4;
  sc.scenario.site.clay_pct = 25;
  sc.scenario.start.kind = carbon::InitialSoil::bare_spoil;
  sc.scenario.start.soc_tC_ha = 3;
  carbon::VegetationPhase grass;
  grass.first_year = 2030;
  grass.plant_input_tC_ha_yr = 1.5;
  sc.scenario.phases = {grass};
  job.scenarios = {sc};

  const auto loaded = load_soil(job);
  RunContext context;
  context.quiet = true;
  assess::SoilResult kept;
  {
    OutputDir out_dir(dir_ / "out");
    StageOutput out(out_dir, "soil/");
    run_soil_job(*loaded, out, context, &kept);
    out_dir.commit();
  }
  // M1: 30 against 60 t C/ha, fixed depth and ESM.
  ASSERT_EQ(kept.comparisons.size(), 4u);  // pooled and M1, two bases each
  EXPECT_NEAR(kept.comparisons[0].comparison.recovery_pct, 50.0, 1e-12);
  ASSERT_EQ(kept.scenarios.size(), 1u);
  const assess::ScenarioRecord& s = kept.scenarios[0];
  EXPECT_EQ(s.mine_id, "M1");
  ASSERT_EQ(s.years.size(), 4u);

  const CsvText years = read_csv_file((dir_ / "out/soil/tables/scenario_years.csv").string());
  ASSERT_EQ(years.rows.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(years.rows[k][years.column("mine_id")], "M1");
    EXPECT_EQ(years.number(k, years.column("year")), 2030.0 + static_cast<double>(k));
    // The CSV carries the shortest round-trip text of each double: read back exactly.
    EXPECT_EQ(years.number(k, years.column("sequestration_tC_yr")), s.years[k].sequestration_tC_yr);
    EXPECT_EQ(s.years[k].sequestration_tC_yr, s.years[k].sequestration_tC_ha_yr * 12.5);
  }
  const CsvText comparison = read_csv_file((dir_ / "out/soil/tables/comparison.csv").string());
  EXPECT_EQ(comparison.number(0, comparison.column("difference_tC_ha")),
            kept.comparisons[0].comparison.difference_tC_ha);
  // No IPCC section: no IPCC tables published.
  EXPECT_FALSE(fs::exists(dir_ / "out/soil/tables/ipcc_states.csv"));
}

}  // namespace
}  // namespace minecarbon::pipeline
