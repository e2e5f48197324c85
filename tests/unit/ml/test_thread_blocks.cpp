// The thread helpers: every item runs exactly once, errors come back deterministically.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "minecarbon/ml/thread_blocks.h"

namespace ml = minecarbon::ml;

TEST(ThreadBlocks, NoItemsCallsNoWorker) {
  bool called = false;
  ml::run_in_workers(0, 4, [&](ml::ItemClaim&) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ThreadBlocks, WorkersRunEveryItemExactlyOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 8, 0}) {
    for (std::size_t n_items : {1u, 2u, 7u, 1000u}) {
      std::vector<std::atomic<int>> runs(n_items);
      std::atomic<int> workers{0};
      ml::run_in_workers(n_items, threads, [&](ml::ItemClaim& claim) {
        ++workers;
        for (std::size_t item; claim.next(item);)
          ++runs[item];
      });
      for (std::size_t item = 0; item < n_items; ++item) {
        EXPECT_EQ(runs[item].load(), 1) << "item " << item << ", threads " << threads;
      }
      EXPECT_EQ(static_cast<std::size_t>(workers.load()), ml::block_count(n_items, threads));
    }
  }
}

// A worker that is slowed down (as by a competing process) does not keep its share: the others
// take the remaining items. With fixed blocks it would have to finish half of them.
TEST(ThreadBlocks, ASlowWorkerLeavesTheRemainingItemsToTheOthers) {
  std::vector<int> done_by(40, -1);
  std::atomic<int> next_worker{0};
  ml::run_in_workers(done_by.size(), 2, [&](ml::ItemClaim& claim) {
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

TEST(ThreadBlocks, TheLowestFailingItemsErrorIsRethrownForAnyThreadCount) {
  for (int threads : {1, 2, 3}) {
    try {
      ml::run_in_workers(100, threads, [&](ml::ItemClaim& claim) {
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

TEST(ThreadBlocks, BlocksCoverTheItemsInContiguousNearEqualRanges) {
  std::vector<int> runs(11, 0);
  std::vector<std::size_t> sizes(3, 0);
  ml::run_in_blocks(11, 3, [&](std::size_t block, std::size_t begin, std::size_t end) {
    sizes[block] = end - begin;
    for (std::size_t item = begin; item < end; ++item)
      ++runs[item];
  });
  EXPECT_EQ(runs, std::vector<int>(11, 1));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4, 4, 3}));
}
