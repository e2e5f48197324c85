// emissions → balance: the CO2e of every mine and year (EmissionsResult::mine_year_source).
#pragma once

#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/emissions.h"

namespace minecarbon::assess {

// One record per mine-year for the sources balance always counts, summed in the order of
// mine_year_source (the first value, then += each next one: the same additions, in the same
// order, that balance makes when it is given one record per source, so the sums are the same
// bits), with source = kProcessSourcesSummed; `land_cleared` rows (which balance drops in the
// years the land-use maps cover) and rows whose CO2e is not a finite number (which balance counts
// in its non_finite_value warning) stay records of their own, after the summed one. A quarter of
// the records of one per source at four sources a mine-year: balance hashes a mine id per record.
std::vector<ProcessEmissionRecord> process_emission_records(const EmissionsResult& emissions);

}  // namespace minecarbon::assess
