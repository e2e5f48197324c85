// RothC throughput: many cells with the batch engine (exact spin-up + 100 years), and the official
// example run with the scalar model. Results and the command: bench/RESULTS_rothc.md.
//
// Cells are the official example's spin-up year with each cell's soil and weather perturbed by a
// fixed-seed generator (clay 5–55 %, depth 15–35 cm, temperature ±4 °C, rain ×0.3–1.7, ...).
// Before timing, a sample of cells is checked against the scalar model (run_rothc after the
// exact spin_up); a mismatch above 1e-9 t C/ha aborts the benchmark.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/carbon/rothc_batch.h"
#include "minecarbon/carbon/rothc_input.h"

namespace mc = minecarbon::carbon;

namespace {

constexpr int kYears = 100;
constexpr std::uint64_t kSeed = 20251122;

const mc::RothCInput& example_input() {
  static const mc::RothCInput input = [] {
    const std::filesystem::path path = std::filesystem::path(__FILE__).parent_path() /
                                       "../tests/data/rothc/RothC_Code_v2.0.0/RothC_input.dat";
    return mc::read_rothc_input_file(path.string()).input;
  }();
  return input;
}

struct Cells {
  std::vector<mc::RothCSite> sites;
  std::vector<mc::RothCMonth> months;
};

Cells make_cells(std::size_t count) {
  const mc::RothCInput& example = example_input();
  std::mt19937_64 rng(kSeed);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  Cells cells;
  cells.sites.reserve(count);
  cells.months.reserve(12 * count);
  for (std::size_t c = 0; c < count; ++c) {
    mc::RothCSite site = example.site;
    site.clay_pct = 5.0 + 50.0 * u01(rng);
    site.depth_cm = 15.0 + 20.0 * u01(rng);
    site.iom_tC_ha = 4.0 * u01(rng);
    cells.sites.push_back(site);
    for (int m = 0; m < 12; ++m) {
      mc::RothCMonth f = example.months[m];
      f.temp_C += 8.0 * (u01(rng) - 0.5);
      f.rain_mm *= 0.3 + 1.4 * u01(rng);
      f.pan_evap_mm *= 0.5 + u01(rng);
      f.plant_input_tC_ha = u01(rng) < 0.3 ? 1.5 * u01(rng) : 0.0;
      f.plant_cover = u01(rng) < 0.7 ? 1 : 0;
      cells.months.push_back(f);
    }
  }
  return cells;
}

// Max |batch - scalar| of December SOC over every 997th cell.
double check_against_scalar(const Cells& cells, const std::vector<double>& soc, int years) {
  double worst = 0.0;
  for (std::size_t c = 0; c < cells.sites.size(); c += 997) {
    const mc::RothCModel model = mc::make_rothc_model(cells.sites[c]);
    const std::span<const mc::RothCMonth> year(cells.months.data() + 12 * c, 12);
    const mc::RothCState start = mc::spin_up(model, year, mc::SpinUpMethod::exact).state;
    std::vector<mc::RothCMonth> repeated;
    for (int y = 0; y < years; ++y)
      repeated.insert(repeated.end(), year.begin(), year.end());
    const mc::RothCRun run = mc::run_rothc(model, start, repeated);
    for (int y = 0; y < years; ++y) {
      worst = std::max(worst, std::abs(run.yearly[y].pools.soc_tC_ha() - soc[c * years + y]));
    }
  }
  return worst;
}

// Exact spin-up + 100 years for state.range(0) cells: items = cell-months of the forward run.
void BM_RothCBatchSpinUpAndRun(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const Cells cells = make_cells(count);
  mc::RothCBatch batch = mc::make_rothc_batch(cells.sites, cells.months);
  {
    std::vector<double> soc(count * kYears);
    mc::equilibrate_rothc_batch(batch);
    mc::run_rothc_batch(batch, kYears, soc);
    const double worst = check_against_scalar(cells, soc, kYears);
    state.counters["max_diff_vs_scalar_tC_ha"] = worst;
    if (!(worst < 1e-9)) state.SkipWithError("batch differs from the scalar model");
  }
  for (auto _ : state) {
    mc::equilibrate_rothc_batch(batch);
    mc::run_rothc_batch(batch, kYears);
    benchmark::DoNotOptimize(batch.hum_tC_ha.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(count) * kYears * 12);
  state.counters["cells"] = static_cast<double>(count);
}
BENCHMARK(BM_RothCBatchSpinUpAndRun)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// The forward run alone (100 years), recording every cell's December SOC.
void BM_RothCBatchRunRecordingSoc(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const Cells cells = make_cells(count);
  mc::RothCBatch batch = mc::make_rothc_batch(cells.sites, cells.months);
  std::vector<double> soc(count * kYears);
  for (auto _ : state) {
    mc::equilibrate_rothc_batch(batch);  // same start every iteration
    mc::run_rothc_batch(batch, kYears, soc);
    benchmark::DoNotOptimize(soc.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(count) * kYears * 12);
}
BENCHMARK(BM_RothCBatchRunRecordingSoc)->Arg(10000)->Unit(benchmark::kMillisecond);

// The exact spin-up alone: items = cells.
void BM_RothCBatchExactSpinUp(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const Cells cells = make_cells(count);
  mc::RothCBatch batch = mc::make_rothc_batch(cells.sites, cells.months);
  for (auto _ : state) {
    mc::equilibrate_rothc_batch(batch);
    benchmark::DoNotOptimize(batch.hum_tC_ha.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(count));
}
BENCHMARK(BM_RothCBatchExactSpinUp)->Arg(10000)->Unit(benchmark::kMillisecond);

// Set-up of the batch (validation, moisture orbit, monthly factors): items = cells.
void BM_RothCBatchSetUp(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const Cells cells = make_cells(count);
  for (auto _ : state) {
    mc::RothCBatch batch = mc::make_rothc_batch(cells.sites, cells.months);
    benchmark::DoNotOptimize(batch.keep.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(count));
}
BENCHMARK(BM_RothCBatchSetUp)->Arg(10000)->Unit(benchmark::kMillisecond);

// The official example end to end with the scalar model (input already parsed): spin-up on rows
// 1–12, then 828 forward months with records and radiocarbon.
void BM_RothCOfficialExample(benchmark::State& state) {
  const mc::RothCInput& input = example_input();
  const auto method =
      state.range(0) == 0 ? mc::SpinUpMethod::official_loop : mc::SpinUpMethod::exact;
  for (auto _ : state) {
    const mc::RothCSimulation sim = mc::simulate_rothc(input, method);
    benchmark::DoNotOptimize(sim.run.final_state.pools.hum_tC_ha);
  }
  state.SetLabel(state.range(0) == 0 ? "official spin-up loop (20916 months)" : "exact spin-up");
}
BENCHMARK(BM_RothCOfficialExample)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Reading the example input file (840 rows).
void BM_RothCParseExampleInput(benchmark::State& state) {
  const std::filesystem::path path = std::filesystem::path(__FILE__).parent_path() /
                                     "../tests/data/rothc/RothC_Code_v2.0.0/RothC_input.dat";
  for (auto _ : state) {
    const mc::RothCInputFile file = mc::read_rothc_input_file(path.string());
    benchmark::DoNotOptimize(file.input.months.data());
  }
}
BENCHMARK(BM_RothCParseExampleInput)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
