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

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

inline constexpr NameTable<scenario::LeasProbability, 2> kLeasProbabilityNames{{{
    {scenario::LeasProbability::leaf_mean, "leaf_mean"},
    {scenario::LeasProbability::vote, "vote"},
}}};

struct ScenarioParams {
  std::string name = "markov";  // the scenario's name in outputs (lulc_<name>_<year>.tif)
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

struct ScenarioInputs {
  std::size_t width = 0, height = 0;
  double cell_area_ha = 0;  // planar |dx·dy| / 10⁴
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

struct ScenarioResult {
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
