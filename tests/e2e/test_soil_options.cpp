// Every option of the soil and rothc stages, as declared in their option tables, reaches the
// user: a flag in --help, a row in `minecarbon help --markdown`, a value in the `parameters`
// echo of summary.json. Bad values in a project file are refused naming the line and key.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "cli_harness.h"
#include "minecarbon/pipeline/soil_job.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

class SoilOptions : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.str(name)) << text;
  }
  // The standard output of `minecarbon <args>`.
  std::string output(const std::string& args) {
    const std::string file = dir_.str("stdout.txt");
    const CliRun run = run_cli(args + " > " + file);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return slurp(file);
  }
  std::string out() const { return dir_.str("out"); }
  TempDir dir_{"soilopt_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

template <class Settings>
void expect_every_flag(const OptionTable<Settings>& table, const std::string& help) {
  const auto rows = option_rows(table);
  for (const auto& row : rows) {
    if (row.flag.empty()) continue;
    // Flags that default to on are listed as --no-<name> already.
    EXPECT_NE(help.find(row.flag + " "), std::string::npos) << row.flag << " missing from --help";
  }
}

template <class Settings>
void expect_every_row(const OptionTable<Settings>& table, const std::string& markdown,
                      const std::string& prefix = {}) {
  for (const auto& o : table.options())
    EXPECT_NE(markdown.find("| `" + prefix + o.spec.key + "` |"), std::string::npos)
        << prefix + o.spec.key << " missing from the markdown";
}

template <class Settings>
void expect_every_key(const OptionTable<Settings>& table, const nlohmann::json& echo,
                      const std::string& where) {
  ASSERT_TRUE(echo.is_object()) << where;
  for (const auto& o : table.options())
    EXPECT_TRUE(echo.contains(o.spec.key)) << where << "." << o.spec.key << " not echoed";
}

std::string twelve_months_csv() {
  std::string csv = "month,temp_C,rain_mm,pan_evap_mm\n";
  for (int m = 1; m <= 12; ++m)
    csv += std::to_string(m) + ",8,60,40\n";
  return csv;
}

TEST_F(SoilOptions, EveryOptionHasAFlagInHelp) {
  expect_every_flag(pipeline::soil_options(), output("soil --help"));
  expect_every_flag(pipeline::rothc_options(), output("rothc --help"));
}

TEST_F(SoilOptions, EveryOptionHasARowInTheMarkdown) {
  const std::string soil = output("help --markdown soil");
  expect_every_row(pipeline::soil_options(), soil);
  expect_every_row(pipeline::soil_ipcc_options(), soil, "ipcc.");
  expect_every_row(assess::IpccStateSpec::options(), soil, "ipcc.states[].");
  expect_every_row(pipeline::soil_scenario_options(), soil, "scenarios[].");
  expect_every_row(assess::vegetation_phase_options(), soil, "scenarios[].phases[].");
  expect_every_row(assess::AmendmentSpec::options(), soil, "scenarios[].amendments[].");
  expect_every_row(assess::biochar_addition_options(), soil, "scenarios[].biochar[].");
  expect_every_row(pipeline::rothc_options(), output("help --markdown rothc"));
}

TEST_F(SoilOptions, EveryOptionIsEchoedInTheSummary) {
  write("profiles.csv",
        "profile_id,land_use,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
        "P1,reclaimed,0,30,12,1.4\nP2,reference,0,30,25,1.2\n");
  write("climate.csv", twelve_months_csv());
  write("project.toml",
        "[soil]\nprofiles = \"profiles.csv\"\nreference = \"reference\"\nintervals = [\"0-30\"]\n"
        "[soil.ipcc]\nclimate = \"boreal\"\nsoil_type = \"HAC\"\nlast_year = 2010\n"
        "[[soil.ipcc.states]]\nstart_year = 2000\nsoc_tC_ha = 5\n"
        "[[soil.scenarios]]\nname = \"s\"\nclimate = \"climate.csv\"\nfirst_year = 2000\n"
        "years = 3\nclay_pct = 20\nstart = \"bare_spoil\"\nstart_soc_tC_ha = 2\n"
        "[[soil.scenarios.phases]]\nfirst_year = 2000\nplant_input_tC_ha_yr = 1\n"
        "input_share = [0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]\n"
        "[[soil.scenarios.amendments]]\nyear = 2001\nmonth = 3\nkind = \"compost\"\n"
        "carbon_tC_ha = 4\ndpm_frac = 0.1\nrpm_frac = 0.4\nbio_frac = 0\nhum_frac = 0.5\n"
        "[[soil.scenarios.biochar]]\nyear = 2001\nmonth = 4\ncarbon_tC_ha = 1\n");
  CliRun run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(slurp(out() + "/soil/summary.json"));
  const nlohmann::json& p = summary["parameters"];
  expect_every_key(pipeline::soil_options(), p, "soil");
  EXPECT_EQ(p["intervals"], nlohmann::json::array({"0-30"}));
  expect_every_key(pipeline::soil_ipcc_options(), p["ipcc"], "soil.ipcc");
  expect_every_key(assess::IpccStateSpec::options(), p["ipcc"]["states"][0], "states[0]");
  const nlohmann::json& sc = p["scenarios"][0];
  expect_every_key(pipeline::soil_scenario_options(), sc, "scenarios[0]");
  expect_every_key(assess::vegetation_phase_options(), sc["phases"][0], "phases[0]");
  EXPECT_EQ(sc["phases"][0]["input_share"], "0,0,1,1,1,1,1,1,1,0,0,0");
  expect_every_key(assess::AmendmentSpec::options(), sc["amendments"][0], "amendments[0]");
  EXPECT_EQ(sc["amendments"][0]["hum_frac"], 0.5);
  expect_every_key(assess::biochar_addition_options(), sc["biochar"][0], "biochar[0]");

  write(
      "months.csv", "year,month,temp_C,rain_mm,pan_evap_mm,plant_input_tC_ha\n" + [] {
        std::string rows;
        for (int r = 0; r < 24; ++r)
          rows += std::to_string(2000 + r / 12) + "," + std::to_string(r % 12 + 1) + ",8,60,40," +
                  (r % 12 == 7 ? "1.5" : "0") + "\n";
        return rows;
      }());
  write("rothc.toml", "[rothc]\nmonths = \"months.csv\"\nclay_pct = 20\niom_tC_ha = 2\n");
  run = run_cli("--quiet rothc " + dir_.str("rothc.toml") + " --spin-up exact --out " +
                dir_.str("rothc_out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rothc = nlohmann::json::parse(slurp(dir_.str("rothc_out") + "/summary.json"));
  expect_every_key(pipeline::rothc_options(), rothc["parameters"], "rothc");
  EXPECT_EQ(rothc["parameters"]["clay_pct"], 20.0);
  EXPECT_EQ(rothc["parameters"]["spin_up"], "exact");  // the flag wins over the file
  EXPECT_EQ(rothc["spin_up"]["method"], "exact");
}

TEST_F(SoilOptions, NonFiniteAndOutOfRangeValuesNameTheLineAndKey) {
  write("profiles.csv", "profile_id,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\nP1,0,30,12,1.4\n");
  write("project.toml", "[soil]\nprofiles = \"profiles.csv\"\nspline_lambda = nan\n");
  CliRun run = run_cli("--quiet run " + dir_.str("project.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("project.toml:3 [soil] spline_lambda"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("finite"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out()));

  run = run_cli("--quiet soil --profiles " + dir_.str("profiles.csv") +
                " --spline-lambda inf --out " + out());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--spline-lambda: must be a finite number"), std::string::npos) << run.err;

  write("rothc.toml", "[rothc]\nmonths = \"profiles.csv\"\nclay_pct = 140\n");
  run = run_cli("--quiet rothc " + dir_.str("rothc.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("rothc.toml:3 [rothc] clay_pct = 140: must be >= 0 and <= 100 (%)"),
            std::string::npos)
      << run.err;

  write("rothc.toml", "[rothc]\nmonths = \"profiles.csv\"\nmoisture_option = 4\n");
  run = run_cli("--quiet rothc " + dir_.str("rothc.toml") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("rothc.toml:3 [rothc] moisture_option: expected 1-3 (opt_RMmoist)"),
            std::string::npos)
      << run.err;

  run = run_cli("--quiet rothc --sites " + dir_.str("profiles.csv") + " --out " + out());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("rothc: --climate (default): required with sites"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(out()));
}

}  // namespace
}  // namespace minecarbon::e2e
