// Everything one topography run needs, as given on the command line (`minecarbon topography`) or
// in a [topography] section, and the function both front ends call.
//
// Sink rates: under `minecarbon run` the stage takes them from the project's results in memory
// (damage: nep_increment_gC_m2_yr = Q_last − Q_base and nep_mine_sen_slope_gC_m2_yr2, the Sen
// slope of the mine's NEP; potential: predicted_<response> and potential_<response>) and the
// potential stage's forest for partial dependence. `sink_table` adds (or, alone, gives) columns
// of a CSV: `sink_id_field` the mine id, `sink_fields` the numeric columns.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/topography.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct StageResults;

struct TopographyJob {
  MineSource mine_source;
  std::string dem;         // any GDAL raster with a CRS (projected or lon/lat)
  std::string sink_table;  // optional CSV of per-mine sink rates
  std::string sink_id_field = "mine_id";
  std::vector<std::string> sink_fields;  // numeric columns of sink_table
  std::string encoding = "utf-8";
  assess::TopographyParams params;
};

// The [topography] keys and `minecarbon topography` flags.
const OptionTable<TopographyJob>& topography_options();

// Every option's range and the rules between them; throws OptionError naming the key.
void validate(const TopographyJob& job);

// Reads the [topography] table; relative paths from the project file's folder.
TopographyJob topography_job_from_toml(const toml::table& section, const TomlSource& source);

struct LoadedTopography {
  TopographyJob job;
  assess::TopographyInputs inputs;  // sinks from the table; the run adds those in memory
  std::vector<std::string> files;
  std::vector<std::string> kinds;
};

// Checks the job, reads the DEM whole and the mine layer, and the sink table: DataError (exit 3)
// naming the file and field for a DEM without CRS, a missing id or sink column, a value that is
// not a number (file:line), a repeated id.
std::shared_ptr<LoadedTopography> load_topography(const TopographyJob& job,
                                                  MineSets* mine_sets = nullptr);

// The sink rates of the project's earlier stages in memory (damage, potential), and the
// potential stage's forest with its training mines.
std::vector<assess::SinkVariable> sinks_from(const StageResults& results);
std::optional<assess::ForestModel> forest_from(const StageResults& results);

struct PreparedStage;
PreparedStage topography_stage(std::shared_ptr<const LoadedTopography> loaded);

// Runs the stage and writes tables/*.csv, results.gpkg (mine_terrain with the mine polygons and
// the other tables) and summary.json into `out`.
nlohmann::json run_topography_job(const LoadedTopography& loaded, const StageResults* results,
                                  StageOutput& out, const RunContext& context,
                                  assess::TopographyResult* keep = nullptr);

}  // namespace minecarbon::pipeline
