#include "minecarbon/stats/kruskal.h"

#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "minecarbon/stats/ranks.h"

namespace minecarbon::stats {

KruskalWallis kruskal_wallis(std::span<const double> values, std::span<const std::size_t> group) {
  if (values.size() != group.size())
    throw std::invalid_argument("kruskal_wallis: values and groups differ in length");
  std::vector<double> kept;
  std::vector<std::size_t> kept_group;
  std::size_t groups = 0;
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    if (std::isnan(values[idx])) continue;
    kept.push_back(values[idx]);
    kept_group.push_back(group[idx]);
    groups = std::max(groups, group[idx] + 1);
  }
  KruskalWallis out;
  out.n = kept.size();
  const Ranks ranks = average_ranks(kept);
  std::vector<double> rank_sum(groups, 0.0);
  std::vector<std::size_t> size(groups, 0);
  for (std::size_t idx = 0; idx < kept.size(); ++idx) {
    rank_sum[kept_group[idx]] += ranks.rank[idx];
    ++size[kept_group[idx]];
  }
  double between = 0;
  std::size_t non_empty = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    if (size[g] == 0) continue;
    ++non_empty;
    between += rank_sum[g] * rank_sum[g] / static_cast<double>(size[g]);
  }
  const auto n = static_cast<double>(kept.size());
  const double correction = 1.0 - ranks.tie_sum / (n * n * n - n);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (non_empty < 2 || !(correction > 0)) {
    out.h = out.p = kNaN;
    out.df = non_empty > 0 ? non_empty - 1 : 0;
    return out;
  }
  out.df = non_empty - 1;
  out.h = (12.0 / (n * (n + 1.0)) * between - 3.0 * (n + 1.0)) / correction;
  out.p = out.h > 0 ? boost::math::gamma_q(0.5 * static_cast<double>(out.df), 0.5 * out.h) : 1.0;
  return out;
}

}  // namespace minecarbon::stats
