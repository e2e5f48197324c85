// `minecarbon plan …`: restoration schemes (costs, carbon benefit, NPV, ranking) and the land-use
// structure optimisation on their own, its flags made from plan_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/plan_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_plan_command() {
  return std::make_unique<StageCommand<pipeline::PlanJob>>(
      "plan", "restoration schemes: costs, carbon benefit, NPV, ranking; land-use optimisation",
      pipeline::plan_options, [](const pipeline::PlanJob& job, pipeline::MineSets&) {
        return pipeline::plan_stage(pipeline::load_plan(job));
      });
}

}  // namespace minecarbon::cli
