// Run work over [0, n_items) split into contiguous, near-equal blocks, one std::thread per block
// (ranger's equalSplit scheme). Block sizes differ by at most one, and which items a block holds
// depends only on (n_items, n_blocks), so callers that give every item its own random stream and
// merge per-item results in item order get the same answer for any thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace minecarbon::ml {

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

}  // namespace minecarbon::ml
