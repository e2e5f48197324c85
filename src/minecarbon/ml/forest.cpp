#include "minecarbon/ml/forest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/random.h"
#include "minecarbon/ml/tree_growth.h"

namespace minecarbon::ml {

namespace {

// Rows per unit of work in predict(): small enough that threads share the rows evenly when one
// is slowed down, large enough that each tree's upper levels are reused from cache.
constexpr std::size_t kPredictChunkRows = 1024;

std::size_t draws_per_tree(const ForestParams& params, std::size_t n_training_rows) {
  return static_cast<std::size_t>(
      std::floor(params.sample_fraction * static_cast<double>(n_training_rows)));
}

std::vector<std::uint32_t> checked_rows(std::span<const std::uint32_t> rows, std::size_t n_rows) {
  std::vector<std::uint32_t> out;
  if (rows.empty()) {
    out.resize(n_rows);
    std::iota(out.begin(), out.end(), 0u);
    return out;
  }
  out.assign(rows.begin(), rows.end());
  std::sort(out.begin(), out.end());
  for (std::size_t idx = 0; idx < out.size(); ++idx) {
    if (out[idx] >= n_rows) {
      throw ConfigError("random forest rows: row " + std::to_string(out[idx]) +
                        " is outside the data (" + std::to_string(n_rows) + " rows)");
    }
    if (idx > 0 && out[idx] == out[idx - 1]) {
      throw ConfigError("random forest rows: row " + std::to_string(out[idx]) +
                        " is listed twice; give each training row once");
    }
  }
  if (out.size() < 2) {
    throw ConfigError("random forest rows: " + std::to_string(out.size()) +
                      " training row(s): at least 2 are needed");
  }
  return out;
}

}  // namespace

ForestParams resolve_forest_params(const ForestParams& params, std::size_t n_features,
                                   std::size_t n_training_rows) {
  ForestParams out = params;
  if (out.num_trees < 1) {
    throw ConfigError("random forest num_trees = 0: must be >= 1 (ranger's default is 500)");
  }
  if (out.mtry == 0) {
    out.mtry = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::floor(std::sqrt(static_cast<double>(n_features)))));
  }
  if (out.mtry > n_features) {
    throw ConfigError("random forest mtry = " + std::to_string(params.mtry) +
                      ": must be between 1 and the number of predictors (" +
                      std::to_string(n_features) + "); 0 means floor(sqrt(p))");
  }
  if (out.min_node_size < 1) {
    throw ConfigError("random forest min_node_size = 0: must be >= 1 (ranger's default is 5)");
  }
  if (out.min_bucket < 1) {
    throw ConfigError("random forest min_bucket = 0: must be >= 1 (ranger's default is 1)");
  }
  if (out.sample_fraction == 0.0) out.sample_fraction = out.replace ? 1.0 : 0.632;
  if (!(out.sample_fraction > 0.0 && out.sample_fraction <= 1.0)) {
    std::ostringstream msg;
    msg << "random forest sample_fraction = " << params.sample_fraction
        << ": must be in (0, 1]; 0 means 1 with replacement, 0.632 without";
    throw ConfigError(msg.str());
  }
  if (draws_per_tree(out, n_training_rows) < 1) {
    std::ostringstream msg;
    msg << "random forest sample_fraction = " << out.sample_fraction << ": draws nobody from "
        << n_training_rows << " training rows; raise it to at least " << 1.0 / n_training_rows;
    throw ConfigError(msg.str());
  }
  return out;
}

std::vector<std::uint32_t> Forest::oob_rows(std::size_t tree_idx) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t row : training_rows_) {
    if (!in_bag(tree_idx, row)) out.push_back(row);
  }
  return out;
}

std::vector<double> Forest::predict(const FeatureView& x, int threads) const {
  if (x.n_cols != num_features()) {
    throw DataError("random forest predict: " + std::to_string(x.n_cols) +
                    " predictor columns given, the model was grown on " +
                    std::to_string(num_features()) + "; pass the same columns in the same order");
  }
  if (x.values.size() != x.n_rows * x.n_cols) {
    throw DataError("random forest predict: " + std::to_string(x.values.size()) + " values for " +
                    std::to_string(x.n_rows) + " rows × " + std::to_string(x.n_cols) + " columns");
  }
  std::vector<double> out(x.n_rows, 0.0);
  // Rows in chunks handed out to the threads as they come free; within a chunk, tree by tree
  // (the tree's upper levels stay in cache), each row's sum taken in tree order.
  const std::size_t n_chunks = (x.n_rows + kPredictChunkRows - 1) / kPredictChunkRows;
  const double inv = 1.0 / static_cast<double>(trees_.size());
  run_in_workers(n_chunks, threads, [&](ItemClaim& claim) {
    for (std::size_t chunk; claim.next(chunk);) {
      const std::size_t begin = chunk * kPredictChunkRows;
      const std::size_t end = std::min(x.n_rows, begin + kPredictChunkRows);
      for (const RegressionTree& tree : trees_) {
        for (std::size_t row = begin; row < end; ++row) {
          out[row] += tree.predict([&](std::size_t var) { return x.x(row, var); });
        }
      }
      for (std::size_t row = begin; row < end; ++row)
        out[row] *= inv;
    }
  });
  return out;
}

double Forest::predict_one(std::span<const double> features) const {
  if (features.size() != num_features()) {
    throw DataError("random forest predict: " + std::to_string(features.size()) +
                    " predictor values given, the model was grown on " +
                    std::to_string(num_features()));
  }
  double sum = 0.0;
  for (const RegressionTree& tree : trees_) {
    sum += tree.predict([&](std::size_t var) { return features[var]; });
  }
  return sum * (1.0 / static_cast<double>(trees_.size()));
}

std::size_t Forest::node_count() const {
  std::size_t total = 0;
  for (const auto& tree : trees_)
    total += tree.node_count();
  return total;
}

std::size_t Forest::memory_bytes() const {
  std::size_t total = bags_.capacity() * sizeof(std::uint64_t) +
                      oob_predictions_.capacity() * sizeof(double) +
                      oob_counts_.capacity() * sizeof(std::uint32_t) +
                      training_rows_.capacity() * sizeof(std::uint32_t);
  for (const auto& tree : trees_)
    total += tree.memory_bytes();
  return total;
}

Forest fit_forest(const Dataset& data, const ForestParams& params,
                  std::span<const std::uint32_t> rows) {
  Forest forest;
  forest.training_rows_ = checked_rows(rows, data.n_rows());
  const std::vector<std::uint32_t>& train = forest.training_rows_;
  forest.params_ = resolve_forest_params(params, data.n_cols(), train.size());
  const ForestParams& p = forest.params_;
  forest.feature_names_ = data.names();
  forest.num_data_rows_ = data.n_rows();
  const std::size_t n_rows = data.n_rows(), n_cols = data.n_cols(), n_trees = p.num_trees;
  const std::size_t n_draws = draws_per_tree(p, train.size());
  forest.bag_words_ = (n_rows + 63) / 64;
  forest.bags_.assign(n_trees * forest.bag_words_, 0);
  forest.trees_.resize(n_trees);
  std::vector<double> impurity_per_tree(n_trees * n_cols, 0.0);
  std::vector<double> oob_sum(p.compute_oob ? n_rows : 0, 0.0);
  std::vector<std::uint32_t> oob_count(p.compute_oob ? n_rows : 0, 0);
  const TreeGrowParams grow_params{p.mtry, p.min_node_size, p.min_bucket, p.max_depth};

  // OOB predictions are added to the row sums in tree order, so the sums are the same bits for
  // any thread count: a tree's predictions wait in `oob_pending` until every lower-numbered tree
  // has been added. Trees are handed out in increasing order, so only the trees grown ahead of
  // the slowest running one wait (about one per thread), not a fixed half of the forest.
  std::vector<std::vector<double>> oob_pending(n_trees);
  std::vector<std::uint8_t> oob_ready(n_trees, 0);
  std::size_t oob_merged = 0;  // trees [0, oob_merged) are in oob_sum
  std::mutex oob_mutex;
  const auto add_oob = [&](std::size_t tree_idx) {
    const std::vector<double>& pending = oob_pending[tree_idx];
    std::size_t next = 0;
    for (std::uint32_t row : train) {
      if (forest.in_bag(tree_idx, row)) continue;
      oob_sum[row] += pending[next++];
      ++oob_count[row];
    }
    std::vector<double>().swap(oob_pending[tree_idx]);
  };

  run_in_workers(n_trees, p.threads, [&](ItemClaim& claim) {
    TreeGrower grower(data);
    std::vector<std::uint32_t> weight(n_rows, 0);
    std::vector<std::uint32_t> pool;
    // Impurity decreases of the tree being grown: summed here, not in impurity_per_tree, whose
    // neighbouring trees (sharing a cache line) are being grown by the other threads.
    std::vector<double> impurity(n_cols);
    for (std::size_t tree_idx; claim.next(tree_idx);) {
      RandomStream rng(p.seed, StreamPurpose::tree_growth, tree_idx);
      std::fill(weight.begin(), weight.end(), 0u);
      if (p.replace) {
        for (std::size_t draw = 0; draw < n_draws; ++draw) {
          ++weight[train[rng.uniform_index(train.size())]];
        }
      } else {  // partial Fisher-Yates over a fresh copy, so the draw depends on the tree only
        pool.assign(train.begin(), train.end());
        for (std::size_t draw = 0; draw < n_draws; ++draw) {
          const std::size_t other = draw + rng.uniform_index(pool.size() - draw);
          std::swap(pool[draw], pool[other]);
          weight[pool[draw]] = 1;
        }
      }
      std::uint64_t* bag = forest.bags_.data() + tree_idx * forest.bag_words_;
      for (std::uint32_t row : train) {
        if (weight[row] != 0) bag[row / 64] |= std::uint64_t{1} << (row % 64);
      }
      std::fill(impurity.begin(), impurity.end(), 0.0);
      forest.trees_[tree_idx] = grower.grow(weight, grow_params, rng, impurity);
      std::copy(impurity.begin(), impurity.end(), impurity_per_tree.begin() + tree_idx * n_cols);
      if (!p.compute_oob) continue;
      const RegressionTree& tree = forest.trees_[tree_idx];
      std::vector<double> pending;
      pending.reserve(static_cast<std::size_t>(std::count_if(
          train.begin(), train.end(), [&](std::uint32_t row) { return weight[row] == 0; })));
      for (std::uint32_t row : train) {
        if (weight[row] != 0) continue;
        pending.push_back(tree.predict([&](std::size_t var) { return data.x(row, var); }));
      }
      const std::lock_guard<std::mutex> lock(oob_mutex);
      oob_pending[tree_idx] = std::move(pending);
      oob_ready[tree_idx] = 1;
      while (oob_merged < n_trees && oob_ready[oob_merged]) {
        add_oob(oob_merged++);
      }
    }
  });

  if (p.compute_oob) {
    forest.oob_predictions_.assign(n_rows, kNaN);
    double sum_sq = 0.0;
    std::size_t evaluated = 0;
    for (std::uint32_t row : train) {
      if (oob_count[row] == 0) continue;
      const double prediction = oob_sum[row] / oob_count[row];
      forest.oob_predictions_[row] = prediction;
      const double error = prediction - data.y()[row];
      sum_sq += error * error;
      ++evaluated;
    }
    forest.oob_counts_ = std::move(oob_count);
    forest.oob_rows_evaluated_ = evaluated;
    forest.oob_mse_ = evaluated > 0 ? sum_sq / static_cast<double>(evaluated) : kNaN;
  } else {
    forest.oob_mse_ = kNaN;
  }

  forest.impurity_importance_.assign(n_cols, 0.0);
  for (std::size_t tree_idx = 0; tree_idx < n_trees; ++tree_idx) {
    for (std::size_t col = 0; col < n_cols; ++col) {
      forest.impurity_importance_[col] += impurity_per_tree[tree_idx * n_cols + col];
    }
  }
  for (double& value : forest.impurity_importance_)
    value /= static_cast<double>(n_trees);
  return forest;
}

}  // namespace minecarbon::ml
