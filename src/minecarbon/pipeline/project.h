// `minecarbon run project.toml`: a project file prepared whole, then run.
//
// prepare_project() reads every section, checks every option (ranges, choices, rules between
// options), resolves and opens every input and checks what stages need of each other (potential
// reading damage's results needs a [damage] section), before any stage computes: a typo in the
// last section fails in milliseconds with exit 2, a missing raster with exit 3, and nothing is
// written. run_project() then runs the stages in dependency order, passing typed results in
// memory, and publishes the output folder of the whole run at once: a stage that fails leaves
// the previous results as they were, never half a run.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/options.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/potential_job.h"
#include "minecarbon/pipeline/soil_job.h"
#include "minecarbon/pipeline/stage_output.h"
#include "minecarbon/pipeline/stage_results.h"

namespace minecarbon::pipeline {

struct ReportJob;  // pipeline/report_job.h

// The [project] table.
struct ProjectSettings {
  std::string out = "results";  // relative to the project file's folder
  std::int64_t threads = 0;     // 0 = the command line's --threads (default all cores)
  std::optional<std::int64_t> seed;
  std::string postgis;                   // "" = none; else the store (cli/pg_output.h)
  std::string pg_schema = "minecarbon";  // the store's schema
  static const OptionTable<ProjectSettings>& options();
};

// A stage ready to run: its section read and checked, its inputs open.
struct PreparedStage {
  std::string name;
  std::string folder;               // its part of the output folder: "" or "potential/"
  std::vector<std::string> inputs;  // every file or folder it reads
  std::vector<std::string> kinds;   // what each input is, for messages
  // Runs the stage into `out`; returns the line said when it is done.
  std::function<std::string(StageResults& results, StageOutput& out, const RunContext& context)>
      run;
};

// What the stages of one project share while they are prepared.
struct ProjectPlan {
  std::string file;
  std::filesystem::path base_dir;
  std::string out_dir;
  std::vector<std::string> sections;  // the stage sections present, in run order
  // The mine layers of the project, each read once however many stages use it.
  std::shared_ptr<MineSets> mine_sets = std::make_shared<MineSets>();
  bool has(const std::string& section) const;
};

// One stage's section of a project file.
struct StageSection {
  const char* name;
  const char* summary;  // one line, for docs and help
  std::function<PreparedStage(const toml::table& section, const TomlSource& source,
                              const ProjectPlan& plan)>
      prepare;
};

// The stage sections in dependency order: a stage comes after every stage it reads from.
const std::vector<StageSection>& all_sections();

struct Project {
  ProjectPlan plan;
  std::vector<PreparedStage> stages;
  // The [report] section: the HTML report (and figures) of the published results, written last.
  std::shared_ptr<const ReportJob> report;
};

// Reads and checks the whole project file; applies [project] threads and seed to `context`.
// `out_override` (the command line's --out) wins over [project] out.
Project prepare_project(const std::string& file, const std::string& out_override,
                        RunContext& context);

// Refuses an output folder that holds or overlaps an input of any stage (before anything runs).
void check_project_output_apart(const Project& project);

// Runs the prepared stages in order and publishes the whole output folder at once.
void run_project(const Project& project, const RunContext& context);

// Runs one stage outside a project (`minecarbon damage …`): checks that the output folder is
// apart from the inputs, runs, and publishes.
void run_single_stage(const PreparedStage& stage, const std::string& out_dir,
                      const RunContext& context);

// A loaded stage ready to run, the same whether `minecarbon run` or the stage's own command
// prepared it (a single stage publishes into the output folder itself, not its subfolder).
PreparedStage damage_stage(std::shared_ptr<const LoadedDamage> loaded);
PreparedStage soil_stage(std::shared_ptr<const LoadedSoil> loaded);
PreparedStage rothc_stage(std::shared_ptr<const LoadedRothC> loaded);
PreparedStage potential_stage(std::shared_ptr<const LoadedPotential> loaded);

}  // namespace minecarbon::pipeline
