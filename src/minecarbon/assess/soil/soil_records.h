// The typed records of the soil stage: what run_soil computes, by named field. The published
// tables (soil_tables.h) are one view of these; a later stage (the balance) reads the fields,
// never a column looked up by name.
//
// Formulas: carbon/soil_stock.h (stocks, ESM, comparison), carbon/ipcc_soil.h (Tier 1),
// carbon/rothc_scenario.h (RothC scenarios); docs/soil.md.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "minecarbon/carbon/ipcc_soil.h"
#include "minecarbon/carbon/rothc_scenario.h"
#include "minecarbon/carbon/soil_stock.h"
#include "minecarbon/core/name_table.h"

namespace minecarbon::assess {

inline constexpr double kSoilNaN = std::numeric_limits<double>::quiet_NaN();

// How a stock between two depths is taken from the horizons (SoilParams::method).
enum class StockMethod { proportional, spline };
inline constexpr NameTable<StockMethod, 2> kStockMethodNames{{{
    {StockMethod::proportional, "proportional"},
    {StockMethod::spline, "spline"},
}}};

// The column of the profile table that defines the compared groups (SoilParams::compare_by).
enum class CompareBy { land_use, date };
inline constexpr NameTable<CompareBy, 2> kCompareByNames{{{
    {CompareBy::land_use, "land_use"},
    {CompareBy::date, "date"},
}}};

// The basis of a comparison: the same depth, or the same fine-earth mass as the reference
// (equivalent soil mass, Ellert & Bettany 1995).
enum class StockBasis { fixed_depth, equivalent_soil_mass };
inline constexpr NameTable<StockBasis, 2> kStockBasisNames{{{
    {StockBasis::fixed_depth, "fixed_depth"},
    {StockBasis::equivalent_soil_mass, "equivalent_soil_mass"},
}}};

// Whether a profile has a stock for an interval: a profile that ends above the interval's
// bottom has none (a 0–100 cm stock of a 72 cm profile is unknown, not the 0–72 cm stock).
enum class ProfileStockStatus { ok, profile_too_shallow };
inline constexpr NameTable<ProfileStockStatus, 2> kProfileStockStatusNames{{{
    {ProfileStockStatus::ok, "ok"},
    {ProfileStockStatus::profile_too_shallow, "profile_too_shallow"},
}}};

// The names of the carbon/ enums the soil stage reads from its options and prints.
inline constexpr NameTable<carbon::BulkDensityPtf, 2> kBulkDensityPtfNames{{{
    {carbon::BulkDensityPtf::none, "none"},
    {carbon::BulkDensityPtf::song2005, "song2005"},
}}};
inline constexpr NameTable<carbon::InitialSoil, 2> kInitialSoilNames{{{
    {carbon::InitialSoil::replaced_topsoil, "replaced_topsoil"},
    {carbon::InitialSoil::bare_spoil, "bare_spoil"},
}}};
inline constexpr NameTable<carbon::AmendmentKind, 4> kAmendmentKindNames{{{
    {carbon::AmendmentKind::manure, "manure"},
    {carbon::AmendmentKind::compost, "compost"},
    {carbon::AmendmentKind::sewage_sludge, "sewage_sludge"},
    {carbon::AmendmentKind::other, "other"},
}}};

// ---- profiles ----------------------------------------------------------------------------------

// One horizon as read (rows with no thickness dropped), in profile order (first appearance in
// the table) and, within a profile, from the top down.
struct HorizonRecord {
  std::string profile_id;
  std::string mine_id;          // "" when the table has no mine_id column
  std::string land_use;         // "all" when the table has no land_use column
  std::size_t line = 0;         // line of the profile table
  carbon::SoilHorizon horizon;  // depths (cm), SOC (g/kg), bulk density (g/cm³), coarse (vol %)
  // The pedotransfer function that estimated bd_g_cm3; none = measured.
  carbon::BulkDensityPtf bd_ptf = carbon::BulkDensityPtf::none;
  double clay_pct = kSoilNaN;          // NaN when not given
  double fine_earth_Mg_ha = kSoilNaN;  // BD · H · 100 · (1 − CF/100)
  double soc_stock_tC_ha = kSoilNaN;   // SOC · BD · H · (1 − CF/100) / 10

  bool bd_estimated() const { return bd_ptf != carbon::BulkDensityPtf::none; }
};

// The stock of one profile in one interval: at fixed depth, and at the pooled reference
// profiles' fine-earth mass (ESM; NaN without a reference, with esm = false, or when the profile
// holds less fine earth than that mass).
struct ProfileStockRecord {
  std::string profile_id, mine_id, land_use, date;
  carbon::DepthInterval interval;
  StockMethod method = StockMethod::proportional;
  double soc_stock_tC_ha = kSoilNaN;      // NaN when the profile is too shallow
  double esm_soc_stock_tC_ha = kSoilNaN;  // against the pooled reference mass
  double fine_earth_Mg_ha = kSoilNaN;     // fine earth within the interval
  int bd_estimated_horizons = 0;          // horizons in the interval whose BD is estimated
  bool spline_clipped = false;            // the spline dipped below 0 and was cut there
  ProfileStockStatus status = ProfileStockStatus::ok;
};

// ---- totals ------------------------------------------------------------------------------------

// Mean stock of a set of profiles in one interval (SE = sd/√n, NaN with one profile), and its
// total over an area.
struct AreaStock {
  carbon::DepthInterval interval;
  std::size_t n_profiles = 0;
  double soc_stock_tC_ha = kSoilNaN;
  double soc_stock_se_tC_ha = kSoilNaN;
  double area_ha = kSoilNaN;  // NaN when no area is known

  double soc_tC() const { return soc_stock_tC_ha * area_ha; }
  double soc_se_tC() const { return soc_stock_se_tC_ha * area_ha; }
};

// One land use (of the profile table, in first-appearance order) in one interval; the area is
// the sum of its rows in the areas table.
struct LandUseStockRecord {
  std::string land_use;
  AreaStock stock;
};

// One mine (of the profiles, then of the areas table) in one interval. Stratified (the areas
// table has rows for the mine): the area-weighted mean of its land uses, a land use without a
// profile on the mine taking the land use's mean over all mines; n_profiles counts the mine's
// own profiles. Otherwise the plain mean of the mine's profiles, without an area.
struct MineStockRecord {
  std::string mine_id;
  bool stratified = false;
  AreaStock stock;
};

// ---- comparison --------------------------------------------------------------------------------

// One group of compare_by against the reference group, in one scope, interval and basis:
// difference = mean − reference mean, its SE √(se² + se_ref²), recovery = 100 · mean / reference
// mean % (carbon::compare_stocks). Pooled over every profile first ("all"), then per mine that has
// both groups; the ESM basis uses the scope's own reference profiles.
struct ComparisonRecord {
  std::string mine_id;  // "all" for the pooled comparison
  CompareBy compare_by = CompareBy::land_use;
  std::string group;      // the class compared (a land use or a date)
  std::string reference;  // the reference class
  carbon::DepthInterval interval;
  StockBasis basis = StockBasis::fixed_depth;
  carbon::MeanSe stock;            // of the group
  carbon::MeanSe reference_stock;  // of the reference
  carbon::StockComparison comparison;
};

// ---- IPCC Tier 1 -------------------------------------------------------------------------------

// One mine of a scenario or of the IPCC trajectory given with areas_land_use: its area of that
// land use in the areas table.
struct ScenarioMineRecord {
  std::string mine_id;
  double area_ha = kSoilNaN;
};

// A factor and where it came from: "given in the project file", or the table row's source and
// file:line. NaN and "" for a state with a fixed stock.
struct IpccFactorValue {
  double value = kSoilNaN;
  std::string source;
};

// One state of the sequence: SOC_eq = SOC_REF · F_LU · F_MG · F_I, or a fixed stock.
struct IpccStateRecord {
  std::string state;  // its label
  int start_year = 0;
  std::string land_use;
  double soc_ref_tC_ha = kSoilNaN;  // NaN for a fixed stock
  std::string soc_ref_source;       // "" for a fixed stock
  IpccFactorValue f_lu, f_mg, f_i;
  double soc_eq_tC_ha = kSoilNaN;
  bool fixed_stock = false;  // soc_tC_ha given instead of SOC_REF × factors
};

// The name of the IPCC trajectory among a mine's soil scenarios in the balance (its
// soil_scenario choice and mine_summary's soil_scenario column): one soil basis per mine.
inline constexpr const char* kIpccScenarioName = "ipcc";

struct SoilIpccResult {
  std::vector<IpccStateRecord> states;
  std::vector<carbon::IpccYear> trajectory;  // one per year, first start_year to last_year
  double area_ha = kSoilNaN;                 // NaN when not given (area_ha = 0, or by mines)
  std::string mine_id;                       // "" when not given (or given by mines)
  // areas_land_use: every mine of the areas table with that land use, in table order, on its
  // area there; a mine's totals are per ha × its area_ha (ipcc_trajectory has a row per mine and
  // year, the balance a series per mine).
  std::vector<ScenarioMineRecord> mines;

  double soc_tC(const carbon::IpccYear& year) const { return year.soc_tC_ha * area_ha; }
  double change_tC_yr(const carbon::IpccYear& year) const { return year.change_tC_ha_yr * area_ha; }
};

// ---- RothC scenarios ---------------------------------------------------------------------------

// One simulated year of a scenario: the SOC gained that year (December against the previous
// December, or the start for the first year), per hectare and over the scenario's area.
struct ScenarioYearRecord {
  int year = 0;
  double sequestration_tC_ha_yr = kSoilNaN;
  double sequestration_tC_yr = kSoilNaN;  // × area_ha; NaN without an area
};

// One reclamation scenario as run: what the balance reads (scenario, mine_id, area_ha and the
// years, or the mines and the per-hectare years), the whole-run sums, and RothC's full output
// beside the scenario it ran.
struct ScenarioRecord {
  std::string scenario;       // its name
  std::string mine_id;        // "" when not given (or given by mines)
  double area_ha = kSoilNaN;  // NaN when not given (area_ha = 0, or by mines)
  // areas_land_use: every mine of the areas table with that land use, in table order. The
  // per-hectare values are the scenario's; a mine's totals are per ha × its area_ha (the tables
  // scenarios and scenario_years have a row per mine, the balance a series per mine).
  std::vector<ScenarioMineRecord> mines;
  std::vector<ScenarioYearRecord> years;     // one per simulated year, aligned with rothc.yearly
  double soc_start_tC_ha = kSoilNaN;         // 1 January of the first year
  double soc_end_tC_ha = kSoilNaN;           // December of the last year
  double sequestration_tC_ha = kSoilNaN;     // end − start
  double sequestration_tC_ha_yr = kSoilNaN;  // (end − start) / years
  double sequestration_tC = kSoilNaN;        // (end − start) × area_ha
  // replaced_topsoil: the plant input that holds the topsoil's measured SOC in equilibrium under
  // its former vegetation (RothC's inverse mode); NaN for bare spoil.
  double former_plant_input_tC_ha_yr = kSoilNaN;
  carbon::ReclamationScenario ran;  // the scenario as run (site, start, phases, climate …)
  carbon::ScenarioResult rothc;     // start state, every month, every December

  int first_year() const { return ran.first_year; }
  int last_year() const { return ran.first_year + ran.years - 1; }
};

}  // namespace minecarbon::assess
