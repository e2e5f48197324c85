// Inputs that fuzz/fuzz_rothc_input found to break the RothC_input.dat reader, each now a clean
// DataError naming the line and the fix (fuzz/README.md tells how they were found).
#include <gtest/gtest.h>

#include <string>

#include "minecarbon/carbon/rothc_input.h"
#include "minecarbon/core/errors.h"

namespace mc = minecarbon::carbon;

namespace {

// The v1.0.0 layout with one year of rows and `nsteps` on line 5.
std::string v1_file(const std::string& nsteps) {
  std::string text = "title\ncomment\nunits\nclay depth iom nsteps\n13.0 25.0 3.0041 " + nsteps +
                     "\nunits\nyear month modern Tmp Rain Evap C_inp FYM PC DPM_RPM\n";
  for (int month = 1; month <= 12; ++month)
    text += "1 " + std::to_string(month) + " 100 10 50 20 0.1 0 1 1.44\n";
  return text;
}

std::string message_of(const std::string& text) {
  try {
    (void)mc::parse_rothc_input_text(text, "RothC_input.dat");
  } catch (const minecarbon::DataError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(RothCInputFuzzRegressions, OneYearOfRowsIsReadAsBefore) {
  const mc::RothCInputFile file = mc::parse_rothc_input_text(v1_file("12"));
  EXPECT_EQ(file.layout, mc::RothCInputLayout::v1);
  EXPECT_EQ(file.input.months.size(), 12u);
}

// nsteps near INT_MAX (a multiple of 12) made the reader reserve 171 GB before it counted the
// rows: AddressSanitizer out-of-memory under the fuzzer, std::bad_alloc (exit 1, no line) or
// gigabytes of address space in a normal build. Now the missing rows are reported.
TEST(RothCInputFuzzRegressions, HugeNstepsIsAMissingRowsErrorNotAnAllocation) {
  const std::string message = message_of(v1_file("2147483640"));
  EXPECT_NE(message.find("RothC_input.dat:19: the file ends after 12 monthly rows, but nsteps = "
                         "2147483640 (line 5)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("set nsteps to 12"), std::string::npos) << message;
}
