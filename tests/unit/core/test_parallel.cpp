// The thread helpers: every item runs exactly once, errors come back deterministically.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "minecarbon/core/parallel.h"

namespace minecarbon {
namespace {

TEST(Parallel, NoItemsCallsNoWorker) {
  bool called = false;
  run_in_workers(0, 4, [&](ItemClaim&) { called = true; });
  EXPECT_FALSE(called);
}

TEST(Parallel, WorkersRunEveryItemExactlyOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 8, 0}) {
    for (std::size_t n_items : {1u, 2u, 7u, 1000u}) {
      std::vector<std::atomic<int>> runs(n_items);
      std::atomic<int> workers{0};
      run_in_workers(n_items, threads, [&](ItemClaim& claim) {
        ++workers;
        for (std::size_t item; claim.next(item);)
          ++runs[item];
      });
      for (std::size_t item = 0; item < n_items; ++item) {
        EXPECT_EQ(runs[item].load(), 1) << "item " << item << ", threads " << threads;
      }
      EXPECT_EQ(static_cast<std::size_t>(workers.load()), block_count(n_items, threads));
    }
  }
}

// A worker that is slowed down (as by a competing process) does not keep its share: the others
// take the remaining items. With fixed blocks it would have to finish half of them.
TEST(Parallel, ASlowWorkerLeavesTheRemainingItemsToTheOthers) {
  std::vector<int> done_by(40, -1);
  std::atomic<int> next_worker{0};
  run_in_workers(done_by.size(), 2, [&](ItemClaim& claim) {
    const int worker = next_worker++;
    for (std::size_t item; claim.next(item);) {
      done_by[item] = worker;
      if (worker == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  int by_slow = 0;
  for (int worker : done_by) {
    ASSERT_NE(worker, -1);
    by_slow += worker == 0 ? 1 : 0;
  }
  EXPECT_LT(by_slow, 20);  // fixed blocks: exactly 20
}

TEST(Parallel, TheLowestFailingItemsErrorIsRethrownForAnyThreadCount) {
  for (int threads : {1, 2, 3}) {
    try {
      run_in_workers(100, threads, [&](ItemClaim& claim) {
        for (std::size_t item; claim.next(item);) {
          if (item == 17 || item == 60) throw std::runtime_error("item " + std::to_string(item));
        }
      });
      ADD_FAILURE() << "no exception, threads " << threads;
    } catch (const std::runtime_error& error) {
      EXPECT_EQ(std::string(error.what()), "item 17") << "threads " << threads;
    }
  }
}

TEST(Parallel, BlocksCoverTheItemsInContiguousNearEqualRanges) {
  std::vector<int> runs(11, 0);
  std::vector<std::size_t> sizes(3, 0);
  run_in_blocks(11, 3, [&](std::size_t block, std::size_t begin, std::size_t end) {
    sizes[block] = end - begin;
    for (std::size_t item = begin; item < end; ++item)
      ++runs[item];
  });
  EXPECT_EQ(runs, std::vector<int>(11, 1));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4, 4, 3}));
}

TEST(Parallel, ParallelForGivesEachItemOnceWithAWorkerIndexAndRethrowsTheLowestFailure) {
  for (int threads : {0, 1, 2, 3}) {
    std::vector<int> runs(50, 0);
    std::vector<std::size_t> worker_of(50, 99);
    parallel_for(50, threads, [&](std::size_t item, std::size_t worker) {
      ++runs[item];
      worker_of[item] = worker;
    });
    EXPECT_EQ(runs, std::vector<int>(50, 1));
    for (std::size_t worker : worker_of)
      EXPECT_LT(worker, static_cast<std::size_t>(std::max(threads, 1)));
    try {
      parallel_for(50, threads, [&](std::size_t item, std::size_t) {
        if (item == 17 || item == 40) throw std::runtime_error(std::to_string(item));
      });
      FAIL() << "no exception";
    } catch (const std::runtime_error& error) {
      EXPECT_EQ(std::string(error.what()), "17") << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace minecarbon
