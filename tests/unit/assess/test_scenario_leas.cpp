// LEAS (assess/scenario/leas.h) on a synthetic world where planted drivers decide expansion:
// class 2 ("built") grows next to a road (driver "road" small), class 1 ("forest") on steep
// cells ("slope" large); "noise" decides nothing. The forests must rank the planted driver
// first for its class, and the development probabilities must separate the planted zones.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "minecarbon/assess/scenario/leas.h"
#include "minecarbon/core/errors.h"
#include "scenario_world.h"

using namespace minecarbon;
using namespace minecarbon::assess::scenario;
using minecarbon::test::inputs_of;
using minecarbon::test::make_world;
using minecarbon::test::World;

TEST(ScenarioLeas, ExpansionMap) {
  const std::vector<std::int32_t> a = {0, 1, 2, -1, 1}, b = {0, 2, 2, 1, -1};
  EXPECT_EQ(expansion_map(a, b), (std::vector<std::int32_t>{-1, 2, -1, -1, -1}));
}

TEST(ScenarioLeas, RecoversPlantedDriverRanking) {
  const World w = make_world();
  LeasParams params;
  params.sampling_rate = 0.3;
  params.num_trees = 60;
  params.seed = 11;
  const LeasResult r = run_leas(inputs_of(w), params);
  ASSERT_EQ(r.classes.size(), 3u);
  EXPECT_FALSE(r.classes[0].fitted);  // nothing turned into class 0
  ASSERT_TRUE(r.classes[1].fitted);
  ASSERT_TRUE(r.classes[2].fitted);
  EXPECT_EQ(r.valid_cells, w.side * w.side - 1);
  EXPECT_NEAR(static_cast<double>(r.sampled_cells) / static_cast<double>(r.valid_cells), 0.3, 0.02);
  const auto& built = r.classes[2].contribution;
  const auto& forest = r.classes[1].contribution;
  EXPECT_GT(built[0], built[1]);
  EXPECT_GT(built[0], built[2]);
  EXPECT_GT(built[0], 0.5);
  EXPECT_GT(forest[1], forest[0]);
  EXPECT_GT(forest[1], forest[2]);
  EXPECT_GT(forest[1], 0.5);
  double sum = 0;
  for (double v : built)
    sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_GT(r.classes[2].oob_rmse, 0.0);
  EXPECT_LT(r.classes[2].oob_rmse, 0.5);

  // Development probability of class 2: planted 0.6 next to the road, ~0.01 far from it
  // (outside the forest zone).
  double near = 0, far = 0;
  std::size_t n_near = 0, n_far = 0;
  for (std::size_t cell = 1; cell < r.n_cells; ++cell) {
    const float p2 = r.probability[2 * r.n_cells + cell];
    if (w.road[cell] < 1000) {
      near += p2;
      ++n_near;
    } else if (w.road[cell] > 1500 && w.slope[cell] < 20) {
      far += p2;
      ++n_far;
    }
  }
  EXPECT_NEAR(near / static_cast<double>(n_near), 0.6, 0.1);
  EXPECT_LT(far / static_cast<double>(n_far), 0.05);
  EXPECT_EQ(r.probability[0 * r.n_cells + 5], 0.0f);  // class 0: no forest, probability 0
}

TEST(ScenarioLeas, SameNumbersForAnyThreadCountAndVoteMode) {
  const World w = make_world();
  LeasParams params;
  params.sampling_rate = 0.1;
  params.num_trees = 20;
  params.threads = 1;
  const LeasResult one = run_leas(inputs_of(w), params);
  params.threads = 3;
  const LeasResult three = run_leas(inputs_of(w), params);
  EXPECT_EQ(one.probability, three.probability);
  EXPECT_EQ(one.classes[2].contribution, three.classes[2].contribution);
  params.probability = LeasProbability::vote;
  const LeasResult vote = run_leas(inputs_of(w), params);
  // Vote shares are multiples of 1/20.
  for (std::size_t cell = 1; cell < 200; ++cell) {
    const double v = vote.probability[2 * vote.n_cells + cell] * 20.0;
    EXPECT_NEAR(v, std::round(v), 1e-4);
  }
}

TEST(ScenarioLeas, FutureDriversReplaceHistoricalAtPrediction) {
  const World w = make_world();
  LeasInputs in = inputs_of(w);
  // The road moves: every cell is now 0 m from it.
  const std::vector<double> new_road(w.road.size(), 0.0);
  in.drivers_future = {new_road, {}, {}};
  LeasParams params;
  params.sampling_rate = 0.2;
  params.num_trees = 30;
  const LeasResult r = run_leas(in, params);
  double mean = 0;
  std::size_t count = 0;
  for (std::size_t cell = 1; cell < r.n_cells; ++cell)
    if (w.slope[cell] < 20) {
      mean += r.probability[2 * r.n_cells + cell];
      ++count;
    }
  EXPECT_NEAR(mean / static_cast<double>(count), 0.6, 0.1);
}

TEST(ScenarioLeas, BadInputs) {
  const World w = make_world();
  LeasInputs in = inputs_of(w);
  LeasParams params;
  params.sampling_rate = 0;
  EXPECT_THROW(run_leas(in, params), ConfigError);
  params.sampling_rate = 0.1;
  const std::vector<double> constant(w.road.size(), 3.0);
  in.drivers[2] = constant;
  EXPECT_THROW(run_leas(in, params), DataError);
  const std::vector<double> short_layer(10, 1.0);
  in.drivers[2] = short_layer;
  EXPECT_THROW(run_leas(in, params), DataError);
}
