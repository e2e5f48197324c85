// `minecarbon nep …`: annual NPP (CASA), R_H and NEP from monthly NDVI and climate rasters, its
// flags made from nep_options() (docs/nep.md).
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/pipeline/nep_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
namespace {

class NepCommand : public Command {
 public:
  const char* name() const override { return "nep"; }
  const char* description() const override {
    return "annual NEP = CASA NPP - heterotrophic respiration from monthly NDVI and climate "
           "rasters";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(pipeline::nep_options(), sub);
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    pipeline::NepJob job;
    flags_.apply(job);
    try {
      pipeline::validate(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    pipeline::run_single_stage(pipeline::nep_stage(pipeline::load_nep(job)), out_dir_, context);
  }

 private:
  OptionFlags<pipeline::NepJob> flags_;
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_nep_command() {
  return std::make_unique<NepCommand>();
}

}  // namespace minecarbon::cli
