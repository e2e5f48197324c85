// libFuzzer target: the reader of the official RothC input file (carbon/rothc_input.h).
//
// Each input is one RothC_input.dat. It is parsed three times: with the layout detected from line
// 5, and forced to v1.0.0 and to v2.0.0. What the reader returns must keep its promises: as many
// monthly rows as nsteps, a whole number of years, and every row within the checked ranges.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "fuzz_support.h"
#include "minecarbon/carbon/rothc_input.h"

namespace {

using minecarbon::carbon::RothCInputFile;
using minecarbon::carbon::RothCInputLayout;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_rothc_input: %s\n", what);
    std::abort();
  }
}

void check_file(const RothCInputFile& file, RothCInputLayout asked) {
  check(file.layout != RothCInputLayout::automatic, "the layout found is not v1 or v2");
  check(asked == RothCInputLayout::automatic || file.layout == asked, "another layout than asked");
  const auto& months = file.input.months;
  check(months.size() >= 12 && months.size() % 12 == 0, "not whole years of monthly rows");
  for (const auto& m : months) {
    check(m.month >= 1 && m.month <= 12, "a month outside 1..12");
    check(std::isfinite(m.temp_C) && m.rain_mm >= 0 && m.plant_input_tC_ha >= 0,
          "a monthly value the reader promised to refuse");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = minecarbon::fuzz::as_text(data, size);
  for (const auto layout :
       {RothCInputLayout::automatic, RothCInputLayout::v1, RothCInputLayout::v2}) {
    minecarbon::fuzz::expect_clean([&] {
      check_file(minecarbon::carbon::parse_rothc_input_text(text, "fuzz.dat", layout), layout);
    });
  }
  return 0;
}
