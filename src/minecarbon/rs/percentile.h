// Exact percentiles of values held in memory, defined as R `quantile(type = 1)`.
//
// Type 1 is the inverse of the empirical CDF: with the n values sorted x₍₁₎ ≤ … ≤ x₍ₙ₎ and
// p ∈ [0, 1], the result is x₍ₖ₎ with k = ⌈n·p⌉ (n·p computed in double as R does), k = 1 for
// p = 0 (Hyndman & Fan 1996, The American Statistician 50(4):361, definition 1; R 4.2
// `quantile.default`). Being an order statistic it is one of the values, so tests compare it
// exactly. NaN values are skipped (R's `na.rm = TRUE`).
//
// Edge behaviour: no finite value → NaN; p outside [0, 1] or NaN → std::invalid_argument (the
// caller validates its options first). Percentiles of rasters too large for memory are streamed
// by the block machinery; this is the in-memory definition they must equal.
#pragma once

#include <span>
#include <vector>

namespace minecarbon::rs {

// 1-based rank of the type-1 quantile p among n values (n > 0).
std::size_t quantile_type1_rank(std::size_t n, double p);

// Type-1 quantiles of `values` for each p in `probabilities` (fractions, not percent).
std::vector<double> quantiles_type1(std::span<const double> values,
                                    std::span<const double> probabilities);

}  // namespace minecarbon::rs
