// `minecarbon emissions`, its flags made from emissions_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/emissions_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
using namespace pipeline;
namespace {

class EmissionsCommand : public Command {
 public:
  const char* name() const override { return "emissions"; }
  const char* description() const override {
    return "CO2, CH4, N2O and CO2e of the mining process (diesel, explosives, coal-mine methane, "
           "electricity, land clearing) per mine and year";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(emissions_options(), sub);
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    EmissionsJob job;
    flags_.apply(job);
    try {
      validate(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    std::shared_ptr<LoadedEmissions> loaded;
    try {
      loaded = load_emissions(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    run_single_stage(emissions_stage(loaded), out_dir_, context);
  }

 private:
  OptionFlags<EmissionsJob> flags_;
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_emissions_command() {
  return std::make_unique<EmissionsCommand>();
}

}  // namespace minecarbon::cli
