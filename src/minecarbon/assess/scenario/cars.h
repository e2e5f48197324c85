// CARS, PLUS's CA based on multi-type random patch seeds (Liang et al. 2021, CEUS 85:101569;
// equations CONFIRMED 2nd-hand via ChinaXiv:202208.00055; docs/scenario.md §4 has every choice
// below with its reason). Allocates whole-cell demands per class on a map of class indices.
//
// Per iteration t (gaps G^t_k = demand_k − count_k at the start of t):
//   Ω_{i,k} = (cells of class k in the n×n window of the previous map, centre excluded)/(n² − 1)·w_k
//             (cells outside the grid or nodata count as no class; the denominator stays n² − 1)
//   D^t_k   = FLUS adaptive inertia (Liu et al. 2017, LUP 168:94), D^0 = 1, `update_inertia`
//   OP_{i,k} = P_{i,k}·(r·μ)·D_k        if Ω_{i,k} = 0 and r < P_{i,k}   (a random patch seed)
//            = 0                         if Ω_{i,k} = 0 otherwise
//            = P_{i,k}·Ω_{i,k}·D_k        otherwise
//   roulette over OP_{i,k} picks c; the cell is a candidate for c iff P_{i,c} > τ = δ^l·r1,
//   r1 ~ U[0, 2) (mean 1), l += 1 whenever Σ|G^{t−1}| − Σ|G^t| < step (the threshold falls when
//   the allocation stalls).
// Choices where PLUS is silent (UNCONFIRMED in the sources; ours, documented):
//   - synchronous updates: every cell reads the map of the previous iteration;
//   - only cells of a class above its demand (G < 0) may change, only into classes below their
//     demand (G > 0), through allowed transitions, never restricted cells: net demand is met
//     without swaps, so no class overshoots and a restricted cell never changes;
//   - candidates are accepted in a deterministic priority order (OP descending, then cell index)
//     while the target's gap and the source's surplus last, so no class passes its demand;
//   - seeds: at most ⌈seed_percentage · G^t_c⌉ of a class's accepted changes per iteration are
//     seeds (PLUS's "percentage of seeds" read as a cap on new patches);
//   - every random number of cell i in iteration t comes from the stream
//     (seed, kCarsStream, t·cells + i): the same map for any thread count.
// Stops when every |G_k| ≤ tolerance_cells or after max_iterations (converged = false, the gaps
// are in the result).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace minecarbon::assess::scenario {

struct CarsParams {
  int neighbourhood = 3;               // n, odd ≥ 3 (PLUS "neighbourhood", default 3)
  double patch_threshold = 0.7;        // δ in (0, 1] (PLUS "patch generation threshold"; sample)
  double expansion_coefficient = 0.1;  // μ in [0, 1] (PLUS "expansion coefficient"; sample)
  double seed_percentage = 0.1;        // [0, 1] (PLUS "percentage of seeds"; sample)
  std::vector<double> weights;         // w_k ≥ 0 per class; empty = all 1
  std::int64_t tolerance_cells = 0;
  std::size_t max_iterations = 500;
  // Step of the decreasing threshold in cells; 0 = 1 % of the initial Σ|G| (at least 1).
  double threshold_step_cells = 0;
  std::uint64_t seed = 42;
  int threads = 1;
};

struct CarsInputs {
  std::size_t width = 0, height = 0, n_classes = 0;
  std::span<const std::int32_t> initial;      // class index per cell, row-major, < 0 nodata
  std::span<const float> probability;         // [class · cells + cell] (LEAS), NaN read as 0
  std::span<const std::int64_t> demand;       // cells per class, Σ = valid cells
  std::span<const std::uint8_t> allowed;      // [from · n + to], 1 allowed; empty = all allowed
  std::span<const std::uint8_t> restriction;  // per cell, 0 may not change, 1 may; empty = all
};

struct CarsResult {
  std::vector<std::int32_t> map;
  std::vector<std::int64_t> counts, gaps;            // per class at the end; gap = demand − count
  std::vector<double> inertia;                       // D_k at the end
  std::vector<std::int64_t> total_gap_by_iteration;  // Σ|G| at the start of each iteration
  std::size_t iterations = 0;
  bool converged = false;
  std::uint64_t changed_cells = 0, seeded_cells = 0;
  std::size_t threshold_level = 0;  // l at the end
};

// FLUS adaptive inertia of one class from its gaps two iterations back (g2 = G^{t−2}) and one
// back (g1 = G^{t−1}):
//   D·g2/g1 if 0 > g2 > g1;  D·g1/g2 if g1 > g2 > 0;  D otherwise (including |g1| ≤ |g2|).
double update_inertia(double inertia, double g2, double g1);

// ConfigError for bad parameters, demands not summing to the valid cells, or a class whose
// demand can only be reached through forbidden transitions (named by index); DataError for
// inputs of the wrong size or restriction values other than 0/1.
CarsResult run_cars(const CarsInputs& inputs, const CarsParams& params);

}  // namespace minecarbon::assess::scenario
