// libFuzzer target: the soil stage's own readers of tables already split by core/csv: the IPCC
// factor and reference-stock tables (carbon/ipcc_soil.h), RothC monthly forcing and batch-site
// tables, and the soil profile and area tables that run_soil reads (assess/soil.h).
//
// An input holds up to two CSV files separated by a NUL byte: the first is fed to every
// one-table reader (and is the profile or site table), the second is the area or climate table.
// run_soil sees the profiles with default settings, and again with the spline, the bulk-density
// pedotransfer, a bare `soc` column in g/kg and a reference land use, so more of its checks run.
#include <optional>
#include <sstream>

#include "fuzz_support.h"
#include "minecarbon/assess/soil.h"
#include "minecarbon/carbon/ipcc_soil.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/run_context.h"

namespace {

using minecarbon::CsvText;
using minecarbon::fuzz::expect_clean;

std::optional<CsvText> parse(const std::string& text, const char* name) {
  std::optional<CsvText> csv;
  expect_clean([&] {
    std::istringstream in(text);
    csv = minecarbon::parse_csv(in, name);
  });
  return csv;
}

void run_profiles(const CsvText& profiles, const std::optional<CsvText>& areas) {
  namespace assess = minecarbon::assess;
  minecarbon::RunContext context;
  context.quiet = true;
  assess::SoilInputs inputs;
  inputs.profiles = profiles;
  inputs.areas = areas;
  expect_clean([&] { (void)assess::run_soil(assess::SoilParams{}, inputs, context); });
  assess::SoilParams other;
  other.method = assess::StockMethod::spline;
  other.bd_ptf = minecarbon::carbon::BulkDensityPtf::song2005;
  other.soc_unit = "g_kg";
  other.reference = "reference";
  expect_clean([&] { (void)assess::run_soil(other, inputs, context); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = minecarbon::fuzz::split_parts(minecarbon::fuzz::as_text(data, size), 2);
  const std::optional<CsvText> first = parse(parts[0], "first.csv");
  if (!first) return 0;
  expect_clean([&] { (void)minecarbon::carbon::parse_ipcc_factor_table(*first); });
  expect_clean([&] { (void)minecarbon::carbon::parse_ipcc_soc_ref_table(*first); });
  expect_clean([&] { (void)minecarbon::assess::rothc_months_from_csv(*first, false); });
  expect_clean([&] { (void)minecarbon::assess::rothc_months_from_csv(*first, true); });
  const std::optional<CsvText> second =
      parts[1].empty() ? std::nullopt : parse(parts[1], "second.csv");
  if (second) {
    expect_clean([&] { (void)minecarbon::assess::batch_sites_from_csv(*first, *second); });
  }
  run_profiles(*first, second);
  return 0;
}
