// Everything one scenario run needs, as given on the command line (`minecarbon scenario
// --lulc-initial a.tif --lulc-final b.tif --year-initial 2000 --year-final 2010 --classes c.csv
// --drivers road.tif --drivers slope.tif --out DIR`) or in a [scenario] section, and the function
// both front ends call. Writes lulc_<name>_<year>.tif (Byte, nodata 255), tables/*.csv and
// summary.json (docs/scenario.md).
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/scenario.h"
#include "minecarbon/core/options.h"
#include "minecarbon/geo/grid.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct StageResults;

struct ScenarioJob {
  std::string encoding = "utf-8";
  std::string lulc_initial, lulc_final;
  std::int64_t year_initial = 0, year_final = 0;
  std::string classes;  // code,name[,esv_type]
  std::vector<std::string> drivers;
  std::vector<std::string> driver_names;         // one per driver; empty = the file stems
  std::vector<std::string> categorical_drivers;  // names warped by nearest neighbour
  std::string restriction;                       // 0 = may not change, 1 = may change
  std::string transitions;                       // from_class,to_class,allowed
  std::string pools;                             // landuse pool table
  assess::ScenarioParams params;
};

const OptionTable<ScenarioJob>& scenario_options();
void validate(const ScenarioJob& job);
ScenarioJob scenario_job_from_toml(const toml::table& section, const TomlSource& source);

struct LoadedScenario {
  ScenarioJob job;
  assess::ScenarioInputs inputs;
  geo::Grid grid;
  std::string crs_wkt;
  nlohmann::json reading;  // what was warped, restriction counts, for summary.json
  std::vector<std::string> files, kinds;
};

// Reads the maps, class table, drivers, restriction, transitions and pools. DataError naming the
// file, line and field for: maps on different grids, map codes missing from the class table (all
// listed), a driver without CRS or not covering the map, transitions naming unknown classes,
// restriction values other than 0/1, pool rows missing for a class.
std::shared_ptr<LoadedScenario> load_scenario(const ScenarioJob& job);

struct PreparedStage;
PreparedStage scenario_stage(std::shared_ptr<const LoadedScenario> loaded);

nlohmann::json run_scenario_job(const LoadedScenario& loaded, StageOutput& out,
                                const RunContext& context, assess::ScenarioResult* keep = nullptr);

}  // namespace minecarbon::pipeline
