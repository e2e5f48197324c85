// The scenario stage (issue 13 §1; docs/scenario.md): land-use demand, PLUS-style allocation,
// validation and carbon of the simulated map.
//
//   T1, T2 class maps (one grid) ─► Markov P (scenario/markov.h) ─► demand at the horizon
//   drivers ─► LEAS development probability per class (scenario/leas.h, ml/ forests)
//   CARS from T2 to the demand (scenario/cars.h) ─► simulated map
//   in-sample validation: CARS from T1 to T2's own demand with the same probabilities, compared
//     with T2 (scenario/scenario_validation.h: confusion, OA, Kappa, PA/UA, FoM)
//   carbon per class of T2 and of the simulated map from the landuse stage's pool table
//     (C_k = Σ pools, t C/ha; × planar cell area in ha; CO2e × 44/12)
// The maths is in assess/scenario/; this file ties it together on maps already in memory.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/scenario/cars.h"
#include "minecarbon/assess/scenario/leas.h"
#include "minecarbon/assess/scenario/markov.h"
#include "minecarbon/assess/scenario/scenario_validation.h"
#include "minecarbon/core/name_table.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/geo/coverage.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

inline constexpr NameTable<scenario::LeasProbability, 2> kLeasProbabilityNames{{{
    {scenario::LeasProbability::leaf_mean, "leaf_mean"},
    {scenario::LeasProbability::vote, "vote"},
}}};

enum class NonWholeSteps { interpolate, matrix_root };
inline constexpr NameTable<NonWholeSteps, 2> kNonWholeStepsNames{{{
    {NonWholeSteps::interpolate, "interpolate"},
    {NonWholeSteps::matrix_root, "matrix_root"},
}}};

// The demand methods of issue 13 §1.2; `demand = "plan:<point>"` names a point of the plan
// stage's land-use optimum (payoff:<objective>, epsilon:<k>, weighted, fuzzy).
enum class DemandMethod { markov, linear, fixed, plan };
struct DemandChoice {
  DemandMethod method = DemandMethod::markov;
  std::string plan_point;  // for plan
};
// ConfigError (as OptionError) for anything but markov, linear, fixed or plan:<point>.
DemandChoice parse_demand(const std::string& text);

struct ScenarioParams {
  std::string name = "markov";    // the scenario's name in outputs (lulc_<name>_<year>.tif)
  std::string demand = "markov";  // markov | linear | fixed | plan:<point>
  NonWholeSteps non_whole_steps = NonWholeSteps::interpolate;
  // Horizon: Markov steps of Δt = year_final − year_initial past T2, or a year (linear
  // interpolation of areas between whole steps when it is not a multiple); 0 = one step.
  std::int64_t horizon_year = 0;
  bool validate = true;  // in-sample validation T1 → T2
  // LEAS
  double sampling_rate = 0.01;
  bool balanced = false;
  scenario::LeasProbability probability = scenario::LeasProbability::leaf_mean;
  std::size_t trees = 50;
  std::size_t mtry = 0;
  std::size_t min_node_size = 5;
  // CARS (PLUS's knobs under PLUS's names)
  std::int64_t neighbourhood = 3;
  double patch_generation_threshold = 0.7;
  double expansion_coefficient = 0.1;
  double seed_percentage = 0.1;
  // Per class in class-table order, as text (the option table has no number lists); empty = 1.
  std::vector<std::string> neighbourhood_weights;
  std::int64_t tolerance_cells = 0;
  std::int64_t max_iterations = 500;

  static const OptionTable<ScenarioParams>& options();
  void validate_options() const;
  // neighbourhood_weights as numbers (validate_options checks they parse and are ≥ 0).
  std::vector<double> weights() const;
};

struct ScenarioClass {
  std::int64_t code = 0;
  std::string name;
};

struct ScenarioMine {
  std::string id;
  geo::Coverage coverage;  // exact coverage fractions on the land-use grid
};

struct ScenarioInputs {
  std::size_t width = 0, height = 0;
  double cell_area_ha = 0;  // planar |dx·dy| / 10⁴ (used when cell_area_m2 is empty)
  // True area of each cell, m² (geo/cell_area.h latitude bands on geographic grids, the
  // geodesic lattice on projected ones); empty = every cell cell_area_ha.
  std::vector<double> cell_area_m2;
  std::string cell_area_method = "planar: |dx * dy| per cell";
  // Optional T0 map (before lulc_initial): out-of-sample validation (LEAS on T0 → T1, CARS
  // T1 → T2 with T2's own demand) and a third point for the linear demand.
  std::vector<std::int32_t> earlier;
  int year_earlier = 0;
  // fixed demand per class (cells, or ha when fixed_in_ha), from `demand_file`.
  std::optional<std::vector<double>> fixed_demand;
  bool fixed_in_ha = false;
  std::string fixed_source;
  // plan:<point>: area per class (ha) of that point of the plan stage's optimum (0 for classes
  // the plan does not name).
  std::optional<std::vector<double>> plan_area_ha;
  std::string plan_source;
  std::vector<scenario::MarkovFactor> markov_factors;  // P_ij ·= factor, rows renormalised
  std::string markov_factors_source;
  // Future driver layers for the prediction (PLUS ≥ 1.3.5): empty, or one per driver (an empty
  // layer keeps the historical one).
  std::vector<std::vector<double>> drivers_future;
  std::vector<ScenarioMine> mines;  // optional: per-mine carbon
  int year_initial = 0, year_final = 0;
  std::vector<ScenarioClass> classes;
  std::vector<std::int32_t> initial, final_map;  // class indices, −1 nodata
  std::vector<std::string> driver_names;
  std::vector<std::vector<double>> drivers;         // on the grid, NaN nodata
  std::vector<std::uint8_t> allowed;                // [from · n + to]; empty = all
  std::vector<std::uint8_t> restriction;            // per cell; empty = none
  std::optional<std::vector<double>> carbon_tC_ha;  // C_k per class (pool table)
  std::string carbon_source;                        // the pool table's path
};

struct ScenarioDemandRow {
  std::string scenario;
  int year = 0;
  std::size_t class_idx = 0;
  std::int64_t cells = 0;
  double area_ha = 0;
};

struct ScenarioCarbonRow {
  std::string scenario;
  int year = 0;
  std::size_t class_idx = 0;
  std::int64_t cells = 0;
  double area_ha = 0, carbon_tC = 0, co2e_t = 0;
};

struct ScenarioMineCarbonRow {
  std::size_t mine = 0;  // index into ScenarioResult::mine_ids
  std::string scenario;
  int year = 0;
  double area_ha = 0;    // Σ coverage × true cell area over the mine's valid cells
  double carbon_tC = 0;  // Σ coverage × true cell area × C_k
  double co2e_t = 0;     // × 44/12
  double change_tC = 0;  // vs the observed final map (0 on the observed row)
};

struct ScenarioResult {
  std::vector<std::string> mine_ids;
  std::vector<ScenarioMineCarbonRow> mine_carbon;  // empty without mines and a pool table
  std::string demand_method = "markov";
  std::string validation_kind;  // in_sample, out_of_sample or empty
  std::vector<ScenarioClass> classes;
  std::vector<std::string> driver_names;
  int horizon_year = 0;
  scenario::TransitionCounts counts;
  scenario::MarkovMatrix markov;
  std::vector<ScenarioDemandRow> demand;
  scenario::LeasResult leas;  // probabilities dropped after the run unless kept
  scenario::CarsResult cars;  // the simulated map at horizon_year
  std::optional<scenario::CarsResult> validation_run;
  std::optional<scenario::ConfusionMatrix> confusion;
  std::optional<scenario::AgreementMetrics> agreement;
  std::optional<scenario::FigureOfMerit> fom;
  std::vector<ScenarioCarbonRow> carbon;  // empty without a pool table
  nlohmann::json summary;
  ProblemList warnings;
};

// ConfigError/DataError as the scenario/ functions throw them.
ScenarioResult run_scenario(const ScenarioParams& params, const ScenarioInputs& inputs,
                            const RunContext& context);

}  // namespace minecarbon::assess
