#include "minecarbon/assess/vegetation/summary.h"

#include <cmath>

#include "minecarbon/assess/vegetation.h"

namespace minecarbon::assess {
namespace {

// The options as used (from the one option table) and the seed of the Monte Carlo bands.
nlohmann::json parameters_json(const VegetationParams& params, std::uint64_t seed) {
  nlohmann::json out = options_json(VegetationParams::options(), params);
  out["seed"] = seed;
  return out;
}

// Per land use fitted: its data, the selected model and every model's status and rank.
nlohmann::json growth_json(const VegetationResult& result) {
  const std::string response_column = growth_response_column(result.params.growth_response);
  nlohmann::json out = nlohmann::json::array();
  for (const vegetation::StratumGrowth& g : result.growth.strata) {
    nlohmann::json gj = {
        {"land_use", g.land_use},
        {"response", response_column},
        {"n_points", g.t.size()},
        {"excluded_plots", g.excluded},
        {"selected_model",
         g.selected >= 0
             ? std::string(carbon::to_string(g.fits[static_cast<std::size_t>(g.selected)].model))
             : std::string()},
        {"status", g.selected >= 0 ? "fitted" : "no_usable_fit"}};
    if (!g.failure.empty()) gj["message"] = g.failure;
    nlohmann::json models = nlohmann::json::array();
    for (const auto& r : g.ranks) {
      const carbon::GrowthFit& f = g.fits[r.fit_index];
      models.push_back({{"model", carbon::to_string(f.model)},
                        {"status", stats::to_string(f.fit.status)},
                        {"rank", r.rank},
                        {"message", f.fit.message}});
    }
    gj["models"] = models;
    out.push_back(gj);
  }
  return out;
}

}  // namespace

nlohmann::json vegetation_summary(const VegetationResult& result, const VegetationInputs& inputs,
                                  std::uint64_t seed) {
  const auto& trees = result.inventory.trees;
  const auto& tables = result.recipes.tables;
  std::size_t live = 0, dead = 0, measured = 0;
  for (std::size_t idx = 0; idx < trees.size(); ++idx) {
    (trees[idx].live ? live : dead) += 1;
    if (!result.heights.estimated[idx]) ++measured;
  }
  nlohmann::json summary;
  summary["stage"] = "vegetation";
  summary["parameters"] = parameters_json(result.params, seed);
  summary["inputs"] = {
      {"trees", inputs.trees.source},
      {"plots", inputs.plots.source},
      {"understorey", inputs.understorey ? inputs.understorey->source : ""},
      {"species", inputs.species ? inputs.species->source : ""},
      {"mines", result.mines.source},
      {"stratum_areas", inputs.stratum_areas ? inputs.stratum_areas->source : ""},
      {"volume_equations", tables.volume.files()},
      {"bcef_table", tables.bcef.files()},
      {"continuous_bef_table", tables.continuous_bef.files()},
      {"root_shoot_table", tables.root_shoot.files()},
      {"allometry_table", tables.allometry.files()},
  };
  summary["counts"] = {
      {"plots", result.inventory.plots.size()},
      {"tree_rows", trees.size()},
      {"live_tree_rows", live},
      {"dead_tree_rows", dead},
      {"species", result.recipes.specs.size()},
      {"heights_measured", measured},
      {"heights_estimated", result.heights.n_missing},
      {"heights_set_to_breast_height", result.heights.n_clamped},
      {"land_uses", result.strata.plots_of.size()},
      {"mines", result.mines.mines.size()},
      {"growth_land_uses", result.growth.strata.size()},
      {"growth_land_uses_fitted", result.growth.fitted.size()},
  };
  summary["growth"] = growth_json(result);
  return summary;
}

}  // namespace minecarbon::assess
