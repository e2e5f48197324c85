// The potential stage: how much more NEP restoration could achieve at every mine, given its
// climate, ecology, terrain and economy (Chen Fu et al. 2025, J. China Coal Society 50(6):2789,
// §1.3–1.4.2), with the drivers that matter.
//
//   1. Covariates per mine (mine_covariates.h): zonal statistics of rasters, terrain, mine area.
//   2. Response y_i: a per-mine column of the damage results (default nep_increment_gC_m2_yr =
//      P_last = Q_last − Q_base, the change of the mine's own mean NEP from the base year to the
//      last year, gC m⁻² yr⁻¹), or of a user table.
//   3. Training pool: mines with y_i > response_threshold (default 100 gC m⁻² yr⁻¹, the paper's
//      "best achievable restoration") and every covariate present. Ordered by mine id, shuffled
//      with the stream (seed, potential sample), cut to max_training_mines; the first
//      round(validation_fraction · n) are held out for validation, the rest train the model.
//   4. Yeo-Johnson per covariate (natural log; stats/yeo_johnson.h), λ and the standardisation
//      fitted on the training mines only and applied to every mine.
//   5. Random forest (ml/): k-fold cross-validation over the grid of (mtry, min node size, max
//      depth, trees); the setting with the lowest mean CV RMSE is refitted on the training mines.
//      Validation RMSE, MAE and R² on the held-out mines.
//   6. For every mine with all covariates (or imputed ones, if asked):
//        ŷ_i  = predicted achievable response (training mines: their out-of-bag prediction, so a
//               mine never predicts itself)
//        [ŷ_lo, ŷ_hi] = quantile regression forest interval (Meinshausen 2006) at `interval`
//        potential_i = max(0, ŷ_i − y_i)   gC m⁻² yr⁻¹
//        has_potential_i = ŷ_lo,i > y_i: the interval of the potential, [ŷ_lo − y_i, ŷ_hi − y_i],
//               excludes zero. (ŷ_i > y_i flagged about half of the restored demo mines, whose
//               planted potential is 0: a prediction scattered around y_i exceeds it half the
//               time.) The share of such mines is reported with its Wilson 95 % interval and
//               the share whose interval reaches above zero (ŷ_hi > y_i) as its upper bound.
//        potential_GgC_yr_i = potential_i · U_i / 10⁹   (U_i geodesic area, m²)
//      and per group (all, and each group_by value): mean and max potential, share of mines
//      without potential, area-weighted total in Gg C/yr.
//   7. Driver importance, all three kinds, sorted: impurity (SSE decrease), permutation (OOB MSE
//      increase), conditional permutation (Strobl et al. 2008; permimp mode by default, see
//      ConditionalForest below).
//
// Failures are reported, never silently used: a missing covariate excludes the mine from training
// (counted) and from prediction (unless impute_median); a constant covariate, too few training
// mines or a failed Yeo-Johnson fit stop the run with the numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/mine_covariates.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/ml/conditional_importance.h"
#include "minecarbon/ml/cross_validation.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/stats/yeo_johnson.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

inline constexpr const char* kDefaultResponse = "nep_increment_gC_m2_yr";

enum class MissingCovariates {
  exclude,        // a mine without every covariate gets no prediction
  impute_median,  // ... gets one from the training mines' median of the missing covariate
};
// Name table, used for parsing (the options), printing and the lists in messages.
inline constexpr std::array<std::pair<MissingCovariates, const char*>, 2> kMissingCovariatesNames{{
    {MissingCovariates::exclude, "exclude"},
    {MissingCovariates::impute_median, "impute_median"},
}};
std::string_view to_string(MissingCovariates rule);

// Which forest the conditional importance permutes in.
enum class ConditionalForest {
  // The tuned model. Right for permimp mode. In party mode with CV-chosen deep trees (min node
  // size 1–5) the conditioning grid gets so fine that nearly every OOB row is alone in its cell
  // and every importance collapses towards 0 (docs/random_forest.md, "Tree size matters").
  model,
  // A forest grown for importance only, as party's cforest_unbiased grows it: subsampling 0.632
  // without replacement, nodes of < 20 draws not split (min_node_size 19), ≥ 7 draws per child,
  // the model's mtry and number of trees. Right for party mode.
  party_like,
};
// Name table, used for parsing (the options), printing and the lists in messages.
inline constexpr std::array<std::pair<ConditionalForest, const char*>, 2> kConditionalForestNames{{
    {ConditionalForest::model, "model"},
    {ConditionalForest::party_like, "party_like"},
}};
std::string_view to_string(ConditionalForest forest);

struct PotentialParams {
  // Name of the response, used in the output columns and messages.
  std::string response = kDefaultResponse;
  // Training pool: mines whose response exceeds this (in the response's unit). The paper's 100
  // gC m⁻² yr⁻¹ treats mines that gained more as restored as well as they can be; lower it and
  // partly restored mines teach the model lower "achievable" values.
  double response_threshold = 100.0;
  // At most this many pool mines are used (training + validation), drawn at random. The forest's
  // cost grows as n log n per tree; 2000 is the paper's regime.
  std::size_t max_training_mines = 2000;
  // Share of the sample held out for validation, in [0, 0.9]. 0 skips validation.
  double validation_fraction = 0.15;
  // Fewer training mines than this (or than the CV folds) stop the run: a forest on a handful of
  // mines predicts noise.
  std::size_t min_training_mines = 30;
  MissingCovariates missing_covariates = MissingCovariates::exclude;

  // Yeo-Johnson on every covariate before the forest. The forest itself is invariant to monotone
  // transforms; the transform changes party-mode conditioning sets (Pearson r) and what the
  // transformed covariates look like in the outputs.
  bool yeo_johnson = true;
  stats::YeoJohnsonParams yeo_johnson_params;

  // Forest settings outside the grid (bootstrap, min_bucket, sample_fraction); seed and threads
  // come from the run.
  ml::ForestParams forest;
  // The grid: mtry values (0 = floor(√p)); empty = {floor(√p), floor(p/3), floor(2p/3), p}
  // (distinct, ≥ 1). min_node_size, max_depth (0 = unlimited), num_trees: empty = the defaults
  // {1, 5, 10}, {0}, {200}: 12 settings for p ≥ 9, 3 folds = 36 fits. mtry matters most (the
  // peer benchmark measured −10 % RMSE from mtry 3 to 11 at n = 2000, see
  // docs/random_forest_benchmark.md §5); a depth limit rarely helps a forest; 200 trees keep the
  // Monte-Carlo noise of the CV RMSE well below the differences between settings. Cost grows
  // linearly in every list's length. folds: the paper's 3.
  ml::GridSearchParams grid;

  // Conditional importance (mode, threshold, permutations); seed and threads from the run.
  ml::ConditionalImportanceParams conditional{ml::ConditionalImportanceMode::permimp};
  ConditionalForest conditional_forest = ConditionalForest::model;
  // Shuffles per tree and variable of the plain permutation importance.
  std::size_t permutation_repeats = 1;

  // Central probability of the prediction interval, in (0, 1): 0.9 → the 5 % and 95 % quantiles.
  double interval = 0.9;

  // Totals by these fields or M49 columns (grouping.h).
  std::vector<std::string> group_by;
  std::string iso3_field;

  // Stop after the covariate table (no response needed, no model).
  bool covariates_only = false;

  // Every option above, declared once (key, unit, default, range, choices, doc): core/options.h.
  static const OptionTable<PotentialParams>& options();
  // Every range and cross-field rule; throws OptionError naming the key. The rules that need the
  // data (grid_mtry <= the number of covariates, enough training mines for the folds) are checked
  // by run_potential once the covariates are known.
  void validate() const;
};

struct PotentialInputs {
  geo::PolygonLayer mines;
  CovariateSources covariates;
  // Per mine (layer order), NaN = no response (not in the damage results, or NaN there).
  std::vector<double> response;
  std::string response_source;  // for the summary: "damage (in memory)", a folder or a file
  std::optional<CsvText> m49;   // needed when grouping by an M49 column
};

struct PotentialResult {
  Table covariates{"covariates"};  // one row per mine: the covariate values and valid areas
  Table mines{"potential"};        // one row per mine: response, prediction, potential
  Table cv_grid{"cv_grid"};        // one row per grid setting
  Table importance{"importance"};  // (kind, rank, covariate), sorted
  Table yeo_johnson{"yeo_johnson"};
  Table groups{"group_summary"};
  std::optional<ml::Forest> model;  // the refitted forest (absent for covariates_only)
  nlohmann::json summary;           // parameters used, counts, metrics, warnings
  std::vector<std::string> warnings;
};

// Calls params.validate() first (OptionError, a ConfigError, for bad parameters); DataError for
// data that cannot train a model (numbers in the message), RunError for a failed Yeo-Johnson fit.
PotentialResult run_potential(const PotentialParams& params, const PotentialInputs& inputs,
                              const RunContext& context);

// ---- the response ------------------------------------------------------------------------

// A per-mine response column, by mine id.
struct ResponseColumn {
  std::string name;
  std::string definition;  // for the summary
  std::map<std::string, double> by_id;
};

// From the damage stage's tables ("damage/mines", "damage/mine_year"):
//   nep_increment_gC_m2_yr: nep_mine_change_gC_m2_yr (P = Q − Q_base) in the table's last year;
//   any other name: that numeric column of the mines table.
// Throws ConfigError naming the available columns when `name` is neither.
ResponseColumn response_from_damage(const Table& mines, const Table& mine_year,
                                    const std::string& name);

// A numeric column `name` of any table keyed by `id_column` (a user's own response table).
// Throws ConfigError when either column is missing (listing the columns), DataError for a
// duplicate id or a value that is not a number.
ResponseColumn response_from_table(const Table& table, const std::string& id_column,
                                   const std::string& name, const std::string& source);

// The response of every mine of the layer; counts the mines without one in `unmatched`. Throws
// DataError when no mine id matches (ids printed).
std::vector<double> join_response(const geo::PolygonLayer& mines, const ResponseColumn& response,
                                  std::size_t& unmatched);

}  // namespace minecarbon::assess
