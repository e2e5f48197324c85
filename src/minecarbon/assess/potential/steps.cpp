#include "minecarbon/assess/potential/steps.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/progress.h"
#include "minecarbon/core/random.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/ml/metrics.h"
#include "minecarbon/ml/quantile_forest.h"
#include "minecarbon/stats/median.h"

namespace minecarbon::assess::potential_steps {
namespace {

// party's cforest_unbiased: minsplit 20 (nodes of < 20 not split), minbucket 7, subsample 0.632.
constexpr std::size_t kPartyMinNodeSize = 19;
constexpr std::size_t kPartyMinBucket = 7;
constexpr double kPartySampleFraction = 0.632;
// A covariate is constant when its range is within the rounding of the zonal means (1e-9
// relative); a mean of equal cell values comes out equal only to the last bits.
constexpr double kConstantRange = 1e-9;

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts)
    out += (out.empty() ? "" : separator) + part;
  return out;
}

}  // namespace

CovariateTable tabulate_covariates(const geo::PolygonLayer& layer,
                                   const geo::CovariateSources& sources, const RunContext& context,
                                   ProblemList& warnings) {
  const std::size_t n_mines = layer.features.size();
  context.say("potential: covariates of " + std::to_string(n_mines) + " mines");
  CovariateTable out;
  out.values = geo::extract_zonal_covariates(layer, sources, context);
  const geo::ZonalCovariates& cov = out.values;
  if (cov.names.empty()) {
    throw ConfigError(
        "[potential] no covariates: name rasters in covariates, terrain from a dem, "
        "or keep mine_area = true");
  }
  out.ids.resize(n_mines);
  out.complete.resize(n_mines);
  out.missing.resize(n_mines);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    out.ids[mine] = layer.features[mine].id;
    out.complete[mine] = cov.complete(mine);
    out.missing[mine] = join(cov.missing(mine), "; ");
    for (std::size_t c = 0; c < cov.names.size(); ++c)
      if (!std::isfinite(cov.values[c][mine])) ++out.missing_count[cov.names[c]];
  }
  out.n_complete =
      static_cast<std::size_t>(std::count(out.complete.begin(), out.complete.end(), 1));
  for (const auto& [name, count] : out.missing_count) {
    warnings.add("covariate_missing",
                 "covariate " + name + " is missing for " + std::to_string(count) + " of " +
                     std::to_string(n_mines) +
                     " mines (outside the raster or only nodata; see covariates.csv "
                     "column missing_covariates)");
  }
  return out;
}

TrainingSet select_training(const PotentialParams& params, const std::vector<std::string>& ids,
                            const std::vector<std::uint8_t>& complete,
                            const std::vector<double>& response, std::uint64_t seed) {
  const std::size_t n_mines = ids.size();
  TrainingSet out;
  out.role.assign(n_mines, MineRole::below_threshold);
  std::vector<std::size_t>& pool = out.pool;
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (!std::isfinite(response[mine])) {
      out.role[mine] = MineRole::no_response;
      ++out.n_no_response;
    } else if (response[mine] > params.response_threshold) {
      if (complete[mine]) {
        pool.push_back(mine);
      } else {
        out.role[mine] = MineRole::missing_covariates;
        ++out.n_pool_missing;
      }
    }
  }
  std::sort(pool.begin(), pool.end(),
            [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  RandomStream sample_rng(seed, StreamPurpose::potential_sample, 0);
  sample_rng.shuffle(std::span<std::size_t>(pool));
  out.n_sample = std::min(pool.size(), params.max_training_mines);
  const auto n_validation = static_cast<std::size_t>(
      std::llround(params.validation_fraction * static_cast<double>(out.n_sample)));
  out.validation.assign(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n_validation));
  out.training.assign(pool.begin() + static_cast<std::ptrdiff_t>(n_validation),
                      pool.begin() + static_cast<std::ptrdiff_t>(out.n_sample));
  for (std::size_t idx = out.n_sample; idx < pool.size(); ++idx)
    out.role[pool[idx]] = MineRole::unsampled;
  for (std::size_t mine : out.validation)
    out.role[mine] = MineRole::validation;
  for (std::size_t mine : out.training)
    out.role[mine] = MineRole::training;
  const std::size_t needed = std::max(params.min_training_mines, params.grid.cv.folds);
  if (out.training.size() < needed) {
    throw DataError(
        "[potential] only " + std::to_string(out.training.size()) + " training mines (response " +
        params.response + " > " + format_plain(params.response_threshold) + ": " +
        std::to_string(pool.size() + out.n_pool_missing) + " mines, of which " +
        std::to_string(out.n_pool_missing) + " lack a covariate; " + std::to_string(n_validation) +
        " held out for validation; " + std::to_string(out.n_no_response) +
        " mines without a response); need at least " + std::to_string(needed) +
        " (min_training_mines, and at least one per CV fold). Lower response_threshold, add "
        "mines, or fix the covariates");
  }
  return out;
}

CovariateTransform fit_transform(const PotentialParams& params, const CovariateTable& covariates,
                                 const std::vector<std::size_t>& training) {
  const geo::ZonalCovariates& cov = covariates.values;
  const std::size_t n_cov = cov.names.size();
  for (std::size_t c = 0; c < n_cov; ++c) {
    const double first = cov.values[c][training.front()];
    double lo = first, hi = first;
    for (std::size_t mine : training) {
      lo = std::min(lo, cov.values[c][mine]);
      hi = std::max(hi, cov.values[c][mine]);
    }
    if (hi - lo <= kConstantRange * std::max(std::fabs(lo), std::fabs(hi))) {
      throw DataError("[potential] covariate " + cov.names[c] + " is constant (= " +
                      format_plain(first) + ") over all " + std::to_string(training.size()) +
                      " training mines: it cannot inform the model; remove it from the "
                      "covariates or check its raster");
    }
  }
  CovariateTransform out;
  out.applied = params.yeo_johnson;
  out.yj.resize(n_cov);
  out.training_median.assign(n_cov, kNaN);
  for (std::size_t c = 0; c < n_cov; ++c) {
    std::vector<double> x(training.size());
    for (std::size_t k = 0; k < training.size(); ++k)
      x[k] = cov.values[c][training[k]];
    out.training_median[c] = stats::median(x);
    if (out.applied) {
      try {
        out.yj[c] = stats::fit_yeo_johnson(x, params.yeo_johnson_params);
      } catch (const RunError& e) {
        throw RunError("[potential] covariate " + cov.names[c] + ": " + e.what());
      }
    }
  }
  return out;
}

FeatureRows build_features(const PotentialParams& params, const CovariateTable& covariates,
                           const std::vector<std::size_t>& training,
                           const std::vector<double>& response,
                           const CovariateTransform& transform) {
  const geo::ZonalCovariates& cov = covariates.values;
  const std::size_t n_mines = covariates.ids.size();
  const std::size_t n_cov = cov.names.size();
  std::vector<std::size_t> predict_rows;
  std::vector<std::string> imputed(n_mines);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (covariates.complete[mine] || params.missing_covariates == MissingCovariates::impute_median)
      predict_rows.push_back(mine);
  }
  std::vector<double> predict_x(predict_rows.size() * n_cov, kNaN);
  for (std::size_t c = 0; c < n_cov; ++c) {
    for (std::size_t k = 0; k < predict_rows.size(); ++k) {
      const std::size_t mine = predict_rows[k];
      double raw = cov.values[c][mine];
      if (!std::isfinite(raw)) {
        raw = transform.training_median[c];
        imputed[mine] += (imputed[mine].empty() ? "" : ", ") + cov.names[c];
      }
      predict_x[c * predict_rows.size() + k] = transform.apply(c, raw);
    }
  }
  std::vector<double> train_x(training.size() * n_cov), train_y(training.size());
  for (std::size_t k = 0; k < training.size(); ++k) {
    train_y[k] = response[training[k]];
    for (std::size_t c = 0; c < n_cov; ++c)
      train_x[c * training.size() + k] = transform.apply(c, cov.values[c][training[k]]);
  }
  for (std::size_t idx = 0; idx < predict_x.size(); ++idx) {
    if (!std::isfinite(predict_x[idx])) {
      const std::size_t c = idx / predict_rows.size();
      throw RunError("[potential] covariate " + cov.names[c] + " of mine " +
                     covariates.ids[predict_rows[idx % predict_rows.size()]] +
                     " overflows under its Yeo-Johnson transform (lambda = " +
                     format_plain(transform.yj[c].lambda()) +
                     "); set yeo_johnson = false or "
                     "yeo_johnson_optimizer = \"bounded\"");
    }
  }
  return FeatureRows{ml::Dataset(std::move(train_x), std::move(train_y), cov.names),
                     std::move(predict_rows), std::move(predict_x), std::move(imputed)};
}

ml::GridSearchParams resolve_grid(const PotentialParams& params, std::size_t p) {
  ml::GridSearchParams grid = params.grid;
  if (grid.mtry.empty()) {
    const double pd = static_cast<double>(p);
    std::set<std::size_t> values;
    for (double candidate :
         {std::floor(std::sqrt(pd)), std::floor(pd / 3), std::floor(2 * pd / 3), pd})
      values.insert(std::max<std::size_t>(1, static_cast<std::size_t>(candidate)));
    grid.mtry.assign(values.begin(), values.end());
  }
  for (std::size_t& mtry : grid.mtry) {
    if (mtry == 0)
      mtry = std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(static_cast<double>(p))));
    if (mtry > p) {
      throw ConfigError("[potential] grid_mtry: " + std::to_string(mtry) + " is more than the " +
                        std::to_string(p) + " covariates; use values 1.." + std::to_string(p) +
                        " (0 = floor(sqrt(p)))");
    }
  }
  if (grid.min_node_size.empty()) grid.min_node_size = {1, 5, 10};
  if (grid.max_depth.empty()) grid.max_depth = {0};
  if (grid.num_trees.empty()) grid.num_trees = {200};
  return grid;
}

Tuning tune_forest(const PotentialParams& params, const ml::Dataset& data,
                   const RunContext& context) {
  ml::ForestParams base = params.forest;
  base.seed = context.seed;
  base.threads = context.threads;
  base.compute_oob = false;
  Tuning out;
  out.grid = resolve_grid(params, data.n_cols());
  out.grid.cv.seed = context.seed;
  const ml::GridSearchParams& grid = out.grid;
  const std::size_t n_settings =
      grid.mtry.size() * grid.min_node_size.size() * grid.max_depth.size() * grid.num_trees.size();
  context.say("potential: " + std::to_string(grid.cv.folds) + "-fold cross-validation over " +
              std::to_string(n_settings) + " settings");
  // The grid is most of the stage's time: say how far it is (one step per forest fitted).
  Progress progress(context, "potential: cross-validation", ml::grid_search_fit_count(grid));
  out.search = ml::grid_search(data, base, grid, {}, &progress);
  progress.finish();
  return out;
}

ml::ForestParams best_params(const Tuning& tuning, const RunContext& context) {
  ml::ForestParams best = tuning.search.points[tuning.search.best].params;
  best.compute_oob = true;
  best.threads = context.threads;
  return best;
}

Predictions predict_mines(const PotentialParams& params, const ml::Forest& forest,
                          const FeatureRows& features, const std::vector<std::size_t>& training,
                          std::size_t n_mines, const RunContext& context) {
  const std::size_t n_rows = features.predict_rows.size();
  const ml::FeatureView view{features.predict_x, n_rows, features.training.n_cols()};
  const std::vector<double> predicted = forest.predict(view, context.threads);
  const double alpha = (1.0 - params.interval) / 2.0;
  const std::vector<double> probabilities = {alpha, 1.0 - alpha};
  const ml::QuantileForest quantiles(forest, features.training, context.threads);
  const std::vector<double> bounds = quantiles.predict(view, probabilities, context.threads);
  Predictions out;
  out.predicted.assign(n_mines, kNaN);
  out.low.assign(n_mines, kNaN);
  out.high.assign(n_mines, kNaN);
  for (std::size_t k = 0; k < n_rows; ++k) {
    const std::size_t mine = features.predict_rows[k];
    out.predicted[mine] = predicted[k];
    out.low[mine] = bounds[k * 2];
    out.high[mine] = bounds[k * 2 + 1];
  }
  // Training mines: their out-of-bag prediction (no tree that saw the mine votes).
  const auto oob = forest.oob_predictions();
  for (std::size_t k = 0; k < training.size(); ++k) {
    if (std::isfinite(oob[k])) {
      out.predicted[training[k]] = oob[k];
    } else {
      ++out.oob_missing;
    }
  }
  return out;
}

PotentialMetrics model_metrics(const PotentialParams& params, const ml::Forest& forest,
                               const Tuning& tuning, const Predictions& predictions,
                               const std::vector<std::size_t>& validation,
                               const std::vector<double>& response, ProblemList& warnings) {
  PotentialMetrics out;
  out.oob_rmse = std::sqrt(forest.oob_mse());
  out.oob_rows = forest.oob_rows_evaluated();
  out.cv_rmse_mean = tuning.search.points[tuning.search.best].mean_rmse;
  out.cv_rmse_sd = tuning.search.points[tuning.search.best].sd_rmse;
  if (validation.size() >= 2) {
    std::vector<double> v_pred, v_obs;
    for (std::size_t mine : validation) {
      v_pred.push_back(predictions.predicted[mine]);
      v_obs.push_back(response[mine]);
    }
    out.validation_rmse = ml::rmse(v_pred, v_obs);
    out.validation_mae = ml::mae(v_pred, v_obs);
    const double r2 = ml::r_squared(v_pred, v_obs);
    if (std::isfinite(r2)) out.validation_r2 = r2;
    out.validation_mines = validation.size();
  } else {
    warnings.add("no_validation",
                 "fewer than 2 validation mines: no validation metrics "
                 "(validation_fraction = " +
                     format_plain(params.validation_fraction) + ")");
  }
  if (predictions.oob_missing > 0) {
    warnings.add("oob_in_sample",
                 std::to_string(predictions.oob_missing) +
                     " training mines were in every tree's sample; their prediction is "
                     "the in-sample one");
  }
  return out;
}

Drivers rank_drivers(const PotentialParams& params, const ml::Forest& forest,
                     const ml::ForestParams& best, const ml::Dataset& data,
                     const RunContext& context, ProblemList& warnings) {
  ml::PermutationImportanceParams perm_params{params.permutation_repeats, context.seed,
                                              context.threads};
  Progress permutation_progress(context, "potential: permutation importance", forest.num_trees());
  const ml::ImportanceResult permutation =
      ml::permutation_importance(forest, data, perm_params, &permutation_progress);
  permutation_progress.finish();
  ml::ConditionalImportanceParams cond_params = params.conditional;
  cond_params.seed = context.seed;
  cond_params.threads = context.threads;
  std::optional<ml::Forest> importance_forest;
  if (params.conditional_forest == ConditionalForest::party_like) {
    ml::ForestParams party = best;
    party.replace = false;
    party.sample_fraction = kPartySampleFraction;
    party.min_node_size = kPartyMinNodeSize;
    party.min_bucket = kPartyMinBucket;
    party.max_depth = 0;
    importance_forest = ml::fit_forest(data, party);
  } else if (cond_params.mode == ml::ConditionalImportanceMode::party &&
             best.min_node_size < kPartyMinNodeSize) {
    warnings.add(
        "party_on_deep_trees",
        "conditional importance in party mode on the tuned forest (min_node_size " +
            std::to_string(best.min_node_size) +
            "): deep trees make party's conditioning grid so fine that importances collapse "
            "towards 0; use conditional_forest = \"party_like\" or conditional_mode = "
            "\"permimp\"");
  }
  const ml::Forest& conditional_forest = importance_forest ? *importance_forest : forest;
  Progress conditional_progress(context, "potential: conditional importance",
                                conditional_forest.num_trees());
  const ml::ConditionalImportanceResult conditional =
      ml::conditional_importance(conditional_forest, data, cond_params, &conditional_progress);
  conditional_progress.finish();
  const auto& cpi = conditional.importance.importance;
  if (std::none_of(cpi.begin(), cpi.end(), [](double v) { return v > 0; })) {
    warnings.add("conditional_all_nonpositive",
                 "every conditional importance is <= 0: the conditioning grid left no permutation "
                 "that changes a prediction, so the conditional ranking carries no information; "
                 "see conditional_mode and conditional_forest");
  }
  Drivers out;
  out.conditional_threshold = conditional.threshold;
  const std::vector<std::string>& names = data.names();
  const std::string unit = "(" + params.response + ")^2";
  auto add_kind = [&](const std::string& kind, const std::vector<double>& values,
                      const std::vector<double>* se, const std::vector<std::size_t>* trees,
                      const std::string& kind_unit) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
    for (std::size_t r = 0; r < order.size(); ++r) {
      const std::size_t c = order[r];
      out.rows.push_back({kind, r + 1, names[c], values[c], se ? (*se)[c] : kNaN,
                          trees ? static_cast<std::int64_t>((*trees)[c]) : -1, kind_unit});
    }
    out.top[kind] = names[order.front()];
  };
  const auto impurity_span = forest.impurity_importance();
  const std::vector<double> impurity(impurity_span.begin(), impurity_span.end());
  add_kind("impurity", impurity, nullptr, nullptr, "SSE decrease per tree, " + unit);
  add_kind("permutation", permutation.importance, &permutation.standard_error,
           &permutation.trees_using, "OOB MSE increase, " + unit);
  add_kind("conditional", conditional.importance.importance, &conditional.importance.standard_error,
           &conditional.importance.trees_using, "OOB MSE increase, conditional, " + unit);
  return out;
}

std::vector<MinePotential> mine_potentials(const CovariateTable& covariates,
                                           const TrainingSet& training,
                                           const std::vector<double>& response,
                                           const Predictions& predictions,
                                           const std::vector<std::string>& imputed) {
  const std::size_t n_mines = covariates.ids.size();
  std::vector<MinePotential> out(n_mines);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    MinePotential& m = out[mine];
    m.id = covariates.ids[mine];
    m.area_m2 = covariates.values.area_m2[mine];
    m.role = training.role[mine];
    m.imputed_covariates = imputed[mine];
    m.missing_covariates = covariates.missing[mine];
    m.observed = response[mine];
    m.predicted = predictions.predicted[mine];
    m.predicted_low = predictions.low[mine];
    m.predicted_high = predictions.high[mine];
    m.potential = carbon::restoration_potential_interval(m.predicted, m.predicted_low,
                                                         m.predicted_high, m.observed);
    m.potential_GgC_yr =
        m.potential.known ? carbon::potential_GgC_yr(m.potential.potential, m.area_m2) : kNaN;
  }
  return out;
}

namespace {

void add_mine(PotentialGroup& g, const MinePotential& m) {
  ++g.n_mines;
  if (std::isfinite(m.observed)) ++g.n_response;
  if (std::isfinite(m.predicted)) ++g.n_predicted;
  if (!m.potential.known) return;
  const carbon::PotentialInterval& p = m.potential;
  ++g.n_known;
  if (p.low > 0) ++g.n_with;
  if (p.high > 0) ++g.n_possible;
  g.sum_potential += p.potential;
  g.max_potential =
      std::isnan(g.max_potential) ? p.potential : std::max(g.max_potential, p.potential);
  g.total_GgC_yr += carbon::potential_GgC_yr(p.potential, m.area_m2);
  g.total_low_GgC_yr += carbon::potential_GgC_yr(p.low, m.area_m2);
  g.total_high_GgC_yr += carbon::potential_GgC_yr(p.high, m.area_m2);
  g.area_known_m2 += m.area_m2;
}

}  // namespace

std::vector<PotentialGroup> summarise_groups(const std::vector<MinePotential>& mines,
                                             const std::vector<GroupColumn>& groups) {
  std::vector<PotentialGroup> out;
  auto aggregate_of = [&](const std::string& field, const std::string& group,
                          const std::vector<std::size_t>& members) {
    PotentialGroup g;
    g.field = field;
    g.group = group;
    g.max_potential = kNaN;
    for (std::size_t mine : members)
      add_mine(g, mines[mine]);
    out.push_back(std::move(g));
  };
  std::vector<std::size_t> everyone(mines.size());
  std::iota(everyone.begin(), everyone.end(), 0u);
  aggregate_of("all", "all", everyone);
  for (const auto& g : groups) {
    std::map<std::string, std::vector<std::size_t>> members;
    for (std::size_t mine = 0; mine < mines.size(); ++mine)
      members[g.values[mine]].push_back(mine);
    for (const auto& [name, list] : members)
      aggregate_of(g.field, name, list);
  }
  return out;
}

}  // namespace minecarbon::assess::potential_steps
