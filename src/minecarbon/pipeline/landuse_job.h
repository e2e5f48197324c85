// Everything one landuse run needs, as given on the command line or in a [landuse] section, and
// the function both front ends call.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/landuse.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct LanduseJob {
  std::string encoding = "utf-8";  // of the pool table
  // "2000=lulc_2000.tif", one per date (flag --lulc repeated); or a pattern and a year list.
  std::vector<std::string> lulc;
  std::string lulc_pattern;
  std::vector<std::size_t> years;
  std::string pools;
  std::string align = "none";  // or "nearest"
  MineSource mine_source;      // optional: mines empty = no per-mine results
  assess::LanduseParams params;
};

// Every [landuse] key and `minecarbon landuse` flag: the inputs, then LanduseParams::options().
const OptionTable<LanduseJob>& landuse_options();

// One date of the series as named by the job.
struct LulcDate {
  int year = 0;
  std::string path;
};
// The dates of the job in the order given (entries "YEAR=path", or the pattern and years);
// throws OptionError("landuse", key, problem) for a malformed entry, fewer than two dates, or
// years not strictly increasing (duplicated or out of order).
std::vector<LulcDate> lulc_dates(const LanduseJob& job);

// Options, rules between them, and that the named files exist (DataError).
void validate(const LanduseJob& job);

// Reads the [landuse] table (relative paths from source.base_dir) and validates it.
LanduseJob landuse_job_from_toml(const toml::table& section, const TomlSource& source);

struct LoadedLanduse {
  LanduseJob job;
  assess::LanduseInputs inputs;  // without the raster output (made per run)
  nlohmann::json align;          // what align = "nearest" did, for summary.json
  std::vector<std::string> files;
  std::vector<std::string> kinds;
};

// Checks the job, opens every map (integer band, one grid and CRS unless aligned) and reads the
// pool table and mines; throws ConfigError or DataError before anything runs.
std::shared_ptr<LoadedLanduse> load_landuse(const LanduseJob& job, MineSets* mine_sets = nullptr);

struct PreparedStage;
PreparedStage landuse_stage(std::shared_ptr<const LoadedLanduse> loaded);

nlohmann::json run_landuse_job(const LoadedLanduse& loaded, StageOutput& out,
                               const RunContext& context, assess::LanduseResult* keep = nullptr);

}  // namespace minecarbon::pipeline
