// The factor tables of the emissions stage, parsed and merged (shipped rows first, then the
// user's, whose rows replace shipped rows of the same key: assess/factor_table.h).
//
//   data/emission_factors_fuel.csv   key fuel + subtype: ncv_GJ_per_t, density_kg_per_m3,
//                                    co2_kg_per_TJ, ch4_kg_per_TJ, n2o_kg_per_TJ
//   data/fugitive_coal_surface.csv   key class (low, average, high): ef_mining_m3_per_t,
//                                    ef_post_mining_m3_per_t
//   data/grid_factors_china.csv      key region + year: co2_t_per_MWh
//   data/gwp.csv                     key set: ch4_fossil, ch4_non_fossil, n2o
// Every row keeps where it came from (`cite`: data/<file>:<line> or the user's file:line) and its
// `source` text, which the results report. Keys are matched case-insensitively.
// `land_cleared` rows read the landuse stage's pool table (carbon/landuse_pools.h), the same
// reader and the same checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/carbon/emission_factors.h"
#include "minecarbon/carbon/gwp.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::assess::emissions {

struct FactorCite {
  std::string cite;     // data/grid_factors_china.csv:19 or my_grid.csv:3
  std::string source;   // the row's `source` text (may be empty in a user's row)
  std::string version;  // `table_version` when the table has one
};

struct FuelFactorRow {
  std::string fuel, subtype;  // lower case
  carbon::FuelFactors factors;
  FactorCite cite;
};

struct SurfaceCoalRow {
  carbon::SurfaceCoalClass cls = carbon::SurfaceCoalClass::average;
  carbon::SurfaceCoalFactors factors;
  FactorCite cite;
};

struct GridFactorRow {
  std::string region;  // as written (CN-SX, north)
  std::string key;     // lower case, for matching
  std::int32_t year = 0;
  double co2_t_per_MWh = 0.0;
  FactorCite cite;
};

struct GwpRow {
  std::string set;  // as written (AR5)
  carbon::GwpValues values;
  FactorCite cite;
};

struct EmissionFactorTables {
  std::vector<FuelFactorRow> fuel;
  std::vector<SurfaceCoalRow> surface_coal;
  std::vector<GridFactorRow> grid;  // sorted by key, then year
  std::vector<GwpRow> gwp;
  std::vector<std::string> files;  // every table file read, shipped first

  // The GWP row of `set` (case-insensitive), or nullptr.
  const GwpRow* find_gwp(const std::string& set) const;
  std::string gwp_sets_text() const;  // "SAR, AR4, AR5, AR6"
};

// Each kind as read: the shipped table (when used) first, then the user's.
struct FactorTableTexts {
  std::vector<CsvText> fuel;
  std::vector<CsvText> surface_coal;
  std::vector<CsvText> grid;
  std::vector<CsvText> gwp;
};

// Parses and merges; DataError naming file:line and column for a missing column, a bad number, a
// negative factor, an unknown coal class, a duplicate key within one file.
EmissionFactorTables parse_factor_tables(const FactorTableTexts& texts);

}  // namespace minecarbon::assess::emissions
