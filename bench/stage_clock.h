// Timing of the steps of a bench driver: wall seconds since the last call, and the process's CPU
// seconds (all threads) in brackets; on a shared machine the CPU figure is the steadier one.
#pragma once

#include <time.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace minecarbon::bench {

struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = cpu_now();
  static double cpu_now() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  }
};

inline std::string seconds_since(Clock& start) {
  Clock now;
  char text[64];
  std::snprintf(text, sizeof text, "%.3f s (CPU %.3f s)",
                std::chrono::duration<double>(now.wall - start.wall).count(), now.cpu - start.cpu);
  start = now;
  return text;
}

}  // namespace minecarbon::bench
