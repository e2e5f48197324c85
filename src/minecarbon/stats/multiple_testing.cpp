#include "minecarbon/stats/multiple_testing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace minecarbon::stats {

std::vector<double> p_adjust(std::span<const double> p, PAdjustMethod method,
                             std::optional<std::size_t> m) {
  std::vector<double> out(p.begin(), p.end());
  std::vector<std::size_t> present;
  for (std::size_t idx = 0; idx < p.size(); ++idx) {
    if (!std::isnan(p[idx])) present.push_back(idx);
  }
  const std::size_t count = m.value_or(present.size());
  if (count < present.size())
    throw std::invalid_argument("p_adjust: m = " + std::to_string(count) + " is below the " +
                                std::to_string(present.size()) + " p-values given");
  if (count <= 1) return out;
  const double md = static_cast<double>(count);
  if (method == PAdjustMethod::bonferroni) {
    for (std::size_t idx : present)
      out[idx] = std::min(1.0, md * p[idx]);
    return out;
  }
  // Largest p first (R: order(p, decreasing = TRUE), stable), rank j = present.size() down to 1.
  std::stable_sort(present.begin(), present.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  double running_min = std::numeric_limits<double>::infinity();
  std::size_t rank = present.size();
  for (std::size_t idx : present) {
    running_min = std::min(running_min, (md / static_cast<double>(rank)) * p[idx]);
    out[idx] = std::min(1.0, running_min);
    --rank;
  }
  return out;
}

}  // namespace minecarbon::stats
