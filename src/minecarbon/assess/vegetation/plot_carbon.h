// Step 4 of the vegetation stage: biomass and carbon of every plot per hectare, trees
// (carbon/biomass.h stand_biomass) plus the harvest-quadrat layers times their carbon fractions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation/heights.h"
#include "minecarbon/assess/vegetation/inventory.h"
#include "minecarbon/assess/vegetation/species_recipes.h"
#include "minecarbon/carbon/biomass.h"

namespace minecarbon::assess {
struct VegetationParams;
enum class GrowthResponse;
}  // namespace minecarbon::assess

namespace minecarbon::assess::vegetation {

struct PlotCarbon {
  carbon::StandBiomass stand;  // trees; stand.trees[k] is tree plot_trees[plot][k]
  HarvestLayers harvest;
  std::size_t heights_estimated = 0;
  double live_stems_ha = 0.0;
  double dead_stems_ha = 0.0;
  double shrub_carbon_tC_ha = 0.0;
  double herb_carbon_tC_ha = 0.0;
  double litter_carbon_tC_ha = 0.0;
  double dead_wood_carbon_tC_ha = 0.0;  // lying (quadrats) + standing dead trees
  double total_carbon_tC_ha = 0.0;      // trees + shrub + herb + litter + dead wood
};

struct PlotCarbonResult {
  std::vector<std::vector<std::size_t>> plot_trees;  // tree indices per plot, in file order
  std::vector<PlotCarbon> plots;                     // per plot
  std::vector<std::string> warnings;  // extrapolated equations, unmeasured understorey
};

// Per plot of area A (ha): trees through stand_biomass (per ha = Σ per tree × stems / A); layer
// carbon = dry mass (t/ha) × carbon fraction (understorey for shrub and herb, litter, dead wood);
// total = trees + layers. A plot without trees has zero tree stocks. Plots run in parallel on
// `threads`; each is computed alone, so the result does not depend on the thread count.
// DataError naming the plot when a tree's recipe cannot be applied.
PlotCarbonResult compute_plot_carbon(const Inventory& inventory, const TreeHeights& heights,
                                     const SpeciesRecipes& recipes, const VegetationParams& params,
                                     int threads);

// The per-hectare value a growth curve is fitted to; volume is NaN when a live tree has no
// volume equation.
double response_of(const PlotCarbon& plot, GrowthResponse response);

}  // namespace minecarbon::assess::vegetation
