// The demo's balance end to end: `minecarbon synth` writes the balance its planting implies for
// the mines on the land-use maps (demo/synth_balance.h: planted NEP change × geodesic area and
// planted transitions, by hand), and `run` of the damage, landuse and balance sections recovers
// every component, cumulative, neutral year and status.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cli_harness.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

using Row = std::map<std::string, std::string>;

std::vector<Row> read_rows(const fs::path& path) {
  std::istringstream in(slurp(path));
  std::string line;
  std::vector<std::string> header;
  std::vector<Row> rows;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string field;
    while (std::getline(ss, field, ','))
      out.push_back(field);
    if (!s.empty() && s.back() == ',') out.push_back("");
    return out;
  };
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (header.empty()) {
      header = split(line);
      continue;
    }
    const auto fields = split(line);
    Row row;
    for (std::size_t k = 0; k < header.size() && k < fields.size(); ++k)
      row[header[k]] = fields[k];
    rows.push_back(row);
  }
  return rows;
}

std::string sections_of(const std::string& toml, std::initializer_list<std::string> keep) {
  std::istringstream in(toml);
  std::string line, out;
  bool kept = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') {
      kept = false;
      for (const auto& k : keep)
        if (line == "[" + k + "]") kept = true;
    }
    if (kept) out += line + "\n";
  }
  return out;
}

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

TEST(DemoBalance, RunRecoversThePlantedBalanceOfTheMinesOnTheMaps) {
  TempDir dir("demo_balance");
  ASSERT_EQ(run_cli("--quiet synth --out " + dir.str("demo")).exit_code, 0);
  std::ofstream(dir.path() / "demo/p.toml") << sections_of(
      slurp(dir.path() / "demo/project.toml"), {"project", "damage", "landuse", "balance"});
  const CliRun run = run_cli("--quiet run " + dir.str("demo/p.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::map<std::pair<std::string, std::string>, Row> got_years;
  for (auto& r : read_rows(dir.path() / "demo/results/balance/tables/mine_year.csv"))
    got_years[{r["mine_id"], r["year"]}] = r;
  const auto truth_years = read_rows(dir.path() / "demo/balance/truth_balance.csv");
  ASSERT_GT(truth_years.size(), 300u);
  for (const auto& t : truth_years) {
    const std::string where = t.at("mine_id") + " " + t.at("year");
    const auto it = got_years.find({t.at("mine_id"), t.at("year")});
    ASSERT_NE(it, got_years.end()) << where << " missing from mine_year";
    const Row& g = it->second;
    EXPECT_EQ(g.at("ecosystem_basis"), t.at("ecosystem_basis")) << where;
    for (const char* column :
         {"clearing_emission_co2e_t", "foregone_sink_co2e_t", "landuse_gain_removal_co2e_t",
          "net_emission_co2e_t", "cumulative_net_emission_co2e_t"})
      expect_same(number(g.at(column)), number(t.at(column)), where + " " + column);
    expect_same(number(g.at("restoration_removal_co2e_t")), 0.0, where + " restoration");
    expect_same(number(g.at("process_emission_co2e_t")), 0.0, where + " process");
  }

  std::map<std::string, Row> got_mines;
  for (auto& r : read_rows(dir.path() / "demo/results/balance/tables/mine_summary.csv"))
    got_mines[r["mine_id"]] = r;
  std::set<std::string> statuses;
  const auto truth_mines = read_rows(dir.path() / "demo/balance/truth_balance_mines.csv");
  ASSERT_GE(truth_mines.size(), 8u);
  for (const auto& t : truth_mines) {
    const std::string& id = t.at("mine_id");
    ASSERT_TRUE(got_mines.count(id)) << id;
    const Row& g = got_mines[id];
    statuses.insert(t.at("status"));
    EXPECT_EQ(g.at("status"), t.at("status")) << id;
    for (const char* column : {"first_year", "carbon_neutral_year", "neutral_year_interp",
                               "first_net_removal_year", "cumulative_net_emission_co2e_t"})
      expect_same(number(g.at(column)), number(t.at(column)), id + " " + column);
  }
  // The planting gives at least a neutral mine and one not neutral within the horizon.
  EXPECT_TRUE(statuses.count("neutral"));
  EXPECT_TRUE(statuses.count("not_within_horizon"));
}

}  // namespace
}  // namespace minecarbon::e2e
