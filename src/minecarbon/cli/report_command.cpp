// `minecarbon report RESULTS_DIR [-o FILE] [--figures DIR] …`: the offline HTML report and paper
// figures of any results folder, its flags made from report_options() (docs/report.md).
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/pipeline/report_job.h"

namespace minecarbon::cli {
namespace {

class ReportCommand : public Command {
 public:
  const char* name() const override { return "report"; }
  const char* description() const override {
    return "one self-contained offline HTML report (and paper figures) of a results folder";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("results", job_.results_dir, "folder `run` or a stage wrote")->required();
    flags_.setup(pipeline::report_options(), sub);
  }
  void run(RunContext& context) override {
    flags_.apply(job_);
    try {
      pipeline::validate(job_);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    pipeline::run_report(job_, context);
  }

 private:
  pipeline::ReportJob job_;
  OptionFlags<pipeline::ReportJob> flags_;
};

}  // namespace

std::unique_ptr<Command> make_report_command() {
  return std::make_unique<ReportCommand>();
}

}  // namespace minecarbon::cli
