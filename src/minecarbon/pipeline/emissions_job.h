// Everything one emissions run needs, as given on the command line or in an [emissions] section,
// and the function both front ends call.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/emissions.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct EmissionsJob {
  std::string encoding = "utf-8";  // of the CSV inputs
  std::string activity;            // the activity table
  std::string pools;               // land-use pool table, for land_cleared rows
  // User factor tables: their rows replace shipped rows with the same key.
  std::string fuel_factors;
  std::string fugitive_factors;
  std::string grid_factors;
  std::string gwp_table;
  assess::EmissionsParams params;
};

// Every [emissions] key and `minecarbon emissions` flag: the inputs, then
// EmissionsParams::options().
const OptionTable<EmissionsJob>& emissions_options();

// Checks every option; throws OptionError naming the key, or DataError for a missing file.
void validate(const EmissionsJob& job);

// Reads the [emissions] table (relative paths from source.base_dir) and validates it.
EmissionsJob emissions_job_from_toml(const toml::table& section, const TomlSource& source);

struct LoadedEmissions {
  EmissionsJob job;
  assess::EmissionsInputs inputs;
  std::vector<std::string> files;  // every file read, for the output-over-input guard
  std::vector<std::string> kinds;
};

// Checks the job, reads and parses every input (activity rows, factor tables, pool table) and
// checks the GWP set: bad data stops here (DataError, exit 3), before any stage runs.
std::shared_ptr<LoadedEmissions> load_emissions(const EmissionsJob& job);

struct PreparedStage;
PreparedStage emissions_stage(std::shared_ptr<const LoadedEmissions> loaded);

// Runs the stage and writes its tables and summary.json into `out`. Returns the summary.
nlohmann::json run_emissions_job(const LoadedEmissions& loaded, StageOutput& out,
                                 const RunContext& context,
                                 assess::EmissionsResult* keep = nullptr);

}  // namespace minecarbon::pipeline
