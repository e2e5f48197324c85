// The steps of the potential stage on planted inputs: which mines train, validate or stay out and
// why; the grid defaults; the response join; group totals against sums by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "minecarbon/assess/potential.h"
#include "minecarbon/assess/potential/steps.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::assess::potential_steps {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> ids_of(std::size_t n) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i)
    ids.push_back("m" + std::to_string(100 + i));
  return ids;
}

TEST(PotentialSteps, TrainingSetGivesEveryMineItsRole) {
  // 40 mines: 0 without a response, 1 above the threshold but incomplete, 2 below it, the other
  // 37 above it and complete.
  const std::size_t n = 40;
  const auto ids = ids_of(n);
  std::vector<std::uint8_t> complete(n, 1);
  std::vector<double> y(n, 150);
  y[0] = kNaN;
  complete[1] = 0;
  y[2] = 100;  // not above the threshold
  PotentialParams params;
  params.min_training_mines = 10;
  params.max_training_mines = 30;
  params.validation_fraction = 0.2;
  const TrainingSet t = select_training(params, ids, complete, y, 7);
  EXPECT_EQ(t.role[0], MineRole::no_response);
  EXPECT_EQ(t.role[1], MineRole::missing_covariates);
  EXPECT_EQ(t.role[2], MineRole::below_threshold);
  EXPECT_EQ(t.n_no_response, 1u);
  EXPECT_EQ(t.n_pool_missing, 1u);
  EXPECT_EQ(t.pool.size(), 37u);
  EXPECT_EQ(t.n_sample, 30u);          // cut to max_training_mines
  EXPECT_EQ(t.validation.size(), 6u);  // round(0.2 · 30)
  EXPECT_EQ(t.training.size(), 24u);
  std::set<std::size_t> seen(t.training.begin(), t.training.end());
  for (std::size_t mine : t.validation)
    EXPECT_TRUE(seen.insert(mine).second) << "mine " << mine << " both trains and validates";
  std::size_t unsampled = 0;
  for (std::size_t mine = 3; mine < n; ++mine) {
    EXPECT_TRUE(t.role[mine] == MineRole::training || t.role[mine] == MineRole::validation ||
                t.role[mine] == MineRole::unsampled);
    unsampled += t.role[mine] == MineRole::unsampled ? 1 : 0;
  }
  EXPECT_EQ(unsampled, 7u);
  // The draw depends on the seed only, not on the layer order.
  EXPECT_EQ(select_training(params, ids, complete, y, 7).training, t.training);
  EXPECT_NE(select_training(params, ids, complete, y, 8).training, t.training);
}

TEST(PotentialSteps, TooFewTrainingMinesStopWithTheCounts) {
  const auto ids = ids_of(12);
  const std::vector<std::uint8_t> complete(12, 1);
  const std::vector<double> y(12, 500);
  PotentialParams params;  // min_training_mines 30
  try {
    (void)select_training(params, ids, complete, y, 1);
    FAIL() << "12 mines trained a model";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("only 10 training mines"));  // 12 − round(0.15 · 12)
    EXPECT_THAT(e.what(), HasSubstr("need at least 30"));
  }
}

TEST(PotentialSteps, GridDefaultsFollowTheNumberOfCovariates) {
  const ml::GridSearchParams grid = resolve_grid(PotentialParams{}, 14);
  EXPECT_EQ(grid.mtry, (std::vector<std::size_t>{3, 4, 9, 14}));  // √14, 14/3, 28/3, 14
  EXPECT_EQ(grid.min_node_size, (std::vector<std::size_t>{1, 5, 10}));
  EXPECT_EQ(grid.num_trees, (std::vector<std::size_t>{200}));
  EXPECT_EQ(resolve_grid(PotentialParams{}, 1).mtry, (std::vector<std::size_t>{1}));
  PotentialParams wide;
  wide.grid.mtry = {5};
  EXPECT_THROW(resolve_grid(wide, 4), ConfigError);
}

TEST(PotentialSteps, ResponseJoinsByIdAndCountsTheUnmatched) {
  geo::PolygonLayer layer;
  layer.path = "mines.gpkg";
  for (const char* id : {"a", "b", "c"})
    layer.features.push_back({id, {}, {}});
  const ResponseSet response{"r", "r of test", {{"c", 3.5}, {"a", -1}, {"z", 9}}};
  const JoinedResponse joined = join_response(layer, response);
  EXPECT_EQ(joined.values[0], -1);
  EXPECT_TRUE(std::isnan(joined.values[1]));
  EXPECT_EQ(joined.values[2], 3.5);
  EXPECT_EQ(joined.unmatched, 1u);
  const ResponseSet other{"r", "r of test", {{"x", 1}}};
  try {
    (void)join_response(layer, other);
    FAIL() << "a response without any of the layer's ids was joined";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("none of the 3 mine ids"));
    EXPECT_THAT(e.what(), HasSubstr("e.g. 'x'"));
  }
}

MinePotential planted(double observed, double predicted, double low, double high, double area_m2) {
  MinePotential m;
  m.observed = observed;
  m.predicted = predicted;
  m.predicted_low = low;
  m.predicted_high = high;
  m.area_m2 = area_m2;
  m.potential = carbon::restoration_potential_interval(predicted, low, high, observed);
  return m;
}

TEST(PotentialSteps, GroupTotalsAreTheSumsByHand) {
  std::vector<MinePotential> mines = {
      planted(100, 300, 150, 400, 1e6),   // potential 200, interval [50, 300]: has potential
      planted(250, 300, 200, 350, 2e6),   // potential 50, [0, 100]: interval reaches zero
      planted(400, 300, 250, 380, 1e6),   // potential 0, [0, 0]
      planted(kNaN, 300, 250, 380, 5e6),  // no response: unknown
  };
  const std::vector<GroupColumn> groups = {{"basin", {"x", "y", "x", "y"}, 0, ""}};
  const auto out = summarise_groups(mines, groups);
  ASSERT_EQ(out.size(), 3u);  // all, basin x, basin y
  const PotentialGroup& all = out[0];
  EXPECT_EQ(all.field, "all");
  EXPECT_EQ(all.n_mines, 4u);
  EXPECT_EQ(all.n_response, 3u);
  EXPECT_EQ(all.n_predicted, 4u);
  EXPECT_EQ(all.n_known, 3u);
  EXPECT_EQ(all.n_with, 1u);
  EXPECT_EQ(all.n_possible, 2u);
  EXPECT_EQ(all.sum_potential, 250);
  EXPECT_EQ(all.max_potential, 200);
  // 200 g/m² · 1 km² + 50 · 2 km² = 3e8 g = 0.3 Gg.
  EXPECT_DOUBLE_EQ(all.total_GgC_yr, 0.3);
  EXPECT_DOUBLE_EQ(all.total_low_GgC_yr, 0.05);
  EXPECT_DOUBLE_EQ(all.total_high_GgC_yr, 0.3 + 0.2);
  EXPECT_EQ(all.area_known_m2, 4e6);
  EXPECT_EQ(out[1].group, "x");
  EXPECT_EQ(out[1].n_known, 2u);
  EXPECT_EQ(out[1].sum_potential, 200);
  EXPECT_EQ(out[2].group, "y");
  EXPECT_EQ(out[2].n_known, 1u);
  EXPECT_TRUE(std::isfinite(out[2].max_potential));
}

}  // namespace
}  // namespace minecarbon::assess::potential_steps
