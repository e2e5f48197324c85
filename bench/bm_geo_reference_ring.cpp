// The reference-ring geometry of `minecarbon damage` on its own: read the mines, take them to
// lon/lat, build the gap zones and outer buffers (geo::build_reference_rings), then cut every
// ring on the raster grid (geo::RingCutter), the same steps in the same order as
// assess/damage.cpp, without the rasters. Prints the seconds of each step and an FNV-1a hash of
// every coverage fraction (bits), so a change of the ring code can be shown to give the same
// rings bit for bit on the benchmark set.
//
//   bm_geo_reference_ring MINES.gpkg [N_MINES] [THREADS] [QUAD_SEGS]
//
// MINES.gpkg: bench/zonal/make_bench_data.py's mines.gpkg (EPSG:6933, field mine_id); the grid is
// that data set's (8192 × 8192, 500 m). N_MINES: the first N features (default all). QUAD_SEGS:
// the buffers' segments per quarter circle (default 8, the damage stage's default), to measure
// what coarser arcs would save (they change the rings, so the hashes differ).
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/reference_ring.h"

#include "stage_clock.h"

using namespace minecarbon;

using minecarbon::bench::Clock;
using minecarbon::bench::seconds_since;

namespace {

struct Hash {
  std::uint64_t value = 1469598103934665603ull;
  void add(const void* data, std::size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t k = 0; k < bytes; ++k)
      value = (value ^ p[k]) * 1099511628211ull;
  }
  void add(const geo::Coverage& c) {
    add(&c.window, sizeof c.window);
    if (!c.frac.empty()) add(c.frac.data(), c.frac.size() * sizeof(double));
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MINES.gpkg [N_MINES] [THREADS]\n", argv[0]);
    return 2;
  }
  RunContext context;
  context.quiet = true;
  context.threads = argc > 3 ? std::atoi(argv[3]) : 2;
  Clock clock;
  geo::PolygonLayer layer = geo::read_polygon_layer(
      argv[1], geo::PolygonLayerOptions{"", "mine_id", true, "mines", context.threads});
  if (argc > 2) {
    const auto keep = static_cast<std::size_t>(std::atoll(argv[2]));
    if (keep < layer.features.size()) layer.features.resize(keep);
  }
  const std::size_t n = layer.features.size();
  std::printf("read %zu mines: %s\n", n, seconds_since(clock).c_str());

  const geo::Grid grid{0.0, 4096000.0, 500.0, 500.0, 8192, 8192};
  const std::size_t workers = static_cast<std::size_t>(context.threads);
  std::vector<std::unique_ptr<geo::CrsTransform>> to_lonlat(workers), to_raster(workers);
  std::vector<geo::MultiPolygon> lonlat(n);
  std::vector<std::string> ids(n);
  parallel_for(n, context.threads, [&](std::size_t mine, std::size_t worker) {
    if (!to_lonlat[worker])
      to_lonlat[worker] = std::make_unique<geo::CrsTransform>(layer.crs_wkt, geo::kWgs84);
    ids[mine] = layer.features[mine].id;
    lonlat[mine] = to_lonlat[worker]->apply(layer.features[mine].shape, ids[mine]);
  });
  std::printf("to lon/lat: %s\n", seconds_since(clock).c_str());

  geo::RingParams ring_params;
  if (argc > 4) ring_params.quad_segs = std::atoi(argv[4]);
  const geo::RingSet rings =
      geo::build_reference_rings(lonlat, ids, std::vector<bool>(n, true), ring_params, context);
  std::printf("build_reference_rings: %s (outer from hull: %zu)\n", seconds_since(clock).c_str(),
              rings.hull_outer);

  std::vector<geo::MultiPolygon> gap_raster(n);
  std::vector<geo::Coverage> gap_cov(n);
  parallel_for(n, context.threads, [&](std::size_t gap, std::size_t worker) {
    if (!to_raster[worker])
      to_raster[worker] = std::make_unique<geo::CrsTransform>(geo::kWgs84, layer.crs_wkt);
    gap_raster[gap] = to_raster[worker]->apply(rings.gap_zones[gap], ids[gap]);
    gap_cov[gap] = geo::compute_coverage(gap_raster[gap], grid);
  });
  std::printf("gap zones to the grid + coverage: %s\n", seconds_since(clock).c_str());

  std::vector<geo::Coverage> ring_cov(n);
  std::vector<std::unique_ptr<geo::RingCutter>> cutters(workers);
  std::vector<geo::RingCutter::CutStats> stats(workers);
  parallel_for(n, context.threads, [&](std::size_t mine, std::size_t worker) {
    const geo::ReferenceZone& zone = rings.zones[mine];
    if (zone.outer.empty()) return;
    const geo::MultiPolygon outer = to_raster[worker]->apply(zone.outer, ids[mine]);
    std::vector<const geo::MultiPolygon*> cuts;
    std::vector<const geo::Coverage*> cut_coverages;
    for (std::size_t gap : zone.cut_candidates) {
      cuts.push_back(&gap_raster[gap]);
      cut_coverages.push_back(&gap_cov[gap]);
    }
    if (!cutters[worker]) cutters[worker] = std::make_unique<geo::RingCutter>();
    ring_cov[mine] =
        cutters[worker]->coverage(outer, cuts, cut_coverages, grid, ids[mine], stats[worker]);
  });
  std::size_t reached = 0, overlays = 0;
  for (const auto& s : stats) {
    reached += s.reached_by_other_mines;
    overlays += s.overlays;
  }
  std::printf("ring cut + coverage: %s (reached by other mines: %zu, overlays: %zu)\n",
              seconds_since(clock).c_str(), reached, overlays);

  Hash gap_hash, ring_hash, shape_hash;
  for (std::size_t k = 0; k < n; ++k) {
    gap_hash.add(gap_cov[k]);
    ring_hash.add(ring_cov[k]);
    for (const auto& polygon : rings.zones[k].outer)
      shape_hash.add(polygon.exterior.data(), polygon.exterior.size() * sizeof(geo::XY));
    for (const auto& polygon : rings.gap_zones[k])
      shape_hash.add(polygon.exterior.data(), polygon.exterior.size() * sizeof(geo::XY));
    shape_hash.add(rings.zones[k].cut_candidates.data(),
                   rings.zones[k].cut_candidates.size() * sizeof(std::size_t));
  }
  std::printf("hash: shapes %016llx gap coverage %016llx ring coverage %016llx\n",
              static_cast<unsigned long long>(shape_hash.value),
              static_cast<unsigned long long>(gap_hash.value),
              static_cast<unsigned long long>(ring_hash.value));
  return 0;
}
