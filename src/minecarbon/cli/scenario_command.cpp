// `minecarbon scenario …`: land-use demand, PLUS-style allocation, validation and carbon on its
// own, its flags made from scenario_options(); and `minecarbon scenario validate --initial a.tif
// --observed b.tif --simulated c.tif [--classes c.csv] --out DIR`, the agreement of any
// simulated map with the observed one (confusion, OA, Kappa, PA/UA, FoM; docs/scenario.md §5).
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/scenario_job.h"

namespace minecarbon::cli {

namespace {

class ScenarioCommand : public StageCommand<pipeline::ScenarioJob> {
 public:
  ScenarioCommand()
      : StageCommand<pipeline::ScenarioJob>(
            "scenario",
            "land-use scenarios: Markov/linear/fixed/plan demand, LEAS + CARS allocation, "
            "validation, carbon; 'scenario validate' compares three maps",
            pipeline::scenario_options,
            [](const pipeline::ScenarioJob& job, pipeline::MineSets& mine_sets) {
              return pipeline::scenario_stage(pipeline::load_scenario(job, &mine_sets));
            }) {}

  void setup(CLI::App& sub) override {
    StageCommand<pipeline::ScenarioJob>::setup(sub);
    // The stage's required options (and --out) are checked by the job's own validation, so that
    // `scenario validate` parses without them.
    for (CLI::Option* option : sub.get_options())
      option->required(false);
    validate_ = sub.add_subcommand(
        "validate",
        "agreement of a simulated land-use map with the observed one: confusion matrix (rows "
        "simulated, columns observed), OA, Kappa, PA/UA, FoM with A/B/C/D");
    validate_->add_option("--initial", validate_job_.initial, "the map the simulation started from")
        ->required()
        ->check(CLI::ExistingPath);
    validate_
        ->add_option("--observed", validate_job_.observed, "the observed map of the target date")
        ->required()
        ->check(CLI::ExistingPath);
    validate_->add_option("--simulated", validate_job_.simulated, "the simulated map")
        ->required()
        ->check(CLI::ExistingPath);
    validate_
        ->add_option("--classes", validate_job_.classes,
                     "class table code,name (default: the codes found in the maps)")
        ->check(CLI::ExistingPath);
    validate_->add_option("--out", validate_out_, "output folder")->required();
  }

  void run(RunContext& context) override {
    if (validate_ && validate_->parsed()) {
      pipeline::run_single_stage(pipeline::scenario_validate_stage(validate_job_), validate_out_,
                                 context);
      return;
    }
    if (out_dir_.empty()) throw ConfigError("scenario: --out is required (the output folder)");
    StageCommand<pipeline::ScenarioJob>::run(context);
  }

 private:
  CLI::App* validate_ = nullptr;
  pipeline::ScenarioValidateJob validate_job_;
  std::string validate_out_;
};

}  // namespace

std::unique_ptr<Command> make_scenario_command() {
  return std::make_unique<ScenarioCommand>();
}

}  // namespace minecarbon::cli
