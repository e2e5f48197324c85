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

#include <gdal_priv.h>

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
  // Carbon of the simulated map = Σ area · density per class, the area being the cells' true
  // area: within 0.2 % of cells × 0.09 ha on this 30 m UTM grid (the scale factor is at most
  // 1.001 in the zone), and the class's cells are the demand's.
  const std::map<std::string, double> density = {{"1", 90.0}, {"2", 163.7}, {"3", 97.26},
                                                 {"4", 0.0},  {"5", 20.0},  {"6", 5.0}};
  double carbon = 0, expected = 0;
  for (const auto& r : read_rows(results() / "tables/scenario_carbon.csv")) {
    if (r.at("scenario") != "markov") continue;
    const std::string& cls = r.at("class");
    const double area_ha = std::stod(r.at("area_ha"));
    EXPECT_EQ(std::stoll(r.at("cells")), demand.at(cls)) << "class " << cls;
    EXPECT_NEAR(area_ha, static_cast<double>(demand.at(cls)) * 0.09,
                2e-3 * static_cast<double>(demand.at(cls)) * 0.09)
        << "class " << cls;
    carbon += std::stod(r.at("carbon_tC"));
    expected += area_ha * density.at(cls);
  }
  EXPECT_GT(expected, 0.0);
  EXPECT_NEAR(carbon, expected, 1e-6 * expected);
}

// The demo project validates out of sample: LEAS trained on 2000 -> 2010, CARS from 2010 to
// 2020's own demand, compared with the observed 2020 map.
TEST_F(ScenarioE2E, OutOfSampleValidationBeatsPersistence) {
  std::map<std::string, double> metric;
  for (const auto& r : read_rows(results() / "tables/validation_metrics.csv"))
    if (r.at("class") == "all") {
      metric[r.at("metric")] = std::stod(r.at("value"));
      EXPECT_EQ(r.at("kind"), "out_of_sample");
    }
  const auto summary = nlohmann::json::parse(slurp(results() / "summary.json"));
  EXPECT_EQ(summary["validation"]["kind"], "out_of_sample");
  // Persistence (T1 as the prediction of T2) is recorded; with ~2.5 % of the cells changing its
  // Kappa (0.96 here) is above the simulation's, as Pontius et al. 2008 warn: FoM is the measure
  // that tells a simulation from persistence.
  const double persistence_kappa = summary["validation_persistence"]["kappa"].get<double>();
  EXPECT_GT(persistence_kappa, 0.9);
  EXPECT_GT(metric.at("fom"), 0.1);  // persistence has FoM 0 (no hits)
  EXPECT_GT(metric.at("kappa"), 0.8);
  EXPECT_LE(metric.at("kappa"), 1.0);
  // A + B + C = the observed changes 2010 -> 2020 outside nodata.
  const std::vector<int> t1 = read_byte_map(dir_->path() / "demo/scenario/lulc_2010.tif");
  const std::vector<int> t2 = read_byte_map(dir_->path() / "demo/scenario/lulc_2020.tif");
  double changes = 0;
  for (std::size_t cell = 0; cell < t1.size(); ++cell)
    changes += (t1[cell] != 255 && t2[cell] != 255 && t1[cell] != t2[cell]) ? 1 : 0;
  EXPECT_EQ(metric.at("fom_a_misses") + metric.at("fom_b_hits") + metric.at("fom_c_wrong_category"),
            changes);
}

// `scenario validate` on maps whose answers are known: the observed map as its own simulation
// (every change a hit: OA = Kappa = FoM = 1) and persistence (every change a miss: FoM = 0,
// A = the changes).
TEST_F(ScenarioE2E, ValidateSubcommandOnKnownMaps) {
  const std::string s = dir_->str("demo/scenario") + "/";
  const std::vector<int> t1 = read_byte_map(s + "lulc_2010.tif");
  const std::vector<int> t2 = read_byte_map(s + "lulc_2020.tif");
  double changes = 0;
  for (std::size_t cell = 0; cell < t1.size(); ++cell)
    changes += (t1[cell] != 255 && t2[cell] != 255 && t1[cell] != t2[cell]) ? 1 : 0;
  ASSERT_GT(changes, 1000);
  const auto metrics = [](const fs::path& dir) {
    std::map<std::string, double> m;
    for (const auto& r : read_rows(dir / "tables/validation_metrics.csv"))
      if (r.at("class") == "all")  // NA: a ratio with nothing to divide (e.g. no change mapped)
        m[r.at("metric")] = r.at("value") == "NA" ? std::nan("") : std::stod(r.at("value"));
    return m;
  };
  CliRun r = run_cli("--quiet scenario validate --initial " + s + "lulc_2010.tif --observed " + s +
                     "lulc_2020.tif --simulated " + s + "lulc_2020.tif --classes " + s +
                     "classes.csv --out " + dir_->str("v_same"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto m = metrics(dir_->path() / "v_same");
  EXPECT_DOUBLE_EQ(m.at("overall_accuracy"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("kappa"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("fom"), 1.0);
  EXPECT_EQ(m.at("fom_b_hits"), changes);
  r = run_cli("--quiet scenario validate --initial " + s + "lulc_2010.tif --observed " + s +
              "lulc_2020.tif --simulated " + s + "lulc_2010.tif --out " + dir_->str("v_persist"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  m = metrics(dir_->path() / "v_persist");
  EXPECT_DOUBLE_EQ(m.at("fom"), 0.0);
  EXPECT_EQ(m.at("fom_a_misses"), changes);
  EXPECT_EQ(m.at("fom_d_false_alarms"), 0.0);
  EXPECT_TRUE(std::isnan(m.at("fom_users_accuracy")));  // persistence maps no change: B + D = 0
  EXPECT_NEAR(m.at("overall_accuracy"), 1.0 - changes / static_cast<double>(t1.size()), 1e-12);
  // Maps on different grids: exit 3 naming the file.
  const fs::path small = dir_->path() / "small.tif";
  {
    GDALDatasetUniquePtr src(GDALDataset::Open((s + "lulc_2010.tif").c_str(), GDAL_OF_RASTER));
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr dst(drv->Create(small.string().c_str(), 10, 10, 1, GDT_Byte, nullptr));
    double gt[6];
    src->GetGeoTransform(gt);
    dst->SetGeoTransform(gt);
    dst->SetProjection(src->GetProjectionRef());
  }
  r = run_cli("--quiet scenario validate --initial " + s + "lulc_2010.tif --observed " + s +
              "lulc_2020.tif --simulated " + small.string() + " --out " + dir_->str("v_bad"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("small.tif"), std::string::npos) << r.err;
}

// demand = fixed from a CSV of cells (the observed 2020 counts shifted between two classes):
// CARS reaches exactly those counts; per-mine carbon of a square of 100 x 100 cells equals its
// area times the density of its cells; a demand file that does not sum to the valid area is
// exit 2.
TEST_F(ScenarioE2E, FixedDemandAndMineCarbon) {
  const std::string s = dir_->str("demo/scenario") + "/";
  const std::vector<int> t2 = read_byte_map(s + "lulc_2020.tif");
  std::map<int, long long> counts;
  for (int v : t2)
    if (v != 255) ++counts[v];
  ASSERT_GT(counts[1], 5000);
  std::map<int, long long> wanted = counts;
  wanted[1] -= 4000;  // cropland -> forest
  wanted[2] += 4000;
  {
    std::ofstream f(dir_->path() / "fixed.csv");
    f << "class,cells\n";
    for (const auto& [code, n] : wanted)
      f << code << "," << n << "\n";
  }
  // A 100 x 100-cell square mine at rows/cols 300-399 of the demo grid.
  GDALDatasetUniquePtr ds(GDALDataset::Open((s + "lulc_2020.tif").c_str(), GDAL_OF_RASTER));
  double gt[6];
  ds->GetGeoTransform(gt);
  const double x0 = gt[0] + 300 * gt[1], x1 = gt[0] + 400 * gt[1];
  const double y0 = gt[3] + 400 * gt[5], y1 = gt[3] + 300 * gt[5];
  {
    std::ofstream f(dir_->path() / "mine.geojson");
    f.precision(12);
    f << "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{"
         "\"name\":\"urn:ogc:def:crs:EPSG::32649\"}},\"features\":[{\"type\":\"Feature\","
         "\"properties\":{\"mine_id\":\"M1\"},\"geometry\":{\"type\":\"Polygon\","
         "\"coordinates\":[[["
      << x0 << "," << y0 << "],[" << x1 << "," << y0 << "],[" << x1 << "," << y1 << "],[" << x0
      << "," << y1 << "],[" << x0 << "," << y0 << "]]]}}]}";
  }
  const std::string base = "--quiet scenario --lulc-initial " + s + "lulc_2010.tif --lulc-final " +
                           s + "lulc_2020.tif --year-initial 2010 --year-final 2020 --classes " +
                           s + "classes.csv --drivers " + s + "road_m.tif --drivers " + s +
                           "slope_deg.tif --transitions " + s + "transitions.csv --pools " + s +
                           "pools.csv --no-validate --demand fixed";
  CliRun r = run_cli(base + " --demand-file " + dir_->str("fixed.csv") + " --mines " +
                     dir_->str("mine.geojson") + " --id-field mine_id --out " + dir_->str("fixed"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<int> sim = read_byte_map(dir_->path() / "fixed/lulc_markov_2030.tif");
  std::map<int, long long> got;
  for (int v : sim)
    if (v != 255) ++got[v];
  EXPECT_EQ(got, wanted);
  const std::map<int, double> density = {{1, 90.0}, {2, 163.7}, {3, 97.26},
                                         {4, 0.0},  {5, 20.0},  {6, 5.0}};
  for (const auto& row : read_rows(dir_->path() / "fixed/scenario_mine_carbon.csv")) {
    const std::vector<int>& map = row.at("scenario") == "observed" ? t2 : sim;
    double mean_density = 0;
    for (int rr = 300; rr < 400; ++rr)
      for (int cc = 300; cc < 400; ++cc)
        mean_density += density.at(map[static_cast<std::size_t>(rr) * 1000 + cc]) / 1e4;
    const double area = std::stod(row.at("area_ha"));
    EXPECT_NEAR(area, 900.0, 900.0 * 2e-3);  // 1e4 cells of 0.09 ha, UTM's areal scale < 0.2 %
    // Over 3 km the true cell area varies by < 1e-6: carbon = area × mean density.
    EXPECT_NEAR(std::stod(row.at("carbon_tC")), area * mean_density, 1e-5 * area * mean_density);
  }
  EXPECT_TRUE(fs::exists(dir_->path() / "fixed/results.gpkg"));
  // Demands summing to 4000 cells too many: exit 2, nothing written.
  {
    std::ofstream f(dir_->path() / "fixed_bad.csv");
    f << "class,cells\n";
    for (const auto& [code, n] : wanted)
      f << code << "," << (code == 2 ? n + 4000 : n) << "\n";
  }
  r = run_cli(base + " --demand-file " + dir_->str("fixed_bad.csv") + " --out " +
              dir_->str("fixed_bad"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("must sum to the valid area"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_->path() / "fixed_bad/summary.json"));
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
