#include "minecarbon/assess/vegetation/plot_carbon.h"

#include <algorithm>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"

namespace minecarbon::assess::vegetation {
namespace {

// Warnings about the recipes' domains and the layers not measured.
std::vector<std::string> plot_warnings(const Inventory& inventory, const SpeciesRecipes& recipes) {
  std::vector<std::string> warnings;
  std::size_t outside_volume = 0, outside_allometry = 0;
  for (std::size_t idx = 0; idx < inventory.trees.size(); ++idx) {
    const double dbh_cm = inventory.trees[idx].dbh_cm;
    const auto& spec = recipes.specs[recipes.species_of_tree[idx]];
    if (spec.volume && !carbon::in_range(*spec.volume, dbh_cm)) ++outside_volume;
    if (spec.method == carbon::BiomassMethod::allometry && spec.allometry &&
        !carbon::in_dbh_range(*spec.allometry, dbh_cm))
      ++outside_allometry;
  }
  if (outside_volume > 0)
    warnings.push_back(std::to_string(outside_volume) +
                       " trees lie outside the DBH range of their volume equation (extrapolated)");
  if (outside_allometry > 0)
    warnings.push_back(
        std::to_string(outside_allometry) +
        " trees lie outside the DBH range of their allometric equation (extrapolated)");
  if (inventory.understorey_given) {
    const auto unsampled = std::count_if(inventory.harvest.begin(), inventory.harvest.end(),
                                         [](const HarvestLayers& h) { return !h.sampled; });
    if (unsampled > 0)
      warnings.push_back(std::to_string(unsampled) +
                         " plots have no harvest-quadrat rows: their shrub, herb, litter and "
                         "lying dead wood count as 0");
  } else {
    warnings.push_back(
        "no understorey table: shrub, herb, litter and lying dead wood are not measured and "
        "count as 0");
  }
  return warnings;
}

}  // namespace

PlotCarbonResult compute_plot_carbon(const Inventory& inventory, const TreeHeights& heights,
                                     const SpeciesRecipes& recipes, const VegetationParams& params,
                                     int threads) {
  const auto& plots = inventory.plots;
  const auto& trees = inventory.trees;
  PlotCarbonResult out;
  out.plot_trees.assign(plots.size(), {});
  for (std::size_t idx = 0; idx < trees.size(); ++idx)
    out.plot_trees[trees[idx].plot].push_back(idx);
  out.plots.assign(plots.size(), PlotCarbon{});
  parallel_for(plots.size(), threads, [&](std::size_t plot_idx, std::size_t) {
    const Plot& plot = plots[plot_idx];
    const double area_ha = plot.area_m2 / units::kM2PerHa;
    std::vector<carbon::StandTree> stand_trees;
    stand_trees.reserve(out.plot_trees[plot_idx].size());
    PlotCarbon& r = out.plots[plot_idx];
    for (const std::size_t idx : out.plot_trees[plot_idx]) {
      const Tree& t = trees[idx];
      stand_trees.push_back(
          {recipes.species_of_tree[idx], t.dbh_cm, heights.height_m[idx], t.stems, t.live});
      (t.live ? r.live_stems_ha : r.dead_stems_ha) += t.stems / area_ha;
      if (heights.estimated[idx]) ++r.heights_estimated;
    }
    try {
      r.stand = carbon::stand_biomass(recipes.specs, stand_trees, area_ha);
    } catch (const DataError& e) {
      throw DataError("vegetation: plot '" + plot.id + "' (" + plot.where + "): " + e.what());
    }
    r.harvest = inventory.harvest[plot_idx];
    r.shrub_carbon_tC_ha = r.harvest.shrub_t_ha * params.carbon_fraction_understorey;
    r.herb_carbon_tC_ha = r.harvest.herb_t_ha * params.carbon_fraction_understorey;
    r.litter_carbon_tC_ha = r.harvest.litter_t_ha * params.carbon_fraction_litter;
    r.dead_wood_carbon_tC_ha =
        r.harvest.dead_wood_t_ha * params.carbon_fraction_dead_wood + r.stand.dead_carbon_tC_ha;
    r.total_carbon_tC_ha = r.stand.carbon_tC_ha + r.shrub_carbon_tC_ha + r.herb_carbon_tC_ha +
                           r.litter_carbon_tC_ha + r.dead_wood_carbon_tC_ha;
  });
  out.warnings = plot_warnings(inventory, recipes);
  return out;
}

double response_of(const PlotCarbon& r, GrowthResponse response) {
  switch (response) {
    case GrowthResponse::tree_carbon:
      return r.stand.carbon_tC_ha;
    case GrowthResponse::total_carbon:
      return r.total_carbon_tC_ha;
    case GrowthResponse::tree_biomass:
      return r.stand.biomass_t_ha;
    case GrowthResponse::volume:
      return r.stand.live_without_volume > 0 ? kNaN : r.stand.volume_m3_ha;
  }
  return kNaN;
}

}  // namespace minecarbon::assess::vegetation
