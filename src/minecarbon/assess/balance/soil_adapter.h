// soil → balance: the yearly sequestration of every reclamation scenario that names its mine and
// has an area (SoilResult::scenarios, ScenarioYearRecord::sequestration_tC_yr), and of every mine
// of a scenario given by areas_land_use (ScenarioRecord::mines: per ha × the mine's area); then
// the IPCC Tier 1 trajectory of the mine(s) it is attributed to (SoilResult::ipcc with mine_id and
// area_ha, or its mines of areas_land_use), as the soil scenario named kIpccScenarioName: its
// yearly stock change (carbon::IpccYear::change_tC_ha_yr, the stock at the end of the year less
// the stock at the end of the year before) × the area, t C/yr (> 0 = the soil gains carbon).
// The scenarios come first and the trajectory last, the order balance's soil_multiple = "first"
// follows (the reader of the files in pipeline/balance_job.cpp keeps it).
#pragma once

#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/soil.h"

namespace minecarbon::assess {

// A scenario without mine_id or without area_ha is left out with a warning (the same codes as
// the reader of scenario_years.csv in pipeline/balance_job.cpp); so is an IPCC trajectory
// attributed to no mine (soil_ipcc_without_mine, as the reader of ipcc_trajectory.csv).
std::vector<SoilSequestrationRecord> soil_sequestration_records(const SoilResult& soil,
                                                                ProblemList& warnings);

}  // namespace minecarbon::assess
