// Step 5 of the soil stage: IPCC Tier 1 states and the yearly SOC trajectory through them.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/assess/soil.h"
#include "minecarbon/assess/soil/profiles.h"
#include "minecarbon/assess/soil/soil_records.h"
#include "minecarbon/carbon/ipcc_soil.h"

namespace minecarbon::assess::soil {

// Each state's equilibrium stock SOC_eq = SOC_REF · F_LU · F_MG · F_I (carbon::ipcc_soc_tC_ha),
// or its fixed soc_tC_ha. SOC_REF is spec.soc_ref_tC_ha or the row of `tables` for the climate
// and soil type; a factor given in the spec wins over the table row of its land use and level
// (carbon::find_ipcc_factor). Every value keeps its source. Then the trajectory with linear
// transitions over spec.transition_years (carbon::ipcc_soc_trajectory). The mines: spec.mine_id
// with spec.area_ha, or with spec.areas_land_use every mine of `areas` (the [soil] areas table,
// read from `areas_file`) with that land use (mines_with_land_use). Throws ConfigError for an
// unknown climate, a missing soil type or factor level; DataError (from the lookup) for a factor
// the tables lack, or for a land use no mine of the areas table has.
SoilIpccResult ipcc_records(const SoilIpccSpec& spec, const carbon::IpccTables& tables,
                            const std::vector<AreaRow>& areas = {},
                            const std::string& areas_file = "");

}  // namespace minecarbon::assess::soil
