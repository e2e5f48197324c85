// CARS (assess/scenario/cars.h): demands reached exactly, restriction and forbidden transitions
// never violated, the same map for any thread count; and the chain Markov → LEAS → CARS →
// validation on the planted world of scenario_world.h.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "minecarbon/assess/scenario/cars.h"
#include "minecarbon/assess/scenario/leas.h"
#include "minecarbon/assess/scenario/markov.h"
#include "minecarbon/assess/scenario/scenario_validation.h"
#include "minecarbon/core/errors.h"
#include "scenario_world.h"

using namespace minecarbon;
using namespace minecarbon::assess::scenario;

namespace {

// 80×60 map: left half class 0, right half class 1, a 10×10 block of class 2 at the centre,
// two nodata cells. Probabilities: class 1 likelier to the right, class 2 likelier near the
// centre; class 0 flat.
struct Grid {
  std::size_t width = 80, height = 60;
  std::vector<std::int32_t> map;
  std::vector<float> prob;
  std::vector<std::uint8_t> restriction;
};

Grid make_grid() {
  Grid g;
  const std::size_t n = g.width * g.height;
  g.map.resize(n);
  g.prob.resize(3 * n);
  g.restriction.assign(n, 1);
  for (std::size_t row = 0; row < g.height; ++row)
    for (std::size_t col = 0; col < g.width; ++col) {
      const std::size_t cell = row * g.width + col;
      g.map[cell] = col < g.width / 2 ? 0 : 1;
      if (row >= 25 && row < 35 && col >= 35 && col < 45) g.map[cell] = 2;
      const double dx = (static_cast<double>(col) - 40.0) / 40.0;
      const double dy = (static_cast<double>(row) - 30.0) / 30.0;
      g.prob[cell] = 0.3f;
      g.prob[n + cell] = static_cast<float>(static_cast<double>(col) / 80.0);
      g.prob[2 * n + cell] = static_cast<float>(std::max(0.0, 1.0 - (dx * dx + dy * dy)));
      if (row < 8) g.restriction[cell] = 0;  // the top 8 rows may not change
    }
  g.map[5] = -1;
  g.map[n - 1] = -1;
  return g;
}

CarsInputs inputs_of(const Grid& g, const std::vector<std::int64_t>& demand,
                     const std::vector<std::uint8_t>& allowed) {
  CarsInputs in;
  in.width = g.width;
  in.height = g.height;
  in.n_classes = 3;
  in.initial = g.map;
  in.probability = g.prob;
  in.demand = demand;
  in.allowed = allowed;
  in.restriction = g.restriction;
  return in;
}

}  // namespace

TEST(ScenarioCars, InertiaFollowsFlusRule) {
  EXPECT_EQ(update_inertia(1.5, 10, 8), 1.5);     // gap shrinking: unchanged
  EXPECT_EQ(update_inertia(1.5, 5, 10), 3.0);     // positive gap growing: ·10/5
  EXPECT_EQ(update_inertia(1.5, -5, -10), 0.75);  // negative gap growing: ·(−5)/(−10)
  EXPECT_EQ(update_inertia(1.5, -5, 10), 1.5);    // sign change: unchanged
}

TEST(ScenarioCars, ReachesDemandKeepsRestrictionAndTransitions) {
  const Grid g = make_grid();
  // Valid 4798 cells: 2349 class 0, 2349 class 1, 100 class 2 (two nodata cells taken from
  // class 0 at cell 5 and class 1 at the last cell).
  const std::vector<std::int64_t> demand = {1800, 2398, 600};
  // 1 → 2 forbidden; 2 may not change.
  const std::vector<std::uint8_t> allowed = {1, 1, 1, 1, 1, 0, 0, 0, 1};
  CarsParams params;
  params.seed = 5;
  const CarsResult r = run_cars(inputs_of(g, demand, allowed), params);
  ASSERT_TRUE(r.converged) << r.iterations;
  EXPECT_EQ(r.counts, demand);
  EXPECT_EQ(r.gaps, (std::vector<std::int64_t>{0, 0, 0}));
  std::size_t changed = 0;
  for (std::size_t cell = 0; cell < r.map.size(); ++cell) {
    if (g.map[cell] < 0) {
      EXPECT_EQ(r.map[cell], g.map[cell]);
      continue;
    }
    if (g.restriction[cell] == 0) {
      EXPECT_EQ(r.map[cell], g.map[cell]) << cell;
    }
    if (r.map[cell] != g.map[cell]) {
      ++changed;
      EXPECT_EQ(allowed[static_cast<std::size_t>(g.map[cell]) * 3 +
                        static_cast<std::size_t>(r.map[cell])],
                1)
          << cell;
    }
  }
  EXPECT_EQ(changed, r.changed_cells);
  EXPECT_EQ(changed, 549u);  // class 0 loses 549 cells: 49 to class 1, 500 to class 2
  // Σ|G| never grows.
  for (std::size_t t = 1; t < r.total_gap_by_iteration.size(); ++t)
    EXPECT_LE(r.total_gap_by_iteration[t], r.total_gap_by_iteration[t - 1]);
  // Probability and neighbourhood grow class 2 around its block: more than half of the new
  // class-2 cells lie within 15 cells of the block's centre, where only about 415 of the 2349
  // class-0 cells (18 %) are.
  std::size_t near = 0, new2 = 0;
  for (std::size_t cell = 0; cell < r.map.size(); ++cell)
    if (r.map[cell] == 2 && g.map[cell] != 2) {
      ++new2;
      const long row = static_cast<long>(cell / g.width), col = static_cast<long>(cell % g.width);
      near += std::abs(row - 30) <= 15 && std::abs(col - 40) <= 15;
    }
  EXPECT_EQ(new2, 500u);
  EXPECT_GT(near, 250u);
}

TEST(ScenarioCars, SameMapForAnyThreadCount) {
  const Grid g = make_grid();
  const std::vector<std::int64_t> demand = {1800, 2398, 600};
  CarsParams params;
  params.neighbourhood = 5;
  params.seed = 9;
  params.threads = 1;
  const CarsResult one = run_cars(inputs_of(g, demand, {}), params);
  params.threads = 2;
  const CarsResult two = run_cars(inputs_of(g, demand, {}), params);
  params.threads = 8;
  const CarsResult eight = run_cars(inputs_of(g, demand, {}), params);
  EXPECT_EQ(one.map, two.map);
  EXPECT_EQ(one.map, eight.map);
  EXPECT_EQ(one.iterations, eight.iterations);
  params.seed = 10;
  const CarsResult other = run_cars(inputs_of(g, demand, {}), params);
  EXPECT_NE(one.map, other.map);
  EXPECT_EQ(other.counts, demand);
}

TEST(ScenarioCars, BadDemandsAndRestriction) {
  Grid g = make_grid();
  CarsParams params;
  // Demands not summing to the valid cells.
  EXPECT_THROW(run_cars(inputs_of(g, {1800, 2398, 601}, {}), params), ConfigError);
  // Class 2 can only grow from class 1, which has no surplus: unreachable.
  const std::vector<std::uint8_t> only_from_1 = {1, 1, 0, 1, 1, 1, 0, 0, 1};
  EXPECT_THROW(run_cars(inputs_of(g, {1800, 2398, 600}, only_from_1), params), ConfigError);
  // Restriction values other than 0/1.
  g.restriction[100] = 2;
  EXPECT_THROW(run_cars(inputs_of(g, {1800, 2398, 600}, {}), params), DataError);
  g.restriction[100] = 1;
  params.neighbourhood = 4;
  EXPECT_THROW(run_cars(inputs_of(g, {1800, 2398, 600}, {}), params), ConfigError);
}

TEST(ScenarioCars, StopsAtMaxIterationsWithGapsReported) {
  Grid g = make_grid();
  // Class 2 has probability 0 everywhere: its demand cannot be met.
  const std::size_t n = g.width * g.height;
  std::fill(g.prob.begin() + static_cast<long>(2 * n), g.prob.end(), 0.0f);
  CarsParams params;
  params.max_iterations = 30;
  const CarsResult r = run_cars(inputs_of(g, {1800, 2398, 600}, {}), params);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 30u);
  EXPECT_EQ(r.gaps[2], 500);
  EXPECT_GT(r.threshold_level, 0u);
}

// Markov demand → LEAS → CARS → validation on the planted world: LEAS trained on T1 → T2,
// CARS allocates T2 → T3 with T3's true demand; the simulation must beat persistence (FoM 0)
// and agree with the observed T3 well. Then a Markov projection one step past T2 is reached
// exactly.
TEST(ScenarioCars, PlantedWorldChain) {
  const test::World w = test::make_world();
  LeasParams lp;
  lp.sampling_rate = 0.2;
  lp.num_trees = 40;
  const LeasResult leas = run_leas(test::inputs_of(w), lp);
  std::vector<std::int32_t> t2 = w.t2;
  t2[0] = -1;  // nodata in T1 stays nodata
  const std::vector<std::int32_t> t3 = test::next_date(w, t2, 100);
  std::vector<std::int64_t> demand(3, 0);
  for (std::int32_t c : t3)
    if (c >= 0) ++demand[static_cast<std::size_t>(c)];
  CarsInputs in;
  in.width = in.height = w.side;
  in.n_classes = 3;
  in.initial = t2;
  in.probability = leas.probability;
  in.demand = demand;
  CarsParams cp;
  cp.seed = 3;
  const CarsResult sim = run_cars(in, cp);
  ASSERT_TRUE(sim.converged);
  EXPECT_EQ(sim.counts, demand);
  const FigureOfMerit fom = figure_of_merit(t2, t3, sim.map);
  const FigureOfMerit persistence = figure_of_merit(t2, t3, t2);
  EXPECT_EQ(persistence.fom, 0.0);
  EXPECT_GT(fom.fom, 0.3);
  const AgreementMetrics a = agreement(confusion_matrix(sim.map, t3, t2, 3));
  EXPECT_GT(a.kappa, 0.7);
  EXPECT_LT(a.kappa, 1.0);

  // Markov from T1 → T2 projected one step from T2, in whole cells, reached by CARS.
  const MarkovMatrix p = markov_matrix(count_transitions(w.t1, t2, 3));
  std::vector<double> s2(3, 0.0);
  std::int64_t valid = 0;
  for (std::int32_t c : t2)
    if (c >= 0) {
      s2[static_cast<std::size_t>(c)] += 1;
      ++valid;
    }
  const std::vector<std::int64_t> markov_demand = integer_demand(project_demand(s2, p, 1), valid);
  in.demand = markov_demand;
  const CarsResult projected = run_cars(in, cp);
  ASSERT_TRUE(projected.converged);
  EXPECT_EQ(projected.counts, markov_demand);
}
