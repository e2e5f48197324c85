// `minecarbon scenario …`: land-use demand, PLUS-style allocation, validation and carbon on its
// own, its flags made from scenario_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/scenario_job.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_scenario_command() {
  return std::make_unique<StageCommand<pipeline::ScenarioJob>>(
      "scenario", "land-use scenarios: Markov demand, LEAS + CARS allocation, validation, carbon",
      pipeline::scenario_options, [](const pipeline::ScenarioJob& job, pipeline::MineSets&) {
        return pipeline::scenario_stage(pipeline::load_scenario(job));
      });
}

}  // namespace minecarbon::cli
