#include "minecarbon/core/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <thread>

namespace fs = std::filesystem;

namespace minecarbon {
namespace {

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<const CleanupOnInterrupt*, std::vector<fs::path>>& registry() {
  static std::map<const CleanupOnInterrupt*, std::vector<fs::path>> paths;
  return paths;
}

[[noreturn]] void clean_up_and_exit(int signal_number) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  std::size_t removed = 0;
  for (const auto& [owner, paths] : registry()) {
    for (const auto& path : paths) {
      std::error_code ec;
      // Workers may still be writing into a staging folder: try again if a file appeared.
      for (int attempt = 0; attempt < 5 && fs::exists(path, ec); ++attempt)
        fs::remove_all(path, ec);
      ++removed;
    }
  }
  const char* name = signal_number == SIGINT ? "SIGINT" : "SIGTERM";
  std::fprintf(stderr, "minecarbon: interrupted (%s); %s\n", name,
               removed ? "unpublished results removed, earlier results left as they were"
                       : "nothing was being written");
  std::fflush(stderr);
  ::_exit(128 + signal_number);
}

}  // namespace

void install_interrupt_cleanup() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  // Blocked here, in the main thread before any other starts, so every later thread inherits the
  // mask and only the watcher receives the signals.
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int signal_number = 0;
    while (sigwait(&set, &signal_number) != 0) {
    }
    clean_up_and_exit(signal_number);
  }).detach();
}

CleanupOnInterrupt::~CleanupOnInterrupt() {
  clear();
}

void CleanupOnInterrupt::add(const fs::path& path) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry()[this].push_back(path);
}

void CleanupOnInterrupt::clear() {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry().erase(this);
}

std::unique_lock<std::mutex> CleanupOnInterrupt::hold() {
  return std::unique_lock<std::mutex>(registry_mutex());
}

}  // namespace minecarbon
