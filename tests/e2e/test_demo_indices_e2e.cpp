// The indices demo (demo/synth_indices.h) end to end: `minecarbon indices` on the planted scene
// series reproduces the planted RSEI order — the restored mine's mean RSEI rises every year, the
// degrading mine's falls every year, and they swap ranks between the first and the last year —
// and its NDVI follows the planted vegetation fraction in the same order.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/demo/synth_indices.h"

namespace minecarbon::e2e {
namespace {

TEST(DemoIndicesE2e, RseiOfTheMinesFollowsThePlantedOrder) {
  TempDir dir("demo_indices");
  const demo::SynthIndices scene = demo::make_synth_indices();
  const std::string command = demo::write_synth_indices(scene, dir.str("indices"));
  ASSERT_EQ(command.rfind("minecarbon ", 0), 0u) << command;
  // The command as the demo prints it, with the pattern quoted for the shell.
  std::string args = command.substr(std::string("minecarbon ").size());
  const std::string pattern = dir.str("indices") + "/scene_{year}.tif";
  args.replace(args.find(pattern), pattern.size(), "'" + pattern + "'");
  const CliRun run = run_cli("-q " + args + " --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  // mean RSEI and NDVI per (mine, year) over the mine polygon.
  const CsvText table = read_csv_file(dir.str("out/tables/mine_index.csv"));
  std::map<std::pair<std::string, int>, double> rsei, ndvi;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (table.rows[r][table.column("zone")] != "mine") continue;
    const std::string id = table.rows[r][table.column("mine_id")];
    const int year = static_cast<int>(table.number(r, table.column("year")));
    const std::string index = table.rows[r][table.column("index")];
    const double mean = table.number(r, table.column("mean"));
    if (index == "rsei") rsei[{id, year}] = mean;
    if (index == "ndvi") ndvi[{id, year}] = mean;
  }
  ASSERT_EQ(rsei.size(), 10u);
  auto at = [](std::map<std::pair<std::string, int>, double>& m, const char* id, int year) {
    return m[std::make_pair(std::string(id), year)];
  };
  for (int year = scene.first_year + 1; year <= scene.last_year; ++year) {
    EXPECT_GT(at(rsei, "R", year), at(rsei, "R", year - 1)) << "restored mine, " << year;
    EXPECT_LT(at(rsei, "D", year), at(rsei, "D", year - 1)) << "degrading mine, " << year;
    EXPECT_GT(at(ndvi, "R", year), at(ndvi, "R", year - 1)) << year;
    EXPECT_LT(at(ndvi, "D", year), at(ndvi, "D", year - 1)) << year;
  }
  EXPECT_GT(at(rsei, "D", scene.first_year), at(rsei, "R", scene.first_year));
  EXPECT_LT(at(rsei, "D", scene.last_year), at(rsei, "R", scene.last_year));
  for (const auto& [key, value] : rsei) {
    EXPECT_GE(value, 0.0) << key.first << " " << key.second;
    EXPECT_LE(value, 1.0) << key.first << " " << key.second;
  }
  // The truth file holds the planted vegetation fraction and trend of every mine-year.
  const CsvText truth = read_csv_file(dir.str("indices/truth_indices.csv"));
  ASSERT_EQ(truth.rows.size(), 10u);
  EXPECT_EQ(truth.rows[0][truth.column("planted_trend")], "rising");
  EXPECT_NEAR(truth.number(4, truth.column("greenness")), 0.70, 1e-12);
}

}  // namespace
}  // namespace minecarbon::e2e
