#include "minecarbon/assess/vegetation/heights.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "minecarbon/assess/vegetation.h"

namespace minecarbon::assess::vegetation {
namespace {

// The H–D fit for trees `indices`: one model, or the converged model with the lowest RSE (m).
std::optional<carbon::HeightDiameterFit> fit_heights(const std::vector<Tree>& trees,
                                                     const std::vector<std::size_t>& indices,
                                                     const std::string& model_name,
                                                     std::string& message) {
  std::vector<double> d, h;
  d.reserve(indices.size());
  h.reserve(indices.size());
  for (const std::size_t idx : indices) {
    d.push_back(trees[idx].dbh_cm);
    h.push_back(trees[idx].height_m);
  }
  std::vector<carbon::HeightDiameterModel> models;
  if (model_name == "best") {
    const auto all = carbon::height_diameter_models();
    models.assign(all.begin(), all.end());
  } else {
    models.push_back(carbon::parse_height_diameter_model(model_name));
  }
  std::optional<carbon::HeightDiameterFit> best;
  std::vector<std::string> failures;
  for (const auto model : models) {
    carbon::HeightDiameterFit fit = carbon::fit_height_diameter(model, d, h);
    if (fit.fit.status != stats::FitStatus::converged || !std::isfinite(fit.rse_m)) {
      failures.push_back(std::string(carbon::to_string(model)) + ": " + fit.fit.message);
      continue;
    }
    if (!best || fit.rse_m < best->rse_m) best = std::move(fit);
  }
  message = join(failures, "; ");
  return best;
}

std::string height_group_key(const Tree& tree, const Plot& plot, HeightGrouping grouping) {
  switch (grouping) {
    case HeightGrouping::species:
      return tree.species;
    case HeightGrouping::species_land_use:
      return tree.species + " / " + plot.land_use;
    case HeightGrouping::all:
      return "all";
  }
  return "all";
}

}  // namespace

TreeHeights estimate_heights(const std::vector<Tree>& trees, const std::vector<Plot>& plots,
                             const VegetationParams& params) {
  TreeHeights out;
  out.height_m.reserve(trees.size());
  for (const Tree& t : trees)
    out.height_m.push_back(t.height_m);
  out.estimated.assign(trees.size(), false);
  out.n_missing = static_cast<std::size_t>(std::count_if(
      trees.begin(), trees.end(), [](const Tree& t) { return std::isnan(t.height_m); }));
  if (out.n_missing == 0) return out;

  std::map<std::string, std::vector<std::size_t>> groups;
  std::vector<std::size_t> all;
  for (std::size_t idx = 0; idx < trees.size(); ++idx) {
    groups[height_group_key(trees[idx], plots[trees[idx].plot], params.height_model_by)].push_back(
        idx);
    all.push_back(idx);
  }
  std::vector<HeightFitRecord>& records = out.models;
  const auto measured_count = [&](const std::vector<std::size_t>& indices) {
    return static_cast<std::size_t>(std::count_if(indices.begin(), indices.end(), [&](auto idx) {
      return !std::isnan(trees[idx].height_m);
    }));
  };
  const std::size_t min_trees =
      static_cast<std::size_t>(std::max(1, params.height_model_min_trees));
  // The pooled model is fitted once, when the first group needs it.
  std::optional<std::size_t> pooled_record;
  auto pooled = [&]() -> const HeightFitRecord& {
    if (!pooled_record) {
      HeightFitRecord rec;
      rec.group = "all (pooled)";
      rec.fitted_on = "pooled";
      rec.n_measured = measured_count(all);
      if (rec.n_measured >= min_trees)
        rec.fit = fit_heights(trees, all, params.height_model, rec.message);
      pooled_record = records.size();
      records.push_back(std::move(rec));
    }
    return records[*pooled_record];
  };
  std::vector<std::pair<const std::vector<std::size_t>*, std::size_t>> estimates;  // -> record
  for (const auto& [key, indices] : groups) {
    const bool missing = std::any_of(indices.begin(), indices.end(),
                                     [&](auto idx) { return std::isnan(trees[idx].height_m); });
    if (!missing) continue;
    HeightFitRecord rec;
    rec.group = key;
    rec.fitted_on = "group";
    rec.n_measured = measured_count(indices);
    if (rec.n_measured >= min_trees)
      rec.fit = fit_heights(trees, indices, params.height_model, rec.message);
    std::size_t rec_idx = records.size();
    if (!rec.fit) {
      const HeightFitRecord& p = pooled();
      if (!p.fit) {
        throw DataError(
            "vegetation: " + std::to_string(out.n_missing) +
            " trees have no height and no height-diameter model could be fitted: "
            "group '" +
            key + "' has " + std::to_string(rec.n_measured) +
            " trees with measured heights and all trees together " + std::to_string(p.n_measured) +
            " (at least height_model_min_trees = " + std::to_string(min_trees) + " needed" +
            (p.message.empty() ? std::string() : "; fits failed: " + p.message) +
            "); measure more heights or lower height_model_min_trees");
      }
      rec.fitted_on = "pooled";
      rec.message = (rec.n_measured < min_trees
                         ? std::to_string(rec.n_measured) + " measured heights (< " +
                               std::to_string(min_trees) + "): pooled model used"
                         : "group fits failed (" + rec.message + "): pooled model used");
      rec.fit = p.fit;
      rec_idx = records.size();
    }
    records.push_back(std::move(rec));
    estimates.emplace_back(&indices, rec_idx);
  }
  for (const auto& [indices, rec_idx] : estimates) {
    HeightFitRecord& rec = records[rec_idx];
    for (const std::size_t idx : *indices) {
      if (!std::isnan(trees[idx].height_m)) continue;
      double h = carbon::predict_height_m(*rec.fit, trees[idx].dbh_cm);
      if (!(h >= kBreastHeightM)) {
        h = kBreastHeightM;
        ++out.n_clamped;
      }
      out.height_m[idx] = h;
      out.estimated[idx] = true;
      ++rec.n_estimated;
    }
  }
  out.warnings.push_back("heights estimated for " + std::to_string(out.n_missing) + " of " +
                         std::to_string(trees.size()) +
                         " trees from height-diameter models (table height_models)");
  if (out.n_clamped > 0) {
    out.warnings.push_back(std::to_string(out.n_clamped) +
                           " estimated heights below breast height were set to 1.3 m");
  }
  return out;
}

}  // namespace minecarbon::assess::vegetation
