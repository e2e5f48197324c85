// Kruskal–Wallis rank-sum test of k groups, as R stats::kruskal.test 4.2.
//
//   H = [12 / (N(N+1)) · Σ_i R_i² / n_i − 3(N+1)] / [1 − Σ (t³ − t) / (N³ − N)]
// R_i the sum of the midranks of group i among all N values, n_i its size, t the sizes of the
// groups of tied values (the tie correction). p = P(χ²_{k−1} ≥ H) (the large-sample
// approximation R uses; no exact small-sample distribution).
// Kruskal, W.H. & Wallis, W.A. (1952), JASA 47(260):583-621, doi:10.1080/01621459.1952.10483441.
//
// Domain: NaN values are dropped; empty groups are ignored. Fewer than 2 non-empty groups, or all
// values equal (the denominator 0): H and p are NaN (R stops with an error there).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace minecarbon::stats {

struct KruskalWallis {
  double h = 0;        // tie-corrected statistic
  std::size_t df = 0;  // non-empty groups − 1
  double p = 0;        // upper tail of χ²_df
  std::size_t n = 0;   // values used
};

// `values[i]` belongs to group `group[i]` (0-based group index).
KruskalWallis kruskal_wallis(std::span<const double> values, std::span<const std::size_t> group);

}  // namespace minecarbon::stats
