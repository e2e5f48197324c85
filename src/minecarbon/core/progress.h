// Progress of a long loop: a redrawn bar on a terminal, a plain line every ~10 % otherwise (CI
// logs stay readable), nothing with --quiet. Thread-safe: workers call advance() concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace minecarbon {

struct RunContext;

class Progress {
 public:
  Progress(const RunContext& context, std::string label, std::size_t total);
  ~Progress();
  void advance(std::size_t steps = 1);
  void finish();

 private:
  void draw(std::size_t done, bool final_line);

  std::string label_;
  std::size_t total_;
  bool enabled_;
  bool tty_;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::size_t last_reported_decile_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool finished_ = false;
  // RunContext::progress when set: reports at most every 200 ms, on each new tenth, and at the end.
  std::function<void(const std::string&, std::size_t, std::size_t)> sink_;
};

}  // namespace minecarbon
