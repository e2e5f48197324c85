// The vegetation stage's steps one by one (assess/vegetation/*.h), on inventories small enough
// to work by hand: degenerate inputs first, then implausible values, then hand-computed stocks.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {
namespace {

CsvText csv(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  return parse_csv(in, source);
}

// V = 1e-4 D² H (m³; D cm, H m), so a tree of D = 20 cm, H = 10 m has V = 0.4 m³.
const char* kVolumeTable =
    "species,form,a,b,c,form_factor,dbh_min_cm,dbh_max_cm,region,source,status\n"
    "Testus,power,0.0001,2,1,,,,test,hand-made for the test,TEST\n";
// AGB = V · WD · BEF = 0.4 · 0.5 · 1.2 = 0.24 t; roots R = 0.25 → 0.06 t; C = 0.5 · 0.30 t.
const char* kSpeciesTable =
    "species,biomass_method,wood_density_g_cm3,bef,root_method,root_shoot_ratio,carbon_fraction\n"
    "Testus,bef,0.5,1.2,root_shoot,0.25,0.5\n";
const char* kPlots = "plot_id,area_m2,mine_id,stand_age_yr,land_use\nP1,400,M1,10,forest\n";
const char* kTrees = "plot_id,species,dbh_cm,height_m\nP1,Testus,20,10\nP1,Testus,20,10\n";
// 200 g/m² of litter = 2 t/ha; × 0.45 = 0.9 t C/ha.
const char* kUnderstorey = "plot_id,layer,dry_mass_g_m2\nP1,litter,200\n";

VegetationInputs hand_inputs() {
  VegetationInputs inputs;
  inputs.plots = csv(kPlots, "plots.csv");
  inputs.trees = csv(kTrees, "trees.csv");
  inputs.understorey = csv(kUnderstorey, "understorey.csv");
  inputs.species = csv(kSpeciesTable, "species.csv");
  inputs.tables.volume_equations.push_back(csv(kVolumeTable, "volumes.csv"));
  return inputs;
}

std::string data_error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no DataError)";
}

// ---------------------------------------------------------------- degenerate inputs

TEST(VegetationInventory, HeaderOnlyTreeListIsADataErrorNamingTheFile) {
  const CsvText plots = csv(kPlots, "plots.csv");
  const CsvText trees = csv("plot_id,species,dbh_cm\n", "trees.csv");
  const std::string message =
      data_error_of([&] { vegetation::read_inventory(plots, trees, std::nullopt); });
  EXPECT_NE(message.find("trees.csv has no tree rows (only a header)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("understorey"), std::string::npos) << message;
}

TEST(VegetationInventory, HeaderOnlyTreeListWithQuadratsIsTreelessWithAWarning) {
  const CsvText plots = csv(kPlots, "plots.csv");
  const CsvText trees = csv("plot_id,species,dbh_cm\n", "trees.csv");
  const auto inv = vegetation::read_inventory(plots, trees, csv(kUnderstorey, "understorey.csv"));
  EXPECT_TRUE(inv.trees.empty());
  ASSERT_EQ(inv.warnings.size(), 1u);
  EXPECT_NE(inv.warnings[0].find("trees.csv has no tree rows"), std::string::npos);
  EXPECT_DOUBLE_EQ(inv.harvest[0].litter_t_ha, 2.0);
}

TEST(VegetationInventory, PlotTableWithoutPlotsIsADataError) {
  const std::string message = data_error_of([] {
    vegetation::read_inventory(csv("plot_id,area_m2\n", "plots.csv"),
                               csv("plot_id,species,dbh_cm\n", "trees.csv"),
                               csv("plot_id,layer,dry_mass_g_m2\n", "u.csv"));
  });
  EXPECT_NE(message.find("plots.csv has no plots"), std::string::npos) << message;
}

// ---------------------------------------------------------------- implausible values

TEST(VegetationInventory, ImplausibleDbhNamesFileRowColumnValueAndRange) {
  const std::string message = data_error_of([] {
    vegetation::read_inventory(
        csv(kPlots, "plots.csv"),
        csv("plot_id,species,dbh_cm\nP1,Testus,20\nP1,Testus,1000000\n", "trees.csv"),
        std::nullopt);
  });
  EXPECT_NE(message.find("trees.csv:3: dbh_cm = 1000000"), std::string::npos) << message;
  EXPECT_NE(message.find("plausible range (0, 1000] cm"), std::string::npos) << message;
}

TEST(VegetationInventory, DbhAtTheBoundIsAccepted) {
  const auto inv = vegetation::read_inventory(
      csv(kPlots, "plots.csv"), csv("plot_id,species,dbh_cm\nP1,Testus,1000\n", "trees.csv"),
      std::nullopt);
  ASSERT_EQ(inv.trees.size(), 1u);
  EXPECT_EQ(inv.trees[0].dbh_cm, 1000.0);
}

TEST(VegetationInventory, ImplausibleHeightIsRefused) {
  const std::string message = data_error_of([] {
    vegetation::read_inventory(
        csv(kPlots, "plots.csv"),
        csv("plot_id,species,dbh_cm,height_m\nP1,Testus,20,350\n", "trees.csv"), std::nullopt);
  });
  EXPECT_NE(message.find("trees.csv:2: height_m = 350"), std::string::npos) << message;
  EXPECT_NE(message.find("plausible range 1.3 to 120 m"), std::string::npos) << message;
}

TEST(VegetationInventory, PlotAreaGivenInHectaresIsRefused) {
  const std::string message = data_error_of([] {
    vegetation::read_inventory(csv("plot_id,area_m2\nP1,0.04\n", "plots.csv"),
                               csv(kTrees, "trees.csv"), std::nullopt);
  });
  EXPECT_NE(message.find("plots.csv:2: plot 'P1' area_m2 = 0.04"), std::string::npos) << message;
  EXPECT_NE(message.find("plausible range 1 to 1000000 m²"), std::string::npos) << message;
}

TEST(VegetationInventory, ImplausibleStemDensityNamesThePlot) {
  // 50 stems on 4 m² = 125,000 stems/ha.
  const std::string message = data_error_of([] {
    vegetation::read_inventory(csv("plot_id,area_m2\nP1,4\n", "plots.csv"),
                               csv("plot_id,species,dbh_cm,stems\nP1,Testus,5,50\n", "trees.csv"),
                               std::nullopt);
  });
  EXPECT_NE(message.find("plots.csv:2: plot 'P1': 50 stems in trees.csv"), std::string::npos)
      << message;
  EXPECT_NE(message.find("125000 stems/ha"), std::string::npos) << message;
  EXPECT_NE(message.find("plausible range 0 to 100000 stems/ha"), std::string::npos) << message;
}

TEST(VegetationInventory, StandAgeThatIsACalendarYearIsRefused) {
  const std::string message = data_error_of([] {
    vegetation::read_inventory(csv("plot_id,area_m2,stand_age_yr\nP1,400,2015\n", "plots.csv"),
                               csv(kTrees, "trees.csv"), std::nullopt);
  });
  EXPECT_NE(message.find("stand_age_yr = 2015: implausible stand age"), std::string::npos)
      << message;
}

TEST(VegetationInventory, AllProblemsAreReportedTogether) {
  const std::string message = data_error_of([] {
    vegetation::read_inventory(
        csv(kPlots, "plots.csv"),
        csv("plot_id,species,dbh_cm\nP1,Testus,2000\nP1,Testus,-1\nP9,Testus,5\n", "trees.csv"),
        std::nullopt);
  });
  EXPECT_NE(message.find("trees.csv:2"), std::string::npos) << message;
  EXPECT_NE(message.find("trees.csv:3"), std::string::npos) << message;
  EXPECT_NE(message.find("trees.csv:4"), std::string::npos) << message;
}

TEST(VegetationSpeciesRecipes, ImplausibleWoodDensityIsRefused) {
  VegetationInputs inputs = hand_inputs();
  inputs.species =
      csv("species,biomass_method,wood_density_g_cm3,bef\nTestus,bef,500,1.2\n", "species.csv");
  const auto inv = vegetation::read_inventory(inputs.plots, inputs.trees, std::nullopt);
  const std::string message = data_error_of([&] {
    vegetation::resolve_recipes(inv.trees, VegetationParams{}, inputs.species, inputs.tables);
  });
  EXPECT_NE(message.find("species.csv:2: wood_density_g_cm3 = 500"), std::string::npos) << message;
  EXPECT_NE(message.find("plausible range 0.05 to 1.5"), std::string::npos) << message;
}

TEST(VegetationParams, ValidateNamesTheKey) {
  VegetationParams params;
  EXPECT_NO_THROW(params.validate());
  params.horizon_yr = std::numeric_limits<double>::infinity();
  try {
    params.validate();
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("vegetation: horizon_yr: must be a finite number"),
              std::string::npos)
        << e.what();
  }
  params.horizon_yr = 50;
  params.step_yr = 1e-6;
  EXPECT_THROW(params.validate(), ConfigError);
  params.step_yr = 1;
  params.carbon_fraction = 47;
  try {
    params.validate();
    FAIL() << "no OptionError";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.key(), "carbon_fraction");
    EXPECT_EQ(e.problem(), "= 47: must be > 0 and <= 1 (tC/t)");
  }
}

// The option table drives the project file: every key reads into its member, a wrong type or an
// unknown key is refused naming the line.
TEST(VegetationParams, OptionTableReadsEveryKindOfOption) {
  const toml::table table = toml::parse(
      "biomass_method = \"allometry\"\nroot_method = \"none\"\ngrowth_models = "
      "[\"logistic\"]\nincrement_threshold_per_yr = 0.2\nmonte_carlo_draws = 7\n"
      "height_model_by = \"all\"\ngrowth = false\n");
  VegetationParams params;
  read_toml_options(VegetationParams::options(), table, TomlSource{"p.toml", "vegetation", {}},
                    params);
  EXPECT_EQ(params.biomass_method, carbon::BiomassMethod::allometry);
  ASSERT_TRUE(params.root_method.has_value());
  EXPECT_EQ(*params.root_method, carbon::RootMethod::none);
  ASSERT_EQ(params.growth_models.size(), 1u);
  EXPECT_EQ(params.growth_models[0], carbon::GrowthModel::logistic);
  EXPECT_EQ(params.increment_threshold_per_yr, 0.2);
  EXPECT_EQ(params.monte_carlo_draws, 7);
  EXPECT_EQ(params.height_model_by, HeightGrouping::all);
  EXPECT_FALSE(params.growth);
  const nlohmann::json echo = options_json(VegetationParams::options(), params);
  EXPECT_EQ(echo["root_method"], "none");
  EXPECT_EQ(echo["growth_models"], nlohmann::json::array({"logistic"}));
  const toml::table bad = toml::parse("\n\ngrowth_models = [\"logistc\"]\n");
  try {
    read_toml_options(VegetationParams::options(), bad, TomlSource{"p.toml", "vegetation", {}},
                      params);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("p.toml:3 [vegetation] growth_models:"), std::string::npos)
        << e.what();
  }
}

// ---------------------------------------------------------------- worked by hand

TEST(VegetationPlotCarbon, TwoTreesAndLitterByHand) {
  const VegetationInputs inputs = hand_inputs();
  VegetationParams params;
  const auto inv = vegetation::read_inventory(inputs.plots, inputs.trees, inputs.understorey);
  const auto recipes =
      vegetation::resolve_recipes(inv.trees, params, inputs.species, inputs.tables);
  ASSERT_EQ(recipes.species.size(), 1u);
  EXPECT_EQ(recipes.tree_counts[0], 2u);
  const auto heights = vegetation::estimate_heights(inv.trees, inv.plots, params);
  EXPECT_EQ(heights.n_missing, 0u);
  EXPECT_TRUE(heights.models.empty());
  const auto carbon = vegetation::compute_plot_carbon(inv, heights, recipes, params, 1);
  ASSERT_EQ(carbon.plots.size(), 1u);
  const auto& plot = carbon.plots[0];
  // Two trees of 0.4 m³ on 0.04 ha: 20 m³/ha; 2 × 0.3 t / 0.04 ha = 15 t/ha; C = 7.5 t/ha.
  EXPECT_NEAR(plot.stand.volume_m3_ha, 20.0, 1e-9);
  EXPECT_NEAR(plot.stand.above_t_ha, 12.0, 1e-9);
  EXPECT_NEAR(plot.stand.below_t_ha, 3.0, 1e-9);
  EXPECT_NEAR(plot.stand.carbon_tC_ha, 7.5, 1e-9);
  EXPECT_NEAR(plot.live_stems_ha, 50.0, 1e-9);
  EXPECT_NEAR(plot.litter_carbon_tC_ha, 0.9, 1e-12);
  EXPECT_NEAR(plot.total_carbon_tC_ha, 8.4, 1e-9);
}

TEST(VegetationPlotCarbon, MissingHeightsAreEstimatedFromTheMeasuredOnes) {
  // Heights on H = 1.3 + 20 D / (10 + D), all but one measured: the estimate lies on the curve.
  std::string trees = "plot_id,species,dbh_cm,height_m\n";
  for (int d = 5; d <= 40; d += 3)
    trees +=
        "P1,Testus," + std::to_string(d) + "," + std::to_string(1.3 + 20.0 * d / (10.0 + d)) + "\n";
  trees += "P1,Testus,20,\n";
  const auto inv =
      vegetation::read_inventory(csv(kPlots, "plots.csv"), csv(trees, "trees.csv"), std::nullopt);
  VegetationParams params;
  const auto heights = vegetation::estimate_heights(inv.trees, inv.plots, params);
  EXPECT_EQ(heights.n_missing, 1u);
  ASSERT_EQ(heights.models.size(), 1u);
  EXPECT_EQ(heights.models[0].n_estimated, 1u);
  EXPECT_TRUE(heights.estimated.back());
  EXPECT_NEAR(heights.height_m.back(), 1.3 + 20.0 * 20 / 30.0, 0.3);
}

TEST(VegetationStage, RunAndTablesAgreeWithTheSteps) {
  VegetationParams params;
  params.growth = false;
  VegetationInputs inputs = hand_inputs();
  inputs.mine_areas = csv("mine_id,area_ha\nM1,10\n", "mines.csv");
  const VegetationResult result = run_vegetation(params, inputs, RunContext{});
  ASSERT_EQ(result.mines.mines.size(), 1u);
  const auto& mine = result.mines.mines[0];
  // One plot: the total is area × mean, with no variance.
  EXPECT_NEAR(mine.total_carbon_tC.total, 84.0, 1e-9);
  EXPECT_EQ(mine.status, vegetation::MineStatus::variance_unknown);
  const VegetationResultTables tables = to_tables(result);
  EXPECT_EQ(tables.all().size(), 13u);
  EXPECT_EQ(tables.trees.row_count(), 2u);
  ASSERT_EQ(tables.plots.row_count(), 1u);
  const Column* total = tables.plots.find("total_carbon_tC_ha");
  ASSERT_NE(total, nullptr);
  EXPECT_NEAR(std::get<std::vector<double>>(total->data)[0], 8.4, 1e-9);
  const Column* status = tables.mines.find("status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(std::get<std::vector<std::string>>(status->data)[0], "variance_unknown");
  // Without growth the fit tables have no columns and nothing is projected.
  EXPECT_TRUE(tables.growth_fits.columns().empty());
  EXPECT_EQ(tables.projection_stands.row_count(), 0u);
  EXPECT_EQ(result.summary["counts"]["tree_rows"], 2);
}

}  // namespace
}  // namespace minecarbon::assess
