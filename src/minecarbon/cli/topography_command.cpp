// `minecarbon topography …`: the topography stage on its own, its flags made from
// topography_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/topography_job.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_topography_command() {
  return std::make_unique<StageCommand<pipeline::TopographyJob>>(
      "topography", "terrain of every mine from a DEM and its relation to the sink rates",
      pipeline::topography_options,
      [](const pipeline::TopographyJob& job, pipeline::MineSets& mine_sets) {
        return pipeline::topography_stage(pipeline::load_topography(job, &mine_sets));
      });
}

}  // namespace minecarbon::cli
