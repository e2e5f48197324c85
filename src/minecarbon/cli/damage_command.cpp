// `minecarbon damage …`: the damage stage on its own, its flags made from damage_options(), plus
// how its work units run: on the processes of `mpirun -n N` (core/distributor.h), with
// checkpoints (--checkpoint, --resume) or as one tile of N independent processes (--tile i/N,
// then `minecarbon merge`). Only rank 0 writes results; the tables are the same bytes however the
// units ran (docs/scale_out.md).
#include <cstdlib>
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/distributor.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/checkpoint.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/rank_share.h"

namespace minecarbon::cli {
namespace {

pipeline::PreparedStage prepare_damage(const pipeline::DamageJob& job,
                                       pipeline::MineSets& mine_sets) {
  return pipeline::damage_stage(pipeline::load_damage(job, &mine_sets));
}

// "i/N" → (i, N); ConfigError unless 0 <= i < N.
std::pair<int, int> parse_tile(const std::string& text) {
  const auto slash = text.find('/');
  char* end = nullptr;
  long i = -1, n = 0;
  if (slash != std::string::npos) {
    i = std::strtol(text.c_str(), &end, 10);
    if (end != text.c_str() + slash) i = -1;
    n = std::strtol(text.c_str() + slash + 1, &end, 10);
    if (*end != '\0') n = 0;
  }
  if (n < 1 || i < 0 || i >= n)
    throw ConfigError("--tile " + text +
                      ": expected i/N with N >= 1 and 0 <= i < N (tile i computes the units u "
                      "with u mod N = i), e.g. --tile 0/3");
  return {static_cast<int>(i), static_cast<int>(n)};
}

class DamageCommand : public StageCommand<pipeline::DamageJob> {
 public:
  DamageCommand()
      : StageCommand("damage", "NEP loss of every mine against its undisturbed surroundings",
                     pipeline::damage_options, prepare_damage) {
    out_required_ = false;  // a tile writes only its checkpoints
  }

  void run(RunContext& context) override {
    const bool tile = !tile_text_.empty();
    const std::pair<int, int> tile_at = tile ? parse_tile(tile_text_) : std::pair{-1, 0};
    if (resume_ && checkpoint_.empty())
      throw ConfigError("--resume needs --checkpoint DIR: the folder whose units to reuse");
    if (tile && checkpoint_.empty())
      throw ConfigError("--tile " + tile_text_ +
                        " needs --checkpoint DIR: a tile writes its units there for "
                        "`minecarbon merge --checkpoint DIR --out …`");
    if (!tile && out_dir_.empty()) throw ConfigError("--out is required (the output folder)");
    Distributor* dist = tile ? nullptr : &process_distributor();
    if (tile && launcher_size() > 1)
      throw ConfigError(
          "--tile runs one process per tile, without MPI; under mpirun leave "
          "--tile out (the ranks share the units themselves)");
    const bool worker = dist && !dist->root();
    // Threads and GDAL's cache per rank: the node's, shared by its ranks (unless --threads).
    if (dist)
      pipeline::share_node_among_ranks(
          *dist, context, context.threads == default_thread_count() ? 0 : context.threads);
    set_unit_timeout_seconds(unit_timeout_s_);
    if (worker) context.quiet = true;
    try {
      run_units(context, dist, tile, tile_at);
    } catch (const Error& e) {
      // Rank 0 says it (the message names the rank, unit and file); the others only exit.
      if (worker) std::exit(static_cast<int>(e.code()));
      throw;
    }
  }

 protected:
  void add_flags(CLI::App& sub) override {
    sub.add_option("--checkpoint", checkpoint_,
                   "folder for each finished work unit's result (reused by --resume, --tile, "
                   "merge)");
    sub.add_flag("--resume", resume_,
                 "skip the units whose result is already in --checkpoint (checked)");
    sub.add_option("--unit-mines", unit_mines_,
                   "mines per work unit (of ranks, checkpoints and tiles; changes no result)")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    sub.add_option("--unit-timeout-s", unit_timeout_s_,
                   "hang guard: a work unit computing longer than this ends the whole job "
                   "(exit 1) naming the rank, unit and mines; 0 = none")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    sub.add_option("--tile", tile_text_,
                   "i/N: compute only the units u with u mod N = i into --checkpoint, no "
                   "output; then `minecarbon merge --checkpoint DIR --out …`");
  }

 private:
  void run_units(const RunContext& context, Distributor* dist, bool tile,
                 std::pair<int, int> tile_at) {
    pipeline::DamageJob job = initial_job();
    flags_.apply(job);
    complete(job);
    job.unit_mines = unit_mines_;
    pipeline::MineSets mine_sets(context.threads);
    std::shared_ptr<pipeline::LoadedDamage> loaded;
    try {
      validate(job);
      loaded = pipeline::load_damage(job, &mine_sets);
    } catch (const OptionError& e) {
      throw option_error(e);
    }
    assess::DamageExecution& execution = loaded->execution;
    execution.distributor = dist;
    execution.tile_index = tile_at.first;
    execution.tile_count = tile_at.second;
    std::shared_ptr<pipeline::CheckpointDir> checkpoint;
    if (!checkpoint_.empty() && (!dist || dist->root())) {
      checkpoint = std::make_shared<pipeline::CheckpointDir>(
          checkpoint_, pipeline::damage_checkpoint_identity(loaded->job, loaded->files));
      execution.save_unit = [checkpoint](std::size_t unit, const Bytes& bytes) {
        checkpoint->save(unit, bytes);
      };
      if (resume_ || tile)
        execution.load_unit = [checkpoint](std::size_t unit) { return checkpoint->load(unit); };
    }
    if ((dist && !dist->root()) || tile) {
      // No output folder: a worker's units go to rank 0, a tile's to the checkpoint folder.
      assess::DamageInputs inputs = loaded->inputs;
      inputs.mine_geometry = loaded->mine_set->geometry(context);
      execution.unit_mines = static_cast<std::size_t>(loaded->job.unit_mines);
      const assess::DamageResult result =
          assess::run_damage(loaded->job.params, inputs, context, execution);
      if (tile)
        context.say("damage: tile " + tile_text_ + ": " +
                    result.summary.value("units_computed", nlohmann::json(0)).dump() +
                    " units computed into " + checkpoint_);
      return;
    }
    pipeline::PreparedStage stage = pipeline::damage_stage(loaded);
    postgis_.run({&stage}, out_dir_, "# " + context.command_line + "\n", context,
                 [&] { pipeline::run_single_stage(stage, out_dir_, context); });
  }

  std::string checkpoint_, tile_text_;
  bool resume_ = false;
  int unit_mines_ = 256;
  double unit_timeout_s_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_damage_command() {
  return std::make_unique<DamageCommand>();
}

}  // namespace minecarbon::cli
