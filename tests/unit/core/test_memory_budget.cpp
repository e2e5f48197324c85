// The memory budget: windows of whole units, GDAL cache and writer queue derived from --memory-mb;
// the same numbers for any raster larger than a window (peak memory independent of raster size);
// a budget below the minimum is a ConfigError that states the minimum.
#include "minecarbon/core/memory_budget.h"

#include <gtest/gtest.h>

#include <string>

#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

MemoryBudgetRequest request(std::int64_t memory_mb, int threads, std::int64_t side) {
  MemoryBudgetRequest r;
  r.memory_mb = memory_mb;
  r.threads = threads;
  r.unit_rows = 256;
  r.unit_cols = 256;
  r.grid_rows = side;
  r.grid_cols = side;
  r.window_bytes_per_cell = 7 * 8 + 4 * 8;  // 7 double inputs, 4 double indicators
  r.output_bytes_per_cell = 4;              // one Float32 output
  return r;
}

TEST(MemoryBudget, BadRequestIsAConfigError) {
  auto r = request(1024, 0, 1000);
  EXPECT_THROW(plan_memory_budget(r), ConfigError);
  r = request(1024, 1, 1000);
  r.window_bytes_per_cell = 0;
  EXPECT_THROW(plan_memory_budget(r), ConfigError);
}

TEST(MemoryBudget, GridSmallerThanAUnitIsOneWindow) {
  const MemoryBudget b = plan_memory_budget(request(256, 2, 100));
  EXPECT_EQ(b.window_rows, 100);
  EXPECT_EQ(b.window_cols, 100);
}

TEST(MemoryBudget, DefaultBudgetByHand) {
  // 1024 MB, 2 threads: available 984 MB; cache 984/4 = 246 MB; windows grow to the 1024² target
  // (88 MB each, within (984 − 246)/2 = 369 MB for two); queue (738 − 176) MB / 4 MB → 64 (cap).
  const MemoryBudget b = plan_memory_budget(request(1024, 2, 16384));
  EXPECT_EQ(b.window_rows, 1024);
  EXPECT_EQ(b.window_cols, 1024);
  EXPECT_EQ(b.window_bytes, 1024 * 1024 * 88);
  EXPECT_EQ(b.gdal_cache_bytes, 246 * kBytesPerMb);
  EXPECT_EQ(b.writer_queue_depth, 64);
  EXPECT_EQ(b.output_block_bytes, 4 * kBytesPerMb);
  EXPECT_LE(b.planned_bytes(), 1024 * kBytesPerMb);
}

TEST(MemoryBudget, WindowsAreWholeUnitsWithinTheBudget) {
  for (std::int64_t mb : {80, 100, 128, 256, 300, 1024, 4096}) {
    for (int threads : {1, 2, 3, 8}) {
      MemoryBudget b;
      try {
        b = plan_memory_budget(request(mb, threads, 20000));
      } catch (const ConfigError&) {
        EXPECT_GT(plan_memory_budget(request(100000, threads, 20000)).minimum_mb, mb);
        continue;
      }
      EXPECT_EQ(b.window_rows % 256, 0) << mb << " MB, " << threads;
      EXPECT_EQ(b.window_cols % 256, 0) << mb << " MB, " << threads;
      EXPECT_LE(b.planned_bytes(), mb * kBytesPerMb) << b.describe();
      EXPECT_GE(b.workers, 1);
      EXPECT_LE(b.workers, threads);
      EXPECT_GE(b.writer_queue_depth, b.workers + 1);
      EXPECT_GE(b.gdal_cache_bytes, kMinGdalCacheMb * kBytesPerMb);
    }
  }
}

TEST(MemoryBudget, WindowsDoNotDependOnTheThreadCount) {
  // Per-block partial results follow the windows: they must be the same for any --threads.
  for (std::int64_t mb : {128, 256, 1024}) {
    const MemoryBudget one = plan_memory_budget(request(mb, 1, 16384));
    for (int threads : {2, 3, 4, 8}) {
      MemoryBudget many;
      try {
        many = plan_memory_budget(request(mb, threads, 16384));
      } catch (const ConfigError&) {
        continue;  // below the minimum for that many threads
      }
      EXPECT_EQ(many.window_rows, one.window_rows) << mb << " MB, " << threads;
      EXPECT_EQ(many.window_cols, one.window_cols) << mb << " MB, " << threads;
      EXPECT_LE(many.planned_bytes(), mb * kBytesPerMb) << many.describe();
    }
  }
  // Many threads on a small budget: the windows stay, the workers are fewer.
  const MemoryBudget capped = plan_memory_budget(request(256, 16, 16384));
  EXPECT_EQ(capped.window_rows, plan_memory_budget(request(256, 1, 16384)).window_rows);
  EXPECT_LT(capped.workers, 16);
  EXPECT_NE(capped.describe().find("worker(s) of 16 thread(s)"), std::string::npos)
      << capped.describe();
}

TEST(MemoryBudget, SmallRasterKeepsSixteenWindows) {
  const MemoryBudget b = plan_memory_budget(request(4096, 2, 2048));
  EXPECT_GE(
      ((2048 + b.window_rows - 1) / b.window_rows) * ((2048 + b.window_cols - 1) / b.window_cols),
      16);
}

TEST(MemoryBudget, IndependentOfRasterSize) {
  for (std::int64_t mb : {128, 256, 1024}) {
    const MemoryBudget small = plan_memory_budget(request(mb, 2, 4096));
    for (std::int64_t side : {8192, 16384, 100000, 1000000}) {
      const MemoryBudget large = plan_memory_budget(request(mb, 2, side));
      EXPECT_EQ(large.window_rows, small.window_rows);
      EXPECT_EQ(large.window_cols, small.window_cols);
      EXPECT_EQ(large.gdal_cache_bytes, small.gdal_cache_bytes);
      EXPECT_EQ(large.writer_queue_depth, small.writer_queue_depth);
      EXPECT_EQ(large.planned_bytes(), small.planned_bytes());
    }
  }
}

TEST(MemoryBudget, BelowTheMinimumSaysTheMinimum) {
  // Minimum with 2 threads: 40 + 8 MB + 2 × 256²·88 B (11 MB) + 3 × 256²·4 B (0.75 MB) → 60 MB.
  const std::int64_t minimum = plan_memory_budget(request(1024, 2, 16384)).minimum_mb;
  EXPECT_EQ(minimum, 60);
  EXPECT_NO_THROW(plan_memory_budget(request(minimum, 2, 16384)));
  const MemoryBudget at_min = plan_memory_budget(request(minimum, 2, 16384));
  EXPECT_EQ(at_min.window_rows, 256);
  EXPECT_LE(at_min.planned_bytes(), minimum * kBytesPerMb);
  try {
    plan_memory_budget(request(minimum - 1, 2, 16384));
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("--memory-mb = 59"), std::string::npos) << message;
    EXPECT_NE(message.find("minimum of 60 MB"), std::string::npos) << message;
    EXPECT_NE(message.find("256 x 256"), std::string::npos) << message;
    EXPECT_NE(message.find("2 thread(s)"), std::string::npos) << message;
  }
  // More threads need more: the minimum grows by one window each.
  EXPECT_GT(plan_memory_budget(request(1024, 8, 16384)).minimum_mb, minimum);
}

}  // namespace
}  // namespace minecarbon
