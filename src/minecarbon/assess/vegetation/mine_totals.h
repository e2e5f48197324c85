// Step 6 of the vegetation stage: mines. Areas from polygons (geodesic) or a table, each mine's
// plots grouped by land use with an area per land use (stratum_areas, the whole mine, or shares
// by plot count), and the stratified total carbon of every mine (carbon/carbon_stock.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/assess/vegetation/plot_carbon.h"
#include "minecarbon/assess/vegetation/strata.h"
#include "minecarbon/carbon/carbon_stock.h"

namespace minecarbon::assess {
struct VegetationParams;
struct VegetationInputs;
}  // namespace minecarbon::assess

namespace minecarbon::assess::vegetation {

struct Mine {
  std::string id;
  double area_ha = kNaN;
  std::string area_source = "none";    // polygon, mine_areas or none
  std::optional<std::size_t> feature;  // index into inputs.mines->features (polygons only)
};

// The plots of one land use in one mine, its area and its plot-to-plot estimates.
struct MineStratum {
  std::string land_use;
  std::vector<std::size_t> plots;
  double area_ha = kNaN;
  std::string area_source;  // stratum_areas, mine or plot_share
  carbon::MeanEstimate total_carbon_tC_ha;
  carbon::MeanEstimate tree_carbon_tC_ha;
  double mean_stand_age_yr = kNaN;
  double total_carbon_tC = kNaN;  // area × mean total carbon per ha
};

enum class MineStatus { ok, no_plots, no_area, variance_unknown };
std::string_view to_string(MineStatus status);

struct MineTotal {
  Mine mine;
  std::vector<MineStratum> strata;
  std::size_t n_plots = 0;
  MineStatus status = MineStatus::ok;
  carbon::TotalEstimate total_carbon_tC;  // Σ area_h × mean_h, SE, Satterthwaite df
  Precision precision;
  double total_carbon_tC_ha = kNaN;  // total / mine area
  double tree_carbon_tC = kNaN;      // Σ area_h × mean tree carbon_h; NaN without plots
};

struct MineTotals {
  std::string source;            // file of the mine areas; empty without
  bool areas_given = false;      // mines or mine_areas given
  bool from_polygons = false;    // mines given as polygons (rows carry their feature)
  std::vector<MineTotal> mines;  // polygons or table rows first, then mines named only by plots
  std::vector<std::string> warnings;
};

// Mines from inputs.mines (geodesic areas) or inputs.mine_areas, plus every mine named by a plot
// (without an area). Each land use of a mine gets its stratum_areas row; without that table a
// mine of one land use gives it the whole area and one of several splits its area by plot count
// (a warning names those mines). Stratified total T = Σ A_h ȳ_h with SE √(Σ A_h² s_h²/n_h).
// DataError (collected) for unknown mines, bad or duplicate areas, and a sampled land use
// without its stratum_areas row; warnings for areas that do not add up (> 1 %) and land uses
// with an area but no plots.
MineTotals compute_mine_totals(const VegetationInputs& inputs, const std::vector<Plot>& plots,
                               const std::vector<PlotCarbon>& plot_carbon,
                               const VegetationParams& params);

}  // namespace minecarbon::assess::vegetation
