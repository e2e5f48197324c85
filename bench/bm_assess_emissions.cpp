// The emissions stage at the scale: 45,000 mines × 30 years × 4 sources (diesel, surface
// coal, electricity with a grid-year fallback, explosives) = 5.4 M activity rows, built in memory
// (reading the CSV is not timed). Goal: the computation well under 1 s. The result is checked
// against the hand total of one mine-year.
#include <benchmark/benchmark.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "emissions_activity.h"
#include "minecarbon/assess/emissions.h"
#include "minecarbon/core/run_context.h"

namespace {

using namespace minecarbon;
using namespace minecarbon::assess;

void BM_EmissionsStage(benchmark::State& state) {
  const EmissionsInputs inputs =
      bench::emissions_bench_inputs(static_cast<std::size_t>(state.range(0)), 2021, 30, 1);
  const EmissionsParams params;
  for (auto _ : state) {
    EmissionsResult result = run_emissions(params, inputs, RunContext{});
    // 2021: 1e6 L diesel (2676.492 t CO2 + CH4, N2O), 871 t CH4, 722.2 t CO2, 1.752465 t CO2.
    const double expected = 1e3 * 0.84 * (3.1863 + 28 * 43 * 4.15e-6 + 265 * 43 * 28.6e-6) +
                            871.0 * 28 + 722.2 + 10 * 0.055 * 3.1863;
    if (std::fabs(result.mine_year.front().co2e_t - expected) > 1e-6 * expected)
      throw std::runtime_error("bm_assess_emissions: wrong mine-year total");
    benchmark::DoNotOptimize(result.mine_totals.data());
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(inputs.activity.rows.size()));
}
// 4,500 mines: a tenth of the size, for callgrind (--benchmark_filter='/4500/').
BENCHMARK(BM_EmissionsStage)->Arg(45000)->Arg(4500)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
