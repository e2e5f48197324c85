// `minecarbon landuse`, its flags made from landuse_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/landuse_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
using namespace pipeline;
namespace {

class LanduseCommand : public Command {
 public:
  const char* name() const override { return "landuse"; }
  const char* description() const override {
    return "land-use carbon stocks at several dates, their change, transitions and value, per "
           "mine (InVEST Carbon, exact)";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(landuse_options(), sub);
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    LanduseJob job;
    flags_.apply(job);
    try {
      validate(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    MineSets mine_sets(context.threads);
    run_single_stage(landuse_stage(load_landuse(job, &mine_sets)), out_dir_, context);
  }

 private:
  OptionFlags<LanduseJob> flags_;
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_landuse_command() {
  return std::make_unique<LanduseCommand>();
}

}  // namespace minecarbon::cli
