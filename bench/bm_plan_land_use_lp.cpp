// ε-constraint front of a land-use LP: 50 zones × 8 classes (400 variables), carbon (max) and
// cost (min), class shares, a budget; 101 grid points, each a CLP solve plus the lexicographic
// second solve. Issue 13's goal: under 1 s. Checks the front as well as timing it: every point
// efficient (carbon falls as cost falls) and no grid point infeasible.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <stdexcept>

#include "minecarbon/plan/land_use_lp.h"

namespace {

using namespace minecarbon::plan;

// Fixed-seed linear congruential numbers in [0, 1): the model is the same on every run.
double next_unit(std::uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(state >> 11) / 9007199254740992.0;
}

LandUseModel model() {
  LandUseModel m;
  const std::size_t classes = 8, zones = 50;
  for (std::size_t j = 0; j < classes; ++j)
    m.classes.push_back("class" + std::to_string(j));
  std::uint64_t state = 42;
  for (std::size_t z = 0; z < zones; ++z) {
    m.zones.push_back("zone" + std::to_string(z));
    m.zone_area_ha.push_back(20.0 + 180.0 * next_unit(state));
  }
  LandUseObjective carbon{"carbon", true, {}}, cost{"cost", false, {}};
  const double base_carbon[] = {95, 60, 48, 35, 15, 8, 4, 2};
  const double base_cost[] = {20, 14, 8, 12, 9, 30, 3, 45};
  for (std::size_t j = 0; j < classes; ++j)
    for (std::size_t z = 0; z < zones; ++z) {
      carbon.coef_per_ha.push_back(base_carbon[j] * (0.7 + 0.6 * next_unit(state)));
      cost.coef_per_ha.push_back(base_cost[j] * (0.7 + 0.6 * next_unit(state)));
    }
  m.objectives = {carbon, cost};
  m.class_limits.assign(classes, ClassLimit{});
  m.class_limits[0].min_share = 0.2;
  m.class_limits[3].min_share = 0.1;
  m.class_limits[7].max_share = 0.05;
  m.class_limits[5].min_ha = 200.0;
  m.budget_objective = 1;
  m.budget = 1.0e5;
  return m;
}

void BM_EpsilonFront101(benchmark::State& state) {
  const LandUseModel m = model();
  LandUseSettings s;
  s.epsilon_points = 101;
  std::size_t points = 0;
  for (auto _ : state) {
    const PayoffTable payoff = payoff_table(m, s);
    const EpsilonFront front = epsilon_front(m, payoff, s);
    if (!front.infeasible.empty()) throw std::runtime_error("infeasible grid points");
    for (std::size_t p = 1; p < front.points.size(); ++p)
      if (front.points[p].objective_values[0] > front.points[p - 1].objective_values[0] + 1e-6)
        throw std::runtime_error("front not monotone: a weakly efficient point remained");
    points = front.points.size();
    benchmark::DoNotOptimize(front);
  }
  state.counters["front_points"] = static_cast<double>(points);
}
BENCHMARK(BM_EpsilonFront101)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
