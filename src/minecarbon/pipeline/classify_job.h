// Everything one classify run needs, as given on the command line (`minecarbon classify --values
// v.csv --id-field mine_id --value-field nep_gap --out DIR`) or in a [classify] section, and the
// function both front ends call.
//
// Values: a CSV column (`values`, `id_field` default mine_id, `value_field`, optional
// `second_value_field`), or in a project the damage or potential stage's result in memory
// (`value = "nep_gap"`, …). Mines: optional; with a mine layer (`mines`) the classes are also
// written as the layer `mine_class` of classify/results.gpkg. Writes tables/mine_class.csv,
// tables/breaks.csv, results.gpkg and summary.json (docs/classify.md).
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/classify.h"
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

struct ClassifyJob {
  std::string encoding = "utf-8";
  std::string values;  // CSV with one row per mine
  std::string value_field, second_value_field;
  std::string recommended_use;  // user table; rows replace the shipped rows by class
  MineSource mine_source;       // optional; its id_field also names the values table's id column
  assess::ClassifyParams params;
};

// The [classify] keys and `minecarbon classify` flags.
const OptionTable<ClassifyJob>& classify_options();

// Every option's range and every rule between options; throws OptionError naming the key.
void validate(const ClassifyJob& job);

// Reads the [classify] table; relative paths from the project file's folder. Throws ConfigError.
ClassifyJob classify_job_from_toml(const toml::table& section, const TomlSource& source);

// The job with its files read.
struct LoadedClassify {
  ClassifyJob job;
  std::vector<std::string> table_ids;  // the values table's ids (empty without one)
  std::optional<assess::ClassifyVariable> table_value, table_second;
  std::vector<std::string> table_groups;  // group_by of the values table, when it has the column
  std::shared_ptr<const geo::PolygonLayer> mines;  // null without a mine layer
  std::vector<assess::ClassifyInputs::Recommendation> recommendations;
  std::vector<std::string> files, kinds;
};

// Checks the job and reads the values table (DataError naming the file, line and column for an
// unknown column, a duplicate id or a value that is not a number), the recommendation tables and
// the mine layer. `stages`: the sections of the project (empty standalone), to check that a value
// taken from memory has its stage.
std::shared_ptr<LoadedClassify> load_classify(const ClassifyJob& job, MineSets* mine_sets,
                                              const std::vector<std::string>& stages = {});

struct PreparedStage;
PreparedStage classify_stage(std::shared_ptr<const LoadedClassify> loaded);

// Runs the stage on the table read or the project's results in memory and writes its outputs.
nlohmann::json run_classify_job(const LoadedClassify& loaded, const StageResults* results,
                                StageOutput& out, const RunContext& context,
                                assess::ClassifyResult* keep = nullptr);

}  // namespace minecarbon::pipeline
