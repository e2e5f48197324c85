// The issue's goal as `minecarbon run` meets it: "emissions and balance for 45,000 mines × 30 years
// under 1 s". One timed iteration is the in-memory chain of the two stages: run_emissions on
// 45,000 mines × 30 years × 4 sources (5.4 M activity rows: diesel, surface coal, electricity with
// a grid-year fallback, explosives), the emissions → balance adapter, run_balance joining those
// process emissions with land-use pairs, damage NEP, vegetation and soil records of every mine,
// and the balance tables. Building the inputs (reading CSV files) and writing the outputs are not
// timed. Linked with jemalloc, the allocator of the minecarbon executable.
//
// Checks a planted answer per mine: the balance's cumulative at the horizon is the mine's
// emissions total plus the ecosystem components (as in bm_assess_balance, years shifted by 20).
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "emissions_activity.h"
#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/balance/balance_tables.h"
#include "minecarbon/assess/balance/emissions_adapter.h"
#include "minecarbon/assess/emissions.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/damage_job.h"

namespace {

using namespace minecarbon;
using namespace minecarbon::assess;

constexpr int kFirstYear = 2021;  // the shipped grid factors start in 2021
constexpr int kYears = 30;

// Every stage but emissions, per mine: map pairs 2020→2030 and 2030→2040, damage years 2021-2035,
// projections 2040-2050.
BalanceInputs ecosystem_inputs(std::size_t mines) {
  BalanceInputs in;
  in.landuse.emplace();
  in.damage.emplace();
  in.vegetation.emplace();
  in.soil.emplace();
  for (std::size_t m = 0; m < mines; ++m) {
    const std::string id = "M" + std::to_string(m);
    in.landuse->push_back({id, 2020, 2030, -10.0, 2.0});
    in.landuse->push_back({id, 2030, 2040, -5.0, 4.0});
    for (int year = 2021; year <= 2035; ++year)
      in.damage->push_back({id, year, -1.0});
    for (int year = 2040; year <= 2050; ++year) {
      in.vegetation->push_back({id, year, 3.0});
      in.soil->push_back({"s", id, year, 0.5});
    }
  }
  return in;
}

// The former adapter, kept as the reference route: one record per mine, year and source (what
// `balance --from` reads from mine_year_source.csv). Argument 2 of the benchmark picks it (1) or
// the stage's adapter, one record per mine-year (0).
std::vector<ProcessEmissionRecord> one_record_per_source(const EmissionsResult& emissions) {
  std::array<std::string, kEmissionSourceCount> source_names;
  for (const auto& [source, name] : kEmissionSourceNames.entries)
    source_names[static_cast<std::size_t>(source)] = std::string(name);
  std::vector<ProcessEmissionRecord> out(emissions.mine_year_source.size());
  for (std::size_t idx = 0; idx < out.size(); ++idx) {
    const MineYearSourceRecord& r = emissions.mine_year_source[idx];
    ProcessEmissionRecord& rec = out[idx];
    rec.mine_id = emissions.mine_ids[r.mine];
    rec.year = r.year;
    rec.source = source_names[static_cast<std::size_t>(r.source)];
    rec.co2e_t = r.co2e_t;
  }
  return out;
}

void BM_EmissionsThenBalance(benchmark::State& state) {
  const auto mines = static_cast<std::size_t>(state.range(0));
  const bool per_source = state.range(2) != 0;
  const EmissionsInputs emission_in = bench::emissions_bench_inputs(mines, kFirstYear, kYears, 0);
  const BalanceInputs ecosystem_in = ecosystem_inputs(mines);
  BalanceParams balance_params;
  balance_params.horizon_year = kFirstYear + kYears - 1;
  RunContext context;
  context.threads = static_cast<int>(state.range(1));
  // Per mine in t C: clearing 15; NEP 15 × 1; map gains 2036-2040 4 × 0.5 = 2; projection
  // 2041-2050: 10 × 3.5.
  const double ecosystem_co2e_t = (15.0 + 15.0 - 2.0 - 35.0) * 44.0 / 12.0;
  BalanceInputs balance_in = ecosystem_in;  // the emissions part is filled in each iteration
  for (auto _ : state) {
    const EmissionsResult emitted = run_emissions(EmissionsParams{}, emission_in, context);
    balance_in.emissions =
        per_source ? one_record_per_source(emitted) : process_emission_records(emitted);
    const BalanceResult result = run_balance(balance_params, balance_in, context);
    const BalanceTables tables = to_tables(result);
    benchmark::DoNotOptimize(tables.mine_year.row_count());
    state.PauseTiming();
    for (std::size_t m = 0; m < mines; ++m) {
      const double expected = emitted.mine_totals[m].co2e_t + ecosystem_co2e_t;
      if (std::abs(result.mines[m].balance.net_emission_co2e_t - expected) > 1e-9 * expected)
        throw std::runtime_error("bm_assess_emissions_balance_chain: wrong cumulative for " +
                                 result.mines[m].mine_id);
    }
    state.ResumeTiming();
    balance_in.emissions.reset();  // freed in the clock, as the stage results below
  }
  state.counters["mine_years"] = static_cast<double>(mines) * kYears;
}
// 45,000 mines: the size, 1 and 2 threads; 4,500: a tenth, for callgrind. Third
// argument 1: balance given one record per source (the former adapter; the files' route).
BENCHMARK(BM_EmissionsThenBalance)
    ->Args({45000, 1, 0})
    ->Args({45000, 2, 0})
    ->Args({4500, 1, 0})
    ->Args({45000, 1, 1})
    ->Args({4500, 1, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
