// Throughput of per-pixel BFAST Monitor (stats::bfast_monitor_block), one core.
//
// Data: a block of 64 × 64 = 4096 pixels × 276 dates (16-day, 2000–2011, the stack
// length), NDVI-like season + trend + N(0, 0.02) noise from a fixed seed, every third pixel with
// a −0.2 drop from 2009.5; model trend + harmon (order 3, 8 columns), monitoring from 2009,
// h = 0.25, level 0.05. Three gap layouts:
//   complete     no missing value: one design shared by the whole block
//   scene_clouds 20 % of the dates missing under one of 4 scene masks (4 patterns)
//   pixel_gaps   every pixel with its own 15 % random gaps (a QR per pixel; worst case)
// and the three history choices (all, a start year, ROC). Each run is checked: at least 90 % of
// the disturbed pixels must report a break, or the benchmark aborts.
// Goal (issue 12): >= 20,000 pixels/s/core at 276 dates. pixels_per_s counts pixels per CPU
// second. Run: build/bench/bm_stats_bfast_monitor --benchmark_min_time=0.2
#include "minecarbon/stats/bfast_monitor.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <random>
#include <vector>

namespace {

using namespace minecarbon::stats;

constexpr int kSide = 64;
constexpr int kPixels = kSide * kSide;
constexpr int kDates = 276;
constexpr std::uint64_t kSeed = 20261207;

enum class Gaps { complete, scene_clouds, pixel_gaps };

struct Block {
  std::vector<double> time;
  std::vector<double> values;  // [date][pixel]
  int disturbed = 0;
};

Block make_block(Gaps gaps) {
  Block b;
  for (int d = 0; d < kDates; ++d)
    b.time.push_back(2000.0 + d / 23.0);
  std::mt19937_64 rng(kSeed);
  std::normal_distribution<double> noise(0.0, 0.02);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::vector<std::vector<bool>> scenes(4, std::vector<bool>(kDates));
  for (auto& mask : scenes)
    for (int d = 0; d < kDates; ++d)
      mask[static_cast<std::size_t>(d)] = unif(rng) < 0.2;
  b.values.assign(static_cast<std::size_t>(kDates) * kPixels, std::nan(""));
  for (int px = 0; px < kPixels; ++px) {
    const double amplitude = 0.1 + 0.1 * unif(rng);
    const double mean = 0.4 + 0.3 * unif(rng);
    const bool disturbed = px % 3 == 0;
    b.disturbed += disturbed ? 1 : 0;
    for (int d = 0; d < kDates; ++d) {
      const double t = b.time[static_cast<std::size_t>(d)];
      bool missing = false;
      if (gaps == Gaps::scene_clouds)
        missing = scenes[static_cast<std::size_t>(px % 4)][static_cast<std::size_t>(d)];
      if (gaps == Gaps::pixel_gaps) missing = unif(rng) < 0.15;
      double v =
          mean + 0.003 * (t - 2000) + amplitude * std::cos(2 * std::numbers::pi * t) + noise(rng);
      if (disturbed && t >= 2009.5) v -= 0.2;
      if (!missing)
        b.values[static_cast<std::size_t>(d) * kPixels + static_cast<std::size_t>(px)] = v;
    }
  }
  return b;
}

void BM_BfastMonitorBlock(benchmark::State& state) {
  const auto gaps = static_cast<Gaps>(state.range(0));
  const auto history = static_cast<BfastHistory>(state.range(1));
  const Block block = make_block(gaps);
  BfastMonitorParams params;
  params.design = {SeasonTrendModel::trend_harmon, 3, 23};
  params.history = history;
  params.history_start_yr = 2003.0;
  params.monitor_start_yr = 2009.0;
  std::vector<BfastMonitorResult> out(kPixels);
  int patterns = 0;
  for (auto _ : state) {
    patterns = bfast_monitor_block(block.time, block.values, kPixels, params, out);
    benchmark::DoNotOptimize(out.data());
  }
  int found = 0;
  for (int px = 0; px < kPixels; px += 3)
    found += out[static_cast<std::size_t>(px)].has_break;
  if (found < 0.9 * block.disturbed) {
    state.SkipWithError("fewer than 90 % of the planted disturbances found");
    return;
  }
  state.counters["pixels_per_s"] =
      benchmark::Counter(static_cast<double>(kPixels) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["patterns"] = patterns;
}

}  // namespace

BENCHMARK(BM_BfastMonitorBlock)
    ->ArgNames({"gaps", "history"})
    ->ArgsProduct({{0, 1, 2}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
