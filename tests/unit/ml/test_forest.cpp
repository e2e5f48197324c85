// The forest: parameter checks, accuracy against ranger on the same files, determinism.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/ml/metrics.h"
#include "ml_test_data.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;
using testing::HasSubstr;
using testing::ThrowsMessage;

namespace {

const ml::Dataset& friedman() {
  static const ml::Dataset data = mctest::friedman_train().dataset();
  return data;
}

// ranger's matched configuration ("M", docs/random_forest_benchmark.md §2).
ml::ForestParams matched(std::uint64_t seed, int threads) {
  ml::ForestParams params;
  params.num_trees = 500;
  params.mtry = 3;
  params.min_node_size = 5;
  params.seed = seed;
  params.threads = threads;
  return params;
}

}  // namespace

// ---- bad parameters -------------------------------------------------------------------------

TEST(Forest, BadParametersAreConfigErrorsNamingParameterValueAndRule) {
  const auto data = mctest::step_dataset(50, 1);
  const auto fails_with = [&](ml::ForestParams params, const char* text) {
    EXPECT_THAT([&] { ml::fit_forest(data, params); },
                ThrowsMessage<mc::ConfigError>(HasSubstr(text)));
  };
  ml::ForestParams params;
  params.num_trees = 0;
  fails_with(params, "num_trees = 0: must be >= 1");
  params = {};
  params.mtry = 3;
  fails_with(params, "mtry = 3: must be between 1 and the number of predictors (2)");
  params = {};
  params.min_node_size = 0;
  fails_with(params, "min_node_size = 0");
  params = {};
  params.min_bucket = 0;
  fails_with(params, "min_bucket = 0");
  params = {};
  params.sample_fraction = 1.5;
  fails_with(params, "sample_fraction = 1.5: must be in (0, 1]");
  params = {};
  params.sample_fraction = 0.01;
  fails_with(params, "draws nobody from 50 training rows");
}

TEST(Forest, TrainingRowsOutsideTheDataOrRepeatedAreConfigErrors) {
  const auto data = mctest::step_dataset(50, 1);
  EXPECT_THAT(
      [&] {
        ml::fit_forest(data, {}, std::vector<std::uint32_t>{1, 50});
      },
      ThrowsMessage<mc::ConfigError>(HasSubstr("row 50 is outside the data (50 rows)")));
  EXPECT_THAT(
      [&] {
        ml::fit_forest(data, {}, std::vector<std::uint32_t>{3, 4, 3});
      },
      ThrowsMessage<mc::ConfigError>(HasSubstr("listed twice")));
}

TEST(Forest, DefaultsResolveLikeRanger) {
  const auto resolved = ml::resolve_forest_params({}, 11, 1000);
  EXPECT_EQ(resolved.mtry, 3u);  // floor(sqrt(11))
  EXPECT_EQ(resolved.sample_fraction, 1.0);
  ml::ForestParams without;
  without.replace = false;
  EXPECT_EQ(ml::resolve_forest_params(without, 11, 1000).sample_fraction, 0.632);
  EXPECT_EQ(ml::resolve_forest_params({}, 2, 1000).mtry, 1u);
}

TEST(Forest, PredictingWithTheWrongNumberOfColumnsIsADataError) {
  const auto data = mctest::step_dataset(50, 1);
  ml::ForestParams params;
  params.num_trees = 5;
  const auto forest = ml::fit_forest(data, params);
  const std::vector<double> three_cols(9, 0.5);
  EXPECT_THAT(
      [&] {
        forest.predict(ml::FeatureView{three_cols, 3, 3});
      },
      ThrowsMessage<mc::DataError>(HasSubstr("3 predictor columns given")));
  EXPECT_THROW(forest.predict_one(std::vector<double>{0.5}), mc::DataError);
}

// ---- small cases --------------------------------------------------------------------------

TEST(Forest, OobPredictionsUseOnlyTreesThatLeftTheRowOut) {
  const auto data = mctest::step_dataset(100, 2);
  ml::ForestParams params;
  params.num_trees = 30;
  const auto forest = ml::fit_forest(data, params);
  for (std::size_t row = 0; row < data.n_rows(); ++row) {
    double sum = 0;
    std::uint32_t count = 0;
    for (std::size_t tree_idx = 0; tree_idx < forest.num_trees(); ++tree_idx) {
      if (forest.in_bag(tree_idx, row)) continue;
      sum += forest.tree(tree_idx).predict([&](std::size_t var) { return data.x(row, var); });
      ++count;
    }
    ASSERT_EQ(forest.oob_tree_counts()[row], count);
    if (count == 0) {
      EXPECT_TRUE(std::isnan(forest.oob_predictions()[row]));
    } else {
      EXPECT_DOUBLE_EQ(forest.oob_predictions()[row], sum / count);
    }
  }
}

TEST(Forest, SubsamplingWithoutReplacementDrawsTheRequestedFraction) {
  const auto data = mctest::step_dataset(100, 2);
  ml::ForestParams params;
  params.num_trees = 5;
  params.replace = false;
  params.sample_fraction = 0.632;
  const auto forest = ml::fit_forest(data, params);
  for (std::size_t tree_idx = 0; tree_idx < 5; ++tree_idx) {
    EXPECT_EQ(forest.oob_rows(tree_idx).size(), 100u - 63u);
  }
}

TEST(Forest, FitsOnlyTheGivenTrainingRows) {
  const auto data = mctest::step_dataset(100, 2);
  std::vector<std::uint32_t> rows;
  for (std::uint32_t row = 0; row < 100; row += 2)
    rows.push_back(row);
  ml::ForestParams params;
  params.num_trees = 10;
  const auto forest = ml::fit_forest(data, params, rows);
  for (std::uint32_t row = 1; row < 100; row += 2) {
    EXPECT_TRUE(std::isnan(forest.oob_predictions()[row]));
    for (std::size_t tree_idx = 0; tree_idx < 10; ++tree_idx)
      EXPECT_FALSE(forest.in_bag(tree_idx, row));
  }
}

// ---- peer comparison: ranger 0.14.1 on the same files -------------------------------------

TEST(Forest, FriedmanAccuracyAndTreeSizesMatchRangerWithinMonteCarloNoise) {
  // ranger, 10 seeds, same files, same settings (tests/data/random_forest/README.md). Our mean over
  // 3 seeds must lie within 4 Monte-Carlo standard errors of ranger's mean, the SE of the
  // difference estimated from ranger's spread over seeds: sd·√(1/10 + 1/3).
  const auto reference = mctest::read_json_lines("ranger_friedman1_n2000_seeds1-10.jsonl");
  ASSERT_EQ(reference.size(), 10u);
  std::vector<double> r_oob, r_test, r_test_f, r_nodes;
  for (const auto& line : reference) {
    r_oob.push_back(line["oob_rmse"]);
    r_test.push_back(line["test_rmse"]);
    r_test_f.push_back(line["test_rmse_vs_f"]);
    r_nodes.push_back(line["total_nodes"]);
  }
  const auto& test = mctest::friedman_test();
  std::vector<double> oob, test_rmse, test_rmse_f, nodes;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto forest = ml::fit_forest(friedman(), matched(seed, 2));
    const auto predicted = forest.predict(test.features(), 2);
    oob.push_back(std::sqrt(forest.oob_mse()));
    test_rmse.push_back(ml::rmse(predicted, test.y));
    test_rmse_f.push_back(ml::rmse(predicted, test.f));
    nodes.push_back(static_cast<double>(forest.node_count()));
    EXPECT_EQ(forest.oob_rows_evaluated(), 2000u);
  }
  const double factor = 4.0 * std::sqrt(1.0 / 10 + 1.0 / 3);
  const auto within = [&](const std::vector<double>& ours, const std::vector<double>& peer,
                          const char* what) {
    EXPECT_NEAR(mctest::mean_of(ours), mctest::mean_of(peer), factor * mctest::sd_of(peer))
        << what << ": ranger sd over seeds " << mctest::sd_of(peer);
  };
  within(oob, r_oob, "OOB RMSE");
  within(test_rmse, r_test, "test RMSE");
  within(test_rmse_f, r_test_f, "test RMSE vs noise-free f");
  within(nodes, r_nodes, "nodes in 500 trees");  // same node-size rule ⇒ same tree sizes
}

TEST(Forest, ImpurityImportanceRanksTheFriedmanSignalAboveTheNoise) {
  const auto forest = ml::fit_forest(friedman(), matched(1, 2));
  const auto importance = forest.impurity_importance();
  double max_noise = 0;
  for (std::size_t col = 5; col < 11; ++col)
    max_noise = std::max(max_noise, importance[col]);
  for (std::size_t col = 0; col < 5; ++col)
    EXPECT_GT(importance[col], max_noise) << "x" << col + 1;
  EXPECT_GT(importance[3], importance[0]);  // x4 (10·x4, linear) carries the most
}

// ---- determinism --------------------------------------------------------------------------

TEST(Forest, OneAndTwoThreadsGiveIdenticalForests) {
  auto params = matched(7, 1);
  params.num_trees = 101;  // odd: unequal blocks
  const auto one = ml::fit_forest(friedman(), params);
  params.threads = 2;
  const auto two = ml::fit_forest(friedman(), params);
  ASSERT_EQ(one.node_count(), two.node_count());
  const auto& test = mctest::friedman_test();
  EXPECT_EQ(one.predict(test.features(), 1), two.predict(test.features(), 2));
  const auto oob1 = one.oob_predictions(), oob2 = two.oob_predictions();
  EXPECT_EQ(std::vector<double>(oob1.begin(), oob1.end()),
            std::vector<double>(oob2.begin(), oob2.end()));
  EXPECT_EQ(one.oob_mse(), two.oob_mse());
  const auto imp1 = one.impurity_importance(), imp2 = two.impurity_importance();
  EXPECT_EQ(std::vector<double>(imp1.begin(), imp1.end()),
            std::vector<double>(imp2.begin(), imp2.end()));
}

// Trees are handed out to the threads dynamically, so which thread grows which tree differs
// from run to run; the forest must not. Compared node by node, with the in-bag bits.
TEST(Forest, AnyThreadCountGivesTheSameTreesOobAndImportance) {
  auto params = matched(11, 1);
  params.num_trees = 37;
  const auto reference = ml::fit_forest(friedman(), params);
  const auto& test = mctest::friedman_test();
  const auto reference_prediction = reference.predict(test.features(), 1);
  const auto ref_oob = reference.oob_predictions();
  const auto ref_imp = reference.impurity_importance();
  for (int threads : {2, 3, 5}) {
    params.threads = threads;
    const auto forest = ml::fit_forest(friedman(), params);
    ASSERT_EQ(forest.num_trees(), reference.num_trees());
    for (std::size_t tree_idx = 0; tree_idx < forest.num_trees(); ++tree_idx) {
      const auto& a = reference.tree(tree_idx);
      const auto& b = forest.tree(tree_idx);
      ASSERT_EQ(a.node_count(), b.node_count()) << "tree " << tree_idx << ", threads " << threads;
      ASSERT_TRUE(std::equal(a.values().begin(), a.values().end(), b.values().begin()))
          << "tree " << tree_idx << ", threads " << threads;
      ASSERT_TRUE(std::equal(a.left_children().begin(), a.left_children().end(),
                             b.left_children().begin()));
      ASSERT_TRUE(std::equal(a.split_vars().begin(), a.split_vars().end(), b.split_vars().begin()));
      ASSERT_EQ(reference.oob_rows(tree_idx), forest.oob_rows(tree_idx));
    }
    EXPECT_EQ(forest.predict(test.features(), threads), reference_prediction);
    const auto oob = forest.oob_predictions();
    EXPECT_EQ(std::vector<double>(oob.begin(), oob.end()),
              std::vector<double>(ref_oob.begin(), ref_oob.end()));
    EXPECT_EQ(forest.oob_mse(), reference.oob_mse());
    const auto imp = forest.impurity_importance();
    EXPECT_EQ(std::vector<double>(imp.begin(), imp.end()),
              std::vector<double>(ref_imp.begin(), ref_imp.end()));
  }
}

TEST(Forest, DifferentSeedsGiveDifferentForests) {
  auto params = matched(1, 2);
  params.num_trees = 20;
  const auto a = ml::fit_forest(friedman(), params);
  params.seed = 2;
  const auto b = ml::fit_forest(friedman(), params);
  EXPECT_NE(a.oob_mse(), b.oob_mse());
}
