// The demo's land-use maps end to end: `minecarbon synth` plants per-mine transitions of known
// area (demo/synth_landuse.h; truth from exact polygon clips, not from the stage), `run` of the
// [landuse] section recovers every planted area and carbon change, and no mine shows a change
// that was not planted.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "demo_project.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;

TEST(DemoLanduse, RunRecoversThePlantedTransitionsOfEveryMine) {
  TempDir dir("demo_landuse");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  std::ofstream(dir.path() / "demo/p.toml")
      << sections_of(slurp(dir.path() / "demo/project.toml"), {"project", "landuse"});
  const CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::map<Key, std::pair<double, double>> truth;
  std::map<std::tuple<std::string, std::string, std::string>, double> truth_change;
  for (const auto& r : read_rows(dir.path() / "demo/landuse/truth_landuse.csv")) {
    truth[{r.at("mine_id"), r.at("year_from"), r.at("year_to"), r.at("from_lucode"),
           r.at("to_lucode")}] = {std::stod(r.at("planted_area_ha")),
                                  std::stod(r.at("planted_carbon_change_tC"))};
    truth_change[{r.at("mine_id"), r.at("year_from"), r.at("year_to")}] +=
        std::stod(r.at("planted_carbon_change_tC"));
  }
  // The planting: every kind of planted change is present, on several mines, with a sliver.
  ASSERT_GT(truth.size(), 40u);
  std::map<std::string, int> mines_with_change;
  bool sliver = false;
  for (const auto& [key, value] : truth) {
    ++mines_with_change[std::get<0>(key)];
    if (std::get<4>(key) == "5" && value.first < 5.0) sliver = true;  // the 30 m haul road
  }
  EXPECT_GE(mines_with_change.size(), 8u);
  EXPECT_TRUE(sliver);

  std::size_t matched = 0;
  for (const auto& r : read_rows(dir.path() / "demo/results/landuse/tables/mine_transitions.csv")) {
    if (r.at("from_lucode") == r.at("to_lucode")) continue;
    const double area = std::stod(r.at("area_ha"));
    const Key key{r.at("mine_id"), r.at("year_from"), r.at("year_to"), r.at("from_lucode"),
                  r.at("to_lucode")};
    const auto it = truth.find(key);
    if (it == truth.end()) {
      // Only a clip's rounding may be unplanted (a vertex on a strip's edge).
      EXPECT_LT(area, 1e-9) << r.at("mine_id") << " " << r.at("from_lucode") << "→"
                            << r.at("to_lucode") << " was not planted";
      continue;
    }
    ++matched;
    EXPECT_NEAR(area, it->second.first, 1e-6 * std::max(1.0, it->second.first))
        << std::get<0>(key) << " " << std::get<1>(key) << "-" << std::get<2>(key) << " "
        << std::get<3>(key) << "→" << std::get<4>(key);
    EXPECT_NEAR(std::stod(r.at("carbon_change_tC")), it->second.second,
                1e-6 * std::max(1.0, std::abs(it->second.second)));
  }
  EXPECT_EQ(matched, truth.size());

  // The mine totals: the change of a mine's stock is the sum of its planted transitions.
  for (const auto& r : read_rows(dir.path() / "demo/results/landuse/tables/mine_change.csv")) {
    const auto it = truth_change.find({r.at("mine_id"), r.at("year_from"), r.at("year_to")});
    const double planted = it == truth_change.end() ? 0.0 : it->second;
    EXPECT_NEAR(std::stod(r.at("change_tC")), planted, 1e-6 * std::max(1.0, std::abs(planted)))
        << r.at("mine_id") << " " << r.at("year_from") << "-" << r.at("year_to");
  }
}

}  // namespace
}  // namespace minecarbon::e2e
