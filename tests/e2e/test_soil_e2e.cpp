// `minecarbon soil` and `minecarbon rothc` end to end: real profiles against their reference
// stocks, the official RothC example, the IPCC worked example of docs/carbon_methods.md §3.3, a
// scenario and a batch worked by hand, and the demo's planted reclaimed/reference contrast.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

std::string data(const std::string& relative) {
  return std::string(MC_TEST_DATA_DIR) + "/" + relative;
}

// Rows of a result CSV where `key_col` == `key`.
std::vector<std::size_t> rows_where(const CsvText& csv, const std::string& key_col,
                                    const std::string& key) {
  std::vector<std::size_t> out;
  const std::size_t col = csv.column(key_col);
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    if (csv.rows[row][col] == key) out.push_back(row);
  }
  return out;
}

class SoilCli : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.str(name)) << text;
  }
  std::string out(const std::string& sub = {}) const { return dir_.str("out" + sub); }
  TempDir dir_{"soil_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(SoilCli, AndesiteProfilesMatchTheReferenceStocks) {
  // tests/data/soil_carbon: 0-30 cm stocks of the 7 andesite profiles (kg C/m2 × 10 = t C/ha).
  CliRun run = run_cli("--quiet soil --profiles " + data("soil_carbon/andesite_profiles.csv") +
                       " --interval 0-30 --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText stocks = read_csv_file(out("/tables/profile_stocks.csv"));
  const CsvText ref = read_csv_file(data("soil_carbon/computed_profile_stocks.csv"));
  int checked = 0;
  for (std::size_t row = 0; row < ref.rows.size(); ++row) {
    const double want = ref.number(row, ref.column("stock_0_30_kg_m2"));
    if (ref.rows[row][ref.column("dataset")] != "sierraTransect" || std::isnan(want)) continue;
    const auto hits = rows_where(stocks, "profile_id", ref.rows[row][ref.column("id")]);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_NEAR(stocks.number(hits[0], stocks.column("soc_stock_tC_ha")) / 10.0, want, 6e-4);
    ++checked;
  }
  EXPECT_EQ(checked, 7);
  // NA coarse fragments are taken as 0 and counted (31 horizons).
  EXPECT_NE(slurp(out("/summary.json")).find("\"coarse_fragments_missing_taken_as_0\": 31"),
            std::string::npos);
}

TEST_F(SoilCli, OfficialRothCExampleReproducesTheOfficialOutput) {
  // RothC_R v2.0.0 example: spin-up 20 916 months; December 1939 SOC 42.0542472101217 and
  // December 2007 from year_results.out; the example's 1.74 t C/ha input is recovered by the
  // inverse mode from the official spin-up SOC 42.4779204555935 (to the ~1e-5 the official loop
  // stops short).
  CliRun run = run_cli("--quiet rothc " + data("rothc/RothC_R_v2.0.0/RothC_input.dat") +
                       " --inverse-soc 42.4779204555935 --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string summary = slurp(out("/summary.json"));
  EXPECT_NE(summary.find("\"months\": 20916"), std::string::npos) << summary;
  const CsvText yearly = read_csv_file(out("/tables/year_results.csv"));
  const CsvText official = read_csv_file(data("rothc/RothC_R_v2.0.0/year_results.out"));
  ASSERT_EQ(yearly.rows.size() + 1, official.rows.size());  // official has the spin-up row
  for (std::size_t row = 0; row < yearly.rows.size(); ++row) {
    EXPECT_NEAR(yearly.number(row, yearly.column("soc_tC_ha")),
                official.number(row + 1, official.column("SOC_t_C_ha")), 1e-9)
        << row;
  }
  const auto pos = summary.find("\"plant_input_tC_ha_yr\": ");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_NEAR(std::stod(summary.substr(pos + 24)), 1.74, 1e-5);
}

TEST_F(SoilCli, IpccWorkedExampleOfTheMethodsNote) {
  // carbon_methods.md §3.3: 88 × 0.69 × 1 × 1 = 60.72 t C/ha under long-term cultivation; back to
  // native vegetation (F = 1): +27.28 over 20 years = 1.364 t C/ha/yr.
  write("project.toml",
        "[soil]\n[soil.ipcc]\nclimate = \"warm_temperate_moist\"\nsoil_type = \"HAC\"\n"
        "last_year = 2035\narea_ha = 10\n"
        "[[soil.ipcc.states]]\nlabel = \"cropland\"\nstart_year = 2000\nland_use = \"cropland\"\n"
        "lu_level = \"long_term_cultivated\"\nmanagement = \"full_tillage\"\ninput = \"medium\"\n"
        "[[soil.ipcc.states]]\nlabel = \"native\"\nstart_year = 2010\nf_lu = 1\nf_mg = 1\n"
        "f_i = 1\n");
  CliRun run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText t = read_csv_file(out("/soil/tables/ipcc_trajectory.csv"));
  const auto y2009 = rows_where(t, "year", "2009"), y2010 = rows_where(t, "year", "2010"),
             y2029 = rows_where(t, "year", "2029");
  EXPECT_NEAR(t.number(y2009[0], t.column("soc_tC_ha")), 60.72, 1e-9);
  EXPECT_NEAR(t.number(y2010[0], t.column("change_tC_ha_yr")), 1.364, 1e-9);
  EXPECT_NEAR(t.number(y2010[0], t.column("change_tC_yr")), 13.64, 1e-9);  // × 10 ha
  EXPECT_NEAR(t.number(y2029[0], t.column("soc_tC_ha")), 88.0, 1e-9);
  const CsvText states = read_csv_file(out("/soil/tables/ipcc_states.csv"));
  EXPECT_NE(states.rows[0][states.column("f_lu_source")].find("Table 5.5"), std::string::npos);
}

TEST_F(SoilCli, InertSpoilWithInertBiocharKeepsExactlyWhatWasAdded) {
  // Spoil C 3 t C/ha, all inert; bare, no plants; 5 t C/ha of inert biochar in 2021:
  // SOC = 3 until 2020, then 8 for ever; sequestration 5 t C/ha = 18.33 t CO2e/ha.
  std::string climate = "month,temp_C,rain_mm,pan_evap_mm\n";
  for (int m = 1; m <= 12; ++m)
    climate += std::to_string(m) + ",12,70,50\n";
  write("climate.csv", climate);
  write("project.toml",
        "[soil]\n[[soil.scenarios]]\nname = \"biochar\"\nclimate = \"climate.csv\"\n"
        "first_year = 2020\nyears = 10\nclay_pct = 25\nstart = \"bare_spoil\"\n"
        "start_soc_tC_ha = 3\narea_ha = 2\n"
        "[[soil.scenarios.phases]]\nfirst_year = 2020\nbare = true\n"
        "[[soil.scenarios.biochar]]\nyear = 2021\nmonth = 6\ncarbon_tC_ha = 5\n");
  CliRun run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText y = read_csv_file(out("/soil/tables/scenario_years.csv"));
  EXPECT_EQ(y.number(rows_where(y, "year", "2020")[0], y.column("soc_tC_ha")), 3.0);
  EXPECT_EQ(y.number(rows_where(y, "year", "2029")[0], y.column("soc_tC_ha")), 8.0);
  const CsvText s = read_csv_file(out("/soil/tables/scenarios.csv"));
  EXPECT_NEAR(s.number(0, s.column("sequestration_co2e_t_ha")), 5.0 * 44.0 / 12.0, 1e-12);
  EXPECT_NEAR(s.number(0, s.column("sequestration_tC")), 10.0, 1e-12);  // × 2 ha
}

TEST_F(SoilCli, BatchSitesAreIndependentOfTheThreadCount) {
  // Site A: bare start, no input → only IOM (2.5) ever. Site B: equilibrium with its own input
  // → stays at the steady state. Site C: input doubled after the spin-up → gains carbon.
  write("sites.csv",
        "site_id,clay_pct,iom_tC_ha,plant_input_tC_ha_yr,baseline_plant_input_tC_ha_yr,start\n"
        "A,20,2.5,0,0,bare\nB,30,3,2,2,equilibrium\nC,30,3,4,2,equilibrium\n");
  std::string climate = "climate_id,month,temp_C,rain_mm,pan_evap_mm\n";
  for (const char* id : {"A", "B", "C"}) {
    for (int m = 1; m <= 12; ++m)
      climate +=
          std::string(id) + "," + std::to_string(m) + "," + std::to_string(m + 2) + ",60,45\n";
  }
  write("climate.csv", climate);
  const std::string args = " rothc --sites " + dir_.str("sites.csv") + " --climate " +
                           dir_.str("climate.csv") + " --years 50 --yearly --out ";
  ASSERT_EQ(run_cli("--quiet --threads 1" + args + out("1")).exit_code, 0);
  ASSERT_EQ(run_cli("--quiet --threads 3" + args + out("3")).exit_code, 0);
  EXPECT_EQ(slurp(out("1") + "/tables/batch_years.csv"),
            slurp(out("3") + "/tables/batch_years.csv"));
  const CsvText t = read_csv_file(out("1") + "/tables/batch_sites.csv");
  EXPECT_EQ(t.number(0, t.column("soc_end_tC_ha")), 2.5);
  EXPECT_NEAR(t.number(1, t.column("sequestration_tC_ha")), 0.0, 1e-9);
  EXPECT_GT(t.number(2, t.column("sequestration_tC_ha")), 5.0);
}

TEST_F(SoilCli, OurCsvAndTomlFormGivesTheOfficialOutputToo) {
  // The official v2 example rewritten as our form: the site in a [rothc] table, the 840 monthly
  // rows as CSV (the spin-up year keeps its label 1, then 1939 …).
  std::istringstream dat(slurp(data("rothc/RothC_R_v2.0.0/RothC_input.dat")));
  std::string line, csv =
                        "year,month,modern_pct,temp_C,rain_mm,pan_evap_mm,plant_input_tC_ha,fym_tC_"
                        "ha,plant_cover,"
                        "dpm_rpm_ratio\n";
  for (int number = 1; std::getline(dat, line); ++number) {
    if (number < 11) continue;
    std::istringstream fields(line);
    std::string value, row;
    while (fields >> value)
      row += (row.empty() ? "" : ",") + value;
    if (!row.empty()) csv += row + "\n";
  }
  write("months.csv", csv);
  write("rothc.toml",
        "[rothc]\nmonths = \"months.csv\"\nclay_pct = 23.4\ndepth_cm = 23\niom_tC_ha = 3.0041\n");
  CliRun run = run_cli("--quiet rothc " + dir_.str("rothc.toml") + " --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText yearly = read_csv_file(out("/tables/year_results.csv"));
  const CsvText official = read_csv_file(data("rothc/RothC_R_v2.0.0/year_results.out"));
  ASSERT_EQ(yearly.rows.size(), 69u);
  EXPECT_NEAR(yearly.number(68, yearly.column("soc_tC_ha")),
              official.number(69, official.column("SOC_t_C_ha")), 1e-9);
  EXPECT_NEAR(yearly.number(68, yearly.column("co2_cum_tC_ha")),
              official.number(69, official.column("CO2_t_C_ha")), 1e-9);
}

TEST_F(SoilCli, EquivalentSoilMassRemovesTheCompactionArtefactBetweenTwoDates) {
  // 2015: 0-30 cm, BD 1.0, 10 g/kg → 3000 Mg/ha of fine earth, 30 t C/ha. 2023 (compacted):
  // 0-20 cm BD 1.5 10 g/kg (3000 Mg/ha, 30 t) over 20-40 cm BD 1.5 5 g/kg (3000, 15 t).
  // Fixed depth 0-30: 30 + 15/2 = 37.5, an apparent gain of 7.5 (125 %); at the 2015 mass of
  // 3000 Mg/ha the 2023 soil holds 30: difference 0, recovery 100 %.
  write("p.csv",
        "profile_id,date,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
        "A,2015,0,30,10,1.0\nA,2015,30,40,10,1.0\n"
        "B,2023,0,20,10,1.5\nB,2023,20,40,5,1.5\n");
  CliRun run = run_cli("--quiet soil --profiles " + dir_.str("p.csv") +
                       " --interval 0-30 --reference 2015 --compare-by date --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText c = read_csv_file(out("/tables/comparison.csv"));
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(c.rows[0][c.column("basis")], "fixed_depth");
  EXPECT_NEAR(c.number(0, c.column("difference_tC_ha")), 7.5, 1e-12);
  EXPECT_NEAR(c.number(0, c.column("recovery_pct")), 125.0, 1e-12);
  EXPECT_EQ(c.rows[1][c.column("basis")], "equivalent_soil_mass");
  EXPECT_NEAR(c.number(1, c.column("difference_tC_ha")), 0.0, 1e-12);
  EXPECT_NEAR(c.number(1, c.column("recovery_pct")), 100.0, 1e-12);
}

TEST_F(SoilCli, SplineWithoutSmoothingMatchesHorizonStocksAtHorizonBoundaries) {
  // Aiken: A 0-10 cm 89 g/kg × 0.9 × 10 / 10 = 80.1 t C/ha; ABt 10-40 cm 27 × 1.0 × 30 / 10 = 81;
  // 0-40 cm = 161.1 t C/ha whatever the method when 40 cm is a horizon boundary and λ = 0.
  CliRun run = run_cli("--quiet soil --profiles " + data("soil_carbon/andesite_profiles.csv") +
                       " --interval 0-40 --method spline --spline-lambda 0 --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText t = read_csv_file(out("/tables/profile_stocks.csv"));
  const auto aiken = rows_where(t, "profile_id", "Aiken");
  ASSERT_EQ(aiken.size(), 1u);
  EXPECT_EQ(t.rows[aiken[0]][t.column("method")], "spline");
  EXPECT_NEAR(t.number(aiken[0], t.column("soc_stock_tC_ha")), 161.1, 1e-9);
}

TEST_F(SoilCli, MineTotalsAreStratifiedByLandUseArea) {
  // M1 grass: 30 and 60 t C/ha (mean 45, sd 21.2132, SE 15); M1 forest: 90 and 90 (SE 0).
  // Areas: M1 grass 10 ha, M1 forest 30 ha, M2 grass 20 ha (no profiles: the grass mean).
  // M1: 10·45 + 30·90 = 3150 t C, SE √(10²·15²) = 150; per ha 3150/40 = 78.75 ± 3.75.
  // M2: 20·45 = 900 ± 300. Grass over both mines: 45 × 30 ha = 1350 ± 450 t C.
  write("p.csv",
        "profile_id,mine_id,land_use,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
        "P1,M1,grass,0,30,10,1.0\nP2,M1,grass,0,30,20,1.0\n"
        "P3,M1,forest,0,30,30,1.0\nP4,M1,forest,0,30,30,1.0\n");
  write("areas.csv", "mine_id,land_use,area_ha\nM1,grass,10\nM1,forest,30\nM2,grass,20\n");
  CliRun run = run_cli("--quiet soil --profiles " + dir_.str("p.csv") + " --areas " +
                       dir_.str("areas.csv") + " --interval 0-30 --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText m = read_csv_file(out("/tables/mine_stocks.csv"));
  const auto m1 = rows_where(m, "mine_id", "M1"), m2 = rows_where(m, "mine_id", "M2");
  EXPECT_NEAR(m.number(m1[0], m.column("soc_tC")), 3150.0, 1e-9);
  EXPECT_NEAR(m.number(m1[0], m.column("soc_se_tC")), 150.0, 1e-9);
  EXPECT_NEAR(m.number(m1[0], m.column("soc_stock_tC_ha")), 78.75, 1e-12);
  EXPECT_NEAR(m.number(m1[0], m.column("soc_stock_se_tC_ha")), 3.75, 1e-12);
  EXPECT_NEAR(m.number(m2[0], m.column("soc_tC")), 900.0, 1e-9);
  EXPECT_NEAR(m.number(m2[0], m.column("soc_se_tC")), 300.0, 1e-9);
  const CsvText l = read_csv_file(out("/tables/land_use_stocks.csv"));
  const auto grass = rows_where(l, "land_use", "grass");
  EXPECT_NEAR(l.number(grass[0], l.column("soc_tC")), 1350.0, 1e-9);
  EXPECT_NEAR(l.number(grass[0], l.column("soc_se_tC")), 450.0, 1e-9);
  EXPECT_NE(slurp(out("/summary.json")).find("strata_without_profiles_use_land_use_mean"),
            std::string::npos);
}

TEST_F(SoilCli, DemoRecoversThePlantedReclaimedToReferenceContrast) {
  // The demo plants reclaimed profiles at about half the reference's 0-30 cm stock
  // (10 g/kg·1.5·10·0.95 + 5·1.6·20·0.9 = 28.65 against 22·1.2·10·0.98 + 13·1.3·20·0.95 = 57.98
  // t C/ha, ±15 % noise per horizon): recovery ≈ 49 %.
  ASSERT_EQ(synth_world(dir_.str("demo")).exit_code, 0);
  CliRun run =
      run_cli("--quiet soil --config " + dir_.str("demo/project.toml") + " --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText c = read_csv_file(out("/tables/comparison.csv"));
  bool found = false;
  for (std::size_t row = 0; row < c.rows.size(); ++row) {
    if (c.rows[row][c.column("mine_id")] == "all" &&
        c.rows[row][c.column("interval_cm")] == "0-30" &&
        c.rows[row][c.column("basis")] == "fixed_depth") {
      EXPECT_NEAR(c.number(row, c.column("recovery_pct")), 49.4, 6.0);
      found = true;
    }
  }
  EXPECT_TRUE(found);
  const CsvText s = read_csv_file(out("/tables/scenarios.csv"));
  EXPECT_EQ(s.rows.size(), 2u);
}

}  // namespace
}  // namespace minecarbon::e2e
