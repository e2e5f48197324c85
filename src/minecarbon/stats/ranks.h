// Ranks with ties averaged (midranks) and the tie sizes, the common step of the rank tests
// (kruskal.h, wilcoxon.h, spearman.h).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace minecarbon::stats {

struct Ranks {
  std::vector<double> rank;  // 1-based, ties share the mean of their positions
  double tie_sum = 0;        // Σ (t³ − t) over the groups of t tied values
};

// Ranks of `values` (no NaN: callers drop missing values first). Deterministic: a stable sort.
Ranks average_ranks(std::span<const double> values);

}  // namespace minecarbon::stats
