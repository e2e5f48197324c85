// `minecarbon classify --values v.csv --value-field nep_gap --out DIR`: high / medium / low
// sink-potential classes of mines, its flags made from classify_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/classify_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_classify_command() {
  return std::make_unique<StageCommand<pipeline::ClassifyJob>>(
      "classify",
      "high / medium / low sink-potential classes of mines: thresholds, or Fisher-Jenks, "
      "quantile, equal-interval or mean +- SD breaks",
      pipeline::classify_options,
      [](const pipeline::ClassifyJob& job, pipeline::MineSets& mine_sets) {
        return pipeline::classify_stage(pipeline::load_classify(job, &mine_sets));
      });
}

}  // namespace minecarbon::cli
