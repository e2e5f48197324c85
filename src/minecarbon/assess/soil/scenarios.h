// Step 6 of the soil stage: reclamation scenarios on RothC (carbon/rothc_scenario.h).
#pragma once

#include <string>
#include <vector>

#include "minecarbon/assess/soil/profiles.h"
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
// A scenario with areas_land_use gets `mines`: every mine of `areas` (the [soil] areas table, read
// from `areas_file`) with that land use, in table order, each with its area there; DataError naming the file, the scenario and the land uses the table has when no mine has it.
std::vector<ScenarioRecord> run_scenarios(const std::vector<carbon::ReclamationScenario>& scenarios,
                                          const std::vector<AreaRow>& areas,
                                          const std::string& areas_file, const RunContext& context);

}  // namespace minecarbon::assess::soil
