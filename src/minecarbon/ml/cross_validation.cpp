#include "minecarbon/ml/cross_validation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/random.h"

namespace minecarbon::ml {

namespace {

std::vector<std::uint32_t> all_or(std::span<const std::uint32_t> rows, std::size_t n_rows) {
  if (!rows.empty()) return {rows.begin(), rows.end()};
  std::vector<std::uint32_t> out(n_rows);
  std::iota(out.begin(), out.end(), 0u);
  return out;
}

void summarize(const std::vector<double>& fold_rmse, double& mean, double& sd) {
  const double k = static_cast<double>(fold_rmse.size());
  mean = std::accumulate(fold_rmse.begin(), fold_rmse.end(), 0.0) / k;
  double sum_sq = 0.0;
  for (double value : fold_rmse)
    sum_sq += (value - mean) * (value - mean);
  sd = std::sqrt(sum_sq / (k - 1.0));
}

}  // namespace

std::vector<std::uint32_t> assign_folds(std::size_t n_rows, std::size_t folds, std::uint64_t seed) {
  if (folds < 2 || folds > n_rows) {
    throw ConfigError("cross-validation folds = " + std::to_string(folds) +
                      ": must be between 2 and the number of rows (" + std::to_string(n_rows) +
                      ")");
  }
  std::vector<std::uint32_t> order(n_rows);
  std::iota(order.begin(), order.end(), 0u);
  RandomStream rng(seed, StreamPurpose::cross_validation_folds, 0);
  rng.shuffle(std::span<std::uint32_t>(order));
  std::vector<std::uint32_t> fold(n_rows);
  for (std::size_t idx = 0; idx < n_rows; ++idx) {
    fold[order[idx]] = static_cast<std::uint32_t>(idx % folds);
  }
  return fold;
}

CrossValidationResult cross_validate(const Dataset& data, const ForestParams& params,
                                     const CrossValidationParams& cv,
                                     std::span<const std::uint32_t> rows, Progress* progress) {
  const std::vector<std::uint32_t> cv_rows = all_or(rows, data.n_rows());
  for (std::uint32_t row : cv_rows) {
    if (row >= data.n_rows()) {
      throw ConfigError("cross-validation rows: row " + std::to_string(row) +
                        " is outside the data (" + std::to_string(data.n_rows()) + " rows)");
    }
  }
  const std::vector<std::uint32_t> fold = assign_folds(cv_rows.size(), cv.folds, cv.seed);
  ForestParams fit_params = params;
  fit_params.compute_oob = false;

  CrossValidationResult result;
  result.predictions.assign(data.n_rows(), std::numeric_limits<double>::quiet_NaN());
  std::vector<std::uint32_t> train, test;
  std::vector<double> test_x;
  const std::size_t n_cols = data.n_cols();
  for (std::size_t k = 0; k < cv.folds; ++k) {
    train.clear();
    test.clear();
    for (std::size_t pos = 0; pos < cv_rows.size(); ++pos) {
      (fold[pos] == k ? test : train).push_back(cv_rows[pos]);
    }
    const Forest forest = fit_forest(data, fit_params, train);
    test_x.resize(test.size() * n_cols);
    for (std::size_t col = 0; col < n_cols; ++col) {
      for (std::size_t idx = 0; idx < test.size(); ++idx) {
        test_x[col * test.size() + idx] = data.x(test[idx], col);
      }
    }
    const std::vector<double> predicted =
        forest.predict(FeatureView{test_x, test.size(), n_cols}, params.threads);
    double sum_sq = 0.0;
    for (std::size_t idx = 0; idx < test.size(); ++idx) {
      const double error = predicted[idx] - data.y()[test[idx]];
      sum_sq += error * error;
      result.predictions[test[idx]] = predicted[idx];
    }
    result.fold_rmse.push_back(std::sqrt(sum_sq / static_cast<double>(test.size())));
    if (progress) progress->advance();
  }
  summarize(result.fold_rmse, result.mean_rmse, result.sd_rmse);
  return result;
}

std::size_t grid_search_fit_count(const GridSearchParams& grid) {
  const auto count = [](const std::vector<std::size_t>& values) {
    return std::max<std::size_t>(1, values.size());
  };
  return count(grid.mtry) * count(grid.min_node_size) * count(grid.max_depth) *
         count(grid.num_trees) * grid.cv.folds;
}

GridSearchResult grid_search(const Dataset& data, const ForestParams& base,
                             const GridSearchParams& grid, std::span<const std::uint32_t> rows,
                             Progress* progress) {
  const auto or_base = [](const std::vector<std::size_t>& values, std::size_t base_value) {
    return values.empty() ? std::vector<std::size_t>{base_value} : values;
  };
  const auto mtry_values = or_base(grid.mtry, base.mtry);
  const auto node_values = or_base(grid.min_node_size, base.min_node_size);
  const auto depth_values = or_base(grid.max_depth, base.max_depth);
  const auto tree_values = or_base(grid.num_trees, base.num_trees);
  const std::size_t n_training = rows.empty() ? data.n_rows() : rows.size();

  // Validate every point before fitting anything.
  std::vector<ForestParams> settings;
  for (std::size_t mtry : mtry_values) {
    for (std::size_t min_node_size : node_values) {
      for (std::size_t max_depth : depth_values) {
        for (std::size_t num_trees : tree_values) {
          ForestParams params = base;
          params.mtry = mtry;
          params.min_node_size = min_node_size;
          params.max_depth = max_depth;
          params.num_trees = num_trees;
          settings.push_back(resolve_forest_params(params, data.n_cols(), n_training));
        }
      }
    }
  }
  GridSearchResult result;
  for (const ForestParams& params : settings) {
    const CrossValidationResult cv = cross_validate(data, params, grid.cv, rows, progress);
    result.points.push_back({params, cv.fold_rmse, cv.mean_rmse, cv.sd_rmse});
    if (cv.mean_rmse < result.points[result.best].mean_rmse) result.best = result.points.size() - 1;
  }
  return result;
}

}  // namespace minecarbon::ml
