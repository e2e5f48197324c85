// Quantile regression forest (Meinshausen 2006).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/ml/quantile_forest.h"
#include "ml_test_data.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;

TEST(QuantileForest, ProbabilitiesOutsideZeroOneAreConfigErrors) {
  const auto data = mctest::step_dataset(40, 1);
  ml::ForestParams params;
  params.num_trees = 3;
  const auto forest = ml::fit_forest(data, params);
  const ml::QuantileForest qrf(forest, data);
  const std::vector<double> x = {0.3, 0.3};
  EXPECT_THAT(
      [&] {
        qrf.predict(ml::FeatureView{x, 1, 2}, std::vector<double>{1.2});
      },
      testing::ThrowsMessage<mc::ConfigError>(testing::HasSubstr("probability = 1.2")));
}

TEST(QuantileForest, OneLeafGivesTheEmpiricalQuantilesOfY) {
  // One tree that cannot split (min_node_size ≥ n): every row has weight 1/10, and
  // Q(α) = inf{y : F(y) ≥ α} is the type-1 sample quantile of y = 1..10.
  std::vector<double> x = {5, 3, 9, 1, 7, 2, 8, 4, 10, 6};
  std::vector<double> y = {5, 3, 9, 1, 7, 2, 8, 4, 10, 6};
  const ml::Dataset data(x, y);
  ml::ForestParams params;
  params.num_trees = 1;
  params.replace = false;
  params.sample_fraction = 1.0;
  params.min_node_size = 10;
  const auto forest = ml::fit_forest(data, params);
  const ml::QuantileForest qrf(forest, data);
  const std::vector<double> at = {4.0};
  const auto q =
      qrf.predict(ml::FeatureView{at, 1, 1}, std::vector<double>{0.0, 0.25, 0.5, 0.9, 1.0});
  EXPECT_EQ(q, (std::vector<double>{1, 3, 5, 9, 10}));
}

TEST(QuantileForest, QuantilesIncreaseWithProbability) {
  const auto data = mctest::friedman_train().dataset();
  ml::ForestParams params;
  params.num_trees = 100;
  params.threads = 2;
  const auto forest = ml::fit_forest(data, params);
  const ml::QuantileForest qrf(forest, data, 2);
  const auto& test = mctest::friedman_test();
  const std::vector<double> probs = {0.05, 0.25, 0.5, 0.75, 0.95};
  const auto q = qrf.predict(test.features(), probs, 2);
  for (std::size_t row = 0; row < test.n_rows; ++row) {
    for (std::size_t k = 1; k < probs.size(); ++k)
      ASSERT_LE(q[row * 5 + k - 1], q[row * 5 + k]);
  }
}

TEST(QuantileForest, IntervalCoverageAndWidthMatchRangerQuantreg) {
  // ranger 0.14.1 quantreg = TRUE on the same files (README.md): 80 % intervals [Q(0.1), Q(0.9)]
  // cover about 95 % of new y at mtry 3, because the leaves also spread over the signal f, not
  // only over the noise. ranger's estimator is an approximation of the same one (one random y
  // per leaf); the two agree to about 1 %. Allowed: coverage ± 0.015 (seed spread ≈ 0.002),
  // mean width ± 3 %.
  std::ifstream in(mctest::rf_data_path("ranger_quantreg_friedman1_n2000.txt"));
  ASSERT_TRUE(in.good());
  std::vector<double> coverage, width;
  for (std::string line; std::getline(in, line);) {
    int mtry = 0, seed = 0;
    double c = 0, w = 0;
    if (std::sscanf(line.c_str(),
                    "ranger quantreg mtry %d seed %d: 80%% interval coverage %lf mean width %lf",
                    &mtry, &seed, &c, &w) == 4 &&
        mtry == 3) {
      coverage.push_back(c);
      width.push_back(w);
    }
  }
  ASSERT_EQ(coverage.size(), 3u);
  const auto data = mctest::friedman_train().dataset();
  ml::ForestParams params;
  params.num_trees = 300;
  params.mtry = 3;
  params.threads = 2;
  const auto forest = ml::fit_forest(data, params);
  const ml::QuantileForest qrf(forest, data, 2);
  const auto& test = mctest::friedman_test();
  const auto q = qrf.predict(test.features(), std::vector<double>{0.1, 0.9}, 2);
  std::size_t covered = 0;
  double total_width = 0;
  for (std::size_t row = 0; row < test.n_rows; ++row) {
    covered += test.y[row] >= q[2 * row] && test.y[row] <= q[2 * row + 1];
    total_width += q[2 * row + 1] - q[2 * row];
  }
  const double n = static_cast<double>(test.n_rows);
  EXPECT_NEAR(static_cast<double>(covered) / n, mctest::mean_of(coverage), 0.015);
  EXPECT_NEAR(total_width / n, mctest::mean_of(width), 0.03 * mctest::mean_of(width));
}

TEST(QuantileForest, IdenticalForOneAndTwoThreads) {
  const auto data = mctest::friedman_train().dataset();
  ml::ForestParams params;
  params.num_trees = 40;
  const auto forest = ml::fit_forest(data, params);
  const auto& test = mctest::friedman_test();
  const std::vector<double> probs = {0.1, 0.5, 0.9};
  const auto one = ml::QuantileForest(forest, data, 1).predict(test.features(), probs, 1);
  const auto two = ml::QuantileForest(forest, data, 2).predict(test.features(), probs, 2);
  EXPECT_EQ(one, two);
}
