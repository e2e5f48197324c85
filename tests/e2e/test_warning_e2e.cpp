// `minecarbon warning` end to end on a CSV of planted annual series (2000–2020):
//   stable   — 200 gC m⁻² yr⁻¹ plus a fixed wiggle: no alert;
//   decline  — 260 − 6·(year − 2000): a gradual decline, "watch";
//   drop     — 220 up to 2012, 90 from 2013: an abrupt drop, "warning", Pettitt's change at 2012
//              (the last year before the drop) and BFAST Monitor's break in 2013;
//   source   — a slow decline, then −35 per year from 2015 to below 0: sink → source, "alarm".
// The stage's statistics equal direct calls of the stats functions for one series, 1 and 2 threads
// write identical files, and bad inputs stop with the documented exit codes and messages.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/stats/bfast_monitor.h"
#include "minecarbon/stats/ets.h"
#include "minecarbon/stats/ols_cusum.h"
#include "minecarbon/stats/pettitt.h"
#include "minecarbon/stats/theil_sen_forecast.h"
#include "minecarbon/stats/trend.h"

namespace minecarbon::e2e {
namespace {

double wiggle(int i) {
  return 8.0 * std::sin(i * 2.3) + 5.0 * std::cos(i * 1.7);
}

// The planted value of series `id` in `year`.
double planted(const std::string& id, int year) {
  const int i = year - 2000;
  if (id == "stable") return 200.0 + wiggle(i);
  if (id == "decline") return 260.0 - 6.0 * i + wiggle(i + 3);
  if (id == "drop") return (year <= 2012 ? 220.0 : 90.0) + wiggle(i + 5);
  return (year <= 2014 ? 180.0 - 2.0 * i : 150.0 - 35.0 * (year - 2014)) + wiggle(i + 7);
}

const char* kIds[4] = {"stable", "decline", "drop", "source"};

void write_series(const std::string& path) {
  std::ofstream out(path);
  out.precision(17);
  out << "id,year,nep_mine_gC_m2_yr\n";
  for (int year = 2000; year <= 2020; ++year)
    for (const char* id : kIds)
      out << id << ',' << year << ',' << planted(id, year) << '\n';
}

std::map<std::string, std::map<std::string, std::string>> read_rows(const std::string& path) {
  const CsvText csv = read_csv_file(path);
  std::map<std::string, std::map<std::string, std::string>> rows;
  for (const auto& row : csv.rows)
    for (std::size_t c = 0; c < csv.header.size(); ++c)
      rows[row[0]][csv.header[c]] = row[c];
  return rows;
}

double num(const std::string& text) {
  return text == "NA" ? std::nan("") : std::stod(text);
}

void expect_close(double stage, double direct, const char* what) {
  if (std::isnan(direct)) {
    EXPECT_TRUE(std::isnan(stage)) << what;
    return;
  }
  EXPECT_NEAR(stage, direct, 1e-9 * std::max(1.0, std::abs(direct))) << what;
}

std::string cmd(const TempDir& dir, const std::string& out, const std::string& extra = "",
                const std::string& global = "") {
  return "-q " + global + " warning --series " + dir.str("series.csv") +
         " --monitor-start 2010 --out " + dir.str(out) + " " + extra;
}

TEST(WarningE2e, PlantedSeriesGetTheirLevelsAndBreakYears) {
  TempDir dir("warning_planted");
  write_series(dir.str("series.csv"));
  const CliRun run = run_cli(cmd(dir, "out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto rows = read_rows(dir.str("out/tables/warning_series.csv"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows["stable"]["level"], "none");
  EXPECT_EQ(rows["decline"]["level"], "watch");
  EXPECT_EQ(rows["drop"]["level"], "warning");
  EXPECT_EQ(rows["source"]["level"], "alarm");
  EXPECT_EQ(num(rows["drop"]["pettitt_time"]), 2012.0);
  EXPECT_EQ(num(rows["drop"]["bfast_break"]), 1.0);
  EXPECT_EQ(num(rows["drop"]["bfast_break_time"]), 2013.0);
  EXPECT_NEAR(num(rows["drop"]["pettitt_shift"]), -130.0, 5.0);
  EXPECT_EQ(num(rows["stable"]["bfast_break"]), 0.0);
  EXPECT_LT(num(rows["source"]["ets_damped_hi80_min"]), 0.0);
  EXPECT_LT(num(rows["decline"]["sen_slope"]), -5.0);
  EXPECT_GT(num(rows["decline"]["sen_slope"]), -7.0);
  // Every hit is a row of warning_alerts.csv; the forecast table has 3 methods × 5 years.
  const CsvText alerts = read_csv_file(dir.str("out/tables/warning_alerts.csv"));
  std::size_t hits = 0;
  for (const auto& [id, row] : rows)
    hits += static_cast<std::size_t>(std::stoi(row.at("rules_hit")));
  EXPECT_EQ(alerts.rows.size(), hits);
  const CsvText forecast = read_csv_file(dir.str("out/tables/warning_forecast.csv"));
  EXPECT_EQ(forecast.rows.size(), 4u * 3u * 5u);
  const std::string json = slurp(dir.str("out/alerts.json"));
  EXPECT_NE(json.find("\"schema\": \"minecarbon.warning.alerts/1\""), std::string::npos);
  EXPECT_NE(json.find("\"alarm\""), std::string::npos);
}

TEST(WarningE2e, StatisticsEqualDirectCallsOfTheStatsFunctions) {
  TempDir dir("warning_direct");
  write_series(dir.str("series.csv"));
  ASSERT_EQ(run_cli(cmd(dir, "out")).exit_code, 0);
  auto rows = read_rows(dir.str("out/tables/warning_series.csv"));
  auto& row = rows["drop"];
  std::vector<double> t, y;
  for (int year = 2000; year <= 2020; ++year) {
    t.push_back(year);
    y.push_back(planted("drop", year));
  }
  const stats::MannKendall mk = stats::mann_kendall(t, y);
  expect_close(num(row["mk_z"]), mk.z, "mk_z");
  expect_close(num(row["mk_p"]), mk.p, "mk_p");
  const stats::SenSlopeInterval sen = stats::sen_slope_interval(t, y, 0.95);
  expect_close(num(row["sen_slope"]), sen.slope, "sen_slope");
  expect_close(num(row["sen_slope_lo"]), sen.lower, "sen_slope_lo");
  expect_close(num(row["sen_slope_hi"]), sen.upper, "sen_slope_hi");
  const stats::Pettitt pt = stats::pettitt(t, y);
  expect_close(num(row["pettitt_u"]), pt.u_star, "pettitt_u");
  expect_close(num(row["pettitt_p"]), pt.p, "pettitt_p");
  expect_close(num(row["pettitt_k"]), pt.k_first, "pettitt_k");
  const stats::OlsCusum oc = stats::ols_cusum(t, y, stats::CusumModel::constant);
  expect_close(num(row["ols_cusum_stat"]), oc.statistic, "ols_cusum_stat");
  expect_close(num(row["ols_cusum_p"]), oc.p, "ols_cusum_p");
  stats::BfastMonitorParams bp;
  bp.design.model = stats::SeasonTrendModel::trend;
  bp.design.order = 1;
  bp.design.frequency = 1;
  bp.monitor_start_yr = 2010;
  const stats::BfastMonitorResult b = stats::bfast_monitor(t, y, bp);
  expect_close(num(row["bfast_break_time"]), b.break_yr, "bfast_break_time");
  expect_close(num(row["bfast_magnitude"]), b.magnitude, "bfast_magnitude");
  expect_close(num(row["bfast_sigma"]), b.sigma, "bfast_sigma");
  expect_close(num(row["bfast_critical_value"]), b.critical_value, "bfast_critical_value");
  const stats::EtsFit fit = stats::ets_fit(y, true);
  const stats::EtsForecast fc = stats::ets_forecast(fit, 5);
  expect_close(num(row["ets_damped_mean_end"]), fc.mean.back(), "ets_damped_mean_end");
  double hi80_min = fc.hi80.front();
  for (double v : fc.hi80)
    hi80_min = std::min(hi80_min, v);
  expect_close(num(row["ets_damped_hi80_min"]), hi80_min, "ets_damped_hi80_min");
  const std::vector<double> future = {2021, 2022, 2023, 2024, 2025};
  const stats::TheilSenForecast ts = stats::theil_sen_forecast(t, y, future);
  expect_close(num(row["theil_sen_mean_end"]), ts.points.back().mean, "theil_sen_mean_end");
}

TEST(WarningE2e, OneAndTwoThreadsWriteIdenticalFiles) {
  TempDir dir("warning_threads");
  write_series(dir.str("series.csv"));
  ASSERT_EQ(run_cli(cmd(dir, "one", "", "--threads 1")).exit_code, 0);
  ASSERT_EQ(run_cli(cmd(dir, "two", "", "--threads 2")).exit_code, 0);
  for (const char* file : {"tables/warning_series.csv", "tables/warning_forecast.csv",
                           "tables/warning_alerts.csv", "alerts.json"})
    EXPECT_EQ(slurp(dir.str(std::string("one/") + file)),
              slurp(dir.str(std::string("two/") + file)))
        << file;
}

TEST(WarningE2e, BadSeriesCsvStopsNamingFileRowAndField) {
  TempDir dir("warning_bad");
  write_series(dir.str("series.csv"));
  std::ofstream(dir.str("series.csv"), std::ios::app) << "drop,2005,1.0\n";
  CliRun run = run_cli(cmd(dir, "dup"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("series.csv:86"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("duplicate"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("dup")));
  write_series(dir.str("series.csv"));
  std::ofstream(dir.str("series.csv"), std::ios::app) << "extra,2000,abc\n";
  run = run_cli(cmd(dir, "text"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("series.csv:86"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nep_mine_gC_m2_yr"), std::string::npos) << run.err;
  // A series too short for most methods is reported per series, not fatal.
  write_series(dir.str("series.csv"));
  std::ofstream(dir.str("series.csv"), std::ios::app) << "short,2019,5\nshort,2020,4\n";
  run = run_cli(cmd(dir, "short"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto rows = read_rows(dir.str("short/tables/warning_series.csv"));
  EXPECT_NE(rows["short"]["notes"].find("mann_kendall: fewer than 3 points"), std::string::npos);
  EXPECT_TRUE(std::isnan(num(rows["short"]["mk_z"])));
  EXPECT_EQ(rows["drop"]["level"], "warning");
  // An option out of range is a config error naming it.
  run = run_cli(cmd(dir, "badh", "--h 2"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("h"), std::string::npos) << run.err;
}

TEST(WarningE2e, ProjectRulesAreUsedAndASyntaxErrorNamesFileLineRuleAndPosition) {
  TempDir dir("warning_project");
  write_series(dir.str("series.csv"));
  std::ofstream(dir.str("project.toml"))
      << "[warning]\nseries_csv = \"series.csv\"\nmonitor_start = 2010\n"
      << "levels = [\"high\"]\n"
      << "[[warning.rule]]\nlevel = \"high\"\nwhen = \"last_value < 100\"\n";
  CliRun run = run_cli("-q run " + dir.str("project.toml") + " --out " + dir.str("p"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto rows = read_rows(dir.str("p/warning/tables/warning_series.csv"));
  EXPECT_EQ(rows["drop"]["level"], "high");
  EXPECT_EQ(rows["source"]["level"], "high");
  EXPECT_EQ(rows["stable"]["level"], "none");
  std::ofstream(dir.str("project.toml"), std::ios::app)
      << "[[warning.rule]]\nlevel = \"high\"\nwhen = \"mk_z < < 0\"\n";
  run = run_cli("-q run " + dir.str("project.toml") + " --out " + dir.str("q"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("project.toml:10"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("rule 2"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("character 8"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.str("q")));
}

// In a project after [damage], the series are damage's mine_year column taken from memory: every
// mine's n_obs and last value equal what damage wrote to tables/mine_year.csv.
TEST(WarningE2e, ProjectAfterDamageTakesDamagesMineYearSeries) {
  TempDir dir("warning_damage");
  ASSERT_EQ(synth_world(dir.str("demo")).exit_code, 0);
  std::ifstream in(dir.str("demo/project.toml"));
  std::ofstream project(dir.str("demo/p.toml"));
  bool damage = false;  // [damage] and the [nep] that computes its series
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '[') damage = line == "[damage]" || line == "[nep]";
    if (damage) project << line << '\n';
  }
  project << "[warning]\nmonitor_start = 2010\nseries = \"nep_change_rel_gC_m2_yr\"\n";
  project.close();
  const CliRun run = run_cli("-q run " + dir.str("demo/p.toml") + " --out " + dir.str("r"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText mine_year = read_csv_file(dir.str("r/tables/mine_year.csv"));
  const std::size_t id_col = mine_year.column("mine_id");
  const std::size_t value_col = mine_year.column("nep_change_rel_gC_m2_yr");
  std::map<std::string, std::pair<int, double>> expected;  // finite count, last finite value
  for (std::size_t r = 0; r < mine_year.rows.size(); ++r) {
    const double v = mine_year.number(r, value_col);
    if (!std::isfinite(v)) continue;
    auto& e = expected[mine_year.rows[r][id_col]];
    ++e.first;
    e.second = v;
  }
  auto rows = read_rows(dir.str("r/warning/tables/warning_series.csv"));
  ASSERT_FALSE(expected.empty());
  for (const auto& [id, e] : expected) {
    ASSERT_TRUE(rows.count(id)) << id;
    EXPECT_EQ(num(rows[id]["n_obs"]), e.first) << id;
    EXPECT_NEAR(num(rows[id]["last_value"]), e.second, 1e-9 * std::max(1.0, std::abs(e.second)))
        << id;
  }
}

}  // namespace
}  // namespace minecarbon::e2e
