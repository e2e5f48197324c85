// Everything one damage run needs, as given on the command line or in a [damage] section: the
// stage's parameters and the files it reads, each declared once in damage_options().
#pragma once

#include <toml++/toml.h>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/damage.h"
#include "minecarbon/core/options.h"
#include "minecarbon/geo/raster_series.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
class Distributor;
}  // namespace minecarbon

namespace minecarbon::pipeline {

struct DamageJob {
  assess::DamageParams params;
  MineSource mine_source;  // mines, mines_layer, id_field, repair (pipeline/mine_set.h)
  std::string nep;         // pattern with {year}; empty in a project whose [nep] stage gives it
  // No nep key and the project has a [nep] section: the series is the annual NEP that stage
  // writes in the same run (set by the project, never an option).
  bool nep_from_run = false;
  assess::Period years;  // required
  std::optional<double> nep_scale;
  std::optional<double> nep_offset;
  bool nan_is_nodata = false;
  std::string reference_polygons;  // set → reference = polygons
  std::string reference_layer;
  std::string reference_id_field;
  std::string m49_table;           // empty = the shipped data/un_m49.csv
  std::string encoding = "utf-8";  // of the CSV inputs
  // Mines per work unit (assess/damage/damage_units.h): the unit of distribution, checkpoints
  // and tiles; no number of the results depends on it. A run setting (--unit-mines), not a stage
  // option: it is not in damage_options() nor in the parameters echo.
  int unit_mines = 256;
};

// The [damage] keys and `minecarbon damage` flags: the files, then DamageParams::options().
const OptionTable<DamageJob>& damage_options();

// Every option's range and every rule between options; throws OptionError naming the key.
void validate(const DamageJob& job);

// Reads the [damage] table; relative paths are taken from the project file's folder. Throws
// ConfigError "file:line [damage] key = value: problem; what to do". `run_has_nep`: the project
// has a [nep] section, so a table without `nep` takes that stage's annual series.
DamageJob damage_job_from_toml(const toml::table& section, const TomlSource& source,
                               bool run_has_nep = false);

// The inputs read and opened, ready to run: the mine layer, the NEP series (every year's raster
// opened and checked against the first), the reference polygons and the M49 table when needed.
struct LoadedDamage {
  DamageJob job;
  std::shared_ptr<const MineSet> mine_set;  // inputs.mines is its layer
  assess::DamageInputs inputs;
  std::vector<std::string> files;  // every file read, for the output-over-input guard
  std::vector<std::string> kinds;  // what each file is ("mines", "NEP raster 2003")
  // How the units run (processes, checkpoints, tile); set by the command line.
  assess::DamageExecution execution;
};

// Checks the job, then reads and opens its inputs; throws ConfigError or DataError. The mine
// layer comes from `mine_sets` when given (read once per project), else is read here.
std::shared_ptr<LoadedDamage> load_damage(const DamageJob& job, MineSets* mine_sets = nullptr);

// Runs the stage and writes its results into `out`. Returns the summary; `keep`, when given,
// receives the full result. A job with nep_from_run reads `run_nep` (the annual NEP rasters the
// run's nep stage wrote): its years must cover the job's, else ConfigError.
nlohmann::json run_damage_job(const LoadedDamage& loaded, StageOutput& out,
                              const RunContext& context, assess::DamageResult* keep = nullptr,
                              const geo::RasterSeries* run_nep = nullptr);

// The part of `run_nep` (the nep stage's annual series) that the job's years need, opened with the
// job's scale and NaN settings; ConfigError when those years are not all in it.
geo::RasterSeries nep_series_from_run(const DamageJob& job, const geo::RasterSeries& run_nep);

// The identity of a damage run for its checkpoint folder (pipeline/checkpoint.h): the job's
// options, paths made absolute, and its input files. And back: the job a checkpoint folder's
// run.json describes (`minecarbon merge`); ConfigError naming `file` when it cannot be read.
nlohmann::json damage_checkpoint_identity(const DamageJob& job,
                                          const std::vector<std::string>& files);
DamageJob damage_job_from_identity(const nlohmann::json& identity, const std::string& file);

// `minecarbon run project.toml` under mpirun (docs/scale_out.md): rank 0 prepares and runs every
// stage and alone writes; the other ranks only compute work units of the [damage] stage. They
// meet once, when rank 0's damage stage starts: rank 0 broadcasts "go" with the NEP series the
// stage reads (written by the run's [nep] stage when [damage] has no nep key), or "stop" with the
// exit code of an error that ended the run before it. Every rank reads the [damage] section and
// its inputs itself, as `mpirun … minecarbon damage` does.
struct ProjectRanks {
  Distributor* distributor = nullptr;  // null, or one rank: the damage stage runs alone
  int unit_mines = 256;                // --unit-mines of `run`; no number depends on it
};
// Rank 0 (and a run without MPI, for unit_mines), before the project runs: how the [damage] stage
// of this process's `run` spreads its units. Rank 0's damage stage then says "go".
void set_project_ranks(const ProjectRanks& ranks);
// Rank 0, when the run failed before its damage stage started: the waiting ranks exit with `code`
// (silently: rank 0 says the error). Does nothing once "go" was said or without other ranks.
void release_project_ranks(int code);
// True when `project_file` parses and has a [damage] table (false on any error: then the file
// fails on every rank the same way, and rank 0 says why).
bool project_has_damage(const std::string& project_file);
// A rank other than 0: reads the project's [damage] section and inputs, waits for rank 0's
// damage stage and computes the units it is given. Throws the Error (of rank 0's code and
// message, or its own) that ended the run; returns when the units are done.
void run_project_damage_worker(const std::string& project_file, const ProjectRanks& ranks,
                               const RunContext& context);

// A table shipped with minecarbon (data/…): $MINECARBON_DATA_DIR, the install prefix, or the
// source tree.
std::string shipped_data_file(const std::string& name);

// A shipped table read as CSV, its rows cited as "data/<name>:<line>" (in messages and in
// the source columns of the results) rather than by the install folder's absolute path, so the
// results do not depend on where minecarbon is installed.
CsvText read_shipped_table(const std::string& name);

}  // namespace minecarbon::pipeline
