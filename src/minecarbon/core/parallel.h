// parallel_for: run task(task_idx, worker_idx) for task_idx in [0, n_tasks) on `threads` workers.
//
// Tasks are handed out dynamically (an atomic counter), so a task must write only to its own
// output slot: that is what keeps results independent of the thread count. The first exception
// thrown by any task stops the hand-out and is rethrown in the caller.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace minecarbon {

template <class Task>
void parallel_for(std::size_t n_tasks, int threads, Task&& task) {
  std::size_t workers = threads < 1 ? 1 : static_cast<std::size_t>(threads);
  if (workers > n_tasks) workers = n_tasks == 0 ? 1 : n_tasks;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](std::size_t worker_idx) {
    for (;;) {
      if (failed.load(std::memory_order_relaxed)) return;
      std::size_t task_idx = next.fetch_add(1);
      if (task_idx >= n_tasks) return;
      try {
        task(task_idx, worker_idx);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  if (workers == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (std::size_t worker_idx = 1; worker_idx < workers; ++worker_idx)
      pool.emplace_back(work, worker_idx);
    work(0);
    for (auto& thread : pool)
      thread.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace minecarbon
