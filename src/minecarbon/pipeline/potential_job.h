// Everything one potential run needs, as given on the command line or in a [potential] section,
// and the function both front ends call.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/potential.h"
#include "minecarbon/pipeline/stage_output.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/pipeline/toml_section.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct CovariateRasterJob {
  std::string name;
  std::string path;
  assess::CovariateStat stat = assess::CovariateStat::mean;
  std::optional<double> scale;
  std::optional<double> offset;
  bool nan_is_nodata = false;
};

struct PotentialJob {
  assess::PotentialParams params;
  std::string mines;
  std::string mines_layer;
  std::string id_field;
  bool repair = true;
  std::vector<CovariateRasterJob> covariates;
  std::string dem;
  std::optional<double> dem_scale;
  std::vector<std::string> terrain;  // names of assess::TerrainCovariate
  std::string slope_method = "zevenbergen_thorne";
  bool mine_area = true;
  // Where the response comes from (at most one of them; none = the damage results in memory).
  std::string damage_dir;      // a damage output folder: its tables/mines.csv, mine_year.csv
  std::string response_table;  // a CSV with one row per mine
  std::string response_id_field = "mine_id";
  std::string m49_table;  // empty = the shipped data/un_m49.csv
  bool save_model = true;
};

// The [potential] keys.
const std::vector<OptionDoc>& potential_options();

// Reads the [potential] table; relative paths start at `base_dir`. Throws ConfigError
// "file:line [potential] key: problem; what to do".
PotentialJob potential_job_from_toml(const toml::table& section, const std::string& file,
                                     const std::string& base_dir);

// Parses "name=path" (a --covariate value); throws ConfigError naming `option`.
CovariateRasterJob parse_covariate_option(const std::string& text, assess::CovariateStat stat,
                                          const std::string& option);

// Checks the job, loads the inputs, runs the stage and publishes the results into `out_dir`
// atomically. `memory` holds the results of the stages `run` ran before (may be null): the damage
// tables come from there when neither damage_dir nor response_table is set. Returns the summary.
nlohmann::json run_potential_job(const PotentialJob& job, StageOutput& out,
                                 const RunContext& context, const StageResults* memory);

// Every file or folder the job reads (for the output-over-input guard).
std::vector<std::string> potential_inputs(const PotentialJob& job);

}  // namespace minecarbon::pipeline
