// `minecarbon run project.toml`: the whole project file checked, then its stages run in dependency
// order and published at once (pipeline/project.h).
//
// `--check` stops after the check: nothing is computed or written, exit 0 when the project would
// run, 2 (configuration) or 3 (an input) otherwise. `--progress jsonl` writes progress, log lines
// and a final done line as JSON lines on stdout (core/progress_jsonl.h); with --check, the
// problems as a JSON array [{line, section, key, message}] ([] when there are none).
// `--checkpoint DIR` records each finished stage (and [damage]'s units) there; `--resume` skips
// them (pipeline/checkpoint_run.h). Under mpirun only rank 0 touches the folder.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/pg_output.h"
#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/distributor.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/progress_jsonl.h"
#include "minecarbon/pipeline/checkpoint_run.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/rank_share.h"
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
    // MPI (docs/scale_out.md): how [damage]'s work units are cut; changes no result.
    sub.add_option("--unit-mines", unit_mines_,
                   "mines per work unit of [damage] (spread over the ranks of mpirun; changes "
                   "no result)")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    sub.add_option("--unit-timeout-s", unit_timeout_s_,
                   "hang guard: a [damage] work unit computing longer than this ends the whole "
                   "job (exit 1) naming the rank, unit and mines; 0 = none")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    sub.add_option("--checkpoint", checkpoint_,
                   "folder recording each finished stage (and [damage]'s finished work units), "
                   "so that --resume can skip them");
    sub.add_flag("--resume", resume_,
                 "skip the stages (and [damage] units) already finished in --checkpoint; refused "
                 "when the project or its inputs changed since");
    postgis_.add_flags(sub);
  }
  void run(RunContext& context) override {
    const bool jsonl = progress_ == "jsonl";
    if (check_) return run_check(jsonl);
    if (resume_ && checkpoint_.empty())
      throw ConfigError("run: --resume needs --checkpoint DIR: the folder of the run to resume");
    if (jsonl) install_jsonl_progress(context);
    // Under mpirun, the [damage] stage's units are spread over the ranks; rank 0 runs every
    // other stage alone and writes (pipeline/damage_job.h, ProjectRanks).
    Distributor& dist = process_distributor();
    const pipeline::ProjectRanks ranks{&dist, unit_mines_};
    set_unit_timeout_seconds(unit_timeout_s_);
    if (dist.size() > 1) {
      pipeline::share_node_among_ranks(
          dist, context, context.threads == default_thread_count() ? 0 : context.threads);
      if (!dist.root()) {
        if (!pipeline::project_has_damage(project_file_)) return;  // nothing to share
        try {
          pipeline::run_project_damage_worker(project_file_, ranks, context);
        } catch (const Error& e) {
          std::exit(static_cast<int>(e.code()));  // rank 0 says it
        }
        return;
      }
      context.say("run: " + std::to_string(dist.size()) + " ranks: " +
                  (pipeline::project_has_damage(project_file_)
                       ? "[damage] units are spread over them; every other stage runs on rank 0"
                       : "no [damage] section, so only rank 0 works (only [damage] is spread "
                         "over ranks)"));
    }
    pipeline::set_project_ranks(ranks);
    try {
      pipeline::Project project = pipeline::prepare_project(project_file_, out_override_, context);
      postgis_.complete_from_project(project_file_);
      std::vector<pipeline::PreparedStage*> stages;
      for (auto& stage : project.stages)
        stages.push_back(&stage);
      postgis_.run(stages, project.plan.out_dir, read_text(project_file_), context, [&] {
        if (checkpoint_.empty())
          pipeline::run_project(project, context);
        else
          pipeline::run_project_checkpointed(project, context, {checkpoint_, resume_, unit_mines_});
      });
    } catch (const Error& e) {
      pipeline::release_project_ranks(static_cast<int>(e.code()));
      if (jsonl) write_jsonl_done(static_cast<int>(e.code()), redact_passwords(e.what()));
      throw;
    } catch (const std::exception& e) {
      pipeline::release_project_ranks(static_cast<int>(ExitCode::run_failure));
      if (jsonl)
        write_jsonl_done(static_cast<int>(ExitCode::run_failure), redact_passwords(e.what()));
      throw;
    } catch (...) {
      pipeline::release_project_ranks(static_cast<int>(ExitCode::run_failure));
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

  static std::string read_text(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string project_file_, out_override_, checkpoint_;
  bool resume_ = false;
  PgOutput postgis_;
  std::string progress_ = "text";
  bool check_ = false;
  int unit_mines_ = 256;
  double unit_timeout_s_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_run_command() {
  return std::make_unique<RunCommand>();
}

}  // namespace minecarbon::cli
