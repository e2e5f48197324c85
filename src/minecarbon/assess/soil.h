// The soil stage: SOC stocks of reconstructed and reference soils from measured profiles, IPCC
// Tier 1 stock changes through a sequence of land uses, and reclamation scenarios on RothC.
// The maths is in carbon/soil_stock.h, carbon/ipcc_soil.h and carbon/rothc_scenario.h; this file
// turns tables already read into those structs, checks them row by row, and assembles the result
// tables. Formulas, options and outputs: docs/soil.md.
//
// Profile table (CSV, one row per horizon):
//   profile_id, top_cm, bottom_cm                       required
//   soc_g_kg | soc_pct | soc (+ soc_unit)               organic C, unit declared by the name or
//                                                       by the soc_unit option
//   bd_g_cm3                                            bulk density (NA: pedotransfer if asked)
//   coarse_pct                                          coarse fragments, vol % (NA or absent: 0)
//   clay_pct, silt_pct, mine_id, land_use, date         optional
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "minecarbon/carbon/ipcc_soil.h"
#include "minecarbon/carbon/rothc_scenario.h"
#include "minecarbon/carbon/soil_stock.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/table.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

enum class StockMethod { proportional, spline };
std::string_view to_string(StockMethod method);
bool parse_stock_method(std::string_view text, StockMethod& method);

struct SoilParams {
  /// Unit of a column named `soc`: "g_kg" or "pct"; empty = the column name must say it.
  std::string soc_unit;
  /// Fixed depth intervals for the stocks; default 0–30 cm (IPCC) and 0–100 cm (deep layers).
  std::vector<carbon::DepthInterval> intervals = {{0, 30}, {0, 100}};
  /// proportional: each horizon contributes its share of thickness (exact for uniform
  /// horizons). spline: the equal-area spline of the carbon density, smoother where horizons
  /// are thick and contrasts large; both agree at horizon boundaries when λ = 0.
  StockMethod method = StockMethod::proportional;
  double spline_lambda = 0.1;  ///< Bishop et al. (1999) default; 0 reproduces every horizon
  /// Pedotransfer function for missing bulk density; none = a missing value is an error.
  carbon::BulkDensityPtf bd_ptf = carbon::BulkDensityPtf::none;
  /// Class (of `compare_by`) of the reference soil; empty = no comparison.
  std::string reference;
  /// Column that defines the compared groups: land_use (reclaimed vs reference soil) or date
  /// (two sampling times).
  std::string compare_by = "land_use";
  /// Also compare at the reference's fine-earth mass (equivalent soil mass).
  bool esm = true;
};

/// One land-use or management state of an IPCC sequence. Factors given here win over the tables;
/// `soc_tC_ha` fixes the stock (bare spoil, bedrock 0) instead of SOC_REF × factors.
struct IpccStateSpec {
  std::string label;
  int start_year = 0;
  std::string land_use;
  std::string lu_level = "all";
  std::string management;
  std::string input;
  std::optional<double> f_lu, f_mg, f_i, soc_tC_ha;
};

struct SoilIpccSpec {
  std::string climate;
  std::string soil_type;
  std::optional<double> soc_ref_tC_ha;
  int last_year = 0;
  int transition_years = carbon::kIpccTransitionYears;
  std::optional<double> initial_soc_tC_ha;
  double area_ha = 0.0;  ///< > 0: totals in t C
  std::vector<IpccStateSpec> states;
};

struct SoilInputs {
  std::optional<CsvText> profiles;
  std::optional<CsvText> areas;  ///< mine_id, land_use, area_ha
  std::optional<SoilIpccSpec> ipcc;
  carbon::IpccTables ipcc_tables;
  std::vector<carbon::ReclamationScenario> scenarios;
};

struct SoilResult {
  Table horizons{"horizons"};
  Table profile_stocks{"profile_stocks"};
  Table land_use_stocks{"land_use_stocks"};
  Table mine_stocks{"mine_stocks"};
  Table comparison{"comparison"};
  Table ipcc_states{"ipcc_states"};
  Table ipcc_trajectory{"ipcc_trajectory"};
  Table scenario_years{"scenario_years"};
  Table scenario_months{"scenario_months"};
  Table scenarios{"scenarios"};
  nlohmann::json summary;
  std::vector<std::string> warnings;
  /// The tables that have rows, for the writers.
  std::vector<const Table*> tables() const;
};

/// Runs everything the inputs ask for. Throws DataError (file:line …) for bad rows, ConfigError
/// for bad parameters.
SoilResult run_soil(const SoilParams& params, const SoilInputs& inputs, const RunContext& context);

/// A monthly climate or forcing table → RothC rows. Columns: month (1–12) and, when the series
/// spans several years, year; temp_C, rain_mm, pan_evap_mm required; modern_pct (100),
/// plant_input_tC_ha (0), fym_tC_ha (0), plant_cover (1), dpm_rpm_ratio (1.44), biochar_tC_ha
/// (0) optional. Checks every value (file:line) and the series (whole years, no missing month;
/// with `spin_up_year_first` the first 12 rows are a spin-up year with a free year label).
std::vector<carbon::RothCMonth> rothc_months_from_csv(const CsvText& csv,
                                                      bool spin_up_year_first = false);

/// Batch sites from a site table and a climate table (both CSV):
///   sites:   site_id, clay_pct, [depth_cm 23], [iom_tC_ha | soc_tC_ha (IOM by Falloon)],
///            [climate_id = site_id], plant_input_tC_ha_yr, [dpm_rpm_ratio 1.44],
///            [fym_tC_ha_yr 0], [baseline_plant_input_tC_ha_yr = plant input],
///            [baseline_dpm_rpm_ratio = dpm_rpm_ratio], [start: equilibrium | bare]
///   climate: climate_id, month, temp_C, rain_mm, pan_evap_mm, [plant_cover 1],
///            [input_share 1: monthly weights of the plant input]
/// Plant input and FYM are spread over the months by input_share.
std::vector<carbon::BatchSite> batch_sites_from_csv(const CsvText& sites, const CsvText& climate);

}  // namespace minecarbon::assess
