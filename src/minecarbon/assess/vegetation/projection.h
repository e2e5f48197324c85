// Step 8 of the vegetation stage: projection with the selected growth curve of each land use
// (carbon/growth_projection.h): the curve itself, every stand from its age, every mine as the
// area-weighted sum over its land uses, and the saturation age and remaining potential of each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation/growth.h"
#include "minecarbon/assess/vegetation/mine_totals.h"
#include "minecarbon/carbon/growth_projection.h"

namespace minecarbon::assess {
struct VegetationParams;
}

namespace minecarbon::assess::vegetation {

// One age of a land use's curve (per hectare, unit of the growth response).
struct CurveRow {
  std::string land_use;
  std::string model;
  double age_yr = kNaN;
  carbon::UncertainValue stock;
  carbon::UncertainValue sink_per_yr;
};

// Saturation and remaining potential of a land use (scope "land_use", at its mean plot age), a
// stand ("stand", at its age) or a land use of a mine ("mine_land_use", at its mean age).
struct SaturationRow {
  std::string scope;
  std::string id;  // land use, plot id or mine id
  std::string land_use;
  std::string model;
  double age_yr = kNaN;
  double area_ha = kNaN;  // mine_land_use only
  carbon::UncertainValue asymptote;
  carbon::UncertainValue current_stock;
  carbon::UncertainValue remaining_potential;
  carbon::UncertainValue saturation_age_yr;
  carbon::UncertainValue increment_saturation_age_yr;
  double years_to_saturation = kNaN;        // max(0, saturation age − age)
  double remaining_potential_total = kNaN;  // area × remaining potential (NaN without area)
};

// One year of a stand's projection from its current age.
struct StandProjectionRow {
  std::string plot_id, land_use, mine_id, model;
  double years_from_inventory = kNaN;
  double year = kNaN;  // inventory_year + offset; NaN without inventory_year
  double age_yr = kNaN;
  carbon::UncertainValue stock;
  carbon::UncertainValue sink_per_yr;
  carbon::UncertainValue cumulative_sink;
};

// One year of a mine's projection: Σ over its fitted land uses of area × curve (totals).
struct MineProjectionRow {
  std::string mine_id;
  std::string land_uses;  // "a; b"
  double area_projected_ha = kNaN;
  double years_from_inventory = kNaN;
  double year = kNaN;
  double stock = kNaN;
  double stock_se = kNaN;
  carbon::Interval stock_delta;
  carbon::Interval stock_mc;  // one land use only: quantiles do not add
  double sink_per_yr = kNaN;
  double cumulative_sink = kNaN;
  double cumulative_sink_se = kNaN;
  carbon::Interval cumulative_sink_delta;
};

struct Projections {
  std::vector<CurveRow> curves;
  std::vector<SaturationRow> saturation;  // land uses, then stands, then mines × land uses
  std::vector<StandProjectionRow> stands;
  std::vector<MineProjectionRow> mines;
  std::vector<std::string> warnings;
};

// Projects the selected curve of every fitted land use. Curves run from age 0 to the oldest plot
// + horizon_yr; stands and mines from their (mean) age over horizon_yr in steps of step_yr. Mine
// delta variances add over land uses (fitted independently): se = √(Σ A² se²). Monte Carlo draws
// are seeded from (seed, land-use index), so bands do not depend on the thread count; stands of
// one land use and age share one projection. Nothing is projected without a fitted land use.
Projections project_growth_curves(const std::vector<Plot>& plots, const GrowthFits& growth,
                                  const std::vector<MineTotal>& mines,
                                  const VegetationParams& params, std::uint64_t seed, int threads);

}  // namespace minecarbon::assess::vegetation
