// Every vegetation option, declared once in vegetation_options(), reaches `vegetation --help`, the
// generated docs/options/vegetation.md and the `parameters` echo of summary.json (issue 10 item 1).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(VegetationOptions, EveryOptionIsInHelpInTheDocsAndInTheSummary) {
  TempDir dir("veg_options");
  // Two plots of Chinese fir (shipped volume and continuous BEF tables); no growth curves.
  std::string trees = "plot_id,species,dbh_cm,height_m,status\n";
  for (int plot = 1; plot <= 2; ++plot)
    for (int tree = 0; tree < 5; ++tree)
      trees += "P" + std::to_string(plot) + ",Cunninghamia lanceolata," +
               std::to_string(8 + 2 * tree + plot) + "," + std::to_string(7 + tree) + ",live\n";
  write_file(dir.str("trees.csv"), trees);
  write_file(dir.str("plots.csv"),
             "plot_id,area_m2,mine_id,stand_age_yr,land_use\nP1,400,M1,10,conifer\n"
             "P2,400,M1,12,conifer\n");
  const std::string help_file = dir.str("help.txt");
  ASSERT_EQ(run_cli("vegetation --help > " + help_file).exit_code, 0);
  const std::string help = slurp(help_file);
  const std::string docs = slurp(std::string(MC_SOURCE_DIR) + "/docs/options/vegetation.md");
  const CliRun run = run_cli("-q vegetation --trees " + dir.str("trees.csv") + " --plots " +
                             dir.str("plots.csv") + " --no-growth --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(slurp(dir.path() / "out/summary.json"));
  std::istringstream rows(docs);
  int n = 0;
  for (std::string line; std::getline(rows, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::string key = line.substr(3, line.find('`', 3) - 3);
    const auto flag_at = line.find("`--");
    ASSERT_NE(flag_at, std::string::npos) << key << " has no flag in the docs";
    const std::string flag = line.substr(flag_at + 1, line.find('`', flag_at + 1) - flag_at - 1);
    EXPECT_NE(help.find(flag), std::string::npos) << flag << " not in vegetation --help";
    EXPECT_TRUE(summary["parameters"].contains(key)) << key << " not in the summary echo";
    ++n;
  }
  EXPECT_EQ(n, 45);
  // The echo holds the values used: --no-growth switched growth off, the trees path is echoed.
  EXPECT_EQ(summary["parameters"]["growth"], false);
  EXPECT_EQ(summary["parameters"]["trees"], dir.str("trees.csv"));
}

TEST(VegetationOptions, ABadFlagValueNamesTheFlag) {
  TempDir dir("veg_bad_flag");
  const CliRun run =
      run_cli("-q vegetation --trees t.csv --plots p.csv --criterion aic --out " + dir.str("out"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("vegetation: --criterion aic: expected one of aic_loglik"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace minecarbon::e2e
