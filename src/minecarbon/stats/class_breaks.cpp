#include "minecarbon/stats/class_breaks.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::stats {
namespace {

void check_k(std::size_t k) {
  if (k < 2)
    throw ConfigError("class breaks: k = " + std::to_string(k) +
                      " classes: at least 2 are needed; set classes = 3 (low, medium, high)");
}

std::vector<double> sorted_finite(std::span<const double> values) {
  std::vector<double> x;
  x.reserve(values.size());
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (!std::isfinite(v))
      throw DataError("class breaks: an infinite value; give finite values (or NA for none)");
    x.push_back(v);
  }
  std::sort(x.begin(), x.end());
  return x;
}

std::size_t distinct_count(const std::vector<double>& sorted) {
  if (sorted.empty()) return 0;
  std::size_t n = 1;
  for (std::size_t idx = 1; idx < sorted.size(); ++idx)
    if (sorted[idx] != sorted[idx - 1]) ++n;
  return n;
}

void need_two_distinct(const std::vector<double>& sorted) {
  if (distinct_count(sorted) < 2)
    throw DataError("class breaks: " + std::to_string(sorted.size()) + " value(s) with " +
                    std::to_string(distinct_count(sorted)) +
                    " distinct value(s): at least 2 distinct values are needed to form classes");
}

// Prefix sums of the distinct values, weighted by their counts and centred on the mean (which
// keeps S2 − S1²/W from cancelling for large values such as areas in m²).
struct WeightedPrefix {
  std::vector<double> w, s1, s2;  // size m + 1, [0] = 0

  // Σ w (x − x̄_seg)² over distinct values first..last (0-based, inclusive).
  double ssd(std::size_t first, std::size_t last) const {
    const double weight = w[last + 1] - w[first];
    const double sum = s1[last + 1] - s1[first];
    const double value = (s2[last + 1] - s2[first]) - sum * sum / weight;
    return value > 0 ? value : 0.0;
  }
};

// One layer of the programme: cost[b] = min_{a ≤ b} prev[a − 1] + ssd(a, b) for b in
// [layer, m), with `from[b]` the smallest optimal a. Divide and conquer on b: the smallest
// optimal a does not decrease with b.
struct Layer {
  const WeightedPrefix& prefix;
  const std::vector<double>& prev;
  std::vector<double>& cost;
  std::vector<std::size_t>& from;

  void solve(std::size_t b_lo, std::size_t b_hi, std::size_t a_lo, std::size_t a_hi) {
    // Iterative over the left half would save stack; depth is log2(m) here, which is small.
    if (b_lo > b_hi) return;
    const std::size_t mid = b_lo + (b_hi - b_lo) / 2;
    double best = std::numeric_limits<double>::infinity();
    std::size_t best_a = a_lo;
    const std::size_t last = std::min(mid, a_hi);
    for (std::size_t a = a_lo; a <= last; ++a) {
      const double value = prev[a - 1] + prefix.ssd(a, mid);
      if (value < best) {
        best = value;
        best_a = a;
      }
    }
    cost[mid] = best;
    from[mid] = best_a;
    if (mid > b_lo) solve(b_lo, mid - 1, a_lo, best_a);
    solve(mid + 1, b_hi, best_a, a_hi);
  }
};

double r_type7(const std::vector<double>& x, double p) {
  // R 4.2 quantile.default, type 7: index = 1 + (n − 1)·p, lo = floor, hi = ceiling,
  // q = (1 − h)·x[lo] + h·x[hi] where h = index − lo and x[hi] differs from x[lo].
  const double index = 1.0 + static_cast<double>(x.size() - 1) * p;
  const double lo = std::floor(index);
  const double hi = std::ceil(index);
  const double x_lo = x[static_cast<std::size_t>(lo) - 1];
  const double x_hi = x[static_cast<std::size_t>(hi) - 1];
  if (!(index > lo) || x_hi == x_lo) return x_lo;
  const double h = index - lo;
  return (1.0 - h) * x_lo + h * x_hi;
}

}  // namespace

FisherPartition fisher_jenks(std::span<const double> values, std::size_t k) {
  check_k(k);
  const std::vector<double> x = sorted_finite(values);
  // Distinct values and their counts: the programme's items.
  std::vector<double> distinct;
  std::vector<std::size_t> weight;
  for (double v : x) {
    if (distinct.empty() || v != distinct.back()) {
      distinct.push_back(v);
      weight.push_back(1);
    } else {
      ++weight.back();
    }
  }
  const std::size_t m = distinct.size();
  if (k > m)
    throw DataError("class breaks: Fisher-Jenks with k = " + std::to_string(k) + " classes but " +
                    std::to_string(x.size()) + " value(s) have only " + std::to_string(m) +
                    " distinct value(s); use at most " + std::to_string(m) + " classes");
  double mean = 0;
  for (double v : x)
    mean += v;
  mean /= static_cast<double>(x.size());
  WeightedPrefix prefix;
  prefix.w.assign(m + 1, 0.0);
  prefix.s1.assign(m + 1, 0.0);
  prefix.s2.assign(m + 1, 0.0);
  for (std::size_t idx = 0; idx < m; ++idx) {
    const double w = static_cast<double>(weight[idx]);
    const double d = distinct[idx] - mean;
    prefix.w[idx + 1] = prefix.w[idx] + w;
    prefix.s1[idx + 1] = prefix.s1[idx] + w * d;
    prefix.s2[idx + 1] = prefix.s2[idx] + w * d * d;
  }
  // from[layer][b]: first item of the last class of the best (layer + 1)-class partition of
  // items 0..b.
  std::vector<std::vector<std::size_t>> from(k, std::vector<std::size_t>(m, 0));
  std::vector<double> prev(m), cost(m, std::numeric_limits<double>::infinity());
  for (std::size_t b = 0; b < m; ++b)
    prev[b] = prefix.ssd(0, b);
  for (std::size_t layer = 1; layer < k; ++layer) {
    std::fill(cost.begin(), cost.end(), std::numeric_limits<double>::infinity());
    Layer solver{prefix, prev, cost, from[layer]};
    // Items layer..m−1 can end a partition into layer + 1 non-empty classes; the last class
    // starts at a ≥ layer.
    solver.solve(layer, m - 1, layer, m - 1);
    std::swap(prev, cost);
  }
  // Backtrack the class starts.
  std::vector<std::size_t> start(k, 0);
  std::size_t end = m - 1;
  for (std::size_t layer = k - 1; layer > 0; --layer) {
    start[layer] = from[layer][end];
    end = start[layer] - 1;
  }
  FisherPartition out;
  out.upper_bounds.push_back(distinct.front());
  out.midpoints.push_back(distinct.front());
  for (std::size_t c = 0; c < k; ++c) {
    const std::size_t first = start[c];
    const std::size_t last = c + 1 < k ? start[c + 1] - 1 : m - 1;
    out.class_min.push_back(distinct[first]);
    out.class_max.push_back(distinct[last]);
    std::size_t count = 0;
    for (std::size_t idx = first; idx <= last; ++idx)
      count += weight[idx];
    out.counts.push_back(count);
    out.upper_bounds.push_back(distinct[last]);
  }
  for (std::size_t c = 0; c + 1 < k; ++c)
    out.midpoints.push_back((out.class_max[c] + out.class_min[c + 1]) / 2.0);
  out.midpoints.push_back(distinct.back());
  return out;
}

std::vector<double> quantile_breaks(std::span<const double> values, std::size_t k) {
  check_k(k);
  const std::vector<double> x = sorted_finite(values);
  need_two_distinct(x);
  // seq(0, 1, 1/k) as R makes it: j·(1/k), capped at 1.
  const double by = 1.0 / static_cast<double>(k);
  std::vector<double> out;
  for (std::size_t j = 0; j <= k; ++j)
    out.push_back(r_type7(x, std::min(static_cast<double>(j) * by, 1.0)));
  return out;
}

std::vector<double> equal_interval_breaks(std::span<const double> values, std::size_t k) {
  check_k(k);
  const std::vector<double> x = sorted_finite(values);
  need_two_distinct(x);
  const double lo = x.front(), hi = x.back();
  const double by = (hi - lo) / static_cast<double>(k);
  std::vector<double> out{lo};
  for (std::size_t j = 1; j < k; ++j)
    out.push_back(lo + static_cast<double>(j) * by);
  out.push_back(hi);
  return out;
}

std::vector<double> mean_sd_breaks(std::span<const double> values, double sd_multiple) {
  if (!(sd_multiple > 0) || !std::isfinite(sd_multiple))
    throw ConfigError("class breaks: sd_multiple = " + std::to_string(sd_multiple) +
                      ": must be > 0 (breaks at mean +- sd_multiple x SD); set e.g. 1");
  const std::vector<double> x = sorted_finite(values);
  need_two_distinct(x);
  const double n = static_cast<double>(x.size());
  double mean = 0;
  for (double v : x)
    mean += v;
  mean /= n;
  double ss = 0;
  for (double v : x)
    ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (n - 1.0));
  auto clamp = [&](double b) { return std::clamp(b, x.front(), x.back()); };
  return {x.front(), clamp(mean - sd_multiple * sd), clamp(mean + sd_multiple * sd), x.back()};
}

std::vector<std::size_t> assign_classes(std::span<const double> values,
                                        std::span<const double> breaks, IntervalClosure closure) {
  if (breaks.size() < 3) throw std::logic_error("assign_classes: need k + 1 >= 3 breaks");
  const std::size_t k = breaks.size() - 1;
  std::vector<std::size_t> out(values.size(), kNoClass);
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    const double v = values[idx];
    if (std::isnan(v)) continue;
    std::size_t n;
    if (closure == IntervalClosure::left)
      n = static_cast<std::size_t>(std::upper_bound(breaks.begin(), breaks.end(), v) -
                                   breaks.begin());
    else
      n = static_cast<std::size_t>(std::lower_bound(breaks.begin(), breaks.end(), v) -
                                   breaks.begin());
    out[idx] = std::clamp<std::size_t>(n, 1, k) - 1;
  }
  return out;
}

ClassFit class_fit(std::span<const double> values, std::span<const std::size_t> classes,
                   std::size_t k) {
  ClassFit fit;
  fit.counts.assign(k, 0);
  fit.class_mean.assign(k, 0.0);
  double total = 0;
  std::size_t n = 0;
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    if (classes[idx] == kNoClass) continue;
    ++fit.counts[classes[idx]];
    fit.class_mean[classes[idx]] += values[idx];
    total += values[idx];
    ++n;
  }
  for (std::size_t c = 0; c < k; ++c)
    fit.class_mean[c] =
        fit.counts[c] > 0 ? fit.class_mean[c] / static_cast<double>(fit.counts[c]) : kNaN;
  const double mean = n > 0 ? total / static_cast<double>(n) : kNaN;
  for (std::size_t idx = 0; idx < values.size(); ++idx) {
    if (classes[idx] == kNoClass) continue;
    const double d = values[idx] - mean;
    const double dc = values[idx] - fit.class_mean[classes[idx]];
    fit.sdam += d * d;
    fit.sdcm += dc * dc;
  }
  fit.gvf = fit.sdam > 0 ? 1.0 - fit.sdcm / fit.sdam : kNaN;
  return fit;
}

Classification classify_values(std::span<const double> values, BreakMethod method, std::size_t k,
                               double sd_multiple) {
  Classification out;
  out.method = method;
  switch (method) {
    case BreakMethod::fisher_jenks:
      out.partition = fisher_jenks(values, k);
      out.breaks = out.partition.midpoints;
      out.closure = IntervalClosure::left;
      break;
    case BreakMethod::quantile:
      out.breaks = quantile_breaks(values, k);
      out.closure = IntervalClosure::left;
      break;
    case BreakMethod::equal_interval:
      out.breaks = equal_interval_breaks(values, k);
      out.closure = IntervalClosure::left;
      break;
    case BreakMethod::mean_sd:
      out.breaks = mean_sd_breaks(values, sd_multiple);
      out.closure = IntervalClosure::left;
      break;
  }
  out.classes = assign_classes(values, out.breaks, out.closure);
  out.fit = class_fit(values, out.classes, out.breaks.size() - 1);
  return out;
}

}  // namespace minecarbon::stats
