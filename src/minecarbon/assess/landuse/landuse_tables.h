// The landuse stage's records laid out as the published tables (tables/*.csv and landuse.gpkg).
// Column names are a contract with the balance stage for mine_change (docs/landuse.md).
#pragma once

#include <cstddef>
#include <vector>

#include "minecarbon/assess/landuse.h"
#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct LanduseResultTables {
  Table date_totals, pair_totals, class_area, transitions;
  // With mines only (empty tables otherwise, not published):
  Table mines;  // one row per feature: the attributes of the geometry layer
  Table mine_stock, mine_class_area, mine_change, mine_transitions;
  Table uncertainty;                      // with monte_carlo_draws only
  std::vector<std::size_t> mine_feature;  // feature of each row of `mines`
  bool has_mines = false;
  bool has_uncertainty = false;

  // Every table to publish, in order.
  std::vector<const Table*> all() const;
};

LanduseResultTables to_tables(const LanduseResult& result);

}  // namespace minecarbon::assess
