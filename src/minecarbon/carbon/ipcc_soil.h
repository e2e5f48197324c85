// IPCC Tier 1 soil organic carbon of mineral soils, 0–30 cm, and its change through a sequence
// of land-use and management states (e.g. bare spoil → grassland → forest).
//
//   SOC = SOC_REF · F_LU · F_MG · F_I                       (IPCC 2006 Vol. 4 Ch. 2, eq. 2.25)
//   ΔC  = (SOC_0 − SOC_(0−T)) / D,  D = 20 years by default  (eq. 2.25; D: 2019 Refinement Ch. 4)
//
//   SOC_REF  reference stock under native vegetation, t C/ha (Table 2.3, by climate and soil)
//   F_LU     land-use factor, F_MG management factor, F_I input factor (dimensionless; Tables
//            5.5 cropland, 6.2 grassland)
//   D        time the stock takes to move to the new equilibrium, yr (linear)
//
// Sources and status of every number: docs/carbon_methods.md §3.3–3.4. The shipped
// tables (data/ipcc_soil_soc_ref.csv, data/ipcc_soil_factors.csv) hold only the rows that note
// marks as confirmed; every other factor must come from the user, and asking for one that is in
// no table is a DataError that names the factor, the land use, the level and the files searched.
//
// Mined land: IPCC gives exposed bedrock a stock of 0 (2019 Refinement Ch. 4) and no Tier 1
// factors for mining (Other Land); give such states a fixed stock (`IpccState::soc_eq_tC_ha`
// from a measurement, or 0) and let the restoration states follow with their factors.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/core/csv.h"

namespace minecarbon::carbon {

/// Default time dependence of the stock-change factors, yr (IPCC 2006/2019: 20 years).
inline constexpr int kIpccTransitionYears = 20;

/// An IPCC climate region with the temperature and moisture regimes the factor tables use.
/// Names: boreal, cold_temperate_dry, cold_temperate_moist, warm_temperate_dry,
/// warm_temperate_moist, tropical_dry, tropical_moist, tropical_wet, tropical_montane.
/// Temperature regimes: temperate_boreal, tropical, tropical_montane. Moisture: dry, moist, wet
/// (boreal counts as moist; tropical montane as moist).
struct IpccClimate {
  std::string name;
  std::string temperature_regime;
  std::string moisture_regime;
};
/// False if `name` is not one of the names above.
bool find_ipcc_climate(std::string_view name, IpccClimate& climate);
std::string ipcc_climate_names();

/// One row of a stock-change factor table. `temperature_regime` and `moisture_regime` may be
/// "all". `origin` is "file:line" for messages.
struct IpccFactorRow {
  std::string land_use;  ///< cropland, grassland, … (as the user names them)
  std::string factor;    ///< F_LU, F_MG or F_I
  std::string level;     ///< e.g. long_term_cultivated, no_till, high_with_manure, all
  std::string temperature_regime;
  std::string moisture_regime;
  double value = 1.0;
  std::string source;
  std::string origin;
};

/// One row of a reference-stock table.
struct IpccSocRefRow {
  std::string climate;    ///< a climate name (see IpccClimate)
  std::string soil_type;  ///< HAC, LAC, sandy, spodic, volcanic, …
  double soc_ref_tC_ha = 0.0;
  std::string source;
  std::string origin;
};

/// Every table in force, the shipped table's rows first, a user's rows replacing shipped rows with
/// the same key (docs/factor_tables.md), with the file names for messages. Between two rows of
/// different keys that match a lookup equally well, the first in this order is taken.
struct IpccTables {
  std::vector<IpccFactorRow> factors;
  std::vector<IpccSocRefRow> soc_ref;
  std::vector<std::string> factor_files;
  std::vector<std::string> soc_ref_files;
};

/// Reads a factor table: columns land_use, factor, level, temperature_regime, moisture_regime,
/// value, source (others ignored). DataError "file:line: …" for a missing column, an empty
/// source, a factor not F_LU/F_MG/F_I, or a value not > 0.
std::vector<IpccFactorRow> parse_ipcc_factor_table(const CsvText& csv);
/// Reads a reference-stock table: columns climate, soil_type, soc_ref_tC_ha, source.
std::vector<IpccSocRefRow> parse_ipcc_soc_ref_table(const CsvText& csv);

/// The factor for (factor, land use, level, climate): the first row that matches, where a
/// row's regime "all" matches any climate and an exact regime beats "all". Throws DataError
/// naming what is missing and the files searched, with how to add it.
const IpccFactorRow& find_ipcc_factor(const IpccTables& tables, std::string_view factor,
                                      std::string_view land_use, std::string_view level,
                                      const IpccClimate& climate);
/// SOC_REF for (climate, soil type); DataError when missing.
const IpccSocRefRow& find_ipcc_soc_ref(const IpccTables& tables, std::string_view climate,
                                       std::string_view soil_type);

/// SOC = SOC_REF · F_LU · F_MG · F_I, t C/ha.
double ipcc_soc_tC_ha(double soc_ref_tC_ha, double f_lu, double f_mg, double f_i);

/// A state from `start_year` on, with the equilibrium stock it moves to.
struct IpccState {
  std::string label;
  int start_year = 0;
  double soc_eq_tC_ha = 0.0;
};

/// One year of the trajectory: the stock at the end of the year and its change in that year.
struct IpccYear {
  int year = 0;
  std::string state;
  double soc_tC_ha = 0.0;
  double change_tC_ha_yr = 0.0;
  double target_tC_ha = 0.0;  ///< equilibrium stock of the state in force
};

/// Linear transitions: when state k starts in year t_k, the stock moves from its value at the
/// end of year t_k − 1 (S_k) towards the state's equilibrium E_k by (E_k − S_k)/D per year
/// for D years, then stays at E_k; a new state starting earlier interrupts the transition and
/// starts its own from wherever the stock is. So with one change this is exactly eq. 2.25's
/// ΔC = (SOC_0 − SOC_(0−T))/D.
///   SOC(y) = S_k + (E_k − S_k) · min(y − t_k + 1, D)/D
/// Years run from the first state's start to `last_year`. `initial_soc_tC_ha` is the stock
/// before the first state (NaN: the first state's equilibrium, i.e. no transition). States
/// must be in increasing start-year order (DataError otherwise); D >= 1.
std::vector<IpccYear> ipcc_soc_trajectory(std::span<const IpccState> states, int last_year,
                                          double initial_soc_tC_ha,
                                          int transition_years = kIpccTransitionYears);

}  // namespace minecarbon::carbon
