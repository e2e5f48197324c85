#include "minecarbon/core/utc_time.h"

#include <gtest/gtest.h>

#include <regex>

namespace minecarbon {
namespace {

TEST(UtcTime, EpochAndALeapDayInUtc) {
  EXPECT_EQ(utc_iso8601(0), "1970-01-01T00:00:00Z");
  // 2024-02-29 23:59:59 UTC = 19782 days × 86400 s + 86399 s since the epoch.
  EXPECT_EQ(utc_iso8601(static_cast<std::time_t>(19782) * 86400 + 86399), "2024-02-29T23:59:59Z");
}

TEST(UtcTime, NowHasTheFormatAndIsNotBeforeTheCallersClock) {
  const std::time_t before = std::time(nullptr);
  const std::string now = utc_now_iso8601();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << now;
  EXPECT_GE(now, utc_iso8601(before));  // same format, so text order is time order
}

}  // namespace
}  // namespace minecarbon
