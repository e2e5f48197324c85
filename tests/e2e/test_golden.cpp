// The demo world gives the same tables, byte for byte, as the golden copy in tests/data/golden
// (made before the stage platform was rebuilt; see its README).
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "cli_harness.h"

namespace minecarbon::e2e {
namespace {

// "sum  ./path" lines of sha256sum.
std::map<std::string, std::string> read_sums(const std::string& text) {
  std::map<std::string, std::string> sums;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > 66) sums[line.substr(66)] = line.substr(0, 64);
  }
  return sums;
}

std::string sums_of_results(const std::filesystem::path& demo) {
  const std::string data_dir = std::string(MC_SOURCE_DIR) + "/data/";
  const std::string command = "cd '" + demo.string() +
                              "' && find . -path '*results*' -name '*.csv' | LC_ALL=C sort | "
                              "while read -r f; do s=$(sed -e 's#" +
                              data_dir + "#<data>/#g' -e 's#" + demo.string() +
                              "/#<demo>/#g' \"$f\" | sha256sum | cut -d' ' -f1); echo \"$s  $f\"; "
                              "done";
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe))
    out += buffer;
  if (pipe) ::pclose(pipe);
  return out;
}

TEST(Golden, DemoWorldsGiveTheGoldenTables) {
  TempDir dir("golden");
  ASSERT_EQ(run_cli("-q synth --out " + dir.str("demo")).exit_code, 0);
  ASSERT_EQ(run_cli("-q run " + dir.str("demo/project.toml")).exit_code, 0);
  const auto golden = read_sums(slurp(std::string(MC_TEST_DATA_DIR) + "/golden/checksums.sha256"));
  const auto now = read_sums(sums_of_results(dir.path() / "demo"));
  ASSERT_EQ(golden.size(), 56u);  // 55 + warning_spatial_z.csv
  for (const auto& [file, sum] : golden) {
    auto it = now.find(file);
    ASSERT_NE(it, now.end()) << file << " was not written";
    EXPECT_EQ(it->second, sum) << file << " differs from the golden copy";
  }
  EXPECT_EQ(now.size(), golden.size()) << "tables were added: regenerate the golden copy";
  // The damage tables in full, for a readable failure.
  for (const auto& entry : std::filesystem::directory_iterator(std::string(MC_TEST_DATA_DIR) +
                                                               "/golden/damage_tables")) {
    EXPECT_EQ(slurp(dir.path() / "demo/results/tables" / entry.path().filename()),
              slurp(entry.path()))
        << entry.path().filename();
  }
}

}  // namespace
}  // namespace minecarbon::e2e
