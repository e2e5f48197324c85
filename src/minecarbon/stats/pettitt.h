// The Pettitt test for one change point in the level of a series (Pettitt 1979, "A non-parametric
// approach to the change-point problem", Applied Statistics 28(2):126-135, doi:10.2307/2346729).
//
// For the n finite points y_1..y_n of a series ordered by time t (points with a non-finite t or y
// are dropped first), with r_i the rank of y_i among them (mid-ranks for ties):
//
//   U_k = 2·Σ_{i≤k} r_i − k·(n + 1)  =  Σ_{i≤k} Σ_{j>k} sign(y_i − y_j),   k = 1..n−1
//   U*  = max_k |U_k|
//   K   = the k where |U_k| = U* (every arg max: `k_first` is the first, `k_count` how many)
//   p   ≈ min(1, 2·exp(−6·U*² / (n³ + n²)))   (Pettitt's approximation, good for p ≤ 0.5)
//
// K counts the observations of the first segment: the change happens after observation K, at
// `change_time` = t_K (the time of the last observation before the change). U_K > 0 means the
// values up to K are mostly larger than those after (a drop); `mean_before`, `mean_after` are the
// means of y over 1..K and K+1..n (first arg max), so a rule can ask for "a lower mean after K".
//
// The formula of R package trend 1.1.6 `pettitt.test` (docs/warning.md §2; the issue 12 methods note found it
// reproduces trend exactly). k stops at n − 1 because U_n = 0 for every series: including it
// would change only an all-equal series, by one more arg max. trend is not in Debian;
// tests/data/warning/make_expected.R computes the formula in R as the oracle.
//
// Domain and edges: time must be strictly increasing over the finite points
// (std::invalid_argument otherwise). Fewer than 2 finite points: n as counted, U*, p, times and
// means NaN, k_first = k_count = 0. All values equal: U* = 0, every k an arg max, p = 1.
// U_k is a sum of half-integers times 2, so U* is exact in double for any series that fits in
// memory.
#pragma once

#include <span>

namespace minecarbon::stats {

struct Pettitt {
  int n = 0;               // finite points used
  double u_star = 0;       // max_k |U_k|
  double u_at_k = 0;       // U_K at the first arg max, signed (> 0: a drop after K)
  int k_first = 0;         // first arg max, 1-based (observations before the change)
  int k_count = 0;         // how many k reach U*
  double change_time = 0;  // t of observation k_first
  double mean_before = 0;  // mean of y_1..y_K
  double mean_after = 0;   // mean of y_{K+1}..y_n
  double p = 0;            // approximate two-sided p
};

Pettitt pettitt(std::span<const double> time, std::span<const double> y);

}  // namespace minecarbon::stats
