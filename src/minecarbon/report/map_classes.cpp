#include "minecarbon/report/map_classes.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace minecarbon::report {
namespace {

std::size_t distinct_count(std::vector<double> sorted) {
  return static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
}

// k + 1 breaks of `finite` (sorted, at least 2 distinct values, k ≤ distinct).
std::vector<double> breaks_of(const std::vector<double>& finite, stats::BreakMethod method,
                              std::size_t k) {
  switch (method) {
    case stats::BreakMethod::quantile: {
      auto edges = stats::quantile_breaks(finite, k);
      // Quantiles of tied data repeat an edge; a repeated edge is an empty class, so drop it.
      edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
      return edges;
    }
    case stats::BreakMethod::equal_interval:
      return stats::equal_interval_breaks(finite, k);
    case stats::BreakMethod::fisher_jenks:
      return stats::fisher_jenks(finite, k).midpoints;
    case stats::BreakMethod::mean_sd:
      break;
  }
  throw std::invalid_argument("map_classes: mean_sd is not a map classification");
}

// Breaks of the non-negative `finite` values into up to `k` classes (one distinct value: one
// class [v, v]).
std::vector<double> breaks_up_to(const std::vector<double>& finite, stats::BreakMethod method,
                                 std::size_t k) {
  const std::size_t distinct = distinct_count(finite);
  if (distinct == 0) return {};
  if (distinct == 1) return {finite.front(), finite.front()};
  return breaks_of(finite, method, std::min(k, distinct));
}

}  // namespace

std::size_t MapClasses::class_of(double value) const {
  if (std::isnan(value) || edges.empty()) return stats::kNoClass;
  const auto above = std::upper_bound(edges.begin() + 1, edges.end() - 1, value);
  return static_cast<std::size_t>(above - (edges.begin() + 1));
}

MapClasses map_classes(std::span<const double> values, PaletteKind palette,
                       stats::BreakMethod method, std::size_t classes) {
  if (method == stats::BreakMethod::mean_sd)
    throw std::invalid_argument("map_classes: mean_sd is not a map classification");
  const bool diverging = palette == PaletteKind::diverging;
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(diverging ? std::fabs(v) : v);
  std::sort(finite.begin(), finite.end());

  MapClasses out;
  out.method = method;
  if (!diverging) {
    out.edges = breaks_up_to(finite, method, classes);
    return out;
  }
  // Mirror the magnitudes' breaks a_0 … a_h about 0; a_0 (the smallest |x|) is replaced by the
  // middle class's own bounds.
  const std::size_t half = (classes + 1) / 2;
  auto magnitudes = breaks_up_to(finite, method, half);
  if (magnitudes.empty()) return out;
  magnitudes.front() = 0.0;
  if (magnitudes.back() == 0.0) {  // every value is 0
    out.edges = {0.0, 0.0};
    return out;
  }
  const bool odd = classes % 2 == 1;
  for (std::size_t i = magnitudes.size(); i-- > 1;)
    out.edges.push_back(-magnitudes[i]);
  if (!odd) out.edges.push_back(0.0);
  for (std::size_t i = 1; i < magnitudes.size(); ++i)
    out.edges.push_back(magnitudes[i]);
  return out;
}

}  // namespace minecarbon::report
