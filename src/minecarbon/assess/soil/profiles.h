// Step 1 of the soil stage: the profile table read into profiles of horizons (checked row by
// row), the areas table, and the horizon records as published.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "minecarbon/assess/soil.h"
#include "minecarbon/assess/soil/soil_records.h"
#include "minecarbon/carbon/soil_stock.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess::soil {

// One profile: its horizons from the top down (a valid sequence: no gap, no overlap), with the
// line each came from, whether its bulk density was estimated, and its clay (NaN when not given).
struct Profile {
  std::string id, mine_id, land_use, date;
  std::vector<carbon::SoilHorizon> horizons;
  std::vector<std::size_t> lines;
  std::vector<bool> bd_estimated;
  std::vector<double> clay_pct;

  // The class of `by` this profile belongs to (its land use or its date).
  const std::string& group(CompareBy by) const { return by == CompareBy::date ? date : land_use; }
};

struct ProfileSet {
  std::vector<Profile> profiles;  // in order of first appearance in the table
  bool has_mines = false;         // the table has a mine_id column
  std::size_t horizon_rows = 0;   // rows read, zero-thickness rows included
  std::size_t bd_estimated = 0;   // horizons whose bulk density came from params.bd_ptf
};

// Reads the profile table (columns: assess/soil.h). SOC is converted to g/kg (soc_pct × 10);
// a missing bulk density is estimated by params.bd_ptf or is an error; missing coarse fragments
// are 0 (warning); zero-thickness horizons are dropped (warning). Throws DataError naming
// file:line and profile for a bad value, a profile whose rows disagree on mine, land use or date,
// overlapping horizons or gaps, or an empty table.
ProfileSet read_profiles(const CsvText& csv, const SoilParams& params, ProblemList& warnings);

// One row of the areas table.
struct AreaRow {
  std::string mine_id, land_use;
  double area_ha = 0.0;
};

// Reads the areas table (mine_id, land_use, area_ha). Throws DataError for an area that is not a
// number >= 0 or a mine and land use given twice.
std::vector<AreaRow> read_areas(const CsvText& csv);

// Every mine of `areas` (the [soil] areas table, read from `areas_file`) with land use
// `land_use`, in table order, each with its area there: the mines of a scenario or of the IPCC
// trajectory given by areas_land_use. DataError naming the file, `who` ("soil scenario 'x'") and
// the land uses the table has when no mine has it.
std::vector<ScenarioMineRecord> mines_with_land_use(const std::vector<AreaRow>& areas,
                                                    const std::string& land_use,
                                                    const std::string& who,
                                                    const std::string& areas_file);

// The horizons of every profile as records, with their fine earth and stock (carbon/soil_stock.h)
// and the bulk density's source (`bd_ptf` where it was estimated).
std::vector<HorizonRecord> horizon_records(const std::vector<Profile>& profiles,
                                           carbon::BulkDensityPtf bd_ptf);

}  // namespace minecarbon::assess::soil
