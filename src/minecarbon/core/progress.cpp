#include "minecarbon/core/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "minecarbon/core/run_context.h"

namespace minecarbon {

int default_thread_count() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

int clamp_thread_count(std::int64_t requested, const RunContext& context) {
  const int cores = default_thread_count();
  if (requested <= 0) return cores;
  if (requested > cores) {
    context.say("note: " + std::to_string(requested) + " threads requested, " +
                std::to_string(cores) + " used (the machine's hardware threads)");
    return cores;
  }
  return static_cast<int>(requested);
}

Progress::Progress(const RunContext& context, std::string label, std::size_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(!context.quiet && total > 0),
      tty_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_),
      sink_(context.progress) {
  if (sink_) {
    enabled_ = total > 0;
    if (enabled_) sink_(label_, 0, total_);
  }
}

Progress::~Progress() {
  finish();
}

void Progress::advance(std::size_t steps) {
  std::size_t done = done_.fetch_add(steps) + steps;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (sink_) {
    const std::size_t decile = done * 10 / total_;
    if (finished_ || done >= total_) return;  // finish() reports the end
    if (decile > last_reported_decile_ || now - last_draw_ >= std::chrono::milliseconds(200)) {
      last_reported_decile_ = std::max(last_reported_decile_, decile);
      last_draw_ = now;
      sink_(label_, done, total_);
    }
    return;
  }
  if (tty_) {
    // Redraw at most 10 times a second; the first second stays silent for short loops.
    if (now - start_ < std::chrono::seconds(1) || now - last_draw_ < std::chrono::milliseconds(100))
      return;
    last_draw_ = now;
    draw(done, false);
  } else {
    if (now - start_ < std::chrono::seconds(1)) return;  // short loops stay quiet in logs too
    std::size_t decile = done * 10 / total_;
    if (decile > last_reported_decile_ && decile < 10) {
      last_reported_decile_ = decile;
      draw(done, false);
    }
  }
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_ || !enabled_) return;
  finished_ = true;
  if (sink_) {
    sink_(label_, done_.load(), total_);
    return;
  }
  if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
  draw(done_.load(), true);
}

void Progress::draw(std::size_t done, bool final_line) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double share = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  if (tty_) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(share * kWidth);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3.0f%% %zu/%zu %.1fs%s", label_.c_str(), filled,
                 "##############################", kWidth - filled, "", share * 100.0, done, total_,
                 seconds, final_line ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s: %zu/%zu (%.0f%%) %.1fs\n", label_.c_str(), done, total_,
                 share * 100.0, seconds);
  }
  std::fflush(stderr);
}

}  // namespace minecarbon
