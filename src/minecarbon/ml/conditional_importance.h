// Conditional permutation importance (CPI; Strobl, Boulesteix, Kneib, Augustin & Zeileis 2008,
// BMC Bioinformatics 9:307, doi:10.1186/1471-2105-9-307), in two modes.
//
// Plain permutation importance also credits x_j for what it shares with correlated predictors.
// CPI permutes x_j only within cells of a grid built from the predictors Z_j it is associated
// with, so it measures x_j's association with y given Z_j. For each tree t and each variable j
// that t splits on:
//   1. Z = the conditioning variables of j that t also splits on (see the modes below).
//   2. Each Z variable is cut at all of t's thresholds on it, intervals (c_k−1, c_k] (a value
//      equal to a threshold goes left, as in the tree); the cells are the cross product.
//   3. x_j is permuted among t's OOB rows within each cell (among all OOB rows if Z is empty).
//   4. Δ_tj = MSE_t(permuted) − MSE_t(original), averaged over num_permutations.
//   importance_j = (1/T) Σ_t Δ_tj (trees without j count 0); standard_error_j = sd_t(Δ_tj)/√T.
//
// Modes (choose the one the analysis is meant to replicate; they give different numbers):
//   party   (party::varimp(conditional = TRUE), threshold 0.2): Z_j is fixed per variable from
//           all training rows: k ∈ Z_j when pchisq((n−1)·r_jk², 1) > threshold, r_jk the Pearson
//           correlation — the closed form of party's ctree stump test for numeric predictors,
//           checked against party 1.3-11's own sets. At 0.2 almost every variable conditions on
//           almost every other (for n = 2000 any |r| > 0.006 qualifies).
//   permimp (Debeer & Strobl 2020, BMC Bioinformatics 21:307, doi:10.1186/s12859-020-03622-2;
//           permimp 1.1-0, threshold 0.95): Z is chosen per tree: t's OOB values of every pair
//           of variables t splits on are binned by t's thresholds, and k joins Z for j when
//           1 − p > threshold, p the Pearson χ² test of independence of the two binnings (empty
//           levels dropped, df = (r−1)(c−1), df = 0 → p = 1). Cells in which x_j falls into one
//           bin of its own thresholds cannot change a prediction; if that holds for every cell
//           the tree is skipped (Δ_tj = 0, counted in trees_skipped). Unlike permimp's string
//           keys, cells are compared exactly (permimp pastes bin numbers without a separator,
//           so e.g. bins (1, 12) and (11, 2) share a cell there).
//
// Differences from party that remain: our trees are CART trees grown by variance reduction
// (party: conditional inference trees), and the random streams differ, so compare means and
// rankings, not digits. Cost per tree O(p_used · (|Z|·|OOB| log|OOB| + |OOB|·depth)), parallel
// over trees with one stream per tree (seed, conditional_importance, t): identical for any
// thread count. party's own implementation refits the selection test for every tree and
// variable (32 s for n = 500, 200 trees).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "minecarbon/core/progress.h"
#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/ml/permutation_importance.h"

namespace minecarbon::ml {

enum class ConditionalImportanceMode { party, permimp };

// Name table: "party", "permimp".
std::string_view to_string(ConditionalImportanceMode mode);
ConditionalImportanceMode conditional_importance_mode_from_string(std::string_view name);

struct ConditionalImportanceParams {
  ConditionalImportanceMode mode = ConditionalImportanceMode::party;
  // Selection threshold on 1 − p, in [0, 1]; negative = the mode's default (party 0.2,
  // permimp 0.95). Lower conditions on more variables (finer grids, smaller importances);
  // permimp describes 1 as unconditional and 0 as fully conditional.
  double threshold = -1.0;
  // Conditional shuffles per tree and variable (party nperm, default 1).
  std::size_t num_permutations = 1;
  std::uint64_t seed = 42;
  int threads = 1;
};

struct ConditionalImportanceResult {
  ImportanceResult importance;
  ConditionalImportanceMode mode = ConditionalImportanceMode::party;
  double threshold = 0.0;  // as used
  // party mode: Z_j per variable (column indices, ascending); empty in permimp mode.
  std::vector<std::vector<std::size_t>> conditioning_sets;
  // Trees where x_j was permuted unconditionally because no variable of Z was in the tree.
  std::vector<std::size_t> trees_unconditional;
  // permimp mode: trees where no cell could change a prediction (Δ = 0).
  std::vector<std::size_t> trees_skipped;
};

// party's conditioning sets over the given rows of data (empty: all rows): k ∈ Z_j when
// pchisq((n−1)·r_jk², 1) > threshold. A constant column has r undefined and is in no set
// (party turns its NA criterion into 0).
std::vector<std::vector<std::size_t>> party_conditioning_sets(
    const Dataset& data, double threshold, std::span<const std::uint32_t> rows = {});

// `data` must be the dataset the forest was grown on. Throws DataError if its shape differs,
// ConfigError for a threshold outside [0, 1] or num_permutations = 0. `progress` (optional,
// owned by the caller) advances by one per tree, forest.num_trees() in all, from the worker
// threads; the numbers do not depend on it.
ConditionalImportanceResult conditional_importance(const Forest& forest, const Dataset& data,
                                                   const ConditionalImportanceParams& params = {},
                                                   Progress* progress = nullptr);

}  // namespace minecarbon::ml
