#include "minecarbon/stats/pettitt.h"
#include "minecarbon/core/nan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace minecarbon::stats {
namespace {

// Mid-ranks (1-based) of `values`, as R rank(ties.method = "average").
std::vector<double> mid_ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && values[order[end]] == values[order[start]])
      ++end;
    // Ranks start+1 .. end share their mean.
    const double rank = 0.5 * (static_cast<double>(start + 1) + static_cast<double>(end));
    for (std::size_t idx = start; idx < end; ++idx)
      ranks[order[idx]] = rank;
    start = end;
  }
  return ranks;
}

}  // namespace

Pettitt pettitt(std::span<const double> time, std::span<const double> y) {
  if (time.size() != y.size()) throw std::invalid_argument("pettitt: time and y differ in length");
  std::vector<double> t_used, y_used;
  for (std::size_t idx = 0; idx < y.size(); ++idx) {
    if (!std::isfinite(time[idx]) || !std::isfinite(y[idx])) continue;
    if (!t_used.empty() && !(time[idx] > t_used.back()))
      throw std::invalid_argument("pettitt: time must be strictly increasing");
    t_used.push_back(time[idx]);
    y_used.push_back(y[idx]);
  }
  Pettitt out;
  out.n = static_cast<int>(y_used.size());
  if (out.n < 2) {
    out.u_star = out.u_at_k = out.change_time = out.mean_before = out.mean_after = out.p = kNaN;
    return out;
  }
  const std::vector<double> ranks = mid_ranks(y_used);
  const double n = out.n;
  double rank_sum = 0;
  out.u_star = -1;
  for (int k = 1; k < out.n; ++k) {
    rank_sum += ranks[k - 1];
    const double u = 2.0 * rank_sum - k * (n + 1.0);
    if (std::fabs(u) > out.u_star) {
      out.u_star = std::fabs(u);
      out.u_at_k = u;
      out.k_first = k;
      out.k_count = 1;
    } else if (std::fabs(u) == out.u_star) {
      ++out.k_count;
    }
  }
  out.change_time = t_used[out.k_first - 1];
  double before = 0, after = 0;
  for (int idx = 0; idx < out.n; ++idx)
    (idx < out.k_first ? before : after) += y_used[idx];
  out.mean_before = before / out.k_first;
  out.mean_after = after / (out.n - out.k_first);
  out.p = std::min(1.0, 2.0 * std::exp(-6.0 * (out.u_star * out.u_star) / (n * n * n + n * n)));
  return out;
}

}  // namespace minecarbon::stats
