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
  // Per mine and scenario/year (long), and one row per mine in layer order (the GeoPackage's
  // geometry layer `scenario_mine`: observed and simulated carbon, change); empty without mines.
  Table scenario_mine_carbon, mines;
  std::vector<const Table*> all() const {
    std::vector<const Table*> out = {&demand,
                                     &transition_counts,
                                     &markov_p,
                                     &leas_accuracy,
                                     &driver_contribution,
                                     &validation_confusion,
                                     &validation_metrics,
                                     &scenario_carbon};
    if (mines.row_count() > 0) out.push_back(&scenario_mine_carbon);
    return out;
  }
};

ScenarioTables to_tables(const ScenarioResult& result);

}  // namespace minecarbon::assess
