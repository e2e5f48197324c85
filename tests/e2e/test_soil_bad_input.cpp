// `minecarbon soil` and `minecarbon rothc` on broken inputs: each case ends with a message naming
// what and where, the documented exit code (2 configuration, 3 input data), and no output folder.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

// A valid two-profile table; tests replace single lines.
const char* kHeader =
    "profile_id,land_use,top_cm,bottom_cm,soc_g_kg,bd_g_cm3,coarse_pct,clay_pct\n";
const char* kGood =
    "P1,reclaimed,0,10,12,1.4,5,20\n"
    "P1,reclaimed,10,30,6,1.5,10,22\n"
    "P2,reference,0,10,25,1.2,0,18\n"
    "P2,reference,10,30,14,1.3,0,19\n";

// 24 months of climate with a year column; `drop` removes that row (1-based), `extra` appends.
std::string months_csv(int drop = 0, const std::string& extra = {}, int rows = 24) {
  std::string out = "year,month,temp_C,rain_mm,pan_evap_mm,plant_input_tC_ha\n";
  for (int row = 1; row <= rows; ++row) {
    if (row == drop) continue;
    const int year = 2000 + (row - 1) / 12, month = (row - 1) % 12 + 1;
    out += std::to_string(year) + "," + std::to_string(month) + ",8,60,40," +
           (month == 8 ? "1.5" : "0") + "\n";
  }
  return out + extra;
}

class SoilBadInput : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.str(name)) << text;
  }
  CliRun soil(const std::string& profiles_text, const std::string& extra = {}) {
    write("profiles.csv", profiles_text);
    return run_cli("--quiet soil --profiles " + dir_.str("profiles.csv") + " --out " + out() + " " +
                   extra);
  }
  CliRun project(const std::string& toml) {
    write("project.toml", toml);
    return run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  }
  CliRun rothc_months(const std::string& csv) {
    write("months.csv", csv);
    write("rothc.toml", "[rothc]\nmonths = \"months.csv\"\nclay_pct = 20\niom_tC_ha = 2\n");
    return run_cli("--quiet rothc " + dir_.str("rothc.toml") + " --out " + out());
  }
  std::string out() const { return dir_.str("out"); }
  TempDir dir_{"soilbad_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(SoilBadInput, ValidProfilesRunAndWriteResults) {
  CliRun run = soil(std::string(kHeader) + kGood, "--reference reference");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(out() + "/tables/profile_stocks.csv"));
  EXPECT_TRUE(fs::exists(out() + "/tables/comparison.csv"));
  EXPECT_TRUE(fs::exists(out() + "/summary.json"));
}

TEST_F(SoilBadInput, OverlappingHorizonsAreADataError) {
  CliRun run = soil(std::string(kHeader) + "P1,r,0,10,12,1.4,5,20\nP1,r,8,30,6,1.5,10,22\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("profile 'P1' (lines 2, 3)"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("horizon 2 (8-30 cm) overlaps horizon 1 (0-10 cm)"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, GapBetweenHorizonsIsADataError) {
  CliRun run = soil(std::string(kHeader) + "P1,r,0,10,12,1.4,5,20\nP1,r,15,30,6,1.5,10,22\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("gap between horizon 1 (ends at 10 cm) and horizon 2 (15-30 cm)"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, SocWithoutADeclaredUnitIsADataError) {
  CliRun run = soil("profile_id,top_cm,bottom_cm,soc,bd_g_cm3\nP1,0,30,12,1.4\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("column 'soc' has no declared unit"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("soc_unit"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, SocUnitOptionWithAnUnknownUnitIsAConfigError) {
  CliRun run =
      soil("profile_id,top_cm,bottom_cm,soc,bd_g_cm3\nP1,0,30,12,1.4\n", "--soc-unit mg_kg");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--soc-unit = 'mg_kg': expected \"g_kg\" or \"pct\""), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, SocOutsideThePhysicalRangeIsADataError) {
  // 89 declared as % is 890 g/kg: more C than pure organic matter holds (g/kg read as %).
  CliRun run = soil("profile_id,top_cm,bottom_cm,soc_pct,bd_g_cm3\nP1,0,30,89,0.9\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("profiles.csv:2"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("SOC = 890 g/kg"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("read as % from soc_pct"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, BulkDensityAboveQuartzIsADataError) {
  CliRun run = soil(std::string(kHeader) + "P1,r,0,30,12,2.8,5,20\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("bulk density = 2.8 g/cm3: must be > 0 and <= 2.65"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, ClayOutsideZeroToHundredIsADataError) {
  CliRun run = soil(std::string(kHeader) + "P1,r,0,30,12,1.4,5,120\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("clay_pct = 120: must be within 0-100"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, MissingBulkDensityIsAnErrorUnlessAPedotransferFunctionIsNamed) {
  const std::string table = std::string(kHeader) + "P1,r,0,10,12,NA,5,20\nP1,r,10,30,6,1.5,10,22\n";
  CliRun run = soil(table);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("bd_g_cm3 is missing"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("bd_ptf = \"song2005\""), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
  // Asked for: estimated (1.377·e^(−0.0048·12) = 1.29994…), flagged in the horizon table and
  // counted in the summary.
  run = soil(table, "--bd-ptf song2005");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string horizons = slurp(out() + "/tables/horizons.csv");
  EXPECT_NE(horizons.find("ptf:song2005"), std::string::npos);
  EXPECT_NE(slurp(out() + "/summary.json").find("\"bulk_density_from_ptf\": 1"), std::string::npos);
}

TEST_F(SoilBadInput, ZeroThicknessHorizonIsDroppedAndCounted) {
  CliRun run = soil(std::string(kHeader) + kGood + "P2,reference,30,30,5,1.4,0,20\n");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(slurp(out() + "/summary.json").find("\"zero_thickness_horizons_dropped\": 1"),
            std::string::npos);
}

TEST_F(SoilBadInput, MonthlySeriesNotAWholeNumberOfYearsIsADataError) {
  CliRun run = rothc_months(months_csv(0, {}, 18));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("18 monthly rows: not a whole number of years"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, MissingMonthIsADataError) {
  CliRun run = rothc_months(months_csv(17));  // no May 2001
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("2001-06 follows 2001-04, expected 2001-05"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, NegativePlantInputIsADataError) {
  std::string csv = months_csv();
  csv.replace(csv.find(",1.5\n"), 5, ",-1.5\n");
  CliRun run = rothc_months(csv);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("months.csv:9"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("-1.5"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, NegativeAmendmentInAProjectIsAConfigError) {
  write("climate.csv", months_csv(0, {}, 12));
  CliRun run = project(
      "[soil]\n[[soil.scenarios]]\nname = \"s\"\nclimate = \"climate.csv\"\nfirst_year = 2000\n"
      "years = 5\nclay_pct = 20\nstart = \"bare_spoil\"\nstart_soc_tC_ha = 2\n"
      "[[soil.scenarios.phases]]\nfirst_year = 2000\nplant_input_tC_ha_yr = 1\n"
      "[[soil.scenarios.amendments]]\nyear = 2001\nmonth = 3\nkind = \"manure\"\n"
      "carbon_tC_ha = -4\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("project.toml:17 [soil.scenarios[1].amendments[1]] carbon_tC_ha"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, CompostWithoutASplitIsAConfigError) {
  write("climate.csv", months_csv(0, {}, 12));
  CliRun run = project(
      "[soil]\n[[soil.scenarios]]\nname = \"s\"\nclimate = \"climate.csv\"\nfirst_year = 2000\n"
      "years = 5\nclay_pct = 20\nstart = \"bare_spoil\"\nstart_soc_tC_ha = 2\n"
      "[[soil.scenarios.phases]]\nfirst_year = 2000\nplant_input_tC_ha_yr = 1\n"
      "[[soil.scenarios.amendments]]\nyear = 2001\nmonth = 3\nkind = \"compost\"\n"
      "carbon_tC_ha = 4\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("compost amendment of 2001-03: no pool split"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, UnknownKeyGetsADidYouMean) {
  write("profiles.csv", std::string(kHeader) + kGood);
  CliRun run = project("[soil]\nprofiles = \"profiles.csv\"\nrefrence = \"reference\"\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("project.toml:3 [soil] refrence: unknown key; did you mean 'reference'?"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, MissingIpccFactorSaysWhichAndWhere) {
  CliRun run = project(
      "[soil]\n[soil.ipcc]\nclimate = \"boreal\"\nsoil_type = \"HAC\"\nlast_year = 2040\n"
      "[[soil.ipcc.states]]\nstart_year = 2000\nsoc_tC_ha = 0\n"
      "[[soil.ipcc.states]]\nstart_year = 2005\nland_use = \"grassland\"\n"
      "management = \"severely_degraded\"\ninput = \"medium\"\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("IPCC factor F_MG for land_use = grassland, level = severely_degraded"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("data/ipcc_soil_factors.csv (shipped)"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(SoilBadInput, ClayOutsideRangeInABatchSiteTableIsADataError) {
  write("sites.csv", "site_id,clay_pct,iom_tC_ha,plant_input_tC_ha_yr\nA,20,2,1\nB,-3,2,1\n");
  std::string climate = "climate_id,month,temp_C,rain_mm,pan_evap_mm\n";
  for (const char* id : {"A", "B"}) {
    for (int m = 1; m <= 12; ++m)
      climate += std::string(id) + "," + std::to_string(m) + ",8,60,40\n";
  }
  write("climate.csv", climate);
  CliRun run = run_cli("--quiet rothc --sites " + dir_.str("sites.csv") + " --climate " +
                       dir_.str("climate.csv") + " --out " + out());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("sites.csv:3: site 'B': clay_pct = -3: must be within 0-100"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

}  // namespace
}  // namespace minecarbon::e2e
