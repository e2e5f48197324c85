// LEAS, the land-expansion analysis strategy of PLUS (Liang et al. 2021, CEUS 85:101569;
// equations CONFIRMED 2nd-hand via ChinaXiv:202208.00055; docs/scenario.md §3).
//
//   expansion map   e_i = class of T2 where T1 ≠ T2, else none (PLUS manual §4.2)
//   drivers         x' = (x − min)/(max − min) over the valid cells (PLUS imageminmax.txt);
//                   future layers are scaled with the historical min and max
//   sample          each valid cell with probability `sampling_rate` (PLUS default 0.01), drawn
//                   from its own stream (seed, kLeasSampleStream, cell), so the sample does not
//                   depend on threads or on the order cells are read
//   per class k     a regression forest (ml/forest.h) on y = 1 if e_i = k else 0. Its variance
//                   split on a 0/1 response is the Gini split and its leaf means are class
//                   frequencies, so
//                     P_k(x) = mean over trees of the leaf value       ("leaf_mean", default)
//                     P_k(x) = share of trees whose leaf value ≥ 0.5   ("vote", PLUS's formula
//                                                                       Σ I[h_n(x) = 1]/M)
//   accuracy        OOB RMSE = √(forest OOB MSE) per class (PLUS prints "OOB RMSE")
//   contribution    OOB permutation importance (ml/permutation_importance.h), negative values
//                   set to 0, normalised to sum 1. PLUS's contribution is
//                   (RMSE_noise_j − RMSE_orig)/Σ_m(...) with an unconfirmed noise: the ranking is
//                   comparable, the values are not claimed equal.
// A class with no expansion cell in the sample gets no forest and P_k = 0 everywhere (listed
// in `LeasClassModel::fitted`). Cells with a nodata driver get NaN probabilities.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "minecarbon/ml/forest.h"

namespace minecarbon::assess::scenario {

enum class LeasProbability { leaf_mean, vote };

struct LeasParams {
  double sampling_rate = 0.01;  // (0, 1]
  // Per class, keep all expansion cells of the sample and about as many other cells (each kept
  // with probability positives/negatives from its own stream). PLUS's "balance" switch.
  bool balanced = false;
  LeasProbability probability = LeasProbability::leaf_mean;
  std::size_t num_trees = 50;  // PLUS default 20; more trees steady the importance ranking
  std::size_t mtry = 0;        // 0: ⌊√p⌋
  std::size_t min_node_size = 5;
  std::size_t permutations = 1;  // permutation-importance shuffles per tree and driver
  std::uint64_t seed = 42;
  int threads = 1;
};

struct LeasInputs {
  std::size_t n_classes = 0;
  std::span<const std::int32_t> from_idx, to_idx;  // class index per cell, < 0 nodata
  std::vector<std::string> driver_names;
  std::vector<std::span<const double>> drivers;  // one per name, a value per cell, NaN nodata
  // Optional layers replacing the historical ones at prediction time (PLUS ≥ 1.3.5): empty, or
  // one per driver (an empty span keeps the historical layer).
  std::vector<std::span<const double>> drivers_future;
};

struct LeasClassModel {
  bool fitted = false;
  std::size_t expansion_cells = 0;  // in the whole map
  std::size_t sample_rows = 0, sample_positives = 0;
  double oob_rmse = 0;               // NaN when not fitted
  std::vector<double> importance;    // raw OOB permutation importance per driver (MSE units)
  std::vector<double> contribution;  // max(importance, 0) normalised to sum 1
};

struct LeasResult {
  std::size_t n_cells = 0, n_classes = 0;
  std::vector<float> probability;  // [class · n_cells + cell]
  std::vector<LeasClassModel> classes;
  std::vector<double> driver_min, driver_max;
  std::size_t valid_cells = 0, sampled_cells = 0;
};

// Class index of T2 where both maps have a class and they differ, else −1.
std::vector<std::int32_t> expansion_map(std::span<const std::int32_t> from_idx,
                                        std::span<const std::int32_t> to_idx);

// ConfigError for a bad parameter, DataError for mismatched lengths or a constant driver.
LeasResult run_leas(const LeasInputs& inputs, const LeasParams& params);

}  // namespace minecarbon::assess::scenario
