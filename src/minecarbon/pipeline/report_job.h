// `minecarbon report`: what it reads (a results folder), what it writes (one self-contained HTML
// report, and paper figures) and its options, each declared once in report_options().
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/core/options.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/report/report_model.h"

namespace minecarbon::pipeline {

struct ReportJob {
  std::string results_dir;                           // a folder `run` or a stage wrote
  std::string figures_dir;                           // where the paper figures go; "" = no figures
  std::vector<std::string> figure_format = {"svg"};  // svg and/or png
  double width_mm = 180.0;
  double dpi = 300.0;
  double font_pt = 8.0;
  std::vector<std::string> mines;  // one Q/O/S series figure per id
  bool no_html = false;
  // The HTML report (docs/report.md, docs/report_island.md).
  std::string out;                       // "" = <results_dir>/report.html
  std::string lang = "en";               // en, zh
  std::string compare;                   // a second results folder; "" = none
  std::string geometry = "auto";         // auto, full, simplified, centroids
  double max_size_mb = 50.0;             // the whole file, 1 MB = 10^6 bytes
  std::string title;                     // "" = "minecarbon report: <folder name>"
  std::string map_variable;              // the map's and histogram's variable; "" = default
  std::optional<std::int64_t> map_year;  // a per-year map variable's year; default its last
  std::int64_t top_n = 20;               // bars of the ranked potential
  // Where the model comes from when it is not the folder `results_dir`: a run of the PostGIS
  // store (`minecarbon report PG:… --run ID`, cli/report_command.cpp). `results_dir` then only
  // labels it in messages (never a password). Empty = load_report_model(results_dir).
  std::function<report::ReportModel()> load_model;
};

const OptionTable<ReportJob>& report_options();

// Throws OptionError("report", key, …) for a bad option (an unknown figure format, no output
// asked for).
void validate(const ReportJob& job);

// Where the HTML report goes: `out`, or report.html in the results folder.
std::string report_html_path(const ReportJob& job);

// Reads the results folder (and `compare`), builds the report into `html_template` (the web
// front end's, report/web_assets.h; tests pass a small one) and writes it atomically. Returns the
// path written. Throws DataError for a results folder that cannot be read, ConfigError for a size
// budget that cannot be met or --compare sets sharing nothing, RunError when the file cannot be
// written or the template is unusable.
std::string run_report_html(const ReportJob& job, const RunContext& context,
                            std::string_view html_template);

// Everything the job asks for: the HTML report unless no_html (ConfigError with
// report::kNoWebAssetsMessage in a build without web assets, before anything is read or written),
// then the figures if figures_dir is set. Returns the files written.
std::vector<std::string> run_report(const ReportJob& job, const RunContext& context);

// Reads the results folder and writes the figures into `figures_dir` atomically (all or none),
// one file per figure and format. Returns the files written. Throws DataError for a results
// folder that cannot be read, ConfigError for an unknown --mine, RunError when a file cannot be
// written.
std::vector<std::string> run_report_figures(const ReportJob& job, const RunContext& context);

// The [report] section of a project file: the same options as `minecarbon report` (the one
// table, report_options()), for the results folder the run publishes (`out_dir`). Relative
// `out` and `figures` are taken in the run's output folder (figures = "figures" writes
// <out>/figures/), relative `compare` in the project file's folder (`project_dir`), like every
// input path of a project. Throws ConfigError naming the file, line and key for a bad option, and
// for an HTML report in a build without web assets (before any stage runs; no_html = true with
// figures still works).
ReportJob report_job_from_toml(const toml::table& section, const TomlSource& source,
                               const std::filesystem::path& project_dir,
                               const std::string& out_dir);

// `run`'s last step, after the results are published: the report of the published folder, by
// the same code as `minecarbon report` (so the file is the one `minecarbon report OUT` writes,
// but for the command line it records). A failure says that the results themselves are
// published and how to make the report again.
std::vector<std::string> run_report_after_run(const ReportJob& job, const RunContext& context);

}  // namespace minecarbon::pipeline
