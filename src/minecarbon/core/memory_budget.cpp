#include "minecarbon/core/memory_budget.h"

#include <algorithm>
#include <cmath>

#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

std::int64_t bytes_of(std::int64_t rows, std::int64_t cols, double bytes_per_cell) {
  return static_cast<std::int64_t>(
      std::ceil(static_cast<double>(rows) * static_cast<double>(cols) * bytes_per_cell));
}

std::int64_t mb_ceil(std::int64_t bytes) {
  return (bytes + kBytesPerMb - 1) / kBytesPerMb;
}

}  // namespace

std::int64_t MemoryBudget::planned_bytes() const {
  return kProcessBaseMb * kBytesPerMb + gdal_cache_bytes + workers * window_bytes +
         writer_queue_depth * output_block_bytes;
}

std::string MemoryBudget::describe() const {
  return std::to_string(memory_mb) + " MB: " + std::to_string(workers) + " worker(s) of " +
         std::to_string(threads) + " thread(s), windows of " + std::to_string(window_cols) + " x " +
         std::to_string(window_rows) + " cells (" + std::to_string(mb_ceil(window_bytes)) +
         " MB each), GDAL cache " + std::to_string(gdal_cache_bytes / kBytesPerMb) +
         " MB, writer queue " + std::to_string(writer_queue_depth) + " blocks; minimum " +
         std::to_string(minimum_mb) + " MB";
}

MemoryBudget plan_memory_budget(const MemoryBudgetRequest& request) {
  if (request.threads < 1 || request.unit_rows < 1 || request.unit_cols < 1 ||
      !(request.window_bytes_per_cell > 0) || !(request.output_bytes_per_cell >= 0) ||
      !std::isfinite(request.window_bytes_per_cell + request.output_bytes_per_cell)) {
    throw ConfigError("memory budget: threads (" + std::to_string(request.threads) +
                      "), window unit (" + std::to_string(request.unit_cols) + " x " +
                      std::to_string(request.unit_rows) + ") and bytes per cell must be positive");
  }
  MemoryBudget budget;
  budget.memory_mb = request.memory_mb;
  budget.threads = request.threads;
  // A grid smaller than the unit: the window is the grid (whole blocks still, cut at its edge).
  const std::int64_t unit_rows =
      request.grid_rows > 0 ? std::min(request.unit_rows, request.grid_rows) : request.unit_rows;
  const std::int64_t unit_cols =
      request.grid_cols > 0 ? std::min(request.unit_cols, request.grid_cols) : request.unit_cols;
  const std::int64_t threads = request.threads;
  const std::int64_t unit_window_bytes =
      bytes_of(unit_rows, unit_cols, request.window_bytes_per_cell);
  const std::int64_t unit_output_bytes =
      bytes_of(unit_rows, unit_cols, request.output_bytes_per_cell);
  const std::int64_t min_queue = request.output_bytes_per_cell > 0 ? threads + 1 : 0;
  const std::int64_t minimum_bytes = (kProcessBaseMb + kMinGdalCacheMb) * kBytesPerMb +
                                     threads * unit_window_bytes + min_queue * unit_output_bytes;
  budget.minimum_mb = mb_ceil(minimum_bytes);
  if (request.memory_mb < budget.minimum_mb) {
    throw ConfigError(request.source + " = " + std::to_string(request.memory_mb) +
                      ": below the minimum of " + std::to_string(budget.minimum_mb) +
                      " MB for one window of " + std::to_string(unit_cols) + " x " +
                      std::to_string(unit_rows) + " cells per thread (" + std::to_string(threads) +
                      " thread(s)); give at least " + std::to_string(budget.minimum_mb) +
                      " or use fewer threads");
  }
  const std::int64_t available = (request.memory_mb - kProcessBaseMb) * kBytesPerMb;
  const std::int64_t normal_cache =
      std::clamp(available / 4, kMinGdalCacheMb * kBytesPerMb, kMaxGdalCacheMb * kBytesPerMb);

  // The window: grown by whole doublings of the unit, rows first, while kPlanningWorkers windows
  // and their queue fit beside the normal cache, the window stays within the target cells and the
  // grid (plus less than one unit), and the grid keeps kMinWindows windows. None of this depends
  // on the thread count: the windows — and with them every per-block partial and the output
  // file's tile order — are the same for any --threads.
  std::int64_t rows = unit_rows, cols = unit_cols;
  auto n_windows = [&](std::int64_t r, std::int64_t c) {
    if (request.grid_rows <= 0 || request.grid_cols <= 0) return kMinWindows;
    return ((request.grid_rows + r - 1) / r) * ((request.grid_cols + c - 1) / c);
  };
  const std::int64_t min_windows = std::min(kMinWindows, n_windows(rows, cols));
  const std::int64_t plan_rest = available - normal_cache;
  const std::int64_t plan_queue = request.output_bytes_per_cell > 0 ? kPlanningWorkers + 1 : 0;
  auto fits = [&](std::int64_t r, std::int64_t c) {
    const std::int64_t windows = kPlanningWorkers * bytes_of(r, c, request.window_bytes_per_cell);
    const std::int64_t queue = plan_queue * bytes_of(r, c, request.output_bytes_per_cell);
    return r * c <= kTargetWindowCells && windows + queue <= plan_rest &&
           n_windows(r, c) >= min_windows;
  };
  for (bool grew = true; grew;) {
    grew = false;
    if ((request.grid_rows <= 0 || rows * 2 <= request.grid_rows + unit_rows - 1) &&
        fits(rows * 2, cols)) {
      rows *= 2;
      grew = true;
    }
    if ((request.grid_cols <= 0 || cols * 2 <= request.grid_cols + unit_cols - 1) &&
        fits(rows, cols * 2)) {
      cols *= 2;
      grew = true;
    }
  }
  if (request.grid_rows > 0) rows = std::min(rows, request.grid_rows);
  if (request.grid_cols > 0) cols = std::min(cols, request.grid_cols);
  budget.window_rows = rows;
  budget.window_cols = cols;
  budget.window_bytes = bytes_of(rows, cols, request.window_bytes_per_cell);
  budget.output_block_bytes = bytes_of(rows, cols, request.output_bytes_per_cell);

  // Workers: as many of the requested threads as fit with their windows and the shortest queue
  // (a window larger than the unit may leave room for fewer than `threads`; never fewer than one,
  // and all of them whenever the unit-sized windows were what the minimum checked).
  const auto needs = [&](std::int64_t workers, std::int64_t window, std::int64_t out) {
    return workers * window + (out > 0 ? workers + 1 : 0) * out;
  };
  std::int64_t workers = threads;
  while (workers > 1 && needs(workers, budget.window_bytes, budget.output_block_bytes) >
                            available - kMinGdalCacheMb * kBytesPerMb)
    --workers;
  budget.workers = static_cast<int>(workers);
  // GDAL's cache: a quarter of what is available, less if the windows and queue need it.
  budget.gdal_cache_bytes = std::max(
      kMinGdalCacheMb * kBytesPerMb,
      std::min(normal_cache,
               available - needs(workers, budget.window_bytes, budget.output_block_bytes)));
  if (budget.output_block_bytes > 0) {
    const std::int64_t left = available - budget.gdal_cache_bytes - workers * budget.window_bytes;
    budget.writer_queue_depth =
        std::clamp(left / budget.output_block_bytes, workers + 1, kMaxQueueDepth);
  }
  return budget;
}

}  // namespace minecarbon
