#include "minecarbon/rs/percentile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace minecarbon::rs {

std::size_t quantile_type1_rank(std::size_t n, double p) {
  if (!(p >= 0.0 && p <= 1.0))
    throw std::invalid_argument("quantile_type1_rank: p must be in [0, 1]");
  // R: nppm = n·p; j = floor(nppm); the value is x[j] when nppm == j, else x[j + 1]; x[0] = x[1].
  const double nppm = static_cast<double>(n) * p;
  const auto j = static_cast<std::size_t>(std::floor(nppm));
  const std::size_t rank = nppm > static_cast<double>(j) ? j + 1 : j;
  return std::clamp<std::size_t>(rank, 1, n);
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
      if (!(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument("quantiles_type1: p must be in [0, 1]");
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    const std::size_t rank = quantile_type1_rank(finite.size(), p);
    // nth_element on the whole vector: the values stay a permutation, so later ranks still work.
    std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(rank - 1),
                     finite.end());
    out.push_back(finite[rank - 1]);
  }
  return out;
}

}  // namespace minecarbon::rs
