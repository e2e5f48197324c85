#include "minecarbon/stats/wilcoxon.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "minecarbon/core/nan.h"
#include "minecarbon/stats/ranks.h"

namespace minecarbon::stats {
namespace {

constexpr std::size_t kExactBelow = 50;  // R: exact when both samples have < 50 values

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// Null distribution of W for sizes m, n: P(W = u), u = 0 … m·n. ways[j][s] counts the j-subsets
// of the ranks {1, …, k} with sum s (a knapsack over k); W = s − m(m + 1)/2.
std::vector<double> rank_sum_distribution(std::size_t m, std::size_t n) {
  const std::size_t total_n = m + n, max_sum = m * total_n;
  std::vector<std::vector<double>> ways(m + 1, std::vector<double>(max_sum + 1, 0.0));
  ways[0][0] = 1.0;
  for (std::size_t k = 1; k <= total_n; ++k)
    for (std::size_t j = std::min(k, m); j >= 1; --j)
      for (std::size_t s = max_sum; s >= k; --s)
        ways[j][s] += ways[j - 1][s - k];
  const std::size_t offset = m * (m + 1) / 2;
  std::vector<double> prob(m * n + 1, 0.0);
  for (std::size_t u = 0; u < prob.size(); ++u)
    prob[u] = ways[m][u + offset];
  const double total = std::accumulate(prob.begin(), prob.end(), 0.0);
  for (double& v : prob)
    v /= total;
  return prob;
}

}  // namespace

RankSumTest wilcoxon_rank_sum(std::span<const double> x, std::span<const double> y) {
  std::vector<double> all;
  RankSumTest out;
  for (const double v : x)
    if (!std::isnan(v)) {
      all.push_back(v);
      ++out.n_x;
    }
  for (const double v : y)
    if (!std::isnan(v)) {
      all.push_back(v);
      ++out.n_y;
    }
  if (out.n_x == 0 || out.n_y == 0) {
    out.w = out.p = kNaN;
    return out;
  }
  const Ranks ranks = average_ranks(all);
  double rank_sum_x = 0;
  for (std::size_t idx = 0; idx < out.n_x; ++idx)
    rank_sum_x += ranks.rank[idx];
  const auto nx = static_cast<double>(out.n_x), ny = static_cast<double>(out.n_y);
  out.w = rank_sum_x - nx * (nx + 1.0) / 2.0;
  out.exact = out.n_x < kExactBelow && out.n_y < kExactBelow && ranks.tie_sum == 0;
  if (out.exact) {
    const std::vector<double> prob = rank_sum_distribution(out.n_x, out.n_y);
    const auto w = static_cast<std::size_t>(std::llround(out.w));
    double tail = 0;
    if (out.w > nx * ny / 2.0) {
      for (std::size_t u = w; u < prob.size(); ++u)
        tail += prob[u];
    } else {
      for (std::size_t u = 0; u <= w; ++u)
        tail += prob[u];
    }
    out.p = std::min(1.0, 2.0 * tail);
    return out;
  }
  const double n = nx + ny;
  const double z0 = out.w - nx * ny / 2.0;
  const double sigma = std::sqrt(nx * ny / 12.0 * ((n + 1.0) - ranks.tie_sum / (n * (n - 1.0))));
  if (!(sigma > 0)) {
    out.p = 1.0;
    return out;
  }
  const double correction = z0 > 0 ? 0.5 : (z0 < 0 ? -0.5 : 0.0);
  const double z = (z0 - correction) / sigma;
  out.p = 2.0 * std::min(normal_cdf(z), normal_cdf(-z));
  return out;
}

std::vector<double> holm_adjust(std::span<const double> p) {
  std::vector<std::size_t> order;
  for (std::size_t idx = 0; idx < p.size(); ++idx)
    if (!std::isnan(p[idx])) order.push_back(idx);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> out(p.size(), kNaN);
  const std::size_t m = order.size();
  double running = 0;
  for (std::size_t i = 0; i < m; ++i) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - i) * p[order[i]]));
    out[order[i]] = running;
  }
  return out;
}

std::vector<PairwiseRankSum> pairwise_wilcoxon_holm(std::span<const double> values,
                                                    std::span<const std::size_t> group) {
  if (values.size() != group.size())
    throw std::invalid_argument("pairwise_wilcoxon_holm: values and groups differ in length");
  std::size_t groups = 0;
  for (const std::size_t g : group)
    groups = std::max(groups, g + 1);
  std::vector<std::vector<double>> by_group(groups);
  for (std::size_t idx = 0; idx < values.size(); ++idx)
    if (!std::isnan(values[idx])) by_group[group[idx]].push_back(values[idx]);
  std::vector<PairwiseRankSum> out;
  for (std::size_t a = 0; a < groups; ++a)
    for (std::size_t b = a + 1; b < groups; ++b) {
      if (by_group[a].empty() || by_group[b].empty()) continue;
      out.push_back({a, b, wilcoxon_rank_sum(by_group[a], by_group[b]), kNaN});
    }
  std::vector<double> p;
  for (const auto& pair : out)
    p.push_back(pair.test.p);
  const std::vector<double> adjusted = holm_adjust(p);
  for (std::size_t idx = 0; idx < out.size(); ++idx)
    out[idx].p_holm = adjusted[idx];
  return out;
}

}  // namespace minecarbon::stats
