// Random-forest regression (Breiman 2001, Machine Learning 45:5-32,
// doi:10.1023/A:1010933404324), grown the way ranger grows it (Wright & Ziegler 2017, J. Stat.
// Softw. 77(1), doi:10.18637/jss.v077.i01); docs/random_forest.md has the full description.
//
//   prediction(x) = (1/T) Σ_t tree_t(x)                     T = num_trees
//   OOB prediction of row i = mean of tree_t(x_i) over the trees t whose sample did not draw i
//   OOB MSE = mean over rows with ≥ 1 OOB tree of (OOB prediction − y_i)²   (ranger's
//             prediction.error; OOB RMSE = its square root)
//   impurity importance of variable j = (1/T) Σ_t Σ_{splits on j in t} (weighted SSE decrease),
//             unnormalised, as ranger's importance = "impurity"
//
// Determinism: tree t draws its bootstrap sample and its mtry candidates from its own stream
// (seed, tree_growth, t) (core/random.h); trees are split over threads in contiguous blocks
// and every per-tree result is merged in tree order, so the same seed gives bit-identical trees,
// predictions, OOB predictions and importances for any thread count.
//
// Memory: the trees (14 bytes per node; about 0.67·n nodes per tree at min_node_size 5), one
// in-bag bit per (tree, row), n doubles of OOB sums, and while fitting, per thread, the grower's
// scratch (4·p·n bytes) plus the OOB predictions of the trees outside the first thread's block
// (8 bytes per OOB row per tree) until they are merged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/regression_tree.h"

namespace minecarbon::ml {

struct ForestParams {
  // Trees. More trees lower the Monte-Carlo noise of predictions and importances (roughly as
  // 1/√T); time and memory grow linearly. ranger: 500.
  std::size_t num_trees = 500;
  // Candidate variables drawn per split, 1..p; 0 = floor(√p), at least 1 (ranger's default;
  // 3 for p = 11). Larger mtry: greedier, more correlated trees (p = bagging); smaller: more
  // diverse trees and faster growth. Tune it: it matters more than anything else here.
  std::size_t mtry = 0;
  // Nodes with ≤ this many bootstrap draws are not split (ranger min.node.size, randomForest
  // nodesize; 5 for regression). Smaller: deeper trees, lower bias, more memory.
  std::size_t min_node_size = 5;
  // Minimum draws in each child of a split (ranger min.bucket, default 1).
  std::size_t min_bucket = 1;
  // Maximum depth, root = 0 (1 grows stumps); 0 = unlimited (ranger max.depth = NULL).
  std::size_t max_depth = 0;
  // Bootstrap with replacement (ranger's default), or subsample without replacement (party's
  // cforest_unbiased; use with sample_fraction 0.632).
  bool replace = true;
  // Draws per tree as a fraction of the training rows, in (0, 1]: floor(fraction·n) draws.
  // 0 = ranger's default: 1 with replacement, 0.632 without.
  double sample_fraction = 0.0;
  // Seed of every tree's random stream.
  std::uint64_t seed = 42;
  // Worker threads (≤ 0: all hardware threads). Results do not depend on it.
  int threads = 1;
  // Compute OOB predictions while growing (one pass of each tree's OOB rows). Off for fits whose
  // OOB error nobody reads (cross-validation folds).
  bool compute_oob = true;
};

// Checks params against the data and fills the defaults (mtry, sample_fraction). Throws
// ConfigError naming the parameter, its value and the rule.
ForestParams resolve_forest_params(const ForestParams& params, std::size_t n_features,
                                   std::size_t n_training_rows);

class Forest {
 public:
  Forest() = default;

  const ForestParams& params() const { return params_; }  // as resolved
  std::size_t num_trees() const { return trees_.size(); }
  std::size_t num_features() const { return feature_names_.size(); }
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  const RegressionTree& tree(std::size_t tree_idx) const { return trees_[tree_idx]; }
  const std::vector<RegressionTree>& trees() const { return trees_; }

  // Rows of the dataset the forest was grown on; training_rows() ⊆ [0, num_data_rows()).
  std::size_t num_data_rows() const { return num_data_rows_; }
  std::span<const std::uint32_t> training_rows() const { return training_rows_; }
  // Whether tree_idx's sample drew the row (false for rows outside training_rows()).
  bool in_bag(std::size_t tree_idx, std::size_t row) const {
    return (bags_[tree_idx * bag_words_ + row / 64] >> (row % 64)) & 1u;
  }
  // Training rows tree_idx's sample did not draw, ascending.
  std::vector<std::uint32_t> oob_rows(std::size_t tree_idx) const;

  // Per dataset row: mean of the OOB trees' predictions; NaN where no tree left the row out (or
  // compute_oob was off, or the row was not a training row).
  std::span<const double> oob_predictions() const { return oob_predictions_; }
  std::span<const std::uint32_t> oob_tree_counts() const { return oob_counts_; }
  // MSE of the OOB predictions over the rows that have one; NaN if none.
  double oob_mse() const { return oob_mse_; }
  std::size_t oob_rows_evaluated() const { return oob_rows_evaluated_; }

  // (1/T) Σ weighted SSE decrease of the splits on each variable.
  std::span<const double> impurity_importance() const { return impurity_importance_; }

  // Predictions at every row of x (column-major, num_features() columns), parallel over rows;
  // the same for any thread count. DataError if x has the wrong number of columns.
  std::vector<double> predict(const FeatureView& x, int threads = 1) const;
  // Prediction at one sample given as its num_features() predictor values.
  double predict_one(std::span<const double> features) const;

  std::size_t node_count() const;
  std::size_t memory_bytes() const;

 private:
  friend Forest fit_forest(const Dataset&, const ForestParams&, std::span<const std::uint32_t>);
  friend class ForestSerializer;

  ForestParams params_;
  std::vector<std::string> feature_names_;
  std::vector<RegressionTree> trees_;
  std::size_t num_data_rows_ = 0;
  std::vector<std::uint32_t> training_rows_;
  std::size_t bag_words_ = 0;
  std::vector<std::uint64_t> bags_;  // num_trees × bag_words_ in-bag bits
  std::vector<double> oob_predictions_;
  std::vector<std::uint32_t> oob_counts_;
  double oob_mse_ = 0.0;
  std::size_t oob_rows_evaluated_ = 0;
  std::vector<double> impurity_importance_;
};

// Grows a forest on `rows` of data (empty: all rows). Throws ConfigError for bad parameters or
// rows outside the data.
Forest fit_forest(const Dataset& data, const ForestParams& params,
                  std::span<const std::uint32_t> rows = {});

}  // namespace minecarbon::ml
