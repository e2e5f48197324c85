// The published tables of the soil stage, laid out from its typed result (soil_records.h).
// Column names carry units; CO2e columns are C × 44/12.
#pragma once

#include <vector>

#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct SoilResult;

struct SoilTables {
  Table horizons{"horizons"};
  Table profile_stocks{"profile_stocks"};
  Table land_use_stocks{"land_use_stocks"};
  Table mine_stocks{"mine_stocks"};
  Table comparison{"comparison"};
  Table ipcc_states{"ipcc_states"};
  Table ipcc_trajectory{"ipcc_trajectory"};
  Table scenarios{"scenarios"};
  Table scenario_years{"scenario_years"};
  Table scenario_months{"scenario_months"};

  // The tables that have rows, in the order they are published (a part the run did not ask for
  // is not written).
  std::vector<const Table*> with_rows() const;
};

// Lays the typed result out as tables; computes nothing new (CO2e = 44/12 × C and totals =
// per ha × area are presentation). The comparison's class column is named after compare_by
// (land_use or date).
SoilTables to_tables(const SoilResult& result);

}  // namespace minecarbon::assess
