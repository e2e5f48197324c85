#include "minecarbon/assess/scenario.h"

#include <cmath>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {

const OptionTable<ScenarioParams>& ScenarioParams::options() {
  static const OptionTable<ScenarioParams> table = [] {
    using P = ScenarioParams;
    OptionTable<P> t("scenario");
    t.add(
        "name", [](P& p) -> std::string& { return p.name; },
        "the scenario's name in the outputs (lulc_<name>_<year>.tif, the scenario column)");
    t.add(
        "demand", [](P& p) -> std::string& { return p.demand; },
        "demand method: markov (S P^m from the two maps), linear (per-class OLS over the maps, "
        "lulc_earlier adds a third), fixed (areas from demand_file), plan:<point> (a point of "
        "the plan stage's land-use optimum, e.g. plan:weighted; plan_allocation when run alone)");
    t.add_choice(
        "non_whole_steps", [](P& p) -> NonWholeSteps& { return p.non_whole_steps; },
        kNonWholeStepsNames.entries,
        "Markov horizon that is not a multiple of the map interval: interpolate = areas "
        "linearly between whole steps; matrix_root = S P^m P^f (negative entries of P^f "
        "reported)");
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

DemandChoice parse_demand(const std::string& text) {
  DemandChoice c;
  if (text == "markov") return c;
  if (text == "linear") {
    c.method = DemandMethod::linear;
    return c;
  }
  if (text == "fixed") {
    c.method = DemandMethod::fixed;
    return c;
  }
  if (text.rfind("plan:", 0) == 0 && text.size() > 5) {
    c.method = DemandMethod::plan;
    c.plan_point = text.substr(5);
    return c;
  }
  throw OptionError("scenario", "demand",
                    "'" + text +
                        "'; expected markov, linear, fixed or plan:<point> (a point of the plan "
                        "stage's optimum, e.g. plan:weighted, plan:fuzzy, plan:epsilon:3)");
}

void ScenarioParams::validate_options() const {
  check_options(options(), *this);
  weights();
  parse_demand(demand);
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
  std::vector<double> area_ha(n, 0.0);
  for (std::size_t cell = 0; cell < map.size(); ++cell)
    if (map[cell] >= 0) {
      const auto k = static_cast<std::size_t>(map[cell]);
      ++cells[k];
      area_ha[k] += in.cell_area_m2.empty() ? in.cell_area_ha : in.cell_area_m2[cell] / 1e4;
    }
  for (std::size_t k = 0; k < n; ++k) {
    ScenarioCarbonRow row;
    row.scenario = scenario;
    row.year = year;
    row.class_idx = k;
    row.cells = cells[k];
    row.area_ha = area_ha[k];
    row.carbon_tC = row.area_ha * (*in.carbon_tC_ha)[k];
    row.co2e_t = row.carbon_tC * 44.0 / 12.0;
    r.carbon.push_back(row);
  }
}

// Per mine: area_ha = Σ c_i·a_i, carbon_tC = Σ c_i·a_i·C_k(i) over the mine's valid cells, with
// c_i the exact coverage fraction and a_i the true cell area in ha. `observed` (the observed
// rows, in mine order) gives the change; null on the observed map itself.
void add_mine_carbon(ScenarioResult& r, const ScenarioInputs& in, const std::string& scenario,
                     int year, const std::vector<std::int32_t>& map,
                     const std::vector<ScenarioMineCarbonRow>* observed, int threads) {
  const std::size_t n_mines = in.mines.size();
  std::vector<ScenarioMineCarbonRow> rows(n_mines);
  parallel_for(n_mines, threads, [&](std::size_t mine, std::size_t) {
    const geo::Coverage& cov = in.mines[mine].coverage;
    ScenarioMineCarbonRow& row = rows[mine];
    row.mine = mine;
    row.scenario = scenario;
    row.year = year;
    std::size_t idx = 0;
    for (std::int64_t rr = cov.window.row0; rr < cov.window.row0 + cov.window.rows; ++rr)
      for (std::int64_t cc = cov.window.col0; cc < cov.window.col0 + cov.window.cols; ++cc, ++idx) {
        const double frac = cov.frac[idx];
        if (frac <= 0) continue;
        const std::size_t cell =
            static_cast<std::size_t>(rr) * in.width + static_cast<std::size_t>(cc);
        const std::int32_t k = map[cell];
        if (k < 0) continue;
        const double a_ha =
            frac * (in.cell_area_m2.empty() ? in.cell_area_ha : in.cell_area_m2[cell] / 1e4);
        row.area_ha += a_ha;
        row.carbon_tC += a_ha * (*in.carbon_tC_ha)[static_cast<std::size_t>(k)];
      }
    row.co2e_t = row.carbon_tC * 44.0 / 12.0;
  });
  const std::size_t first_observed = observed ? r.mine_carbon.size() - n_mines : 0;
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (observed)
      rows[mine].change_tC = rows[mine].carbon_tC - (*observed)[first_observed + mine].carbon_tC;
    r.mine_carbon.push_back(rows[mine]);
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
  const auto area_of = [&](std::size_t cell) {
    return in.cell_area_m2.empty() ? in.cell_area_ha : in.cell_area_m2[cell] / 1e4;
  };
  // Class areas of a map in ha (true cell areas) and the mean valid cell of T2.
  const auto class_area_ha = [&](const std::vector<std::int32_t>& map) {
    std::vector<double> area(n, 0.0);
    for (std::size_t cell = 0; cell < n_cells; ++cell)
      if (map[cell] >= 0) area[static_cast<std::size_t>(map[cell])] += area_of(cell);
    return area;
  };
  const std::vector<double> t2_area = class_area_ha(in.final_map);
  double valid_t2_ha = 0;
  for (double a : t2_area)
    valid_t2_ha += a;
  const double mean_cell_ha = valid_t2 > 0 ? valid_t2_ha / static_cast<double>(valid_t2) : 0.0;

  if (!in.markov_factors.empty()) r.markov = scenario::adjust_markov(r.markov, in.markov_factors);
  const DemandChoice choice = parse_demand(params.demand);
  const double years_after = static_cast<double>(r.horizon_year - in.year_final);
  nlohmann::json demand_notes;
  std::vector<double> projected;
  const auto markov_projection = [&]() {
    if (params.non_whole_steps == NonWholeSteps::interpolate) {
      demand_notes["non_whole_steps"] = "linear interpolation of areas between whole steps";
      return scenario::project_demand_years(s2, r.markov, static_cast<double>(step), years_after);
    }
    scenario::MatrixRoot root;
    std::vector<double> out = scenario::project_demand_years_root(
        s2, r.markov, static_cast<double>(step), years_after, &root);
    demand_notes["non_whole_steps"] = "matrix root S P^m P^f (eigen-decomposition)";
    demand_notes["matrix_root"] = {{"negative_entries", root.negative_entries},
                                   {"most_negative", root.most_negative},
                                   {"imaginary_residue", root.imaginary_residue}};
    if (root.negative_entries > 0)
      r.warnings.add("matrix_root_negative",
                     "the matrix root P^f of the Markov matrix has " +
                         std::to_string(root.negative_entries) + " negative entries (smallest " +
                         std::to_string(root.most_negative) +
                         "): it is not a transition matrix; negative projected areas are set "
                         "to 0");
    return out;
  };
  std::int64_t clamped = 0;
  const auto clamp = [&](std::vector<double>& v) {
    for (double& x : v)
      if (x < 0) {
        x = 0;
        ++clamped;
      }
  };
  switch (choice.method) {
    case DemandMethod::markov:
      projected = markov_projection();
      clamp(projected);
      r.demand_method = "markov";
      break;
    case DemandMethod::linear: {
      std::vector<std::vector<double>> by_map;
      std::vector<double> years;
      const auto cells_of = [&](const std::vector<std::int32_t>& map) {
        std::vector<double> c(n, 0.0);
        for (std::int32_t k : map)
          if (k >= 0) c[static_cast<std::size_t>(k)] += 1;
        return c;
      };
      if (!in.earlier.empty()) {
        by_map.push_back(cells_of(in.earlier));
        years.push_back(in.year_earlier);
      }
      by_map.push_back(cells_of(in.initial));
      years.push_back(in.year_initial);
      by_map.push_back(s2);
      years.push_back(in.year_final);
      projected = scenario::linear_demand(by_map, years, r.horizon_year);
      clamp(projected);
      demand_notes["maps"] = years;
      demand_notes["fit"] = "per-class OLS of cells on year; rescaled to T2's valid cells";
      r.demand_method = "linear";
      break;
    }
    case DemandMethod::fixed: {
      if (!in.fixed_demand)
        throw ConfigError(
            "scenario: demand = \"fixed\" needs demand_file (class,cells or "
            "class,area_ha; one row per class)");
      projected = *in.fixed_demand;
      if (in.fixed_in_ha)
        for (double& v : projected)
          v /= mean_cell_ha;
      double total = 0;
      for (double v : projected)
        total += v;
      // Whole cells may differ from the areas by < 1 cell per class after rounding.
      if (std::fabs(total - static_cast<double>(valid_t2)) > 0.5 * static_cast<double>(n))
        throw ConfigError(
            "scenario: the fixed demands of " + in.fixed_source + " sum to " +
            (in.fixed_in_ha ? format_plain(total * mean_cell_ha) + " ha"
                            : format_plain(total) + " cells") +
            " but the final map's valid area is " +
            (in.fixed_in_ha ? format_plain(valid_t2_ha) + " ha"
                            : std::to_string(valid_t2) + " cells") +
            "; the demands must sum to the valid area (within half a cell per class)");
      demand_notes["source"] = in.fixed_source;
      demand_notes["unit"] = in.fixed_in_ha ? "ha (divided by the mean valid cell area)" : "cells";
      r.demand_method = "fixed";
      break;
    }
    case DemandMethod::plan: {
      if (!in.plan_area_ha)
        throw ConfigError("scenario: demand = \"" + params.demand +
                          "\" needs the plan stage's optimum: run the plan stage with "
                          "[plan.optimise] first (minecarbon run), or give plan_allocation "
                          "(its pareto_allocation.csv) when run alone");
      double plan_cells = 0;
      std::vector<double> plan(n, 0.0);
      for (std::size_t k = 0; k < n; ++k) {
        plan[k] = (*in.plan_area_ha)[k] / mean_cell_ha;
        plan_cells += plan[k];
      }
      if (plan_cells > static_cast<double>(valid_t2) + 0.5 * static_cast<double>(n))
        throw ConfigError(
            "scenario: the plan point '" + choice.plan_point + "' (" + in.plan_source +
            ") allocates " + format_plain(plan_cells * mean_cell_ha) +
            " ha, more than the final map's valid area " + format_plain(valid_t2_ha) + " ha");
      // The plan fixes the structure of its zones; the rest of the valid area follows the
      // Markov projection's shares (our choice, documented in docs/scenario.md §2).
      std::vector<double> rest = markov_projection();
      clamp(rest);
      double rest_total = 0;
      for (double v : rest)
        rest_total += v;
      const double remaining = std::max(0.0, static_cast<double>(valid_t2) - plan_cells);
      projected.assign(n, 0.0);
      for (std::size_t k = 0; k < n; ++k)
        projected[k] = plan[k] + (rest_total > 0 ? rest[k] / rest_total * remaining : 0.0);
      demand_notes["plan_point"] = choice.plan_point;
      demand_notes["plan_source"] = in.plan_source;
      demand_notes["plan_area_ha"] = *in.plan_area_ha;
      demand_notes["rest"] = "the valid area outside the plan's total shared by the Markov shares";
      r.demand_method = "plan:" + choice.plan_point;
      break;
    }
  }
  if (clamped > 0)
    r.warnings.add("negative_demand", std::to_string(clamped) +
                                          " projected class areas were negative and are set to "
                                          "0 before rounding to whole cells");
  const std::vector<std::int64_t> demand = scenario::integer_demand(projected, valid_t2);
  for (std::size_t k = 0; k < n; ++k) {
    r.demand.push_back(
        {"observed", in.year_final, k, static_cast<std::int64_t>(s2[k]), t2_area[k]});
    r.demand.push_back(
        {params.name, r.horizon_year, k, demand[k], static_cast<double>(demand[k]) * mean_cell_ha});
  }

  // LEAS on T1 → T2.
  scenario::LeasInputs li;
  li.n_classes = n;
  li.from_idx = in.initial;
  li.to_idx = in.final_map;
  li.driver_names = in.driver_names;
  for (const auto& d : in.drivers)
    li.drivers.emplace_back(d);
  const scenario::LeasInputs li_historical = li;  // without future layers
  if (!in.drivers_future.empty()) {
    if (in.drivers_future.size() != in.drivers.size())
      throw ConfigError("scenario: " + std::to_string(in.drivers_future.size()) +
                        " future driver layers for " + std::to_string(in.drivers.size()) +
                        " drivers; give one per driver");
    for (const auto& d : in.drivers_future)
      li.drivers_future.emplace_back(d);
  }
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

  // Validation. Out of sample (with T0): LEAS trained on T0 → T1, CARS from T1 to T2's own
  // demand, compared with T2. In sample (without T0): LEAS trained on T1 → T2 (historical
  // drivers), CARS from T1 to T2's demand, compared with T2 — labelled so.
  if (params.validate) {
    const bool out_of_sample = !in.earlier.empty();
    r.validation_kind = out_of_sample ? "out_of_sample" : "in_sample";
    std::vector<double> validation_probability_store;
    std::span<const float> validation_probability = r.leas.probability;
    scenario::LeasResult validation_leas;
    if (out_of_sample) {
      scenario::LeasInputs vl = li_historical;
      vl.from_idx = in.earlier;
      vl.to_idx = in.initial;
      validation_leas = scenario::run_leas(vl, lp);
      validation_probability = validation_leas.probability;
    } else if (!in.drivers_future.empty()) {
      validation_leas = scenario::run_leas(li_historical, lp);
      validation_probability = validation_leas.probability;
    }
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
    vi.probability = validation_probability;
    r.validation_run = scenario::run_cars(vi, cp);
    r.confusion = scenario::confusion_matrix(r.validation_run->map, in.final_map, start, n);
    r.agreement = scenario::agreement(*r.confusion);
    r.fom = scenario::figure_of_merit(start, in.final_map, r.validation_run->map);
    if (out_of_sample) {
      // The persistence baseline (the T1 map as the prediction of T2) for comparison.
      const scenario::ConfusionMatrix persist =
          scenario::confusion_matrix(start, in.final_map, start, n);
      r.summary["validation_persistence"] = {
          {"overall_accuracy", scenario::agreement(persist).overall_accuracy},
          {"kappa", scenario::agreement(persist).kappa},
          {"fom", 0.0}};
    }
  }

  if (in.carbon_tC_ha) {
    add_carbon(r, in, "observed", in.year_final, in.final_map);
    add_carbon(r, in, params.name, r.horizon_year, r.cars.map);
    if (!in.mines.empty()) {
      for (const auto& m : in.mines)
        r.mine_ids.push_back(m.id);
      add_mine_carbon(r, in, "observed", in.year_final, in.final_map, nullptr, context.threads);
      add_mine_carbon(r, in, params.name, r.horizon_year, r.cars.map, &r.mine_carbon,
                      context.threads);
    }
  }

  nlohmann::json& s = r.summary;
  s["grid"] = {{"width", in.width}, {"height", in.height}, {"cell_area_ha", in.cell_area_ha}};
  s["years"] = {{"initial", in.year_initial},
                {"final", in.year_final},
                {"horizon", r.horizon_year},
                {"markov_step_years", step}};
  s["grid"]["cell_area"] = in.cell_area_method;
  s["demand"] = demand_notes;
  s["demand"]["method"] = r.demand_method;
  s["demand"]["rounding"] = "largest remainder to whole cells summing to the valid cells";
  if (!in.markov_factors.empty())
    s["demand"]["markov_factors"] = {
        {"source", in.markov_factors_source},
        {"count", in.markov_factors.size()},
        {"note", "P_ij *= factor, rows renormalised; markov_p is the adjusted matrix"}};
  s["leas"] = {{"valid_cells", r.leas.valid_cells},
               {"sampled_cells", r.leas.sampled_cells},
               {"probability", std::string(kLeasProbabilityNames.name(params.probability))},
               {"contribution", "OOB permutation importance, negatives set to 0, sum 1"},
               {"drivers_future", !in.drivers_future.empty()}};
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
    s["validation"] = {{"kind", r.validation_kind},
                       {"overall_accuracy", r.agreement->overall_accuracy},
                       {"kappa", r.agreement->kappa},
                       {"fom", r.fom->fom},
                       {"excluded_cells", r.confusion->excluded_cells}};
  }
  return r;
}

}  // namespace minecarbon::assess
