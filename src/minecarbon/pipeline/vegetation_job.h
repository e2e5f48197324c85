// Everything one vegetation run needs, as given on the command line or in a [vegetation] section,
// and the function both front ends call.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

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

// Every [vegetation] key and `minecarbon vegetation` flag: the job's inputs, then the stage's
// VegetationParams::options(). The project file, the flags, --help, docs/options/vegetation.md and
// the summary's `parameters` echo are made from it.
const OptionTable<VegetationJob>& vegetation_options();

// Checks every option and the rules between them; throws OptionError naming the key, or
// DataError when a named input file does not exist.
void validate(const VegetationJob& job);

// Reads the [vegetation] table (relative paths from source.base_dir) and validates it; throws
// ConfigError "file:line [vegetation] key: problem".
VegetationJob vegetation_job_from_toml(const toml::table& section, const TomlSource& source);

// The job with its input files read: what the stage needs before it runs.
struct LoadedVegetation {
  VegetationJob job;
  assess::VegetationInputs inputs;
  std::vector<std::string> files;  // every file read, for the output-over-input guard
  std::vector<std::string> kinds;  // what each file is ("tree list", "BCEF table")
};

// Checks the job, then reads every input; throws ConfigError or DataError.
// A mine layer, when given, comes from `mine_sets` (read once per project), else is read here.
std::shared_ptr<LoadedVegetation> load_vegetation(const VegetationJob& job,
                                                  MineSets* mine_sets = nullptr);

// The loaded stage ready to run, the same for `minecarbon run` and `minecarbon vegetation`
// (defined with the other stages' in project.h's terms).
struct PreparedStage;
PreparedStage vegetation_stage(std::shared_ptr<const LoadedVegetation> loaded);

// Runs the stage and writes its results into `out`. Returns the published summary.
nlohmann::json run_vegetation_job(const LoadedVegetation& loaded, StageOutput& out,
                                  const RunContext& context,
                                  assess::VegetationResult* keep = nullptr);

}  // namespace minecarbon::pipeline
