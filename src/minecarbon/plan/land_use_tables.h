// The land-use LP from its tables (already read; docs/plan.md §4 for the columns):
//   zones         zone, area_ha
//   coefficients  objective, class, zone, coef_per_ha[, source]   (zone empty = every zone)
//   allowed       class, zone, allowed (0/1; pairs not listed are allowed)          [optional]
//   class_limits  class[, min_ha, max_ha, min_share, max_share, min_patch_ha]        [optional]
//   rows          name, sense (<=, >=, =), rhs, then one column per class             [optional]
// Classes are those the coefficient table names, in order of first appearance; zones those of
// the zone table. Objectives are "name:max" or "name:min". Throws DataError naming the file, line
// and column for a class or zone no other table knows, a negative area, a share outside 0..1, a
// pair given twice, an unknown sense; ConfigError for an objective spec or budget objective that
// names no objective of the coefficient table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/plan/land_use_lp.h"

namespace minecarbon::plan {

struct LandUseTables {
  CsvText zones, coefficients;
  std::optional<CsvText> allowed, class_limits, rows;
  std::vector<std::string> objectives;  // "carbon:max", …
  ZoneAreaRule zone_area_rule = ZoneAreaRule::equal;
  double budget = kNoLimit;
  std::string budget_objective = "cost";
};

LandUseModel land_use_model(const LandUseTables& tables);

}  // namespace minecarbon::plan
