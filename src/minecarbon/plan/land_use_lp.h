// Land-use structure optimisation: how many hectares of each land-use class j go to each zone z,
// with several linear objectives, solved in-process with COIN-OR CLP (CBC when semi-continuous
// "0 or ≥ m ha" choices need integers). Methods (docs/plan.md §4; planning methods §3.2):
//
//   variables   x_jz ≥ 0 (ha), one per allowed (class, zone) pair
//   objectives  f_o(x) = Σ_jz c_ojz x_jz, each maximised or minimised (coefficients per ha)
//   rows        zone areas Σ_j x_jz (=, ≤ or ≥) A_z; class areas min_ha ≤ Σ_z x_jz ≤ max_ha;
//               class shares Σ_z x_jz − s Σ_jz x_jz (≥ 0 for min_share, ≤ 0 for max_share);
//               budget Σ_jz cost_jz x_jz ≤ B; user rows Σ a_jz x_jz (≤, ≥, =) b;
//               semi-continuous x_jz = 0 or m_j ≤ x_jz ≤ A_z via a binary y_jz:
//               x_jz − A_z y_jz ≤ 0 and x_jz − m_j y_jz ≥ 0
//   payoff      each objective alone, then lexicographically the others in their listed order,
//               each fixed at its optimum (f ≥ f* − tol·max(1, |f*|)) before the next: every
//               payoff row is an efficient solution; best_o = the diagonal, worst_o = the worst
//               value of o over the rows
//   ε-front     max f_p s.t. f_o ≥ ε_o (o ≠ p, in the maximising sense), ε_o on an even grid of
//               `epsilon_points` over [worst_o, best_o]; then a second solve fixes f_p and
//               maximises Σ_o f_o / (best_o − worst_o), so no weakly efficient point remains;
//               points with equal objective values (relative 1e-9) are merged; grid points
//               without a feasible solution are reported, never dropped silently
//   weighted    max Σ_o w_o (f_o − worst_o)/(best_o − worst_o)
//   fuzzy       max λ s.t. (f_o − worst_o)/(best_o − worst_o) ≥ λ, 0 ≤ λ ≤ 1 (max–min
//               compromise), then a second solve fixing λ and maximising Σ_o μ_o
// Duals are those of the solve that defines a point (the first, not the lexicographic second),
// as d f_p / d rhs in the objective's own units (e.g. t C per yuan of budget); with integers, of
// the LP with the binaries fixed at the optimum.
//
// Errors: a model with no feasible allocation throws DataError (exit 3) listing the constraints
// an elastic relaxation (minimise Σ violations / max(1, |rhs|)) had to relax and by how much; an
// unbounded objective throws DataError naming the objective and the (class, zone) pairs along the
// unbounded ray.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace minecarbon::plan {

enum class RowSense { at_most, at_least, equal };
enum class ZoneAreaRule { equal, at_most, at_least };

inline constexpr double kNoLimit = std::numeric_limits<double>::quiet_NaN();

struct LandUseObjective {
  std::string name;
  bool maximise = true;
  std::vector<double> coef_per_ha;  // [class * zones + zone]
};

struct ClassLimit {
  double min_ha = kNoLimit, max_ha = kNoLimit;
  double min_share = kNoLimit, max_share = kNoLimit;  // of the allocated total, 0..1
  double min_patch_ha = 0.0;  // > 0: each zone gets 0 or at least this much (needs CBC)
};

struct UserRow {
  std::string name;
  RowSense sense = RowSense::at_most;
  double rhs = 0.0;
  std::vector<double> coef;  // [class * zones + zone]
};

struct LandUseModel {
  std::vector<std::string> classes, zones;
  std::vector<double> zone_area_ha;
  ZoneAreaRule zone_area_rule = ZoneAreaRule::equal;
  std::vector<char> allowed;             // [class * zones + zone]; empty = every pair
  std::vector<ClassLimit> class_limits;  // empty or one per class
  std::vector<LandUseObjective> objectives;
  std::size_t budget_objective = 0;  // whose coefficients the budget row uses
  double budget = kNoLimit;          // NaN: no budget row
  std::vector<UserRow> user_rows;
};

struct LpRowReport {
  std::string name;  // "zone 'Z1' area", "class 'forest' min_share", "budget", "<user row>"
  std::string kind;  // zone, class_area, class_share, budget, user, patch, objective_bound
  double activity = 0.0;
  double lower = 0.0, upper = 0.0;  // ±inf for none
  double dual = 0.0;                // d f_p / d rhs (maximising sense of the primary objective)
  bool binding = false;
};

struct LandUsePoint {
  std::string label;                     // "payoff:carbon", "epsilon:7", "weighted", "fuzzy"
  std::vector<double> objective_values;  // one per objective, in its own units and sense
  std::vector<double> area_ha;           // [class * zones + zone]
  std::vector<LpRowReport> rows;
  std::vector<double> epsilon;  // ε-front: the bounds of the other objectives (own sense)
  std::size_t merged_grid_points = 1;
  double lambda = kNoLimit;  // fuzzy: the achieved min membership
};

struct LandUseSettings {
  std::size_t primary = 0;          // the objective the ε-front maximises (or minimises)
  std::size_t epsilon_points = 11;  // per other objective
  std::vector<double> weights;      // weighted sum; empty = equal
  double tolerance = 1e-9;          // relative slack when fixing an optimum
};

struct PayoffTable {
  std::vector<LandUsePoint> rows;  // one per objective
  std::vector<double> best, worst;
  bool integer = false;  // solved with CBC
};

struct InfeasibleGridPoint {
  std::vector<double> epsilon;
  std::string status;
};

struct EpsilonFront {
  std::vector<LandUsePoint> points;
  std::vector<InfeasibleGridPoint> infeasible;
  std::size_t grid_points = 0;
  std::size_t merged_duplicates = 0;
  std::size_t dropped_dominated = 0;
};

// Checks the model's sizes and values (throws std::invalid_argument naming the field).
void check_model(const LandUseModel& model);

PayoffTable payoff_table(const LandUseModel& model, const LandUseSettings& settings);
EpsilonFront epsilon_front(const LandUseModel& model, const PayoffTable& payoff,
                           const LandUseSettings& settings);
LandUsePoint weighted_sum(const LandUseModel& model, const PayoffTable& payoff,
                          const LandUseSettings& settings);
LandUsePoint fuzzy_compromise(const LandUseModel& model, const PayoffTable& payoff,
                              const LandUseSettings& settings);

}  // namespace minecarbon::plan
