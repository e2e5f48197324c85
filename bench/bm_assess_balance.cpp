// The balance stage on 45,000 mines × 30 years of every component (issue 11 goal: under 1 s for
// emissions and balance together): the join by mine id, the per-mine accounts and the tables.
// Checks a planted answer: every mine's cumulative at the horizon.
#include <benchmark/benchmark.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/balance/balance_tables.h"
#include "minecarbon/core/run_context.h"

namespace {

using namespace minecarbon;

assess::BalanceInputs make_inputs(int n_mines) {
  assess::BalanceInputs in;
  in.emissions.emplace();
  in.landuse.emplace();
  in.damage.emplace();
  in.vegetation.emplace();
  in.soil.emplace();
  for (int m = 0; m < n_mines; ++m) {
    const std::string id = "M" + std::to_string(m);
    for (int year = 2001; year <= 2030; ++year) {
      in.emissions->push_back({id, year, "diesel", 2.0});
      in.emissions->push_back({id, year, "electricity", 1.0});
    }
    in.landuse->push_back({id, 2000, 2010, -10.0, 2.0});
    in.landuse->push_back({id, 2010, 2020, -5.0, 4.0});
    for (int year = 2001; year <= 2015; ++year)
      in.damage->push_back({id, year, -1.0});
    for (int year = 2020; year <= 2030; ++year) {
      in.vegetation->push_back({id, year, 3.0});
      in.soil->push_back({"s", id, year, 0.5});
    }
  }
  return in;
}

void BM_Balance45kMines30Years(benchmark::State& state) {
  const int n_mines = static_cast<int>(state.range(0));
  const assess::BalanceInputs in = make_inputs(n_mines);
  assess::BalanceParams params;
  params.horizon_year = 2030;
  RunContext context;
  context.threads = static_cast<int>(state.range(1));
  // Per mine in t C: process 90 t CO2e; clearing 15; NEP 15 × 1; gains 2010-2020 (5 years, 2016-
  // 2020) 4 × 0.5 = 2; projection 2021-2030: 10 × 3.5.
  const double expected = 90.0 + (15.0 + 15.0 - 2.0 - 35.0) * 44.0 / 12.0;
  for (auto _ : state) {
    const assess::BalanceResult result = assess::run_balance(params, in, context);
    const assess::BalanceTables tables = assess::to_tables(result);
    benchmark::DoNotOptimize(tables.mine_year.row_count());
    for (const auto& mine : result.mines)
      if (std::abs(mine.balance.net_emission_co2e_t - expected) > 1e-9)
        throw std::runtime_error("bm_assess_balance: wrong cumulative for " + mine.mine_id);
  }
  state.counters["mine_years"] = static_cast<double>(n_mines) * 30;
}
BENCHMARK(BM_Balance45kMines30Years)
    ->Args({45000, 1})
    ->Args({45000, 2})
    ->Args({4500, 1})  // a tenth of the size, for callgrind
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
