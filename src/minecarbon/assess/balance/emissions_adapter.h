// emissions → balance: the CO2e of every mine, year and source (EmissionsResult::mine_year_source).
#pragma once

#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/emissions.h"

namespace minecarbon::assess {

std::vector<ProcessEmissionRecord> process_emission_records(const EmissionsResult& emissions);

}  // namespace minecarbon::assess
