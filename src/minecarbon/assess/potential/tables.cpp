// to_tables(): the published tables of the potential stage, built from its typed records.
#include <cmath>
#include <limits>
#include <set>

#include "minecarbon/assess/potential.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/row_table.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {
namespace {

Table covariate_table(const PotentialResult& r) {
  const geo::ZonalCovariates& cov = r.covariates;
  // The value, valid and covered area of each raster or terrain covariate; the mine area once.
  struct Cell {
    std::string name;
    const std::vector<double>* values;
  };
  std::vector<Cell> cells;
  std::set<std::string> names = {"mine_id", "area_km2", "covariates_complete",
                                 "missing_covariates"};
  for (std::size_t c = 0; c < cov.names.size(); ++c) {
    if (cov.names[c] == geo::kMineAreaCovariate) {
      if (names.insert(cov.names[c]).second) cells.push_back({cov.names[c], &cov.values[c]});
      continue;
    }
    names.insert(cov.names[c]);
    cells.push_back({cov.names[c], &cov.values[c]});
    cells.push_back({cov.names[c] + "_valid_area_m2", &cov.valid_area_m2[c]});
    cells.push_back({cov.names[c] + "_covered_area_m2", &cov.covered_area_m2[c]});
  }
  RowTable t("covariates");
  for (std::size_t mine = 0; mine < r.ids.size(); ++mine) {
    t.row()
        .set("mine_id", r.ids[mine])
        .set("area_km2", cov.area_m2[mine] / units::kM2PerKm2)
        .set("covariates_complete", static_cast<std::int64_t>(r.complete[mine]))
        .set("missing_covariates", r.missing[mine]);
    for (const Cell& cell : cells)
      t.set(cell.name, (*cell.values)[mine]);
  }
  return std::move(t).finish();
}

const char* prediction_status(const MinePotential& m) {
  if (!std::isfinite(m.predicted)) return "not_predicted_missing_covariates";
  return m.imputed_covariates.empty() ? "predicted" : "predicted_imputed";
}

Table mine_table(const PotentialResult& r) {
  const std::string& resp = r.response;
  // Group columns ride along; one named like a column of ours gets a "group_" prefix.
  const std::set<std::string> ours = {
      "area_km2",           "role",          "prediction_status", "imputed_covariates",
      "missing_covariates", "has_potential", "potential_GgC_yr"};
  std::vector<std::pair<std::string, const GroupColumn*>> group_cells;
  std::set<std::string> taken = {"mine_id"};
  for (const auto& g : r.group_columns) {
    const bool clash = ours.count(g.field) || g.field.rfind("observed_", 0) == 0 ||
                       g.field.rfind("predicted_", 0) == 0 || g.field.rfind("potential_", 0) == 0;
    const std::string name = clash ? "group_" + g.field : g.field;
    if (taken.insert(name).second) group_cells.emplace_back(name, &g);
  }
  RowTable t("potential");
  for (std::size_t mine = 0; mine < r.mines.size(); ++mine) {
    const MinePotential& m = r.mines[mine];
    const carbon::PotentialInterval& p = m.potential;
    t.row().set("mine_id", m.id);
    for (const auto& [name, group] : group_cells)
      t.set(name, group->values[mine]);
    t.set("area_km2", m.area_m2 / units::kM2PerKm2)
        .set("role", std::string(to_string(m.role)))
        .set("prediction_status", prediction_status(m))
        .set("imputed_covariates", m.imputed_covariates)
        .set("missing_covariates", m.missing_covariates)
        .set("observed_" + resp, m.observed)
        .set("predicted_" + resp, m.predicted)
        .set("predicted_low_" + resp, m.predicted_low)
        .set("predicted_high_" + resp, m.predicted_high)
        .set("potential_" + resp, p.potential)
        .set("potential_low_" + resp, p.low)
        .set("potential_high_" + resp, p.high)
        // A double, not a flag column: NaN (NA) where the potential is unknown.
        .set("has_potential", p.known ? (p.excludes_zero ? 1.0 : 0.0) : kNaN)
        .set("potential_GgC_yr", m.potential_GgC_yr);
  }
  return std::move(t).finish();
}

Table cv_table(const PotentialResult& r) {
  RowTable t("cv_grid");
  for (std::size_t idx = 0; idx < r.cv.points.size(); ++idx) {
    const ml::GridPoint& point = r.cv.points[idx];
    t.row()
        .set("mtry", point.params.mtry)
        .set("min_node_size", point.params.min_node_size)
        .set("max_depth", point.params.max_depth)
        .set("num_trees", point.params.num_trees)
        .set("cv_rmse_mean", point.mean_rmse)
        .set("cv_rmse_sd", point.sd_rmse);
    for (std::size_t k = 0; k < r.cv_folds; ++k)
      t.set("cv_rmse_fold" + std::to_string(k + 1), point.fold_rmse[k]);
    t.set("best", static_cast<std::int64_t>(idx == r.cv.best ? 1 : 0));
  }
  return std::move(t).finish();
}

Table importance_table(const PotentialResult& r) {
  RowTable t("importance");
  for (const ImportanceRow& row : r.importance) {
    t.row()
        .set("kind", row.kind)
        .set("rank", row.rank)
        .set("covariate", row.covariate)
        .set("importance", row.importance)
        .set("standard_error", row.standard_error)
        .set("trees_using", row.trees_using)
        .set("unit", row.unit);
  }
  return std::move(t).finish();
}

Table yeo_johnson_table(const PotentialResult& r) {
  RowTable t("yeo_johnson");
  for (const YeoJohnsonRow& row : r.yeo_johnson) {
    const stats::YeoJohnsonColumn& yj = row.column;
    t.row()
        .set("covariate", row.covariate)
        .set("lambda", row.transformed ? yj.lambda() : kNaN)
        .set("mean", row.transformed ? yj.mean : kNaN)
        .set("scale", row.transformed ? yj.scale : kNaN)
        .set("log_likelihood", row.transformed ? yj.fit.log_likelihood : kNaN)
        .set("status", row.transformed ? std::string(stats::to_string(yj.fit.status))
                                       : std::string("not_transformed"))
        .set("training_median", row.training_median);
  }
  return std::move(t).finish();
}

Table group_table(const PotentialResult& r) {
  RowTable t("group_summary");
  for (const PotentialGroup& g : r.groups) {
    const double known = static_cast<double>(g.n_known);
    t.row()
        .set("group_field", g.field)
        .set("group", g.group)
        .set("n_mines", g.n_mines)
        .set("n_with_response", g.n_response)
        .set("n_predicted", g.n_predicted)
        .set("n_potential_known", g.n_known)
        .set("n_with_potential", g.n_with)
        .set("share_without_potential",
             g.n_known ? static_cast<double>(g.n_known - g.n_with) / known : kNaN)
        .set("mean_potential_" + r.response, g.n_known ? g.sum_potential / known : kNaN)
        .set("max_potential_" + r.response, g.max_potential)
        .set("total_potential_GgC_yr", g.total_GgC_yr)
        .set("sum_potential_low_GgC_yr", g.total_low_GgC_yr)
        .set("sum_potential_high_GgC_yr", g.total_high_GgC_yr)
        .set("area_potential_known_km2", g.area_known_m2 / units::kM2PerKm2);
  }
  return std::move(t).finish();
}

}  // namespace

PotentialTables to_tables(const PotentialResult& result) {
  PotentialTables tables;
  tables.covariates = covariate_table(result);
  if (result.model) {
    tables.mines = mine_table(result);
    tables.cv_grid = cv_table(result);
    tables.importance = importance_table(result);
    tables.yeo_johnson = yeo_johnson_table(result);
    tables.groups = group_table(result);
  }
  return tables;
}

}  // namespace minecarbon::assess
