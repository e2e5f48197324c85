// Internal to ml/: turns a per-tree importance matrix into means and Monte-Carlo errors.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/ml/permutation_importance.h"

namespace minecarbon::ml {

// importance_j = (1/T) Σ_t Δ_tj; standard_error_j = sd_t(Δ_tj) / √T (sd with T − 1); sums taken
// in tree order.
inline ImportanceResult summarize_importance(const std::vector<std::string>& names,
                                             std::size_t n_trees, std::vector<double> per_tree,
                                             const std::vector<std::uint8_t>& used) {
  const std::size_t n_cols = names.size();
  ImportanceResult result;
  result.names = names;
  result.importance.assign(n_cols, 0.0);
  result.standard_error.assign(n_cols, 0.0);
  result.trees_using.assign(n_cols, 0);
  for (std::size_t tree_idx = 0; tree_idx < n_trees; ++tree_idx) {
    for (std::size_t col = 0; col < n_cols; ++col) {
      result.importance[col] += per_tree[tree_idx * n_cols + col];
      result.trees_using[col] += used[tree_idx * n_cols + col];
    }
  }
  const double trees = static_cast<double>(n_trees);
  for (double& value : result.importance)
    value /= trees;
  if (n_trees > 1) {
    for (std::size_t tree_idx = 0; tree_idx < n_trees; ++tree_idx) {
      for (std::size_t col = 0; col < n_cols; ++col) {
        const double deviation = per_tree[tree_idx * n_cols + col] - result.importance[col];
        result.standard_error[col] += deviation * deviation;
      }
    }
    for (double& value : result.standard_error)
      value = std::sqrt(value / (trees - 1) / trees);
  }
  result.per_tree = std::move(per_tree);
  return result;
}

}  // namespace minecarbon::ml
