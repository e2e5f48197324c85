// Synthetic emissions inputs for the emissions benchmarks (bm_assess_emissions and
// bm_assess_emissions_balance_chain): the shipped factor tables and, per mine and year, the four
// sources the issue times — 1e6 L diesel, 1e6 t surface coal, 1000 MWh electricity in CN-SX (no
// factor for late years, so the grid-year fallback runs) and 10 t ANFO (fuel-oil fraction 0.055).
// One definition, so both benchmarks time the same rows and their hand-checked totals agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "minecarbon/assess/emissions.h"
#include "minecarbon/pipeline/damage_job.h"

namespace minecarbon::bench {

// `mines` mines × `years` years from `first_year` × 4 sources. Mine i is named
// "M<i + first_mine_number>" (the balance chain joins on ids starting at M0, the emissions
// benchmark has always used M1…). Activity lines are numbered from 2, as in a CSV with a header.
inline assess::EmissionsInputs emissions_bench_inputs(std::size_t mines, int first_year, int years,
                                                      std::size_t first_mine_number) {
  using assess::EmissionSource;
  namespace emissions = assess::emissions;
  assess::EmissionsInputs in;
  emissions::FactorTableTexts texts;
  texts.fuel.push_back(pipeline::read_shipped_table("emission_factors_fuel.csv"));
  texts.surface_coal.push_back(pipeline::read_shipped_table("fugitive_coal_surface.csv"));
  texts.grid.push_back(pipeline::read_shipped_table("grid_factors_china.csv"));
  texts.gwp.push_back(pipeline::read_shipped_table("gwp.csv"));
  in.factors = emissions::parse_factor_tables(texts);
  in.activity.file = "bench.csv";
  in.activity.labels = {"", "CN-SX", "ANFO"};
  in.activity.rows.reserve(mines * static_cast<std::size_t>(years) * 4);
  std::uint32_t line = 2;
  for (std::size_t mine = 0; mine < mines; ++mine) {
    in.activity.mine_ids.push_back("M" + std::to_string(mine + first_mine_number));
    for (int year = first_year; year < first_year + years; ++year) {
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

}  // namespace minecarbon::bench
