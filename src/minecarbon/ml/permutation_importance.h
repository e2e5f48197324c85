// Out-of-bag permutation importance (Breiman 2001; ranger importance = "permutation",
// randomForest %IncMSE unscaled).
//
// For each tree t and each variable j that t splits on:
//   Δ_tj = MSE_t(OOB rows, x_j permuted among them) − MSE_t(OOB rows)
// averaged over num_permutations shuffles. Trees that do not split on j give Δ_tj = 0 and still
// count in the mean:
//   importance_j     = (1/T) Σ_t Δ_tj                        (an MSE increase, in units of y²)
//   standard_error_j = sd_t(Δ_tj) / √T                       (Monte-Carlo error over trees)
// ranger's scale.permutation.importance = TRUE divides importance by (approximately) this SE.
//
// Cost O(T · p_used · |OOB| · depth). Parallel over trees in contiguous blocks; tree t permutes
// with its own stream (seed, permutation_importance, t), results merged in tree order: the same
// for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/core/progress.h"
#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/forest.h"

namespace minecarbon::ml {

struct PermutationImportanceParams {
  // Shuffles per tree and variable (ranger 1, party nperm 1). More: less noise, linear cost.
  std::size_t num_permutations = 1;
  std::uint64_t seed = 42;
  int threads = 1;
};

struct ImportanceResult {
  std::vector<std::string> names;
  std::vector<double> importance;        // (1/T) Σ_t Δ_tj
  std::vector<double> standard_error;    // sd over trees of Δ_tj / √T
  std::vector<std::size_t> trees_using;  // trees that split on the variable
  std::vector<double> per_tree;          // Δ_tj, T × p, row-major by tree
};

// `data` must be the dataset the forest was grown on (same rows and columns): the OOB rows are
// looked up by row id. Throws DataError if its shape differs, ConfigError for bad params.
// `progress` (optional, owned by the caller) advances by one per tree, forest.num_trees() in
// all, from the worker threads; the numbers do not depend on it.
ImportanceResult permutation_importance(const Forest& forest, const Dataset& data,
                                        const PermutationImportanceParams& params = {},
                                        Progress* progress = nullptr);

// Shared by the importance functions: checks that data has the forest's shape.
void check_forest_data(const Forest& forest, const Dataset& data, const char* what);

}  // namespace minecarbon::ml
