#include "minecarbon/ml/tree_growth.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace minecarbon::ml {

namespace {

// The split scan walks a variable's sorted row list in order but reads each row's statistics and
// rank at scattered addresses (several MB at n = 100,000: beyond the core's own cache). Asking
// for them this many rows ahead hides most of the wait, which matters most right after the
// thread was descheduled and a competing process has refilled the caches
// (bench/RESULTS_rf.md, "Behaviour under load"). Prefetches change no result.
constexpr std::uint32_t kPrefetchDistance = 12;

// Prefetches first[list[pos]] and second[list[pos]] when pos < end.
template <class First, class Second>
inline void prefetch_row(const First* first, const Second* second, const std::uint32_t* list,
                         std::uint32_t pos, std::uint32_t end) {
#if defined(__GNUC__) || defined(__clang__)
  if (pos < end) {
    __builtin_prefetch(first + list[pos]);
    __builtin_prefetch(second + list[pos]);
  }
#else
  (void)first, (void)second, (void)list, (void)pos, (void)end;
#endif
}

}  // namespace

TreeGrower::TreeGrower(const Dataset& data)
    : data_(data), goes_left_(data.n_rows()), stats_(data.n_rows()), var_pool_(data.n_cols()) {
  std::iota(var_pool_.begin(), var_pool_.end(), 0u);
}

void TreeGrower::fill_sorted_lists(std::span<const std::uint32_t> weight) {
  const std::size_t n_rows = data_.n_rows();
  const std::span<const double> y = data_.y();
  n_inbag_ = 0;
  for (std::size_t row = 0; row < n_rows; ++row) {
    if (weight[row] == 0) continue;
    ++n_inbag_;
    const double w = static_cast<double>(weight[row]);
    stats_[row] = {w * y[row], w};
  }
  lists_.resize(data_.n_cols() * n_inbag_ + 1);  // +1: the branchless fill writes one ahead
  spill_.resize(n_inbag_);
  for (std::size_t col = 0; col < data_.n_cols(); ++col) {
    std::uint32_t* out = lists_.data() + col * n_inbag_;
    for (std::uint32_t row : data_.rows_by_value(col)) {
      *out = row;
      out += weight[row] != 0 ? 1 : 0;
    }
  }
}

bool TreeGrower::find_best_split(const NodeRange& node, double sum, double weight, std::size_t mtry,
                                 std::size_t min_bucket, RandomStream& rng, Split& best) {
  const std::size_t n_cols = var_pool_.size();
  for (std::size_t k = 0; k < mtry; ++k) {
    const std::size_t other = k + rng.uniform_index(n_cols - k);
    std::swap(var_pool_[k], var_pool_[other]);
  }
  const double min_weight = static_cast<double>(min_bucket);
  best.score = -1.0;
  bool found = false;
  for (std::size_t k = 0; k < mtry; ++k) {
    const std::uint32_t var = var_pool_[k];
    const std::uint32_t* list = lists_.data() + var * n_inbag_;
    const std::uint32_t* ranks = data_.ranks(var).data();
    const RowStat* stats = stats_.data();
    double sum_left = 0.0, weight_left = 0.0;
    std::uint32_t rank_here = ranks[list[node.begin]];
    for (std::uint32_t pos = node.begin; pos + 1 < node.end; ++pos) {
      prefetch_row(stats, ranks, list, pos + kPrefetchDistance, node.end);
      const RowStat& stat = stats[list[pos]];
      sum_left += stat.wy;
      weight_left += stat.w;
      const std::uint32_t rank_next = ranks[list[pos + 1]];
      if (rank_next == rank_here) continue;  // no threshold between equal values
      rank_here = rank_next;
      const double weight_right = weight - weight_left;
      if (weight_right < min_weight) break;
      if (weight_left < min_weight) continue;
      const double sum_right = sum - sum_left;
      const double score = sum_left * sum_left / weight_left + sum_right * sum_right / weight_right;
      if (score > best.score) {
        best.score = score;
        best.var = var;
        best.left_end = pos + 1;
        found = true;
      }
    }
  }
  if (!found) return false;
  const std::uint32_t* list = lists_.data() + best.var * n_inbag_;
  const double lower = data_.x(list[best.left_end - 1], best.var);
  const double upper = data_.x(list[best.left_end], best.var);
  double mid = (lower + upper) / 2.0;
  if (!std::isfinite(mid)) mid = lower / 2.0 + upper / 2.0;
  best.threshold = mid < upper ? mid : lower;  // midpoint, or the lower value if it rounds up
  return true;
}

void TreeGrower::partition(const NodeRange& node, const Split& split) {
  const std::uint32_t* split_list = lists_.data() + split.var * n_inbag_;
  for (std::uint32_t pos = node.begin; pos < split.left_end; ++pos)
    goes_left_[split_list[pos]] = 1;
  for (std::uint32_t pos = split.left_end; pos < node.end; ++pos)
    goes_left_[split_list[pos]] = 0;
  for (std::size_t var = 0; var < var_pool_.size(); ++var) {
    if (var == split.var) continue;  // already ordered: its left rows are its lowest values
    std::uint32_t* list = lists_.data() + var * n_inbag_;
    std::uint32_t* spill = spill_.data();
    std::uint32_t kept = node.begin, spilled = 0;
    for (std::uint32_t pos = node.begin; pos < node.end; ++pos) {
      const std::uint32_t row = list[pos];
      const std::uint32_t left = goes_left_[row];
      list[kept] = row;
      spill[spilled] = row;
      kept += left;
      spilled += 1 - left;
    }
    std::copy(spill, spill + spilled, list + kept);
  }
}

RegressionTree TreeGrower::grow(std::span<const std::uint32_t> weight, const TreeGrowParams& params,
                                RandomStream& rng, std::span<double> impurity_decrease) {
  fill_sorted_lists(weight);
  // The candidate pool starts in the same order for every tree, so a tree's mtry draws depend
  // only on its own stream, not on the trees this thread grew before.
  std::iota(var_pool_.begin(), var_pool_.end(), 0u);
  RegressionTree tree;
  nodes_.clear();
  nodes_.push_back({0, static_cast<std::uint32_t>(n_inbag_), 0});
  tree.value_.push_back(0.0);
  tree.left_.push_back(0);
  tree.var_.push_back(0);
  const std::span<const double> y = data_.y();
  const double min_node_weight = static_cast<double>(params.min_node_size);
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    const NodeRange range = nodes_[node];
    // Node totals, from any variable's range (all hold the node's rows).
    double sum = 0.0, node_weight = 0.0;
    double y_min = std::numeric_limits<double>::infinity(), y_max = -y_min;
    for (std::uint32_t pos = range.begin; pos < range.end; ++pos) {
      prefetch_row(stats_.data(), y.data(), lists_.data(), pos + kPrefetchDistance, range.end);
      const std::uint32_t row = lists_[pos];
      sum += stats_[row].wy;
      node_weight += stats_[row].w;
      y_min = std::min(y_min, y[row]);
      y_max = std::max(y_max, y[row]);
    }
    bool leaf = node_weight <= min_node_weight ||
                (params.max_depth > 0 && range.depth >= params.max_depth) || y_min == y_max;
    Split best{};
    if (!leaf) {
      leaf = !find_best_split(range, sum, node_weight, params.mtry, params.min_bucket, rng, best);
    }
    if (leaf) {
      tree.value_[node] = sum / node_weight;
      continue;
    }
    impurity_decrease[best.var] += best.score - sum * sum / node_weight;
    partition(range, best);
    const auto left_child = static_cast<std::uint32_t>(nodes_.size());
    tree.value_[node] = best.threshold;
    tree.var_[node] = static_cast<std::uint16_t>(best.var);
    tree.left_[node] = left_child;
    nodes_.push_back({range.begin, best.left_end, range.depth + 1});
    nodes_.push_back({best.left_end, range.end, range.depth + 1});
    for (int child = 0; child < 2; ++child) {
      tree.value_.push_back(0.0);
      tree.left_.push_back(0);
      tree.var_.push_back(0);
    }
  }
  tree.value_.shrink_to_fit();
  tree.left_.shrink_to_fit();
  tree.var_.shrink_to_fit();
  return tree;
}

}  // namespace minecarbon::ml
