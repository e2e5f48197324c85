// The per-pixel part of `minecarbon warning` (docs/warning.md, "Per pixel"): a stack of dates
// (one multi-band raster, or one single-band file per year of a {year} pattern) read block by
// block through the shared raster pass (geo/raster_pass.h), the per-pixel statistics of
// assess/warning/pixel_warning.h, Benjamini–Hochberg over all pixels, pixel alert rules, the
// rasters of the stage and a minimum mapping unit by GDAL's sieve filter.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/damage.h"
#include "minecarbon/assess/warning/alert_rules.h"
#include "minecarbon/assess/warning/pixel_warning.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct PixelWarningJob {
  std::string stack;           // one multi-band raster, one band per date
  std::string raster;          // or a pattern with {year}, one single-band file per year
  assess::Period pixel_years;  // the years of `raster`
  assess::warning::PixelWarningParams params;

  bool given() const { return !stack.empty() || !raster.empty(); }
};

const OptionTable<PixelWarningJob>& pixel_warning_options();

// Checks the pixel options as a whole (OptionError naming the key); nothing when no pixel input
// is given.
void validate(const PixelWarningJob& job);

struct LoadedPixelWarning {
  PixelWarningJob job;
  std::optional<geo::AlignedRasters> rasters;  // one layer per date
  std::vector<double> time_yr;                 // per layer
  assess::warning::AlertRuleSet rules;
  std::vector<std::string> files, kinds;
};

// Opens the stack (DataError naming the file for a missing year or unreadable raster, or when the
// band count differs from the number of `times`) and reads the pixel rules: [[warning.pixel_rule]]
// of `section` in `file` (scope: per-pixel statistics only), or the shipped
// data/warning_pixel_rules_default.toml when the section has none.
std::shared_ptr<LoadedPixelWarning> load_pixel_warning(const PixelWarningJob& job,
                                                       const toml::table& section,
                                                       const std::string& file);

// Runs the pixel pass(es) and writes break_time.tif, magnitude.tif, history_start.tif, mk_z.tif,
// sen_slope.tif, pettitt_time.tif, alert_level.tif. With `mines`: the area and share of each
// alert level per mine (assess/warning/pixel_alert_areas.h) from the final alert_level.tif,
// written as tables/warning_pixel_mine.csv and returned in `mine_table` (when not null) for the
// `warning` layer of results.gpkg. Returns the summary's "pixel" part.
nlohmann::json run_warning_pixel_job(const LoadedPixelWarning& loaded,
                                     const assess::warning::WarningParams& params, StageOutput& out,
                                     const RunContext& context,
                                     const geo::PolygonLayer* mines = nullptr,
                                     Table* mine_table = nullptr);

}  // namespace minecarbon::pipeline
