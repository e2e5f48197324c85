// Everything one soil run or one rothc run needs, as given on the command line or in a [soil] /
// [rothc] section: the stage's parameters (assess::SoilParams, assess::RothCParams) and the
// files it reads, each declared once in an OptionTable; loading them; publishing the results.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/rothc_stage.h"
#include "minecarbon/assess/soil.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

// [soil.ipcc]: the spec and the user's own tables.
struct SoilIpccJob {
  assess::SoilIpccSpec spec;
  std::string factors;        // user factor table (its rows win over the shipped ones)
  std::string soc_ref_table;  // user SOC_REF table
};

// One [[soil.scenarios]]: the scenario and its monthly climate file.
struct SoilScenarioJob {
  carbon::ReclamationScenario scenario;
  std::string climate;
};

struct SoilJob {
  std::string encoding = "utf-8";  // of the CSV inputs
  assess::SoilParams params;
  std::string profiles;  // CSV; empty = no profiles
  std::string areas;     // CSV mine_id, land_use, area_ha
  std::optional<SoilIpccJob> ipcc;
  std::vector<SoilScenarioJob> scenarios;
};

// The [soil] keys and `minecarbon soil` flags: the files, then assess::SoilParams::options().
const OptionTable<SoilJob>& soil_options();
// The keys of [soil.ipcc] (its files, then assess::SoilIpccSpec::options()) and of one
// [[soil.scenarios]] (its climate file, then assess::reclamation_scenario_options()).
const OptionTable<SoilIpccJob>& soil_ipcc_options();
const OptionTable<SoilScenarioJob>& soil_scenario_options();

// Every option's range and every rule between options; throws OptionError naming the key (and
// the nested table: stage "soil.ipcc", "soil.scenarios[2].phases[1]").
void validate(const SoilJob& job);

// Reads the [soil] table and its nested tables; relative paths are taken from the project
// file's folder. Throws ConfigError "file:line [soil.scenarios[1]] key = value: problem".
SoilJob soil_job_from_toml(const toml::table& section, const TomlSource& source);

// The values of every option, nested tables included, for the summary's `parameters`.
nlohmann::json soil_parameters_json(const SoilJob& job);

// The inputs read, ready to run.
struct LoadedSoil {
  SoilJob job;
  assess::SoilInputs inputs;
  std::vector<std::string> files;  // every file read, for the output-over-input guard
  std::vector<std::string> kinds;
};

// Checks the job, then reads its tables; throws ConfigError or DataError.
std::shared_ptr<LoadedSoil> load_soil(const SoilJob& job);

// Runs the stage and writes tables/*.csv and summary.json into `out`. Returns the summary.
nlohmann::json run_soil_job(const LoadedSoil& loaded, StageOutput& out, const RunContext& context,
                            assess::SoilResult* keep = nullptr);

struct RothCJob {
  std::string encoding = "utf-8";  // of the CSV inputs
  assess::RothCParams params;
  // Exactly one of: an official RothC_input.dat; our form (params.site + a monthly CSV); a
  // batch (a site table and a climate table).
  std::string input_dat;
  std::string months_csv;
  std::string sites_csv;
  std::string climate_csv;
};

// The [rothc] keys and `minecarbon rothc` flags: the files, then assess::RothCParams::options().
const OptionTable<RothCJob>& rothc_options();

void validate(const RothCJob& job);

// Reads a [rothc] table (of a project, or of a TOML file holding our form).
RothCJob rothc_job_from_toml(const toml::table& section, const TomlSource& source);

struct LoadedRothC {
  RothCJob job;
  assess::RothCInputs inputs;
  std::vector<std::string> files;
  std::vector<std::string> kinds;
};

std::shared_ptr<LoadedRothC> load_rothc(const RothCJob& job);

// Runs the stage and publishes monthly and yearly results (single run) or the site tables
// (batch). Returns the summary.
nlohmann::json run_rothc_job(const LoadedRothC& loaded, StageOutput& out, const RunContext& context,
                             assess::RothCResult* keep = nullptr);

}  // namespace minecarbon::pipeline
