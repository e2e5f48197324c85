// Everything one vegetation run needs, as given on the command line or in a [vegetation] section,
// and the function both front ends call.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/pipeline/stage_output.h"
#include "minecarbon/pipeline/toml_section.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct VegetationJob {
  std::string encoding = "utf-8";  // of the CSV inputs
  assess::VegetationParams params;
  std::string trees;
  std::string plots;
  std::string understorey;
  std::string species;
  std::string mines;
  std::string mines_layer;
  std::string id_field;
  bool repair = true;
  std::string mine_areas;
  std::string stratum_areas;
  // User factor tables: their rows extend (and override by key) the shipped tables.
  std::string volume_equations;
  std::string bcef_table;
  std::string continuous_bef_table;
  std::string root_shoot_table;
  std::string allometry_table;
  bool shipped_tables = true;  // false: only the user's tables
};

// The [vegetation] keys (also the options section of the docs).
const std::vector<OptionDoc>& vegetation_options();

// Reads the [vegetation] table; relative paths are taken from `base_dir`. Throws ConfigError
// "file:line [vegetation] key: problem; what to do".
VegetationJob vegetation_job_from_toml(const toml::table& section, const std::string& file,
                                       const std::string& base_dir);

// Checks the job, reads the inputs, runs the stage and publishes the results into `out_dir`
// atomically (nothing is written when anything fails). Returns the published summary.
nlohmann::json run_vegetation_job(const VegetationJob& job, StageOutput& out,
                                  const RunContext& context);

// Shared by the command line: turns option text into the job's typed parameters, throwing
// ConfigError naming `where` (the flag or key).
void set_growth_models(assess::VegetationParams& params, const std::vector<std::string>& names,
                       const std::string& where);

// Every file the job reads (for the output-over-input guard).
std::vector<std::string> vegetation_inputs(const VegetationJob& job);

}  // namespace minecarbon::pipeline
