// Throughput of the per-pixel warning statistics (assess::warning::pixel_block_statistics), one
// core, and a writer of the stack for the end-to-end measurement of `minecarbon warning --stack`.
//
// Data: pixel_stack_fixture.h (tests/unit/assess) — 16-day NDVI 2000–2011 (276 dates), season +
// trend + N(0, 0.02), whole cloudy scenes (≈ 9 % of dates, shared) and in every third pixel its
// own ≈ 10 % gaps (so a third of the pixels have a missing-value pattern of their own), a −0.25
// drop from 2009.5 in a patch; model trend + harmon order 3, monitoring from 2009, h = 0.25.
// Per 64 × 64 block: BFAST Monitor alone (history all / ROC), and every per-pixel statistic
// (BFAST + Mann–Kendall/Sen + Pettitt). pixels_per_s counts pixels per CPU second.
//
//   build/bench/bm_assess_warning_pixel --benchmark_min_time=0.3
//   build/bench/bm_assess_warning_pixel --write-stack=build/stack.tif --side=256
//     writes a side × side × 276 Int16 (NDVI × 10000, nodata −32768) DEFLATE stack, tiled 256,
//     for `minecarbon warning --stack build/stack.tif --start 2000 --frequency 23 ...`.
#include <benchmark/benchmark.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "../tests/unit/assess/pixel_stack_fixture.h"
#include "minecarbon/assess/warning/pixel_warning.h"

namespace {

namespace aw = minecarbon::assess::warning;
using minecarbon::testing::PixelStackSpec;

PixelStackSpec spec_of(int side) {
  PixelStackSpec spec;
  spec.rows = side;
  spec.cols = side;
  spec.first_year = 2000;
  spec.years = 12;
  spec.drop_time = 2009.5;
  spec.row0 = side / 4, spec.row1 = side / 2, spec.col0 = side / 4, spec.col1 = side / 2;
  return spec;
}

void run(benchmark::State& state, bool everything, minecarbon::stats::BfastHistory history) {
  static const minecarbon::testing::PixelStack stack = make_pixel_stack(spec_of(64));
  aw::WarningParams params;
  params.monitor_start = 2009.0;
  params.history = history;
  params.mann_kendall = everything;
  params.pettitt = everything;
  const aw::PixelSetup setup = aw::pixel_setup(params, aw::PixelWarningParams{}, stack.time_yr);
  std::vector<aw::StatisticValues> out(stack.pixels());
  int found = 0;
  for (auto _ : state) {
    aw::pixel_block_statistics(setup, stack.values, static_cast<int>(stack.pixels()), out);
    found = 0;
    for (std::size_t px = 0; px < stack.pixels(); ++px)
      found += stack.disturbed[px] && out[px].get(aw::Statistic::bfast_break) == 1.0 ? 1 : 0;
    benchmark::DoNotOptimize(out.data());
  }
  int disturbed = 0;
  for (char d : stack.disturbed)
    disturbed += d;
  if (found < disturbed * 9 / 10) state.SkipWithError("fewer than 90 % of the drops found");
  state.counters["pixels_per_s"] = benchmark::Counter(
      static_cast<double>(stack.pixels()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_BfastOnly_HistoryAll(benchmark::State& s) {
  run(s, false, minecarbon::stats::BfastHistory::all);
}
void BM_BfastOnly_HistoryRoc(benchmark::State& s) {
  run(s, false, minecarbon::stats::BfastHistory::roc);
}
void BM_AllStatistics_HistoryAll(benchmark::State& s) {
  run(s, true, minecarbon::stats::BfastHistory::all);
}
void BM_AllStatistics_HistoryRoc(benchmark::State& s) {
  run(s, true, minecarbon::stats::BfastHistory::roc);
}
BENCHMARK(BM_BfastOnly_HistoryAll)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BfastOnly_HistoryRoc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllStatistics_HistoryAll)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllStatistics_HistoryRoc)->Unit(benchmark::kMillisecond);

int write_stack(const std::string& path, int side) {
  const minecarbon::testing::PixelStack s = make_pixel_stack(spec_of(side));
  GDALAllRegister();
  const char* options[] = {"TILED=YES",   "BLOCKXSIZE=256",  "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
                           "PREDICTOR=2", "INTERLEAVE=BAND", nullptr};
  const auto n_dates = static_cast<int>(s.time_yr.size());
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
      path.c_str(), side, side, n_dates, GDT_Int16, const_cast<char**>(options)));
  if (!ds) return 1;
  double gt[6] = {500000.0, 30.0, 0, 4400000.0, 0, -30.0};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  ds->SetSpatialRef(&srs);
  std::vector<std::int16_t> raw(s.pixels());
  for (int b = 0; b < n_dates; ++b) {
    for (std::size_t px = 0; px < s.pixels(); ++px) {
      const double v = s.at(static_cast<std::size_t>(b), px);
      raw[px] = std::isnan(v) ? std::int16_t{-32768}
                              : static_cast<std::int16_t>(std::lround(v * 10000.0));
    }
    GDALRasterBand* band = ds->GetRasterBand(b + 1);
    band->SetNoDataValue(-32768);
    band->SetScale(1e-4);
    if (band->RasterIO(GF_Write, 0, 0, side, side, raw.data(), side, side, GDT_Int16, 0, 0,
                       nullptr) != CE_None)
      return 1;
  }
  std::cout << "wrote " << path << ": " << side << " x " << side << " x " << n_dates << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string stack;
  int side = 256;
  for (int a = 1; a < argc; ++a) {
    if (std::strncmp(argv[a], "--write-stack=", 14) == 0) stack = argv[a] + 14;
    if (std::strncmp(argv[a], "--side=", 7) == 0) side = std::atoi(argv[a] + 7);
  }
  if (!stack.empty()) return write_stack(stack, side);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
