#include "minecarbon/geo/raster_pass.h"

namespace minecarbon::geo {

RasterPass plan_raster_pass(const AlignedRasters& rasters, const RasterPassRequest& request) {
  std::vector<BlockSize> blocks;
  for (const RasterLayer& layer : rasters.layers())
    blocks.push_back(layer.block);
  if (request.output_tile > 0)
    blocks.push_back(BlockSize{request.output_tile, request.output_tile});
  // The unit: the smallest window of whole blocks of every layer and output tile (one-row strips
  // grown to ~256 rows, as BlockPlan does by default).
  const BlockPlan unit(rasters.grid(), blocks);
  MemoryBudgetRequest budget_request;
  budget_request.memory_mb = request.memory_mb;
  budget_request.threads = request.threads < 1 ? 1 : request.threads;
  budget_request.unit_rows = unit.window_rows();
  budget_request.unit_cols = unit.window_cols();
  budget_request.grid_rows = rasters.grid().rows;
  budget_request.grid_cols = rasters.grid().cols;
  budget_request.output_bytes_per_cell = request.output_bytes_per_cell;
  budget_request.window_bytes_per_cell =
      request.window_bytes_per_cell > 0
          ? request.window_bytes_per_cell
          : 8.0 * static_cast<double>(rasters.size()) + request.output_bytes_per_cell;
  budget_request.source = request.source;
  RasterPass pass{unit, plan_memory_budget(budget_request)};
  // Windows of whole units, when the unit holds whole blocks of every layer (it may not when
  // block sizes had no common multiple below BlockPlan's cap: the unit plan is used as it is).
  const auto whole = [&](std::int64_t side, bool rows) {
    for (const BlockSize& block : blocks) {
      const std::int64_t block_side = rows ? block.rows : block.cols;
      const std::int64_t grid_side = rows ? rasters.grid().rows : rasters.grid().cols;
      if (side < grid_side && side % block_side != 0) return false;
    }
    return true;
  };
  if (whole(unit.window_rows(), true) && whole(unit.window_cols(), false)) {
    BlockPlanOptions options;
    options.fixed_rows = pass.budget.window_rows;
    options.fixed_cols = pass.budget.window_cols;
    pass.plan = BlockPlan(rasters.grid(), blocks, options);
  }
  return pass;
}

}  // namespace minecarbon::geo
