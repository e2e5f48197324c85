// libFuzzer target: the emissions stage's readers of tables already split by core/csv: the
// activity table (assess/emissions/activity.h), the four factor tables (fuel, surface coal
// methane, grid, GWP; assess/emissions/factor_tables.h) and the landuse pool table that
// land_cleared rows need (carbon/landuse_pools.h), then run_emissions on what was read.
//
// An input holds up to two CSV files separated by a NUL byte: the activity table and the pool
// table. The activity table is also fed to every factor table's reader and to the pool reader,
// the pool table to the activity reader. run_emissions runs on the activity with the shipped
// factor tables (read once from the repository's data/ folder), with and without the pools, with
// the default settings and again with AR6, a soil loss on clearing and a flare efficiency of 0.5.
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "minecarbon/assess/emissions.h"
#include "minecarbon/carbon/landuse_pools.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/run_context.h"
#include "optional_csv.h"

namespace {

using minecarbon::CsvText;
using minecarbon::fuzz::expect_clean;
using minecarbon::fuzz::parse_optional_csv;
namespace assess = minecarbon::assess;
namespace emissions = minecarbon::assess::emissions;

emissions::FactorTableTexts shipped_texts() {
  const std::string dir = MINECARBON_SOURCE_DATA_DIR;
  emissions::FactorTableTexts texts;
  texts.fuel.push_back(minecarbon::read_csv_file(dir + "/emission_factors_fuel.csv"));
  texts.surface_coal.push_back(minecarbon::read_csv_file(dir + "/fugitive_coal_surface.csv"));
  texts.grid.push_back(minecarbon::read_csv_file(dir + "/grid_factors_china.csv"));
  texts.gwp.push_back(minecarbon::read_csv_file(dir + "/gwp.csv"));
  return texts;
}

const emissions::EmissionFactorTables& shipped_factors() {
  static const emissions::EmissionFactorTables factors =
      emissions::parse_factor_tables(shipped_texts());
  return factors;
}

// `csv` as each one of the factor tables, the others shipped.
void read_factor_tables(const CsvText& csv) {
  for (int table = 0; table < 4; ++table) {
    emissions::FactorTableTexts texts = shipped_texts();
    auto& slot = table == 0   ? texts.fuel
                 : table == 1 ? texts.surface_coal
                 : table == 2 ? texts.grid
                              : texts.gwp;
    slot.push_back(csv);  // user rows after the shipped ones, as a project's own table
    expect_clean([&] { (void)emissions::parse_factor_tables(texts); });
  }
}

void run(const emissions::ActivityTable& activity,
         const std::optional<minecarbon::carbon::LandusePoolTable>& pools) {
  minecarbon::RunContext context;
  context.quiet = true;
  assess::EmissionsInputs inputs;
  inputs.activity = activity;
  inputs.factors = shipped_factors();
  inputs.pools = pools;
  expect_clean([&] { (void)assess::run_emissions(assess::EmissionsParams{}, inputs, context); });
  assess::EmissionsParams other;
  other.gwp = "AR6";
  other.clearing_soc_loss_fraction = 0.8;
  other.flare_efficiency = 0.5;
  expect_clean([&] { (void)assess::run_emissions(other, inputs, context); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = minecarbon::fuzz::split_parts(minecarbon::fuzz::as_text(data, size), 2);
  const std::optional<CsvText> first = parse_optional_csv(parts[0], "activity.csv");
  const std::optional<CsvText> second = parse_optional_csv(parts[1], "pools.csv");
  std::optional<minecarbon::carbon::LandusePoolTable> pools;
  if (second) {
    expect_clean([&] { pools = minecarbon::carbon::parse_landuse_pools(*second); });
    expect_clean([&] { (void)emissions::parse_activity(*second); });
  }
  if (!first) return 0;
  expect_clean([&] { (void)minecarbon::carbon::parse_landuse_pools(*first); });
  read_factor_tables(*first);
  std::optional<emissions::ActivityTable> activity;
  expect_clean([&] { activity = emissions::parse_activity(*first); });
  if (!activity) return 0;
  run(*activity, std::nullopt);
  if (pools) run(*activity, pools);
  return 0;
}
