#include "minecarbon/pipeline/project.h"

#include <algorithm>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/text.h"
#include "minecarbon/pipeline/balance_job.h"
#include "minecarbon/pipeline/classify_job.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/emissions_job.h"
#include "minecarbon/pipeline/indices_job.h"
#include "minecarbon/pipeline/landuse_job.h"
#include "minecarbon/pipeline/nep_job.h"
#include "minecarbon/pipeline/plan_job.h"
#include "minecarbon/pipeline/potential_job.h"
#include "minecarbon/pipeline/report_job.h"
#include "minecarbon/pipeline/scenario_job.h"
#include "minecarbon/pipeline/soil_job.h"
#include "minecarbon/pipeline/toml_file.h"
#include "minecarbon/pipeline/topography_job.h"
#include "minecarbon/pipeline/vegetation_job.h"
#include "minecarbon/pipeline/warning_job.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {
namespace {

std::string count_text(const nlohmann::json& summary, const char* key) {
  return summary.contains("counts") && summary["counts"].contains(key)
             ? summary["counts"][key].dump()
             : "?";
}

PreparedStage prepare_damage(const toml::table& section, const TomlSource& source,
                             const ProjectPlan& plan) {
  const DamageJob job = damage_job_from_toml(section, source, plan.has("nep"));
  if (job.nep_from_run) {
    // Checked now, so a [nep] that misses some of damage's years stops the run before any stage
    // runs (the [nep] section was read and checked before this one).
    const toml::table doc = toml::parse_file(source.file);
    const NepJob nep =
        nep_job_from_toml(*doc["nep"].as_table(), TomlSource{source.file, "nep", source.base_dir});
    if (job.years.first_year < nep.years.first_year || job.years.last_year > nep.years.last_year)
      throw ConfigError(source.file + ":" + std::to_string(section.source().begin.line) +
                        " [damage] years = \"" + job.years.label +
                        "\": [damage] has no nep key, so it takes the [nep] stage's annual NEP, "
                        "but [nep] years = \"" +
                        nep.years.label + "\" does not cover them; widen [nep] years, narrow " +
                        "[damage] years, or give [damage] nep = \"<rasters with {year}>\"");
  }
  return damage_stage(load_damage(job, plan.mine_sets.get()));
}

PreparedStage prepare_soil(const toml::table& section, const TomlSource& source,
                           const ProjectPlan&) {
  return soil_stage(load_soil(soil_job_from_toml(section, source)));
}

PreparedStage prepare_rothc(const toml::table& section, const TomlSource& source,
                            const ProjectPlan&) {
  return rothc_stage(load_rothc(rothc_job_from_toml(section, source)));
}

PreparedStage prepare_vegetation(const toml::table& section, const TomlSource& source,
                                 const ProjectPlan& plan) {
  return vegetation_stage(
      load_vegetation(vegetation_job_from_toml(section, source), plan.mine_sets.get()));
}

PreparedStage prepare_potential(const toml::table& section, const TomlSource& source,
                                const ProjectPlan& plan) {
  const PotentialJob job = potential_job_from_toml(section, source);
  // The response from this run's damage stage needs that stage in the project.
  if (!job.params.covariates_only && job.damage_dir.empty() && job.response_table.empty() &&
      !plan.has("damage")) {
    throw ConfigError(source.file +
                      " [potential]: no response: add a [damage] section to the "
                      "project, or give the damage output folder (damage = \"results\"), or a "
                      "table (response_table)");
  }
  // Every input opened now, so a bad one stops the run before any stage runs.
  return potential_stage(load_potential(job, plan.has("damage"), plan.mine_sets.get()));
}

PreparedStage prepare_landuse(const toml::table& section, const TomlSource& source,
                              const ProjectPlan& plan) {
  return landuse_stage(load_landuse(landuse_job_from_toml(section, source), plan.mine_sets.get()));
}

PreparedStage prepare_balance(const toml::table& section, const TomlSource& source,
                              const ProjectPlan& plan) {
  const BalanceJob job = balance_job_from_toml(section, source);
  // The project's stages that give the balance something: a vegetation projection of carbon, and
  // soil scenarios or an IPCC trajectory of a mine (the balance cannot use biomass, volume or soil
  // stocks alone).
  std::vector<std::string> stages, unusable;
  toml::table doc;
  if (plan.has("vegetation") || plan.has("soil")) doc = toml::parse_file(source.file);
  for (const char* stage : {"damage", "vegetation", "soil", "landuse", "emissions"}) {
    if (!plan.has(stage)) continue;
    if (std::string(stage) == "vegetation") {
      const std::string response =
          doc["vegetation"]["growth_response"].value_or(std::string("tree_carbon"));
      if (response != "tree_carbon" && response != "total_carbon") {
        unusable.push_back("[vegetation] growth_response = \"" + response +
                           "\" projects no carbon");
        continue;
      }
    }
    const auto ipcc = doc["soil"]["ipcc"];
    const bool ipcc_of_mines = ipcc["mine_id"].is_string() || ipcc["areas_land_use"].is_string();
    if (std::string(stage) == "soil" && !doc["soil"]["scenarios"].is_array() && !ipcc_of_mines) {
      unusable.push_back(
          "[soil] has no [[soil.scenarios]] and no [soil.ipcc] of a mine (mine_id or "
          "areas_land_use; stocks alone give no yearly flux)");
      continue;
    }
    stages.push_back(stage);
  }
  if (!has_any_folder(job) && stages.empty())
    throw ConfigError(source.file +
                      " [balance]: nothing to join: add the sections of the stages it joins "
                      "(damage, vegetation with a carbon growth_response, soil with scenarios "
                      "or an IPCC trajectory of a mine, landuse, emissions), or give from = "
                      "\"<results folder of another run>\"" +
                      (unusable.empty() ? std::string() : "; " + join(unusable, "; ")));
  return balance_stage(load_balance(job, plan.mine_sets.get(), true));
}

PreparedStage prepare_nep(const toml::table& section, const TomlSource& source,
                          const ProjectPlan&) {
  return nep_stage(load_nep(nep_job_from_toml(section, source)));
}

PreparedStage prepare_indices(const toml::table& section, const TomlSource& source,
                              const ProjectPlan& plan) {
  return indices_stage(load_indices(indices_job_from_toml(section, source), plan.mine_sets.get()));
}

PreparedStage prepare_emissions(const toml::table& section, const TomlSource& source,
                                const ProjectPlan&) {
  return emissions_stage(load_emissions(emissions_job_from_toml(section, source)));
}

PreparedStage prepare_plan(const toml::table& section, const TomlSource& source,
                           const ProjectPlan& plan) {
  return plan_stage(load_plan(plan_job_from_toml(section, source), plan.has("soil")));
}

PreparedStage prepare_warning(const toml::table& section, const TomlSource& source,
                              const ProjectPlan& plan) {
  return warning_stage(
      load_warning_section(section, source, plan.has("damage"), plan.mine_sets.get()));
}

PreparedStage prepare_topography(const toml::table& section, const TomlSource& source,
                                 const ProjectPlan& plan) {
  return topography_stage(
      load_topography(topography_job_from_toml(section, source), plan.mine_sets.get()));
}

PreparedStage prepare_scenario(const toml::table& section, const TomlSource& source,
                               const ProjectPlan&) {
  return scenario_stage(load_scenario(scenario_job_from_toml(section, source)));
}

PreparedStage prepare_classify(const toml::table& section, const TomlSource& source,
                               const ProjectPlan& plan) {
  return classify_stage(
      load_classify(classify_job_from_toml(section, source), plan.mine_sets.get(), plan.sections));
}

}  // namespace

PreparedStage damage_stage(std::shared_ptr<const LoadedDamage> loaded) {
  PreparedStage stage{"damage", "", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::DamageResult result;
    const nlohmann::json summary =
        run_damage_job(*loaded, out, context, &result, results.nep ? &*results.nep : nullptr);
    results.damage = std::move(result);
    return "damage: results in " + out.folder() + " (" + count_text(summary, "analysed") +
           " mines analysed)";
  };
  return stage;
}

PreparedStage soil_stage(std::shared_ptr<const LoadedSoil> loaded) {
  PreparedStage stage{"soil", "soil/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::SoilResult result;
    run_soil_job(*loaded, out, context, &result);
    results.soil = std::move(result);
    return "soil: results in " + out.folder();
  };
  return stage;
}

PreparedStage rothc_stage(std::shared_ptr<const LoadedRothC> loaded) {
  PreparedStage stage{"rothc", "rothc/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::RothCResult result;
    run_rothc_job(*loaded, out, context, &result);
    results.rothc = std::move(result);
    return "rothc: results in " + out.folder();
  };
  return stage;
}

PreparedStage potential_stage(std::shared_ptr<const LoadedPotential> loaded) {
  PreparedStage stage{"potential", "potential/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::PotentialResult result;
    const nlohmann::json summary = run_potential_job(*loaded, out, context, &results, &result);
    results.potential = std::move(result);
    std::string metrics;
    if (summary.contains("metrics") && summary["metrics"].contains("validation_r2") &&
        summary["metrics"]["validation_r2"].is_number()) {
      std::ostringstream text;
      text << ", validation R2 " << summary["metrics"]["validation_r2"].get<double>();
      metrics = text.str();
    }
    return "potential: results in " + out.folder() + metrics;
  };
  return stage;
}

const OptionTable<ProjectSettings>& ProjectSettings::options() {
  static const OptionTable<ProjectSettings> table = [] {
    using S = ProjectSettings;
    OptionTable<S> t("project");
    t.add(
        "out", [](S& s) -> std::string& { return s.out; },
        "output folder, relative to the project file's folder (the command line's --out wins)");
    t.add(
         "threads", [](S& s) -> std::int64_t& { return s.threads; },
         "worker threads (0 = the command line's --threads, default all cores)")
        .range(0, 1 << 20);
    t.add(
         "seed", [](S& s) -> std::optional<std::int64_t>& { return s.seed; },
         "seed of every random stream (default: the command line's --seed)")
        .at_least(0);
    t.add(
        "postgis", [](S& s) -> std::string& { return s.postgis; },
        "also write every table to this PostGIS database, 'PG:dbname=… host=…' (docs/postgis.md; "
        "the command line's --postgis wins)");
    t.add(
        "pg_schema", [](S& s) -> std::string& { return s.pg_schema; },
        "schema of the PostGIS store (the command line's --pg-schema wins)");
    return t;
  }();
  return table;
}

bool ProjectPlan::has(const std::string& section) const {
  return std::find(sections.begin(), sections.end(), section) != sections.end();
}

const std::vector<StageSection>& all_sections() {
  static const std::vector<StageSection> sections = {
      {"indices", "spectral indices, FVC and RSEI of a scene or a yearly series", prepare_indices},
      {"nep", "annual NEP = CASA NPP - heterotrophic respiration from monthly NDVI and climate",
       prepare_nep},
      {"damage", "NEP loss of every mine against its undisturbed surroundings", prepare_damage},
      {"warning", "early warning per mine series: trends, change points, forecasts, alert levels",
       prepare_warning},
      {"soil", "SOC stocks from soil profiles, IPCC Tier 1, RothC reclamation scenarios",
       prepare_soil},
      {"rothc", "RothC-26.3 runs of sites or official input files", prepare_rothc},
      {"vegetation", "vegetation carbon from plot inventories, growth curves", prepare_vegetation},
      {"potential", "restoration potential of every mine (random forest on covariates)",
       prepare_potential},
      {"landuse", "land-use carbon stocks, changes, transitions and their value, per mine",
       prepare_landuse},
      {"emissions", "CO2, CH4, N2O and CO2e of the mining process per mine and year",
       prepare_emissions},
      {"balance", "net carbon balance of every mine by year (t CO2e) and its carbon-neutral year",
       prepare_balance},
      {"classify", "high / medium / low sink-potential classes of mines (thresholds or breaks)",
       prepare_classify},
      {"topography", "terrain of every mine from a DEM and its relation to the sink rates",
       prepare_topography},
      {"plan", "restoration schemes: costs, carbon benefit, NPV, ranking; land-use optimisation",
       prepare_plan},
      {"scenario",
       "land-use scenarios: Markov demand, PLUS-style LEAS + CARS allocation, validation, carbon",
       prepare_scenario},
  };
  return sections;
}

Project prepare_project(const std::string& file, const std::string& out_override,
                        RunContext& context) {
  const toml::table doc = parse_toml_file(file, "project file");
  Project project;
  ProjectPlan& plan = project.plan;
  plan.file = file;
  plan.base_dir = fs::absolute(file).parent_path();
  plan.mine_sets = std::make_shared<MineSets>(context.threads);
  std::vector<std::string> known = {"project"};
  for (const auto& section : all_sections())
    known.push_back(section.name);
  known.push_back("report");  // not a stage: the report of the published results, last
  for (const auto& [key, node] : doc) {
    const std::string k(key.str());
    if (std::find(known.begin(), known.end(), k) != known.end()) continue;
    const std::string best = nearest_key(k, known);
    std::string list;
    for (const auto& name : known)
      list += (list.empty() ? "" : ", ") + name;
    throw ConfigError(file + ":" + line_of(node) + ": unknown section [" + k + "]" +
                      (best.empty() ? "" : "; did you mean [" + best + "]?") + " (known: " + list +
                      ")");
  }
  ProjectSettings settings;
  if (const toml::node* node = doc.get("project")) {
    const toml::table* table = node->as_table();
    if (!table) throw ConfigError(file + ":" + line_of(*node) + ": [project] must be a table");
    const TomlSource source{file, "project", {}};
    read_toml_options(ProjectSettings::options(), *table, source, settings);
    try {
      check_options(ProjectSettings::options(), settings);
    } catch (const OptionError& e) {
      throw toml_option_error(e, source, *table);
    }
  }
  if (settings.threads > 0) context.threads = clamp_thread_count(settings.threads, context);
  if (settings.seed) context.seed = static_cast<std::uint64_t>(*settings.seed);
  plan.out_dir = !out_override.empty()                  ? out_override
                 : fs::path(settings.out).is_relative() ? (plan.base_dir / settings.out).string()
                                                        : settings.out;
  for (const auto& section : all_sections())
    if (doc.get(section.name)) plan.sections.push_back(section.name);
  if (plan.sections.empty()) {
    std::string list;
    for (std::size_t idx = 1; idx + 1 < known.size(); ++idx)
      list += (idx > 1 ? ", " : "") + known[idx];
    throw ConfigError(file + ": no stage section (known: " + list + ")");
  }
  for (const auto& section : all_sections()) {
    const toml::node* node = doc.get(section.name);
    if (!node) continue;
    const toml::table* table = node->as_table();
    if (!table)
      throw ConfigError(file + ":" + line_of(*node) + ": [" + section.name + "] must be a table");
    project.stages.push_back(
        section.prepare(*table, TomlSource{file, section.name, plan.base_dir}, plan));
  }
  if (const toml::node* node = doc.get("report")) {
    const toml::table* table = node->as_table();
    if (!table) throw ConfigError(file + ":" + line_of(*node) + ": [report] must be a table");
    project.report = std::make_shared<const ReportJob>(report_job_from_toml(
        *table, TomlSource{file, "report", plan.base_dir}, plan.base_dir, plan.out_dir));
  }
  return project;
}

namespace {

void check_apart(const std::string& out_dir, const std::vector<const PreparedStage*>& stages) {
  std::vector<std::string> inputs, kinds;
  for (const PreparedStage* stage : stages) {
    for (std::size_t idx = 0; idx < stage->inputs.size(); ++idx) {
      inputs.push_back(stage->inputs[idx]);
      kinds.push_back(stage->name + (idx < stage->kinds.size() ? " " + stage->kinds[idx] : ""));
    }
  }
  check_output_apart_from_inputs(out_dir, inputs, kinds);
}

}  // namespace

void check_project_output_apart(const Project& project) {
  std::vector<const PreparedStage*> stages;
  for (const auto& stage : project.stages)
    stages.push_back(&stage);
  check_apart(project.plan.out_dir, stages);
}

void run_project(const Project& project, const RunContext& context) {
  check_project_output_apart(project);
  OutputDir out(project.plan.out_dir);
  StageResults results;
  std::vector<std::string> lines;
  for (const auto& stage : project.stages) {
    StageOutput stage_out(out, stage.folder);
    stage_out.set_inputs(stage.inputs);
    lines.push_back(stage.run(results, stage_out, context));
  }
  out.commit();
  for (const auto& line : lines)
    context.say(line);
  // Last, from the published folder (pipeline/report_job.h).
  if (project.report) run_report_after_run(*project.report, context);
}

void run_single_stage(const PreparedStage& stage, const std::string& out_dir,
                      const RunContext& context) {
  check_apart(out_dir, {&stage});
  OutputDir out(out_dir);
  StageOutput stage_out(out, "");
  stage_out.set_inputs(stage.inputs);
  StageResults results;
  const std::string line = stage.run(results, stage_out, context);
  out.commit();
  context.say(line);
}

}  // namespace minecarbon::pipeline
