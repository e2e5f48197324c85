// `minecarbon damage …`: the damage stage on its own, its flags made from damage_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
namespace {

class DamageCommand : public Command {
 public:
  const char* name() const override { return "damage"; }
  const char* description() const override {
    return "NEP loss of every mine against its undisturbed surroundings";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(pipeline::damage_options(), sub);
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    pipeline::DamageJob job;
    flags_.apply(job);
    try {
      pipeline::validate(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    pipeline::MineSets mine_sets(context.threads);
    pipeline::run_single_stage(pipeline::damage_stage(pipeline::load_damage(job, &mine_sets)),
                               out_dir_, context);
  }

 private:
  OptionFlags<pipeline::DamageJob> flags_;
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_damage_command() {
  return std::make_unique<DamageCommand>();
}

}  // namespace minecarbon::cli
