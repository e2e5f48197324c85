// The scenario stage's typed result as the published tables (docs/scenario.md §7): demand,
// transition_counts, markov_p, leas_accuracy, driver_contribution, validation_confusion,
// validation_metrics, scenario_carbon.
#pragma once

#include "minecarbon/assess/scenario.h"
#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct ScenarioTables {
  Table demand, transition_counts, markov_p, leas_accuracy, driver_contribution,
      validation_confusion, validation_metrics, scenario_carbon;
};

ScenarioTables to_tables(const ScenarioResult& result);

}  // namespace minecarbon::assess
