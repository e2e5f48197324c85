// The memory budget of a raster pass (`--memory-mb`, default 1024): how much of it goes to each
// worker's window, to GDAL's block cache and to the queue of blocks waiting for the writer.
//
// The numbers depend on the budget, the thread count, the window unit (the smallest window of
// whole natural blocks of every input and output raster) and the bytes a stage keeps per cell —
// never on the raster's size, so peak memory does not grow with the raster (a raster smaller than
// one window only makes the window smaller).
//
// Split (all in bytes; MB = 2^20 bytes):
//   available      = budget − kProcessBaseMb (the program, GDAL's drivers, PROJ's database)
//   GDAL cache     = available / 4, within [kMinGdalCacheMb, kMaxGdalCacheMb] (less near the
//                    minimum, so the windows fit)
//   window         = the unit grown by whole factors (rows, then columns, alternately doubling)
//                    while kPlanningWorkers windows and their queue fit beside that cache, the
//                    window has at most kTargetWindowCells cells (larger windows no longer speed
//                    up decoding but cost memory), and the grid still has kMinWindows windows (a
//                    small raster gets smaller windows, so every thread has work). The window
//                    does not depend on --threads: per-block results, and so every number and
//                    output byte, are the same for any thread count.
//   workers        = the requested threads, fewer only if their windows do not fit (large
//                    windows, many threads, a small budget); reported in describe()
//   writer queue   = what is left, in output blocks (a window of output values), at least
//                    workers + 1 (every worker can hand a block over while one is written), at
//                    most kMaxQueueDepth
// Minimum: kProcessBaseMb + kMinGdalCacheMb + threads × (one unit window) + (threads + 1) output
// blocks of a unit; a smaller budget is a ConfigError that states the minimum. At the minimum the
// window is the unit and every thread gets one.
#pragma once

#include <cstdint>
#include <string>

namespace minecarbon {

inline constexpr std::int64_t kBytesPerMb = std::int64_t{1} << 20;
inline constexpr std::int64_t kDefaultMemoryMb = 1024;
// Resident size of the program before any raster work (libraries, GDAL drivers, PROJ database,
// thread stacks), measured ≈ 30 MB with bench/bm_geo_pipeline_memory; rounded up.
inline constexpr std::int64_t kProcessBaseMb = 40;
inline constexpr std::int64_t kMinGdalCacheMb = 8;
inline constexpr std::int64_t kMaxGdalCacheMb = 512;
inline constexpr std::int64_t kTargetWindowCells = std::int64_t{1} << 20;  // 1024 × 1024
inline constexpr std::int64_t kMaxQueueDepth = 64;
// Windows are sized so that this many fit, whatever --threads is: the windows (and so every
// per-block partial result) must not depend on the thread count.
inline constexpr std::int64_t kPlanningWorkers = 4;
inline constexpr std::int64_t kMinWindows = 16;  // windows are not grown below this many

struct MemoryBudgetRequest {
  std::int64_t memory_mb = kDefaultMemoryMb;
  int threads = 1;
  // The smallest window of whole natural blocks (e.g. 256 × 256 tiles, or 256 rows of strips).
  std::int64_t unit_rows = 256;
  std::int64_t unit_cols = 256;
  // The grid: windows are never grown past it.
  std::int64_t grid_rows = 0;
  std::int64_t grid_cols = 0;
  // Working bytes a worker holds per cell of its window: decoded inputs (8 per double layer, 4 per
  // float layer), outputs and scratch. Say it generously: it is what keeps the budget honest.
  double window_bytes_per_cell = 8;
  // Bytes per cell of one queued output block (4 per Float32 output band); 0 = no writer.
  double output_bytes_per_cell = 4;
  // Where the budget came from, for the error message ("--memory-mb", "[indices] memory_mb").
  std::string source = "--memory-mb";
};

struct MemoryBudget {
  std::int64_t memory_mb = 0;
  int threads = 1;                                // requested
  int workers = 1;                                // threads whose windows fit (≤ threads)
  std::int64_t window_rows = 0, window_cols = 0;  // whole multiples of the unit
  std::int64_t window_bytes = 0;                  // per worker
  std::int64_t gdal_cache_bytes = 0;              // GDAL_CACHEMAX for the pass
  std::int64_t writer_queue_depth = 0;            // output blocks held at most
  std::int64_t output_block_bytes = 0;
  std::int64_t minimum_mb = 0;  // the smallest budget that runs with these threads
  // Upper bound of what the pass holds: base + cache + windows + queue.
  std::int64_t planned_bytes() const;
  std::string describe() const;
};

// Throws ConfigError when memory_mb < the minimum (message: the budget, the minimum in MB, the
// threads and the window, and what to do), or for non-positive units, threads or bytes per cell.
MemoryBudget plan_memory_budget(const MemoryBudgetRequest& request);

}  // namespace minecarbon
