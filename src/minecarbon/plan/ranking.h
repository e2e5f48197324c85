// Multi-criteria ranking of alternatives (restoration schemes): entropy weights, AHP weights with
// the consistency ratio, TOPSIS in its two common variants, and Pareto flags.
//
// A decision matrix holds n alternatives (rows) × m indicators (columns); each indicator is a
// benefit (larger is better) or a cost (smaller is better). Formulas, as in docs/plan.md §3
// (sources: entropy and TOPSIS as reproduced in ChinaXiv:201711.00050; AHP after Saaty 1980,
// with the random index RI of n = 1..10 = 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49
// as in at least six implementations):
//   entropy: V_ij min–max normalised by direction; p_ij = V_ij / Σ_i V_ij;
//            E_j = −(1/ln n) Σ_i p_ij ln p_ij (0 ln 0 = 0); w_j = (1 − E_j) / Σ_k (1 − E_k)
//   AHP:     w = principal eigenvector of the pairwise matrix A (sum 1); λ_max = (1/m) Σ (Aw)_j/w_j;
//            CI = (λ_max − m)/(m − 1); CR = CI/RI(m); CR ≥ 0.10 is flagged, not refused
//   TOPSIS (vector):  r_ij = x_ij / √Σ_i x_ij²; v_ij = w_j r_ij; ideal/anti-ideal per column by
//            direction; D± = √Σ_j (v_ij − v_j±)²
//   TOPSIS (min–max): a_ij min–max normalised by direction; a_j± = column max / min of a;
//            D± = √Σ_j w_j (a_j± − a_ij)²
//   closeness C_i = D−/(D+ + D−); rank 1 = largest C (ties share the smaller rank).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace minecarbon::plan {

enum class Direction { benefit, cost };

// Row-major n × m matrix of indicator values.
struct DecisionMatrix {
  std::size_t alternatives = 0;
  std::size_t indicators = 0;
  std::vector<double> values;  // [alt * indicators + ind]
  std::vector<Direction> directions;
  double at(std::size_t alt, std::size_t ind) const { return values[alt * indicators + ind]; }
};

// Saaty's random consistency index for matrix orders 1..10.
inline constexpr std::array<double, 10> kRandomIndex = {0.0,  0.0,  0.58, 0.90, 1.12,
                                                        1.24, 1.32, 1.41, 1.45, 1.49};
// The consistency ratio at which a pairwise matrix is flagged as inconsistent (Saaty 1980).
inline constexpr double kConsistencyRatioLimit = 0.10;

// Entropy weights. An indicator whose values are all equal carries no information: V = 0 for
// every alternative, its E is taken as 1 and its weight 0. All indicators constant → equal
// weights. Throws std::invalid_argument for fewer than 2 alternatives or a non-finite value.
std::vector<double> entropy_weights(const DecisionMatrix& matrix);

struct AhpResult {
  std::vector<double> weights;  // sum 1
  double lambda_max = 0.0;
  double ci = 0.0;
  double ri = 0.0;         // NaN beyond order 10
  double cr = 0.0;         // 0 for orders 1 and 2 (always consistent); NaN beyond order 10
  bool consistent = true;  // cr < 0.10
};

// AHP weights of a square pairwise matrix (row-major, order m). Throws std::invalid_argument with
// the cell (1-based row and column) when an entry is not > 0, the diagonal is not 1, or
// a_ij · a_ji differs from 1 by more than 1e-6 (not reciprocal).
AhpResult ahp_weights(const std::vector<double>& pairwise, std::size_t order);

enum class TopsisVariant { vector, min_max };

struct TopsisResult {
  std::vector<double> d_plus, d_minus, closeness;
  std::vector<int> rank;  // 1 = best
};

// TOPSIS with weights `weights` (one per indicator, ≥ 0; not renormalised). A vector-normalised
// column of zeros, or a min–max column with max = min, contributes nothing to the distances.
// An alternative with D+ + D− = 0 (all columns constant) gets closeness NaN and the last rank.
TopsisResult topsis(const DecisionMatrix& matrix, const std::vector<double>& weights,
                    TopsisVariant variant);

// For each alternative, whether another one is at least as good on every indicator and strictly
// better on one (by direction): dominated = true.
std::vector<bool> dominated(const DecisionMatrix& matrix);

// Ranks by descending score: 1 = largest; ties share the smaller rank; NaN last.
std::vector<int> rank_descending(const std::vector<double>& score);

}  // namespace minecarbon::plan
