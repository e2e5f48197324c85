// The demo's balance end to end: `minecarbon synth` writes the balance its planting implies for
// every mine (demo/synth_balance.h: planted NEP change × geodesic area, planted transitions and
// hand-computed process emissions), and `run` of the damage, landuse, emissions and balance
// sections recovers every component, cumulative, neutral year and status; the full demo keeps
// every planted year up to 2020 and adds the projections' removals after it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "demo_project.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

using Row = CsvRow;

// A number, or NaN for an empty or NA field.
double number(const std::string& text) {
  if (text.empty() || text == "NA" || text == "nan" || text == "NaN") return std::nan("");
  return std::stod(text);
}

void expect_same(double got, double want, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": " << got << ", expected none";
    return;
  }
  EXPECT_NEAR(got, want, 1e-6 * std::max(1.0, std::abs(want))) << what;
}

// Every value of a mine-year row and of a mine row, to 1e-6 relative (1e-6 t CO2e absolute for
// values below 1 t, zeros included).
const char* kYearColumns[] = {"process_emission_co2e_t",       "clearing_emission_co2e_t",
                              "foregone_sink_co2e_t",          "landuse_gain_removal_co2e_t",
                              "restoration_removal_co2e_t",    "net_emission_co2e_t",
                              "cumulative_net_emission_co2e_t"};
const char* kMineColumns[] = {"first_year",
                              "carbon_neutral_year",
                              "neutral_year_interp",
                              "first_net_removal_year",
                              "cumulative_net_emission_co2e_t",
                              "process_emission_co2e_t",
                              "clearing_emission_co2e_t",
                              "foregone_sink_co2e_t",
                              "landuse_gain_removal_co2e_t",
                              "restoration_removal_co2e_t"};

// One synthetic world for the suite; `synth` writes the truth of every mine.
class DemoBalance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("demo_balance");
    ASSERT_EQ(synth_world(dir_->str("demo")).exit_code, 0);
    truth_years_ = new std::vector<Row>(read_rows(dir_->path() / "demo/balance/truth_balance.csv"));
    truth_mines_ =
        new std::vector<Row>(read_rows(dir_->path() / "demo/balance/truth_balance_mines.csv"));
  }
  static void TearDownTestSuite() {
    delete truth_years_;
    delete truth_mines_;
    delete dir_;
  }
  static fs::path demo(const std::string& sub) { return dir_->path() / "demo" / sub; }
  static TempDir* dir_;
  static std::vector<Row>* truth_years_;
  static std::vector<Row>* truth_mines_;
};
TempDir* DemoBalance::dir_ = nullptr;
std::vector<Row>* DemoBalance::truth_years_ = nullptr;
std::vector<Row>* DemoBalance::truth_mines_ = nullptr;

// [damage], [landuse], [emissions] and [balance]: every planted value of every mine, every year to
// the horizon, and every mine's totals, neutral year and status.
TEST_F(DemoBalance, RunRecoversThePlantedBalanceOfEveryMine) {
  std::ofstream(demo("p.toml")) << sections_of(
      slurp(demo("project.toml")), {"project", "nep", "damage", "landuse", "emissions", "balance"});
  const CliRun run = run_cli("--quiet run " + demo("p.toml").string() + " --out " +
                             demo("results_exact").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::map<std::pair<std::string, std::string>, Row> got_years;
  for (auto& r : read_rows(demo("results_exact/balance/tables/mine_year.csv")))
    got_years[{r["mine_id"], r["year"]}] = r;
  ASSERT_GT(truth_years_->size(), 281u * 60u);
  EXPECT_EQ(got_years.size(), truth_years_->size());
  for (const auto& t : *truth_years_) {
    const std::string where = t.at("mine_id") + " " + t.at("year");
    const auto it = got_years.find({t.at("mine_id"), t.at("year")});
    ASSERT_NE(it, got_years.end()) << where << " missing from mine_year";
    const Row& g = it->second;
    EXPECT_EQ(g.at("ecosystem_basis"), t.at("ecosystem_basis")) << where;
    for (const char* column : kYearColumns)
      expect_same(number(g.at(column)), number(t.at(column)), where + " " + column);
  }

  std::map<std::string, Row> got_mines;
  for (auto& r : read_rows(demo("results_exact/balance/tables/mine_summary.csv")))
    got_mines[r["mine_id"]] = r;
  std::set<std::string> statuses;
  int without_damage = 0;
  ASSERT_EQ(truth_mines_->size(), 281u);  // every mine of the demo world
  EXPECT_EQ(got_mines.size(), truth_mines_->size());
  for (const auto& t : *truth_mines_) {
    const std::string& id = t.at("mine_id");
    ASSERT_TRUE(got_mines.count(id)) << id;
    const Row& g = got_mines[id];
    statuses.insert(t.at("status"));
    EXPECT_EQ(g.at("status"), t.at("status")) << id;
    // The 7 mines below 1 km² have no damage rows (the stage does not analyse them).
    without_damage += g.at("components") == "emissions;landuse";
    if (g.at("components") != "emissions;landuse")
      EXPECT_EQ(g.at("components"), "emissions;landuse;damage") << id;
    for (const char* column : kMineColumns)
      expect_same(number(g.at(column)), number(t.at(column)), id + " " + column);
  }
  EXPECT_EQ(without_damage, 7);
  // The planting gives every status a mine with data can have.
  EXPECT_TRUE(statuses.count("neutral"));
  EXPECT_TRUE(statuses.count("not_within_horizon"));
  EXPECT_TRUE(statuses.count("never_net_emitter"));
}

// The whole demo: balance joins damage, landuse, emissions, vegetation and soil for every mine.
// Restoration removals come from the fitted vegetation curves and the RothC scenario and count
// only after the last observation (2020), so every row up to 2020 is the planted one and the
// projection years remove carbon.
TEST_F(DemoBalance, FullDemoJoinsEveryStageAndKeepsThePlantedYearsUpTo2020) {
  const CliRun run = run_cli("--quiet run " + demo("project.toml").string() + " --out " +
                             demo("results_full").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::map<std::pair<std::string, std::string>, Row> got_years;
  for (auto& r : read_rows(demo("results_full/balance/tables/mine_year.csv")))
    got_years[{r["mine_id"], r["year"]}] = r;
  std::size_t compared = 0;
  for (const auto& t : *truth_years_) {
    const std::string where = t.at("mine_id") + " " + t.at("year");
    const Row& g = got_years.at({t.at("mine_id"), t.at("year")});
    if (std::stoi(t.at("year")) > 2020) {
      EXPECT_EQ(g.at("ecosystem_basis"), "projection") << where;
      EXPECT_LT(number(g.at("restoration_removal_co2e_t")), 0.0) << where;
      continue;
    }
    ++compared;
    EXPECT_EQ(g.at("ecosystem_basis"), t.at("ecosystem_basis")) << where;
    for (const char* column : kYearColumns)
      expect_same(number(g.at(column)), number(t.at(column)), where + " " + column);
  }
  EXPECT_GE(compared, 281u * 20u);  // 2000 (or 2001) to 2020 for every mine
  std::map<std::string, Row> got_mines;
  for (auto& r : read_rows(demo("results_full/balance/tables/mine_summary.csv")))
    got_mines[r["mine_id"]] = r;
  ASSERT_EQ(got_mines.size(), 281u);
  int without_damage = 0;
  for (const auto& [id, g] : got_mines) {
    const std::string components = g.at("components");
    for (const char* stage : {"emissions", "landuse", "vegetation"})
      EXPECT_NE(components.find(stage), std::string::npos) << id << " lacks " << stage;
    without_damage += components.find("damage") == std::string::npos;
  }
  EXPECT_EQ(without_damage, 7);  // below 1 km²
  EXPECT_NE(got_mines.at("M1").at("components").find("soil"), std::string::npos);
}

}  // namespace
}  // namespace minecarbon::e2e
