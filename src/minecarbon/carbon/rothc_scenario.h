// Reclamation scenarios on RothC-26.3 (rothc.h): where the soil starts (replaced topsoil or bare
// spoil), what vegetation grows year by year (plant input, DPM/RPM ratio, bare years), which
// organic amendments and biochar go on when; and a batch driver for many sites at once.
//
// Each month is the official step (step_month): a, SMD and b, c, decomposition, then this month's
// inputs. Inputs of a month:
//   plant C   = P_phase · share_m             split DPM:RPM by the phase's DPM/RPM ratio
//   manure C  = the official FYM split          0.49 DPM, 0.49 RPM, 0.02 HUM
//   other amendments (compost, sewage sludge, …) = C · (f_DPM, f_RPM, f_BIO, f_HUM), fractions
//             the user gives (no default has a confirmed source), added after decomposition
//             exactly like FYM, with new C at the month's 14C activity
//   biochar   = the biochar pool of rothc.h (decays at RothCSite::biochar_rate_per_yr, 0 = inert)
//
// Starting states (mine soils are not at equilibrium, so the start matters most):
//   replaced_topsoil: the stripped topsoil keeps the pool structure of the soil it came from.
//     Its measured SOC fixes the plant input of the former vegetation by the inverse mode
//     (plant_input_for_equilibrium_soc, exact equilibrium under the scenario's climate and the
//     former DPM/RPM ratio); the pools are that equilibrium, scaled by (1 − stockpile_loss_frac)
//     for the active pools (losses while stripped and stockpiled). IOM as given, or Falloon.
//   bare_spoil: overburden with little organic C; its measured C is split into IOM
//     (spoil_inert_frac, default 1: geogenic and coal-derived C treated as inert) and HUM (the
//     rest). DPM, RPM, BIO start at 0.
//
// Outputs: monthly records (as the official month_results) and, per year, the December SOC, its
// change from the previous December (the annual sequestration; CO2e = ×44/12) and the year's
// inputs.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/carbon/rothc.h"

namespace minecarbon::carbon {

/// How an organic amendment's C is split among the pools; the four fractions are >= 0 and sum
/// to 1 (within 1e-6).
struct AmendmentSplit {
  double dpm_frac = 0.0;
  double rpm_frac = 0.0;
  double bio_frac = 0.0;
  double hum_frac = 0.0;
};

/// Kinds of amendment. manure uses the official FYM split; the others need a split from the
/// user (from a calibration of RothC for that material, e.g. Peltre et al. 2012).
enum class AmendmentKind { manure, compost, sewage_sludge, other };
std::string_view to_string(AmendmentKind kind);
bool parse_amendment_kind(std::string_view text, AmendmentKind& kind);
std::string amendment_kind_names();

struct Amendment {
  int year = 0;
  int month = 1;              ///< 1..12
  double carbon_tC_ha = 0.0;  ///< C applied, t C/ha (>= 0)
  AmendmentKind kind = AmendmentKind::manure;
  std::optional<AmendmentSplit> split;  ///< required unless kind == manure
};

struct BiocharAddition {
  int year = 0;
  int month = 1;
  double carbon_tC_ha = 0.0;
};

/// Vegetation from `first_year` until the next phase. `bare` phases have no plant input and
/// plant cover 0 (decomposition not retarded, the soil may dry to the bare limit).
struct VegetationPhase {
  int first_year = 0;
  std::string label;
  double plant_input_tC_ha_yr = 0.0;  ///< yearly plant C to the soil (litter + roots), >= 0
  double dpm_rpm_ratio = 1.44;        ///< 1.44 crops/improved grass, 0.67 grass/scrub, 0.25 wood
  bool bare = false;
  /// How the yearly input is spread over the months; 12 values >= 0 summing to > 0, rescaled
  /// to 1. Default: evenly (perennial vegetation sheds litter all year).
  std::array<double, 12> input_share = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  /// Plant cover by month (1 vegetated, 0 bare, e.g. after a harvest); ignored when `bare`.
  std::array<int, 12> cover = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
};

enum class InitialSoil { replaced_topsoil, bare_spoil };
std::string_view to_string(InitialSoil kind);
bool parse_initial_soil(std::string_view text, InitialSoil& kind);

struct ScenarioStart {
  InitialSoil kind = InitialSoil::bare_spoil;
  /// replaced_topsoil: measured SOC of the replaced layer (depth RothCSite::depth_cm), t C/ha.
  /// bare_spoil: measured C of the spoil layer, t C/ha (0 allowed).
  double soc_tC_ha = 0.0;
  /// replaced_topsoil: DPM/RPM of the vegetation the topsoil formed under (0.67 grassland).
  double former_dpm_rpm_ratio = 0.67;
  /// replaced_topsoil: monthly pattern of that vegetation's input (rescaled; default even) and
  /// its plant cover by month (1 vegetated, 0 bare; default all 1).
  std::array<double, 12> former_input_share = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::array<int, 12> former_cover = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  /// replaced_topsoil: fraction of DPM, RPM, BIO and HUM lost in stripping and stockpiling.
  double stockpile_loss_frac = 0.0;
  /// replaced_topsoil: IOM = 0.049·SOC^1.139 (Falloon et al. 1998) instead of site.iom_tC_ha.
  bool iom_from_falloon = true;
  /// bare_spoil: share of the spoil's C that is inert (IOM); the rest starts as HUM.
  double spoil_inert_frac = 1.0;
};

/// A scenario. The climate is either 12 rows (a climatology, repeated every year) or 12 rows per
/// simulated year; only temp_C, rain_mm, pan_evap_mm and modern_pct of those rows are used.
struct ReclamationScenario {
  std::string name;
  std::string mine_id;   ///< optional: totals per mine
  double area_ha = 0.0;  ///< optional: > 0 gives totals in t C
  /// optional, instead of mine_id and area_ha: the scenario applies to every mine of the soil
  /// stage's areas table with this land use, on that mine's area (assess/soil.h). RothC runs
  /// once: its per-hectare result is the same for every mine.
  std::string areas_land_use;
  RothCSite site;
  std::vector<RothCMonth> climate;  ///< 12 or 12·years rows
  int first_year = 2020;
  int years = 30;
  ScenarioStart start;
  std::vector<VegetationPhase> phases;  ///< by first_year; the first must start at first_year
  std::vector<Amendment> amendments;
  std::vector<BiocharAddition> biochar;
};

struct ScenarioYear {
  int year = 0;
  std::string phase;
  RothCPools pools;                  ///< December
  double soc_tC_ha = 0.0;            ///< December SOC
  double change_tC_ha_yr = 0.0;      ///< SOC(Dec) − SOC(previous Dec or start): sequestration
  double plant_input_tC_ha = 0.0;    ///< C added this year by plants
  double amendment_tC_ha = 0.0;      ///< by organic amendments (manure included)
  double biochar_input_tC_ha = 0.0;  ///< by biochar
  double co2_tC_ha = 0.0;            ///< C respired this year
};

struct ScenarioResult {
  RothCState start;                        ///< state at the start (1 January of first_year)
  double former_plant_input_tC_ha_yr = 0;  ///< replaced_topsoil: the inverse-mode input; else 0
  std::vector<RothCMonthRecord> monthly;
  std::vector<ScenarioYear> yearly;
};

/// What is wrong with the scenario, or "" (phases out of order or not starting at first_year,
/// negative inputs, bare phases with input, a split that does not sum to 1, an amendment
/// without a split, dates outside the run, climate rows not 12 or 12·years, bad fractions).
std::string scenario_problem(const ReclamationScenario& scenario);

/// Runs the scenario. Throws DataError with scenario_problem's message, or the core's.
ScenarioResult run_reclamation_scenario(const ReclamationScenario& scenario);

/// Checks a monthly series (labels year, month): a whole number of years, every row's month
/// following the previous one (12 → 1 with the year + 1), starting in January. Returns "" or
/// the problem, naming the row (1-based) and what was expected. With `spin_up_year_first` the
/// first 12 rows are the spin-up year, whose label the official input file sets freely (1,
/// then 1939 …): the year may jump at row 13.
std::string monthly_series_problem(std::span<const RothCMonth> months,
                                   bool spin_up_year_first = false);

// ---------------------------------------------------------------------------------------------
// Batch: many sites, each with its own soil and 12-month climatology, in parallel.

/// One site of a batch. `baseline` rows define the spin-up equilibrium (start = equilibrium);
/// `scenario` rows are run for `years` years from there (or from IOM alone, start = bare).
struct BatchSite {
  std::string id;
  RothCSite site;
  std::array<RothCMonth, 12> baseline;
  std::array<RothCMonth, 12> scenario;
  bool start_bare = false;  ///< true: start from IOM only (bare spoil), no spin-up
};

struct BatchResult {
  std::vector<double> soc_start_tC_ha;  ///< per site
  std::vector<double> soc_end_tC_ha;    ///< per site, December of the last year
  /// [site][year] December SOC when asked for, else empty.
  std::vector<double> soc_yearly_tC_ha;
};

/// Runs every site with the batch engine (exact spin-up), in chunks of `chunk_cells` sites on
/// `threads` workers. Each chunk writes only its own slots, so the result does not depend on
/// the thread count.
BatchResult run_site_batch(std::span<const BatchSite> sites, int years, bool keep_yearly,
                           int threads, std::size_t chunk_cells = 4096);

}  // namespace minecarbon::carbon
