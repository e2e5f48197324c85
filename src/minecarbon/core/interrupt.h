// What happens when the user presses Ctrl-C (SIGINT) or a scheduler sends SIGTERM during a run.
//
// The command line calls install_interrupt_cleanup() once, before any thread starts: SIGINT and
// SIGTERM are then blocked in every thread and received by one watcher thread, which removes every
// folder registered with CleanupOnInterrupt (the staging folders and lock files of outputs not yet
// published), says so, and ends the process with 130 (SIGINT) or 143 (SIGTERM), the shell's
// convention. A publication in progress is finished first (it holds the registry), so an interrupt
// leaves either the previous results or the new ones, never a mix.
//
// A library user that does not install it keeps the default signal behaviour; what a killed run
// leaves behind is then removed by the next run into the same folder (output_dir.h).
#pragma once

#include <filesystem>
#include <mutex>
#include <vector>

namespace minecarbon {

void install_interrupt_cleanup();

// Registers paths to remove on an interrupt for as long as it lives.
class CleanupOnInterrupt {
 public:
  CleanupOnInterrupt() = default;
  ~CleanupOnInterrupt();
  CleanupOnInterrupt(const CleanupOnInterrupt&) = delete;
  CleanupOnInterrupt& operator=(const CleanupOnInterrupt&) = delete;

  void add(const std::filesystem::path& path);
  void clear();

  // Held while results are moved into place, so an interrupt waits for the move to finish.
  static std::unique_lock<std::mutex> hold();
};

}  // namespace minecarbon
