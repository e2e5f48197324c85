// What every stage needs besides its parameters and data: threads, the seed, and where to say
// what it is doing. Nothing here is global, so two runs in one process do not interfere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace minecarbon {

class Progress;

struct RunContext {
  // Worker threads for parallel loops (mines, trees, raster blocks); >= 1.
  int threads = 1;
  // Seed of every random stream of the run; each stream is derived from (seed, purpose, index).
  std::uint64_t seed = 42;
  // No progress and no informational lines; warnings still go to the run summary.
  bool quiet = false;
  // What made the run, for the summary: the program's version and its command line (set by the
  // command line; empty for a library caller), and when it started (ISO 8601 UTC).
  std::string version;
  std::string command_line;
  std::string started_utc;
  // Informational line sink (stderr in the CLI); empty = discard.
  std::function<void(const std::string&)> info;
  // Machine-readable progress (`--progress jsonl`, core/progress_jsonl.h): when set, every
  // Progress reports (label, done, total) here instead of drawing, even with quiet.
  std::function<void(const std::string& label, std::size_t done, std::size_t total)> progress;

  void say(const std::string& line) const {
    if (!quiet && info) info(line);
  }
};

// Number of hardware threads, at least 1.
int default_thread_count();

// `requested` worker threads, at most the machine's hardware threads: more threads than cores only
// add memory and contention (2,147,483,647 threads once reached 22.8 GB). Says a note through
// `context` when it clamps; 0 or less means all cores.
int clamp_thread_count(std::int64_t requested, const RunContext& context);

}  // namespace minecarbon
