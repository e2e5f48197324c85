// One stage run alone from the command line: its flags made from the stage's option table, an
// `--out` folder, the settings checked as a whole, then the prepared stage run and published.
//
// Every stage command is this class plus its name, description, option table and how the stage
// is prepared; a command with more (a project file to start from, extra flags) overrides a hook.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/cli/pg_output.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {

template <class Job>
class StageCommand : public Command {
 public:
  // Loads the inputs of a checked job and prepares the stage; mine layers through `mine_sets`.
  using Prepare = pipeline::PreparedStage (*)(const Job& job, pipeline::MineSets& mine_sets);
  using Options = const OptionTable<Job>& (*)();

  StageCommand(const char* name, const char* description, Options options, Prepare prepare)
      : name_(name), description_(description), options_(options), prepare_(prepare) {}

  const char* name() const override { return name_; }
  const char* description() const override { return description_; }

  void setup(CLI::App& sub) override {
    add_leading_flags(sub);
    flags_.setup(options_(), sub);
    add_flags(sub);
    CLI::Option* out = sub.add_option("--out", out_dir_, "output folder");
    if (out_required_) out->required();
    postgis_.add_flags(sub);
  }

  void run(RunContext& context) override {
    Job job = initial_job();
    flags_.apply(job);
    complete(job);
    pipeline::MineSets mine_sets(context.threads);
    std::optional<pipeline::PreparedStage> stage;
    try {
      validate(job);
      stage = prepare_(job, mine_sets);
    } catch (const OptionError& e) {
      throw option_error(e);
    }
    postgis_.run({&*stage}, out_dir_, "# " + context.command_line + "\n", context,
                 [&] { pipeline::run_single_stage(*stage, out_dir_, context); });
  }

 protected:
  // Flags listed before the option table's (a project file or input file to start from).
  virtual void add_leading_flags(CLI::App&) {}
  // Flags after the option table's that are not stage options.
  virtual void add_flags(CLI::App&) {}
  // The job before the flags are applied (defaults, or read from a file the user named).
  virtual Job initial_job() { return Job{}; }
  // Turns what extra flags gave into the job, after the table's flags; may throw ConfigError.
  virtual void complete(Job&) {}
  // How an invalid option is told: by the flag that set it.
  virtual ConfigError option_error(const OptionError& e) const { return flags_.error(e); }

  OptionFlags<Job> flags_;
  PgOutput postgis_;
  std::string out_dir_;
  bool out_required_ = true;

 private:
  const char* name_;
  const char* description_;
  Options options_;
  Prepare prepare_;
};

}  // namespace minecarbon::cli
