// Everything one nep run needs, as given on the command line or in a [nep] section, and the
// function both front ends call (docs/nep.md).
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/assess/damage.h"
#include "minecarbon/assess/nep.h"
#include "minecarbon/core/options.h"
#include "minecarbon/geo/raster_series.h"
#include "minecarbon/pipeline/stage_output.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

struct NepJob {
  assess::Period years;  // required
  // Monthly rasters: patterns with {year} and {month} (two digits, 01..12).
  std::string ndvi, temperature, precipitation, solar_radiation;
  std::optional<double> ndvi_scale;  // e.g. 0.0001 for NDVI stored × 10000
  std::string vegetation;            // class raster (integer codes), one for all years
  std::string class_table;           // CSV code, type
  std::string vegetation_table;      // your CASA type rows (replace shipped rows by type)
  std::string encoding = "utf-8";
  assess::NepParams params;
};

const OptionTable<NepJob>& nep_options();

// Checks every option; throws OptionError naming the key, or DataError for a missing file.
void validate(const NepJob& job);

NepJob nep_job_from_toml(const toml::table& section, const TomlSource& source);

struct LoadedNep {
  NepJob job;
  assess::NepInputs inputs;
  std::vector<std::string> files;
  std::vector<std::string> kinds;
};

// Checks the job, finds every monthly file (a missing month is a DataError naming variable, year,
// month and file), opens every raster and checks they share one grid, reads the tables.
std::shared_ptr<LoadedNep> load_nep(const NepJob& job);

struct PreparedStage;
PreparedStage nep_stage(std::shared_ptr<const LoadedNep> loaded);

// Runs the stage: npp_{year}.tif, rh_{year}.tif, nep_{year}.tif in the stage's folder (Float32,
// gC m⁻² yr⁻¹, NaN nodata), tables/nep_summary.csv and summary.json. Returns the summary.
// `written`, when given, receives the annual NEP rasters just written, opened as a series (their
// staged paths: valid until the run's output is published), for damage in the same run.
nlohmann::json run_nep_job(const LoadedNep& loaded, StageOutput& out, const RunContext& context,
                           geo::RasterSeries* written = nullptr);

}  // namespace minecarbon::pipeline
