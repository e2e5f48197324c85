// `minecarbon run project.toml`: the whole project file checked, then its stages run in dependency
// order and published at once (pipeline/project.h).
#include "minecarbon/cli/command.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
namespace {

class RunCommand : public Command {
 public:
  const char* name() const override { return "run"; }
  const char* description() const override { return "run the stages of a project file"; }
  void setup(CLI::App& sub) override {
    sub.add_option("project", project_file_, "project.toml")->required();
    sub.add_option("--out", out_override_, "output folder (default: [project] out)");
  }
  void run(RunContext& context) override {
    const pipeline::Project project =
        pipeline::prepare_project(project_file_, out_override_, context);
    pipeline::run_project(project, context);
  }

 private:
  std::string project_file_, out_override_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() {
  return std::make_unique<RunCommand>();
}

}  // namespace minecarbon::cli
