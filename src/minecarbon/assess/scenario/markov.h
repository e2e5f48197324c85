// Markov land-use demand (docs/scenario.md §2): the transition matrix between two classified maps
// and the class areas it projects.
//
//   A_ij = cells of class i at T1 and class j at T2, over cells valid in both maps
//   P_ij = A_ij / Σ_j A_ij                    (rows = from = T1, columns = to = T2)
//   S(T2 + mΔt) = S(T2) · P^m                 (S a row vector of cells per class)
// Source: the Markov demand of PLUS-style studies (ChinaXiv:201911.00018, CONFIRMED 2nd-hand);
// the orientation rows = T1 is the one PLUS's own sample reaches its demands with (methods §2.4).
//
// Horizons that are not a multiple of Δt: the areas are linearly interpolated between the two
// neighbouring whole steps (the default of issue 13 §1.2; PLUS's handling is unconfirmed).
//
// A class absent at T1 (row sum 0) has no observed behaviour: its row is set to staying put
// (P_ii = 1), and `empty_rows` lists it so the stage can report it, instead of PLUS's NaN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace minecarbon::assess::scenario {

struct TransitionCounts {
  std::size_t n_classes = 0;
  std::vector<std::uint64_t> cells;  // [from · n_classes + to]
  std::uint64_t valid_cells = 0;     // cells with a class in both maps
  std::uint64_t excluded_cells = 0;  // cells nodata (negative index) in either map
  std::uint64_t at(std::size_t from, std::size_t to) const { return cells[from * n_classes + to]; }
  std::vector<std::uint64_t> from_totals() const;  // S(T1), cells per class
  std::vector<std::uint64_t> to_totals() const;    // S(T2), cells per class
};

// Cross-tabulates two class-index maps of the same length (index < 0: nodata) with the geo
// TransitionAccumulator (unit coverage and area, so its sums are cell counts). DataError when the
// lengths differ or an index is ≥ n_classes.
TransitionCounts count_transitions(std::span<const std::int32_t> from_idx,
                                   std::span<const std::int32_t> to_idx, std::size_t n_classes);

struct MarkovMatrix {
  std::size_t n_classes = 0;
  std::vector<double> p;                // [from · n + to], rows sum to 1
  std::vector<std::size_t> empty_rows;  // classes absent at T1 (row set to P_ii = 1)
  double at(std::size_t from, std::size_t to) const { return p[from * n_classes + to]; }
};

MarkovMatrix markov_matrix(const TransitionCounts& counts);

// One multiplicative scenario adjustment of P: P_{from,to} ·= factor, then the row renormalised.
struct MarkovFactor {
  std::size_t from = 0, to = 0;
  double factor = 1.0;  // ≥ 0
};
// ConfigError when a factor is negative or not finite, or a row ends with sum 0.
MarkovMatrix adjust_markov(const MarkovMatrix& matrix, std::span<const MarkovFactor> factors);

// S · P^steps (steps ≥ 0), S a row vector of n values (cells or ha).
std::vector<double> project_demand(std::span<const double> state, const MarkovMatrix& matrix,
                                   std::size_t steps);

// Areas at `years_after` years after T2 with Δt = step_years: S·P^m at m = floor(years/Δt) and
// the linear interpolation to S·P^(m+1) for the remainder. ConfigError when step_years ≤ 0 or
// years_after < 0.
std::vector<double> project_demand_years(std::span<const double> state, const MarkovMatrix& matrix,
                                         double step_years, double years_after);

// The matrix-root option for horizons that are not a multiple of Δt: S(T2 + (m + f)Δt) =
// S(T2)·P^m·P^f with P^f = V·Λ^f·V⁻¹ from the eigen-decomposition P = V·Λ·V⁻¹ (principal branch
// of λ^f; complex pairs give a real product up to rounding). P^f of a stochastic matrix need not
// be stochastic (Higham & Lin 2011, SIAM J. Matrix Anal. Appl. 32:1103, "On pth roots of
// stochastic matrices"): its rows still sum to 1, but entries may be negative. Those are counted
// here (never hidden) and the projected areas are clamped at 0 by the caller.
struct MatrixRoot {
  MarkovMatrix power;                // P^f (rows sum to 1 up to rounding; may hold negatives)
  std::size_t negative_entries = 0;  // entries < −1e-12
  double most_negative = 0;          // the smallest entry (≤ 0), 0 when none is negative
  double imaginary_residue = 0;      // max |Im| of V·Λ^f·V⁻¹ before taking the real part
};
// 0 ≤ f < 1. ConfigError when P is not diagonalisable (the reconstruction V·Λ·V⁻¹ is off by
// more than 1e-8): use the linear interpolation then.
MatrixRoot markov_fractional_power(const MarkovMatrix& matrix, double f);

// project_demand_years with the matrix root for the remainder: S·P^m·P^f, f = remainder/Δt.
// `root` (optional) receives P^f's report; f = 0 gives S·P^m and a report of P^0 = I.
std::vector<double> project_demand_years_root(std::span<const double> state,
                                              const MarkovMatrix& matrix, double step_years,
                                              double years_after, MatrixRoot* root = nullptr);

// Linear demand (issue 13 §1.2): per class an ordinary least-squares line a + b·year through the
// class's cells on ≥ 2 maps, evaluated at `year`. cells_by_map[m][k] = cells of class k on map m.
// ConfigError for fewer than 2 maps, two maps of the same year or rows of another length.
std::vector<double> linear_demand(const std::vector<std::vector<double>>& cells_by_map,
                                  std::span<const double> years, double year);

// Whole-cell demands summing exactly to `total_cells`: floor of each share, then the remaining
// cells to the largest remainders (ties: lower class index). ConfigError when a value is negative
// or not finite or all are 0 while total_cells > 0.
std::vector<std::int64_t> integer_demand(std::span<const double> cells, std::int64_t total_cells);

}  // namespace minecarbon::assess::scenario
