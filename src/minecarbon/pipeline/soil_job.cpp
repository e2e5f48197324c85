#include "minecarbon/pipeline/soil_job.h"

#include <cmath>
#include <cstdio>
#include <tuple>
#include <utility>

#include "minecarbon/assess/factor_table.h"
#include "minecarbon/assess/soil/soil_tables.h"
#include "minecarbon/carbon/rothc_input.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/factor_table.h"
#include "minecarbon/pipeline/publish.h"

namespace minecarbon::pipeline {
namespace {

// Keys marked required must be present in the table (a whole number such as last_year has no
// "unset" value to check later).
template <class Settings>
void require_keys(const OptionTable<Settings>& options, const toml::table& table,
                  const TomlSource& source, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> keys = extra;
  for (const auto& o : options.options())
    if (o.spec.required) keys.push_back(o.spec.key);
  for (const auto& key : keys)
    if (!table.get(key)) throw ConfigError(toml_where(source, table, key) + ": required");
}

// Reads one table through its options, checks its required keys and every range, each error
// pointing at the table's line.
template <class Settings>
void read_checked(const OptionTable<Settings>& options, const toml::table& table,
                  const TomlSource& source, Settings& settings,
                  const std::vector<std::string>& also_known = {},
                  const std::vector<std::string>& also_required = {}) {
  read_toml_options(options, table, source, settings, also_known);
  require_keys(options, table, source, also_required);
  try {
    check_options(options, settings);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
}

// The [[key]] tables of `table`, or none.
const toml::array* tables_of(const toml::table& table, const TomlSource& source,
                             const std::string& key) {
  const toml::node* node = table.get(key);
  if (!node) return nullptr;
  const toml::array* array = node->as_array();
  if (!array || !array->is_array_of_tables())
    throw ConfigError(toml_where(source, table, key) + ": expected an array of tables, [[" +
                      source.section + "." + key + "]]");
  return array;
}

TomlSource nested(const TomlSource& source, const std::string& name) {
  return {source.file, source.section + "." + name, source.base_dir};
}

TomlSource item(const TomlSource& source, const std::string& name, std::size_t index) {
  return {source.file, source.section + "." + name + "[" + std::to_string(index + 1) + "]",
          source.base_dir};
}

SoilIpccJob ipcc_from_toml(const toml::table& table, const TomlSource& source) {
  SoilIpccJob job;
  read_checked(soil_ipcc_options(), table, source, job, {"states"});
  const toml::array* states = tables_of(table, source, "states");
  if (!states || states->empty())
    throw ConfigError(toml_where(source, table, "states") +
                      ": required: [[soil.ipcc.states]] tables");
  for (std::size_t idx = 0; idx < states->size(); ++idx) {
    const toml::table& st = *(*states)[idx].as_table();
    assess::IpccStateSpec state;
    state.label = "state " + std::to_string(idx + 1);
    read_checked(assess::IpccStateSpec::options(), st, item(source, "states", idx), state);
    job.spec.states.push_back(state);
  }
  try {
    job.spec.validate();
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

SoilScenarioJob scenario_from_toml(const toml::table& table, const TomlSource& source,
                                   std::size_t index) {
  SoilScenarioJob job;
  carbon::ReclamationScenario& sc = job.scenario;
  read_checked(soil_scenario_options(), table, source, job, {"phases", "amendments", "biochar"},
               {"clay_pct"});
  const toml::array* phases = tables_of(table, source, "phases");
  if (!phases || phases->empty())
    throw ConfigError(toml_where(source, table, "phases") + ": required: [[" + source.section +
                      ".phases]]");
  for (std::size_t idx = 0; idx < phases->size(); ++idx) {
    carbon::VegetationPhase phase;
    phase.label = "phase " + std::to_string(idx + 1);
    read_checked(assess::vegetation_phase_options(), *(*phases)[idx].as_table(),
                 item(source, "phases", idx), phase);
    sc.phases.push_back(phase);
  }
  if (const toml::array* amendments = tables_of(table, source, "amendments")) {
    for (std::size_t idx = 0; idx < amendments->size(); ++idx) {
      assess::AmendmentSpec spec;
      read_checked(assess::AmendmentSpec::options(), *(*amendments)[idx].as_table(),
                   item(source, "amendments", idx), spec);
      sc.amendments.push_back(spec.to_amendment());
    }
  }
  if (const toml::array* biochar = tables_of(table, source, "biochar")) {
    for (std::size_t idx = 0; idx < biochar->size(); ++idx) {
      carbon::BiocharAddition b;
      read_checked(assess::biochar_addition_options(), *(*biochar)[idx].as_table(),
                   item(source, "biochar", idx), b);
      sc.biochar.push_back(b);
    }
  }
  try {
    assess::validate_scenario(sc, index);
    check_paths_exist(soil_scenario_options(), job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

}  // namespace

// ---- soil ----------------------------------------------------------------------------------

const OptionTable<SoilJob>& soil_options() {
  static const OptionTable<SoilJob> table = [] {
    using J = SoilJob;
    OptionTable<J> t("soil");
    t.add_path(
         "profiles", [](J& j) -> std::string& { return j.profiles; },
         "profile CSV: one row per horizon (see docs/soil.md)")
        .must_exist();
    t.add_path(
         "areas", [](J& j) -> std::string& { return j.areas; },
         "CSV mine_id, land_use, area_ha for totals")
        .must_exist();
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(assess::SoilParams::options(), [](J& j) -> assess::SoilParams& { return j.params; });
    return t;
  }();
  return table;
}

const OptionTable<SoilIpccJob>& soil_ipcc_options() {
  static const OptionTable<SoilIpccJob> table = [] {
    using J = SoilIpccJob;
    OptionTable<J> t("soil.ipcc");
    t.include(assess::SoilIpccSpec::options(),
              [](J& j) -> assess::SoilIpccSpec& { return j.spec; });
    t.add_path(
         "ipcc_factors", [](J& j) -> std::string& { return j.factors; },
         "your factor table (its rows win over the shipped ones)")
        .must_exist();
    t.add_path(
         "soc_ref_table", [](J& j) -> std::string& { return j.soc_ref_table; },
         "your SOC_REF table")
        .must_exist();
    return t;
  }();
  return table;
}

const OptionTable<SoilScenarioJob>& soil_scenario_options() {
  static const OptionTable<SoilScenarioJob> table = [] {
    using J = SoilScenarioJob;
    OptionTable<J> t("soil.scenarios");
    t.include(assess::reclamation_scenario_options(),
              [](J& j) -> carbon::ReclamationScenario& { return j.scenario; });
    t.add_path(
         "climate", [](J& j) -> std::string& { return j.climate; },
         "monthly CSV: 12 rows, or 12 per simulated year")
        .required()
        .must_exist();
    return t;
  }();
  return table;
}

void validate(const SoilJob& job) {
  job.params.validate();
  check_options(soil_options(), job);
  check_encoding(job.encoding, "[soil] encoding");
  if (job.profiles.empty() && !job.ipcc && job.scenarios.empty())
    throw OptionError("soil", "profiles",
                      "nothing to do: give profiles, an [soil.ipcc] table or [[soil.scenarios]]");
  if (job.ipcc) {
    job.ipcc->spec.validate();
    check_options(soil_ipcc_options(), *job.ipcc);
    check_paths_exist(soil_ipcc_options(), *job.ipcc);
    // Before any table is read: areas_land_use without an areas table, a scenario named "ipcc".
    std::vector<carbon::ReclamationScenario> scenarios;
    for (const auto& sc : job.scenarios)
      scenarios.push_back(sc.scenario);
    assess::check_ipcc_against_stage(job.ipcc->spec, !job.areas.empty(), scenarios);
  }
  for (std::size_t idx = 0; idx < job.scenarios.size(); ++idx) {
    assess::validate_scenario(job.scenarios[idx].scenario, idx);
    try {
      check_options(soil_scenario_options(), job.scenarios[idx]);
      check_paths_exist(soil_scenario_options(), job.scenarios[idx]);
    } catch (const OptionError& e) {
      throw OptionError("soil.scenarios[" + std::to_string(idx + 1) + "]", e.key(), e.problem());
    }
  }
  check_paths_exist(soil_options(), job);
}

SoilJob soil_job_from_toml(const toml::table& table, const TomlSource& source) {
  SoilJob job;
  read_toml_options(soil_options(), table, source, job, {"ipcc", "scenarios"});
  if (const toml::node* node = table.get("ipcc")) {
    const toml::table* it = node->as_table();
    if (!it)
      throw ConfigError(toml_where(source, table, "ipcc") + ": expected a table [soil.ipcc]");
    job.ipcc = ipcc_from_toml(*it, nested(source, "ipcc"));
  }
  if (const toml::array* scenarios = tables_of(table, source, "scenarios")) {
    for (std::size_t idx = 0; idx < scenarios->size(); ++idx)
      job.scenarios.push_back(
          scenario_from_toml(*(*scenarios)[idx].as_table(), item(source, "scenarios", idx), idx));
  }
  try {
    validate(job);
  } catch (const OptionError& e) {
    if (e.stage() != "soil")
      throw ConfigError(source.file + " [" + e.stage() + "] " + with_problem(e.key(), e.problem()));
    throw toml_option_error(e, source, table);
  }
  return job;
}

nlohmann::json soil_parameters_json(const SoilJob& job) {
  nlohmann::json out = options_json(soil_options(), job);
  if (job.ipcc) {
    out["ipcc"] = options_json(soil_ipcc_options(), *job.ipcc);
    for (const auto& state : job.ipcc->spec.states)
      out["ipcc"]["states"].push_back(options_json(assess::IpccStateSpec::options(), state));
  }
  for (const auto& sc : job.scenarios) {
    nlohmann::json s = assess::scenario_json(sc.scenario);
    s["climate"] = sc.climate;
    out["scenarios"].push_back(std::move(s));
  }
  return out;
}

std::shared_ptr<LoadedSoil> load_soil(const SoilJob& job) {
  validate(job);
  auto loaded = std::make_shared<LoadedSoil>();
  loaded->job = job;
  assess::SoilInputs& inputs = loaded->inputs;
  auto read = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
    return read_csv_file(file, {job.encoding});
  };
  if (!job.profiles.empty()) inputs.profiles = read(job.profiles, "profiles");
  if (!job.areas.empty()) inputs.areas = read(job.areas, "areas");
  if (job.ipcc) {
    inputs.ipcc = job.ipcc->spec;
    auto& t = inputs.ipcc_tables;
    // Shipped rows first, cited as data/<file>:<line>; a user row replaces every shipped row of
    // the same key (assess/factor_table.h, docs/factor_tables.md).
    auto rows = [&](const char* shipped, const std::string& own, const std::string& kind,
                    auto parse, auto key_of, std::vector<std::string>& files) {
      FactorTableFiles read = read_factor_table_files(shipped, own, job.encoding);
      if (!own.empty()) {
        loaded->files.push_back(own);
        loaded->kinds.push_back(kind);
      }
      decltype(parse(read.tables.front())) shipped_rows = parse(read.tables.front()), user_rows;
      if (read.tables.size() > 1) user_rows = parse(read.tables[1]);
      for (std::size_t idx = 0; idx < read.files.size(); ++idx)
        files.push_back(idx == 0 ? read.files[idx] + " (shipped)" : read.files[idx]);
      return assess::merge_factor_rows(std::move(shipped_rows), std::move(user_rows), key_of);
    };
    t.factors = rows(
        "ipcc_soil_factors.csv", job.ipcc->factors, "IPCC factor table",
        [](const CsvText& csv) { return carbon::parse_ipcc_factor_table(csv); },
        [](const carbon::IpccFactorRow& r) {
          return std::make_tuple(r.land_use, r.factor, r.level, r.temperature_regime,
                                 r.moisture_regime);
        },
        t.factor_files);
    t.soc_ref = rows(
        "ipcc_soil_soc_ref.csv", job.ipcc->soc_ref_table, "IPCC SOC_REF table",
        [](const CsvText& csv) { return carbon::parse_ipcc_soc_ref_table(csv); },
        [](const carbon::IpccSocRefRow& r) { return std::make_pair(r.climate, r.soil_type); },
        t.soc_ref_files);
  }
  for (const auto& sc : job.scenarios) {
    inputs.scenarios.push_back(sc.scenario);
    inputs.scenarios.back().climate = assess::rothc_months_from_csv(
        read(sc.climate, "climate of scenario '" + sc.scenario.name + "'"));
  }
  return loaded;
}

nlohmann::json run_soil_job(const LoadedSoil& loaded, StageOutput& out, const RunContext& context,
                            assess::SoilResult* keep) {
  assess::SoilResult result = assess::run_soil(loaded.job.params, loaded.inputs, context);
  // The files too, and what the tables said (which factor tables, how many climate rows).
  nlohmann::json parameters = soil_parameters_json(loaded.job);
  const nlohmann::json& computed = result.summary["parameters"];
  if (computed.contains("ipcc")) {
    parameters["ipcc"]["factor_tables"] = computed["ipcc"]["factor_tables"];
    parameters["ipcc"]["soc_ref_tables"] = computed["ipcc"]["soc_ref_tables"];
  }
  result.summary["parameters"] = std::move(parameters);
  record_warnings(result.summary, result.warnings, "soil", context);
  const assess::SoilTables tables = assess::to_tables(result);
  write_csv_tables(out, tables.with_rows());
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

// ---- rothc ---------------------------------------------------------------------------------

const OptionTable<RothCJob>& rothc_options() {
  static const OptionTable<RothCJob> table = [] {
    using J = RothCJob;
    OptionTable<J> t("rothc");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.add_path(
         "input", [](J& j) -> std::string& { return j.input_dat; },
         "official RothC_input.dat (v1 or v2 layout)")
        .must_exist();
    t.add_path(
         "months", [](J& j) -> std::string& { return j.months_csv; },
         "our form: monthly CSV (first 12 rows = spin-up year) with the site keys below")
        .must_exist();
    t.add_path(
         "sites", [](J& j) -> std::string& { return j.sites_csv; }, "batch: site table CSV")
        .must_exist();
    t.add_path(
         "climate", [](J& j) -> std::string& { return j.climate_csv; }, "batch: climate table CSV")
        .must_exist();
    t.include(assess::RothCParams::options(),
              [](J& j) -> assess::RothCParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const RothCJob& job) {
  check_options(rothc_options(), job);
  check_encoding(job.encoding, "[rothc] encoding");
  const int modes = !job.input_dat.empty() + !job.months_csv.empty() + !job.sites_csv.empty();
  if (modes != 1)
    throw OptionError("rothc", "input",
                      "give exactly one of input (RothC_input.dat), months (CSV) or sites (batch)");
  if (!job.sites_csv.empty() && job.climate_csv.empty())
    throw OptionError("rothc", "climate", "required with sites (the climate table)");
  check_paths_exist(rothc_options(), job);
}

RothCJob rothc_job_from_toml(const toml::table& table, const TomlSource& source) {
  RothCJob job;
  read_toml_options(rothc_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

std::shared_ptr<LoadedRothC> load_rothc(const RothCJob& job) {
  validate(job);
  auto loaded = std::make_shared<LoadedRothC>();
  loaded->job = job;
  assess::RothCInputs& inputs = loaded->inputs;
  auto note = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  if (!job.sites_csv.empty()) {
    note(job.sites_csv, "sites");
    note(job.climate_csv, "climate");
    inputs.sites = assess::batch_sites_from_csv(read_csv_file(job.sites_csv, {job.encoding}),
                                                read_csv_file(job.climate_csv, {job.encoding}));
    if (inputs.sites.empty()) throw DataError(job.sites_csv + ": has no sites");
  } else if (!job.input_dat.empty()) {
    note(job.input_dat, "RothC input");
    inputs.official = carbon::read_rothc_input_file(job.input_dat);
  } else {
    note(job.months_csv, "months");
    inputs.months =
        assess::rothc_months_from_csv(read_csv_file(job.months_csv, {job.encoding}), true);
  }
  return loaded;
}

nlohmann::json run_rothc_job(const LoadedRothC& loaded, StageOutput& out, const RunContext& context,
                             assess::RothCResult* keep) {
  const RothCJob& job = loaded.job;
  assess::RothCResult result = assess::run_rothc_stage(job.params, loaded.inputs, context);
  result.summary["parameters"] = options_json(rothc_options(), job);
  const std::vector<Table> tables = assess::rothc_tables(result);
  std::vector<const Table*> pointers;
  for (const auto& t : tables)
    pointers.push_back(&t);
  write_csv_tables(out, pointers);
  if (result.batch)
    context.say("rothc: " + std::to_string(result.sites.size()) + " sites x " +
                std::to_string(result.years) + " years in " +
                format_plain(std::round(result.run_s * 1000.0) / 1000.0) + " s");
  if (result.inverse)
    context.say("rothc: plant input for SOC " + format_plain(*job.params.inverse_soc_tC_ha) +
                " t C/ha: " + format_plain(result.inverse->plant_input_tC_ha_yr) + " t C/ha/yr");
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
