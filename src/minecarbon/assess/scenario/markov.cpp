#include "minecarbon/assess/scenario/markov.h"

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>

#include <complex>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/exact_sum.h"
#include "minecarbon/geo/zonal_accumulator.h"

namespace minecarbon::assess::scenario {

std::vector<std::uint64_t> TransitionCounts::from_totals() const {
  std::vector<std::uint64_t> out(n_classes, 0);
  for (std::size_t from = 0; from < n_classes; ++from)
    for (std::size_t to = 0; to < n_classes; ++to)
      out[from] += at(from, to);
  return out;
}

std::vector<std::uint64_t> TransitionCounts::to_totals() const {
  std::vector<std::uint64_t> out(n_classes, 0);
  for (std::size_t from = 0; from < n_classes; ++from)
    for (std::size_t to = 0; to < n_classes; ++to)
      out[to] += at(from, to);
  return out;
}

TransitionCounts count_transitions(std::span<const std::int32_t> from_idx,
                                   std::span<const std::int32_t> to_idx, std::size_t n_classes) {
  if (from_idx.size() != to_idx.size())
    throw DataError("scenario: the two land-use maps have " + std::to_string(from_idx.size()) +
                    " and " + std::to_string(to_idx.size()) +
                    " cells; expected the same grid (warp one onto the other first)");
  // Plain double sums of 1.0 are exact integers up to 2^53 cells, so the plain accumulator
  // gives exact counts without ExactSum's cost per cell.
  geo::BasicTransitionAccumulator<geo::PlainSum> acc(n_classes, n_classes);
  for (std::size_t cell = 0; cell < from_idx.size(); ++cell) {
    const std::int32_t from = from_idx[cell], to = to_idx[cell];
    if ((from >= 0 && static_cast<std::size_t>(from) >= n_classes) ||
        (to >= 0 && static_cast<std::size_t>(to) >= n_classes))
      throw DataError("scenario: cell " + std::to_string(cell) + " has class index " +
                      std::to_string(std::max(from, to)) + "; expected < " +
                      std::to_string(n_classes) + " (a code missing from the class table)");
    acc.add(1.0, 1.0, from, to);
  }
  const geo::TransitionAreas areas = acc.finish();
  TransitionCounts out;
  out.n_classes = n_classes;
  out.cells.reserve(areas.area_m2.size());
  for (double value : areas.area_m2)
    out.cells.push_back(static_cast<std::uint64_t>(value));
  out.valid_cells = static_cast<std::uint64_t>(areas.valid_area_m2);
  out.excluded_cells = from_idx.size() - out.valid_cells;
  return out;
}

MarkovMatrix markov_matrix(const TransitionCounts& counts) {
  const std::size_t n = counts.n_classes;
  MarkovMatrix out;
  out.n_classes = n;
  out.p.assign(n * n, 0.0);
  for (std::size_t from = 0; from < n; ++from) {
    std::uint64_t row = 0;
    for (std::size_t to = 0; to < n; ++to)
      row += counts.at(from, to);
    if (row == 0) {
      out.p[from * n + from] = 1.0;
      out.empty_rows.push_back(from);
      continue;
    }
    for (std::size_t to = 0; to < n; ++to)
      out.p[from * n + to] = static_cast<double>(counts.at(from, to)) / static_cast<double>(row);
  }
  return out;
}

MarkovMatrix adjust_markov(const MarkovMatrix& matrix, std::span<const MarkovFactor> factors) {
  MarkovMatrix out = matrix;
  const std::size_t n = matrix.n_classes;
  for (const MarkovFactor& f : factors) {
    if (!(std::isfinite(f.factor) && f.factor >= 0))
      throw ConfigError("scenario: transition factor " + std::to_string(f.factor) + " for " +
                        std::to_string(f.from) + "→" + std::to_string(f.to) +
                        " is not a finite value ≥ 0");
    if (f.from >= n || f.to >= n)
      throw ConfigError("scenario: transition factor names class index out of range");
    out.p[f.from * n + f.to] *= f.factor;
  }
  for (std::size_t from = 0; from < n; ++from) {
    double row = 0;
    for (std::size_t to = 0; to < n; ++to)
      row += out.p[from * n + to];
    if (!(row > 0))
      throw ConfigError("scenario: after the transition factors, row " + std::to_string(from) +
                        " of the Markov matrix sums to 0; expected at least one factor > 0");
    for (std::size_t to = 0; to < n; ++to)
      out.p[from * n + to] /= row;
  }
  return out;
}

std::vector<double> project_demand(std::span<const double> state, const MarkovMatrix& matrix,
                                   std::size_t steps) {
  const std::size_t n = matrix.n_classes;
  if (state.size() != n)
    throw ConfigError("scenario: demand state has " + std::to_string(state.size()) +
                      " classes; the Markov matrix has " + std::to_string(n));
  std::vector<double> s(state.begin(), state.end()), next(n);
  for (std::size_t step = 0; step < steps; ++step) {
    std::fill(next.begin(), next.end(), 0.0);
    for (std::size_t from = 0; from < n; ++from)
      for (std::size_t to = 0; to < n; ++to)
        next[to] += s[from] * matrix.p[from * n + to];
    s.swap(next);
  }
  return s;
}

namespace {

// The whole Markov steps in `years_after` and the fraction of one more (≥ 0; a hair under a
// whole number counts as whole).
struct StepSplit {
  std::size_t whole = 0;
  double frac = 0;
};
StepSplit split_steps(double step_years, double years_after) {
  if (!(step_years > 0) || !(years_after >= 0))
    throw ConfigError("scenario: Markov step " + std::to_string(step_years) + " years, horizon " +
                      std::to_string(years_after) +
                      " years after the last map; expected step > 0 and horizon ≥ 0");
  const double steps = years_after / step_years;
  const auto whole = static_cast<std::size_t>(std::floor(steps + 1e-12));
  return {whole, std::max(0.0, steps - static_cast<double>(whole))};
}

}  // namespace

std::vector<double> project_demand_years(std::span<const double> state, const MarkovMatrix& matrix,
                                         double step_years, double years_after) {
  const auto [whole, frac] = split_steps(step_years, years_after);
  std::vector<double> lower = project_demand(state, matrix, whole);
  if (frac <= 1e-12) return lower;
  const std::vector<double> upper = project_demand(lower, matrix, 1);
  for (std::size_t k = 0; k < lower.size(); ++k)
    lower[k] += frac * (upper[k] - lower[k]);
  return lower;
}

MatrixRoot markov_fractional_power(const MarkovMatrix& matrix, double f) {
  const std::size_t n = matrix.n_classes;
  if (!(f >= 0 && f < 1))
    throw ConfigError("scenario: matrix root of power " + std::to_string(f) +
                      "; expected 0 <= f < 1");
  MatrixRoot out;
  out.power.n_classes = n;
  out.power.empty_rows = matrix.empty_rows;
  Eigen::MatrixXd p(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      p(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = matrix.at(i, j);
  Eigen::EigenSolver<Eigen::MatrixXd> solver(p);
  if (solver.info() != Eigen::Success)
    throw ConfigError(
        "scenario: the eigen-decomposition of the Markov matrix failed; use "
        "non_whole_steps = \"interpolate\"");
  const Eigen::MatrixXcd v = solver.eigenvectors();
  const Eigen::VectorXcd lambda = solver.eigenvalues();
  const Eigen::FullPivLU<Eigen::MatrixXcd> lu(v);
  const Eigen::MatrixXcd v_inv = lu.inverse();
  const double rebuilt =
      (v * lambda.asDiagonal() * v_inv - p.cast<std::complex<double>>()).cwiseAbs().maxCoeff();
  if (!lu.isInvertible() || !(lu.rcond() >= 1e-10) || !(rebuilt <= 1e-8))
    throw ConfigError("scenario: the Markov matrix is not diagonalisable (V·Λ·V⁻¹ is off by " +
                      std::to_string(rebuilt) +
                      "), so its matrix root is undefined here; use non_whole_steps = "
                      "\"interpolate\"");
  Eigen::VectorXcd powered(lambda.size());
  for (Eigen::Index k = 0; k < lambda.size(); ++k)
    powered(k) = std::abs(lambda(k)) == 0.0 ? std::complex<double>(f == 0 ? 1.0 : 0.0, 0.0)
                                            : std::pow(lambda(k), f);
  const Eigen::MatrixXcd root = v * powered.asDiagonal() * v_inv;
  out.power.p.resize(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const std::complex<double> value =
          root(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      out.imaginary_residue = std::max(out.imaginary_residue, std::abs(value.imag()));
      out.power.p[i * n + j] = value.real();
      if (value.real() < -1e-12) {
        ++out.negative_entries;
        out.most_negative = std::min(out.most_negative, value.real());
      }
    }
  return out;
}

std::vector<double> project_demand_years_root(std::span<const double> state,
                                              const MarkovMatrix& matrix, double step_years,
                                              double years_after, MatrixRoot* root) {
  const auto [whole, frac] = split_steps(step_years, years_after);
  const std::vector<double> lower = project_demand(state, matrix, whole);
  MatrixRoot r = markov_fractional_power(matrix, frac <= 1e-12 ? 0.0 : frac);
  std::vector<double> out = project_demand(lower, r.power, 1);
  if (root) *root = std::move(r);
  return out;
}

std::vector<double> linear_demand(const std::vector<std::vector<double>>& cells_by_map,
                                  std::span<const double> years, double year) {
  const std::size_t maps = cells_by_map.size();
  if (maps < 2 || years.size() != maps)
    throw ConfigError("scenario: linear demand needs at least 2 maps with a year each; got " +
                      std::to_string(maps) + " maps and " + std::to_string(years.size()) +
                      " years");
  const std::size_t n = cells_by_map[0].size();
  double mean_year = 0;
  for (std::size_t m = 0; m < maps; ++m) {
    if (cells_by_map[m].size() != n)
      throw ConfigError("scenario: linear demand: map " + std::to_string(m) + " has " +
                        std::to_string(cells_by_map[m].size()) + " classes, expected " +
                        std::to_string(n));
    mean_year += years[m] / static_cast<double>(maps);
  }
  double sxx = 0;
  for (std::size_t m = 0; m < maps; ++m)
    sxx += (years[m] - mean_year) * (years[m] - mean_year);
  if (!(sxx > 0))
    throw ConfigError(
        "scenario: linear demand: every map has the same year; give maps of at "
        "least two years");
  std::vector<double> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    double mean = 0, sxy = 0;
    for (std::size_t m = 0; m < maps; ++m)
      mean += cells_by_map[m][k] / static_cast<double>(maps);
    for (std::size_t m = 0; m < maps; ++m)
      sxy += (years[m] - mean_year) * (cells_by_map[m][k] - mean);
    out[k] = mean + sxy / sxx * (year - mean_year);
  }
  return out;
}

std::vector<std::int64_t> integer_demand(std::span<const double> cells, std::int64_t total_cells) {
  double sum = 0;
  for (double v : cells) {
    if (!(std::isfinite(v) && v >= 0))
      throw ConfigError("scenario: a demand of " + std::to_string(v) +
                        " cells; expected finite values ≥ 0");
    sum += v;
  }
  std::vector<std::int64_t> out(cells.size(), 0);
  if (total_cells == 0) return out;
  if (!(sum > 0)) throw ConfigError("scenario: all demands are 0 but the map has valid cells");
  std::vector<double> remainder(cells.size());
  std::int64_t assigned = 0;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const double share = cells[k] / sum * static_cast<double>(total_cells);
    out[k] = static_cast<std::int64_t>(std::floor(share));
    remainder[k] = share - static_cast<double>(out[k]);
    assigned += out[k];
  }
  std::vector<std::size_t> order(cells.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t idx = 0; assigned < total_cells; idx = (idx + 1) % order.size(), ++assigned)
    ++out[order[idx]];
  return out;
}

}  // namespace minecarbon::assess::scenario
