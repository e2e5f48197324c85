// libFuzzer target: the vegetation stage's readers of tables already split by core/csv: the five
// factor tables (volume equations, BCEF, continuous BEF, root:shoot, allometry; carbon/volume.h,
// carbon/biomass.h) and the plot inventory that run_vegetation reads (trees, plots, harvest
// quadrats, species recipes, stratum areas; assess/vegetation.h).
//
// An input holds up to four CSV files separated by NUL bytes: trees, plots, understorey, species.
// The first is also fed to each factor table's reader. run_vegetation runs on the inventory with
// the shipped factor tables (read once from the repository's data/ folder) and without growth
// curves, so that one input takes milliseconds, not the seconds of curve fitting.
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "minecarbon/assess/vegetation.h"
#include "minecarbon/carbon/biomass.h"
#include "minecarbon/carbon/volume.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/run_context.h"
#include "optional_csv.h"

namespace {

using minecarbon::CsvText;
using minecarbon::fuzz::expect_clean;
using minecarbon::fuzz::parse_optional_csv;

const minecarbon::assess::VegetationTables& shipped_tables() {
  static const minecarbon::assess::VegetationTables tables = [] {
    const std::string dir = MINECARBON_SOURCE_DATA_DIR;
    minecarbon::assess::VegetationTables t;
    t.volume_equations.push_back(minecarbon::read_csv_file(dir + "/volume_equations.csv"));
    t.bcef.push_back(minecarbon::read_csv_file(dir + "/bcef_ipcc2006.csv"));
    t.continuous_bef.push_back(minecarbon::read_csv_file(dir + "/continuous_bef_fang.csv"));
    t.root_shoot.push_back(minecarbon::read_csv_file(dir + "/root_shoot_ipcc2019.csv"));
    t.allometry.push_back(minecarbon::read_csv_file(dir + "/biomass_allometry.csv"));
    return t;
  }();
  return tables;
}

void read_factor_tables(const CsvText& csv) {
  namespace carbon = minecarbon::carbon;
  expect_clean([&] { carbon::VolumeEquationTable().add(csv); });
  expect_clean([&] { carbon::BcefTable().add(csv); });
  expect_clean([&] { carbon::ContinuousBefTable().add(csv); });
  expect_clean([&] { carbon::RootShootTable().add(csv); });
  expect_clean([&] { carbon::AllometryTable().add(csv); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace assess = minecarbon::assess;
  const auto parts = minecarbon::fuzz::split_parts(minecarbon::fuzz::as_text(data, size), 4);
  const std::optional<CsvText> trees = parse_optional_csv(parts[0], "trees.csv");
  if (!trees) return 0;
  read_factor_tables(*trees);
  const std::optional<CsvText> plots = parse_optional_csv(parts[1], "plots.csv");
  if (!plots) return 0;
  assess::VegetationInputs inputs;
  inputs.trees = *trees;
  inputs.plots = *plots;
  inputs.understorey = parse_optional_csv(parts[2], "understorey.csv");
  inputs.species = parse_optional_csv(parts[3], "species.csv");
  inputs.tables = shipped_tables();
  assess::VegetationParams params;
  params.growth = false;
  params.monte_carlo_draws = 10;
  minecarbon::RunContext context;
  context.quiet = true;
  expect_clean([&] { (void)assess::run_vegetation(params, inputs, context); });
  return 0;
}
