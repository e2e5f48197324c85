// The nep stage: annual NPP (CASA), heterotrophic respiration R_H and NEP = NPP − R_H from monthly
// NDVI, air temperature, precipitation and solar radiation rasters and a vegetation-type raster
// (docs/nep.md). Three passes over the rasters, block by block on the reference grid:
//   0. the codes of the vegetation raster → CASA types through the class table (unmapped codes:
//      error, or the `default` type with a warning naming them);
//   1. the T_opt pre-pass over every year (and, with fpar_extremes = "data", the NDVI values of
//      every type for its 5th/95th percentiles);
//   2. per year: checks of the input ranges (a DataError naming file and cell), the CASA kernel
//      (carbon/casa_nep.h), the annual rasters handed to the sink, area-weighted sums.
// Blocks are visited on `threads` workers; per-block results are merged in block order, so the
// numbers and the files are identical for any thread count.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "minecarbon/carbon/casa_nep.h"
#include "minecarbon/carbon/casa_vegetation.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/block_reader.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

struct NepParams {
  carbon::FparExtremesSource fpar_extremes = carbon::FparExtremesSource::table;
  carbon::UnmappedClasses unmapped = carbon::UnmappedClasses::error;
  double rh_temp_coef = carbon::kRhTempCoef;
  double fpar_alpha = carbon::kFparAlpha;
  bool daylength_correction = false;

  static const OptionTable<NepParams>& options();
  void validate() const;  // throws OptionError
};

// The monthly inputs of one variable, in the order of NepInputs::layers: ndvi, temperature,
// precipitation, solar radiation.
inline constexpr const char* kNepVariables[4] = {"ndvi", "temperature", "precipitation",
                                                 "solar_radiation"};

struct NepInputs {
  std::vector<int> years;
  // Per year: 48 layers (4 variables × 12 months, variable-major as kNepVariables) and the
  // vegetation raster last; all on one grid (checked when opened).
  std::vector<geo::AlignedRasters> year_rasters;
  // Per year: the NDVI and temperature months and the vegetation raster (the pre-pass reads only
  // those: 24 + 1 layers).
  std::vector<geo::AlignedRasters> prepass_rasters;
  geo::RasterLayerSpec vegetation;
  carbon::CasaVegetationTable types;
  std::vector<std::string> type_files;
  std::vector<carbon::CasaClassRow> classes;
  std::string class_table;  // its path, for messages
};

// Receives each year's annual rasters block by block (any thread; block ids of `plan`).
struct NepRasterSink {
  geo::BlockPlan plan;
  std::function<void(std::size_t year_idx, std::size_t block_id, std::vector<float> npp,
                     std::vector<float> rh, std::vector<float> nep)>
      write;
};

struct NepYearRow {
  int year = 0;
  std::uint64_t valid_cells = 0, nodata_cells = 0;
  double valid_area_m2 = 0.0;
  double npp_mean_gC_m2_yr = 0.0, rh_mean_gC_m2_yr = 0.0, nep_mean_gC_m2_yr = 0.0;
  double nep_total_GgC = 0.0;  // Σ NEP · cell area, Gg C (1 Gg = 10⁹ g)
};

struct NepResult {
  std::vector<NepYearRow> years;
  carbon::CasaClassMapping mapping;
  std::vector<carbon::CasaTypeParams> type_params;  // per type of the table (used ones filled)
  std::vector<char> type_used;
  ProblemList warnings;
  nlohmann::json summary;
};

NepResult run_nep(const NepParams& params, const NepInputs& inputs, const RunContext& context,
                  const NepRasterSink& sink);

// tables/nep_summary.csv: year, valid_area_km2, valid_cells, nodata_cells, npp_mean_gC_m2_yr,
// rh_mean_gC_m2_yr, nep_mean_gC_m2_yr, nep_total_GgC.
Table nep_summary_table(const NepResult& result);

}  // namespace minecarbon::assess
