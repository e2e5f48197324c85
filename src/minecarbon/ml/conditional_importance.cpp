#include "minecarbon/ml/conditional_importance.h"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numeric>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/importance_summary.h"
#include "minecarbon/core/random.h"
#include "minecarbon/core/parallel.h"

namespace minecarbon::ml {

namespace {

constexpr double kPartyDefaultThreshold = 0.2;     // party::varimp default
constexpr double kPermimpDefaultThreshold = 0.95;  // permimp::permimp default

// P(χ²_df > stat); df = 0 gives 1, as R's pchisq(0, 0, lower.tail = FALSE).
double chi_square_upper_tail(double stat, double df) {
  if (df <= 0) return 1.0;
  return boost::math::gamma_q(df / 2.0, std::max(stat, 0.0) / 2.0);
}

// Pearson χ² test of independence between two binnings of the same rows, empty levels dropped.
// Σ_cells (O − E)²/E = N·Σ_{O>0} O²/(R·C) − N, so only the occupied cells are visited.
double binning_independence_p(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b,
                              std::vector<std::uint64_t>& keys, std::vector<double>& row_totals,
                              std::vector<double>& col_totals) {
  const std::size_t n = a.size();
  const std::uint32_t a_levels = *std::max_element(a.begin(), a.end()) + 1;
  const std::uint32_t b_levels = *std::max_element(b.begin(), b.end()) + 1;
  row_totals.assign(a_levels, 0.0);
  col_totals.assign(b_levels, 0.0);
  keys.resize(n);
  for (std::size_t idx = 0; idx < n; ++idx) {
    row_totals[a[idx]] += 1.0;
    col_totals[b[idx]] += 1.0;
    keys[idx] = (static_cast<std::uint64_t>(a[idx]) << 32) | b[idx];
  }
  const auto occupied = [](const std::vector<double>& totals) {
    return static_cast<double>(
        std::count_if(totals.begin(), totals.end(), [](double count) { return count > 0; }));
  };
  const double df = (occupied(row_totals) - 1.0) * (occupied(col_totals) - 1.0);
  if (df <= 0) return 1.0;
  std::sort(keys.begin(), keys.end());
  double sum = 0.0;
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && keys[end] == keys[begin])
      ++end;
    const double observed = static_cast<double>(end - begin);
    sum += observed * observed /
           (row_totals[keys[begin] >> 32] * col_totals[keys[begin] & 0xFFFFFFFFu]);
    begin = end;
  }
  const double total = static_cast<double>(n);
  return chi_square_upper_tail(total * sum - total, df);
}

double resolved_threshold(const ConditionalImportanceParams& params) {
  if (params.threshold < 0) {
    return params.mode == ConditionalImportanceMode::party ? kPartyDefaultThreshold
                                                           : kPermimpDefaultThreshold;
  }
  return params.threshold;
}

// Per-tree state of the CPI computation.
struct TreeWork {
  std::vector<std::uint32_t> oob;
  std::vector<std::uint16_t> used;               // variables the tree splits on
  std::vector<std::vector<std::uint32_t>> bins;  // per used variable: bin of each OOB row
  std::vector<std::uint32_t> order, shuffled;
  std::vector<double> moved;
  std::vector<std::uint64_t> keys;
  std::vector<double> row_totals, col_totals;
};

}  // namespace

std::string_view to_string(ConditionalImportanceMode mode) {
  return mode == ConditionalImportanceMode::party ? "party" : "permimp";
}

ConditionalImportanceMode conditional_importance_mode_from_string(std::string_view name) {
  for (auto mode : {ConditionalImportanceMode::party, ConditionalImportanceMode::permimp}) {
    if (name == to_string(mode)) return mode;
  }
  throw ConfigError("conditional importance mode = '" + std::string(name) +
                    "': unknown; expected one of: party, permimp");
}

std::vector<std::vector<std::size_t>> party_conditioning_sets(const Dataset& data, double threshold,
                                                              std::span<const std::uint32_t> rows) {
  std::vector<std::uint32_t> all;
  if (rows.empty()) {
    all.resize(data.n_rows());
    std::iota(all.begin(), all.end(), 0u);
    rows = all;
  }
  const std::size_t n_cols = data.n_cols();
  const double n = static_cast<double>(rows.size());
  // Centred columns over the rows.
  std::vector<double> centred(n_cols * rows.size());
  std::vector<double> norm(n_cols, 0.0);
  for (std::size_t col = 0; col < n_cols; ++col) {
    double sum = 0.0;
    for (std::uint32_t row : rows)
      sum += data.x(row, col);
    const double mean = sum / n;
    double* out = centred.data() + col * rows.size();
    for (std::size_t idx = 0; idx < rows.size(); ++idx) {
      out[idx] = data.x(rows[idx], col) - mean;
      norm[col] += out[idx] * out[idx];
    }
  }
  std::vector<std::vector<std::size_t>> sets(n_cols);
  for (std::size_t col = 0; col < n_cols; ++col) {
    for (std::size_t other = 0; other < n_cols; ++other) {
      if (other == col || norm[col] <= 0 || norm[other] <= 0) continue;
      const double* a = centred.data() + col * rows.size();
      const double* b = centred.data() + other * rows.size();
      double cross = 0.0;
      for (std::size_t idx = 0; idx < rows.size(); ++idx)
        cross += a[idx] * b[idx];
      const double r = cross / std::sqrt(norm[col] * norm[other]);
      const double statistic = (n - 1.0) * r * r;
      const double criterion = std::erf(std::sqrt(statistic / 2.0));  // pchisq(statistic, 1)
      if (criterion > threshold) sets[col].push_back(other);
    }
  }
  return sets;
}

ConditionalImportanceResult conditional_importance(const Forest& forest, const Dataset& data,
                                                   const ConditionalImportanceParams& params,
                                                   Progress* progress) {
  check_forest_data(forest, data, "conditional importance");
  const double threshold = resolved_threshold(params);
  if (!(threshold >= 0.0 && threshold <= 1.0)) {
    std::ostringstream msg;
    msg << "conditional importance threshold = " << params.threshold
        << ": must be in [0, 1] (or negative for the mode's default: party 0.2, permimp 0.95)";
    throw ConfigError(msg.str());
  }
  if (params.num_permutations < 1) {
    throw ConfigError("conditional importance num_permutations = 0: must be >= 1");
  }
  const bool party = params.mode == ConditionalImportanceMode::party;
  const std::size_t n_trees = forest.num_trees(), n_cols = data.n_cols();
  ConditionalImportanceResult result;
  result.mode = params.mode;
  result.threshold = threshold;
  if (party)
    result.conditioning_sets = party_conditioning_sets(data, threshold, forest.training_rows());

  std::vector<double> per_tree(n_trees * n_cols, 0.0);
  std::vector<std::uint8_t> used_flags(n_trees * n_cols, 0);
  std::vector<std::uint8_t> unconditional(n_trees * n_cols, 0), skipped(n_trees * n_cols, 0);
  const std::span<const double> y = data.y();

  run_in_workers(n_trees, params.threads, [&](ItemClaim& claim) {
    TreeWork work;
    std::vector<int> position(n_cols, -1);
    std::vector<std::size_t> z_positions;
    // The loop's step clause runs after every tree, including those left by `continue`.
    for (std::size_t tree_idx; claim.next(tree_idx); progress ? progress->advance() : void()) {
      const RegressionTree& tree = forest.tree(tree_idx);
      RandomStream rng(params.seed, StreamPurpose::conditional_importance, tree_idx);
      work.oob = forest.oob_rows(tree_idx);
      work.used = split_variables(tree);
      for (std::uint16_t var : work.used)
        used_flags[tree_idx * n_cols + var] = 1;
      const std::size_t m = work.oob.size();
      if (m == 0 || work.used.empty()) continue;

      // The tree's partition of each variable it uses, evaluated at the OOB rows.
      const auto cuts = cutpoints_by_variable(tree, n_cols);
      std::fill(position.begin(), position.end(), -1);
      work.bins.resize(work.used.size());
      for (std::size_t pos = 0; pos < work.used.size(); ++pos) {
        const std::uint16_t var = work.used[pos];
        position[var] = static_cast<int>(pos);
        const std::vector<double>& var_cuts = cuts[var];
        work.bins[pos].resize(m);
        for (std::size_t idx = 0; idx < m; ++idx) {
          const double value = data.x(work.oob[idx], var);
          work.bins[pos][idx] = static_cast<std::uint32_t>(
              std::lower_bound(var_cuts.begin(), var_cuts.end(), value) - var_cuts.begin());
        }
      }
      // permimp: per-tree selection from the χ² tests between every pair of used variables.
      std::vector<std::uint8_t> selected;
      if (!party) {
        const std::size_t u = work.used.size();
        selected.assign(u * u, 0);
        for (std::size_t first = 0; first < u; ++first) {
          for (std::size_t second = first + 1; second < u; ++second) {
            const double p_value = binning_independence_p(
                work.bins[first], work.bins[second], work.keys, work.row_totals, work.col_totals);
            const std::uint8_t pick = (1.0 - p_value) > threshold ? 1 : 0;
            selected[first * u + second] = selected[second * u + first] = pick;
          }
        }
      }

      double base_sq = 0.0;
      for (std::uint32_t row : work.oob) {
        const double error =
            tree.predict([&](std::size_t var) { return data.x(row, var); }) - y[row];
        base_sq += error * error;
      }
      const double n_oob = static_cast<double>(m);
      const double base_mse = base_sq / n_oob;

      for (std::size_t j_pos = 0; j_pos < work.used.size(); ++j_pos) {
        const std::uint16_t permuted = work.used[j_pos];
        z_positions.clear();
        if (party) {
          for (std::size_t var : result.conditioning_sets[permuted]) {
            if (position[var] >= 0) z_positions.push_back(static_cast<std::size_t>(position[var]));
          }
        } else {
          const std::size_t u = work.used.size();
          for (std::size_t pos = 0; pos < u; ++pos) {
            if (selected[j_pos * u + pos]) z_positions.push_back(pos);
          }
        }
        // Cells: OOB rows sorted by their bins on Z (ties by row position: a total order).
        work.order.resize(m);
        std::iota(work.order.begin(), work.order.end(), 0u);
        if (!z_positions.empty()) {
          std::sort(work.order.begin(), work.order.end(), [&](std::uint32_t a, std::uint32_t b) {
            for (std::size_t pos : z_positions) {
              if (work.bins[pos][a] != work.bins[pos][b]) {
                return work.bins[pos][a] < work.bins[pos][b];
              }
            }
            return a < b;
          });
        } else {
          unconditional[tree_idx * n_cols + permuted] = 1;
        }
        const auto same_cell = [&](std::uint32_t a, std::uint32_t b) {
          for (std::size_t pos : z_positions) {
            if (work.bins[pos][a] != work.bins[pos][b]) return false;
          }
          return true;
        };
        if (!party && !z_positions.empty()) {
          // Skip when x_j lies in a single bin of its own thresholds within every cell.
          bool can_change = false;
          const std::vector<std::uint32_t>& own = work.bins[j_pos];
          for (std::size_t begin_cell = 0; begin_cell < m && !can_change;) {
            std::size_t end_cell = begin_cell + 1;
            while (end_cell < m && same_cell(work.order[begin_cell], work.order[end_cell])) {
              if (own[work.order[end_cell]] != own[work.order[begin_cell]]) can_change = true;
              ++end_cell;
            }
            begin_cell = end_cell;
          }
          if (!can_change) {
            skipped[tree_idx * n_cols + permuted] = 1;
            continue;
          }
        }
        double total = 0.0;
        work.moved.resize(m);
        for (std::size_t rep = 0; rep < params.num_permutations; ++rep) {
          for (std::size_t begin_cell = 0; begin_cell < m;) {
            std::size_t end_cell = begin_cell + 1;
            while (end_cell < m && same_cell(work.order[begin_cell], work.order[end_cell])) {
              ++end_cell;
            }
            work.shuffled.assign(work.order.begin() + begin_cell, work.order.begin() + end_cell);
            rng.shuffle(std::span<std::uint32_t>(work.shuffled));
            for (std::size_t k = begin_cell; k < end_cell; ++k) {
              work.moved[work.order[k]] = data.x(work.oob[work.shuffled[k - begin_cell]], permuted);
            }
            begin_cell = end_cell;
          }
          double sum_sq = 0.0;
          for (std::size_t idx = 0; idx < m; ++idx) {
            const std::uint32_t row = work.oob[idx];
            const double moved = work.moved[idx];
            const double error = tree.predict([&](std::size_t var) {
              return var == permuted ? moved : data.x(row, var);
            }) - y[row];
            sum_sq += error * error;
          }
          total += sum_sq / n_oob - base_mse;
        }
        per_tree[tree_idx * n_cols + permuted] =
            total / static_cast<double>(params.num_permutations);
      }
    }
  });

  result.trees_unconditional.assign(n_cols, 0);
  result.trees_skipped.assign(n_cols, 0);
  for (std::size_t tree_idx = 0; tree_idx < n_trees; ++tree_idx) {
    for (std::size_t col = 0; col < n_cols; ++col) {
      result.trees_unconditional[col] += unconditional[tree_idx * n_cols + col];
      result.trees_skipped[col] += skipped[tree_idx * n_cols + col];
    }
  }
  result.importance = summarize_importance(data.names(), n_trees, std::move(per_tree), used_flags);
  return result;
}

}  // namespace minecarbon::ml
