// The balance stage: the net carbon balance of every mine, year by year, in t CO2e as emissions
// to the atmosphere (positive = emission, negative = removal), joined from the results of the
// emissions, landuse, damage, vegetation and soil stages, and the year each mine becomes
// carbon-neutral. The arithmetic of one mine is carbon/net_balance.h; this stage joins the
// stages' records by mine id (strings), applies the double-counting rules between stages and
// reports every mine with the components it has. Details and sources: docs/balance.md.
//
// Inputs are plain records (BalanceInputs), filled by small adapters from the typed results of
// the stages (assess/balance/*_adapter.h, `minecarbon run`) or from the CSV files the stages
// wrote (pipeline/balance_job.h, `minecarbon balance --from`). A stage that did not run is
// nullopt; a stage that ran but has no row for a mine leaves that mine's component at 0 and the
// mine's `components` list without it.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "minecarbon/carbon/net_balance.h"
#include "minecarbon/core/name_table.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

// emissions → balance: one row per mine, year and source (INTERFACES11 `mine_year_source`).
struct ProcessEmissionRecord {
  std::string mine_id;
  int year = 0;
  std::string source;  // diesel, explosive, …, land_cleared
  double co2e_t = 0.0;
};
// The source whose rows the land-use maps count again (dropped in the years a map pair of the
// mine covers, y0 < year ≤ y1; counted as process emissions in the other years).
inline constexpr const char* kLandClearedSource = "land_cleared";
// The source of a record that sums a mine-year's other sources (the in-memory adapter from the
// emissions stage, assess/balance/emissions_adapter.h; the files give one record per source).
inline constexpr const char* kProcessSourcesSummed = "sources_summed";

// landuse → balance: one consecutive map pair of a mine (INTERFACES11 `mine_change`).
struct LandusePairRecord {
  std::string mine_id;
  int year_from = 0;
  int year_to = 0;
  double loss_tC = 0.0;  // ≤ 0
  double gain_tC = 0.0;  // ≥ 0
};

// damage → balance: H of one mine-year (MineYearRecord::nep_change_rel_MgC_yr); NaN = missing.
struct NepChangeRecord {
  std::string mine_id;
  int year = 0;
  double nep_change_rel_MgC_yr = 0.0;
};

// vegetation → balance: one year of a mine's projection (MineProjectionRow::sink_per_yr, t C/yr).
struct VegetationSinkRecord {
  std::string mine_id;
  int year = 0;
  double sink_tC_yr = 0.0;
};

// soil → balance: one year of a reclamation scenario of a mine (scenario_years), or of the IPCC
// Tier 1 trajectory attributed to the mine (ipcc_trajectory; scenario kIpccScenarioName, "ipcc",
// after the mine's RothC scenarios): t C/yr gained by the soil (> 0 = a removal).
struct SoilSequestrationRecord {
  std::string scenario;
  std::string mine_id;
  int year = 0;
  double sequestration_tC_yr = 0.0;
};

// The last year accepted anywhere in the balance (a guard against a year typed as 20100).
inline constexpr int kMaxCalendarYear = 9999;

struct BalanceInputs {
  std::optional<std::vector<ProcessEmissionRecord>> emissions;
  std::optional<std::vector<LandusePairRecord>> landuse;
  std::optional<std::vector<NepChangeRecord>> damage;
  std::optional<std::vector<VegetationSinkRecord>> vegetation;
  std::optional<std::vector<SoilSequestrationRecord>> soil;
  // Where each stage's records came from ("memory" or a file), for messages; by stage name.
  std::vector<std::pair<std::string, std::string>> origins;
  // Mines of a mine layer, in its order: reported even without data (status no_data).
  std::vector<std::string> mine_ids;
  // Problems the adapters met (rows they could not use); appended to the result's warnings.
  ProblemList adapter_warnings;
};

// Which soil scenario a mine with several uses.
enum class SoilScenarioRule { first, sum, error };
inline constexpr NameTable<SoilScenarioRule, 3> kSoilScenarioRuleNames{{{
    {SoilScenarioRule::first, "first"},
    {SoilScenarioRule::sum, "sum"},
    {SoilScenarioRule::error, "error"},
}}};

struct BalanceParams {
  // Last year of the account. 2060: China's carbon-neutrality target year; any year works.
  int horizon_year = 2060;
  // Nothing before this year is counted (e.g. the mine's opening or a reporting base year);
  // 0 = every mine from its first year with data.
  int first_year = 0;
  // Use this soil scenario for every mine that has it ("" = by soil_multiple; "ipcc" = the IPCC
  // Tier 1 trajectory).
  std::string soil_scenario;
  // A mine with several soil scenarios and none named soil_scenario: `first` (in the order the
  // soil stage gave them, the RothC scenarios before the IPCC trajectory, with a warning), `sum`
  // (the scenarios are parts of the mine, each with its own area) or `error`. One soil basis per
  // mine: mine_summary's soil_scenario says which.
  SoilScenarioRule soil_multiple = SoilScenarioRule::first;

  static const OptionTable<BalanceParams>& options();
  void validate() const;
};

// One mine-year of the account (carbon/net_balance.h for the fields).
struct BalanceMineYear {
  std::size_t mine = 0;  // index into BalanceResult::mines
  carbon::NetBalanceYear values;
};

// One mine: where its data came from and its balance.
struct BalanceMine {
  std::string mine_id;
  std::vector<std::string> components;  // stages with data for it, in stage order
  std::string soil_scenario;            // used ("a; b" when summed); "" without soil
  carbon::NetBalance balance;           // years are moved to BalanceResult::mine_years
  int first_year = 0;                   // of the account; 0 without years
  int last_year = 0;
};

struct BalanceResult {
  BalanceParams params;
  std::vector<std::string> stages;          // the stages present, in stage order
  std::vector<BalanceMine> mines;           // layer order, then by first appearance in stage order
  std::vector<BalanceMineYear> mine_years;  // by mine, then year
  nlohmann::json summary;                   // sign convention, parameters, counts, stages, statuses
  ProblemList warnings;
};

// The sign convention, as written in summary.json and the README.
inline constexpr const char* kSignConvention =
    "t CO2e as emissions to the atmosphere: positive = emission, negative = removal; "
    "C -> CO2e x 44/12";

// Joins, checks and computes. Throws DataError (exit 3) when no stage is present, when two or
// more stages are present but share no mine id, for records outside the domain (duplicate
// mine-years, overlapping or reversed map pairs, a loss > 0, a gain < 0, years outside 1-kMaxCalendarYear,
// soil_multiple = error with several scenarios), naming the stage's origin, the mine and the
// year; ConfigError for bad parameters.
BalanceResult run_balance(const BalanceParams& params, const BalanceInputs& inputs,
                          const RunContext& context);

}  // namespace minecarbon::assess
