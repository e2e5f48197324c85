#include "minecarbon/ml/quantile_forest.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/permutation_importance.h"
#include "minecarbon/core/parallel.h"

namespace minecarbon::ml {

namespace {
constexpr double kWeightSlack = 1e-12;  // relative, for F̂ ≥ α at exact boundaries
}

QuantileForest::QuantileForest(const Forest& forest, const Dataset& data, int threads)
    : forest_(forest) {
  check_forest_data(forest, data, "quantile forest");
  const std::span<const std::uint32_t> train = forest.training_rows();
  y_.resize(train.size());
  for (std::size_t pos = 0; pos < train.size(); ++pos)
    y_[pos] = data.y()[train[pos]];
  const std::size_t n_trees = forest.num_trees();
  leaf_start_.resize(n_trees);
  leaf_members_.resize(n_trees);
  run_in_workers(n_trees, threads, [&](ItemClaim& claim) {
    std::vector<std::uint32_t> leaf_of_row(train.size());
    for (std::size_t tree_idx; claim.next(tree_idx);) {
      const RegressionTree& tree = forest.tree(tree_idx);
      std::vector<std::uint32_t>& start = leaf_start_[tree_idx];
      start.assign(tree.node_count() + 1, 0);
      for (std::size_t pos = 0; pos < train.size(); ++pos) {
        const std::uint32_t row = train[pos];
        leaf_of_row[pos] = tree.leaf_of([&](std::size_t var) { return data.x(row, var); });
        ++start[leaf_of_row[pos] + 1];
      }
      for (std::size_t node = 0; node < tree.node_count(); ++node)
        start[node + 1] += start[node];
      std::vector<std::uint32_t>& members = leaf_members_[tree_idx];
      members.resize(train.size());
      std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
      for (std::size_t pos = 0; pos < train.size(); ++pos) {
        members[fill[leaf_of_row[pos]]++] = static_cast<std::uint32_t>(pos);
      }
    }
  });
}

std::vector<double> QuantileForest::predict(const FeatureView& x,
                                            std::span<const double> probabilities,
                                            int threads) const {
  for (double alpha : probabilities) {
    if (!(alpha >= 0.0 && alpha <= 1.0)) {
      std::ostringstream msg;
      msg << "quantile forest probability = " << alpha << ": must be in [0, 1]";
      throw ConfigError(msg.str());
    }
  }
  if (x.n_cols != forest_.num_features() || x.values.size() != x.n_rows * x.n_cols) {
    throw DataError("quantile forest predict: " + std::to_string(x.n_cols) +
                    " predictor columns given, the model was grown on " +
                    std::to_string(forest_.num_features()));
  }
  const std::size_t q = probabilities.size();
  std::vector<double> out(x.n_rows * q);
  run_in_workers(x.n_rows, threads, [&](ItemClaim& claim) {
    std::vector<double> weight(y_.size(), 0.0);
    std::vector<std::uint32_t> touched;
    std::vector<std::pair<double, double>> sorted;  // (y, weight)
    for (std::size_t row; claim.next(row);) {
      touched.clear();
      for (std::size_t tree_idx = 0; tree_idx < forest_.num_trees(); ++tree_idx) {
        const std::uint32_t leaf =
            forest_.tree(tree_idx).leaf_of([&](std::size_t var) { return x.x(row, var); });
        const std::vector<std::uint32_t>& start = leaf_start_[tree_idx];
        const std::uint32_t first = start[leaf], last = start[leaf + 1];
        if (first == last) continue;  // no training row reaches it (not for trees grown here)
        const double share = 1.0 / static_cast<double>(last - first);
        for (std::uint32_t k = first; k < last; ++k) {
          const std::uint32_t pos = leaf_members_[tree_idx][k];
          if (weight[pos] == 0.0) touched.push_back(pos);
          weight[pos] += share;
        }
      }
      sorted.clear();
      double total = 0.0;
      for (std::uint32_t pos : touched) {
        sorted.emplace_back(y_[pos], weight[pos]);
        total += weight[pos];
        weight[pos] = 0.0;
      }
      std::sort(sorted.begin(), sorted.end());
      for (std::size_t k = 0; k < q; ++k) {
        const double target = probabilities[k] * total * (1.0 - kWeightSlack);
        double cumulative = 0.0;
        double answer = sorted.empty() ? std::nan("") : sorted.back().first;
        for (const auto& [value, w] : sorted) {
          cumulative += w;
          if (cumulative >= target) {
            answer = value;
            break;
          }
        }
        out[row * q + k] = answer;
      }
    }
  });
  return out;
}

}  // namespace minecarbon::ml
