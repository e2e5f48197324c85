// The published tables of the emissions stage, laid out from its typed result:
//   emission_rows     one row per activity row: gases, CO2e, factors (t per unit) and sources
//   mine_year_source  mine × year × source: co2_t, ch4_t, n2o_t, co2e_t (the contract with balance)
//   mine_year_gas     mine × year × gas: mass_t, gwp, co2e_t
//   mine_year         mine × year: gases, CO2e, surface coal and disturbed_area_est_ha
//   mine_totals       per mine: gases, CO2e in total and by source, the disturbed-area estimate
#pragma once

#include <vector>

#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct EmissionsResult;

struct EmissionsTables {
  Table emission_rows{"emission_rows"};
  Table mine_year_source{"mine_year_source"};
  Table mine_year_gas{"mine_year_gas"};
  Table mine_year{"mine_year"};
  Table mine_totals{"mine_totals"};
  std::vector<const Table*> all() const {
    return {&emission_rows, &mine_year_source, &mine_year_gas, &mine_year, &mine_totals};
  }
};

// Lays the records out; computes nothing.
EmissionsTables to_tables(const EmissionsResult& result);

}  // namespace minecarbon::assess
