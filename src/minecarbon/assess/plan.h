// The plan stage: restoration schemes with their costs, carbon benefit and ranking, and the
// land-use structure optimisation (docs/plan.md). The maths is in plan/ (economics, ranking,
// land_use_lp); this stage turns schemes and measures into yearly flows, runs the economics of
// every scheme, ranks the schemes, and, when a land-use model is given, solves its payoff table,
// ε-constraint front, weighted sum and fuzzy compromise.
//
// Carbon effect of a measure (one per measures row, column carbon_source):
//   rate   an explicit gain delta_tC_ha_yr in years years_from..years_to (1-based, inclusive)
//   ipcc   IPCC Tier 1 factor change: SOC_ref (F_to − F_from) / D in years 1..D, D = 20
//          (IPCC 2006 Vol. 4 ch. 2 eq. 2.25, default transition time; carbon/ipcc_soil.h)
//   rothc  the yearly SOC gain (t C/ha/yr) of the soil stage's RothC scenario of that name, taken
//          in memory under `minecarbon run` (its k-th simulated year is year k here)
// A scheme's gain in year t: ΔC_t = Σ_classes area Σ_measures gain_m(t) − baseline_tC_ha_yr × area.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/name_table.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/plan/economics.h"
#include "minecarbon/plan/land_use_lp.h"
#include "minecarbon/plan/ranking.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

enum class CarbonSource { rate, ipcc, rothc };
inline constexpr NameTable<CarbonSource, 3> kCarbonSourceNames{{{
    {CarbonSource::rate, "rate"},
    {CarbonSource::ipcc, "ipcc"},
    {CarbonSource::rothc, "rothc"},
}}};

enum class CarbonPool { biomass, soil, total };
inline constexpr NameTable<CarbonPool, 3> kCarbonPoolNames{{{
    {CarbonPool::biomass, "biomass"},
    {CarbonPool::soil, "soil"},
    {CarbonPool::total, "total"},
}}};

// One row of measures.csv (user data; minecarbon ships no costs).
struct Measure {
  std::string measure, land_use;
  double capex_yuan_ha = 0.0, opex_yuan_ha_yr = 0.0;
  int opex_years = 0;
  double works_co2e_t_ha = 0.0;
  double benefit_yuan_ha_yr = 0.0;  // other yearly benefits (ESV, output value); 0 if absent
  CarbonSource source = CarbonSource::rate;
  CarbonPool pool = CarbonPool::total;
  double delta_tC_ha_yr = 0.0;  // rate
  int years_from = 1, years_to = 0;
  double soc_ref_tC_ha = 0.0, factor_from = 1.0, factor_to = 1.0;  // ipcc
  std::string rothc_scenario;                                      // rothc
  std::string where;                                               // "measures.csv:4", for messages
};

struct SchemeClass {
  std::string land_use;
  double area_ha = 0.0;
  std::vector<std::string> measures;
};

struct Scheme {
  std::string name;
  std::string zone;
  double baseline_tC_ha_yr = 0.0;  // the no-restoration rate of the zone (t C/ha/yr)
  std::vector<SchemeClass> classes;
  std::string where;  // "schemes.toml [[schemes]] 2", for messages
};

enum class WeightMethod { entropy, ahp, user };
inline constexpr NameTable<WeightMethod, 3> kWeightMethodNames{{{
    {WeightMethod::entropy, "entropy"},
    {WeightMethod::ahp, "ahp"},
    {WeightMethod::user, "user"},
}}};

// The ranking indicators, each with its direction.
struct Indicator {
  const char* name;
  plan::Direction direction;
};
inline constexpr Indicator kIndicators[] = {
    {"net_co2e_t", plan::Direction::benefit},
    {"pv_cost_yuan", plan::Direction::cost},
    {"npv_yuan", plan::Direction::benefit},
    {"levelised_cost_yuan_tco2e", plan::Direction::cost},
    {"cost_per_tco2e_yuan", plan::Direction::cost},
    {"pv_carbon_yuan", plan::Direction::benefit},
    {"total_gain_tC", plan::Direction::benefit},
};

struct PlanParams {
  int horizon_yr = 30;
  // No defaults: the rate and the price are choices of the study (none is confirmed).
  std::optional<double> discount_rate_pct;
  std::optional<double> carbon_price;  // yuan per t CO2e in year 0
  double price_change_pct = 0.0;
  double saturation_share = 0.05;
  std::vector<std::string> indicators = {"net_co2e_t", "pv_cost_yuan", "npv_yuan",
                                         "levelised_cost_yuan_tco2e"};
  WeightMethod weights = WeightMethod::entropy;
  std::vector<double> ahp_matrix;    // row-major pairwise matrix over the indicators
  std::vector<double> user_weights;  // one per indicator
  // Optimisation (used when a land-use model is given).
  std::string primary;  // objective the ε-front optimises; "" = the first
  std::int64_t epsilon_points = 11;
  std::vector<double> objective_weights;  // weighted sum; empty = equal

  static const OptionTable<PlanParams>& options();
  void validate() const;
};

struct PlanInputs {
  std::vector<Scheme> schemes;
  std::vector<Measure> measures;
  // RothC scenarios in memory: name → yearly SOC gain (t C/ha/yr), year 1 first.
  std::map<std::string, std::vector<double>> rothc_gain_tC_ha_yr;
  std::optional<plan::LandUseModel> land_use;
};

struct SchemeResult {
  std::string name, zone;
  double area_ha = 0.0;
  double capex_yuan = 0.0, works_co2e_t = 0.0;
  std::vector<double> pool_gain_tC[3];  // per pool (biomass, soil, total), t = 0..H
  std::vector<double> baseline_tC;      // t = 0..H
  plan::SchemeEconomics economics;
};

struct PlanRanking {
  std::vector<std::string> indicators;
  std::vector<double> weights;
  std::optional<plan::AhpResult> ahp;
  plan::TopsisResult vector, min_max;
  std::vector<bool> dominated;
};

struct PlanOptimum {
  plan::PayoffTable payoff;
  plan::EpsilonFront front;
  plan::LandUsePoint weighted, fuzzy;
};

struct PlanResult {
  PlanParams params;
  std::vector<SchemeResult> schemes;
  std::optional<PlanRanking> ranking;  // with ≥ 2 schemes
  std::optional<plan::LandUseModel> land_use;
  std::optional<PlanOptimum> optimum;
  nlohmann::json summary;
  ProblemList warnings;
};

// Throws ConfigError (exit 2) for a scheme naming a measure that is not in the table, a measure
// for another land use, or a rothc scenario not in memory (naming scheme, class and source);
// DataError (exit 3) for negative areas and an infeasible or unbounded land-use model.
PlanResult run_plan(const PlanParams& params, const PlanInputs& inputs, const RunContext& context);

// The value of indicator `name` of a scheme.
double indicator_value(const SchemeResult& scheme, const std::string& name);

}  // namespace minecarbon::assess
