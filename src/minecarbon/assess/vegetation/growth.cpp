#include "minecarbon/assess/vegetation/growth.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/core/parallel.h"

namespace minecarbon::assess::vegetation {
namespace {

// The land uses to fit: the named ones, or every land use with a live tree.
std::vector<std::string> land_uses_to_fit(
    const std::vector<PlotCarbon>& plot_carbon,
    const std::map<std::string, std::vector<std::size_t>>& land_uses,
    const VegetationParams& params) {
  std::vector<std::string> names = params.growth_land_uses;
  if (names.empty()) {
    for (const auto& [name, indices] : land_uses) {
      if (std::any_of(indices.begin(), indices.end(),
                      [&](std::size_t idx) { return plot_carbon[idx].live_stems_ha > 0; }))
        names.push_back(name);
    }
  }
  return names;
}

// The message of a land use without a usable fit: its data, each model's failure and the best
// attempt (lowest RSS), and what to do.
std::string describe_failure(const StratumGrowth& g, const std::string& response_column) {
  std::string text = "growth curve of land use '" + g.land_use + "' (" + response_column +
                     " against stand_age_yr, " + std::to_string(g.t.size()) + " plots";
  if (!g.t.empty()) {
    text += ", ages " + format_number(*std::min_element(g.t.begin(), g.t.end())) + "-" +
            format_number(*std::max_element(g.t.begin(), g.t.end()));
  }
  if (g.excluded > 0) text += "; " + std::to_string(g.excluded) + " without age or value";
  text += "): no model gave a usable fit:";
  const carbon::GrowthFit* best = nullptr;
  for (const auto& f : g.fits) {
    const std::size_t p = carbon::growth_parameter_count(f.model);
    text += " " + std::string(carbon::to_string(f.model)) + " " +
            std::string(stats::to_string(f.fit.status)) + " (" +
            (g.t.size() <= p ? "fewer points (" + std::to_string(g.t.size()) +
                                   ") than parameters + 1 (" + std::to_string(p + 1) + ")"
             : f.fit.status == stats::FitStatus::converged ? std::string("no standard errors")
                                                           : f.fit.message) +
            ");";
    if (!f.fit.estimates.empty() && (!best || f.fit.criteria.rss < best->fit.criteria.rss))
      best = &f;
  }
  if (best) {
    text += " best attempt " + std::string(carbon::to_string(best->model)) + ":";
    for (std::size_t k = 0; k < best->fit.estimates.size(); ++k)
      text += " " + best->fit.parameter_names[k] + " = " + format_number(best->fit.estimates[k]);
    text += " (RSS " + format_number(best->fit.criteria.rss) + ", not used)";
  }
  text +=
      ". Add plots of other ages, fit models with fewer parameters (growth_models), or set "
      "growth_on_failure = \"skip\" to report this and go on";
  return text;
}

}  // namespace

GrowthFits fit_growth_curves(const std::vector<Plot>& plots,
                             const std::vector<PlotCarbon>& plot_carbon,
                             const std::map<std::string, std::vector<std::size_t>>& land_uses,
                             const VegetationParams& params, int threads) {
  GrowthFits out;
  if (!params.growth) return out;
  std::vector<StratumGrowth>& growth = out.strata;
  for (const auto& name : land_uses_to_fit(plot_carbon, land_uses, params)) {
    const auto it = land_uses.find(name);
    if (it == land_uses.end()) {
      std::vector<std::string> have;
      for (const auto& [lu, idx] : land_uses)
        have.push_back(lu);
      throw DataError("vegetation: growth_land_uses names '" + name +
                      "', which no plot has (land uses: " + join(have) + "); correct the name");
    }
    StratumGrowth g;
    g.land_use = name;
    g.index = static_cast<std::size_t>(std::distance(land_uses.begin(), it));
    for (const std::size_t idx : it->second) {
      const double y = response_of(plot_carbon[idx], params.growth_response);
      if (!std::isfinite(plots[idx].age_yr) || !std::isfinite(y)) {
        ++g.excluded;
        continue;
      }
      g.plots.push_back(idx);
      g.t.push_back(plots[idx].age_yr);
      g.y.push_back(y);
    }
    growth.push_back(std::move(g));
  }
  parallel_for(growth.size(), threads, [&](std::size_t idx, std::size_t) {
    StratumGrowth& g = growth[idx];
    g.fits = carbon::fit_growth_models(params.growth_models, g.t, g.y);
    g.ranks = carbon::rank_growth_fits(g.fits, params.selection_criterion);
    for (const auto& r : g.ranks) {
      const auto& fit = g.fits[r.fit_index].fit;
      if (r.rank > 0 && fit.covariance_available && fit.df_residual > 0) {
        g.selected = static_cast<int>(r.fit_index);
        break;
      }
    }
  });
  const std::string response_column = growth_response_column(params.growth_response);
  std::vector<std::string> failures;
  for (StratumGrowth& g : growth) {
    if (g.selected >= 0) continue;
    g.failure = describe_failure(g, response_column);
    failures.push_back(g.failure);
  }
  if (!failures.empty()) {
    if (params.growth_on_failure == GrowthFailurePolicy::error) {
      std::string text = "vegetation: " + failures.front();
      for (std::size_t k = 1; k < failures.size(); ++k)
        text += "\n  " + failures[k];
      throw DataError(text);
    }
    for (const auto& f : failures)
      out.warnings.push_back("skipped: " + f);
  }
  for (std::size_t idx = 0; idx < growth.size(); ++idx)
    if (growth[idx].selected >= 0) out.fitted.emplace(growth[idx].land_use, idx);
  return out;
}

}  // namespace minecarbon::assess::vegetation
