// `minecarbon merge --checkpoint DIR --out OUT`: the results of a run whose units were computed
// by independent processes (`minecarbon damage … --tile i/N --checkpoint DIR`, e.g. a Slurm job
// array), byte for byte those of one process. The job comes from DIR/run.json; every unit must be
// there (the missing ones are listed) and the input files unchanged.
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/checkpoint.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
namespace {

class MergeCommand : public Command {
 public:
  const char* name() const override { return "merge"; }
  const char* description() const override {
    return "results of a run computed as tiles (--tile i/N) from their checkpoint folder";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("--checkpoint", checkpoint_, "the tiles' checkpoint folder")->required();
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    const nlohmann::json identity = pipeline::CheckpointDir::read_identity(checkpoint_);
    const pipeline::DamageJob job =
        pipeline::damage_job_from_identity(identity, checkpoint_ + "/run.json");
    pipeline::MineSets mine_sets(context.threads);
    std::shared_ptr<pipeline::LoadedDamage> loaded = pipeline::load_damage(job, &mine_sets);
    // Checks that the inputs are still those the tiles read.
    auto checkpoint = std::make_shared<pipeline::CheckpointDir>(
        checkpoint_, pipeline::damage_checkpoint_identity(loaded->job, loaded->files), false);
    loaded->execution.merge_only = true;
    loaded->execution.load_unit = [checkpoint](std::size_t unit) { return checkpoint->load(unit); };
    pipeline::run_single_stage(pipeline::damage_stage(loaded), out_dir_, context);
  }

 private:
  std::string checkpoint_, out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_merge_command() {
  return std::make_unique<MergeCommand>();
}

}  // namespace minecarbon::cli
