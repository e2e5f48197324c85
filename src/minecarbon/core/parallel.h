// The thread helper: running work over items [0, n_items) on std::threads, in three forms.
//
// parallel_for    task(item, worker) for every item, handed out as run_in_workers does; the
//                 form most stages use (a worker index for per-thread scratch or GDAL handles).
//
// run_in_blocks   contiguous, near-equal blocks, one thread per block (ranger's equalSplit
//                 scheme). Which items a block holds depends only on (n_items, n_blocks).
// run_in_workers  items handed out one at a time, in increasing order, from a shared atomic
//                 counter (dynamic scheduling). Use it for long loops: with fixed blocks, one
//                 thread descheduled by a competing process (a shared server, a laptop) holds up
//                 the whole call while the other threads sit idle after their own block; with
//                 hand-out the threads that run take over the remaining items.
//                 bench/RESULTS_rf.md ("Behaviour under load") has the measurements.
//
// Either way, callers that give every item its own random stream and merge per-item results in
// item order (never in the order threads finish) get the same answer for any thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <limits>
#include <thread>
#include <type_traits>
#include <vector>

namespace minecarbon {

// Resolved worker count: `threads` ≤ 0 means all hardware threads; never more than n_items.
inline std::size_t block_count(std::size_t n_items, int threads) {
  std::size_t workers = threads > 0 ? static_cast<std::size_t>(threads)
                                    : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(workers, n_items));
}

// First item of block `block` when n_items are split into n_blocks.
inline std::size_t block_begin(std::size_t n_items, std::size_t n_blocks, std::size_t block) {
  const std::size_t base = n_items / n_blocks, extra = n_items % n_blocks;
  return block * base + std::min(block, extra);
}

// Calls work(block, begin, end) for each block, blocks on their own threads (block 0 on the
// caller's). Rethrows the exception of the lowest-numbered failing block after all have joined.
template <class Work>
void run_in_blocks(std::size_t n_items, int threads, Work&& work) {
  if (n_items == 0) return;
  const std::size_t n_blocks = block_count(n_items, threads);
  std::vector<std::exception_ptr> errors(n_blocks);
  auto run_block = [&](std::size_t block) {
    try {
      work(block, block_begin(n_items, n_blocks, block), block_begin(n_items, n_blocks, block + 1));
    } catch (...) {
      errors[block] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(n_blocks - 1);
  for (std::size_t block = 1; block < n_blocks; ++block)
    pool.emplace_back(run_block, block);
  run_block(0);
  for (auto& thread : pool)
    thread.join();
  for (auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

// A worker's source of items for run_in_workers: next(item) claims the next unclaimed item and
// returns true, or returns false when none is left (or another worker has failed).
class ItemClaim {
 public:
  ItemClaim(std::atomic<std::size_t>& next_item, std::size_t n_items)
      : next_item_(next_item), n_items_(n_items) {}
  bool next(std::size_t& item) {
    // Relaxed is enough: the counter only partitions the items; results are published to the
    // caller by the joins.
    const std::size_t claimed = next_item_.fetch_add(1, std::memory_order_relaxed);
    if (claimed >= n_items_) return false;
    item = current_ = claimed;
    return true;
  }
  // Item last claimed (the one being worked on if the worker throws).
  std::size_t current() const { return current_; }

 private:
  std::atomic<std::size_t>& next_item_;
  std::size_t n_items_;
  std::size_t current_ = std::numeric_limits<std::size_t>::max();
};

// Calls worker(claim) — or worker(claim, worker_index) — once on each of
// block_count(n_items, threads) threads (the first on the caller's); each worker loops `for (std::size_t item; claim.next(item);)` and keeps its scratch
// space on its own stack. Threads never wait for each other except at the final join (no
// spinning: a thread that finds no item left returns). If workers throw, the others stop
// claiming, and after all have joined the exception of the lowest-numbered failing item is
// rethrown; since items are claimed in increasing order and a claimed item runs to its end, that
// is the lowest failing item overall, whatever the thread count.
template <class Worker>
void run_in_workers(std::size_t n_items, int threads, Worker&& worker) {
  if (n_items == 0) return;
  const std::size_t n_workers = block_count(n_items, threads);
  std::atomic<std::size_t> next_item{0};
  std::vector<std::exception_ptr> errors(n_workers);
  std::vector<std::size_t> failed_item(n_workers, std::numeric_limits<std::size_t>::max());
  auto run_worker = [&](std::size_t index) {
    ItemClaim claim(next_item, n_items);
    try {
      if constexpr (std::is_invocable_v<Worker&, ItemClaim&, std::size_t>) {
        worker(claim, index);
      } else {
        worker(claim);
      }
    } catch (...) {
      errors[index] = std::current_exception();
      failed_item[index] = claim.current();
      next_item.store(n_items, std::memory_order_relaxed);  // the others stop claiming
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(n_workers - 1);
  for (std::size_t index = 1; index < n_workers; ++index)
    pool.emplace_back(run_worker, index);
  run_worker(0);
  for (auto& thread : pool)
    thread.join();
  std::size_t first = n_workers;
  for (std::size_t index = 0; index < n_workers; ++index) {
    if (errors[index] && (first == n_workers || failed_item[index] < failed_item[first])) {
      first = index;
    }
  }
  if (first < n_workers) std::rethrow_exception(errors[first]);
}

// task(item, worker) for item in [0, n_items) on `threads` workers (fewer than 1 means 1), items
// handed out in increasing order; a task must write only to its own output slot, which is what
// keeps results independent of the thread count. After all workers have joined, the exception of
// the lowest failing item is rethrown.
template <class Task>
void parallel_for(std::size_t n_items, int threads, Task&& task) {
  run_in_workers(n_items, threads < 1 ? 1 : threads, [&](ItemClaim& claim, std::size_t worker) {
    for (std::size_t item; claim.next(item);)
      task(item, worker);
  });
}

}  // namespace minecarbon
