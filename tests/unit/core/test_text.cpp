#include "minecarbon/core/text.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace minecarbon {
namespace {

double read_back(const std::string& text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(ec, std::errc()) << text;
  EXPECT_EQ(end, text.data() + text.size()) << text;
  return value;
}

TEST(Text, HundredThousandRandomDoublesReadBackExactly) {
  // Random bit patterns cover every exponent, subnormals included; NaN and Inf are skipped here
  // (they have their own words).
  std::mt19937_64 bits(20261207);
  int checked = 0;
  while (checked < 100000) {
    const double value = std::bit_cast<double>(bits());
    if (!std::isfinite(value)) continue;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(read_back(format_number(value))),
              std::bit_cast<std::uint64_t>(value));
    ASSERT_EQ(read_back(format_plain(value)), value);
    ++checked;
  }
}

TEST(Text, DataCellsWriteMissingAsNaAndInfinityAsInf) {
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "NA");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "Inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(-5.7e-14), "-5.7e-14");
}

TEST(Text, PlainStyleWritesWholeNumbersOut) {
  EXPECT_EQ(format_plain(100000.0), "100000");
  EXPECT_EQ(format_number(100000.0), "1e+05");  // shortest; R and Excel read it as 100000
  EXPECT_EQ(format_plain(-0.0), "0");
  EXPECT_EQ(format_plain(2.5), "2.5");
  EXPECT_EQ(format_plain(1e15), "1e+15");
  EXPECT_EQ(format_plain(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(format_plain(-std::numeric_limits<double>::infinity()), "-inf");
}

}  // namespace
}  // namespace minecarbon
