// soil → balance: the yearly sequestration of every reclamation scenario that names its mine and
// has an area (SoilResult::scenarios, ScenarioYearRecord::sequestration_tC_yr), and of every mine
// of a scenario given by areas_land_use (ScenarioRecord::mines: per ha × the mine's area). The
// IPCC trajectory names no mine and is not joined.
#pragma once

#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/soil.h"

namespace minecarbon::assess {

// A scenario without mine_id or without area_ha is left out with a warning (the same codes as
// the reader of scenario_years.csv in pipeline/balance_job.cpp).
std::vector<SoilSequestrationRecord> soil_sequestration_records(const SoilResult& soil,
                                                                ProblemList& warnings);

}  // namespace minecarbon::assess
