// The demo's remote-sensing chain end to end: `minecarbon synth` writes monthly NDVI and climate
// made by inverting CASA NPP − R_H (demo/synth_nep.h) and mines with planted warning cases
// (demo/synth_warning.h); `run` of [nep], [damage] and [warning] gives back the planted annual
// NEP, damage recovers truth.csv from nep's output in memory, and the default alert rules fire
// exactly on the cases planted for them.
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "demo_project.h"
#include "minecarbon/core/csv.h"

namespace fs = std::filesystem;

namespace minecarbon::e2e {
namespace {

struct Band {
  std::vector<double> values;
  double nodata = NAN;
  bool has_nodata = false;
};

Band read_band(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  Band band;
  if (!ds) return band;
  const int cols = ds->GetRasterXSize(), rows = ds->GetRasterYSize();
  band.values.resize(static_cast<std::size_t>(cols) * rows);
  int has = 0;
  band.nodata = ds->GetRasterBand(1)->GetNoDataValue(&has);
  band.has_nodata = has != 0;
  (void)ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, cols, rows, band.values.data(), cols, rows,
                                       GDT_Float64, 0, 0, nullptr);
  return band;
}

bool is_nodata(const Band& band, double v) {
  return std::isnan(v) || (band.has_nodata && v == band.nodata);
}

// One demo world per test process; each run of the chain only when a test needs it (ctest runs
// every test in its own process, and a run of the chain takes a few seconds).
class DemoRemoteSensing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("demo_rs");
    const CliRun synth = synth_world(dir_->str("demo"));
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
    std::ofstream(dir_->path() / "demo/rs.toml") << sections_of(
        slurp(dir_->path() / "demo/project.toml"), {"project", "nep", "damage", "warning"});
  }
  static void TearDownTestSuite() { delete dir_; }
  // Runs [nep], [damage] and [warning] with `threads` into t<threads>/ (once).
  static void run_chain(int threads) {
    const std::string name = "t" + std::to_string(threads);
    if (fs::exists(dir_->path() / name)) return;
    const CliRun run = run_cli("--quiet --threads " + std::to_string(threads) + " run " +
                               dir_->str("demo/rs.toml") + " --out " + dir_->str(name));
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static std::string demo(const std::string& sub) { return dir_->str("demo/" + sub); }
  static std::string out(const std::string& sub) { return dir_->str("t2/" + sub); }
  static TempDir* dir_;
};
TempDir* DemoRemoteSensing::dir_ = nullptr;

TEST_F(DemoRemoteSensing, NepReproducesThePlantedNepAndDamageOnItTheTruth) {
  run_chain(2);
  double worst = 0.0;
  std::size_t valid = 0;
  for (int year = 2000; year <= 2020; ++year) {
    const std::string y = std::to_string(year);
    const Band planted = read_band(demo("nep/nep_" + y + ".tif"));
    const Band got = read_band(out("nep/nep_" + y + ".tif"));
    ASSERT_FALSE(planted.values.empty()) << y;
    ASSERT_EQ(got.values.size(), planted.values.size()) << y;
    for (std::size_t cell = 0; cell < got.values.size(); ++cell) {
      const bool p_nodata = is_nodata(planted, planted.values[cell]);
      ASSERT_EQ(is_nodata(got, got.values[cell]), p_nodata) << y << " cell " << cell;
      if (p_nodata) continue;
      ++valid;
      worst = std::max(worst, std::abs(got.values[cell] - planted.values[cell]));
    }
  }
  EXPECT_GT(valid, 21u * 25000u);
  EXPECT_LE(worst, 1e-6);
  // NPP − R_H really is the chain: the annual R_H of the uniform climate is ≈ 429 gC m⁻² yr⁻¹
  // (Pei et al. 2009 with b = 0.0912; docs/nep.md), and NPP = NEP + R_H.
  const Band npp = read_band(out("nep/npp_2010.tif"));
  const Band rh = read_band(out("nep/rh_2010.tif"));
  const Band nep = read_band(out("nep/nep_2010.tif"));
  for (std::size_t cell = 0; cell < nep.values.size(); cell += 97) {
    if (is_nodata(nep, nep.values[cell])) continue;
    EXPECT_NEAR(rh.values[cell], 429.06, 0.01);
    EXPECT_NEAR(npp.values[cell] - rh.values[cell], nep.values[cell], 1e-3);
  }
  // Damage on nep's output, in memory, recovers every planted relative change.
  EXPECT_NE(slurp(out("summary.json")).find("this run's nep stage"), std::string::npos);
  CsvText truth = read_csv_file(demo("truth.csv"));
  std::map<std::pair<std::string, int>, double> planted;
  for (std::size_t row = 0; row < truth.rows.size(); ++row)
    planted[{truth.rows[row][truth.column("mine_id")],
             static_cast<int>(truth.number(row, truth.column("year")))}] =
        truth.number(row, truth.column("planted_nep_change_rel_gC_m2_yr"));
  CsvText got = read_csv_file(out("tables/mine_year.csv"));
  ASSERT_GT(got.rows.size(), 5000u);
  double worst_change = 0;
  for (std::size_t row = 0; row < got.rows.size(); ++row) {
    const auto key = std::make_pair(got.rows[row][got.column("mine_id")],
                                    static_cast<int>(got.number(row, got.column("year"))));
    const double s = got.number(row, got.column("nep_change_rel_gC_m2_yr"));
    ASSERT_TRUE(std::isfinite(s)) << key.first << " " << key.second;
    worst_change = std::max(worst_change, std::fabs(s - planted.at(key)));
  }
  EXPECT_LT(worst_change, 1e-6);
}

// The run's [warning] takes damage's series from memory: the same statistics and levels as the
// warning command on damage's mine_year.csv; and 1 and 2 threads write identical files.
TEST_F(DemoRemoteSensing, WarningReadsDamagesSeriesAndThreadsAgree) {
  run_chain(1);
  run_chain(2);
  std::string csv = slurp(out("tables/mine_year.csv"));
  ASSERT_EQ(csv.rfind("mine_id,", 0), 0u);
  std::ofstream(dir_->path() / "series.csv") << "id" << csv.substr(7);
  const CliRun run = run_cli("--quiet warning --series " + dir_->str("series.csv") + " --out " +
                             dir_->str("from_file"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Every cell equal but z_spatial_last: in the run the series carry damage's reference rings
  // (their area-weighted mean and sd), so the spatial z is computed; from a file there is none.
  const CsvText in_run = read_csv_file(out("warning/tables/warning_series.csv"));
  const CsvText from_file = read_csv_file(dir_->str("from_file/tables/warning_series.csv"));
  ASSERT_EQ(in_run.header, from_file.header);
  ASSERT_EQ(in_run.rows.size(), from_file.rows.size());
  const std::size_t z_col = in_run.column("z_spatial_last");
  std::map<std::string, double> z_last;  // id -> z_spatial_last of the run
  for (std::size_t row = 0; row < in_run.rows.size(); ++row) {
    for (std::size_t col = 0; col < in_run.header.size(); ++col)
      if (col != z_col)
        EXPECT_EQ(in_run.rows[row][col], from_file.rows[row][col])
            << in_run.rows[row][0] << " " << in_run.header[col];
    EXPECT_TRUE(std::isnan(from_file.number(row, z_col))) << from_file.rows[row][0];
    z_last[in_run.rows[row][in_run.column("id")]] = in_run.number(row, z_col);
  }
  // The run's z_spatial_last is warning_spatial_z.csv's z in each series' last year.
  const CsvText spatial = read_csv_file(out("warning/tables/warning_spatial_z.csv"));
  std::size_t finite_z = 0;
  for (std::size_t row = 0; row < in_run.rows.size(); ++row) {
    const std::string id = in_run.rows[row][in_run.column("id")];
    const double last_time = in_run.number(row, in_run.column("last_time"));
    for (std::size_t k = 0; k < spatial.rows.size(); ++k)
      if (spatial.rows[k][spatial.column("id")] == id &&
          spatial.number(k, spatial.column("time")) == last_time) {
        EXPECT_EQ(spatial.rows[k][spatial.column("reference")], "ring");
        EXPECT_EQ(spatial.rows[k][spatial.column("z_spatial")], in_run.rows[row][z_col]) << id;
      }
    if (std::isfinite(z_last[id])) ++finite_z;
  }
  EXPECT_GT(finite_z, in_run.rows.size() / 2);  // the demo's rings have data
  CsvText levels = read_csv_file(out("warning/tables/warning_series.csv"));
  EXPECT_EQ(levels.rows.size(), 274u);  // the 281 mines less the 7 below 1 km²

  std::size_t compared = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_->path() / "t1")) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".csv" && ext != ".tif") continue;
    const fs::path rel = fs::relative(entry.path(), dir_->path() / "t1");
    EXPECT_EQ(slurp(entry.path()), slurp(dir_->path() / "t2" / rel)) << rel;
    ++compared;
  }
  EXPECT_GE(compared, 63u + 6u + 3u);  // 3 × 21 rasters, damage's and warning's tables
}

TEST_F(DemoRemoteSensing, DefaultRulesFireExactlyOnTheirPlantedCases) {
  const CliRun run = run_cli("--quiet warning --series " + demo("warning/cases.csv") + " --out " +
                             dir_->str("cases"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  CsvText truth = read_csv_file(demo("warning/truth_warning.csv"));
  ASSERT_EQ(truth.rows.size(), 12u);
  std::map<std::string, std::string> planted_level;
  std::map<int, std::set<std::string>> planted_hits;  // rule → ids
  std::set<std::string> cases;
  for (std::size_t row = 0; row < truth.rows.size(); ++row) {
    const std::string id = truth.rows[row][truth.column("mine_id")];
    cases.insert(truth.rows[row][truth.column("case")]);
    planted_level[id] = truth.rows[row][truth.column("planted_level")];
    std::stringstream rules(truth.rows[row][truth.column("planted_rules")]);
    for (std::string r; std::getline(rules, r, ';');)
      planted_hits[std::stoi(r)].insert(id);
  }
  EXPECT_EQ(cases,
            (std::set<std::string>{"stable", "gradual_decline", "abrupt_drop", "sink_to_source"}));
  // Every default rule has a case to fire on.
  for (int rule = 1; rule <= 7; ++rule)
    EXPECT_FALSE(planted_hits[rule].empty()) << "rule " << rule;

  CsvText series = read_csv_file(dir_->str("cases/tables/warning_series.csv"));
  ASSERT_EQ(series.rows.size(), 12u);
  for (std::size_t row = 0; row < series.rows.size(); ++row) {
    const std::string id = series.rows[row][series.column("id")];
    EXPECT_EQ(series.rows[row][series.column("level")], planted_level.at(id)) << id;
  }
  std::map<int, std::set<std::string>> hits;
  CsvText alerts = read_csv_file(dir_->str("cases/tables/warning_alerts.csv"));
  for (std::size_t row = 0; row < alerts.rows.size(); ++row)
    hits[std::stoi(alerts.rows[row][alerts.column("rule")])].insert(
        alerts.rows[row][alerts.column("id")]);
  for (int rule = 1; rule <= 7; ++rule)
    EXPECT_EQ(hits[rule], planted_hits[rule]) << "rule " << rule;
}

}  // namespace
}  // namespace minecarbon::e2e
