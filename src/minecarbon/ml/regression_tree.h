// A grown regression tree, stored flat: parallel vectors indexed by node id, no pointers.
//
//   value[node]  split threshold of an internal node, or the prediction (in-bag mean of y) of a
//                leaf; double, so thresholds are exactly the midpoints ranger would use
//   left[node]   id of the left child; the right child is left + 1 (children are created in
//                pairs). 0 marks a leaf (the root, id 0, is nobody's child)
//   var[node]    split variable of an internal node (16 bits)
//
// 14 bytes per node (ranger: 32). Prediction walks from the root: go left when
// x[var] ≤ value, else right, until a leaf (ranger's and party's "x ≤ c → left" rule).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace minecarbon::ml {

class RegressionTree {
 public:
  RegressionTree() = default;
  // Takes the three node arrays (e.g. read from a model file); throws DataError unless they form
  // a tree: equal lengths ≥ 1, children inside the array and after their parent, variables
  // < n_features, finite values.
  RegressionTree(std::vector<double> value, std::vector<std::uint32_t> left,
                 std::vector<std::uint16_t> var, std::size_t n_features);

  std::size_t node_count() const { return value_.size(); }
  bool is_leaf(std::uint32_t node) const { return left_[node] == 0; }
  std::span<const double> values() const { return value_; }
  std::span<const std::uint32_t> left_children() const { return left_; }
  std::span<const std::uint16_t> split_vars() const { return var_; }

  // Leaf reached by a sample; feature(var) returns the sample's value of predictor var.
  template <class Feature>
  std::uint32_t leaf_of(Feature&& feature) const {
    std::uint32_t node = 0;
    while (left_[node] != 0) {
      node = left_[node] + (feature(var_[node]) <= value_[node] ? 0u : 1u);
    }
    return node;
  }

  template <class Feature>
  double predict(Feature&& feature) const {
    return value_[leaf_of(feature)];
  }

  // Bytes held by the node arrays.
  std::size_t memory_bytes() const {
    return value_.capacity() * sizeof(double) + left_.capacity() * sizeof(std::uint32_t) +
           var_.capacity() * sizeof(std::uint16_t);
  }

 private:
  friend class TreeGrower;
  std::vector<double> value_;
  std::vector<std::uint32_t> left_;
  std::vector<std::uint16_t> var_;
};

// Variables the tree splits on, ascending.
std::vector<std::uint16_t> split_variables(const RegressionTree& tree);

// Sorted distinct thresholds of the splits on each variable (n_features lists; empty for
// variables the tree does not use). With them, lower_bound(cuts, x) is the interval (c_k−1, c_k]
// holding x, the tree's own partition of that variable (party's cut(..., right = TRUE)).
std::vector<std::vector<double>> cutpoints_by_variable(const RegressionTree& tree,
                                                       std::size_t n_features);

}  // namespace minecarbon::ml
