// `minecarbon nep …`: annual NPP (CASA), R_H and NEP from monthly NDVI and climate rasters, its
// flags made from nep_options() (docs/nep.md).
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/nep_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_nep_command() {
  return std::make_unique<StageCommand<pipeline::NepJob>>(
      "nep",
      "annual NEP = CASA NPP - heterotrophic respiration from monthly NDVI and climate "
      "rasters",
      pipeline::nep_options, [](const pipeline::NepJob& job, pipeline::MineSets&) {
        return pipeline::nep_stage(pipeline::load_nep(job));
      });
}

}  // namespace minecarbon::cli
