// Exact Fisher–Jenks class breaks (stats/class_breaks.h), k = 5, one core.
//
// Data: n values drawn from a log-normal (meanlog 13, sdlog 1.6: mine areas in m², the shape of
// the real mine layer in tests/data/mining_polygons) from a fixed seed, written to
// bench/peers/class_breaks_values_<n>.csv by --write for the R classInt peer
// (bench/peers/classint_fisher.R). Goal (issue 13): ≤ 50 ms at n = 45,000; R classInt style
// "fisher" with largeN = Inf is O(k n²). Every run is checked: 5 classes whose counts add to n,
// breaks increasing, GVF in (0.5, 1].
//
//   BM_FisherJenks/<n>   n = 5,000, 20,000, 45,000
#include "minecarbon/stats/class_breaks.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

constexpr std::uint64_t kSeed = 20261207;
constexpr std::size_t kClasses = 5;

std::vector<double> make_values(std::size_t n) {
  std::mt19937_64 engine(kSeed);
  std::lognormal_distribution<double> area(13.0, 1.6);
  std::vector<double> x(n);
  for (auto& v : x)
    v = std::round(area(engine));  // whole m², so ties occur as in real layers
  return x;
}

void BM_FisherJenks(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<double> x = make_values(n);
  for (auto _ : state) {
    const auto c = minecarbon::stats::classify_values(
        x, minecarbon::stats::BreakMethod::fisher_jenks, kClasses);
    std::size_t total = 0;
    for (std::size_t count : c.fit.counts)
      total += count;
    for (std::size_t idx = 1; idx < c.breaks.size(); ++idx)
      if (!(c.breaks[idx] > c.breaks[idx - 1])) throw std::runtime_error("breaks not increasing");
    if (total != n || !(c.fit.gvf > 0.5 && c.fit.gvf <= 1.0))
      throw std::runtime_error("Fisher-Jenks result out of range");
    benchmark::DoNotOptimize(c.breaks.data());
  }
  state.counters["n"] = static_cast<double>(n);
}
BENCHMARK(BM_FisherJenks)->Arg(5000)->Arg(20000)->Arg(45000)->Unit(benchmark::kMillisecond);

}  // namespace

// `bm_stats_class_breaks --write DIR` writes the benchmark's values for the R peer, then exits.
int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write") {
    for (std::size_t n : {5000, 20000, 45000}) {
      std::FILE* f = std::fopen(
          (std::string(argv[2]) + "/class_breaks_values_" + std::to_string(n) + ".csv").c_str(),
          "w");
      if (!f) return 1;
      std::fprintf(f, "x\n");
      for (double v : make_values(n))
        std::fprintf(f, "%.17g\n", v);
      std::fclose(f);
    }
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
