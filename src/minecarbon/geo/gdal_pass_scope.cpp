#include "minecarbon/geo/gdal_pass_scope.h"

#include <cpl_conv.h>
#include <gdal.h>

#include <mutex>
#include <string>

namespace minecarbon::geo {
namespace {

constexpr const char* kNumThreads = "GDAL_NUM_THREADS";

struct State {
  std::mutex mutex;
  int depth = 0;
  std::optional<std::string> saved_num_threads;
};

State& state() {
  static State instance;
  return instance;
}

}  // namespace

GdalPassScope::GdalPassScope(std::optional<std::int64_t> cache_bytes) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.depth++ == 0) {
    const char* value = CPLGetConfigOption(kNumThreads, nullptr);
    s.saved_num_threads = value ? std::optional<std::string>(value) : std::nullopt;
    CPLSetConfigOption(kNumThreads, "1");
  }
  if (cache_bytes) {
    previous_cache_bytes_ = GDALGetCacheMax64();
    GDALSetCacheMax64(*cache_bytes);
  }
}

GdalPassScope::~GdalPassScope() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (previous_cache_bytes_) GDALSetCacheMax64(*previous_cache_bytes_);
  if (--s.depth == 0) {
    CPLSetConfigOption(kNumThreads, s.saved_num_threads ? s.saved_num_threads->c_str() : nullptr);
  }
}

}  // namespace minecarbon::geo
