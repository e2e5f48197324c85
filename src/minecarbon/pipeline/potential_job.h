// Everything one potential run needs, as given on the command line or in a [potential] section:
// the stage's parameters and the files it reads, each declared once in potential_options() (and
// covariate_options() for each entry of the covariates list).
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/potential.h"
#include "minecarbon/core/options.h"
#include "minecarbon/geo/terrain.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"
#include "minecarbon/pipeline/stage_results.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

// One covariate raster: an entry of `covariates = [{ name = ..., raster = ... }]` or a
// `--covariate NAME=RASTER` flag.
struct CovariateRasterJob {
  std::string name;
  std::string path;
  geo::CovariateStat stat = geo::CovariateStat::mean;
  std::optional<double> scale;
  std::optional<double> offset;
  bool nan_is_nodata = false;
};

struct PotentialJob {
  assess::PotentialParams params;
  MineSource mine_source;  // mines, mines_layer, id_field, repair (pipeline/mine_set.h)
  std::vector<CovariateRasterJob> covariates;
  std::string dem;
  std::optional<double> dem_scale;
  // Names of geo::TerrainCovariate; empty with a dem = all but aspect_deg (complete()).
  std::vector<std::string> terrain;
  geo::SlopeMethod slope_method = geo::SlopeMethod::zevenbergen_thorne;
  bool mine_area = true;
  // Where the response comes from (at most one of them; none = the damage results in memory).
  std::string damage_dir;      // a damage output folder: its tables/mines.csv, mine_year.csv
  std::string response_table;  // a CSV with one row per mine
  std::string response_id_field = "mine_id";
  std::string m49_table;           // empty = the shipped data/un_m49.csv
  std::string encoding = "utf-8";  // of the CSV inputs
  bool save_model = true;
};

// The [potential] keys and `minecarbon potential` flags: the files, then
// PotentialParams::options(). The covariates list is read by hand (a list of tables), each entry
// through covariate_options().
const OptionTable<PotentialJob>& potential_options();

// The keys of one entry of `covariates = [...]` ([potential.covariates] in messages).
const OptionTable<CovariateRasterJob>& covariate_options();

// Fills what defaults to other settings: with a dem and no terrain list, every terrain covariate
// except the circular aspect_deg (its linear parts northness and eastness stand in for it).
void complete(PotentialJob& job);

// Every option's range and every rule between options; throws OptionError naming the key.
void validate(const PotentialJob& job);

// Reads the [potential] table; relative paths are taken from the project file's folder. Throws
// ConfigError "file:line [potential] key = value: problem; what to do".
PotentialJob potential_job_from_toml(const toml::table& section, const TomlSource& source);

// Parses "name=path" (a --covariate value); throws ConfigError naming `option`.
CovariateRasterJob parse_covariate_option(const std::string& text, geo::CovariateStat stat,
                                          const std::string& option);

// The inputs read and opened, ready to run: the mine layer, every covariate raster and the DEM
// opened, the M49 table and the response (a table or a damage folder) read as typed records
// (assess::ResponseSet). When the response comes from the damage stage of the same run it is
// converted at run time (response_from_damage_result).
struct LoadedPotential {
  PotentialJob job;
  assess::PotentialInputs inputs;  // response empty until run when it comes from memory
  bool response_from_memory = false;
  std::vector<std::string> files;  // every file read, for the output-over-input guard
  std::vector<std::string> kinds;  // what each file is ("mines", "covariate 'x1'")
};

// The response of every mine from the damage stage's result in memory:
//   nep_increment_gC_m2_yr (the default): the NEP change P = Q − Q_base of each mine in the last
//     year of the damage run;
//   any other name: that numeric per-mine field of the damage result.
// The one adapter between the damage result and the potential stage's typed input. Throws
// ConfigError naming the available fields when `name` is neither.
assess::ResponseSet response_from_damage_result(const assess::DamageResult& damage,
                                                const std::string& name);

// Checks the job, then reads and opens its inputs; throws ConfigError or DataError.
// `damage_in_run`: the damage stage runs before this one in the same project, so the response
// may come from memory; otherwise one of damage / response_table is needed (or covariates_only).
// The mine layer comes from `mine_sets` when given (read once per project), else is read here.
std::shared_ptr<LoadedPotential> load_potential(const PotentialJob& job, bool damage_in_run,
                                                MineSets* mine_sets = nullptr);

// Runs the stage and writes its results into `out`. `memory` holds the results of the stages run
// before (may be null): the damage tables come from there when the response was not read from a
// file. Returns the summary; the typed result is moved into `keep` when given.
nlohmann::json run_potential_job(const LoadedPotential& loaded, StageOutput& out,
                                 const RunContext& context, const StageResults* memory,
                                 assess::PotentialResult* keep = nullptr);

}  // namespace minecarbon::pipeline
