#include "minecarbon/assess/vegetation/projection.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/random.h"

namespace minecarbon::assess::vegetation {
namespace {

// Saturation ages are searched up to this stand age (years).
constexpr double kSearchMaxAgeYr = 1000.0;
// The selected curve of every fitted land use and the options of a projection with it.
class Projector {
 public:
  Projector(const GrowthFits& growth, const VegetationParams& params, std::uint64_t seed)
      : growth_(growth), params_(params), seed_(seed), curves_(growth.strata.size()) {
    for (const auto& [lu, idx] : growth.fitted) {
      const StratumGrowth& g = growth.strata[idx];
      curves_[idx] = carbon::fitted_curve(g.fits[static_cast<std::size_t>(g.selected)]);
    }
  }
  // Projection of land use `growth_idx` over stand ages [start_yr, end_yr].
  carbon::GrowthProjection project(std::size_t growth_idx, double start_yr, double end_yr) const {
    carbon::ProjectionOptions o;
    o.age_start_yr = start_yr;
    o.age_end_yr = end_yr;
    o.age_step_yr = params_.step_yr;
    o.saturation_fraction = params_.saturation_fraction;
    o.increment_threshold_per_yr = params_.increment_threshold_per_yr.value_or(kNaN);
    o.search_max_age_yr = kSearchMaxAgeYr;
    o.band_level = params_.band_level;
    o.monte_carlo_draws = params_.monte_carlo_draws;
    // One Monte Carlo seed per land use, from (seed, purpose, land-use index).
    o.seed = derive_stream_seed(seed_, StreamPurpose::vegetation_projection,
                                growth_.strata[growth_idx].index);
    return carbon::project_growth(curves_[growth_idx], o);
  }
  std::string model_name(std::size_t growth_idx) const {
    return std::string(carbon::to_string(curves_[growth_idx].model));
  }
  const VegetationParams& params() const { return params_; }

  SaturationRow saturation(const std::string& scope, const std::string& id, std::size_t growth_idx,
                           double age_yr, double area_ha, const carbon::GrowthProjection& p) const {
    SaturationRow row;
    row.scope = scope;
    row.id = id;
    row.land_use = growth_.strata[growth_idx].land_use;
    row.model = model_name(growth_idx);
    row.age_yr = age_yr;
    row.area_ha = area_ha;
    row.asymptote = p.asymptote;
    row.current_stock = p.current_stock;
    row.remaining_potential = p.remaining_potential;
    row.saturation_age_yr = p.saturation_age_yr;
    row.increment_saturation_age_yr = p.increment_saturation_age_yr;
    row.years_to_saturation = std::max(0.0, p.saturation_age_yr.value - age_yr);
    row.remaining_potential_total = area_ha * p.remaining_potential.value;
    return row;
  }

 private:
  const GrowthFits& growth_;
  const VegetationParams& params_;
  std::uint64_t seed_;
  std::vector<carbon::FittedGrowthCurve> curves_;  // per stratum (fitted ones filled)
};

double calendar_year(const VegetationParams& params, double offset_yr) {
  return params.inventory_year > 0 ? params.inventory_year + offset_yr : kNaN;
}

// Each land use's curve from age 0 to its oldest plot + horizon, and its saturation at the mean
// plot age.
void project_land_uses(const Projector& projector, const GrowthFits& growth, Projections& out) {
  const VegetationParams& params = projector.params();
  for (const auto& [lu, idx] : growth.fitted) {
    const StratumGrowth& g = growth.strata[idx];
    const double max_age = *std::max_element(g.t.begin(), g.t.end());
    const carbon::GrowthProjection p = projector.project(idx, 0.0, max_age + params.horizon_yr);
    for (const auto& w : p.warnings)
      out.warnings.push_back("land use '" + lu + "': " + w);
    for (std::size_t k = 0; k < p.age_yr.size(); ++k)
      out.curves.push_back(
          {lu, projector.model_name(idx), p.age_yr[k], p.stock[k], p.sink_per_yr[k]});
    const double mean_age = carbon::estimate_mean(g.t).mean;
    const carbon::GrowthProjection now = projector.project(idx, mean_age, mean_age);
    out.saturation.push_back(projector.saturation("land_use", lu, idx, mean_age, kNaN, now));
  }
}

// Every plot with an age in a fitted land use, from its age over the horizon (plot order).
void project_stands(const Projector& projector, const GrowthFits& growth,
                    const std::vector<Plot>& plots, int threads, Projections& out) {
  const VegetationParams& params = projector.params();
  std::vector<std::pair<std::size_t, std::size_t>> stands;  // (growth idx, plot idx)
  for (const auto& [lu, idx] : growth.fitted)
    for (const std::size_t plot_idx : growth.strata[idx].plots)
      stands.emplace_back(idx, plot_idx);
  std::sort(stands.begin(), stands.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  // A projection depends only on (curve, age): stands of one land use and age share it.
  std::map<std::pair<std::size_t, double>, std::size_t> unique_of;
  std::vector<std::pair<std::size_t, double>> unique;
  std::vector<std::size_t> projection_of(stands.size());
  for (std::size_t task = 0; task < stands.size(); ++task) {
    const auto key = std::make_pair(stands[task].first, plots[stands[task].second].age_yr);
    const auto [it, fresh] = unique_of.emplace(key, unique.size());
    if (fresh) unique.push_back(key);
    projection_of[task] = it->second;
  }
  std::vector<carbon::GrowthProjection> projections(unique.size());
  parallel_for(unique.size(), threads, [&](std::size_t task, std::size_t) {
    const auto [idx, age] = unique[task];
    projections[task] = projector.project(idx, age, age + params.horizon_yr);
  });
  for (std::size_t task = 0; task < stands.size(); ++task) {
    const auto [idx, plot_idx] = stands[task];
    const Plot& plot = plots[plot_idx];
    const carbon::GrowthProjection& p = projections[projection_of[task]];
    out.saturation.push_back(projector.saturation("stand", plot.id, idx, plot.age_yr, kNaN, p));
    for (std::size_t k = 0; k < p.age_yr.size(); ++k) {
      StandProjectionRow row;
      row.plot_id = plot.id;
      row.land_use = plot.land_use;
      row.mine_id = plot.mine_id;
      row.model = projector.model_name(idx);
      row.years_from_inventory = p.age_yr[k] - plot.age_yr;
      row.year = calendar_year(params, row.years_from_inventory);
      row.age_yr = p.age_yr[k];
      row.stock = p.stock[k];
      row.sink_per_yr = p.sink_per_yr[k];
      row.cumulative_sink = p.cumulative_sink[k];
      out.stands.push_back(std::move(row));
    }
  }
}

// Σ over the parts (land uses of one mine) of area × projection, year by year.
void add_mine_rows(const std::string& mine_id, const std::vector<carbon::GrowthProjection>& parts,
                   const std::vector<double>& areas, const std::vector<std::string>& names,
                   const VegetationParams& params, double z, Projections& out) {
  double area_sum = 0.0;
  for (const double a : areas)
    area_sum += a;
  for (std::size_t k = 0; k < parts.front().age_yr.size(); ++k) {
    double stock = 0, var = 0, sink = 0, cum = 0, cum_var = 0;
    for (std::size_t j = 0; j < parts.size(); ++j) {
      const double a = areas[j];
      stock += a * parts[j].stock[k].value;
      var += a * a * parts[j].stock[k].se_delta * parts[j].stock[k].se_delta;
      sink += a * parts[j].sink_per_yr[k].value;
      cum += a * parts[j].cumulative_sink[k].value;
      cum_var +=
          a * a * parts[j].cumulative_sink[k].se_delta * parts[j].cumulative_sink[k].se_delta;
    }
    MineProjectionRow row;
    row.mine_id = mine_id;
    row.land_uses = join(names, "; ");
    row.area_projected_ha = area_sum;
    row.years_from_inventory = parts.front().age_yr[k] - parts.front().age_yr.front();
    row.year = calendar_year(params, row.years_from_inventory);
    row.stock = stock;
    row.stock_se = std::sqrt(var);
    row.stock_delta = {stock - z * std::sqrt(var), stock + z * std::sqrt(var)};
    if (parts.size() == 1) {
      row.stock_mc = {areas[0] * parts[0].stock[k].monte_carlo.lower,
                      areas[0] * parts[0].stock[k].monte_carlo.upper};
    }
    row.sink_per_yr = sink;
    row.cumulative_sink = cum;
    row.cumulative_sink_se = std::sqrt(cum_var);
    row.cumulative_sink_delta = {cum - z * std::sqrt(cum_var), cum + z * std::sqrt(cum_var)};
    out.mines.push_back(std::move(row));
  }
}

// Mines: Σ over the mine's land uses with a curve of area × curve from the mean stand age.
// Land uses are fitted independently, so delta variances add; Monte Carlo bands are given only
// where one land use makes the whole projection (quantiles do not add).
void project_mines(const Projector& projector, const GrowthFits& growth,
                   const std::vector<MineTotal>& mines, Projections& out) {
  const VegetationParams& params = projector.params();
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + params.band_level / 2.0);
  for (const MineTotal& mine : mines) {
    std::vector<carbon::GrowthProjection> parts;
    std::vector<double> areas;
    std::vector<std::string> names;
    for (const MineStratum& s : mine.strata) {
      const auto it = growth.fitted.find(s.land_use);
      if (it == growth.fitted.end() || !std::isfinite(s.area_ha)) continue;
      const double age = s.mean_stand_age_yr;
      if (!std::isfinite(age)) continue;
      parts.push_back(projector.project(it->second, age, age + params.horizon_yr));
      areas.push_back(s.area_ha);
      names.push_back(s.land_use);
      out.saturation.push_back(projector.saturation("mine_land_use", mine.mine.id, it->second, age,
                                                    s.area_ha, parts.back()));
    }
    if (parts.empty()) continue;
    add_mine_rows(mine.mine.id, parts, areas, names, params, z, out);
  }
}

}  // namespace

Projections project_growth_curves(const std::vector<Plot>& plots, const GrowthFits& growth,
                                  const std::vector<MineTotal>& mines,
                                  const VegetationParams& params, std::uint64_t seed, int threads) {
  Projections out;
  const Projector projector(growth, params, seed);
  project_land_uses(projector, growth, out);
  project_stands(projector, growth, plots, threads, out);
  project_mines(projector, growth, mines, out);
  return out;
}

}  // namespace minecarbon::assess::vegetation
