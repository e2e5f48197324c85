// GDAL's process-wide settings while one of our raster passes runs.
//
// Our pool already keeps every core busy with one GDAL dataset handle per worker; GDAL's own
// worker threads (GDAL_NUM_THREADS: multi-threaded GeoTIFF decompression and warping) would only
// compete with it for the same cores, and the number of threads touching GDAL would no longer be
// the --threads the user gave. So while a pass runs, GDAL_NUM_THREADS is "1" and, when the pass
// has a memory budget, GDAL's block cache (GDAL_CACHEMAX) is the budget's share; both are
// restored when the last scope ends.
//
// GDAL's configuration is global to the process: scopes are counted (nested or concurrent passes
// share one setting of GDAL_NUM_THREADS); a cache size is set by each scope that gives one and the
// previous size restored when it ends (scopes giving a cache size should nest, not overlap).
#pragma once

#include <cstdint>
#include <optional>

namespace minecarbon::geo {

class GdalPassScope {
 public:
  explicit GdalPassScope(std::optional<std::int64_t> cache_bytes = std::nullopt);
  ~GdalPassScope();
  GdalPassScope(const GdalPassScope&) = delete;
  GdalPassScope& operator=(const GdalPassScope&) = delete;

 private:
  std::optional<std::int64_t> previous_cache_bytes_;
};

}  // namespace minecarbon::geo
