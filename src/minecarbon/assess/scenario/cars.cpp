#include "minecarbon/assess/scenario/cars.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "minecarbon/assess/scenario/scenario_streams.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/random.h"

namespace minecarbon::assess::scenario {

namespace {

struct Candidate {
  std::uint32_t cell;
  std::int32_t target;
  float priority;  // OP of the chosen class
  bool seed;
};

void check(const CarsInputs& in, const CarsParams& p) {
  const std::size_t n_cells = in.width * in.height, n = in.n_classes;
  if (p.neighbourhood < 3 || p.neighbourhood % 2 == 0)
    throw ConfigError("scenario.cars.neighbourhood = " + std::to_string(p.neighbourhood) +
                      ": expected an odd window size ≥ 3 (PLUS default 3)");
  if (!(p.patch_threshold > 0 && p.patch_threshold <= 1))
    throw ConfigError("scenario.cars.patch_generation_threshold = " +
                      std::to_string(p.patch_threshold) + ": expected a value in (0, 1]");
  if (!(p.expansion_coefficient >= 0 && p.expansion_coefficient <= 1))
    throw ConfigError("scenario.cars.expansion_coefficient = " +
                      std::to_string(p.expansion_coefficient) + ": expected a value in [0, 1]");
  if (!(p.seed_percentage >= 0 && p.seed_percentage <= 1))
    throw ConfigError("scenario.cars.seed_percentage = " + std::to_string(p.seed_percentage) +
                      ": expected a share in [0, 1]");
  if (!p.weights.empty() && p.weights.size() != n)
    throw ConfigError("scenario.cars.neighbourhood_weights: " + std::to_string(p.weights.size()) +
                      " values for " + std::to_string(n) + " classes");
  for (double w : p.weights)
    if (!(w >= 0 && std::isfinite(w)))
      throw ConfigError("scenario.cars.neighbourhood_weights: a weight of " + std::to_string(w) +
                        "; expected finite values ≥ 0");
  if (p.tolerance_cells < 0) throw ConfigError("scenario.cars.tolerance_cells must be ≥ 0");
  if (in.initial.size() != n_cells)
    throw DataError("scenario CARS: the initial map has " + std::to_string(in.initial.size()) +
                    " cells, expected width·height = " + std::to_string(n_cells));
  if (in.probability.size() != n * n_cells)
    throw DataError("scenario CARS: " + std::to_string(in.probability.size()) +
                    " probabilities for " + std::to_string(n) + " classes × " +
                    std::to_string(n_cells) + " cells");
  if (in.demand.size() != n)
    throw ConfigError("scenario CARS: " + std::to_string(in.demand.size()) + " demands for " +
                      std::to_string(n) + " classes");
  if (!in.allowed.empty() && in.allowed.size() != n * n)
    throw ConfigError("scenario CARS: the transition matrix is not n × n");
  if (!in.restriction.empty()) {
    if (in.restriction.size() != n_cells)
      throw DataError("scenario CARS: the restriction raster is not on the land-use grid");
    for (std::size_t cell = 0; cell < n_cells; ++cell)
      if (in.restriction[cell] > 1)
        throw DataError("scenario CARS: restriction value " + std::to_string(in.restriction[cell]) +
                        " at row " + std::to_string(cell / in.width) + ", column " +
                        std::to_string(cell % in.width) +
                        "; expected 0 (may not change) or 1 (may change)");
  }
}

}  // namespace

double update_inertia(double inertia, double g2, double g1) {
  if (std::abs(g1) <= std::abs(g2)) return inertia;
  if (0 > g2 && g2 > g1) return inertia * g2 / g1;
  if (g1 > g2 && g2 > 0) return inertia * g1 / g2;
  return inertia;
}

CarsResult run_cars(const CarsInputs& in, const CarsParams& params) {
  check(in, params);
  const std::size_t width = in.width, height = in.height, n_cells = width * height;
  const std::size_t n = in.n_classes;
  const auto allowed = [&](std::size_t from, std::size_t to) {
    return in.allowed.empty() || in.allowed[from * n + to] != 0;
  };

  CarsResult out;
  out.map.assign(in.initial.begin(), in.initial.end());
  out.counts.assign(n, 0);
  std::int64_t valid = 0, demand_sum = 0;
  for (std::int32_t c : out.map) {
    if (c < 0) continue;
    if (static_cast<std::size_t>(c) >= n)
      throw DataError("scenario CARS: class index " + std::to_string(c) + " ≥ " +
                      std::to_string(n));
    ++out.counts[static_cast<std::size_t>(c)];
    ++valid;
  }
  for (std::size_t k = 0; k < n; ++k) {
    if (in.demand[k] < 0)
      throw ConfigError("scenario CARS: demand of class " + std::to_string(k) + " is negative");
    demand_sum += in.demand[k];
  }
  if (demand_sum != valid)
    throw ConfigError("scenario CARS: demands sum to " + std::to_string(demand_sum) +
                      " cells but the map has " + std::to_string(valid) +
                      " valid cells; expected them equal");
  // Cells each class can still give up (not restricted): a class needing cells must have an
  // allowed source with surplus, and the surplus must be changeable.
  std::vector<std::int64_t> free_cells(n, 0);
  for (std::size_t cell = 0; cell < n_cells; ++cell)
    if (out.map[cell] >= 0 && (in.restriction.empty() || in.restriction[cell] == 1))
      ++free_cells[static_cast<std::size_t>(out.map[cell])];
  for (std::size_t k = 0; k < n; ++k) {
    const std::int64_t gap = in.demand[k] - out.counts[k];
    if (gap < 0 && -gap > free_cells[k] + params.tolerance_cells)
      throw ConfigError("scenario CARS: class " + std::to_string(k) + " must lose " +
                        std::to_string(-gap) + " cells but only " + std::to_string(free_cells[k]) +
                        " are outside the restricted area");
    if (gap <= params.tolerance_cells) continue;
    bool reachable = false;
    for (std::size_t j = 0; j < n; ++j)
      reachable = reachable || (j != k && allowed(j, k) && in.demand[j] < out.counts[j]);
    if (!reachable)
      throw ConfigError("scenario CARS: class " + std::to_string(k) + " needs " +
                        std::to_string(gap) +
                        " more cells but no class with cells to spare may turn into it "
                        "(transitions); allow one or change the demands");
  }

  const std::vector<double> weights =
      params.weights.empty() ? std::vector<double>(n, 1.0) : params.weights;
  const int radius = params.neighbourhood / 2;
  const double window_cells = static_cast<double>(params.neighbourhood * params.neighbourhood - 1);

  out.inertia.assign(n, 1.0);
  std::vector<std::int64_t> gap(n), gap_prev1(n), gap_prev2(n);
  std::vector<std::int32_t> previous(n_cells);
  std::vector<Candidate> cell_candidate(n_cells);
  std::size_t level = 0;
  std::int64_t initial_total = 0, previous_total = -1;
  double step = params.threshold_step_cells;

  for (std::size_t t = 0;; ++t) {
    std::int64_t total = 0, worst = 0;
    for (std::size_t k = 0; k < n; ++k) {
      gap[k] = in.demand[k] - out.counts[k];
      total += std::abs(gap[k]);
      worst = std::max<std::int64_t>(worst, std::abs(gap[k]));
    }
    out.total_gap_by_iteration.push_back(total);
    if (t == 0) {
      initial_total = total;
      if (!(step > 0)) step = std::max(1.0, 0.01 * static_cast<double>(initial_total));
    }
    if (worst <= params.tolerance_cells) {
      out.converged = true;
      break;
    }
    if (t == params.max_iterations) break;
    // Inertia from the gaps of the two previous iterations; threshold level from the progress.
    if (t >= 2)
      for (std::size_t k = 0; k < n; ++k)
        out.inertia[k] = update_inertia(out.inertia[k], static_cast<double>(gap_prev2[k]),
                                        static_cast<double>(gap_prev1[k]));
    if (t >= 1 && static_cast<double>(previous_total - total) < step) ++level;
    previous_total = total;
    gap_prev2 = gap_prev1;
    gap_prev1 = gap;
    const double level_scale = std::pow(params.patch_threshold, static_cast<double>(level));

    previous = out.map;
    // Candidates, one per cell at most, in parallel over rows (each row writes its own cells).
    parallel_for(height, params.threads, [&](std::size_t row, std::size_t) {
      std::vector<double> neighbours(n), op(n);
      for (std::size_t col = 0; col < width; ++col) {
        const std::size_t cell = row * width + col;
        Candidate& cand = cell_candidate[cell];
        cand.target = -1;
        const std::int32_t from = previous[cell];
        if (from < 0 || gap[static_cast<std::size_t>(from)] >= 0) continue;
        if (!in.restriction.empty() && in.restriction[cell] == 0) continue;
        std::fill(neighbours.begin(), neighbours.end(), 0.0);
        for (int dr = -radius; dr <= radius; ++dr) {
          const long r = static_cast<long>(row) + dr;
          if (r < 0 || r >= static_cast<long>(height)) continue;
          for (int dc = -radius; dc <= radius; ++dc) {
            const long c = static_cast<long>(col) + dc;
            if ((dr == 0 && dc == 0) || c < 0 || c >= static_cast<long>(width)) continue;
            const std::int32_t k =
                previous[static_cast<std::size_t>(r) * width + static_cast<std::size_t>(c)];
            if (k >= 0) neighbours[static_cast<std::size_t>(k)] += 1.0;
          }
        }
        RandomStream rng(params.seed, kCarsStream, static_cast<std::uint64_t>(t) * n_cells + cell);
        const double r_seed = rng.uniform01(), r_roulette = rng.uniform01();
        const double r1 = 2.0 * rng.uniform01();
        double sum = 0;
        for (std::size_t k = 0; k < n; ++k) {
          op[k] = 0;
          if (gap[k] <= 0 || k == static_cast<std::size_t>(from) ||
              !allowed(static_cast<std::size_t>(from), k))
            continue;
          const float pf = in.probability[k * n_cells + cell];
          const double p = std::isfinite(pf) ? static_cast<double>(pf) : 0.0;
          const double omega = neighbours[k] / window_cells * weights[k];
          if (omega == 0)
            op[k] = r_seed < p ? p * r_seed * params.expansion_coefficient * out.inertia[k] : 0.0;
          else
            op[k] = p * omega * out.inertia[k];
          sum += op[k];
        }
        if (!(sum > 0)) continue;
        const double pick = r_roulette * sum;
        double acc = 0;
        std::size_t chosen = n;
        for (std::size_t k = 0; k < n; ++k) {
          if (op[k] <= 0) continue;
          acc += op[k];
          chosen = k;
          if (pick < acc) break;
        }
        const float pc = in.probability[chosen * n_cells + cell];
        if (!(static_cast<double>(pc) > level_scale * r1)) continue;
        cand.cell = static_cast<std::uint32_t>(cell);
        cand.target = static_cast<std::int32_t>(chosen);
        cand.priority = static_cast<float>(op[chosen]);
        cand.seed = neighbours[chosen] == 0 || weights[chosen] == 0;
      }
    });

    std::vector<Candidate> candidates;
    for (const Candidate& cand : cell_candidate)
      if (cand.target >= 0) candidates.push_back(cand);
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return a.priority != b.priority ? a.priority > b.priority : a.cell < b.cell;
    });
    std::vector<std::int64_t> gained(n, 0), lost(n, 0), seeds(n, 0), seed_cap(n, 0);
    for (std::size_t k = 0; k < n; ++k)
      seed_cap[k] = gap[k] > 0 ? static_cast<std::int64_t>(std::ceil(params.seed_percentage *
                                                                     static_cast<double>(gap[k])))
                               : 0;
    for (const Candidate& cand : candidates) {
      const auto to = static_cast<std::size_t>(cand.target);
      const auto from = static_cast<std::size_t>(previous[cand.cell]);
      if (gained[to] >= gap[to] || lost[from] >= -gap[from]) continue;
      if (cand.seed && seeds[to] >= seed_cap[to]) continue;
      ++gained[to];
      ++lost[from];
      if (cand.seed) ++seeds[to];
      out.map[cand.cell] = cand.target;
    }
    for (std::size_t k = 0; k < n; ++k) {
      out.counts[k] += gained[k] - lost[k];
      out.changed_cells += static_cast<std::uint64_t>(gained[k]);
      out.seeded_cells += static_cast<std::uint64_t>(seeds[k]);
    }
    out.iterations = t + 1;
  }
  out.gaps.resize(n);
  for (std::size_t k = 0; k < n; ++k)
    out.gaps[k] = in.demand[k] - out.counts[k];
  out.threshold_level = level;
  return out;
}

}  // namespace minecarbon::assess::scenario
