// One regression tree, grown without resampling so every split can be worked by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/ml/regression_tree.h"
#include "ml_test_data.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;

namespace {

// One tree on every row once: replace = false, sample_fraction = 1, all variables tried.
ml::Forest one_tree(const ml::Dataset& data, std::size_t min_node_size = 1,
                    std::size_t max_depth = 0, std::size_t min_bucket = 1) {
  ml::ForestParams params;
  params.num_trees = 1;
  params.replace = false;
  params.sample_fraction = 1.0;
  params.mtry = data.n_cols();
  params.min_node_size = min_node_size;
  params.max_depth = max_depth;
  params.min_bucket = min_bucket;
  return ml::fit_forest(data, params);
}

}  // namespace

TEST(RegressionTree, CorruptNodeArraysAreDataErrors) {
  EXPECT_EQ(ml::RegressionTree({0.5, 1, 2}, {1, 0, 0}, {0, 0, 0}, 1).node_count(), 3u);
  EXPECT_THAT(
      [] {
        ml::RegressionTree({0.5, 1, 2}, {2, 0, 0}, {0, 0, 0}, 1);
      },
      testing::ThrowsMessage<mc::DataError>(testing::HasSubstr("corrupt")));
  EXPECT_THROW(ml::RegressionTree({0.5, 1, 2}, {1, 0, 0}, {3, 0, 0}, 1), mc::DataError);
  EXPECT_THROW(ml::RegressionTree({}, {}, {}, 1), mc::DataError);
}

TEST(RegressionTree, PureResponseGivesASingleLeaf) {
  const ml::Dataset data({1, 2, 3, 4}, {7, 7, 7, 7});
  const auto forest = one_tree(data);
  ASSERT_EQ(forest.tree(0).node_count(), 1u);
  EXPECT_EQ(forest.tree(0).values()[0], 7.0);
}

TEST(RegressionTree, SplitsAtTheMidpointOfTheBestGap) {
  // y jumps between x = 2 and x = 3: split at 2.5, both children pure.
  const ml::Dataset data({1, 2, 3, 4}, {0, 0, 10, 10});
  const auto forest = one_tree(data);
  const auto& tree = forest.tree(0);
  ASSERT_EQ(tree.node_count(), 3u);
  EXPECT_EQ(tree.split_vars()[0], 0);
  EXPECT_EQ(tree.values()[0], 2.5);
  EXPECT_EQ(tree.left_children()[0], 1u);
  EXPECT_EQ(tree.values()[1], 0.0);
  EXPECT_EQ(tree.values()[2], 10.0);
  // Impurity decrease: SSE 100 at the root, 0 in the children.
  EXPECT_DOUBLE_EQ(forest.impurity_importance()[0], 100.0);
}

TEST(RegressionTree, ValueEqualToTheThresholdGoesLeft) {
  const ml::Dataset data({1, 2, 3, 4}, {0, 0, 10, 10});
  const auto forest = one_tree(data);
  EXPECT_EQ(forest.predict_one(std::vector<double>{2.5}), 0.0);
  EXPECT_EQ(forest.predict_one(std::vector<double>{std::nextafter(2.5, 3.0)}), 10.0);
}

TEST(RegressionTree, MidpointRoundingOntoTheUpperValueUsesTheLowerValue) {
  // (a + b) / 2 rounds to b for these neighbours; the threshold must still separate them.
  const double b = 1.0, a = std::nextafter(1.0, 0.0);
  ASSERT_EQ((a + b) / 2.0, b);
  const ml::Dataset data({a, b}, {0, 1});
  const auto forest = one_tree(data);
  ASSERT_EQ(forest.tree(0).node_count(), 3u);
  EXPECT_EQ(forest.tree(0).values()[0], a);
  EXPECT_EQ(forest.predict_one(std::vector<double>{a}), 0.0);
  EXPECT_EQ(forest.predict_one(std::vector<double>{b}), 1.0);
}

TEST(RegressionTree, NodesWithAtMostMinNodeSizeDrawsAreNotSplit) {
  const ml::Dataset data({1, 2, 3, 4}, {0, 0, 10, 10});
  EXPECT_EQ(one_tree(data, 4).tree(0).node_count(), 1u);  // 4 ≤ 4: leaf, mean 5
  EXPECT_EQ(one_tree(data, 4).tree(0).values()[0], 5.0);
  EXPECT_EQ(one_tree(data, 3).tree(0).node_count(), 3u);
}

TEST(RegressionTree, MaxDepthOneGrowsAStump) {
  const ml::Dataset data({1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(one_tree(data, 1, 1).tree(0).node_count(), 3u);
  EXPECT_EQ(one_tree(data, 1, 2).tree(0).node_count(), 7u);
  EXPECT_EQ(one_tree(data, 1, 0).tree(0).node_count(), 15u);  // unlimited: one row per leaf
}

TEST(RegressionTree, MinBucketKeepsSmallChildrenOut) {
  // The outlier alone would be the best split (at 1.5); with min_bucket 2 the split moves to 2.5.
  const ml::Dataset data({1, 2, 3, 4, 5, 6}, {100, 0, 0, 0, 0, 0});
  EXPECT_EQ(one_tree(data, 1, 1, 1).tree(0).values()[0], 1.5);
  EXPECT_EQ(one_tree(data, 1, 1, 2).tree(0).values()[0], 2.5);
}

TEST(RegressionTree, TiedValuesAreNeverSplitApart) {
  const ml::Dataset data({1, 1, 1, 2, 2, 2}, {0, 1, 2, 3, 4, 5});
  const auto forest = one_tree(data);
  const auto& tree = forest.tree(0);
  ASSERT_EQ(tree.node_count(), 3u);  // only one gap exists
  EXPECT_EQ(tree.values()[0], 1.5);
  EXPECT_DOUBLE_EQ(tree.values()[1], 1.0);
  EXPECT_DOUBLE_EQ(tree.values()[2], 4.0);
}

TEST(RegressionTree, PicksTheInformativeVariable) {
  const auto data = mctest::step_dataset(200, 1);
  const auto forest = one_tree(data, 150);  // only the root can split: 200 > 150
  const auto& tree = forest.tree(0);
  EXPECT_EQ(tree.split_vars()[0], 0);
  EXPECT_NEAR(tree.values()[0], 0.5, 1.0 / 200);
}

TEST(RegressionTree, CutpointsAndSplitVariablesListTheTreesSplits) {
  const ml::Dataset data({1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 3, 4, 5, 6, 7, 8});
  const auto forest = one_tree(data, 1, 2);
  const auto& tree = forest.tree(0);
  EXPECT_EQ(ml::split_variables(tree), (std::vector<std::uint16_t>{0}));
  const auto cuts = ml::cutpoints_by_variable(tree, 1);
  EXPECT_EQ(cuts[0], (std::vector<double>{2.5, 4.5, 6.5}));
}
