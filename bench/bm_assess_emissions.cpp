// The emissions stage at the scale: 45,000 mines × 30 years × 4 sources (diesel, surface
// coal, electricity with a grid-year fallback, explosives) = 5.4 M activity rows, built in memory
// (reading the CSV is not timed). Goal: the computation well under 1 s. The result is checked
// against the hand total of one mine-year.
#include <benchmark/benchmark.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "minecarbon/assess/emissions.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/damage_job.h"

namespace {

using namespace minecarbon;
using namespace minecarbon::assess;

CsvText shipped(const std::string& name) {
  return pipeline::read_shipped_table(name);
}

EmissionsInputs make_inputs(std::size_t mines, int years) {
  EmissionsInputs in;
  emissions::FactorTableTexts texts;
  texts.fuel.push_back(shipped("emission_factors_fuel.csv"));
  texts.surface_coal.push_back(shipped("fugitive_coal_surface.csv"));
  texts.grid.push_back(shipped("grid_factors_china.csv"));
  texts.gwp.push_back(shipped("gwp.csv"));
  in.factors = emissions::parse_factor_tables(texts);
  in.activity.file = "bench.csv";
  in.activity.labels = {"", "CN-SX", "ANFO"};
  in.activity.rows.reserve(mines * static_cast<std::size_t>(years) * 4);
  std::uint32_t line = 2;
  for (std::size_t mine = 0; mine < mines; ++mine) {
    in.activity.mine_ids.push_back("M" + std::to_string(mine + 1));
    for (int year = 2021; year < 2021 + years; ++year) {
      emissions::ActivityRow row;
      row.mine = static_cast<std::uint32_t>(mine);
      row.year = year;
      row.line = line++;
      row.source = EmissionSource::diesel;
      row.unit = carbon::ActivityUnit::L;
      row.amount = 1.0e6;
      in.activity.rows.push_back(row);
      row.line = line++;
      row.source = EmissionSource::coal_surface;
      row.unit = carbon::ActivityUnit::t;
      row.amount = 1.0e6;
      in.activity.rows.push_back(row);
      row.line = line++;
      row.source = EmissionSource::electricity;
      row.unit = carbon::ActivityUnit::MWh;
      row.region = 1;
      row.amount = 1000.0;
      in.activity.rows.push_back(row);
      row.line = line++;
      row.source = EmissionSource::explosive;
      row.unit = carbon::ActivityUnit::t;
      row.region = 0;
      row.subtype = 2;
      row.fuel_oil_fraction = 0.055;
      row.amount = 10.0;
      in.activity.rows.push_back(row);
    }
  }
  return in;
}

void BM_EmissionsStage(benchmark::State& state) {
  const EmissionsInputs inputs = make_inputs(static_cast<std::size_t>(state.range(0)), 30);
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
