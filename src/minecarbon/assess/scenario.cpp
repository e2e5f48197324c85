#include "minecarbon/assess/scenario.h"

#include <cmath>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {

const OptionTable<ScenarioParams>& ScenarioParams::options() {
  static const OptionTable<ScenarioParams> table = [] {
    using P = ScenarioParams;
    OptionTable<P> t("scenario");
    t.add(
        "name", [](P& p) -> std::string& { return p.name; },
        "the scenario's name in the outputs (lulc_<name>_<year>.tif, the scenario column)");
    t.add(
         "horizon_year", [](P& p) -> std::int64_t& { return p.horizon_year; },
         "year of the simulated map; Markov steps of dt = year_final - year_initial past the "
         "final map, areas interpolated linearly between whole steps; 0 = one step")
        .range(0, 9999);
    t.add(
        "validate", [](P& p) -> bool& { return p.validate; },
        "in-sample validation: allocate the final map's own demand from the initial map and "
        "compare with the final map (confusion, OA, Kappa, FoM); labelled in_sample");
    t.add(
         "sampling_rate", [](P& p) -> double& { return p.sampling_rate; },
         "LEAS: share of the valid cells sampled for the forests (PLUS default 0.01)")
        .range(1e-9, 1);
    t.add(
        "balanced", [](P& p) -> bool& { return p.balanced; },
        "LEAS: per class, about as many non-expansion cells as expansion cells (PLUS balance)");
    t.add_choice(
        "probability", [](P& p) -> scenario::LeasProbability& { return p.probability; },
        kLeasProbabilityNames.entries,
        "LEAS: leaf_mean = mean of the trees' leaf frequencies; vote = share of trees whose leaf "
        "value >= 0.5 (PLUS's formula)");
    t.add(
         "trees", [](P& p) -> std::size_t& { return p.trees; },
         "LEAS: trees per class forest (PLUS default 20)")
        .range(1, 100000);
    t.add(
         "mtry", [](P& p) -> std::size_t& { return p.mtry; },
         "LEAS: drivers tried per split; 0 = floor(sqrt(drivers))")
        .range(0, 65535);
    t.add(
         "min_node_size", [](P& p) -> std::size_t& { return p.min_node_size; },
         "LEAS: nodes with at most this many draws are not split")
        .range(1, 1e9);
    t.add(
         "neighbourhood", [](P& p) -> std::int64_t& { return p.neighbourhood; },
         "CARS: window size n of the neighbourhood effect (odd, PLUS default 3)")
        .range(3, 99);
    t.add(
         "patch_generation_threshold", [](P& p) -> double& { return p.patch_generation_threshold; },
         "CARS: delta of the decreasing threshold tau = delta^l r1 (PLUS sample 0.7)")
        .range(1e-9, 1);
    t.add(
         "expansion_coefficient", [](P& p) -> double& { return p.expansion_coefficient; },
         "CARS: mu of the random patch seeds P r mu D (PLUS sample 0.1)")
        .range(0, 1);
    t.add(
         "seed_percentage", [](P& p) -> double& { return p.seed_percentage; },
         "CARS: at most this share of a class's gap may be filled by new seeds per iteration "
         "(PLUS sample 0.1)")
        .range(0, 1);
    t.add(
        "neighbourhood_weights",
        [](P& p) -> std::vector<std::string>& { return p.neighbourhood_weights; },
        "CARS: weight w_k >= 0 per class in class-table order (PLUS sample "
        "1,1,1,0.00001,1,1,1); empty = all 1");
    t.add(
         "tolerance_cells", [](P& p) -> std::int64_t& { return p.tolerance_cells; },
         "CARS: stop when every |demand - count| is at most this many cells")
        .range(0, 1e15);
    t.add(
         "max_iterations", [](P& p) -> std::int64_t& { return p.max_iterations; },
         "CARS: iterations before stopping with the remaining gaps reported")
        .range(1, 1e9);
    return t;
  }();
  return table;
}

std::vector<double> ScenarioParams::weights() const {
  std::vector<double> out;
  for (const std::string& text : neighbourhood_weights) {
    std::size_t used = 0;
    double value = -1;
    try {
      value = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() || !(value >= 0) || !std::isfinite(value))
      throw OptionError("scenario", "neighbourhood_weights",
                        "'" + text + "' is not a number >= 0; give one weight per class");
    out.push_back(value);
  }
  return out;
}

void ScenarioParams::validate_options() const {
  check_options(options(), *this);
  weights();
  if (neighbourhood % 2 == 0)
    throw OptionError(
        "scenario", "neighbourhood",
        std::to_string(neighbourhood) + " is even; give an odd window size (3, 5, 7)");
}

namespace {

scenario::CarsParams cars_params(const ScenarioParams& p, const RunContext& context) {
  scenario::CarsParams c;
  c.neighbourhood = static_cast<int>(p.neighbourhood);
  c.patch_threshold = p.patch_generation_threshold;
  c.expansion_coefficient = p.expansion_coefficient;
  c.seed_percentage = p.seed_percentage;
  c.weights = p.weights();
  c.tolerance_cells = p.tolerance_cells;
  c.max_iterations = static_cast<std::size_t>(p.max_iterations);
  c.seed = context.seed;
  c.threads = context.threads;
  return c;
}

void add_carbon(ScenarioResult& r, const ScenarioInputs& in, const std::string& scenario, int year,
                const std::vector<std::int32_t>& map) {
  const std::size_t n = in.classes.size();
  std::vector<std::int64_t> cells(n, 0);
  for (std::int32_t c : map)
    if (c >= 0) ++cells[static_cast<std::size_t>(c)];
  for (std::size_t k = 0; k < n; ++k) {
    ScenarioCarbonRow row;
    row.scenario = scenario;
    row.year = year;
    row.class_idx = k;
    row.cells = cells[k];
    row.area_ha = static_cast<double>(cells[k]) * in.cell_area_ha;
    row.carbon_tC = row.area_ha * (*in.carbon_tC_ha)[k];
    row.co2e_t = row.carbon_tC * 44.0 / 12.0;
    r.carbon.push_back(row);
  }
}

}  // namespace

ScenarioResult run_scenario(const ScenarioParams& params, const ScenarioInputs& in,
                            const RunContext& context) {
  const std::size_t n = in.classes.size();
  const std::size_t n_cells = in.width * in.height;
  if (in.initial.size() != n_cells || in.final_map.size() != n_cells)
    throw DataError("scenario: the land-use maps are not width × height cells");
  if (in.year_final <= in.year_initial)
    throw ConfigError("scenario: year_final " + std::to_string(in.year_final) +
                      " must be after year_initial " + std::to_string(in.year_initial));
  ScenarioResult r;
  r.classes = in.classes;
  r.driver_names = in.driver_names;

  // Demand.
  r.counts = scenario::count_transitions(in.initial, in.final_map, n);
  r.markov = scenario::markov_matrix(r.counts);
  for (std::size_t k : r.markov.empty_rows)
    r.warnings.add("class_absent_initially",
                   "class " + std::to_string(in.classes[k].code) + " (" + in.classes[k].name +
                       ") has no cell in the initial map: its Markov row is set to staying put");
  const int step = in.year_final - in.year_initial;
  r.horizon_year =
      params.horizon_year == 0 ? in.year_final + step : static_cast<int>(params.horizon_year);
  if (r.horizon_year <= in.year_final)
    throw ConfigError("scenario.horizon_year = " + std::to_string(r.horizon_year) +
                      ": must be after the final map's year " + std::to_string(in.year_final));
  std::vector<double> s2(n, 0.0);
  std::int64_t valid_t2 = 0;
  for (std::int32_t c : in.final_map)
    if (c >= 0) {
      s2[static_cast<std::size_t>(c)] += 1;
      ++valid_t2;
    }
  const std::vector<double> projected = scenario::project_demand_years(
      s2, r.markov, static_cast<double>(step), static_cast<double>(r.horizon_year - in.year_final));
  const std::vector<std::int64_t> demand = scenario::integer_demand(projected, valid_t2);
  for (std::size_t k = 0; k < n; ++k) {
    r.demand.push_back(
        {"observed", in.year_final, k, static_cast<std::int64_t>(s2[k]), s2[k] * in.cell_area_ha});
    r.demand.push_back({params.name, r.horizon_year, k, demand[k],
                        static_cast<double>(demand[k]) * in.cell_area_ha});
  }

  // LEAS on T1 → T2.
  scenario::LeasInputs li;
  li.n_classes = n;
  li.from_idx = in.initial;
  li.to_idx = in.final_map;
  li.driver_names = in.driver_names;
  for (const auto& d : in.drivers)
    li.drivers.emplace_back(d);
  scenario::LeasParams lp;
  lp.sampling_rate = params.sampling_rate;
  lp.balanced = params.balanced;
  lp.probability = params.probability;
  lp.num_trees = params.trees;
  lp.mtry = params.mtry;
  lp.min_node_size = params.min_node_size;
  lp.seed = context.seed;
  lp.threads = context.threads;
  r.leas = scenario::run_leas(li, lp);
  for (std::size_t k = 0; k < n; ++k)
    if (!r.leas.classes[k].fitted && r.leas.classes[k].expansion_cells > 0)
      r.warnings.add("class_not_sampled",
                     "class " + std::to_string(in.classes[k].code) + " expanded on " +
                         std::to_string(r.leas.classes[k].expansion_cells) +
                         " cells but none was sampled: no forest, probability 0; raise "
                         "sampling_rate");

  // CARS from T2 to the demand. Nodata in T2 stays nodata.
  scenario::CarsInputs ci;
  ci.width = in.width;
  ci.height = in.height;
  ci.n_classes = n;
  ci.initial = in.final_map;
  ci.probability = r.leas.probability;
  ci.demand = demand;
  ci.allowed = in.allowed;
  ci.restriction = in.restriction;
  const scenario::CarsParams cp = cars_params(params, context);
  r.cars = scenario::run_cars(ci, cp);
  if (!r.cars.converged) {
    std::string gaps;
    for (std::size_t k = 0; k < n; ++k)
      if (r.cars.gaps[k] != 0)
        gaps += (gaps.empty() ? "" : ", ") + std::to_string(in.classes[k].code) + ": " +
                std::to_string(r.cars.gaps[k]);
    r.warnings.add("demand_not_reached",
                   "CARS stopped after " + std::to_string(r.cars.iterations) +
                       " iterations with gaps (class: demand - count cells) " + gaps +
                       "; raise max_iterations or neighbourhood, or check the transitions");
  }

  // In-sample validation: T1 → T2's demand, compared with T2.
  if (params.validate) {
    std::vector<std::int64_t> demand_t2(n, 0);
    std::vector<std::int32_t> start = in.initial;
    // Cells nodata in either map are left out of the allocation.
    for (std::size_t cell = 0; cell < n_cells; ++cell)
      if (in.final_map[cell] < 0) start[cell] = -1;
    for (std::size_t cell = 0; cell < n_cells; ++cell)
      if (start[cell] >= 0) ++demand_t2[static_cast<std::size_t>(in.final_map[cell])];
    scenario::CarsInputs vi = ci;
    vi.initial = start;
    vi.demand = demand_t2;
    r.validation_run = scenario::run_cars(vi, cp);
    r.confusion = scenario::confusion_matrix(r.validation_run->map, in.final_map, start, n);
    r.agreement = scenario::agreement(*r.confusion);
    r.fom = scenario::figure_of_merit(start, in.final_map, r.validation_run->map);
  }

  if (in.carbon_tC_ha) {
    add_carbon(r, in, "observed", in.year_final, in.final_map);
    add_carbon(r, in, params.name, r.horizon_year, r.cars.map);
  }

  nlohmann::json& s = r.summary;
  s["grid"] = {{"width", in.width}, {"height", in.height}, {"cell_area_ha", in.cell_area_ha}};
  s["years"] = {{"initial", in.year_initial},
                {"final", in.year_final},
                {"horizon", r.horizon_year},
                {"markov_step_years", step}};
  s["demand"] = {{"method", "markov"},
                 {"non_multiple_horizon", "linear interpolation of areas between whole steps"},
                 {"rounding", "largest remainder to whole cells summing to the valid cells"}};
  s["leas"] = {{"valid_cells", r.leas.valid_cells},
               {"sampled_cells", r.leas.sampled_cells},
               {"probability", std::string(kLeasProbabilityNames.name(params.probability))},
               {"contribution", "OOB permutation importance, negatives set to 0, sum 1"}};
  s["cars"] = {
      {"iterations", r.cars.iterations},
      {"converged", r.cars.converged},
      {"changed_cells", r.cars.changed_cells},
      {"seeded_cells", r.cars.seeded_cells},
      {"threshold_level", r.cars.threshold_level},
      {"gaps", r.cars.gaps},
      {"seed", context.seed},
      {"choices",
       {{"update", "synchronous: every cell reads the previous iteration's map"},
        {"direction", "only classes above demand lose cells, only classes below gain"},
        {"acceptance", "priority order (OP descending, then cell index) until gaps close"},
        {"seeds", "at most ceil(seed_percentage * gap) seeded changes per class and iteration"},
        {"r1", "uniform [0, 2), mean 1"},
        {"step", "l += 1 when the total gap shrank by < 1 % of the initial total gap"},
        {"random_streams", "one stream per (seed, iteration, cell): thread-independent"}}}};
  if (r.agreement) {
    s["validation"] = {{"kind", "in_sample"},
                       {"overall_accuracy", r.agreement->overall_accuracy},
                       {"kappa", r.agreement->kappa},
                       {"fom", r.fom->fom},
                       {"excluded_cells", r.confusion->excluded_cells}};
  }
  return r;
}

}  // namespace minecarbon::assess
