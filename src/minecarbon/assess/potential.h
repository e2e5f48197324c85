// The potential stage: how much more NEP restoration could achieve at every mine, given its
// climate, ecology, terrain and economy (Chen Fu et al. 2025, J. China Coal Society 50(6):2789,
// §1.3–1.4.2), with the drivers that matter.
//
//   1. Covariates per mine (geo/zonal_covariates.h): zonal statistics of rasters, terrain, mine
//      area.
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
//        potential_i = max(0, ŷ_i − y_i)   gC m⁻² yr⁻¹ (carbon/restoration_potential.h)
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
// Each step is a function of assess/potential/steps.h with explicit inputs and a typed record as
// output; run_potential() calls them in order, and to_tables() turns the typed result into the
// published tables.
//
// Failures are reported, never silently used: a missing covariate excludes the mine from training
// (counted) and from prediction (unless impute_median); a constant covariate, too few training
// mines or a failed Yeo-Johnson fit stop the run with the numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/grouping.h"
#include "minecarbon/carbon/restoration_potential.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/zonal_covariates.h"
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

// ---- the response ------------------------------------------------------------------------

// The response of one mine, in the response's unit (default: the change of its NEP from the base
// year to the last year, gC m⁻² yr⁻¹). NaN = the source has the mine but no value.
struct MineResponse {
  std::string id;
  double value;
};

// A response for the mines, as the stage takes it: the loaders (pipeline/potential_job.h) turn
// the damage result, a damage folder or a user's table into this.
struct ResponseSet {
  std::string name;                 // column name in the outputs (params.response)
  std::string definition;           // for the summary
  std::vector<MineResponse> mines;  // ids unique (the loaders check)
};

struct JoinedResponse {
  std::vector<double> values;  // per mine of the layer, NaN = no response
  std::size_t unmatched = 0;   // mines of the layer without a row in the response
};

// The response of every mine of the layer. Throws DataError when no mine id matches (ids
// printed), RunError for a duplicate id (the loaders refuse them first).
JoinedResponse join_response(const geo::PolygonLayer& mines, const ResponseSet& response);

// ---- the stage ---------------------------------------------------------------------------

struct PotentialInputs {
  // The mine layer, shared with the other stages of a project (read once: pipeline::MineSet).
  std::shared_ptr<const geo::PolygonLayer> mines;
  geo::CovariateSources covariates;
  ResponseSet response;         // unused with covariates_only
  std::string response_source;  // for the summary: "damage (in memory)", a folder or a file
  std::optional<CsvText> m49;   // needed when grouping by an M49 column
};

// What happened to a mine on its way through the stage.
enum class MineRole {
  no_response,
  missing_covariates,
  below_threshold,
  training,
  validation,
  unsampled,  // in the pool, not drawn (printed "pool_not_sampled")
};
std::string_view to_string(MineRole role);

// One mine's result (layer order).
struct MinePotential {
  std::string id;
  double area_m2 = 0;  // geodesic
  MineRole role = MineRole::below_threshold;
  std::string imputed_covariates;  // "a, b": imputed with the training median
  std::string missing_covariates;  // "a (outside); b (nodata)"
  double observed = 0;             // y, NaN without a response
  double predicted = 0;            // ŷ, NaN without a prediction
  double predicted_low = 0, predicted_high = 0;
  carbon::PotentialInterval potential;  // max(0, ŷ − y) and its interval
  double potential_GgC_yr = 0;          // NaN when the potential is unknown
};

// Per group (field "all" / group "all", then each group_by field and value).
struct PotentialGroup {
  std::string field, group;
  std::size_t n_mines = 0, n_response = 0, n_predicted = 0;
  std::size_t n_known = 0;                      // potential known
  std::size_t n_with = 0;                       // its interval excludes zero
  std::size_t n_possible = 0;                   // its interval's upper end is above zero
  double sum_potential = 0, max_potential = 0;  // max NaN when none known
  double total_GgC_yr = 0, total_low_GgC_yr = 0, total_high_GgC_yr = 0;
  double area_known_m2 = 0;
};

// One importance of one covariate (impurity, permutation or conditional), ranked within its kind.
struct ImportanceRow {
  std::string kind;
  std::size_t rank = 0;
  std::string covariate;
  double importance = 0;
  double standard_error = 0;      // NaN for impurity
  std::int64_t trees_using = -1;  // -1 for impurity
  std::string unit;
};

struct YeoJohnsonRow {
  std::string covariate;
  bool transformed = false;
  stats::YeoJohnsonColumn column;  // when transformed
  double training_median = 0;
};

struct PotentialMetrics {
  double oob_rmse = 0;
  std::size_t oob_rows = 0;
  double cv_rmse_mean = 0, cv_rmse_sd = 0;
  // With at least two validation mines.
  std::optional<double> validation_rmse, validation_mae, validation_r2;  // r2 NaN → absent
  std::size_t validation_mines = 0;
};

struct PotentialResult {
  std::string response;  // params.response: names the output columns
  // Covariates of every mine (always).
  std::vector<std::string> ids;
  geo::ZonalCovariates covariates;
  std::vector<std::uint8_t> complete;
  std::vector<std::string> missing;
  // Group columns carried into the mine table.
  std::vector<GroupColumn> group_columns;
  // The model (absent for covariates_only).
  std::vector<MinePotential> mines;
  ml::GridSearchResult cv;
  std::size_t cv_folds = 0;
  std::vector<ImportanceRow> importance;
  std::vector<YeoJohnsonRow> yeo_johnson;
  std::vector<PotentialGroup> groups;
  std::optional<ml::Forest> model;
  nlohmann::json summary;  // parameters used, counts, metrics (warnings: see record_warnings)
  ProblemList warnings;    // codes: covariate_missing, unknown_iso3, no_validation,
                           // oob_in_sample, party_on_deep_trees, conditional_all_nonpositive,
                           // mines_without_response
};

// The published tables.
struct PotentialTables {
  Table covariates{"covariates"};  // one row per mine: the covariate values and valid areas
  Table mines{"potential"};        // one row per mine: response, prediction, potential
  Table cv_grid{"cv_grid"};        // one row per grid setting
  Table importance{"importance"};  // (kind, rank, covariate), sorted
  Table yeo_johnson{"yeo_johnson"};
  Table groups{"group_summary"};
};
PotentialTables to_tables(const PotentialResult& result);

// Calls params.validate() first (OptionError, a ConfigError, for bad parameters); DataError for
// data that cannot train a model (numbers in the message), RunError for a failed Yeo-Johnson fit.
PotentialResult run_potential(const PotentialParams& params, const PotentialInputs& inputs,
                              const RunContext& context);

}  // namespace minecarbon::assess
