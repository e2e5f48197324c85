#include "minecarbon/ml/permutation_importance.h"

#include <cmath>
#include <numeric>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/importance_summary.h"
#include "minecarbon/core/random.h"
#include "minecarbon/core/parallel.h"

namespace minecarbon::ml {

void check_forest_data(const Forest& forest, const Dataset& data, const char* what) {
  if (data.n_rows() != forest.num_data_rows() || data.n_cols() != forest.num_features()) {
    throw DataError(std::string(what) + ": data has " + std::to_string(data.n_rows()) + " rows × " +
                    std::to_string(data.n_cols()) + " columns, the forest was grown on " +
                    std::to_string(forest.num_data_rows()) + " × " +
                    std::to_string(forest.num_features()) +
                    "; pass the dataset the forest was fitted on");
  }
  if (forest.num_trees() == 0) {
    throw DataError(std::string(what) + ": the forest has no trees");
  }
}

ImportanceResult permutation_importance(const Forest& forest, const Dataset& data,
                                        const PermutationImportanceParams& params,
                                        Progress* progress) {
  check_forest_data(forest, data, "permutation importance");
  if (params.num_permutations < 1) {
    throw ConfigError("permutation importance num_permutations = 0: must be >= 1");
  }
  const std::size_t n_trees = forest.num_trees(), n_cols = data.n_cols();
  std::vector<double> per_tree(n_trees * n_cols, 0.0);
  std::vector<std::uint8_t> used(n_trees * n_cols, 0);
  const std::span<const double> y = data.y();

  run_in_workers(n_trees, params.threads, [&](ItemClaim& claim) {
    std::vector<std::uint32_t> order;
    // The loop's step clause runs after every tree, including those left by `continue`.
    for (std::size_t tree_idx; claim.next(tree_idx); progress ? progress->advance() : void()) {
      const RegressionTree& tree = forest.tree(tree_idx);
      RandomStream rng(params.seed, StreamPurpose::permutation_importance, tree_idx);
      const std::vector<std::uint32_t> oob = forest.oob_rows(tree_idx);
      for (std::uint16_t var : split_variables(tree))
        used[tree_idx * n_cols + var] = 1;
      if (oob.empty()) continue;
      double base_sq = 0.0;
      for (std::uint32_t row : oob) {
        const double error =
            tree.predict([&](std::size_t var) { return data.x(row, var); }) - y[row];
        base_sq += error * error;
      }
      const double n_oob = static_cast<double>(oob.size());
      const double base_mse = base_sq / n_oob;
      order.resize(oob.size());
      for (std::uint16_t permuted : split_variables(tree)) {
        double total = 0.0;
        for (std::size_t rep = 0; rep < params.num_permutations; ++rep) {
          std::iota(order.begin(), order.end(), 0u);
          rng.shuffle(std::span<std::uint32_t>(order));
          double sum_sq = 0.0;
          for (std::size_t idx = 0; idx < oob.size(); ++idx) {
            const std::uint32_t row = oob[idx];
            const double moved = data.x(oob[order[idx]], permuted);
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
  return summarize_importance(data.names(), n_trees, std::move(per_tree), used);
}

}  // namespace minecarbon::ml
