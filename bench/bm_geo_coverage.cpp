// Exact coverage of mine-like star polygons (12–48 vertices, ~2 km²) on a 500 m grid: the cost
// per polygon of the step that every zonal statistic starts from.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <random>

#include "minecarbon/geo/coverage.h"

namespace {

using namespace minecarbon::geo;

std::vector<MultiPolygon> stars(int n, double radius_m) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<MultiPolygon> out;
  for (int i = 0; i < n; ++i) {
    const int k = 12 + static_cast<int>(unit(rng) * 37);
    const double cx = 100000 + unit(rng) * 3.9e6, cy = 100000 + unit(rng) * 3.9e6;
    Ring ring;
    for (int v = 0; v < k; ++v) {
      const double a = (v + 0.8 * unit(rng)) * 2 * std::numbers::pi / k;
      const double r = radius_m * (0.6 + 0.7 * unit(rng));
      ring.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
    }
    out.push_back({Polygon{ring, {}}});
  }
  return out;
}

void BM_CoverageOfMine(benchmark::State& state) {
  const Grid grid{0.0, 4096000.0, 500.0, 500.0, 8192, 8192};
  const auto shapes = stars(1000, static_cast<double>(state.range(0)));
  std::size_t idx = 0;
  for (auto _ : state) {
    Coverage c = compute_coverage(shapes[idx++ % shapes.size()], grid);
    benchmark::DoNotOptimize(c.frac.data());
  }
  state.SetItemsProcessed(state.iterations());
}
// 840 m: the benchmark set's mean mine; 6000 m: a mine's 5 km reference ring's extent.
BENCHMARK(BM_CoverageOfMine)->Arg(840)->Arg(6000);

}  // namespace

BENCHMARK_MAIN();
