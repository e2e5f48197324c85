// k-fold cross-validation of the random forest and grid search over its settings.
//
// Folds: the rows are shuffled with the stream (seed, cross_validation_folds, 0) and dealt out
// in turn, so fold sizes differ by at most one, and every grid point sees the same folds (a
// paired comparison). For fold k the forest is grown on the other folds (compute_oob off;
// the dataset's one global sort is reused) and predicts fold k:
//   RMSE_k = √( mean over fold k of (ŷ − y)² )
//   mean_rmse = (1/K) Σ_k RMSE_k,   sd_rmse = √( Σ_k (RMSE_k − mean)² / (K − 1) )
// (caret's RMSE and RMSESD). The grid is the cross product of the listed values; the best point
// has the lowest mean_rmse, the first in grid order on ties (mtry outermost, then
// min_node_size, max_depth, num_trees innermost). Each fit uses the base params' seed and
// threads, so results are identical for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "minecarbon/core/progress.h"
#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/forest.h"

namespace minecarbon::ml {

struct CrossValidationParams {
  // Folds, 2..n. The paper's tuning uses 3. More folds: training sets closer to the full data,
  // proportionally more fits.
  std::size_t folds = 3;
  // Seed of the fold assignment (independent of the forests' seed).
  std::uint64_t seed = 42;
};

// Fold (0..folds−1) of each of n_rows positions.
std::vector<std::uint32_t> assign_folds(std::size_t n_rows, std::size_t folds, std::uint64_t seed);

struct CrossValidationResult {
  std::vector<double> fold_rmse;
  double mean_rmse = 0.0;
  double sd_rmse = 0.0;
  // Out-of-fold prediction of each dataset row (NaN for rows not cross-validated).
  std::vector<double> predictions;
};

// Cross-validates on `rows` of data (empty: all rows). ConfigError for bad folds or params.
// `progress` (optional, owned by the caller) advances by one per fold fitted; it only reports,
// the numbers do not depend on it.
CrossValidationResult cross_validate(const Dataset& data, const ForestParams& params,
                                     const CrossValidationParams& cv = {},
                                     std::span<const std::uint32_t> rows = {},
                                     Progress* progress = nullptr);

struct GridSearchParams {
  // Values to try; an empty list keeps the base params' value.
  std::vector<std::size_t> mtry;
  std::vector<std::size_t> min_node_size;
  std::vector<std::size_t> max_depth;
  std::vector<std::size_t> num_trees;
  CrossValidationParams cv;
};

struct GridPoint {
  ForestParams params;  // as resolved (mtry 0 becomes floor(√p))
  std::vector<double> fold_rmse;
  double mean_rmse = 0.0;
  double sd_rmse = 0.0;
};

struct GridSearchResult {
  std::vector<GridPoint> points;
  std::size_t best = 0;  // index into points
};

// Forest fits a grid search makes (grid points × folds): the total to give a Progress.
std::size_t grid_search_fit_count(const GridSearchParams& grid);

// `progress` (optional) advances by one per forest fitted, grid_search_fit_count(grid) in all.
GridSearchResult grid_search(const Dataset& data, const ForestParams& base,
                             const GridSearchParams& grid, std::span<const std::uint32_t> rows = {},
                             Progress* progress = nullptr);

}  // namespace minecarbon::ml
