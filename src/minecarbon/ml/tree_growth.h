// Growing one regression tree by variance reduction (CART; Breiman et al. 1984), with ranger's
// split rule (Wright & Ziegler 2017, J. Stat. Softw. 77(1), doi:10.18637/jss.v077.i01).
//
// A node holds in-bag rows with bootstrap weights w_i (draw counts; duplicates are counted, not
// copied). For a candidate variable and threshold c, with L = {x ≤ c} and R = the rest,
//
//   score(c) = S_L² / W_L + S_R² / W_R,   S = Σ w_i·y_i,  W = Σ w_i   (over the child's rows)
//
// which is the node's sum of squared errors minus the children's, plus the constant S²/W: the
// best split maximises it. Candidate thresholds are the midpoints of adjacent distinct values
// present among the node's rows (the lower value if the midpoint rounds onto the upper one).
// Ties go to the first candidate in mtry draw order, then the lowest threshold (strict >). Every
// admissible split is taken, even one that does not lower the error (no minimum improvement).
//
// A node becomes a leaf, predicting S/W, when W ≤ min_node_size (ranger: "nodes with ≤
// min.node.size draws are not split"), its depth reaches max_depth, its y values are all equal,
// or no split leaves ≥ min_bucket draws on both sides.
//
// Split search: each variable's in-bag rows are kept sorted by value in one array per variable
// (built once per tree from the dataset's global sort). A node is a range of each array; its
// split search is one linear scan per candidate (no sorting, no histogram over all unique
// values), and splitting a node stably partitions every variable's range in place. Cost per tree
// O(n·p + Σ_nodes m·(p + mtry)), m = rows in the node. Node arrays: 14 bytes per node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "minecarbon/ml/dataset.h"
#include "minecarbon/core/random.h"
#include "minecarbon/ml/regression_tree.h"

namespace minecarbon::ml {

// Settings of one tree, already validated and resolved by the forest.
struct TreeGrowParams {
  std::size_t mtry = 1;           // candidate variables drawn per node, 1..p
  std::size_t min_node_size = 5;  // nodes with ≤ this many draws become leaves
  std::size_t min_bucket = 1;     // minimum draws in each child
  std::size_t max_depth = 0;      // root has depth 0; 0 = unlimited
};

// Reusable scratch space for growing trees on one dataset (one per thread).
class TreeGrower {
 public:
  explicit TreeGrower(const Dataset& data);

  // Grows a tree on the rows with weight[row] > 0 (weights are bootstrap draw counts, sized
  // n_rows). Draws the mtry candidates from `rng`. Adds each split's impurity decrease
  // (score − S²/W, the weighted SSE reduction) to impurity_decrease[var].
  RegressionTree grow(std::span<const std::uint32_t> weight, const TreeGrowParams& params,
                      RandomStream& rng, std::span<double> impurity_decrease);

 private:
  struct NodeRange {
    std::uint32_t begin;
    std::uint32_t end;
    std::uint32_t depth;
  };
  struct RowStat {
    double wy;  // w·y
    double w;   // draw count
  };
  struct Split {
    double score;
    double threshold;
    std::uint32_t var;
    std::uint32_t left_end;  // rows [begin, left_end) of var's range go left
  };

  void fill_sorted_lists(std::span<const std::uint32_t> weight);
  bool find_best_split(const NodeRange& node, double sum, double weight, std::size_t mtry,
                       std::size_t min_bucket, RandomStream& rng, Split& best);
  void partition(const NodeRange& node, const Split& split);

  const Dataset& data_;
  std::size_t n_inbag_ = 0;
  std::vector<std::uint32_t> lists_;  // n_cols ranges of n_inbag_ rows, each sorted by value
  std::vector<std::uint32_t> spill_;  // right-hand rows during a partition
  std::vector<std::uint8_t> goes_left_;
  std::vector<RowStat> stats_;
  std::vector<NodeRange> nodes_;
  std::vector<std::uint32_t> var_pool_;
};

}  // namespace minecarbon::ml
