#include "minecarbon/assess/potential.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "minecarbon/assess/potential/steps.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

// k / n, or null for n = 0.
nlohmann::json share_json(std::size_t k, std::size_t n) {
  return n ? nlohmann::json(static_cast<double>(k) / static_cast<double>(n)) : nlohmann::json();
}

// Wilson score interval of a binomial share k / n at 95 % (Wilson 1927, JASA 22:209,
// doi:10.1080/01621459.1927.10502953): centre (k + z²/2) / (n + z²), half-width
// z·√(k(n−k)/n + z²/4) / (n + z²), z = 1.959964. Stays within [0, 1] and is not degenerate at
// k = 0 or k = n, unlike the normal approximation. [low, high], or null for n = 0.
nlohmann::json wilson_json(std::size_t k, std::size_t n) {
  if (n == 0) return nlohmann::json();
  constexpr double kZ = 1.959963984540054;  // standard normal quantile at 0.975
  const double kd = static_cast<double>(k), nd = static_cast<double>(n), z2 = kZ * kZ;
  const double centre = (kd + z2 / 2) / (nd + z2);
  const double half = kZ * std::sqrt(kd * (nd - kd) / nd + z2 / 4) / (nd + z2);
  return nlohmann::json::array({std::max(0.0, centre - half), std::min(1.0, centre + half)});
}

nlohmann::json list_json(const std::vector<std::size_t>& values) {
  nlohmann::json a = nlohmann::json::array();
  for (std::size_t x : values)
    a.push_back(x);
  return a;
}

// Wall-clock seconds per phase (moved under `timing` when the summary is written).
class PhaseClock {
 public:
  void end(const char* name) {
    const auto now = std::chrono::steady_clock::now();
    seconds_[name] = std::chrono::duration<double>(now - phase_start_).count();
    phase_start_ = now;
  }
  void finish(nlohmann::json& summary) {
    end("tables");
    summary["phase_seconds"] = seconds_;
    summary["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

 private:
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point phase_start_ = started_;
  nlohmann::json seconds_;
};

}  // namespace

std::string_view to_string(MissingCovariates rule) {
  for (const auto& [value, name] : kMissingCovariatesNames)
    if (value == rule) return name;
  return "unknown";
}

std::string_view to_string(ConditionalForest forest) {
  for (const auto& [value, name] : kConditionalForestNames)
    if (value == forest) return name;
  return "unknown";
}

std::string_view to_string(MineRole role) {
  switch (role) {
    case MineRole::no_response:
      return "no_response";
    case MineRole::missing_covariates:
      return "missing_covariates";
    case MineRole::below_threshold:
      return "below_threshold";
    case MineRole::training:
      return "training";
    case MineRole::validation:
      return "validation";
    case MineRole::unsampled:
      return "pool_not_sampled";
  }
  return "unknown";
}

// ---- response ----------------------------------------------------------------------------

JoinedResponse join_response(const geo::PolygonLayer& mines, const ResponseSet& response) {
  std::map<std::string, double> by_id;
  for (const MineResponse& m : response.mines) {
    if (!by_id.emplace(m.id, m.value).second)
      throw RunError("[potential] response " + response.definition + ": mine id '" + m.id +
                     "' appears twice (the loader must refuse duplicates)");
  }
  JoinedResponse out;
  out.values.assign(mines.features.size(), kNaN);
  for (std::size_t mine = 0; mine < mines.features.size(); ++mine) {
    const auto it = by_id.find(mines.features[mine].id);
    if (it == by_id.end()) {
      ++out.unmatched;
    } else {
      out.values[mine] = it->second;
    }
  }
  if (!mines.features.empty() && out.unmatched == mines.features.size()) {
    const std::string theirs = by_id.empty() ? "(none)" : by_id.begin()->first;
    throw DataError("[potential] none of the " + std::to_string(mines.features.size()) +
                    " mine ids of " + mines.path + " (e.g. '" + mines.features.front().id +
                    "') appears in the response (" + response.definition + ", e.g. '" + theirs +
                    "'); use the id_field the damage stage used");
  }
  return out;
}

// ---- the stage ---------------------------------------------------------------------------

namespace {

nlohmann::json covariate_summary(const potential_steps::CovariateTable& table,
                                 const geo::CovariateSources& sources) {
  const geo::ZonalCovariates& cov = table.values;
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t c = 0; c < cov.names.size(); ++c) {
    const auto missing = table.missing_count.find(cov.names[c]);
    nlohmann::json entry = {
        {"name", cov.names[c]},
        {"kind", cov.kinds[c]},
        {"missing_mines", missing == table.missing_count.end() ? 0 : missing->second}};
    if (c < sources.rasters.size()) entry["raster"] = sources.rasters[c].raster.paths.front();
    list.push_back(entry);
  }
  return list;
}

nlohmann::json metrics_json(const PotentialMetrics& m) {
  nlohmann::json out = {{"oob_rmse", m.oob_rmse},
                        {"oob_rows", m.oob_rows},
                        {"cv_rmse_mean", m.cv_rmse_mean},
                        {"cv_rmse_sd", m.cv_rmse_sd}};
  if (m.validation_rmse) {
    out["validation_rmse"] = *m.validation_rmse;
    out["validation_mae"] = *m.validation_mae;
    out["validation_r2"] = m.validation_r2 ? nlohmann::json(*m.validation_r2) : nlohmann::json();
    out["validation_mines"] = m.validation_mines;
  }
  return out;
}

nlohmann::json totals_json(const PotentialGroup& all, double interval) {
  return {{"mines_with_potential", all.n_with},
          {"mines_potential_known", all.n_known},
          {"has_potential_rule", "predicted_low > observed: the " + format_plain(interval) +
                                     " interval of the potential excludes zero"},
          {"share_with_potential", share_json(all.n_with, all.n_known)},
          {"share_with_potential_wilson95", wilson_json(all.n_with, all.n_known)},
          {"share_with_potential_upper", share_json(all.n_possible, all.n_known)},
          {"mines_potential_possible", all.n_possible},
          {"share_without_potential",
           all.n_known ? nlohmann::json(static_cast<double>(all.n_known - all.n_with) / all.n_known)
                       : nlohmann::json()},
          {"mean_potential",
           all.n_known ? nlohmann::json(all.sum_potential / all.n_known) : nlohmann::json()},
          {"max_potential",
           std::isfinite(all.max_potential) ? nlohmann::json(all.max_potential) : nlohmann::json()},
          {"total_potential_GgC_yr", all.total_GgC_yr}};
}

nlohmann::json model_json(const ml::ForestParams& best, const ml::Forest& forest,
                          const ml::GridSearchParams& grid, double conditional_threshold) {
  nlohmann::json model = {
      {"mtry", best.mtry},           {"min_node_size", best.min_node_size},
      {"max_depth", best.max_depth}, {"num_trees", best.num_trees},
      {"replace", best.replace},     {"sample_fraction", forest.params().sample_fraction},
      {"nodes", forest.node_count()}};
  // The grid as searched (defaults filled in for the number of covariates).
  model["grid"] = {{"mtry", list_json(grid.mtry)},
                   {"min_node_size", list_json(grid.min_node_size)},
                   {"max_depth", list_json(grid.max_depth)},
                   {"num_trees", list_json(grid.num_trees)},
                   {"folds", grid.cv.folds},
                   {"conditional_threshold", conditional_threshold}};
  return model;
}

}  // namespace

PotentialResult run_potential(const PotentialParams& params, const PotentialInputs& inputs,
                              const RunContext& context) {
  namespace steps = potential_steps;
  PhaseClock clock;
  params.validate();
  if (!inputs.mines) throw ConfigError("potential: no mine layer in the inputs");
  const geo::PolygonLayer& layer = *inputs.mines;
  const std::size_t n_mines = layer.features.size();
  PotentialResult result;
  result.response = params.response;
  ProblemList& warnings = result.warnings;
  // The response joined and the group keys read first: a typo must not cost a whole run.
  JoinedResponse response;
  if (!params.covariates_only) response = join_response(layer, inputs.response);
  result.group_columns = group_columns(layer, params.group_by, params.iso3_field,
                                       inputs.m49 ? &*inputs.m49 : nullptr, "[potential]");
  for (const auto& g : result.group_columns) {
    if (g.unknown_iso3 > 0) {
      warnings.add("unknown_iso3", std::to_string(g.unknown_iso3) +
                                       " mines have an ISO-3 code in '" + g.iso3_field +
                                       "' that the M49 table does not know; grouped as "
                                       "'unknown' in " +
                                       g.field);
    }
  }

  // 1. Covariates.
  steps::CovariateTable covariates =
      steps::tabulate_covariates(layer, inputs.covariates, context, warnings);
  clock.end("covariates");
  nlohmann::json& js = result.summary;
  js["stage"] = "potential";
  js["covariates"] = covariate_summary(covariates, inputs.covariates);
  js["inputs"] = {{"mines", layer.path},
                  {"mines_layer", layer.layer_name},
                  {"distinct_covariate_grids", covariates.values.distinct_grids}};
  if (inputs.covariates.dem) js["inputs"]["dem"] = inputs.covariates.dem->paths.front();
  js["counts"] = {{"mines", n_mines},
                  {"covariates_complete", covariates.n_complete},
                  {"missing_covariates", n_mines - covariates.n_complete},
                  {"repaired_geometries", layer.repaired_ids.size()}};
  js["parameters"] = options_json(PotentialParams::options(), params);
  auto keep_covariates = [&]() {
    result.ids = std::move(covariates.ids);
    result.covariates = std::move(covariates.values);
    result.complete = std::move(covariates.complete);
    result.missing = std::move(covariates.missing);
  };
  if (params.covariates_only) {
    keep_covariates();
    clock.finish(js);
    return result;
  }
  js["response"] = {{"name", inputs.response.name},
                    {"definition", inputs.response.definition},
                    {"source", inputs.response_source},
                    {"mines_without_a_row", response.unmatched}};

  // 2. Response, pool, sample, split.
  const std::vector<double>& y = response.values;
  const steps::TrainingSet training =
      steps::select_training(params, covariates.ids, covariates.complete, y, context.seed);
  js["counts"]["no_response"] = training.n_no_response;
  js["counts"]["pool"] = training.pool.size();
  js["counts"]["pool_missing_covariates"] = training.n_pool_missing;
  js["counts"]["sampled"] = training.n_sample;
  js["counts"]["training"] = training.training.size();
  js["counts"]["validation"] = training.validation.size();
  context.say("potential: " + std::to_string(training.pool.size()) + " mines with " +
              params.response + " > " + format_plain(params.response_threshold) + "; training on " +
              std::to_string(training.training.size()) + ", validating on " +
              std::to_string(training.validation.size()));

  // 3. Constant covariates, then Yeo-Johnson fitted on the training mines.
  const steps::CovariateTransform transform =
      steps::fit_transform(params, covariates, training.training);
  clock.end("yeo_johnson");
  const steps::FeatureRows features =
      steps::build_features(params, covariates, training.training, y, transform);

  // 4. Tuning and the final fit.
  const steps::Tuning tuning = steps::tune_forest(params, features.training, context);
  clock.end("cross_validation");
  const ml::ForestParams best = steps::best_params(tuning, context);
  ml::Forest forest = ml::fit_forest(features.training, best);
  clock.end("final_fit");

  // 5. Predictions and metrics.
  const steps::Predictions predictions =
      steps::predict_mines(params, forest, features, training.training, n_mines, context);
  const PotentialMetrics metrics =
      steps::model_metrics(params, forest, tuning, predictions, training.validation, y, warnings);
  clock.end("prediction");

  // 6. Importance.
  const steps::Drivers drivers =
      steps::rank_drivers(params, forest, best, features.training, context, warnings);
  clock.end("importance");

  // 7. Potentials per mine and per group.
  result.mines = steps::mine_potentials(covariates, training, y, predictions, features.imputed);
  result.groups = steps::summarise_groups(result.mines, result.group_columns);
  if (response.unmatched > 0) {
    warnings.add("mines_without_response",
                 std::to_string(response.unmatched) + " mines have no row in the response (" +
                     inputs.response_source + "); they get predictions but no potential");
  }

  // The records.
  result.cv = tuning.search;
  result.cv_folds = tuning.grid.cv.folds;
  result.importance = drivers.rows;
  for (std::size_t c = 0; c < covariates.values.names.size(); ++c) {
    result.yeo_johnson.push_back({covariates.values.names[c], transform.applied, transform.yj[c],
                                  transform.training_median[c]});
  }

  // Summary.
  std::size_t n_predicted = 0, n_imputed = 0;
  for (const MinePotential& m : result.mines) {
    n_predicted += std::isfinite(m.predicted) ? 1 : 0;
    n_imputed += m.imputed_covariates.empty() ? 0 : 1;
  }
  js["counts"]["predicted"] = n_predicted;
  js["counts"]["predicted_with_imputation"] = n_imputed;
  js["counts"]["not_predicted_missing_covariates"] = n_mines - n_predicted;
  js["model"] = model_json(best, forest, tuning.grid, drivers.conditional_threshold);
  js["seed"] = context.seed;
  js["metrics"] = metrics_json(metrics);
  js["importance_top"] = drivers.top;
  js["totals"] = totals_json(result.groups.front(), params.interval);
  keep_covariates();
  result.model = std::move(forest);
  clock.finish(js);
  return result;
}

}  // namespace minecarbon::assess
