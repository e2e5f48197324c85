// Everything one `indices` run needs, as given on the command line or in an [indices] section,
// and the function both front ends call (docs/indices.md, "The stage").
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/damage.h"
#include "minecarbon/assess/indices.h"
#include "minecarbon/assess/indices_mines.h"
#include "minecarbon/core/options.h"
#include "minecarbon/pipeline/mine_set.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct IndicesJob {
  // The scene: one multi-band raster (bands by number), or one file per band with {band} in the
  // pattern; {year} makes it a series over `years`.
  std::string scene;
  assess::Period years;  // required with {year}
  std::string mtl;       // landsat_l1_toa: the MTL file (pattern with {year} for a series)
  std::string mask;      // user mask raster: cells 0 or nodata are left out
  assess::IndicesParams params;
  MineSource mine_source;  // optional: mines empty = no per-mine results
  geo::RingParams ring;    // the damage stage's defaults (5000 m, 500 m)
};

const OptionTable<IndicesJob>& indices_options();

// Checks every option; throws OptionError naming the key.
void validate(const IndicesJob& job);

IndicesJob indices_job_from_toml(const toml::table& section, const TomlSource& source);

struct LoadedIndices {
  IndicesJob job;
  assess::IndicesInputs inputs;
  std::vector<std::string> files;
  std::vector<std::string> kinds;
  std::shared_ptr<const MineSet> mines;  // null without --mines
};

// Checks the job, finds every band file (DataError naming a missing file), checks every band
// number against its file's band count (ConfigError naming file, role and band), reads the MTL,
// opens the rasters of each scene on one grid (off-grid layers warped).
// With mines, reads the layer (DataError naming layer and field for a bad id field).
std::shared_ptr<LoadedIndices> load_indices(const IndicesJob& job, MineSets* mine_sets = nullptr);

struct PreparedStage;
PreparedStage indices_stage(std::shared_ptr<const LoadedIndices> loaded);

// Runs the stage: <index>[_<year>].tif, tables/index_summary.csv, tables/rsei_pca.csv,
// summary.json; with mines tables/mine_index.csv and results.gpkg (layer mine_index).
assess::IndicesResult run_indices_job(const LoadedIndices& loaded, StageOutput& out,
                                      const RunContext& context);

}  // namespace minecarbon::pipeline
