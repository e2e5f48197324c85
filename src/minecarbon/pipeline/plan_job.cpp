#include "minecarbon/pipeline/plan_job.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "minecarbon/assess/plan/plan_tables.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/pipeline/toml_file.h"
#include "minecarbon/plan/land_use_tables.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {
namespace {

inline constexpr NameTable<plan::ZoneAreaRule, 3> kZoneAreaNames{{{
    {plan::ZoneAreaRule::equal, "equal"},
    {plan::ZoneAreaRule::at_most, "at_most"},
    {plan::ZoneAreaRule::at_least, "at_least"},
}}};

std::string where(const CsvText& csv, std::size_t row, const std::string& column) {
  return csv.source + ":" + std::to_string(csv.line_numbers.at(row)) + ", column '" + column + "'";
}

std::string text_at(const CsvText& csv, std::size_t row, std::size_t col) {
  std::string text = csv.rows.at(row).at(col);
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

}  // namespace

const OptionTable<PlanOptimiseJob>& plan_optimise_options() {
  static const OptionTable<PlanOptimiseJob> table = [] {
    using J = PlanOptimiseJob;
    OptionTable<J> t("plan.optimise");
    t.add_path(
         "zones", [](J& j) -> std::string& { return j.zones; }, "CSV: zone, area_ha")
        .required()
        .must_exist();
    t.add_path(
         "coefficients", [](J& j) -> std::string& { return j.coefficients; },
         "CSV: objective, class, zone (empty = all), coef_per_ha, source")
        .required()
        .must_exist();
    t.add_path(
         "allowed", [](J& j) -> std::string& { return j.allowed; },
         "CSV: class, zone, allowed (0/1); pairs not listed are allowed")
        .must_exist();
    t.add_path(
         "class_limits", [](J& j) -> std::string& { return j.class_limits; },
         "CSV: class, min_ha, max_ha, min_share, max_share, min_patch_ha (empty = none)")
        .must_exist();
    t.add_path(
         "rows", [](J& j) -> std::string& { return j.rows; },
         "CSV of user rows: name, sense (<=, >=, =), rhs, one coefficient column per class")
        .must_exist();
    t.add(
         "objectives", [](J& j) -> std::vector<std::string>& { return j.objectives; },
         "objectives as \"name:max\" or \"name:min\", names of the coefficient table")
        .required();
    t.add(
         "budget", [](J& j) -> std::optional<double>& { return j.budget; },
         "upper bound of budget_objective's total (e.g. yuan)")
        .at_least(0);
    t.add(
        "budget_objective", [](J& j) -> std::string& { return j.budget_objective; },
        "the objective whose coefficients the budget row sums");
    t.add_choice(
        "zone_area", [](J& j) -> plan::ZoneAreaRule& { return j.zone_area; },
        kZoneAreaNames.entries,
        "each zone's classes sum to its area_ha: equal, at_most (land may stay unallocated) or "
        "at_least");
    return t;
  }();
  return table;
}

const OptionTable<PlanJob>& plan_options() {
  static const OptionTable<PlanJob> table = [] {
    using J = PlanJob;
    OptionTable<J> t("plan");
    t.add_path(
         "schemes", [](J& j) -> std::string& { return j.schemes; },
         "TOML file of [[schemes]] with [[schemes.classes]] (or [[plan.schemes]] in the project)")
        .must_exist();
    t.add_path(
         "measures", [](J& j) -> std::string& { return j.measures; },
         "CSV of measures: costs, works emissions and carbon source per measure and land use "
         "(user data; none shipped)")
        .must_exist();
    t.add_path(
         "model", [](J& j) -> std::string& { return j.model; },
         "TOML file with the land-use LP's [optimise] table (or [plan.optimise] in the project)")
        .must_exist();
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(assess::PlanParams::options(), [](J& j) -> assess::PlanParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const PlanJob& job) {
  check_options(plan_options(), job);
  check_encoding_option("plan", job.encoding);
  if (!job.schemes.empty() && !job.inline_schemes.empty())
    throw OptionError("plan", "schemes",
                      "both a schemes file and [[plan.schemes]] are given: keep one");
  if (job.schemes.empty() && job.inline_schemes.empty() && job.model.empty() && !job.optimise)
    throw OptionError("plan", "schemes",
                      "nothing to do: give schemes (a file, or [[plan.schemes]]) with measures, "
                      "and/or a land-use model (model, or [plan.optimise])");
  if ((!job.schemes.empty() || !job.inline_schemes.empty()) && job.measures.empty())
    throw OptionError("plan", "measures",
                      "is required with schemes: the costs and carbon source of each measure");
  if (!job.model.empty() && job.optimise)
    throw OptionError("plan", "model", "both a model file and [plan.optimise] are given");
  job.params.validate();
  check_paths_exist(plan_options(), job);
  if (job.optimise) {
    check_options(plan_optimise_options(), *job.optimise);
    check_paths_exist(plan_optimise_options(), *job.optimise);
  }
}

std::vector<assess::Scheme> schemes_from_toml(const toml::array& array, const TomlSource& source) {
  std::vector<assess::Scheme> out;
  std::set<std::string> names;
  for (std::size_t idx = 0; idx < array.size(); ++idx) {
    const toml::table* t = array[idx].as_table();
    const std::string here = source.file + ":" + line_of(array[idx]) + " [[" + source.section +
                             "]] " + std::to_string(idx + 1);
    if (!t) throw ConfigError(here + ": expected a table");
    assess::Scheme s;
    s.where = here;
    s.name = (*t)["name"].value_or(std::string());
    if (s.name.empty()) throw ConfigError(here + ": name is required (a text)");
    if (!names.insert(s.name).second)
      throw ConfigError(here + ": scheme name '" + s.name + "' used twice; names must differ");
    s.zone = (*t)["zone"].value_or(std::string());
    s.baseline_tC_ha_yr = (*t)["baseline_tC_ha_yr"].value_or(0.0);
    const double area = (*t)["area_ha"].value_or(std::nan(""));
    if (!std::isnan(area) && !(area >= 0.0))
      throw ConfigError(here + " area_ha = " + format_plain(area) + ": must be >= 0 (ha)");
    for (const auto& [key, node] : *t) {
      const std::string k(key.str());
      if (k != "name" && k != "zone" && k != "baseline_tC_ha_yr" && k != "area_ha" &&
          k != "classes")
        throw ConfigError(source.file + ":" + line_of(node) + " scheme '" + s.name + "' " + k +
                          ": unknown key (known: name, zone, area_ha, baseline_tC_ha_yr, "
                          "classes)");
    }
    const toml::array* classes = (*t)["classes"].as_array();
    if (!classes || classes->empty())
      throw ConfigError(here + " (scheme '" + s.name + "'): no [[" + source.section +
                        ".classes]]: give each land use with its "
                        "area_ha or share and its measures");
    for (std::size_t c = 0; c < classes->size(); ++c) {
      const toml::table* ct = (*classes)[c].as_table();
      const std::string chere = source.file + ":" + line_of((*classes)[c]) + " scheme '" + s.name +
                                "' class " + std::to_string(c + 1);
      if (!ct) throw ConfigError(chere + ": expected a table");
      assess::SchemeClass cls;
      cls.land_use = (*ct)["land_use"].value_or(std::string());
      if (cls.land_use.empty()) throw ConfigError(chere + ": land_use is required");
      const auto a = (*ct)["area_ha"].value<double>();
      const auto share = (*ct)["share"].value<double>();
      if (a.has_value() == share.has_value())
        throw ConfigError(chere + " ('" + cls.land_use +
                          "'): give exactly one of area_ha (ha) and share (of the scheme's "
                          "area_ha, 0..1)");
      if (a) {
        if (!(*a >= 0.0))
          throw ConfigError(chere + " ('" + cls.land_use + "') area_ha = " + format_plain(*a) +
                            ": must be >= 0 (ha)");
        cls.area_ha = *a;
      } else {
        if (!(*share >= 0.0 && *share <= 1.0))
          throw ConfigError(chere + " ('" + cls.land_use + "') share = " + format_plain(*share) +
                            ": must be in 0..1 (0.4 = 40 % of the scheme's area)");
        if (std::isnan(area))
          throw ConfigError(chere + " ('" + cls.land_use +
                            "'): share needs the scheme's area_ha; add area_ha to scheme '" +
                            s.name + "'");
        cls.area_ha = *share * area;
      }
      if (const toml::array* ms = (*ct)["measures"].as_array())
        for (const auto& m : *ms)
          cls.measures.push_back(m.value_or(std::string()));
      s.classes.push_back(std::move(cls));
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<assess::Measure> read_measures(const CsvText& csv) {
  std::vector<assess::Measure> out;
  const std::size_t c_measure = csv.column("measure"), c_lu = csv.column("land_use"),
                    c_capex = csv.column("capex_yuan_ha"), c_opex = csv.column("opex_yuan_ha_yr"),
                    c_opex_years = csv.column("opex_years"),
                    c_works = csv.column("works_co2e_t_ha"), c_source = csv.column("carbon_source");
  auto optional_col = [&](const char* name) -> std::optional<std::size_t> {
    if (csv.has_column(name)) return csv.column(name);
    return std::nullopt;
  };
  std::set<std::string> seen;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    assess::Measure m;
    m.where = csv.source + ":" + std::to_string(csv.line_numbers.at(row));
    m.measure = text_at(csv, row, c_measure);
    m.land_use = text_at(csv, row, c_lu);
    if (m.measure.empty() || m.land_use.empty())
      throw DataError(where(csv, row, m.measure.empty() ? "measure" : "land_use") +
                      ": empty; every measure row names its measure and land use");
    if (!seen.insert(m.measure + '\n' + m.land_use).second)
      throw DataError(m.where + ": measure '" + m.measure + "' for land use '" + m.land_use +
                      "' given twice; one row per measure and land use");
    auto required = [&](std::size_t col, const char* what) {
      const double v = csv.number(row, col);
      if (std::isnan(v))
        throw DataError(where(csv, row, csv.header[col]) + ": measure '" + m.measure + "' has no " +
                        what + "; give it (0 if there is none): minecarbon ships no costs");
      if (v < 0.0)
        throw DataError(where(csv, row, csv.header[col]) + ": " + format_plain(v) +
                        " must be >= 0");
      return v;
    };
    m.capex_yuan_ha = required(c_capex, "capital cost");
    m.opex_yuan_ha_yr = required(c_opex, "operating cost");
    const double years = required(c_opex_years, "operating years");
    if (std::floor(years) != years)
      throw DataError(where(csv, row, "opex_years") + ": expected a whole number of years");
    m.opex_years = static_cast<int>(years);
    m.works_co2e_t_ha = required(c_works, "works emissions (t CO2e/ha)");
    if (auto c = optional_col("benefit_yuan_ha_yr")) {
      const double v = csv.number(row, *c);
      m.benefit_yuan_ha_yr = std::isnan(v) ? 0.0 : v;
    }
    const std::string source = text_at(csv, row, c_source);
    const auto parsed = assess::kCarbonSourceNames.parse(source);
    if (!parsed)
      throw DataError(where(csv, row, "carbon_source") + ": '" + source + "' for measure '" +
                      m.measure + "'; expected " + assess::kCarbonSourceNames.choices() +
                      " (every measure needs a carbon source)");
    m.source = *parsed;
    if (auto c = optional_col("pool")) {
      const std::string pool = text_at(csv, row, *c);
      if (!pool.empty()) {
        const auto p = assess::kCarbonPoolNames.parse(pool);
        if (!p)
          throw DataError(where(csv, row, "pool") + ": '" + pool + "'; expected " +
                          assess::kCarbonPoolNames.choices());
        m.pool = *p;
      }
    }
    auto needed = [&](const char* name) {
      const auto c = optional_col(name);
      const double v = c ? csv.number(row, *c) : std::nan("");
      if (std::isnan(v))
        throw DataError(where(csv, row, name) + ": measure '" + m.measure +
                        "' has carbon_source = " + source + " but no " + name +
                        "; fill it in (docs/plan.md lists the columns of each source)");
      return v;
    };
    switch (m.source) {
      case assess::CarbonSource::rate: {
        m.delta_tC_ha_yr = needed("delta_tC_ha_yr");
        const auto from = optional_col("years_from");
        const double f = from ? csv.number(row, *from) : std::nan("");
        m.years_from = std::isnan(f) ? 1 : static_cast<int>(f);
        m.years_to = static_cast<int>(needed("years_to"));
        if (m.years_to < m.years_from)
          throw DataError(where(csv, row, "years_to") + ": " + std::to_string(m.years_to) +
                          " is before years_from (" + std::to_string(m.years_from) + ")");
        break;
      }
      case assess::CarbonSource::ipcc:
        m.soc_ref_tC_ha = needed("soc_ref_tC_ha");
        m.factor_from = needed("factor_from");
        m.factor_to = needed("factor_to");
        break;
      case assess::CarbonSource::rothc: {
        const auto c = optional_col("rothc_scenario");
        m.rothc_scenario = c ? text_at(csv, row, *c) : std::string();
        if (m.rothc_scenario.empty())
          throw DataError(where(csv, row, "rothc_scenario") + ": measure '" + m.measure +
                          "' has carbon_source = rothc but names no scenario");
        break;
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

namespace {

PlanOptimiseJob optimise_from_toml(const toml::table& table, const TomlSource& source) {
  PlanOptimiseJob job;
  read_toml_options(plan_optimise_options(), table, source, job);
  try {
    check_options(plan_optimise_options(), job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

}  // namespace

PlanJob plan_job_from_toml(const toml::table& section, const TomlSource& source) {
  PlanJob job;
  toml::table options = section;
  const toml::array* inline_schemes = nullptr;
  if (const toml::node* node = section.get("schemes"); node && node->is_array()) {
    inline_schemes = node->as_array();
    options.erase("schemes");
  }
  read_toml_options(plan_options(), options, source, job, {"optimise"});
  if (inline_schemes) {
    if (!inline_schemes->is_array_of_tables())
      throw ConfigError(toml_where(source, section, "schemes") +
                        ": expected [[plan.schemes]] tables or a file name");
    job.inline_schemes = schemes_from_toml(
        *inline_schemes, TomlSource{source.file, "plan.schemes", source.base_dir});
  }
  if (const toml::node* node = section.get("optimise")) {
    const toml::table* t = node->as_table();
    if (!t) throw ConfigError(toml_where(source, section, "optimise") + ": expected a table");
    job.optimise =
        optimise_from_toml(*t, TomlSource{source.file, "plan.optimise", source.base_dir});
  }
  try {
    validate(job);
  } catch (const OptionError& e) {
    if (e.stage() != "plan")
      throw ConfigError(source.file + " [" + e.stage() + "] " + with_problem(e.key(), e.problem()));
    throw toml_option_error(e, source, section);
  }
  return job;
}

std::shared_ptr<LoadedPlan> load_plan(const PlanJob& job_in, bool soil_in_project) {
  PlanJob job = job_in;
  auto loaded = std::make_shared<LoadedPlan>();
  // The files named by the job's options, read into the job.
  if (!job.schemes.empty()) {
    check_paths_exist(plan_options(), job);
    const toml::table doc = parse_toml_file(job.schemes);
    const toml::array* array = doc["schemes"].as_array();
    if (!array || !array->is_array_of_tables())
      throw ConfigError(job.schemes +
                        ": no [[schemes]] tables; each scheme is a [[schemes]] "
                        "table with [[schemes.classes]]");
    job.inline_schemes = schemes_from_toml(
        *array, TomlSource{job.schemes, "schemes", fs::path(job.schemes).parent_path()});
    loaded->files.push_back(job.schemes);
    loaded->kinds.push_back("schemes");
    job.schemes.clear();
  }
  if (!job.model.empty()) {
    check_paths_exist(plan_options(), job);
    const toml::table doc = parse_toml_file(job.model);
    const toml::node* node = doc.get("optimise");
    std::string section = "optimise";
    if (!node && doc["plan"]["optimise"]) {
      node = doc["plan"]["optimise"].node();
      section = "plan.optimise";
    }
    if (!node || !node->is_table())
      throw ConfigError(job.model +
                        ": no [optimise] table (the land-use LP's files and "
                        "objectives)");
    job.optimise = optimise_from_toml(
        *node->as_table(), TomlSource{job.model, section, fs::path(job.model).parent_path()});
    loaded->files.push_back(job.model);
    loaded->kinds.push_back("land-use model");
    job.model.clear();
  }
  validate(job);
  loaded->job = job;
  assess::PlanInputs& inputs = loaded->inputs;
  inputs.schemes = job.inline_schemes;
  const CsvReadOptions csv_options{job.encoding};
  if (!job.measures.empty()) {
    inputs.measures = read_measures(read_csv_file(job.measures, csv_options));
    loaded->files.push_back(job.measures);
    loaded->kinds.push_back("measures");
  }
  // A scheme's measures exist for its land use, and a rothc source has a soil stage to come from.
  for (const assess::Scheme& s : inputs.schemes)
    for (const assess::SchemeClass& cls : s.classes)
      for (const std::string& name : cls.measures)
        for (const assess::Measure& m : inputs.measures)
          if (m.measure == name && m.land_use == cls.land_use &&
              m.source == assess::CarbonSource::rothc && !soil_in_project)
            throw ConfigError("plan: scheme '" + s.name + "' (" + s.where + "), class '" +
                              cls.land_use + "', measure '" + m.measure + "' (" + m.where +
                              "): carbon source rothc scenario '" + m.rothc_scenario +
                              "' is missing: it comes from the soil stage's [[soil.scenarios]] "
                              "in the same project (`minecarbon run`); add a [soil] section "
                              "with that scenario, or use carbon_source = rate");
  if (job.optimise) {
    const PlanOptimiseJob& o = *job.optimise;
    plan::LandUseTables t;
    t.zones = read_csv_file(o.zones, csv_options);
    t.coefficients = read_csv_file(o.coefficients, csv_options);
    if (!o.allowed.empty()) t.allowed = read_csv_file(o.allowed, csv_options);
    if (!o.class_limits.empty()) t.class_limits = read_csv_file(o.class_limits, csv_options);
    if (!o.rows.empty()) t.rows = read_csv_file(o.rows, csv_options);
    t.objectives = o.objectives;
    t.zone_area_rule = o.zone_area;
    t.budget = o.budget ? *o.budget : plan::kNoLimit;
    t.budget_objective = o.budget_objective;
    inputs.land_use = plan::land_use_model(t);
    for (const std::string* p : {&o.zones, &o.coefficients, &o.allowed, &o.class_limits, &o.rows})
      if (!p->empty()) {
        loaded->files.push_back(*p);
        loaded->kinds.push_back("land-use table");
      }
  }
  return loaded;
}

PreparedStage plan_stage(std::shared_ptr<const LoadedPlan> loaded) {
  PreparedStage stage{"plan", "plan/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::PlanResult result;
    const nlohmann::json summary = run_plan_job(*loaded, &results, out, context, &result);
    std::string what = std::to_string(result.schemes.size()) + " schemes";
    if (result.optimum)
      what += ", " + std::to_string(result.optimum->front.points.size()) + " Pareto points";
    results.plan = std::move(result);
    return "plan: results in " + out.folder() + " (" + what + ")";
  };
  return stage;
}

nlohmann::json run_plan_job(const LoadedPlan& loaded, const StageResults* results, StageOutput& out,
                            const RunContext& context, assess::PlanResult* keep) {
  assess::PlanInputs inputs = loaded.inputs;
  std::vector<std::string> memory;
  if (results && results->soil)
    for (const auto& s : results->soil->scenarios) {
      std::vector<double>& years = inputs.rothc_gain_tC_ha_yr[s.scenario];
      for (const auto& y : s.years)
        years.push_back(y.sequestration_tC_ha_yr);
      memory.push_back("soil scenario " + s.scenario);
    }
  assess::PlanResult result = assess::run_plan(loaded.job.params, inputs, context);
  result.summary["parameters"] = options_json(plan_options(), loaded.job);
  if (loaded.job.optimise)
    result.summary["parameters"]["optimise"] =
        options_json(plan_optimise_options(), *loaded.job.optimise);
  result.summary["from_memory"] = memory;
  result.summary["not_yet_sources"] =
      "carbon sources not implemented yet: the vegetation stage's growth curve of a land use; "
      "baselines from the landuse pools or the damage stage's NEP; works emission factors from "
      "the emissions stage (works_co2e_t_ha is given per measure)";
  const assess::PlanTables tables = assess::to_tables(result);
  write_csv_tables(out,
                   {&tables.schemes, &tables.scheme_year, &tables.ranking, &tables.weights,
                    &tables.payoff, &tables.pareto, &tables.pareto_allocation, &tables.duals},
                   context.threads);
  record_warnings(result.summary, result.warnings, "plan", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
