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

#include "minecarbon/assess/plan.h"
#include "minecarbon/assess/scenario.h"
#include "minecarbon/core/options.h"
#include "minecarbon/geo/grid.h"
#include "minecarbon/geo/polygon_layer.h"
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
  std::string lulc_earlier;                      // T0: out-of-sample validation, linear demand
  std::int64_t year_earlier = 0;
  std::string demand_file;      // fixed demand: class,cells or class,area_ha
  std::string plan_allocation;  // the plan stage's pareto_allocation.csv (plan:<point> alone)
  std::string markov_factors;   // from_class,to_class,factor
  std::vector<std::string> drivers_future;  // one per driver, at prediction time
  bool write_probability = false;           // prob_<class>.tif
  MineSource mine_source;                   // optional: per-mine carbon
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
  std::shared_ptr<const geo::PolygonLayer> mines;  // with mine_source; geometry of results.gpkg
  std::vector<std::string> files, kinds;
};

// Reads the maps, class table, drivers, restriction, transitions and pools. DataError naming the
// file, line and field for: maps on different grids, map codes missing from the class table (all
// listed), a driver without CRS or not covering the map, transitions naming unknown classes,
// restriction values other than 0/1, pool rows missing for a class.
// `mine_sets` shares a mine layer with other stages (null: read it here).
std::shared_ptr<LoadedScenario> load_scenario(const ScenarioJob& job,
                                              MineSets* mine_sets = nullptr);

// Class areas (ha, in class-table order) of the point `point` of the plan stage's land-use
// optimum, summed over zones; the plan's classes are matched to the class table by name or code.
// ConfigError naming the point (and the points there are) or a plan class missing from the table.
std::vector<double> plan_point_areas(const assess::PlanResult& plan, const std::string& point,
                                     const std::vector<assess::ScenarioClass>& classes);

struct PreparedStage;
PreparedStage scenario_stage(std::shared_ptr<const LoadedScenario> loaded);

// `plan` (optional, from memory under `run`) supplies plan:<point> when plan_allocation is not
// given.
nlohmann::json run_scenario_job(const LoadedScenario& loaded, StageOutput& out,
                                const RunContext& context, assess::ScenarioResult* keep = nullptr,
                                const assess::PlanResult* plan = nullptr);

// `minecarbon scenario validate --initial a.tif --observed b.tif --simulated c.tif`: the
// agreement of a simulated map with an observed one (docs/scenario.md §5) from three maps on one
// grid: confusion matrix, OA, Kappa, PA/UA, FoM with A/B/C/D. Classes come from `classes`
// (code,name) when given, else from the codes found in the three maps. Writes
// validation_confusion.csv, validation_metrics.csv and summary.json. DataError for maps on
// different grids or codes missing from the class table.
struct ScenarioValidateJob {
  std::string initial, observed, simulated, classes, encoding = "utf-8";
};
PreparedStage scenario_validate_stage(const ScenarioValidateJob& job);

}  // namespace minecarbon::pipeline
