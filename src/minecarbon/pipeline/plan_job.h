// Everything one plan run needs, as given on the command line (`minecarbon plan --schemes
// schemes.toml --measures measures.csv --model optimise.toml …`) or in a [plan] section with
// [[plan.schemes]] and [plan.optimise], and the function both front ends call.
//
// Files (columns in docs/plan.md):
//   schemes   TOML with [[schemes]] (name, zone, baseline_tC_ha_yr, area_ha) and their
//             [[schemes.classes]] (land_use, area_ha or share, measures); or [[plan.schemes]]
//   measures  CSV, one row per measure and land use: costs, works emissions, carbon source
//   model     TOML with an [optimise] (or [plan.optimise]) table: the land-use LP's files
// In a project, a measure whose carbon source is `rothc` takes the soil stage's scenario of that
// name from memory (StageResults::soil).
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/plan.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct StageResults;
struct PreparedStage;

// [plan.optimise]: the land-use LP's tables and settings (plan/land_use_tables.h).
struct PlanOptimiseJob {
  std::string zones, coefficients, allowed, class_limits, rows;
  std::vector<std::string> objectives;  // "carbon:max", …
  std::optional<double> budget;
  std::string budget_objective = "cost";
  plan::ZoneAreaRule zone_area = plan::ZoneAreaRule::equal;
};

struct PlanJob {
  assess::PlanParams params;
  std::string schemes;   // schemes.toml
  std::string measures;  // measures.csv
  std::string model;     // a TOML file holding the [optimise] table
  std::string encoding = "utf-8";
  // Read from the project file ([[plan.schemes]], [plan.optimise]) or the files above.
  std::vector<assess::Scheme> inline_schemes;
  std::optional<PlanOptimiseJob> optimise;
};

const OptionTable<PlanJob>& plan_options();
const OptionTable<PlanOptimiseJob>& plan_optimise_options();

void validate(const PlanJob& job);

// Reads the [plan] table with its [[plan.schemes]] and [plan.optimise]; relative paths from the
// project file's folder. Throws ConfigError "file:line [plan] key: problem".
PlanJob plan_job_from_toml(const toml::table& section, const TomlSource& source);

// The schemes of a [[schemes]] array (a schemes file, or [[plan.schemes]] of a project).
// Throws ConfigError naming the file, line and key: a missing name or land use, a class with
// both or neither of area_ha and share, a negative area, a share outside 0..1, a share without
// the scheme's area_ha, a name used twice.
std::vector<assess::Scheme> schemes_from_toml(const toml::array& schemes, const TomlSource& source);

// The measures table. Throws DataError "file:LINE, column 'x': problem; what to do" for a missing
// cost column or value, an unknown carbon_source or pool, a source without its columns
// (rate: delta_tC_ha_yr and years_to; ipcc: soc_ref_tC_ha, factor_from, factor_to; rothc:
// rothc_scenario), a measure and land use given twice.
std::vector<assess::Measure> read_measures(const CsvText& csv);

struct LoadedPlan {
  PlanJob job;
  assess::PlanInputs inputs;  // without the in-memory RothC scenarios (added at run time)
  std::vector<std::string> files, kinds;
};

// Checks the job and reads every file. `soil_in_project`: a [soil] section will run before plan,
// so measures with carbon_source = rothc may be used; otherwise they are refused (exit 2).
std::shared_ptr<LoadedPlan> load_plan(const PlanJob& job, bool soil_in_project = false);

PreparedStage plan_stage(std::shared_ptr<const LoadedPlan> loaded);

nlohmann::json run_plan_job(const LoadedPlan& loaded, const StageResults* results, StageOutput& out,
                            const RunContext& context, assess::PlanResult* keep = nullptr);

}  // namespace minecarbon::pipeline
