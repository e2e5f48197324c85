// The soil stage: SOC stocks of reconstructed and reference soils from measured profiles, IPCC
// Tier 1 stock changes through a sequence of land uses, and reclamation scenarios on RothC.
// The maths is in carbon/soil_stock.h, carbon/ipcc_soil.h and carbon/rothc_scenario.h; the steps
// in soil/ turn tables already read into those structs, check them row by row, and return typed
// records (soil/soil_records.h); soil/soil_tables.h lays them out as the published tables.
// Formulas, options and outputs: docs/soil.md.
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

#include "minecarbon/assess/rothc_readers.h"
#include "minecarbon/assess/soil/soil_records.h"
#include "minecarbon/carbon/ipcc_soil.h"
#include "minecarbon/carbon/rothc_scenario.h"
#include "minecarbon/carbon/soil_stock.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

/// "0-30" ↔ {0, 30} (cm): top >= 0, bottom > top.
OptionCodec<carbon::DepthInterval> depth_interval_codec();

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
  /// (two sampling times); one of kCompareByNames.
  std::string compare_by = "land_use";
  /// Also compare at the reference's fine-earth mass (equivalent soil mass).
  bool esm = true;

  /// The [soil] keys and `minecarbon soil` flags of these parameters.
  static const OptionTable<SoilParams>& options();
  /// Every range and choice, and the rules between options; throws OptionError naming the key.
  void validate() const;
  /// compare_by as its enum; throws OptionError when it names no column of kCompareByNames.
  CompareBy grouping() const;
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

  /// The keys of one [[soil.ipcc.states]] table.
  static const OptionTable<IpccStateSpec>& options();
};

struct SoilIpccSpec {
  std::string climate;
  std::string soil_type;
  std::optional<double> soc_ref_tC_ha;
  int last_year = 0;
  int transition_years = carbon::kIpccTransitionYears;
  std::optional<double> initial_soc_tC_ha;
  double area_ha = 0.0;  ///< > 0: totals in t C
  /// The mine the trajectory is of (needs area_ha): its yearly stock change × area_ha enters the
  /// balance as that mine's soil sequestration, as a [[soil.scenarios]] with mine_id does.
  std::string mine_id;
  /// Instead of mine_id and area_ha: every mine of the [soil] areas table with this land use, on
  /// its area there (as [[soil.scenarios]] areas_land_use).
  std::string areas_land_use;
  std::vector<IpccStateSpec> states;

  /// The keys of [soil.ipcc] (the states are read with IpccStateSpec::options()).
  static const OptionTable<SoilIpccSpec>& options();
  /// The ranges of the spec and of every state, and the rules between mine_id, area_ha and
  /// areas_land_use; throws OptionError (stage "soil.ipcc" or "soil.ipcc.states[n]").
  void validate() const;
  /// The trajectory is attributed to one or more mines (mine_id or areas_land_use).
  bool has_mines() const { return !mine_id.empty() || !areas_land_use.empty(); }
};

/// The rules between [soil.ipcc] and the rest of the stage: areas_land_use needs the [soil] areas
/// table, and a trajectory attributed to mines enters the balance as the soil scenario named
/// kIpccScenarioName, so no [[soil.scenarios]] may have that name. Throws OptionError naming the
/// key (stage "soil.ipcc" or "soil.scenarios[n]").
void check_ipcc_against_stage(const SoilIpccSpec& ipcc, bool has_areas_table,
                              const std::vector<carbon::ReclamationScenario>& scenarios);

/// One [[soil.scenarios.amendments]] table: the amendment and its optional pool split (all four
/// fractions, 0 when one is given and another not).
struct AmendmentSpec {
  carbon::Amendment amendment;
  std::optional<double> dpm_frac, rpm_frac, bio_frac, hum_frac;
  carbon::Amendment to_amendment() const;
  static AmendmentSpec of(const carbon::Amendment& amendment);
  static const OptionTable<AmendmentSpec>& options();
};

/// The keys of one [[soil.scenarios]] table (its site keys are rothc_site_options()), and of its
/// [[…phases]] and [[…biochar]] tables.
const OptionTable<carbon::ReclamationScenario>& reclamation_scenario_options();
const OptionTable<carbon::VegetationPhase>& vegetation_phase_options();
const OptionTable<carbon::BiocharAddition>& biochar_addition_options();

/// The ranges of one scenario and its phases, amendments and biochar, then the rules between
/// them that need no climate (carbon::scenario_problem on a probe climate). Throws OptionError
/// with stage "soil.scenarios[<index>]…".
void validate_scenario(const carbon::ReclamationScenario& scenario, std::size_t index);

/// Every option of one scenario and of its phases, amendments and biochar, for the summary.
nlohmann::json scenario_json(const carbon::ReclamationScenario& scenario);

struct SoilInputs {
  std::optional<CsvText> profiles;
  std::optional<CsvText> areas;  ///< mine_id, land_use, area_ha
  std::optional<SoilIpccSpec> ipcc;
  carbon::IpccTables ipcc_tables;
  std::vector<carbon::ReclamationScenario> scenarios;
};

// What run_soil computed, as typed records (soil/soil_records.h); soil/soil_tables.h lays them
// out as the published tables. A part the inputs did not ask for is empty.
struct SoilResult {
  std::vector<HorizonRecord> horizons;
  std::vector<ProfileStockRecord> profile_stocks;   // profile (outer) × interval
  std::vector<LandUseStockRecord> land_use_stocks;  // land use (outer) × interval
  std::vector<MineStockRecord> mine_stocks;  // mine (outer) × interval; only with a mine_id column
  std::vector<ComparisonRecord> comparisons;  // only with a reference
  SoilIpccResult ipcc;
  std::vector<ScenarioRecord> scenarios;  // in the order given
  nlohmann::json summary;
  // Non-fatal problems, each with a code (profiles_too_shallow_for_interval, bulk_density_from_ptf,
  // …): the first 50 listed, all counted; pipeline::record_warnings writes them.
  ProblemList warnings;
};

/// Runs everything the inputs ask for, in named steps (soil/README.md): profiles → horizons →
/// interval stocks and ESM → land-use and mine totals → comparison; IPCC states and trajectory;
/// RothC scenarios (in parallel, results in input order). Checks `params` first
/// (SoilParams::validate). Throws DataError (file:line …) for bad rows, ConfigError (OptionError)
/// for bad parameters.
SoilResult run_soil(const SoilParams& params, const SoilInputs& inputs, const RunContext& context);

}  // namespace minecarbon::assess
