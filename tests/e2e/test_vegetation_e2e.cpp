// The vegetation command end to end: the synthetic inventory of `minecarbon synth` (planted
// Chapman–Richards curves) fitted back, determinism across thread counts, and a two-plot inventory
// worked by hand from the expansion-factor example of docs/carbon_methods.md §2.1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "cli_harness.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::e2e {
namespace {

namespace fs = std::filesystem;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// The [vegetation] table of the demo project, alone in a project of its own.
std::string vegetation_only_project(const std::string& project_toml, const std::string& out) {
  std::istringstream in(slurp(project_toml));
  std::string line, section;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') inside = line == "[vegetation]";
    if (inside) section += line + "\n";
  }
  return "[project]\nout = \"" + out + "\"\n\n" + section;
}

std::size_t row_of(const CsvText& csv, const std::map<std::string, std::string>& keys) {
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    bool match = true;
    for (const auto& [column, value] : keys)
      match = match && csv.rows[row][csv.column(column)] == value;
    if (match) return row;
  }
  ADD_FAILURE() << csv.source << ": no row for the keys";
  return 0;
}

class VegetationOnSynthInventory : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new TempDir("veg_world");
    CliRun synth = synth_world(world_->str("w"));
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
    write_file(world_->str("w/vegetation_only.toml"),
               vegetation_only_project(world_->str("w/project.toml"), "veg_out"));
    CliRun run = run_cli("--quiet --threads 2 run " + world_->str("w/vegetation_only.toml"));
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static void TearDownTestSuite() { delete world_; }
  static std::string world(const std::string& sub) { return world_->str("w/" + sub); }
  static TempDir* world_;
};
TempDir* VegetationOnSynthInventory::world_ = nullptr;

// Each tree land use was planted as C(t) = A (1 − e^(−k t))^c with 8 % log-normal plot noise
// (vegetation/truth_growth.csv). The Chapman–Richards fit of the computed plot stocks must find
// every planted parameter within 3 of its standard errors.
TEST_F(VegetationOnSynthInventory, RecoversThePlantedGrowthCurvesWithinSamplingError) {
  const CsvText truth = read_csv_file(world("vegetation/truth_growth.csv"));
  const CsvText params = read_csv_file(world("veg_out/vegetation/tables/growth_parameters.csv"));
  ASSERT_EQ(truth.rows.size(), 3u);
  for (std::size_t row = 0; row < truth.rows.size(); ++row) {
    const std::string lu = truth.rows[row][truth.column("land_use")];
    const std::map<std::string, std::string> planted_columns = {
        {"A", "planted_A_tC_ha"}, {"k", "planted_k_per_yr"}, {"c", "planted_c"}};
    for (const auto& [parameter, column] : planted_columns) {
      const std::size_t p = row_of(
          params, {{"land_use", lu}, {"model", "chapman_richards3"}, {"parameter", parameter}});
      const double estimate = params.number(p, params.column("estimate"));
      const double se = params.number(p, params.column("std_error"));
      const double planted = truth.number(row, truth.column(column));
      ASSERT_TRUE(std::isfinite(se) && se > 0) << lu << " " << parameter;
      EXPECT_LT(std::fabs(estimate - planted), 3.0 * se)
          << lu << " " << parameter << ": estimate " << estimate << " ± " << se << ", planted "
          << planted;
      // And the planted value is not trivially inside: the SE is a sampling error, not a blur.
      EXPECT_LT(se, 0.5 * std::fabs(planted)) << lu << " " << parameter;
    }
  }
  // Every land use got a curve, with a converged, selected model.
  const CsvText fits = read_csv_file(world("veg_out/vegetation/tables/growth_fits.csv"));
  int selected = 0;
  for (std::size_t row = 0; row < fits.rows.size(); ++row) {
    if (fits.rows[row][fits.column("selected")] != "1") continue;
    ++selected;
    EXPECT_EQ(fits.rows[row][fits.column("status")], "converged");
    EXPECT_EQ(fits.rows[row][fits.column("rank")], "1");
  }
  EXPECT_EQ(selected, 3);
}

// The generator planted each plot's live-tree carbon computed from the true heights; the stage
// sees a fifth of the heights blank and estimates them, so plot stocks agree within a few percent.
TEST_F(VegetationOnSynthInventory, PlotStocksMatchThePlantedStocks) {
  const CsvText truth = read_csv_file(world("vegetation/truth_plots.csv"));
  const CsvText plots = read_csv_file(world("veg_out/vegetation/tables/plots.csv"));
  double sum_abs_rel = 0.0, worst = 0.0;
  for (std::size_t row = 0; row < truth.rows.size(); ++row) {
    const std::size_t p = row_of(plots, {{"plot_id", truth.rows[row][truth.column("plot_id")]}});
    const double planted = truth.number(row, truth.column("achieved_tree_carbon_tC_ha"));
    const double got = plots.number(p, plots.column("tree_carbon_tC_ha"));
    const double rel = std::fabs(got - planted) / planted;
    sum_abs_rel += rel;
    worst = std::max(worst, rel);
  }
  EXPECT_LT(sum_abs_rel / static_cast<double>(truth.rows.size()), 0.01);
  EXPECT_LT(worst, 0.05);
}

TEST_F(VegetationOnSynthInventory, WritesEveryTableTheSummaryAndTheGeoPackage) {
  for (const char* table : {"trees", "plots", "species", "height_models", "strata", "mines",
                            "mine_strata", "growth_fits", "growth_parameters", "growth_curves",
                            "saturation", "projection_stands", "projection_mines"}) {
    EXPECT_TRUE(fs::exists(world(std::string("veg_out/vegetation/tables/") + table + ".csv")))
        << table;
  }
  EXPECT_TRUE(fs::exists(world("veg_out/vegetation/vegetation.gpkg")));
  const std::string summary = slurp(world("veg_out/vegetation/summary.json"));
  EXPECT_NE(summary.find("\"heights_estimated\""), std::string::npos);
  EXPECT_NE(summary.find("heights estimated for"), std::string::npos) << "warning count";
  // Every mine of the world is reported, with a stratified total.
  const CsvText mines = read_csv_file(world("veg_out/vegetation/tables/mines.csv"));
  EXPECT_EQ(mines.rows.size(), 281u);
  for (std::size_t row = 0; row < mines.rows.size(); ++row)
    EXPECT_EQ(mines.rows[row][mines.column("status")], "ok") << mines.rows[row][0];
}

TEST_F(VegetationOnSynthInventory, OneThreadAndTwoThreadsGiveIdenticalResults) {
  const std::string project = slurp(world("vegetation_only.toml"));
  std::string one = project;
  one.replace(one.find("veg_out"), 7, "veg_one");
  write_file(world("one.toml"), one);
  CliRun run = run_cli("--quiet --threads 1 run " + world("one.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* table : {"plots", "growth_parameters", "projection_stands", "projection_mines",
                            "saturation", "mines"}) {
    EXPECT_EQ(slurp(world(std::string("veg_one/vegetation/tables/") + table + ".csv")),
              slurp(world(std::string("veg_out/vegetation/tables/") + table + ".csv")))
        << table;
  }
}

// docs/carbon_methods.md §2.1 through the whole command: WD = 0.307, BEF = 1.634, R = 0.246,
// CF = 0.47 on 1-ha plots whose volume is given by the test equation V = D (a = 1, b = 1, c = 0).
// Plot A: two trees "D = 50" -> V = 100 m³/ha -> B = 62.504 t/ha, C = 29.377 tC/ha.
// Plot B: two trees "D = 40" -> V = 80 -> B = 80 · 0.307 · 1.634 · 1.246 = 50.0033, C = 23.5015.
// Mine of 10 ha with both plots: mean 26.4393 tC/ha, total 264.393 tC; two plots: SE of the mean
// = |29.3769 − 23.5015| / 2 = 2.93770, total SE 29.3770; t_{0.95, 1} = 6.314 (t table) ->
// 90 % CI upper 264.393 + 185.49 = 449.88 tC.
TEST(VegetationByHand, ExpansionFactorInventoryThroughTheCommand) {
  TempDir dir("veg_hand");
  write_file(dir.str("trees.csv"),
             "plot_id,species,dbh_cm,height_m\nA,test fir,50,20\nA,test fir,50,20\n"
             "B,test fir,40,18\nB,test fir,40,18\n");
  write_file(dir.str("plots.csv"),
             "plot_id,area_m2,mine_id,stand_age_yr,land_use\nA,10000,M1,20,forest\n"
             "B,10000,M1,15,forest\n");
  write_file(dir.str("species.csv"),
             "species,biomass_method,wood_density_g_cm3,bef,root_method,root_shoot_ratio,"
             "carbon_fraction\ntest fir,bef,0.307,1.634,root_shoot,0.246,0.47\n");
  write_file(dir.str("volumes.csv"),
             "species,form,a,b,c,form_factor,source\ntest fir,power,1,1,0,,test equation V = D\n");
  write_file(dir.str("mine_areas.csv"), "mine_id,area_ha\nM1,10\n");
  CliRun run = run_cli("--quiet vegetation --trees " + dir.str("trees.csv") + " --plots " +
                       dir.str("plots.csv") + " --species " + dir.str("species.csv") +
                       " --volume-equations " + dir.str("volumes.csv") + " --mine-areas " +
                       dir.str("mine_areas.csv") + " --no-growth --out " + dir.str("out"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CsvText plots = read_csv_file(dir.str("out/tables/plots.csv"));
  const std::size_t a = row_of(plots, {{"plot_id", "A"}});
  const std::size_t b = row_of(plots, {{"plot_id", "B"}});
  EXPECT_NEAR(plots.number(a, plots.column("volume_m3_ha")), 100.0, 1e-9);
  EXPECT_NEAR(plots.number(a, plots.column("tree_biomass_t_ha")), 62.504, 5e-4);
  EXPECT_NEAR(plots.number(a, plots.column("tree_carbon_tC_ha")), 29.377, 5e-4);
  EXPECT_NEAR(plots.number(b, plots.column("tree_carbon_tC_ha")), 23.5015, 5e-4);
  // No understorey table: the other pools are zero, so total = trees; CO₂e = 44/12 C.
  EXPECT_NEAR(plots.number(a, plots.column("total_co2e_t_ha")), 107.715, 5e-4);
  const CsvText mines = read_csv_file(dir.str("out/tables/mines.csv"));
  ASSERT_EQ(mines.rows.size(), 1u);
  EXPECT_NEAR(mines.number(0, mines.column("total_carbon_tC")), 264.393, 5e-3);
  EXPECT_NEAR(mines.number(0, mines.column("total_carbon_se_tC")), 29.377, 5e-3);
  EXPECT_NEAR(mines.number(0, mines.column("total_carbon_ci90_upper_tC")), 449.88, 0.05);
  EXPECT_EQ(mines.rows[0][mines.column("meets_precision_threshold")], "0");
  EXPECT_FALSE(fs::exists(dir.str("out/vegetation.gpkg"))) << "no polygons, no GeoPackage";
}

}  // namespace
}  // namespace minecarbon::e2e
