// `minecarbon merge --checkpoint DIR --out OUT`: the results of a run whose units were computed
// by independent processes (`minecarbon damage … --tile i/N --checkpoint DIR`, e.g. a Slurm job
// array), byte for byte those of one process. The job comes from DIR/run.json; every unit must be
// there (the missing ones are listed) and the input files unchanged. Under mpirun, rank 0 alone
// merges and writes; the other ranks wait and exit with its code.
#include <cstdlib>
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/distributor.h"
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
    // Under mpirun (e.g. the last step of a batch script started with srun): rank 0 merges and
    // writes alone, the other ranks wait for its exit code and leave with it (silently: rank 0
    // says any error), so there is one writer and one output folder.
    Distributor& dist = process_distributor();
    if (!dist.root()) {
      Bytes message;
      dist.broadcast(message);
      ByteReader reader(message, "rank 0's merge result");
      const auto code = static_cast<int>(reader.u64());
      if (code != 0) std::exit(code);
      return;
    }
    auto tell = [&dist](int code) {
      if (dist.size() < 2) return;
      ByteWriter w;
      w.u64(static_cast<std::uint64_t>(code));
      dist.broadcast(w.bytes);
    };
    if (dist.size() > 1)
      context.say("merge: " + std::to_string(dist.size()) +
                  " ranks: rank 0 merges and writes alone, the others wait");
    try {
      merge(context);
    } catch (const Error& e) {
      tell(static_cast<int>(e.code()));
      throw;
    } catch (...) {
      tell(static_cast<int>(ExitCode::run_failure));
      throw;
    }
    tell(0);
  }

 private:
  void merge(const RunContext& context) {
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

  std::string checkpoint_, out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_merge_command() {
  return std::make_unique<MergeCommand>();
}

}  // namespace minecarbon::cli
