// Step 6 of the soil stage: reclamation scenarios on RothC (carbon/rothc_scenario.h).
#pragma once

#include <vector>

#include "minecarbon/assess/soil/soil_records.h"
#include "minecarbon/carbon/rothc_scenario.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess::soil {

// Runs every scenario (in parallel over context.threads; each run is independent, so the results
// do not depend on the thread count) and returns one record per scenario in input order:
// sequestration per year = SOC(December) − SOC(previous December, or the start), per ha and
// × area_ha; over the run, end − start, per year (÷ years) and × area_ha. Without an area
// (area_ha = 0) the totals are NaN. Throws DataError for a scenario RothC refuses.
std::vector<ScenarioRecord> run_scenarios(const std::vector<carbon::ReclamationScenario>& scenarios,
                                          const RunContext& context);

}  // namespace minecarbon::assess::soil
