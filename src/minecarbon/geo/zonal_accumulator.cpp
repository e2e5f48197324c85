#include "minecarbon/geo/zonal_accumulator.h"

#include <algorithm>

#include "minecarbon/core/errors.h"

namespace minecarbon::geo {

ClassCodes::ClassCodes(const std::vector<std::int64_t>& codes) : codes_(codes) {
  if (codes.empty()) throw ConfigError("class codes: the list is empty; give at least one class");
  const auto [lo, hi] = std::minmax_element(codes.begin(), codes.end());
  // A dense lookup table: land-use and cover codes are small integers (ESA CCI ≤ 220, CLCD ≤ 9).
  constexpr std::int64_t kMaxSpan = 1 << 16;
  if (*hi - *lo >= kMaxSpan) {
    throw ConfigError("class codes span " + std::to_string(*lo) + ".." + std::to_string(*hi) +
                      ": more than " + std::to_string(kMaxSpan) +
                      " values apart; recode the classes to a smaller range");
  }
  min_code_ = *lo;
  lookup_.assign(static_cast<std::size_t>(*hi - *lo + 1), kUnknown);
  for (std::size_t idx = 0; idx < codes.size(); ++idx) {
    int& slot = lookup_[static_cast<std::size_t>(codes[idx] - min_code_)];
    if (slot != kUnknown) {
      throw ConfigError("class codes: " + std::to_string(codes[idx]) +
                        " is listed twice; list each class once");
    }
    slot = static_cast<int>(idx);
  }
}

}  // namespace minecarbon::geo
