// `minecarbon damage …`: the damage stage on its own, its flags made from damage_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_damage_command() {
  return std::make_unique<StageCommand<pipeline::DamageJob>>(
      "damage", "NEP loss of every mine against its undisturbed surroundings",
      pipeline::damage_options, [](const pipeline::DamageJob& job, pipeline::MineSets& mine_sets) {
        return pipeline::damage_stage(pipeline::load_damage(job, &mine_sets));
      });
}

}  // namespace minecarbon::cli
