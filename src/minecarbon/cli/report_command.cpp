// `minecarbon report RESULTS_DIR [-o FILE] [--figures DIR] …`: the offline HTML report and paper
// figures of any results folder, its flags made from report_options() (docs/report.md); and
// `minecarbon report PG:… --run ID [--pg-schema S]`, the same of a run in the PostGIS store
// (store/pg_report_reader.h, docs/postgis.md).
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/report_job.h"
#include "minecarbon/store/pg_report_reader.h"

namespace minecarbon::cli {
namespace {

class ReportCommand : public Command {
 public:
  const char* name() const override { return "report"; }
  const char* description() const override {
    return "one self-contained offline HTML report (and paper figures) of a results folder";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("results", job_.results_dir,
                   "folder `run` or a stage wrote, or a PostGIS store 'PG:…' (with --run)")
        ->required();
    flags_.setup(pipeline::report_options(), sub);
    sub.add_option("--run", stored_.run_id,
                   "with a PG: store: the run_id of the run to report (`run --postgis` says it)");
    sub.add_option("--pg-schema", stored_.schema, "with a PG: store: its schema")
        ->capture_default_str();
  }
  void run(RunContext& context) override {
    flags_.apply(job_);
    if (is_pg_source(job_.results_dir)) {
      // The model from the store; results_dir becomes its label (no password), and the report
      // goes to the working folder unless -o says where.
      stored_.connection = job_.results_dir;
      const store::StoredRun stored = stored_;
      job_.load_model = [stored] { return store::load_stored_run(stored); };
      job_.results_dir = store::stored_run_label(stored);
      if (job_.out.empty())
        job_.out = "report_" + (stored.run_id.empty() ? "run" : stored.run_id) + ".html";
    } else if (!stored_.run_id.empty()) {
      throw ConfigError("report --run " + stored_.run_id +
                        ": --run names a run of a PostGIS store; give the store as 'PG:…' "
                        "instead of the folder " +
                        job_.results_dir);
    }
    try {
      pipeline::validate(job_);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    pipeline::run_report(job_, context);
  }

 private:
  pipeline::ReportJob job_;
  OptionFlags<pipeline::ReportJob> flags_;
  store::StoredRun stored_;
};

}  // namespace

std::unique_ptr<Command> make_report_command() {
  return std::make_unique<ReportCommand>();
}

}  // namespace minecarbon::cli
