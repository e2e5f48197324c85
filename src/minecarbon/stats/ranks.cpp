#include "minecarbon/stats/ranks.h"

#include <algorithm>
#include <numeric>

namespace minecarbon::stats {

Ranks average_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  Ranks out;
  out.rank.assign(n, 0.0);
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && values[order[end]] == values[order[start]])
      ++end;
    // Positions start+1 … end share their mean.
    const double mean_rank = 0.5 * static_cast<double>(start + 1 + end);
    for (std::size_t k = start; k < end; ++k)
      out.rank[order[k]] = mean_rank;
    const auto t = static_cast<double>(end - start);
    out.tie_sum += t * t * t - t;
    start = end;
  }
  return out;
}

}  // namespace minecarbon::stats
