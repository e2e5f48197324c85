// The damage command end to end, on the synthetic world with planted answers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <map>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

// One synthetic world for the whole suite (writing it takes a second).
class DamageOnSynthWorld : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new TempDir("world");
    CliRun synth = synth_world(world_->str("w"));
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
  }
  static void TearDownTestSuite() { delete world_; }
  static std::string world(const std::string& sub) { return world_->str("w/" + sub); }
  static TempDir* world_;
};
TempDir* DamageOnSynthWorld::world_ = nullptr;

TEST_F(DamageOnSynthWorld, RecoversEveryPlantedRelativeChangeTo1e6) {
  TempDir out("recover");
  CliRun run = run_cli("--quiet run " + world("project.toml") + " --out " + out.str("r"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  CsvText truth = read_csv_file(world("truth.csv"));
  std::map<std::pair<std::string, int>, double> planted;
  for (std::size_t row = 0; row < truth.rows.size(); ++row) {
    planted[{truth.rows[row][truth.column("mine_id")],
             static_cast<int>(truth.number(row, truth.column("year")))}] =
        truth.number(row, truth.column("planted_nep_change_rel_gC_m2_yr"));
  }
  CsvText got = read_csv_file(out.str("r/tables/mine_year.csv"));
  ASSERT_GT(got.rows.size(), 400u);
  double worst = 0;
  for (std::size_t row = 0; row < got.rows.size(); ++row) {
    const auto key = std::make_pair(got.rows[row][got.column("mine_id")],
                                    static_cast<int>(got.number(row, got.column("year"))));
    const double s = got.number(row, got.column("nep_change_rel_gC_m2_yr"));
    ASSERT_TRUE(std::isfinite(s)) << key.first << " " << key.second;
    worst = std::max(worst, std::fabs(s - planted.at(key)));
    EXPECT_DOUBLE_EQ(got.number(row, got.column("nep_loss_gC_m2_yr")), -s);
  }
  EXPECT_LT(worst, 1e-6);
  // Mines below 1 km² are reported with their status, not dropped.
  CsvText mines = read_csv_file(out.str("r/tables/mines.csv"));
  // 20 × 14 lattice sites, one with two mines; every 40th site (7) holds a mine below 1 km².
  EXPECT_EQ(mines.rows.size(), 281u);
  int below = 0;
  for (const auto& row : mines.rows)
    below += row[mines.column("status")] == "below_min_area";
  EXPECT_EQ(below, 7);
  EXPECT_TRUE(fs::exists(out.str("r/results.gpkg")));
  EXPECT_TRUE(fs::exists(out.str("r/summary.json")));
}

TEST_F(DamageOnSynthWorld, OneAndTwoThreadsWriteIdenticalTables) {
  TempDir out("threads");
  for (int threads : {1, 2}) {
    CliRun run =
        run_cli("--quiet --threads " + std::to_string(threads) + " run " + world("project.toml") +
                " --out " + out.str("t" + std::to_string(threads)));
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  for (const char* table :
       {"mines", "mine_year", "year_summary", "group_year", "group_trend", "periods"}) {
    const std::string one = slurp(out.str("t1/tables/") + table + ".csv");
    ASSERT_FALSE(one.empty()) << table;
    EXPECT_EQ(one, slurp(out.str("t2/tables/") + table + ".csv")) << table;
  }
}

TEST_F(DamageOnSynthWorld, GroupsByContinentThroughTheShippedM49Table) {
  TempDir out("m49");
  CliRun run =
      run_cli("--quiet damage --mines " + world("mines.gpkg") + " --id-field mine_id --nep '" +
              world("nep/nep_{year}.tif") + "' --years 2000-2020 --ring-gap-m 1000 " +
              "--group-by continent --group-by ISO3_CODE --period 2000-2006 --out " + out.str("r"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  CsvText groups = read_csv_file(out.str("r/tables/group_year.csv"));
  std::map<std::string, int> rows_per_group;
  for (const auto& row : groups.rows)
    ++rows_per_group[row[groups.column("group_field")] + ":" + row[groups.column("group")]];
  // Mongolia, China and Viet Nam are all in Asia (UN M49).
  EXPECT_EQ(rows_per_group["continent:Asia"], 21);
  EXPECT_EQ(rows_per_group["ISO3_CODE:MNG"], 21);
  EXPECT_EQ(rows_per_group.size(), 4u);
}

}  // namespace
}  // namespace minecarbon::e2e
