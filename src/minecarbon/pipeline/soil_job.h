// Everything one soil run or one rothc run needs, as given on the command line or in a [soil] /
// [rothc] section, and the functions both front ends call.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/soil.h"
#include "minecarbon/carbon/rothc.h"
#include "minecarbon/pipeline/stage_output.h"
#include "minecarbon/pipeline/toml_section.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct SoilJob {
  assess::SoilParams params;
  std::string profiles;  // CSV; empty = no profiles
  std::string areas;     // CSV mine_id, land_use, area_ha
  std::optional<assess::SoilIpccSpec> ipcc;
  std::string ipcc_factors;  // user factor table (its rows win over the shipped ones)
  std::string ipcc_soc_ref;  // user SOC_REF table
  std::vector<carbon::ReclamationScenario> scenarios;
  std::vector<std::string> scenario_climates;  // one CSV per scenario
};

/// The [soil] keys, and those of its sub-tables.
const std::vector<OptionDoc>& soil_options();
const std::vector<OptionDoc>& soil_ipcc_options();
const std::vector<OptionDoc>& soil_scenario_options();

/// "0-30" → {0, 30}; ConfigError naming `where` otherwise.
carbon::DepthInterval parse_depth_interval(const std::string& text, const std::string& where);

/// Reads the [soil] table; relative paths from `base_dir`. ConfigError "file:line [soil] key…".
SoilJob soil_job_from_toml(const toml::table& section, const std::string& file,
                           const std::string& base_dir);

/// Loads the inputs, runs the stage and publishes tables/*.csv and summary.json into `out_dir`
/// atomically. Returns the summary.
nlohmann::json run_soil_job(const SoilJob& job, StageOutput& out,
                            const RunContext& context);

struct RothCJob {
  // Single run: an official RothC_input.dat, or our form (site keys + a monthly CSV).
  std::string input_dat;
  std::string months_csv;
  carbon::RothCSite site;
  carbon::SpinUpMethod spin_up = carbon::SpinUpMethod::official_loop;
  std::optional<double> inverse_soc_tC_ha;  // also solve the plant input for this SOC
  bool iom_from_falloon = false;
  // Batch: a site table and a climate table.
  std::string sites_csv;
  std::string climate_csv;
  int years = 100;
  bool yearly = false;
};

const std::vector<OptionDoc>& rothc_options();

/// Reads a [rothc] table, or a whole TOML file holding our form (its [rothc] table).
RothCJob rothc_job_from_toml(const toml::table& section, const std::string& file,
                             const std::string& base_dir);

/// Runs the job and publishes monthly and yearly results (single run) or the site table (batch).
nlohmann::json run_rothc_job(const RothCJob& job, StageOutput& out,
                             const RunContext& context);

// Every file the jobs read (for the output-over-input guard).
std::vector<std::string> soil_inputs(const SoilJob& job);
std::vector<std::string> rothc_inputs(const RothCJob& job);

}  // namespace minecarbon::pipeline
