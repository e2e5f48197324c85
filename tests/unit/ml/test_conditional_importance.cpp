// Conditional permutation importance against party 1.3-11 on the Strobl et al. (2008) design.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/progress.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/ml/conditional_importance.h"
#include "minecarbon/ml/forest.h"
#include "ml_test_data.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;

namespace {

const ml::Dataset& strobl() {
  static const ml::Dataset data = mctest::strobl_train().dataset();
  return data;
}

// party's forest setting: cforest_unbiased(ntree = 200, mtry = 3) subsamples 0.632 without
// replacement, splits nodes of ≥ 20 observations (minsplit 20: ours min_node_size 19) and keeps
// ≥ 7 in each child (minbucket 7), printed from party 1.3-11. Our trees are CART trees.
const ml::Forest& strobl_forest() {
  static const ml::Forest forest = [] {
    ml::ForestParams params;
    params.num_trees = 500;
    params.mtry = 3;
    params.replace = false;
    params.sample_fraction = 0.632;
    params.min_node_size = 19;
    params.min_bucket = 7;
    params.seed = 11;
    params.threads = 2;
    return ml::fit_forest(strobl(), params);
  }();
  return forest;
}

std::vector<mctest::PartyRow> party_seeds(std::size_t seed) {
  return mctest::read_party_csv("strobl2008_n500_cpi_party_seed" + std::to_string(seed) + ".csv");
}

// party's retained share CPI/PI of a variable in each of its 5 seeds.
std::vector<double> party_ratios(std::size_t var) {
  std::vector<double> ratios;
  for (std::size_t seed = 1; seed <= 5; ++seed) {
    const auto rows = party_seeds(seed);
    ratios.push_back(rows[var].cond_perm_imp / rows[var].perm_imp);
  }
  return ratios;
}

}  // namespace

TEST(ConditionalImportance, BadThresholdModeAndPermutationsAreConfigErrors) {
  ml::ConditionalImportanceParams params;
  params.threshold = 1.5;
  EXPECT_THAT([&] { ml::conditional_importance(strobl_forest(), strobl(), params); },
              testing::ThrowsMessage<mc::ConfigError>(testing::HasSubstr("threshold = 1.5")));
  params = {};
  params.num_permutations = 0;
  EXPECT_THROW(ml::conditional_importance(strobl_forest(), strobl(), params), mc::ConfigError);
  EXPECT_THAT([] { ml::conditional_importance_mode_from_string("strobl"); },
              testing::ThrowsMessage<mc::ConfigError>(testing::HasSubstr("party, permimp")));
  EXPECT_EQ(ml::conditional_importance_mode_from_string("permimp"),
            ml::ConditionalImportanceMode::permimp);
}

TEST(ConditionalImportance, PartyConditioningSetsEqualParty) {
  // party 1.3-11 printed the variables its ctree stump selects at threshold 0.2 (seed 1 run).
  const auto party = party_seeds(1);
  const auto sets = ml::party_conditioning_sets(strobl(), 0.2);
  ASSERT_EQ(party.size(), sets.size());
  for (std::size_t var = 0; var < sets.size(); ++var) {
    std::vector<std::string> ours;
    for (std::size_t other : sets[var])
      ours.push_back(strobl().names()[other]);
    EXPECT_EQ(ours, party[var].cond_on) << party[var].variable;
  }
}

TEST(ConditionalImportance, ThresholdOneConditionsOnNothing) {
  ml::ConditionalImportanceParams params;
  params.threshold = 1.0;
  params.threads = 2;
  const auto result = ml::conditional_importance(strobl_forest(), strobl(), params);
  for (std::size_t var = 0; var < 12; ++var) {
    EXPECT_TRUE(result.conditioning_sets[var].empty());
    EXPECT_EQ(result.trees_unconditional[var], result.importance.trees_using[var]);
  }
}

TEST(ConditionalImportance, CorrelatedIrrelevantVariableLosesItsImportanceAsInParty) {
  // Strobl et al. (2008): x4 has no effect but is correlated (ρ = 0.9) with x1..x3. Plain
  // permutation importance ranks it above the independent informative x5 and x6; conditioning
  // removes that. party (5 seeds) keeps 2.2 % of x4's plain importance and about 24 % of x5's
  // and x6's.
  //  * x4's retained share must equal party's within 3 Monte-Carlo SEs of the difference
  //    (party's seed-to-seed sd of the share, and ours from the per-tree spread);
  //  * x4's conditional importance must fall below x5's and x6's by more than 3 SEs.
  ml::ConditionalImportanceParams params;
  params.threads = 2;
  const auto cpi = ml::conditional_importance(strobl_forest(), strobl(), params);
  ml::PermutationImportanceParams plain_params;
  plain_params.threads = 2;
  const auto plain = ml::permutation_importance(strobl_forest(), strobl(), plain_params);
  const auto& c = cpi.importance.importance;
  const auto& c_se = cpi.importance.standard_error;
  const auto& u = plain.importance;
  const std::size_t x1 = 0, x4 = 3, x5 = 4, x6 = 5;

  EXPECT_GT(u[x4], u[x5]);  // unconditional: x4 inflated above x5 (party: 21.9 vs 16.6)
  const auto party_x4 = party_ratios(x4);
  const double ours_x4 = c[x4] / u[x4];
  const double tolerance = 3 * std::hypot(mctest::sd_of(party_x4), c_se[x4] / u[x4]);
  EXPECT_NEAR(ours_x4, mctest::mean_of(party_x4), tolerance);
  for (std::size_t informative : {x5, x6}) {
    EXPECT_GT(c[informative] - c[x4], 3 * std::hypot(c_se[informative], c_se[x4]));
    EXPECT_LT(ours_x4, c[informative] / u[informative] / 3);  // party: a tenth
  }
  EXPECT_LT(ours_x4, c[x1] / u[x1]);  // x1 has an effect of its own
  for (std::size_t noise = 7; noise < 12; ++noise) {
    EXPECT_LT(std::fabs(c[noise]), 4 * c_se[noise] + 0.01) << "x" << noise + 1;
  }
}

TEST(ConditionalImportance, PermimpModeAlsoRemovesTheCorrelatedVariablesCredit) {
  ml::ConditionalImportanceParams params;
  params.mode = ml::ConditionalImportanceMode::permimp;
  params.threads = 2;
  const auto cpi = ml::conditional_importance(strobl_forest(), strobl(), params);
  EXPECT_EQ(cpi.threshold, 0.95);
  EXPECT_TRUE(cpi.conditioning_sets.empty());
  ml::PermutationImportanceParams plain_params;
  plain_params.threads = 2;
  const auto plain = ml::permutation_importance(strobl_forest(), strobl(), plain_params);
  const auto& c = cpi.importance.importance;
  const auto& u = plain.importance;
  // Per-tree selection at 0.95 conditions on the strongly associated x1..x3 only: x4 loses more
  // of its importance than the independent x5 and x6.
  EXPECT_LT(c[3] / u[3], c[4] / u[4]);
  EXPECT_LT(c[3] / u[3], c[5] / u[5]);
  EXPECT_LT(c[3], c[4]);
}

TEST(ConditionalImportance, IdenticalForOneAndTwoThreadsInBothModes) {
  for (auto mode : {ml::ConditionalImportanceMode::party, ml::ConditionalImportanceMode::permimp}) {
    ml::ConditionalImportanceParams params;
    params.mode = mode;
    params.threads = 1;
    const auto one = ml::conditional_importance(strobl_forest(), strobl(), params);
    params.threads = 2;
    const auto two = ml::conditional_importance(strobl_forest(), strobl(), params);
    EXPECT_EQ(one.importance.per_tree, two.importance.per_tree) << ml::to_string(mode);
    EXPECT_EQ(one.trees_skipped, two.trees_skipped);
    params.threads = 3;  // trees handed out dynamically: any split of the trees gives the same
    const auto three = ml::conditional_importance(strobl_forest(), strobl(), params);
    EXPECT_EQ(one.importance.per_tree, three.importance.per_tree) << ml::to_string(mode);
  }
}

// Importance is the other silent part of the potential chain: one step per tree (trees skipped
// in permimp mode included), from the worker threads, and no number changes.
TEST(ConditionalImportance, ProgressCountsEveryTreeAndLeavesTheNumbersUnchanged) {
  ml::ConditionalImportanceParams params;
  params.mode = ml::ConditionalImportanceMode::permimp;
  params.threads = 2;
  const auto silent = ml::conditional_importance(strobl_forest(), strobl(), params);
  mc::RunContext context;
  testing::internal::CaptureStderr();
  {
    mc::Progress progress(context, "conditional importance", strobl_forest().num_trees());
    const auto reported = ml::conditional_importance(strobl_forest(), strobl(), params, &progress);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // loops under 1 s stay quiet
    progress.finish();
    EXPECT_EQ(reported.importance.per_tree, silent.importance.per_tree);
  }
  EXPECT_THAT(testing::internal::GetCapturedStderr(),
              testing::HasSubstr("conditional importance: 500/500 (100%)"));
}
