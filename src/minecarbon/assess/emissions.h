// The emissions stage: CO2, CH4, N2O and CO2e of the mining process, per activity row and per mine
// and year.
//
//   activity.csv (mine_id, year, source, amount, unit, …)   ─┐
//   factor tables (data/*.csv + user rows)                  ─┼─► per row: t CO2, CH4, N2O with the
//   pool table (land_cleared only)                          ─┘   factors used and their sources
//                                                                (carbon/emission_factors.h)
//        │
//        ├─► CO2e with one GWP-100 set (carbon/gwp.h; AR6 uses fossil CH4 29.8)
//        ├─► recovered CH4 checked against the mine-year's fugitive CH4
//        └─► mine × year × source, mine × year × gas, mine × year (with the disturbed-area
//            estimate from surface coal), mine totals
//
// Sign: emissions to the atmosphere are positive; the only negative masses are the CH4 of
// `ch4_recovered` rows (methane destroyed that the coal rows counted as fugitive).
// Every data problem stops the run before anything is returned (DataError, exit 3) with the file,
// line, field, what was expected and what to do; a factor found nowhere names the mine, year,
// source, the missing factor and the table to add it to. Methods and sources: docs/emissions.md.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/emissions/activity.h"
#include "minecarbon/assess/emissions/factor_tables.h"
#include "minecarbon/carbon/gwp.h"
#include "minecarbon/carbon/landuse_pools.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

enum class Gas : std::uint8_t { co2, ch4, n2o };
std::string_view to_string(Gas gas);

struct EmissionsParams {
  // GWP-100 set of the CO2e: SAR, AR4, AR5 (default: the UNFCCC reporting set since 2015) or AR6
  // (or a set added in your GWP table). Stored in the summary.
  std::string gwp = "AR5";
  // Share of recovered methane burnt (flare or use) when a ch4_recovered row gives none; the
  // unburnt rest still escapes. 0.98 is the AMEE flaring default.
  double flare_efficiency = 0.98;
  // Share of the soil carbon of cleared land emitted (the vegetation and dead pools are always
  // lost); 0 keeps soil out, the seed study reports losses of up to 0.8.
  double clearing_soc_loss_fraction = 0.0;
  // Land disturbed per 10⁴ t of surface (open-pit) coal, ha: China's national open-pit average
  // 0.22 (0.12 excavated + 0.10 external dump). Only for the disturbed_area_est_ha estimate.
  double disturbed_ha_per_10kt_coal = 0.22;

  static const OptionTable<EmissionsParams>& options();
  // check_options plus nothing else today; throws OptionError("emissions", key, problem).
  void validate() const;
};

struct EmissionsInputs {
  emissions::ActivityTable activity;
  emissions::EmissionFactorTables factors;
  std::optional<carbon::LandusePoolTable> pools;  // needed by land_cleared rows only
};

// One activity row as computed (in file order). For every gas, mass = amount × ef_*_t_per_unit.
// Laid out without padding (96 bytes): the stage keeps one per activity row, millions at scale.
struct EmissionRowRecord {
  std::uint32_t line = 0;
  std::uint32_t mine = 0;  // index into EmissionsResult::mine_ids
  std::int32_t year = 0;
  std::uint32_t subtype = 0, region = 0, note = 0;  // indices into EmissionsResult::labels
  std::uint32_t factor = 0;                         // index into EmissionsResult::factors_used
  EmissionSource source = EmissionSource::diesel;
  carbon::ActivityUnit unit = carbon::ActivityUnit::t;
  double amount = 0.0;
  double ef_co2_t_per_unit = 0.0, ef_ch4_t_per_unit = 0.0, ef_n2o_t_per_unit = 0.0;
  double co2_t = 0.0, ch4_t = 0.0, n2o_t = 0.0, co2e_t = 0.0;
};

// What a row's factors were: the class or key looked up, the year of a grid factor, and the rows
// of the factor tables (or the row's own ef_* columns) they came from.
struct FactorUse {
  std::string factor;  // "diesel offroad", "surface average", "grid CN-SX 2022", "pools lucode 3"
  std::optional<std::int32_t> factor_year;  // electricity: the grid year used
  std::string region;                       // electricity: the region as the table writes it
  std::string cite;                         // data/…csv:line; "activity ef_co2_t_per_unit"
  std::string source;                       // the table rows' source texts
  std::size_t rows = 0;                     // activity rows computed with these factors
};

// The contract with balance (INTERFACES11: `mine_year_source`): one row per mine, year and source.
// The mine is an index into EmissionsResult::mine_ids (the writers and the balance adapter print
// the id): a string per row was a third of the record's 72 bytes, and 5.4 M rows at 45,000 mines
// × 30 years × 4 sources were the stage's second-largest allocation (48 bytes now).
struct MineYearSourceRecord {
  std::uint32_t mine = 0;
  std::int32_t year = 0;
  EmissionSource source = EmissionSource::diesel;
  double co2_t = 0.0, ch4_t = 0.0, n2o_t = 0.0, co2e_t = 0.0;
};

// One row per mine, year and gas: its mass, the GWP applied and the CO2e. The mine is an index
// into EmissionsResult::mine_ids (the writers print the id). Derived from the mine-years and the
// GWP set by mine_year_gas_records() when asked (the writer): three records per mine-year held
// in the result were 162 MB at 45,000 mines × 30 years that nothing but the table reads.
struct MineYearGasRecord {
  std::uint32_t mine = 0;
  std::int32_t year = 0;
  Gas gas = Gas::co2;
  double mass_t = 0.0;
  double gwp = 1.0;
  double co2e_t = 0.0;
};

// One row per mine and year: the gases summed over sources, and the area disturbed estimated from
// the surface coal mined (an estimate from a national average, never a measured area). `mine`
// indexes EmissionsResult::mine_ids.
struct MineYearEmissionRecord {
  std::uint32_t mine = 0;
  std::int32_t year = 0;
  double co2_t = 0.0, ch4_t = 0.0, n2o_t = 0.0, co2e_t = 0.0;
  double coal_surface_t = 0.0;
  double disturbed_area_est_ha = 0.0;
};

struct MineEmissionTotalRecord {
  std::string mine_id;
  std::int32_t first_year = 0, last_year = 0;
  std::int64_t n_years = 0;  // years with at least one activity row
  double co2_t = 0.0, ch4_t = 0.0, n2o_t = 0.0, co2e_t = 0.0;
  std::array<double, kEmissionSourceCount> co2e_t_by_source{};  // indexed by EmissionSource
  double coal_surface_t = 0.0;
  double disturbed_area_est_ha = 0.0;  // summed over the years: the cumulative estimate
};

struct EmissionsResult {
  EmissionsParams params;  // as used
  std::string gwp_set;     // as named in the GWP table
  carbon::GwpValues gwp;
  emissions::FactorCite gwp_cite;
  std::string activity_file;
  std::vector<std::string> mine_ids;  // in order of first appearance in the activity table
  std::vector<std::string> labels;    // interned subtype, region and note texts
  std::vector<FactorUse> factors_used;
  std::vector<EmissionRowRecord> rows;
  std::array<std::size_t, kEmissionSourceCount> rows_by_source{};  // indexed by EmissionSource
  // Sorted by mine (first appearance), year, source (enum order).
  std::vector<MineYearSourceRecord> mine_year_source;
  std::vector<MineYearEmissionRecord> mine_year;
  std::vector<MineEmissionTotalRecord> mine_totals;
  nlohmann::json summary;
  // Non-fatal: grid_year_fallback (a grid factor of an earlier year used, naming region and
  // years).
  ProblemList warnings;
};

// Computes every row, then aggregates. Throws OptionError for bad parameters or a GWP set missing
// from the table; DataError (exit 3) for missing factors (all of them listed), recovered methane
// above a mine-year's fugitive methane, land_cleared rows without a pool table or with a class
// missing from it.
EmissionsResult run_emissions(const EmissionsParams& params, const EmissionsInputs& inputs,
                              const RunContext& context);

// Mine × year × gas from result.mine_year: per mine-year CO2 (GWP 1), CH4 (the set's fossil CH4
// GWP) and N2O, each with co2e_t = GWP × mass_t; in mine_year's order, gases co2, ch4, n2o.
std::vector<MineYearGasRecord> mine_year_gas_records(const EmissionsResult& result);

// Throws OptionError("emissions", "gwp", …) listing the sets when params.gwp is not in `factors`.
void check_gwp_set(const EmissionsParams& params, const emissions::EmissionFactorTables& factors);

}  // namespace minecarbon::assess
