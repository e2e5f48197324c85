// `minecarbon warning …`: per-series early-warning statistics, forecasts and alert levels from a
// long CSV of annual series, its flags made from warning_options() (docs/warning.md).
#include <iostream>
#include <memory>

#include "minecarbon/assess/warning/statistic_names.h"
#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/warning_job.h"

namespace minecarbon::cli {
namespace {

class WarningCommand : public Command {
 public:
  const char* name() const override { return "warning"; }
  const char* description() const override {
    return "early warning per series: trends, change points, CUSUMs, BFAST Monitor, forecasts "
           "and alert levels";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(pipeline::warning_options(), sub);
    sub.add_option("--out", out_dir_, "output folder");
    sub.add_flag("--list-statistics", list_,
                 "print the statistics alert rules may name (name, unit, pixel, meaning) and "
                 "exit");
  }
  void run(RunContext& context) override {
    if (list_) {
      std::cout << assess::warning::statistics_listing();
      return;
    }
    if (out_dir_.empty()) throw ConfigError("warning: --out is required");
    pipeline::WarningJob job;
    flags_.apply(job);
    std::shared_ptr<pipeline::LoadedWarning> loaded;
    try {
      loaded = pipeline::load_warning(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    pipeline::run_single_stage(pipeline::warning_stage(loaded), out_dir_, context);
  }

 private:
  OptionFlags<pipeline::WarningJob> flags_;
  std::string out_dir_;
  bool list_ = false;
};

}  // namespace

std::unique_ptr<Command> make_warning_command() {
  return std::make_unique<WarningCommand>();
}

}  // namespace minecarbon::cli
