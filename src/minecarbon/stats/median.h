#pragma once
// The median as R's median(): the middle value of the sorted values, or the mean of the two
// middle values; NaN when there are none. Takes a copy because it reorders (std::nth_element).

#include <algorithm>
#include <cstddef>
#include <vector>

#include "minecarbon/core/nan.h"

namespace minecarbon::stats {

inline double median(std::vector<double> values) {
  const std::size_t n = values.size();
  if (n == 0) return kNaN;
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (n % 2 == 1) return *mid;
  const double lower = *std::max_element(values.begin(), mid);
  return 0.5 * (lower + *mid);
}

}  // namespace minecarbon::stats
