// The plan stage's typed result as the published tables (docs/plan.md §6 for the columns):
// schemes, scheme_year, ranking, weights, payoff, pareto, pareto_allocation, duals.
#pragma once

#include "minecarbon/assess/plan.h"
#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct PlanTables {
  Table schemes, scheme_year, ranking, weights, payoff, pareto, pareto_allocation, duals;
};

PlanTables to_tables(const PlanResult& result);

}  // namespace minecarbon::assess
