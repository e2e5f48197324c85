// Quantile regression forest (Meinshausen 2006, J. Mach. Learn. Res. 7:983-999): prediction
// intervals from a grown forest.
//
// Each tree t puts the new sample x in a leaf ℓ_t(x). The training rows i in that leaf (all
// training rows dropped down the tree, not only the tree's bootstrap sample, as in Meinshausen's
// quantregForest) get weight
//   w_i(x) = (1/T) Σ_t 1{i ∈ ℓ_t(x)} / |ℓ_t(x)|,        Σ_i w_i(x) = 1,
// giving the conditional distribution F̂(y | x) = Σ_i w_i(x) · 1{y_i ≤ y} and the quantile
//   Q̂_α(x) = inf { y : F̂(y | x) ≥ α }       (α in [0, 1]; α = 0 gives the smallest weighted
//                                            y; a relative slack of 1e-12 lets weights that sum
//                                            to α exactly count)
// A (1 − 2α) prediction interval is [Q̂_α, Q̂_{1−α}].
//
// This is the exact weighted estimator, not ranger's quantreg approximation (one random y per
// leaf). The index holds, per tree, the training rows grouped by leaf: 4·n bytes per tree plus
// 4 bytes per node. Build it with the training data after fitting; it is not part of the saved
// model (rebuilding costs one pass of the training rows through every tree).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/forest.h"

namespace minecarbon::ml {

class QuantileForest {
 public:
  // `data` must be the dataset the forest was grown on (DataError otherwise). The forest must
  // outlive this object.
  QuantileForest(const Forest& forest, const Dataset& data, int threads = 1);

  // Q̂_α(x) for every row of x and every α in probabilities, row-major: out[row · q + k].
  // ConfigError for α outside [0, 1]; DataError for a wrong number of columns.
  std::vector<double> predict(const FeatureView& x, std::span<const double> probabilities,
                              int threads = 1) const;

 private:
  const Forest& forest_;
  std::vector<double> y_;                                 // y of the training rows, by position
  std::vector<std::vector<std::uint32_t>> leaf_start_;    // per tree: node → first position
  std::vector<std::vector<std::uint32_t>> leaf_members_;  // per tree: training positions by leaf
};

}  // namespace minecarbon::ml
