#include "minecarbon/assess/plan.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

// A list of numbers: [1, 3, 0.2] in a project file, "1,3,0.2" on the command line.
OptionCodec<std::vector<double>> number_list_codec() {
  OptionCodec<std::vector<double>> codec;
  codec.parse = [](const std::string& text) {
    std::vector<double> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
      out.push_back(option_detail::parse_number(item));
    return out;
  };
  codec.print = [](const std::vector<double>& v) {
    std::string out;
    for (double x : v)
      out += (out.empty() ? "" : ",") + format_plain(x);
    return out;
  };
  codec.from_toml = [](const toml::node& node) {
    const toml::array* array = node.as_array();
    if (!array) throw std::invalid_argument("expected a list of numbers, e.g. [1, 3, 0.333]");
    std::vector<double> out;
    for (const auto& item : *array) {
      auto v = item.value<double>();
      if (!v) throw std::invalid_argument("expected a list of numbers, e.g. [1, 3, 0.333]");
      out.push_back(*v);
    }
    return out;
  };
  return codec;
}

const Indicator* find_indicator(const std::string& name) {
  for (const Indicator& ind : kIndicators)
    if (name == ind.name) return &ind;
  return nullptr;
}

std::string indicator_names() {
  std::string out;
  for (const Indicator& ind : kIndicators)
    out += (out.empty() ? "" : ", ") + std::string(ind.name);
  return out;
}

// Yearly gain of one measure, t C/ha, t = 0..H (entry 0 unused).
std::vector<double> measure_gain(const Measure& m, int horizon, const PlanInputs& inputs,
                                 const Scheme& scheme, const SchemeClass& cls) {
  std::vector<double> g(static_cast<std::size_t>(horizon) + 1, 0.0);
  switch (m.source) {
    case CarbonSource::rate:
      for (int t = std::max(1, m.years_from); t <= std::min(horizon, m.years_to); ++t)
        g[static_cast<std::size_t>(t)] = m.delta_tC_ha_yr;
      break;
    case CarbonSource::ipcc: {
      constexpr int kTransition = 20;  // IPCC 2006 Vol. 4 ch. 2: default D = 20 yr
      const double rate = m.soc_ref_tC_ha * (m.factor_to - m.factor_from) / kTransition;
      for (int t = 1; t <= std::min(horizon, kTransition); ++t)
        g[static_cast<std::size_t>(t)] = rate;
      break;
    }
    case CarbonSource::rothc: {
      const auto it = inputs.rothc_gain_tC_ha_yr.find(m.rothc_scenario);
      if (it == inputs.rothc_gain_tC_ha_yr.end()) {
        std::string known;
        for (const auto& [name, _] : inputs.rothc_gain_tC_ha_yr)
          known += (known.empty() ? "" : ", ") + name;
        throw ConfigError(
            "plan: scheme '" + scheme.name + "' (" + scheme.where + "), class '" + cls.land_use +
            "', measure '" + m.measure + "' (" + m.where + "): carbon source rothc scenario '" +
            m.rothc_scenario + "' is missing: " +
            (known.empty() ? "no soil stage with [[soil.scenarios]] ran in this project"
                           : "the soil stage ran " + known) +
            "; add the scenario to [[soil.scenarios]] and run the project with `minecarbon run`, "
            "or give the measure carbon_source = rate with delta_tC_ha_yr");
      }
      for (std::size_t t = 1; t < g.size() && t <= it->second.size(); ++t)
        g[t] = it->second[t - 1];
      break;
    }
  }
  return g;
}

SchemeResult scheme_flows(const PlanParams& p, const PlanInputs& inputs, const Scheme& s,
                          ProblemList& warnings) {
  const int horizon = p.horizon_yr;
  const auto size = static_cast<std::size_t>(horizon) + 1;
  SchemeResult r;
  r.name = s.name;
  r.zone = s.zone;
  for (auto& pool : r.pool_gain_tC)
    pool.assign(size, 0.0);
  plan::SchemeFlows flows;
  flows.gain_tC.assign(size, 0.0);
  flows.opex_yuan.assign(size, 0.0);
  flows.other_benefit_yuan.assign(size, 0.0);
  for (const SchemeClass& cls : s.classes) {
    if (!(cls.area_ha >= 0.0))
      throw DataError("plan: scheme '" + s.name + "' (" + s.where + "), class '" + cls.land_use +
                      "': area_ha = " + format_plain(cls.area_ha) + " must be >= 0");
    r.area_ha += cls.area_ha;
    for (const std::string& name : cls.measures) {
      const auto it = std::find_if(
          inputs.measures.begin(), inputs.measures.end(),
          [&](const Measure& m) { return m.measure == name && m.land_use == cls.land_use; });
      if (it == inputs.measures.end()) {
        std::string for_class;
        for (const Measure& m : inputs.measures)
          if (m.land_use == cls.land_use) for_class += (for_class.empty() ? "" : ", ") + m.measure;
        throw ConfigError("plan: scheme '" + s.name + "' (" + s.where + "), class '" +
                          cls.land_use + "': measure '" + name +
                          "' has no row for this land use in the measures table (its measures "
                          "for '" +
                          cls.land_use + "': " + (for_class.empty() ? "none" : for_class) +
                          "); add a row measure = " + name + ", land_use = " + cls.land_use +
                          " with its costs and carbon source");
      }
      const Measure& m = *it;
      const double a = cls.area_ha;
      r.capex_yuan += a * m.capex_yuan_ha;
      r.works_co2e_t += a * m.works_co2e_t_ha;
      const std::vector<double> g = measure_gain(m, horizon, inputs, s, cls);
      for (std::size_t t = 1; t < size; ++t) {
        r.pool_gain_tC[static_cast<int>(m.pool)][t] += a * g[t];
        flows.gain_tC[t] += a * g[t];
        if (static_cast<int>(t) <= m.opex_years) flows.opex_yuan[t] += a * m.opex_yuan_ha_yr;
        flows.other_benefit_yuan[t] += a * m.benefit_yuan_ha_yr;
      }
      if (m.source == CarbonSource::rothc) {
        const auto& years = inputs.rothc_gain_tC_ha_yr.at(m.rothc_scenario);
        if (years.size() < static_cast<std::size_t>(horizon))
          warnings.add("rothc_shorter_than_horizon",
                       "plan: scheme '" + s.name + "', measure '" + m.measure +
                           "': the RothC scenario '" + m.rothc_scenario + "' runs " +
                           std::to_string(years.size()) + " years, horizon_yr = " +
                           std::to_string(horizon) + ": no soil gain counted after it");
      }
    }
  }
  r.baseline_tC.assign(size, 0.0);
  for (std::size_t t = 1; t < size; ++t) {
    r.baseline_tC[t] = s.baseline_tC_ha_yr * r.area_ha;
    flows.gain_tC[t] -= r.baseline_tC[t];
  }
  flows.capex_yuan = r.capex_yuan;
  flows.works_co2e_t = r.works_co2e_t;
  plan::EconomicSettings es;
  es.horizon_yr = horizon;
  es.discount_rate_pct = *p.discount_rate_pct;
  es.carbon_price_yuan_tco2e = *p.carbon_price;
  es.price_change_pct = p.price_change_pct;
  es.saturation_share = p.saturation_share;
  r.economics = plan::scheme_economics(flows, es);
  if (r.economics.no_abatement)
    warnings.add("scheme_no_abatement",
                 "plan: scheme '" + s.name + "': net CO2e over the horizon is " +
                     format_plain(r.economics.net_co2e_t) +
                     " t (works emissions outweigh the gain): cost per t CO2e is NA");
  return r;
}

}  // namespace

double indicator_value(const SchemeResult& s, const std::string& name) {
  const plan::SchemeEconomics& e = s.economics;
  if (name == "net_co2e_t") return e.net_co2e_t;
  if (name == "pv_cost_yuan") return e.pv_cost_yuan;
  if (name == "npv_yuan") return e.npv_yuan;
  if (name == "levelised_cost_yuan_tco2e") return e.levelised_cost_per_tco2e_yuan;
  if (name == "cost_per_tco2e_yuan") return e.cost_per_tco2e_yuan;
  if (name == "pv_carbon_yuan") return e.pv_carbon_yuan;
  if (name == "total_gain_tC") return e.total_gain_tC;
  throw std::logic_error("unknown indicator " + name);
}

const OptionTable<PlanParams>& PlanParams::options() {
  static const OptionTable<PlanParams> table = [] {
    using P = PlanParams;
    OptionTable<P> t("plan");
    t.add(
         "horizon_yr", [](P& p) -> int& { return p.horizon_yr; },
         "years over which carbon, costs and benefits are counted")
        .unit("yr")
        .range(1, 500);
    t.add(
         "discount_rate_pct", [](P& p) -> std::optional<double>& { return p.discount_rate_pct; },
         "yearly discount rate r of costs and benefits (no default: a choice of the study)")
        .unit("%")
        .above(-100)
        .required();
    t.add(
         "carbon_price", [](P& p) -> std::optional<double>& { return p.carbon_price; },
         "carbon price in year 0 (no default: e.g. a national ETS price of the study year)")
        .unit("yuan/t CO2e")
        .required();
    t.add(
         "price_change_pct", [](P& p) -> double& { return p.price_change_pct; },
         "yearly change g of the carbon price: P_t = P_0 (1 + g)^t")
        .unit("%")
        .above(-100);
    t.add(
         "saturation_share", [](P& p) -> double& { return p.saturation_share; },
         "saturation year: first year from which every yearly gain stays below this share of "
         "the largest")
        .range(0, 1);
    t.add(
         "indicators", [](P& p) -> std::vector<std::string>& { return p.indicators; },
         "scheme indicators the ranking uses, each with its direction (docs/plan.md)")
        .choices([] {
          std::vector<std::string> names;
          for (const Indicator& ind : kIndicators)
            names.emplace_back(ind.name);
          return names;
        }());
    t.add_choice(
        "weights", [](P& p) -> WeightMethod& { return p.weights; }, kWeightMethodNames.entries,
        "indicator weights: entropy (from the schemes' spread), ahp (ahp_matrix) or user "
        "(user_weights)");
    t.add_custom(
        "ahp_matrix", [](P& p) -> std::vector<double>& { return p.ahp_matrix; },
        number_list_codec(),
        "AHP pairwise matrix over the indicators, row by row (a_ji = 1/a_ij); CR >= 0.10 is "
        "warned");
    t.add_custom(
        "user_weights", [](P& p) -> std::vector<double>& { return p.user_weights; },
        number_list_codec(), "one weight >= 0 per indicator (normalised to sum 1)");
    t.add(
         "primary", [](P& p) -> std::string& { return p.primary; },
         "[plan.optimise] objective the ε-constraint front optimises")
        .shown_default("the first objective");
    t.add(
         "epsilon_points", [](P& p) -> std::int64_t& { return p.epsilon_points; },
         "ε grid points per other objective across its payoff range")
        .range(2, 10001);
    t.add_custom(
        "objective_weights", [](P& p) -> std::vector<double>& { return p.objective_weights; },
        number_list_codec(), "weights of the normalised objectives in the weighted sum");
    return t;
  }();
  return table;
}

void PlanParams::validate() const {
  check_options(options(), *this);
  if (indicators.empty())
    throw OptionError("plan", "indicators", "is empty: name at least one of " + indicator_names());
  for (const auto& name : indicators)
    if (!find_indicator(name))
      throw OptionError("plan", "indicators",
                        "'" + name + "' is not an indicator; expected " + indicator_names());
  const std::size_t m = indicators.size();
  if (weights == WeightMethod::ahp && ahp_matrix.size() != m * m)
    throw OptionError("plan", "ahp_matrix",
                      "has " + std::to_string(ahp_matrix.size()) + " values; weights = \"ahp\" " +
                          "needs the " + std::to_string(m) + " x " + std::to_string(m) +
                          " pairwise matrix of the indicators, row by row");
  if (weights == WeightMethod::ahp) {
    try {
      plan::ahp_weights(ahp_matrix, m);
    } catch (const std::invalid_argument& e) {
      throw OptionError("plan", "ahp_matrix", e.what());
    }
  }
  if (weights == WeightMethod::user) {
    if (user_weights.size() != m)
      throw OptionError("plan", "user_weights",
                        "has " + std::to_string(user_weights.size()) +
                            " values; give one per "
                            "indicator (" +
                            std::to_string(m) + ")");
    double sum = 0.0;
    for (double w : user_weights) {
      if (!(w >= 0.0) || !std::isfinite(w))
        throw OptionError("plan", "user_weights", "every weight must be a number >= 0");
      sum += w;
    }
    if (!(sum > 0.0)) throw OptionError("plan", "user_weights", "the weights sum to 0");
  }
}

PlanResult run_plan(const PlanParams& params, const PlanInputs& inputs,
                    const RunContext& /*context*/) {
  const auto started = std::chrono::steady_clock::now();
  params.validate();
  PlanResult result;
  result.params = params;
  for (const Scheme& s : inputs.schemes)
    result.schemes.push_back(scheme_flows(params, inputs, s, result.warnings));

  // Ranking over the schemes.
  if (result.schemes.size() >= 2) {
    PlanRanking ranking;
    ranking.indicators = params.indicators;
    plan::DecisionMatrix dm;
    dm.alternatives = result.schemes.size();
    dm.indicators = params.indicators.size();
    for (const auto& name : params.indicators)
      dm.directions.push_back(find_indicator(name)->direction);
    for (const auto& s : result.schemes)
      for (const auto& name : params.indicators) {
        const double v = indicator_value(s, name);
        if (!std::isfinite(v))
          throw DataError("plan: scheme '" + s.name + "': indicator " + name +
                          " is NA (no net abatement over the horizon): rank with indicators "
                          "that are defined for every scheme, or drop the scheme");
        dm.values.push_back(v);
      }
    switch (params.weights) {
      case WeightMethod::entropy:
        ranking.weights = plan::entropy_weights(dm);
        break;
      case WeightMethod::ahp:
        ranking.ahp = plan::ahp_weights(params.ahp_matrix, dm.indicators);
        ranking.weights = ranking.ahp->weights;
        if (!ranking.ahp->consistent)
          result.warnings.add("ahp_inconsistent",
                              "plan: ahp_matrix has CR = " + format_plain(ranking.ahp->cr) +
                                  " >= 0.10 (Saaty's limit): its judgements contradict each "
                                  "other; revise the pairwise comparisons");
        break;
      case WeightMethod::user: {
        double sum = 0.0;
        for (double w : params.user_weights)
          sum += w;
        for (double w : params.user_weights)
          ranking.weights.push_back(w / sum);
        break;
      }
    }
    ranking.vector = plan::topsis(dm, ranking.weights, plan::TopsisVariant::vector);
    ranking.min_max = plan::topsis(dm, ranking.weights, plan::TopsisVariant::min_max);
    ranking.dominated = plan::dominated(dm);
    result.ranking = std::move(ranking);
  } else if (!result.schemes.empty()) {
    result.warnings.add("ranking_one_scheme", "plan: one scheme only: no ranking");
  }

  // Land-use structure optimisation.
  if (inputs.land_use) {
    const plan::LandUseModel& m = *inputs.land_use;
    plan::LandUseSettings s;
    s.epsilon_points = static_cast<std::size_t>(params.epsilon_points);
    if (!params.primary.empty()) {
      const auto it = std::find_if(m.objectives.begin(), m.objectives.end(),
                                   [&](const auto& o) { return o.name == params.primary; });
      if (it == m.objectives.end())
        throw OptionError("plan", "primary",
                          "'" + params.primary + "' is not an objective of [plan.optimise]");
      s.primary = static_cast<std::size_t>(it - m.objectives.begin());
    }
    if (!params.objective_weights.empty() && params.objective_weights.size() != m.objectives.size())
      throw OptionError(
          "plan", "objective_weights",
          "give one weight per objective (" + std::to_string(m.objectives.size()) + ")");
    s.weights = params.objective_weights;
    PlanOptimum opt;
    opt.payoff = plan::payoff_table(m, s);
    if (m.objectives.size() >= 2) {
      opt.front = plan::epsilon_front(m, opt.payoff, s);
      for (const auto& g : opt.front.infeasible) {
        std::string eps;
        for (double e : g.epsilon)
          eps += (eps.empty() ? "" : ", ") + format_plain(e);
        result.warnings.add("epsilon_point_" + g.status,
                            "plan: ε grid point (" + eps + ") is " + g.status +
                                ": no allocation reaches these bounds");
      }
    }
    opt.weighted = plan::weighted_sum(m, opt.payoff, s);
    opt.fuzzy = plan::fuzzy_compromise(m, opt.payoff, s);
    result.land_use = m;
    result.optimum = std::move(opt);
  }

  nlohmann::json& summary = result.summary;
  summary["stage"] = "plan";
  summary["parameters"] = options_json(PlanParams::options(), params);
  summary["counts"] = {{"schemes", result.schemes.size()}, {"measures", inputs.measures.size()}};
  summary["timing_convention"] =
      "year 0: capital cost and works emissions, undiscounted; years 1..H: carbon gains, "
      "operating costs and other benefits at the end of the year, discounted by (1 + r)^-t; "
      "carbon price P0 (1 + g)^t";
  if (result.ranking) {
    summary["ranking"] = {{"weights_method", std::string(kWeightMethodNames.name(params.weights))},
                          {"indicators", result.ranking->indicators},
                          {"weights", result.ranking->weights}};
    if (result.ranking->ahp)
      summary["ranking"]["ahp"] = {{"lambda_max", result.ranking->ahp->lambda_max},
                                   {"ci", result.ranking->ahp->ci},
                                   {"ri", result.ranking->ahp->ri},
                                   {"cr", result.ranking->ahp->cr}};
  }
  if (result.optimum) {
    const auto& o = *result.optimum;
    summary["optimise"] = {{"solver", o.payoff.integer ? "COIN-OR CBC (MILP)" : "COIN-OR CLP"},
                           {"grid_points", o.front.grid_points},
                           {"front_points", o.front.points.size()},
                           {"infeasible_grid_points", o.front.infeasible.size()},
                           {"merged_duplicates", o.front.merged_duplicates},
                           {"dropped_weakly_efficient", o.front.dropped_dominated},
                           {"fuzzy_lambda", o.fuzzy.lambda}};
  }
  summary["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minecarbon::assess
