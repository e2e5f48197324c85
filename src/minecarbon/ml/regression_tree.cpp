#include "minecarbon/ml/regression_tree.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "minecarbon/core/errors.h"

namespace minecarbon::ml {

RegressionTree::RegressionTree(std::vector<double> value, std::vector<std::uint32_t> left,
                               std::vector<std::uint16_t> var, std::size_t n_features)
    : value_(std::move(value)), left_(std::move(left)), var_(std::move(var)) {
  const std::size_t n = value_.size();
  if (n == 0 || left_.size() != n || var_.size() != n) {
    throw DataError("regression tree: node arrays of sizes " + std::to_string(value_.size()) +
                    ", " + std::to_string(left_.size()) + ", " + std::to_string(var_.size()) +
                    ": expected three equal, non-zero sizes");
  }
  for (std::size_t node = 0; node < n; ++node) {
    if (!std::isfinite(value_[node])) {
      throw DataError("regression tree: node " + std::to_string(node) +
                      " has a non-finite value; the model is corrupt");
    }
    if (left_[node] == 0) continue;
    const bool valid = left_[node] > node && static_cast<std::size_t>(left_[node]) + 1 < n &&
                       var_[node] < n_features;
    if (!valid) {
      throw DataError("regression tree: node " + std::to_string(node) + " has children " +
                      std::to_string(left_[node]) + "/" + std::to_string(left_[node] + 1) +
                      " and variable " + std::to_string(var_[node]) + " (" + std::to_string(n) +
                      " nodes, " + std::to_string(n_features) + " features): the model is corrupt");
    }
  }
}

std::vector<std::uint16_t> split_variables(const RegressionTree& tree) {
  std::vector<std::uint16_t> vars;
  for (std::uint32_t node = 0; node < tree.node_count(); ++node) {
    if (!tree.is_leaf(node)) vars.push_back(tree.split_vars()[node]);
  }
  std::sort(vars.begin(), vars.end());
  vars.erase(std::unique(vars.begin(), vars.end()), vars.end());
  return vars;
}

std::vector<std::vector<double>> cutpoints_by_variable(const RegressionTree& tree,
                                                       std::size_t n_features) {
  std::vector<std::vector<double>> cuts(n_features);
  for (std::uint32_t node = 0; node < tree.node_count(); ++node) {
    if (!tree.is_leaf(node)) cuts[tree.split_vars()[node]].push_back(tree.values()[node]);
  }
  for (auto& list : cuts) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return cuts;
}

}  // namespace minecarbon::ml
