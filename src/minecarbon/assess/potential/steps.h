// The steps of the potential stage (potential.h), each a function of explicit inputs returning a
// record; run_potential() calls them in order and no step keeps state of its own:
//
//   tabulate_covariates   layer, sources        → CovariateTable   (which mines are complete)
//   select_training       response, completeness → TrainingSet     (pool, sample, split, roles)
//   fit_transform         covariates, training   → CovariateTransform (constant check, medians,
//                                                                      Yeo-Johnson)
//   build_features        … , transform          → FeatureRows     (training dataset, rows to
//                                                                   predict, imputations)
//   tune_forest           dataset                → Tuning          (CV over the grid)
//   best_params           tuning                 → ml::ForestParams (best setting, with OOB;
//                                                  run_potential fits the final forest with it)
//   predict_mines         forest, features       → Predictions     (ŷ, interval, OOB for training)
//   rank_drivers          forest, dataset        → Drivers         (three importances)
//   mine_potentials       predictions, response  → MinePotential per mine (max(0, ŷ − y) by
//                                                  carbon/restoration_potential.h)
//   summarise_groups      mine potentials        → PotentialGroup per group
//
// Warnings go into the ProblemList a step is given, with a code.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/grouping.h"
#include "minecarbon/assess/potential.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/permutation_importance.h"

namespace minecarbon::assess::potential_steps {

// ---- 1. covariates -----------------------------------------------------------------------
struct CovariateTable {
  std::vector<std::string> ids;  // layer order
  geo::ZonalCovariates values;
  std::vector<std::uint8_t> complete;                // 1: every covariate present
  std::vector<std::string> missing;                  // per mine, "name (reason); ..."
  std::map<std::string, std::size_t> missing_count;  // covariate → mines without it
  std::size_t n_complete = 0;
};
// Warns (code covariate_missing) per covariate missing for some mines.
CovariateTable tabulate_covariates(const geo::PolygonLayer& layer,
                                   const geo::CovariateSources& sources, const RunContext& context,
                                   ProblemList& warnings);

// ---- 2. training set ---------------------------------------------------------------------
struct TrainingSet {
  std::vector<MineRole> role;     // per mine
  std::vector<std::size_t> pool;  // shuffled; the first n_sample are sampled
  std::vector<std::size_t> training, validation;
  std::size_t n_no_response = 0, n_pool_missing = 0, n_sample = 0;
};
// Pool: y > response_threshold and complete; ordered by id, shuffled with (seed, sample purpose),
// cut to max_training_mines, the first round(validation_fraction · n) held out. Throws DataError
// with the counts when fewer than max(min_training_mines, folds) mines remain for training.
TrainingSet select_training(const PotentialParams& params, const std::vector<std::string>& ids,
                            const std::vector<std::uint8_t>& complete,
                            const std::vector<double>& response, std::uint64_t seed);

// ---- 3. transform ------------------------------------------------------------------------
struct CovariateTransform {
  bool applied = false;                     // Yeo-Johnson on (params.yeo_johnson)
  std::vector<stats::YeoJohnsonColumn> yj;  // per covariate (unfitted when not applied)
  std::vector<double> training_median;      // per covariate, raw values of the training mines
  double apply(std::size_t covariate, double raw) const {
    return applied ? yj[covariate].transform(raw) : raw;
  }
};
// Throws DataError for a covariate constant over the training mines, RunError for a failed fit.
CovariateTransform fit_transform(const PotentialParams& params, const CovariateTable& covariates,
                                 const std::vector<std::size_t>& training);

// ---- 4. features -------------------------------------------------------------------------
struct FeatureRows {
  ml::Dataset training;                   // training mines, transformed, with their response
  std::vector<std::size_t> predict_rows;  // mines to predict, layer order
  std::vector<double> predict_x;          // column-major over predict_rows, transformed
  std::vector<std::string> imputed;       // per mine, names of imputed covariates ("a, b")
};
// Throws RunError when a transformed value overflows.
FeatureRows build_features(const PotentialParams& params, const CovariateTable& covariates,
                           const std::vector<std::size_t>& training,
                           const std::vector<double>& response,
                           const CovariateTransform& transform);

// ---- 5. tuning and the final fit ---------------------------------------------------------
// The grid with its defaults filled in for p covariates; ConfigError for mtry > p.
ml::GridSearchParams resolve_grid(const PotentialParams& params, std::size_t p);

struct Tuning {
  ml::GridSearchParams grid;  // as searched
  ml::GridSearchResult search;
};
Tuning tune_forest(const PotentialParams& params, const ml::Dataset& data,
                   const RunContext& context);
// The best setting of the search, with OOB predictions on, for the final fit
// (ml::fit_forest(data, best_params(...))).
ml::ForestParams best_params(const Tuning& tuning, const RunContext& context);

// ---- 6. predictions ----------------------------------------------------------------------
struct Predictions {
  // Per mine, NaN where not predicted. Training mines carry their out-of-bag prediction.
  std::vector<double> predicted, low, high;
  std::size_t oob_missing = 0;  // training mines in every tree's sample (in-sample prediction)
};
Predictions predict_mines(const PotentialParams& params, const ml::Forest& forest,
                          const FeatureRows& features, const std::vector<std::size_t>& training,
                          std::size_t n_mines, const RunContext& context);

// Validation RMSE/MAE/R² (absent with < 2 validation mines: warning no_validation), and OOB/CV.
PotentialMetrics model_metrics(const PotentialParams& params, const ml::Forest& forest,
                               const Tuning& tuning, const Predictions& predictions,
                               const std::vector<std::size_t>& validation,
                               const std::vector<double>& response, ProblemList& warnings);

// ---- 7. importance -----------------------------------------------------------------------
struct Drivers {
  std::vector<ImportanceRow> rows;         // impurity, permutation, conditional; each sorted
  std::map<std::string, std::string> top;  // kind → the top covariate
  double conditional_threshold = 0;
};
// `best`: the parameters `forest` was fitted with (the party-like forest starts from them).
Drivers rank_drivers(const PotentialParams& params, const ml::Forest& forest,
                     const ml::ForestParams& best, const ml::Dataset& data,
                     const RunContext& context, ProblemList& warnings);

// ---- 8. potentials -----------------------------------------------------------------------
std::vector<MinePotential> mine_potentials(const CovariateTable& covariates,
                                           const TrainingSet& training,
                                           const std::vector<double>& response,
                                           const Predictions& predictions,
                                           const std::vector<std::string>& imputed);

// "all" first, then each group field's values in sorted order.
std::vector<PotentialGroup> summarise_groups(const std::vector<MinePotential>& mines,
                                             const std::vector<GroupColumn>& groups);

}  // namespace minecarbon::assess::potential_steps
