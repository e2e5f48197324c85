// `minecarbon warning …`: per-series early-warning statistics, forecasts and alert levels from a
// long CSV of annual series, its flags made from warning_options() (docs/warning.md).
#include <iostream>
#include <memory>

#include "minecarbon/assess/warning/statistic_names.h"
#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/warning_job.h"

namespace minecarbon::cli {
namespace {

class WarningCommand : public StageCommand<pipeline::WarningJob> {
 public:
  WarningCommand()
      : StageCommand("warning",
                     "early warning per series: trends, change points, CUSUMs, BFAST Monitor, "
                     "forecasts and alert levels",
                     pipeline::warning_options,
                     [](const pipeline::WarningJob& job, pipeline::MineSets& mine_sets) {
                       return pipeline::warning_stage(pipeline::load_warning(job, &mine_sets));
                     }) {
    out_required_ = false;  // --list-statistics runs without it
  }

  void run(RunContext& context) override {
    if (list_) {
      std::cout << assess::warning::statistics_listing();
      return;
    }
    if (out_dir_.empty()) throw ConfigError("warning: --out is required");
    StageCommand::run(context);
  }

 protected:
  void add_flags(CLI::App& sub) override {
    sub.add_flag("--list-statistics", list_,
                 "print the statistics alert rules may name (name, unit, pixel, meaning) and "
                 "exit");
  }

 private:
  bool list_ = false;
};

}  // namespace

std::unique_ptr<Command> make_warning_command() {
  return std::make_unique<WarningCommand>();
}

}  // namespace minecarbon::cli
