// `minecarbon indices …`: spectral indices, FVC and RSEI of a scene or a yearly series, its
// flags made from indices_options() (docs/indices.md).
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/indices_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_indices_command() {
  return std::make_unique<StageCommand<pipeline::IndicesJob>>(
      "indices",
      "spectral indices (NDVI, EVI, NDWI, MNDWI, NDMI, SI, IBI, NDBSI, WET, LST), FVC and RSEI "
      "of a scene or a yearly series",
      pipeline::indices_options,
      [](const pipeline::IndicesJob& job, pipeline::MineSets& mine_sets) {
        return pipeline::indices_stage(pipeline::load_indices(job, &mine_sets));
      });
}

}  // namespace minecarbon::cli
