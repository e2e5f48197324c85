// Everything one per-series warning run needs, as given on the command line or in a [warning]
// section, and the function both front ends call (docs/warning.md, "The stage").
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/warning/warning_stage.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"
#include "minecarbon/pipeline/warning_pixel_job.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct WarningJob {
  // Long CSV: id, year (or time) and the column `series`. Empty in a project with [damage]: the
  // series come from damage's mine_year table in memory.
  std::string series_csv;
  std::string series = "nep_mine_gC_m2_yr";  // the value column
  // A TOML file with [warning] levels and [[warning.rule]] (command line); in a project the
  // [warning] section's own levels and rules. Neither: data/warning_rules_default.toml.
  std::string rules;
  std::string encoding = "utf-8";
  assess::warning::WarningParams params;
  PixelWarningJob pixel;  // per-pixel inputs and options (warning_pixel_job.h)
  // Optional mines (--mines): the `warning` layer of results.gpkg and history_start_field from
  // the layer. Under `run` with series from damage, damage's own mine layer is used.
  MineSource mine_source;
};

const OptionTable<WarningJob>& warning_options();

// Checks every option; throws OptionError naming the key, or DataError for a missing file.
void validate(const WarningJob& job);

struct LoadedWarning {
  WarningJob job;
  assess::warning::WarningInputs inputs;
  bool from_damage = false;  // series taken from damage's result when the stage runs
  bool has_series = true;    // false: only the pixel stack is assessed
  std::shared_ptr<const LoadedPixelWarning> pixel;  // set when a pixel stack is given
  std::shared_ptr<const MineSet> mines;             // with mine_source.mines
  std::vector<std::string> files;
  std::vector<std::string> kinds;
};

// The rules of a [warning]-style table `section` read from `file`; the shipped defaults when it
// has no rules.
assess::warning::AlertRuleSet warning_rules_from(const toml::table& section,
                                                 const std::string& file);

// Reads the long series CSV: DataError (exit 3) naming file, line and field for a missing column,
// a non-numeric value or time, or a duplicate (id, time).
std::vector<assess::warning::WarningSeries> read_warning_series(const std::string& path,
                                                                const std::string& column,
                                                                const std::string& encoding);

// Command line: the job with its rules file (or the defaults) and its series CSV.
std::shared_ptr<LoadedWarning> load_warning(const WarningJob& job, MineSets* mine_sets = nullptr);

// Project: the [warning] section (options, levels and rules); with `has_damage` and no
// series_csv the series come from damage's result in memory.
std::shared_ptr<LoadedWarning> load_warning_section(const toml::table& section,
                                                    const TomlSource& source, bool has_damage,
                                                    MineSets* mine_sets = nullptr);

struct PreparedStage;
PreparedStage warning_stage(std::shared_ptr<const LoadedWarning> loaded);

// Runs the stage: tables/warning_series.csv, tables/warning_forecast.csv,
// tables/warning_alerts.csv, alerts.json and summary.json; tables/warning_spatial_z.csv with a
// spatial reference, tables/warning_mosum.csv with trace, and with `mines` the `warning` layer of
// results.gpkg (with `pixel_mines`, the per-mine alert-pixel columns joined). Returns the summary.
nlohmann::json run_warning_job(const LoadedWarning& loaded,
                               const assess::warning::WarningInputs& inputs, StageOutput& out,
                               const RunContext& context,
                               assess::warning::WarningResult* keep = nullptr,
                               const geo::PolygonLayer* mines = nullptr,
                               const Table* pixel_mines = nullptr);

}  // namespace minecarbon::pipeline
