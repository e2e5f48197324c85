// `minecarbon report`: what it reads (a results folder), what it writes (paper figures; the HTML
// report comes with the web front end) and its options, each declared once in report_options().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/options.h"
#include "minecarbon/core/run_context.h"

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
  std::string map_variable;              // the map's and histogram's variable; "" = default
  std::optional<std::int64_t> map_year;  // a per-year map variable's year; default its last
  std::int64_t top_n = 20;               // bars of the ranked potential
};

const OptionTable<ReportJob>& report_options();

// Throws OptionError("report", key, …) for a bad option (an unknown figure format, no output
// asked for).
void validate(const ReportJob& job);

// Reads the results folder and writes the figures into `figures_dir` atomically (all or none),
// one file per figure and format. Returns the files written. Throws DataError for a results
// folder that cannot be read, ConfigError for an unknown --mine, RunError when a file cannot be
// written.
std::vector<std::string> run_report_figures(const ReportJob& job, const RunContext& context);

}  // namespace minecarbon::pipeline
