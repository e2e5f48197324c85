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

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "minecarbon/assess/rothc_readers.h"
#include "minecarbon/carbon/ipcc_soil.h"
#include "minecarbon/carbon/rothc_scenario.h"
#include "minecarbon/carbon/soil_stock.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/table.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

enum class StockMethod { proportional, spline };
/// The one name table of each enum the soil stage reads: parsing, printing and the choices
/// listed in the docs all come from it.
inline constexpr std::array<std::pair<StockMethod, const char*>, 2> kStockMethodNames = {
    {{StockMethod::proportional, "proportional"}, {StockMethod::spline, "spline"}}};
inline constexpr std::array<std::pair<carbon::BulkDensityPtf, const char*>, 2>
    kBulkDensityPtfNames = {
        {{carbon::BulkDensityPtf::none, "none"}, {carbon::BulkDensityPtf::song2005, "song2005"}}};
inline constexpr std::array<std::pair<carbon::InitialSoil, const char*>, 2> kInitialSoilNames = {
    {{carbon::InitialSoil::replaced_topsoil, "replaced_topsoil"},
     {carbon::InitialSoil::bare_spoil, "bare_spoil"}}};
inline constexpr std::array<std::pair<carbon::AmendmentKind, const char*>, 4> kAmendmentKindNames =
    {{{carbon::AmendmentKind::manure, "manure"},
      {carbon::AmendmentKind::compost, "compost"},
      {carbon::AmendmentKind::sewage_sludge, "sewage_sludge"},
      {carbon::AmendmentKind::other, "other"}}};
std::string_view to_string(StockMethod method);
bool parse_stock_method(std::string_view text, StockMethod& method);

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
  /// (two sampling times).
  std::string compare_by = "land_use";
  /// Also compare at the reference's fine-earth mass (equivalent soil mass).
  bool esm = true;

  /// The [soil] keys and `minecarbon soil` flags of these parameters.
  static const OptionTable<SoilParams>& options();
  /// Every range and choice, and the rules between options; throws OptionError naming the key.
  void validate() const;
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
  std::vector<IpccStateSpec> states;

  /// The keys of [soil.ipcc] (the states are read with IpccStateSpec::options()).
  static const OptionTable<SoilIpccSpec>& options();
  /// The ranges of the spec and of every state; throws OptionError (stage "soil.ipcc" or
  /// "soil.ipcc.states[n]").
  void validate() const;
};

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
  // Non-fatal problems, each with a code (profiles_too_shallow_for_interval, bulk_density_from_ptf,
  // …): the first 50 listed, all counted; pipeline::record_warnings writes them.
  ProblemList warnings;
  /// The tables that have rows, for the writers.
  std::vector<const Table*> tables() const;
};

/// Runs everything the inputs ask for. Throws DataError (file:line …) for bad rows, ConfigError
/// for bad parameters.
SoilResult run_soil(const SoilParams& params, const SoilInputs& inputs, const RunContext& context);

}  // namespace minecarbon::assess
