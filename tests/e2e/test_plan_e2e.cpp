// `minecarbon plan` end to end: scheme economics recomputed by hand, the ranking tables, the
// land-use LP's payoff equal to glpsol's, the [plan] section of a project, and bad inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

const std::string kData = MC_TEST_DATA_DIR;
const std::string kSchemes = kData + "/plan_schemes/";

const std::string kParams =
    " --horizon-yr 30 --discount-rate-pct 4 --carbon-price 60 --price-change-pct 2";

// NPV and costs per t CO2e of one scheme by a plain loop (the timing convention of docs/plan.md):
// capex and works emissions in year 0; gains, opex and benefits at the end of years 1..30.
struct Expected {
  double npv = 0, pv_cost = 0, net_co2e = 0, discounted_co2e = 0;
};
Expected by_hand(double capex, double works, double (*gain)(int), double (*opex)(int),
                 double (*benefit)(int)) {
  Expected e;
  e.pv_cost = capex;
  e.net_co2e = -works;
  e.discounted_co2e = -works;
  double pv_benefit = -works * 60.0;
  for (int t = 1; t <= 30; ++t) {
    const double d = std::pow(1.04, -t), price = 60.0 * std::pow(1.02, t);
    const double co2 = gain(t) * 44.0 / 12.0;
    e.net_co2e += co2;
    e.discounted_co2e += co2 * d;
    e.pv_cost += opex(t) * d;
    pv_benefit += co2 * price * d + benefit(t) * d;
  }
  e.npv = pv_benefit - e.pv_cost;
  return e;
}

std::map<std::string, std::size_t> rows_by(const CsvText& csv, const std::string& column) {
  std::map<std::string, std::size_t> out;
  for (std::size_t row = 0; row < csv.rows.size(); ++row)
    out[csv.rows[row][csv.column(column)]] = row;
  return out;
}

void expect_rel(double got, double want, const std::string& what) {
  EXPECT_LE(std::abs(got - want), 1e-9 * std::max(1.0, std::abs(want)))
      << what << ": " << got << " vs " << want;
}

class PlanE2e : public ::testing::Test {
 protected:
  TempDir dir_{"plan"};
};

TEST_F(PlanE2e, SchemeEconomicsMatchAHandLoop) {
  const CliRun run = run_cli("--quiet plan --schemes " + kSchemes + "schemes.toml --measures " +
                             kSchemes + "measures.csv" + kParams + " --out " + dir_.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText schemes = read_csv_file(dir_.str("out/tables/schemes.csv"));
  const auto row = rows_by(schemes, "scheme");
  // forest: 100 ha, topsoil (capex 20000, works 1.5, 0.8 t C/ha/yr years 1-20) + pine (capex
  // 15000, opex 500 for 5 yr, works 0.5, 2.0 t C/ha/yr years 1-30, benefit 300); baseline 0.1.
  const Expected forest = by_hand(
      100 * 35000.0, 100 * 2.0, [](int t) { return 100 * (2.0 + (t <= 20 ? 0.8 : 0.0) - 0.1); },
      [](int t) { return t <= 5 ? 100 * 500.0 : 0.0; }, [](int) { return 100 * 300.0; });
  // mixed: 60 ha pine + 40 ha seed (capex 6000, opex 200 for 3 yr, works 0.2, 1.2 years 1-15,
  // benefit 100).
  const Expected mixed = by_hand(
      60 * 15000.0 + 40 * 6000.0, 60 * 0.5 + 40 * 0.2,
      [](int t) { return 60 * 2.0 + (t <= 15 ? 40 * 1.2 : 0.0) - 100 * 0.1; },
      [](int t) { return (t <= 5 ? 60 * 500.0 : 0.0) + (t <= 3 ? 40 * 200.0 : 0.0); },
      [](int) { return 60 * 300.0 + 40 * 100.0; });
  for (const auto& [name, e] : {std::pair{"forest", forest}, std::pair{"mixed", mixed}}) {
    const std::size_t r = row.at(name);
    expect_rel(schemes.number(r, schemes.column("npv_yuan")), e.npv, std::string(name) + " npv");
    expect_rel(schemes.number(r, schemes.column("pv_cost_yuan")), e.pv_cost, "pv cost");
    expect_rel(schemes.number(r, schemes.column("net_co2e_t")), e.net_co2e, "net co2e");
    expect_rel(schemes.number(r, schemes.column("cost_per_tco2e_yuan")), e.pv_cost / e.net_co2e,
               "cost per t");
    expect_rel(schemes.number(r, schemes.column("levelised_cost_yuan_tco2e")),
               e.pv_cost / e.discounted_co2e, "levelised cost per t");
  }
  // grass gains nothing after year 15 but loses the baseline: saturation from year 16.
  EXPECT_EQ(schemes.number(row.at("grass"), schemes.column("saturation_year")), 16.0);
  const CsvText years = read_csv_file(dir_.str("out/tables/scheme_year.csv"));
  EXPECT_EQ(years.rows.size(), 3u * 31u);
  const CsvText ranking = read_csv_file(dir_.str("out/tables/ranking.csv"));
  ASSERT_EQ(ranking.rows.size(), 3u);
  const CsvText weights = read_csv_file(dir_.str("out/tables/weights.csv"));
  double sum = 0;
  for (std::size_t r = 0; r < weights.rows.size(); ++r)
    sum += weights.number(r, weights.column("weight"));
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST_F(PlanE2e, LandUseModelPayoffEqualsGlpsol) {
  const CliRun run = run_cli("--quiet plan --model " + kData + "/plan_lp/model.toml" + kParams +
                             " --out " + dir_.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText payoff = read_csv_file(dir_.str("out/tables/payoff.csv"));
  const CsvText ref = read_csv_file(kData + "/plan_lp/reference_lp_payoff.csv");
  ASSERT_EQ(payoff.rows.size(), 9u);
  for (std::size_t r = 0; r < payoff.rows.size(); ++r) {
    const std::size_t ref_row = r / 3, ref_col = r % 3 + 1;
    const double want = ref.number(ref_row, ref_col);
    EXPECT_LE(std::abs(payoff.number(r, payoff.column("value")) - want), 1e-7 * std::abs(want));
  }
  const std::string summary = slurp(dir_.path() / "out/summary.json");
  EXPECT_NE(summary.find("\"front_points\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "out/tables/pareto_allocation.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "out/tables/duals.csv"));
}

TEST_F(PlanE2e, RunsAsASectionOfAProject) {
  std::ofstream(dir_.path() / "p.toml")
      << "[project]\nout = \"results\"\n[plan]\nhorizon_yr = 30\ndiscount_rate_pct = 4\n"
      << "carbon_price = 60\nmeasures = \"" << kSchemes << "measures.csv\"\n"
      << "weights = \"ahp\"\nahp_matrix = [1, 3, 5, 7, 0.3333333333333333, 1, 3, 5, 0.2, "
         "0.3333333333333333, 1, 3, 0.14285714285714285, 0.2, 0.3333333333333333, 1]\n"
      << "[[plan.schemes]]\nname = \"a\"\n[[plan.schemes.classes]]\nland_use = \"forest\"\n"
      << "area_ha = 10\nmeasures = [\"pine\"]\n"
      << "[[plan.schemes]]\nname = \"b\"\n[[plan.schemes.classes]]\nland_use = \"grass\"\n"
      << "area_ha = 10\nmeasures = [\"seed\"]\n";
  const CliRun run = run_cli("--quiet run " + dir_.str("p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText ranking = read_csv_file(dir_.str("results/plan/tables/ranking.csv"));
  EXPECT_EQ(ranking.rows.size(), 2u);
  const std::string summary = slurp(dir_.path() / "results/plan/summary.json");
  EXPECT_NE(summary.find("\"cr\""), std::string::npos);
}

TEST_F(PlanE2e, AMeasureWithoutCostIsExit3NamingTheCell) {
  std::ofstream(dir_.path() / "m.csv")
      << "measure,land_use,capex_yuan_ha,opex_yuan_ha_yr,opex_years,works_co2e_t_ha,"
         "carbon_source,delta_tC_ha_yr,years_to\n"
      << "pine,forest,,500,5,0.5,rate,2,30\n";
  const CliRun run = run_cli("--quiet plan --schemes " + kSchemes + "schemes.toml --measures " +
                             dir_.str("m.csv") + kParams + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("m.csv:2, column 'capex_yuan_ha'"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "out"));
}

TEST_F(PlanE2e, AMeasureWithoutCarbonSourceIsExit3) {
  std::ofstream(dir_.path() / "m.csv")
      << "measure,land_use,capex_yuan_ha,opex_yuan_ha_yr,opex_years,works_co2e_t_ha,"
         "carbon_source\n"
      << "pine,forest,100,500,5,0.5,\n";
  const CliRun run = run_cli("--quiet plan --schemes " + kSchemes + "schemes.toml --measures " +
                             dir_.str("m.csv") + kParams + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("column 'carbon_source'"), std::string::npos) << run.err;
}

TEST_F(PlanE2e, AShareAboveOneIsExit2NamingTheScheme) {
  std::ofstream(dir_.path() / "s.toml")
      << "[[schemes]]\nname = \"x\"\narea_ha = 10\n[[schemes.classes]]\nland_use = \"forest\"\n"
      << "share = 1.5\nmeasures = [\"pine\"]\n";
  const CliRun run = run_cli("--quiet plan --schemes " + dir_.str("s.toml") + " --measures " +
                             kSchemes + "measures.csv" + kParams + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("scheme 'x' class 1 ('forest') share = 1.5"), std::string::npos)
      << run.err;
}

TEST_F(PlanE2e, ANonReciprocalAhpMatrixIsExit2) {
  const CliRun run = run_cli("--quiet plan --schemes " + kSchemes + "schemes.toml --measures " +
                             kSchemes + "measures.csv" + kParams +
                             " --weights ahp --ahp-matrix 1,3,5,7,0.5,1,3,5,0.2,0.3333333333333333,"
                             "1,3,0.14285714285714285,0.2,0.3333333333333333,1 --out " +
                             dir_.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("not reciprocal"), std::string::npos) << run.err;
}

TEST_F(PlanE2e, ARothCSourceWithoutASoilStageIsExit2) {
  std::ofstream(dir_.path() / "m.csv")
      << "measure,land_use,capex_yuan_ha,opex_yuan_ha_yr,opex_years,works_co2e_t_ha,"
         "carbon_source,rothc_scenario\n"
      << "pine,forest,100,500,5,0.5,rothc,topsoil_amended\n";
  std::ofstream(dir_.path() / "s.toml")
      << "[[schemes]]\nname = \"x\"\n[[schemes.classes]]\nland_use = \"forest\"\n"
      << "area_ha = 5\nmeasures = [\"pine\"]\n";
  const CliRun run = run_cli("--quiet plan --schemes " + dir_.str("s.toml") + " --measures " +
                             dir_.str("m.csv") + kParams + " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("scheme 'x'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("rothc scenario 'topsoil_amended' is missing"), std::string::npos)
      << run.err;
}

TEST_F(PlanE2e, AnInfeasibleLandUseModelIsExit3NamingTheConstraints) {
  const std::string lp = kData + "/plan_lp/";
  std::ofstream(dir_.path() / "model.toml")
      << "[optimise]\nzones = \"" << lp << "zones.csv\"\ncoefficients = \"" << lp
      << "coefficients.csv\"\nobjectives = [\"carbon:max\", \"cost:min\"]\nclass_limits = \"" << lp
      << "class_limits.csv\"\nallowed = \"" << lp << "allowed.csv\"\nbudget = 2500.0\n";
  const CliRun run = run_cli("--quiet plan --model " + dir_.str("model.toml") + kParams +
                             " --out " + dir_.str("out"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("no allocation satisfies every constraint"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("budget"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "out"));
}

}  // namespace
}  // namespace minecarbon::e2e
