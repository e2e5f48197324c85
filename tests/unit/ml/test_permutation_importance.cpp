// OOB permutation importance.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/ml/permutation_importance.h"
#include "ml_test_data.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;

TEST(PermutationImportance, WrongDataAndBadParamsAreErrors) {
  const auto data = mctest::step_dataset(60, 1);
  ml::ForestParams params;
  params.num_trees = 5;
  const auto forest = ml::fit_forest(data, params);
  const auto other = mctest::step_dataset(61, 1);
  EXPECT_THAT([&] { ml::permutation_importance(forest, other); },
              testing::ThrowsMessage<mc::DataError>(testing::HasSubstr("61 rows")));
  ml::PermutationImportanceParams bad;
  bad.num_permutations = 0;
  EXPECT_THROW(ml::permutation_importance(forest, data, bad), mc::ConfigError);
}

TEST(PermutationImportance, AColumnNoTreeUsesScoresExactlyZero) {
  auto base = mctest::step_dataset(80, 3);
  std::vector<double> x(base.n_rows() * 3);
  for (std::size_t row = 0; row < base.n_rows(); ++row) {
    x[row] = base.x(row, 0);
    x[base.n_rows() + row] = base.x(row, 1);
    x[2 * base.n_rows() + row] = 4.0;  // constant: never split
  }
  const ml::Dataset data(x, std::vector<double>(base.y().begin(), base.y().end()));
  ml::ForestParams params;
  params.num_trees = 20;
  params.mtry = 3;
  const auto forest = ml::fit_forest(data, params);
  const auto result = ml::permutation_importance(forest, data);
  EXPECT_EQ(result.importance[2], 0.0);
  EXPECT_EQ(result.trees_using[2], 0u);
  EXPECT_EQ(result.trees_using[0], 20u);
  // Permuting the step variable destroys the fit: the MSE rises by about the variance of y (25).
  EXPECT_GT(result.importance[0], 20.0);
}

TEST(PermutationImportance, FriedmanSignalIsImportantAndNoiseIsNotWithinMonteCarloError) {
  const auto data = mctest::friedman_train().dataset();
  ml::ForestParams params;
  params.num_trees = 300;
  params.threads = 2;
  const auto forest = ml::fit_forest(data, params);
  ml::PermutationImportanceParams pi;
  pi.threads = 2;
  const auto result = ml::permutation_importance(forest, data, pi);
  for (std::size_t col = 0; col < 5; ++col) {
    EXPECT_GT(result.importance[col], 10 * result.standard_error[col]) << result.names[col];
  }
  for (std::size_t col = 5; col < 11; ++col) {
    EXPECT_LT(std::fabs(result.importance[col]), 4 * result.standard_error[col] + 0.02)
        << result.names[col];
  }
}

TEST(PermutationImportance, IdenticalForOneAndTwoThreads) {
  const auto data = mctest::friedman_train().dataset();
  ml::ForestParams params;
  params.num_trees = 31;
  params.threads = 2;
  const auto forest = ml::fit_forest(data, params);
  ml::PermutationImportanceParams pi;
  pi.num_permutations = 2;
  pi.threads = 1;
  const auto one = ml::permutation_importance(forest, data, pi);
  pi.threads = 2;
  const auto two = ml::permutation_importance(forest, data, pi);
  EXPECT_EQ(one.importance, two.importance);
  EXPECT_EQ(one.per_tree, two.per_tree);
}
