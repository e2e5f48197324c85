// A block pass planned from a memory budget: the read plan, the budget's numbers, and the loop
// that runs the workers with GDAL set for the pass.
//
//   const geo::AlignedRasters rasters(layers, geo::AlignOptions{});   // off-grid layers warped
//   geo::RasterPassRequest request;                                   // --memory-mb, --threads
//   request.memory_mb = params.memory_mb;
//   request.threads = context.threads;
//   request.window_bytes_per_cell = 8.0 * rasters.size() + 4.0 * n_outputs;
//   request.output_bytes_per_cell = 4.0 * n_outputs;
//   const geo::RasterPass pass = geo::plan_raster_pass(rasters, request);  // ConfigError < min
//   report::StreamedRasterOptions out;  out.queue_depth = pass.budget.writer_queue_depth;
//   report::QueuedGeoTiffWriter writer(path, rasters.grid(), rasters.crs_wkt(), pass.plan, out);
//   std::vector<Partial> partial(pass.plan.size());
//   geo::run_block_pass(rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t) {
//     report::abandon_on_error(writer, [&] {
//       ... compute; partial[block.block_id] = ...; writer.submit(block.block_id, {values});
//     });
//   });
//   writer.finish();  // then merge partial[0], partial[1], … in block order
//
// The plan's windows hold whole natural blocks of every layer and whole output tiles (so every
// input block is decoded once per pass and every output tile written once), grown to the
// budget's window; peak memory follows the budget, not the raster's size (core/memory_budget.h).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "minecarbon/core/memory_budget.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/gdal_pass_scope.h"

namespace minecarbon::geo {

struct RasterPassRequest {
  std::int64_t memory_mb = kDefaultMemoryMb;
  int threads = 1;
  // Bytes a worker holds per window cell (decoded layers, outputs, scratch); 0 = 8 per layer
  // (RasterBlock<double>) plus output_bytes_per_cell.
  double window_bytes_per_cell = 0;
  double output_bytes_per_cell = 4;    // per queued output cell (all output rasters); 0 = none
  int output_tile = 256;               // the output rasters' tile; 0 = no output raster
  std::string source = "--memory-mb";  // named in the below-minimum error
};

struct RasterPass {
  BlockPlan plan;
  MemoryBudget budget;
  std::string describe() const { return plan.describe() + "; memory " + budget.describe(); }
};

// Throws ConfigError when the budget is below the minimum for one window per thread (the message
// says the minimum, see plan_memory_budget).
RasterPass plan_raster_pass(const AlignedRasters& rasters, const RasterPassRequest& request);

// for_each_block over pass.plan on pass.budget.workers workers, with GDAL's block cache set to the
// budget's share and GDAL_NUM_THREADS = 1 for the pass (restored afterwards).
template <class T = double, class Visit>
void run_block_pass(const AlignedRasters& rasters, const RasterPass& pass, Visit&& visit,
                    const std::vector<std::size_t>* block_ids = nullptr) {
  const GdalPassScope gdal_scope(pass.budget.gdal_cache_bytes);
  for_each_block<T>(rasters, pass.plan, pass.budget.workers, std::forward<Visit>(visit), block_ids);
}

}  // namespace minecarbon::geo
