// Everything one balance run needs, as given on the command line (`minecarbon balance --from
// RESULTS_DIR`) or in a [balance] section, and the function both front ends call.
//
// In a project, balance takes the results of the project's stages in memory (StageResults,
// balance_inputs_from); `from` or a stage's folder (`damage_dir`, …) adds the results another run
// wrote, for the stages the project does not run. Standalone, it reads the CSV tables the stages
// wrote (column contracts: docs/balance.md):
//   damage      <damage_dir or from>/tables/mine_year.csv (or mine_year.csv)
//   vegetation  <vegetation_dir or from/vegetation>/tables/projection_mines.csv
//   soil        <soil_dir or from/soil>/tables/scenario_years.csv (or scenario_years.csv)
//   landuse     <landuse_dir or from/landuse>/tables/mine_change.csv
//   emissions   <emissions_dir or from/emissions>/tables/mine_year_source.csv
// A folder that is not there means the stage did not run (its components are absent); none at
// all is exit 3.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/options.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct StageResults;

struct BalanceJob {
  assess::BalanceParams params;
  std::string from;  // a results folder another run wrote
  std::string damage_dir, landuse_dir, emissions_dir, vegetation_dir, soil_dir;
  std::string mines;  // optional: the mine polygons of balance.gpkg
  std::string mines_layer;
  std::string id_field;
  bool repair = true;
  std::vector<std::string> report_mines;  // ids, or "all": report_mine_<id>.csv
  std::string encoding = "utf-8";         // of the CSV tables read
};

// The [balance] keys and `minecarbon balance` flags: the folders, the mine layer, the reports,
// then BalanceParams::options().
const OptionTable<BalanceJob>& balance_options();

// Every option's range and every rule between options; throws OptionError naming the key.
void validate(const BalanceJob& job);

// Whether the job names any results folder (from, damage_dir, …).
bool has_any_folder(const BalanceJob& job);

// OptionError (exit 2) naming report_mines when it names a mine none of `inputs` has (the
// stages' records and the mine layer's ids).
void check_report_mines(const BalanceJob& job, const assess::BalanceInputs& inputs);

// Reads the [balance] table; relative paths from the project file's folder. Throws ConfigError.
BalanceJob balance_job_from_toml(const toml::table& section, const TomlSource& source);

// One stage's table located in a results folder.
struct BalanceTableFile {
  std::string stage;  // damage, vegetation, soil, landuse, emissions
  std::string table;  // its file name: mine_year.csv, …; soil has two (scenario_years.csv and
                      // ipcc_trajectory.csv), either or both of which a soil run writes
  std::string path;   // empty: not found
  std::vector<std::string> looked_at;
};

// Where the job's folders hold each stage's table(s), in stage order (soil: scenario_years, then
// ipcc_trajectory). Throws DataError when a folder given for one stage (damage_dir, …) holds
// none of that stage's tables.
std::vector<BalanceTableFile> locate_balance_tables(const BalanceJob& job);

// The stage's records from its CSV table (the columns of INTERFACES11, docs/balance.md). Throws
// DataError "file:LINE, column 'x': problem; what to do" for a missing column, a value that is not
// a number or not a whole year, a loss > 0, a gain < 0, an unknown pair_kind, a row repeated
// (same mine and year, and source / pair / scenario; naming both lines). Rows it cannot use
// without being wrong (a soil scenario without a mine or area, a projection year between
// calendar years) go to `warnings`; a vegetation projection of biomass or volume, or without
// calendar years, is not carbon the balance can count: nullopt with a warning (as in memory).
std::vector<assess::ProcessEmissionRecord> read_emission_records(const CsvText& csv);
std::vector<assess::LandusePairRecord> read_landuse_records(const CsvText& csv);
std::vector<assess::NepChangeRecord> read_damage_records(const CsvText& csv);
std::optional<std::vector<assess::VegetationSinkRecord>> read_vegetation_records(
    const CsvText& csv, ProblemList& warnings);
std::vector<assess::SoilSequestrationRecord> read_soil_records(const CsvText& csv,
                                                               ProblemList& warnings);
// The soil stage's ipcc_trajectory table (mine_id, year, change_tC_yr) as the soil scenario
// assess::kIpccScenarioName of each mine, as the in-memory adapter gives it. Rows without a mine
// (a trajectory attributed to none, or a table written before the column existed) or without an
// area are left out with one warning each (soil_ipcc_without_mine, soil_ipcc_without_area).
std::vector<assess::SoilSequestrationRecord> read_ipcc_soil_records(const CsvText& csv,
                                                                    ProblemList& warnings);

// The records of the stages in the project's memory (StageResults): damage, vegetation, landuse
// and soil today (assess/balance/*_adapter.h); emissions is added here, one line, with its
// adapter.
assess::BalanceInputs balance_inputs_from(const StageResults& results);

// The job with its files read: the stages' tables found in the folders and the mine layer.
struct LoadedBalance {
  BalanceJob job;
  assess::BalanceInputs from_files;  // the stages read from folders (nullopt: not there)
  std::shared_ptr<const geo::PolygonLayer> mines;  // null: no balance.gpkg
  std::vector<std::string> files;                  // every file read
  std::vector<std::string> kinds;
};

// Checks the job, reads the tables its folders hold and the mine layer (the job's `mines`, else
// the damage folder's results.gpkg when there is one). `in_project`: the stages of the project
// come from memory, so finding no folder is fine; standalone, no stage at all is exit 3.
std::shared_ptr<LoadedBalance> load_balance(const BalanceJob& job, MineSets* mine_sets = nullptr,
                                            bool in_project = false);

// The loaded stage ready to run (defined with the other stages' in project.h's terms).
struct PreparedStage;
PreparedStage balance_stage(std::shared_ptr<const LoadedBalance> loaded);

// Runs the stage on the files read plus, when given, the project's results in memory (which win
// for a stage present in both), and writes tables/mine_year.csv, tables/mine_summary.csv,
// balance.gpkg (with a mine layer), report_mine_<id>.csv and summary.json into `out`.
nlohmann::json run_balance_job(const LoadedBalance& loaded, const StageResults* results,
                               StageOutput& out, const RunContext& context,
                               assess::BalanceResult* keep = nullptr);

}  // namespace minecarbon::pipeline
