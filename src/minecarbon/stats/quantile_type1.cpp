#include "minecarbon/stats/quantile_type1.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::stats {

std::uint64_t type1_rank(std::uint64_t n, double p) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw ConfigError("quantile: probability " + format_plain(p) +
                      " is outside [0, 1]; give e.g. 0.05 for the 5th percentile");
  }
  // R 4.2 stats:::quantile.default, type 1: nppm = n·p, j = floor(nppm), h = nppm > j, the value
  // x[j + h] with x[0] = x[1].
  const double nppm = static_cast<double>(n) * p;
  const double j = std::floor(nppm);
  auto rank = static_cast<std::uint64_t>(j) + (nppm > j ? 1 : 0);
  return std::clamp<std::uint64_t>(rank, 1, std::max<std::uint64_t>(n, 1));
}

double quantile_type1_in_place(std::span<double> values, double p) {
  const std::uint64_t rank = type1_rank(values.size(), p);
  auto nth = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  // The total order makes the k-th element unique in bits (−0 and +0 are distinct), so the
  // result is the same as a full sort's whatever order the values came in.
  std::nth_element(values.begin(), nth, values.end(),
                   [](double a, double b) { return total_order_key(a) < total_order_key(b); });
  return *nth;
}

std::vector<double> quantiles_type1(std::span<const double> values,
                                    std::span<const double> probabilities) {
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double value : values)
    if (!std::isnan(value)) finite.push_back(value);
  std::vector<double> out;
  out.reserve(probabilities.size());
  for (double p : probabilities) {
    if (finite.empty()) {
      type1_rank(0, p);  // still rejects a bad p
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    // nth_element keeps the values a permutation, so the next p works on the same multiset.
    out.push_back(quantile_type1_in_place(finite, p));
  }
  return out;
}

}  // namespace minecarbon::stats
