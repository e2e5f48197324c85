// The published tables of the vegetation stage, laid out from its typed result: one row per
// tree, plot, species, height model, land-use statistic, mine, mine × land use, growth fit and
// parameter, curve age, saturation row, stand-year and mine-year. Column names carry units; the
// growth tables name the unit of the growth response (tC_ha, t_ha or m3_ha; totals tC, t, m3).
#pragma once

#include <cstddef>
#include <vector>

#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct VegetationResult;

struct VegetationResultTables {
  Table trees{"trees"};
  Table plots{"plots"};
  Table species{"species"};
  Table height_models{"height_models"};
  Table strata{"strata"};
  Table mines{"mines"};
  Table mine_strata{"mine_strata"};
  Table growth_fits{"growth_fits"};
  Table growth_parameters{"growth_parameters"};
  Table growth_curves{"growth_curves"};
  Table saturation{"saturation"};
  Table projection_stands{"projection_stands"};
  Table projection_mines{"projection_mines"};
  // Row r of `mines` is feature mine_feature[r] of inputs.mines (when polygons were given).
  std::vector<std::size_t> mine_feature;

  // Every table, in the order they are published.
  std::vector<const Table*> all() const;
};

// Lays the typed result out as tables; computes nothing new (sums and ratios that are only
// presentation, such as CO2e = 44/12 × C, are the one exception). With growth = false the fit
// tables have no columns.
VegetationResultTables to_tables(const VegetationResult& result);

}  // namespace minecarbon::assess
