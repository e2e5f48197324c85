// `minecarbon run project.toml`: the whole project file checked, then its stages run in dependency
// order and published at once (pipeline/project.h).
//
// `--check` stops after the check: nothing is computed or written, exit 0 when the project would
// run, 2 (configuration) or 3 (an input) otherwise. `--progress jsonl` writes progress, log lines
// and a final done line as JSON lines on stdout (core/progress_jsonl.h); with --check, the
// problems as a JSON array [{line, section, key, message}] ([] when there are none).
#include <cstdio>
#include <iostream>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/progress_jsonl.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/web/config_check.h"

namespace minecarbon::cli {
namespace {

class RunCommand : public Command {
 public:
  const char* name() const override { return "run"; }
  const char* description() const override { return "run the stages of a project file"; }
  void setup(CLI::App& sub) override {
    sub.add_option("project", project_file_, "project.toml")->required();
    sub.add_option("--out", out_override_, "output folder (default: [project] out)");
    sub.add_flag("--check", check_,
                 "check the whole project (options, inputs) as a run would, then stop: exit 0 "
                 "when it would run, 2 or 3 otherwise; nothing is computed or written");
    sub.add_option("--progress", progress_,
                   "how progress is shown: text (a bar on stderr) or jsonl (one JSON object per "
                   "line on stdout: progress, log and done lines)")
        ->check(CLI::IsMember({"text", "jsonl"}))
        ->capture_default_str();
  }
  void run(RunContext& context) override {
    const bool jsonl = progress_ == "jsonl";
    if (check_) return run_check(jsonl);
    if (jsonl) install_jsonl_progress(context);
    try {
      const pipeline::Project project =
          pipeline::prepare_project(project_file_, out_override_, context);
      pipeline::run_project(project, context);
    } catch (const Error& e) {
      if (jsonl) write_jsonl_done(static_cast<int>(e.code()), e.what());
      throw;
    } catch (const std::exception& e) {
      if (jsonl) write_jsonl_done(static_cast<int>(ExitCode::run_failure), e.what());
      throw;
    }
    if (jsonl) write_jsonl_done(0, "");
  }

 private:
  // The same preparation as a run; the error, if any, is rethrown so the exit code is the run's.
  void run_check(bool jsonl) {
    const web::ConfigCheck check = web::check_project_file(project_file_);
    if (jsonl) std::cout << web::problems_json(check.problems).dump() << std::endl;
    if (check.exit_code == 0) return;
    const web::ConfigProblem& p = check.problems.front();
    std::string where = project_file_;
    if (p.line > 0) where += ":" + std::to_string(p.line);
    if (!p.section.empty()) where += " [" + p.section + "]";
    if (!p.key.empty()) where += " " + p.key;
    throw Error(static_cast<ExitCode>(check.exit_code), where + ": " + p.message);
  }

  std::string project_file_, out_override_;
  std::string progress_ = "text";
  bool check_ = false;
};

}  // namespace

std::unique_ptr<Command> make_run_command() {
  return std::make_unique<RunCommand>();
}

}  // namespace minecarbon::cli
