// The classify stage's published tables, made from its typed records: `mine_class` (one row per
// mine: value, class, method, the second dimension when given, recommended use) and `breaks` (one
// row per group, variable and class: breaks in both Fisher–Jenks conventions, counts, GVF).
#pragma once

#include <string>

#include "minecarbon/assess/classify.h"
#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct ClassifyTables {
  Table mine_class{"mine_class"};
  Table breaks{"breaks"};
};

// `method`: what the mine_class rows name as their method ("fisher_jenks", "thresholds", …).
ClassifyTables to_tables(const ClassifyResult& result, const std::string& method);

}  // namespace minecarbon::assess
