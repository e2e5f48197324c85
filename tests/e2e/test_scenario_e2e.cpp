// `minecarbon scenario` end to end on the planted world of `minecarbon synth`
// (demo/synth_scenario.h): the LEAS forests rank the planted driver first for each expanding
// class (scenario/truth_scenario.csv), CARS reaches the Markov demand exactly, the reserve and
// the forbidden transitions are kept, the in-sample validation beats persistence, the simulated
// map is the same for 1 and 2 threads; and bad inputs exit 3 naming the file, row or field.
#include <gtest/gtest.h>

#include <gdal_priv.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "demo_project.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

std::vector<int> read_byte_map(const fs::path& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.string().c_str(), GDAL_OF_RASTER));
  EXPECT_TRUE(ds) << path;
  if (!ds) return {};
  const int cols = ds->GetRasterXSize(), rows = ds->GetRasterYSize();
  std::vector<int> values(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows));
  EXPECT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, cols, rows, values.data(), cols, rows,
                                           GDT_Int32, 0, 0, nullptr),
            CE_None);
  return values;
}

class ScenarioE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("scenario");
    ASSERT_EQ(synth_world(dir_->str("demo")).exit_code, 0);
    const CliRun run =
        run_cli("--quiet --threads 1 run " + dir_->str("demo/scenario/scenario.toml"));
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path results() { return dir_->path() / "demo/scenario/results/scenario"; }
  static TempDir* dir_;
};
TempDir* ScenarioE2E::dir_ = nullptr;

TEST_F(ScenarioE2E, LeasRanksThePlantedDriverFirst) {
  std::map<std::string, std::string> planted;
  for (const auto& r : read_rows(dir_->path() / "demo/scenario/truth_scenario.csv"))
    planted[r.at("class")] = r.at("planted_top_driver");
  ASSERT_EQ(planted.size(), 2u);
  std::map<std::string, std::pair<std::string, double>> top;
  for (const auto& r : read_rows(results() / "tables/driver_contribution.csv")) {
    const double c = std::stod(r.at("contribution"));
    auto& best = top[r.at("class")];
    if (best.first.empty() || c > best.second) best = {r.at("driver"), c};
  }
  for (const auto& [cls, driver] : planted) {
    ASSERT_TRUE(top.count(cls)) << "class " << cls << " has no forest";
    EXPECT_EQ(top[cls].first, driver) << "class " << cls;
    EXPECT_GT(top[cls].second, 0.5) << "class " << cls;
  }
}

TEST_F(ScenarioE2E, DemandReachedAndRulesKept) {
  const auto summary = nlohmann::json::parse(slurp(results() / "summary.json"));
  EXPECT_TRUE(summary["cars"]["converged"].get<bool>());
  std::map<std::string, long long> demand;
  for (const auto& r : read_rows(results() / "tables/demand.csv"))
    if (r.at("scenario") == "markov") demand[r.at("class")] = std::stoll(r.at("cells"));
  ASSERT_EQ(demand.size(), 6u);
  const std::vector<int> sim = read_byte_map(results() / "lulc_markov_2030.tif");
  const std::vector<int> t2 = read_byte_map(dir_->path() / "demo/scenario/lulc_2020.tif");
  const std::vector<int> reserve = read_byte_map(dir_->path() / "demo/scenario/restriction.tif");
  ASSERT_EQ(sim.size(), t2.size());
  std::map<std::string, long long> counts;
  std::size_t changed = 0;
  for (std::size_t cell = 0; cell < sim.size(); ++cell) {
    ++counts[std::to_string(sim[cell])];
    if (sim[cell] == t2[cell]) continue;
    ++changed;
    EXPECT_EQ(reserve[cell], 1) << "a reserve cell changed at " << cell;
    // Water (4), built (5) and mine (6) never change (scenario/transitions.csv).
    EXPECT_TRUE(t2[cell] != 4 && t2[cell] != 5 && t2[cell] != 6) << cell;
  }
  EXPECT_GT(changed, 1000u);
  for (const auto& [cls, cells] : demand)
    EXPECT_EQ(counts[cls], cells) << "class " << cls;
  // Carbon of the simulated map = Σ cells · 0.09 ha · density.
  double carbon = 0;
  for (const auto& r : read_rows(results() / "tables/scenario_carbon.csv"))
    if (r.at("scenario") == "markov") carbon += std::stod(r.at("carbon_tC"));
  const std::map<std::string, double> density = {{"1", 90.0}, {"2", 163.7}, {"3", 97.26},
                                                 {"4", 0.0},  {"5", 20.0},  {"6", 5.0}};
  double expected = 0;
  for (const auto& [cls, cells] : demand)
    expected += static_cast<double>(cells) * 0.09 * density.at(cls);
  EXPECT_NEAR(carbon, expected, 1e-6 * expected);
}

TEST_F(ScenarioE2E, InSampleValidationBeatsPersistence) {
  std::map<std::string, double> metric;
  for (const auto& r : read_rows(results() / "tables/validation_metrics.csv"))
    if (r.at("class") == "all") metric[r.at("metric")] = std::stod(r.at("value"));
  EXPECT_GT(metric.at("fom"), 0.1);  // persistence has FoM 0 (no hits)
  EXPECT_GT(metric.at("kappa"), 0.8);
  EXPECT_LE(metric.at("kappa"), 1.0);
}

TEST_F(ScenarioE2E, SameMapForTwoThreads) {
  const CliRun run = run_cli("--quiet --threads 2 run " + dir_->str("demo/scenario/scenario.toml") +
                             " --out " + dir_->str("two"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_byte_map(results() / "lulc_markov_2030.tif"),
            read_byte_map(dir_->path() / "two/scenario/lulc_markov_2030.tif"));
}

TEST_F(ScenarioE2E, BadInputsExitThreeNamingTheProblem) {
  const std::string s = dir_->str("demo/scenario") + "/";
  const std::string base = "--quiet scenario --lulc-initial " + s + "lulc_2010.tif --lulc-final " +
                           s + "lulc_2020.tif --year-initial 2010 --year-final 2020 --drivers " +
                           s + "road_m.tif --out " + dir_->str("bad");
  // A class table missing codes 5 and 6.
  std::ofstream(dir_->path() / "few.csv") << "code,name\n1,cropland\n2,forest\n3,grass\n4,water\n";
  CliRun r = run_cli(base + " --classes " + dir_->str("few.csv"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("5, 6"), std::string::npos) << r.err;
  // Transitions naming an unknown class.
  std::ofstream(dir_->path() / "tr.csv") << "from_class,to_class,allowed\n1,9,0\n";
  r = run_cli(base + " --classes " + s + "classes.csv --transitions " + dir_->str("tr.csv"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("tr.csv:2"), std::string::npos) << r.err;
  // A restriction raster with a value other than 0/1 (the land-use map itself).
  r = run_cli(base + " --classes " + s + "classes.csv --restriction " + s + "lulc_2000.tif");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("expected 0 (may not change) or 1"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_->path() / "bad/summary.json"));
}

}  // namespace
}  // namespace minecarbon::e2e
