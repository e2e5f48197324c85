// The demo's activity data end to end: `minecarbon synth` writes activity rows of every mine
// covering every source and unit (demo/synth_emissions.h) with truth computed by hand from the
// factor values of docs/emissions.md, `run` of the [emissions] section recovers every truth value
// per mine, year and source, and warns about the year missing from the demo's grid table.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "demo_project.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // mine, year, source

TEST(DemoEmissions, RunRecoversTheHandEmissionsOfEveryMineYearAndSource) {
  TempDir dir("demo_emissions");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  std::ofstream(dir.path() / "demo/p.toml")
      << sections_of(slurp(dir.path() / "demo/project.toml"), {"project", "emissions"});
  const CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  // The activity covers every source and unit, both diesel subtypes, the three coal classes by
  // subtype and by depth, fuel-oil fractions, flare efficiencies and former classes.
  std::set<std::string> kinds;
  for (const auto& r : read_rows(dir.path() / "demo/emissions/activity.csv")) {
    std::string kind = r.at("source") + "/" + r.at("unit");
    if (r.at("source") == "diesel" || r.at("source") == "land_cleared")
      kind += "/" + r.at("subtype");
    if (r.at("source") == "coal_surface")
      kind +=
          r.at("subtype").empty() ? "/depth=" + r.at("overburden_depth_m") : "/" + r.at("subtype");
    if (r.at("source") == "explosive" && !r.at("fuel_oil_fraction").empty()) kind += "/w_FO";
    if (r.at("source") == "ch4_recovered" && !r.at("flare_efficiency").empty()) kind += "/eta";
    if (r.at("source") == "electricity") kind += "/" + r.at("region");
    kinds.insert(kind);
  }
  for (const char* expected :
       {"diesel/L/offroad",          "diesel/m3/offroad",       "diesel/t/offroad",
        "diesel/GJ/offroad",         "diesel/L/stationary",     "explosive/t/w_FO",
        "electricity/kWh/CN-SN",     "electricity/MWh/CN-SN",   "coal_surface/t/low",
        "coal_surface/t/average",    "coal_surface/t/high",     "coal_surface/t/depth=12.5",
        "coal_surface/t/depth=37.5", "coal_surface/t/depth=75", "coal_surface/t/depth=",
        "ch4_recovered/m3/eta",      "ch4_recovered/t/eta",     "land_cleared/ha/1",
        "land_cleared/ha/2",         "land_cleared/ha/3"})
    EXPECT_TRUE(kinds.count(expected)) << expected << " not in the demo activity";

  std::map<Key, std::map<std::string, std::string>> truth;
  std::set<std::string> mines;
  for (const auto& r : read_rows(dir.path() / "demo/emissions/truth_emissions.csv")) {
    truth[{r.at("mine_id"), r.at("year"), r.at("source")}] = r;
    mines.insert(r.at("mine_id"));
  }
  EXPECT_EQ(mines.size(), 281u);
  ASSERT_GT(truth.size(), 1000u);

  std::size_t matched = 0;
  const auto rows = read_rows(dir.path() / "demo/results/emissions/tables/mine_year_source.csv");
  EXPECT_EQ(rows.size(), truth.size());
  for (const auto& r : rows) {
    const Key key{r.at("mine_id"), r.at("year"), r.at("source")};
    const auto it = truth.find(key);
    ASSERT_NE(it, truth.end()) << r.at("mine_id") << " " << r.at("year") << " " << r.at("source")
                               << " has no planted activity";
    ++matched;
    for (const auto& [got, want] :
         std::initializer_list<std::pair<const char*, const char*>>{{"co2_t", "co2_t"},
                                                                    {"ch4_t", "ch4_t"},
                                                                    {"n2o_t", "n2o_t"},
                                                                    {"co2e_t", "co2e_ar5_t"}}) {
      const double value = std::stod(r.at(got)), expected = std::stod(it->second.at(want));
      EXPECT_NEAR(value, expected, 1e-9 * std::abs(expected))
          << std::get<0>(key) << " " << std::get<1>(key) << " " << std::get<2>(key) << " " << got;
    }
  }
  EXPECT_EQ(matched, truth.size());

  // The year missing from the demo grid table: the stage used the year before and said so.
  const auto summary =
      nlohmann::json::parse(slurp(dir.path() / "demo/results/emissions/summary.json"));
  bool warned = false;
  for (const auto& w : summary.at("warnings"))
    if (w.at("code") == "grid_year_fallback") {
      const std::string message = w.at("message");
      warned = message.find("CN-SN") != std::string::npos &&
               message.find("2013") != std::string::npos &&
               message.find("used the 2012 factor") != std::string::npos;
    }
  EXPECT_TRUE(warned) << summary.at("warnings").dump();
}

}  // namespace
}  // namespace minecarbon::e2e
