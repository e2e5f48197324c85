// libFuzzer target: the readers `minecarbon balance --from` uses for the tables the other stages
// wrote (pipeline/balance_job.h: emissions mine_year_source, landuse mine_change, damage
// mine_year, vegetation projection, soil scenario_years), then run_balance and its tables on what
// was read.
//
// An input holds up to five CSV files separated by NUL bytes, in that order (emissions, landuse,
// damage, vegetation, soil). The first is also fed to every reader. run_balance joins the records
// read with the default settings and again with a first year, another horizon and soil scenarios
// summed.
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/balance/balance_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/balance_job.h"
#include "optional_csv.h"

namespace {

using minecarbon::CsvText;
using minecarbon::fuzz::expect_clean;
using minecarbon::fuzz::parse_optional_csv;
namespace assess = minecarbon::assess;
namespace pipeline = minecarbon::pipeline;

void read_all(const CsvText& csv) {
  minecarbon::ProblemList warnings;
  expect_clean([&] { (void)pipeline::read_emission_records(csv); });
  expect_clean([&] { (void)pipeline::read_landuse_records(csv); });
  expect_clean([&] { (void)pipeline::read_damage_records(csv); });
  expect_clean([&] { (void)pipeline::read_vegetation_records(csv, warnings); });
  expect_clean([&] { (void)pipeline::read_soil_records(csv, warnings); });
}

void run(const assess::BalanceInputs& inputs) {
  minecarbon::RunContext context;
  context.quiet = true;
  expect_clean([&] {
    const assess::BalanceResult result =
        assess::run_balance(assess::BalanceParams{}, inputs, context);
    (void)assess::to_tables(result);
    if (!result.mines.empty()) (void)assess::mine_report(result, result.mines.size() - 1);
  });
  assess::BalanceParams other;
  other.first_year = 2005;
  other.horizon_year = 2030;
  other.soil_multiple = assess::SoilScenarioRule::sum;
  expect_clean([&] { (void)assess::to_tables(assess::run_balance(other, inputs, context)); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = minecarbon::fuzz::split_parts(minecarbon::fuzz::as_text(data, size), 5);
  std::optional<CsvText> csv[5];
  const char* names[5] = {"mine_year_source.csv", "mine_change.csv", "mine_year.csv",
                          "projection_mines.csv", "scenario_years.csv"};
  for (int idx = 0; idx < 5; ++idx)
    csv[idx] = parse_optional_csv(parts[static_cast<std::size_t>(idx)], names[idx]);
  if (csv[0]) read_all(*csv[0]);
  assess::BalanceInputs inputs;
  expect_clean([&] {
    if (csv[0]) inputs.emissions = pipeline::read_emission_records(*csv[0]);
  });
  expect_clean([&] {
    if (csv[1]) inputs.landuse = pipeline::read_landuse_records(*csv[1]);
  });
  expect_clean([&] {
    if (csv[2]) inputs.damage = pipeline::read_damage_records(*csv[2]);
  });
  expect_clean([&] {
    if (csv[3])
      inputs.vegetation = pipeline::read_vegetation_records(*csv[3], inputs.adapter_warnings);
  });
  expect_clean([&] {
    if (csv[4]) inputs.soil = pipeline::read_soil_records(*csv[4], inputs.adapter_warnings);
  });
  run(inputs);
  return 0;
}
