// What the recorded pan/zoom sequence (tile_load sequence) costs `serve` in CPU with a cold cache,
// per zoom and layer, measured in thread CPU time so that other load on the machine does not count:
// each tile's first request pays MineTiles::tile() and make_cached_tile() (encode, gzip level 1
// when ≥ 1 kB, ETag), as a cache miss in the server does; a repeat is a cache hit (no encoding).
// Also the bytes a miss sends (gzip when it pays, as to a client taking gzip).
// HTTP, routing and the workspace lookup are not included. World: tile_world.h.
//
//   tile_cost SEQUENCE_FILE
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "minecarbon/web/mine_tiles.h"
#include "minecarbon/web/tile_cache.h"
#include "tile_world.h"

namespace {

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Cost {
  std::size_t requests = 0, misses = 0;
  double cpu_ms = 0, max_ms = 0, sent_kB = 0, max_kB = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s SEQUENCE_FILE\n", argv[0]);
    return 2;
  }
  namespace web = minecarbon::web;
  const auto world = minecarbon::bench::make_tile_world();
  const web::MineTiles tiles(world.ids, world.status, world.shapes);
  std::ifstream in(argv[1]);
  std::string layer;
  int z, x, y;
  std::set<std::tuple<std::string, int, int, int>> seen;
  std::map<std::pair<int, std::string>, Cost> cost;
  std::vector<double> miss_ms;
  double total_ms = 0;
  std::size_t requests = 0;
  while (in >> layer >> z >> x >> y) {
    ++requests;
    Cost& c = cost[{z, layer}];
    ++c.requests;
    if (!seen.insert({layer, z, x, y}).second) continue;
    ++c.misses;
    const double t0 = thread_cpu_ms();
    auto raw = tiles.tile(*web::parse_tile_layer(layer), z, x, y);
    const auto cached = web::make_cached_tile(raw ? std::move(*raw) : std::string());
    const double ms = thread_cpu_ms() - t0;
    c.cpu_ms += ms;
    c.max_ms = std::max(c.max_ms, ms);
    const double sent_kB =
        static_cast<double>(cached.gzip.empty() ? cached.raw.size() : cached.gzip.size()) / 1e3;
    c.sent_kB += sent_kB;
    c.max_kB = std::max(c.max_kB, sent_kB);
    miss_ms.push_back(ms);
    total_ms += ms;
  }
  std::printf(
      "| z | layer | requests | cold misses | CPU ms (sum) | CPU ms/miss (mean) | max ms | share "
      "of CPU | kB sent per miss (mean) | max kB |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& [key, c] : cost) {
    const double misses = c.misses ? static_cast<double>(c.misses) : 1.0;
    std::printf("| %d | %s | %zu | %zu | %.0f | %.2f | %.1f | %.1f %% | %.1f | %.0f |\n", key.first,
                key.second.c_str(), c.requests, c.misses, c.cpu_ms, c.cpu_ms / misses, c.max_ms,
                100 * c.cpu_ms / total_ms, c.sent_kB / misses, c.max_kB);
  }
  std::sort(miss_ms.begin(), miss_ms.end());
  const auto at = [&](double q) {
    return miss_ms[std::min(miss_ms.size() - 1,
                            static_cast<std::size_t>(q * static_cast<double>(miss_ms.size())))];
  };
  std::printf(
      "\n%zu requests, %zu cold misses: %.2f s CPU in all (%.3f ms per request); per miss "
      "p50 %.3f ms, p99 %.2f ms, max %.1f ms. Tile CPU alone allows %.0f requests/s of this "
      "sequence on 2 cores.\n",
      requests, miss_ms.size(), total_ms / 1e3, total_ms / static_cast<double>(requests), at(0.50),
      at(0.99), miss_ms.back(), 2e3 * static_cast<double>(requests) / total_ms);
  return 0;
}
