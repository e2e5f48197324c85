// vegetation → balance: the projected sink of every mine (VegetationResult::projections.mines,
// MineProjectionRow::sink_per_yr at calendar year MineProjectionRow::year).
#pragma once

#include <optional>
#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/vegetation.h"

namespace minecarbon::assess {

// The rows at whole calendar years (step_yr = 1 gives every year; other steps give the years
// they hit, the rest are gaps). nullopt, with a warning in `warnings`, when the projection cannot
// enter a carbon balance: a growth response that is not carbon (tree_biomass, volume) or no
// calendar years (inventory_year unset).
std::optional<std::vector<VegetationSinkRecord>> vegetation_sink_records(
    const VegetationResult& vegetation, ProblemList& warnings);

}  // namespace minecarbon::assess
