// Exact quantiles of values held in memory, defined as R `quantile(x, p, type = 1)`: the one
// in-memory definition (rs percentile bounds, CASA per-type NDVI extremes, and the reference the
// streamed two-pass version in streamed_quantile.h must equal bit for bit).
//
// Type 1 is the inverse of the empirical CDF (Hyndman & Fan 1996, The American Statistician
// 50(4):361, definition 1; R 4.2 `quantile.default`): with the n non-NaN values sorted
// x₍₁₎ ≤ … ≤ x₍ₙ₎ and p ∈ [0, 1], the p-quantile is x₍ᵣ₎ with r = ⌈n·p⌉ and r = 1 for p = 0. n·p is
// the double product, as R computes it (j = floor(n·p), r = j + (n·p > j)), so r matches R bit for
// bit. Being an order statistic the result is one of the values, so tests compare it exactly.
//
// Order of equal numbers: −0 sorts before +0 (the IEEE total order on bits), as in the streamed
// version, so which zero is returned depends only on the data. ±inf are ordinary values.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace minecarbon::stats {

// 1-based rank of R's type-1 p-quantile among n values; p in [0, 1] (ConfigError otherwise,
// including NaN), n ≥ 1 (n = 0 gives 1).
std::uint64_t type1_rank(std::uint64_t n, double p);

// Bits of a double mapped so that unsigned order is the IEEE total order (−0 before +0); the
// order both the in-memory and the streamed quantiles sort by.
inline std::uint64_t total_order_key(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  return (bits & kSign) ? ~bits : bits | kSign;
}

// The type-1 p-quantile of `values`, which must be non-empty and hold no NaN (the caller has
// removed them); reorders `values` (nth_element, O(n)) instead of copying them, for callers that
// own a scratch vector. ConfigError for p outside [0, 1].
double quantile_type1_in_place(std::span<double> values, double p);

// The type-1 quantiles of `values` for each p in `probabilities` (fractions, not percent), NaN
// skipped (R's `na.rm = TRUE`); NaN for each p when no value is left. Copies the values.
// ConfigError for p outside [0, 1].
std::vector<double> quantiles_type1(std::span<const double> values,
                                    std::span<const double> probabilities);

}  // namespace minecarbon::stats
