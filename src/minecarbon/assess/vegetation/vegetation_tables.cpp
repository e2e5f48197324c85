#include "minecarbon/assess/vegetation/vegetation_tables.h"

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "minecarbon/assess/vegetation.h"
#include "minecarbon/carbon/biomass.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {
namespace {

using namespace vegetation;

// Adds column `name` with value(row) for row in [0, n_rows).
template <class F>
void add_column(Table& table, const std::string& name, std::size_t n_rows, F value) {
  using T = std::decay_t<std::invoke_result_t<F&, std::size_t>>;
  std::vector<T> column;
  column.reserve(n_rows);
  for (std::size_t row = 0; row < n_rows; ++row)
    column.push_back(value(row));
  table.add(name, ColumnData(std::move(column)));
}

std::int64_t count(std::size_t n) {
  return static_cast<std::int64_t>(n);
}
std::int64_t flag(bool value) {
  return value ? 1 : 0;
}

// Tree table: one row per inventory row (grouped by plot), with the height used and its biomass.
void tree_table(const VegetationResult& r, Table& table) {
  struct Row {
    std::size_t plot, tree, k;  // plot, tree index, position in the plot's stand
  };
  std::vector<Row> rows;
  for (std::size_t plot_idx = 0; plot_idx < r.inventory.plots.size(); ++plot_idx) {
    const auto& indices = r.plot_carbon.plot_trees[plot_idx];
    for (std::size_t k = 0; k < indices.size(); ++k)
      rows.push_back({plot_idx, indices[k], k});
  }
  const auto tree = [&](std::size_t row) -> const Tree& {
    return r.inventory.trees[rows[row].tree];
  };
  const auto biomass = [&](std::size_t row) -> const carbon::TreeBiomass& {
    return r.plot_carbon.plots[rows[row].plot].stand.trees[rows[row].k];
  };
  const std::size_t n = rows.size();
  add_column(table, "plot_id", n, [&](auto row) { return r.inventory.plots[rows[row].plot].id; });
  add_column(table, "species", n, [&](auto row) { return tree(row).species; });
  add_column(table, "status", n,
             [&](auto row) { return std::string(tree(row).live ? "live" : "dead"); });
  add_column(table, "dbh_cm", n, [&](auto row) { return tree(row).dbh_cm; });
  add_column(table, "height_m", n, [&](auto row) { return r.heights.height_m[rows[row].tree]; });
  add_column(table, "height_estimated", n,
             [&](auto row) { return flag(r.heights.estimated[rows[row].tree]); });
  add_column(table, "stems", n, [&](auto row) { return tree(row).stems; });
  add_column(table, "volume_m3", n, [&](auto row) { return biomass(row).volume_m3; });
  add_column(table, "biomass_method", n, [&](auto row) {
    const std::size_t spec = r.recipes.species_of_tree[rows[row].tree];
    return std::string(carbon::to_string(r.recipes.specs[spec].method));
  });
  add_column(table, "above_ground_biomass_kg", n, [&](auto row) { return biomass(row).above_kg; });
  add_column(table, "below_ground_biomass_kg", n, [&](auto row) { return biomass(row).below_kg; });
  add_column(table, "biomass_kg", n, [&](auto row) { return biomass(row).total_kg; });
  add_column(table, "carbon_kg", n, [&](auto row) { return biomass(row).carbon_kg; });
}

// Plot table: per-hectare stocks of every pool.
void plot_table(const VegetationResult& r, Table& table) {
  const auto& plots = r.inventory.plots;
  const auto& carbon = r.plot_carbon.plots;
  const std::size_t n = plots.size();
  add_column(table, "plot_id", n, [&](auto row) { return plots[row].id; });
  add_column(table, "mine_id", n, [&](auto row) { return plots[row].mine_id; });
  add_column(table, "land_use", n, [&](auto row) { return plots[row].land_use; });
  add_column(table, "stand_age_yr", n, [&](auto row) { return plots[row].age_yr; });
  add_column(table, "area_m2", n, [&](auto row) { return plots[row].area_m2; });
  add_column(table, "lon", n, [&](auto row) { return plots[row].lon; });
  add_column(table, "lat", n, [&](auto row) { return plots[row].lat; });
  add_column(table, "live_stems_ha", n, [&](auto row) { return carbon[row].live_stems_ha; });
  add_column(table, "dead_stems_ha", n, [&](auto row) { return carbon[row].dead_stems_ha; });
  add_column(table, "heights_estimated", n,
             [&](auto row) { return count(carbon[row].heights_estimated); });
  add_column(table, "volume_m3_ha", n, [&](auto row) {
    return carbon[row].stand.live_without_volume > 0 ? kNaN : carbon[row].stand.volume_m3_ha;
  });
  add_column(table, "tree_above_ground_t_ha", n,
             [&](auto row) { return carbon[row].stand.above_t_ha; });
  add_column(table, "tree_below_ground_t_ha", n,
             [&](auto row) { return carbon[row].stand.below_t_ha; });
  add_column(table, "tree_biomass_t_ha", n,
             [&](auto row) { return carbon[row].stand.biomass_t_ha; });
  add_column(table, "tree_carbon_tC_ha", n,
             [&](auto row) { return carbon[row].stand.carbon_tC_ha; });
  add_column(table, "shrub_t_ha", n, [&](auto row) { return carbon[row].harvest.shrub_t_ha; });
  add_column(table, "herb_t_ha", n, [&](auto row) { return carbon[row].harvest.herb_t_ha; });
  add_column(table, "litter_t_ha", n, [&](auto row) { return carbon[row].harvest.litter_t_ha; });
  add_column(table, "dead_wood_t_ha", n, [&](auto row) {
    return carbon[row].harvest.dead_wood_t_ha + carbon[row].stand.dead_biomass_t_ha;
  });
  add_column(table, "shrub_carbon_tC_ha", n,
             [&](auto row) { return carbon[row].shrub_carbon_tC_ha; });
  add_column(table, "herb_carbon_tC_ha", n,
             [&](auto row) { return carbon[row].herb_carbon_tC_ha; });
  add_column(table, "litter_carbon_tC_ha", n,
             [&](auto row) { return carbon[row].litter_carbon_tC_ha; });
  add_column(table, "dead_wood_carbon_tC_ha", n,
             [&](auto row) { return carbon[row].dead_wood_carbon_tC_ha; });
  add_column(table, "total_carbon_tC_ha", n,
             [&](auto row) { return carbon[row].total_carbon_tC_ha; });
  add_column(table, "total_co2e_t_ha", n,
             [&](auto row) { return carbon[row].total_carbon_tC_ha * units::kCo2PerC; });
}

// Key, source and status of the table row behind a recipe's biomass factor and its roots.
struct FactorText {
  std::string key, source, status;
};

template <class Row>
FactorText row_text(const Row& row) {
  return {row.key, row.source + " (" + row.origin + ")", row.status};
}

FactorText biomass_factor(const carbon::BiomassSpec& s) {
  switch (s.method) {
    case carbon::BiomassMethod::bcef:
      if (!s.bcef_classes.empty()) return row_text(s.bcef_classes.front());
      return {"bcef_t_m3 = " + format_number(s.bcef_t_m3), "species table", ""};
    case carbon::BiomassMethod::bef:
      return {"wood_density_g_cm3 = " + format_number(s.wood_density_t_m3) +
                  ", bef = " + format_number(s.bef),
              "species table", ""};
    case carbon::BiomassMethod::continuous_bef:
      return row_text(*s.continuous);
    case carbon::BiomassMethod::allometry:
      return row_text(*s.allometry);
  }
  return {};
}

FactorText root_factor(const carbon::BiomassSpec& s) {
  if (s.root_method == carbon::RootMethod::root_shoot) {
    if (!s.root_shoot_classes.empty()) return row_text(s.root_shoot_classes.front());
    return {"root_shoot_ratio = " + format_number(s.root_shoot_ratio), "species table", ""};
  }
  if (s.root_method == carbon::RootMethod::root_allometry) return row_text(*s.root_allometry);
  return {};
}

// Species table: each species' recipe and the table rows (source, status) behind it.
void species_table(const VegetationResult& r, Table& table) {
  const auto& specs = r.recipes.specs;
  const std::size_t n = specs.size();
  std::vector<FactorText> biomass, roots;
  for (const auto& spec : specs) {
    biomass.push_back(biomass_factor(spec));
    roots.push_back(root_factor(spec));
  }
  add_column(table, "species", n, [&](auto row) { return specs[row].species; });
  add_column(table, "n_trees", n, [&](auto row) { return count(r.recipes.tree_counts[row]); });
  add_column(table, "volume_equation", n,
             [&](auto row) { return specs[row].volume ? specs[row].volume->key : ""; });
  add_column(table, "volume_source", n, [&](auto row) {
    const auto& v = specs[row].volume;
    return v ? v->source + " (" + v->origin + ")" : "";
  });
  add_column(table, "volume_status", n,
             [&](auto row) { return specs[row].volume ? specs[row].volume->status : ""; });
  add_column(table, "biomass_method", n,
             [&](auto row) { return std::string(carbon::to_string(specs[row].method)); });
  add_column(table, "biomass_factor", n, [&](auto row) { return biomass[row].key; });
  add_column(table, "biomass_source", n, [&](auto row) { return biomass[row].source; });
  add_column(table, "biomass_status", n, [&](auto row) { return biomass[row].status; });
  add_column(table, "root_method", n,
             [&](auto row) { return std::string(carbon::to_string(specs[row].root_method)); });
  add_column(table, "root_factor", n, [&](auto row) { return roots[row].key; });
  add_column(table, "root_source", n, [&](auto row) { return roots[row].source; });
  add_column(table, "root_status", n, [&](auto row) { return roots[row].status; });
  add_column(table, "carbon_fraction", n, [&](auto row) { return specs[row].carbon_fraction; });
}

// Height-model table: every height-diameter fit used.
void height_model_table(const VegetationResult& r, Table& table) {
  const auto& models = r.heights.models;
  const std::size_t n = models.size();
  add_column(table, "group", n, [&](auto row) { return models[row].group; });
  add_column(table, "fitted_on", n, [&](auto row) { return models[row].fitted_on; });
  add_column(table, "model", n, [&](auto row) {
    return models[row].fit ? std::string(carbon::to_string(models[row].fit->model)) : "";
  });
  add_column(table, "status", n, [&](auto row) {
    return models[row].fit ? std::string(stats::to_string(models[row].fit->fit.status))
                           : std::string("failed");
  });
  add_column(table, "n_measured", n, [&](auto row) { return count(models[row].n_measured); });
  add_column(table, "n_estimated", n, [&](auto row) { return count(models[row].n_estimated); });
  add_column(table, "rse_m", n,
             [&](auto row) { return models[row].fit ? models[row].fit->rse_m : kNaN; });
  add_column(table, "average_bias_pct", n, [&](auto row) {
    return models[row].fit ? kPercent * models[row].fit->average_bias : kNaN;
  });
  add_column(table, "message", n, [&](auto row) { return models[row].message; });
}

// Land-use strata: plot-to-plot statistics.
void strata_table(const VegetationResult& r, Table& table) {
  const auto& stats = r.strata.statistics;
  const std::size_t n = stats.size();
  const auto e = [&](std::size_t row) -> const carbon::MeanEstimate& {
    return stats[row].estimate;
  };
  const auto p = [&](std::size_t row) -> const Precision& { return stats[row].precision; };
  add_column(table, "land_use", n, [&](auto row) { return stats[row].land_use; });
  add_column(table, "variable", n, [&](auto row) { return stats[row].variable; });
  add_column(table, "n_plots", n, [&](auto row) { return count(e(row).n); });
  add_column(table, "mean", n, [&](auto row) { return e(row).mean; });
  add_column(table, "sd", n, [&](auto row) { return e(row).sd; });
  add_column(table, "se", n, [&](auto row) { return e(row).se; });
  add_column(table, "df", n, [&](auto row) { return e(row).df; });
  add_column(table, "ci90_lower", n, [&](auto row) { return p(row).ci90.lower; });
  add_column(table, "ci90_upper", n, [&](auto row) { return p(row).ci90.upper; });
  add_column(table, "ci95_lower", n, [&](auto row) { return p(row).ci95.lower; });
  add_column(table, "ci95_upper", n, [&](auto row) { return p(row).ci95.upper; });
  add_column(table, "half_width_90_rel_pct", n,
             [&](auto row) { return p(row).ci90.half_width_rel_pct; });
  add_column(table, "half_width_95_rel_pct", n,
             [&](auto row) { return p(row).ci95.half_width_rel_pct; });
  add_column(table, "precision_level", n, [&](auto row) { return p(row).rule.level; });
  add_column(table, "precision_threshold_pct", n,
             [&](auto row) { return p(row).rule.threshold_pct; });
  add_column(table, "half_width_rel_pct", n,
             [&](auto row) { return p(row).rule.half_width_rel_pct; });
  add_column(table, "meets_precision_threshold", n,
             [&](auto row) { return flag(p(row).rule.meets_threshold); });
  add_column(table, "uncertainty_deduction_frac", n,
             [&](auto row) { return p(row).rule.deduction_frac; });
  add_column(table, "conservative_mean", n, [&](auto row) { return p(row).rule.conservative; });
}

// Mines: stratified totals with intervals and the precision rule.
void mine_table(const VegetationResult& r, Table& table) {
  const auto& mines = r.mines.mines;
  const std::size_t n = mines.size();
  const auto t = [&](std::size_t row) -> const carbon::TotalEstimate& {
    return mines[row].total_carbon_tC;
  };
  const auto p = [&](std::size_t row) -> const Precision& { return mines[row].precision; };
  add_column(table, "mine_id", n, [&](auto row) { return mines[row].mine.id; });
  add_column(table, "area_ha", n, [&](auto row) { return mines[row].mine.area_ha; });
  add_column(table, "area_source", n, [&](auto row) { return mines[row].mine.area_source; });
  add_column(table, "n_plots", n, [&](auto row) { return count(mines[row].n_plots); });
  add_column(table, "n_land_uses", n, [&](auto row) { return count(mines[row].strata.size()); });
  add_column(table, "status", n,
             [&](auto row) { return std::string(vegetation::to_string(mines[row].status)); });
  add_column(table, "total_carbon_tC", n, [&](auto row) { return t(row).total; });
  add_column(table, "total_carbon_se_tC", n, [&](auto row) { return t(row).se; });
  add_column(table, "total_carbon_df", n, [&](auto row) { return t(row).df; });
  add_column(table, "total_carbon_ci90_lower_tC", n, [&](auto row) { return p(row).ci90.lower; });
  add_column(table, "total_carbon_ci90_upper_tC", n, [&](auto row) { return p(row).ci90.upper; });
  add_column(table, "total_carbon_ci95_lower_tC", n, [&](auto row) { return p(row).ci95.lower; });
  add_column(table, "total_carbon_ci95_upper_tC", n, [&](auto row) { return p(row).ci95.upper; });
  add_column(table, "half_width_90_rel_pct", n,
             [&](auto row) { return p(row).ci90.half_width_rel_pct; });
  add_column(table, "half_width_95_rel_pct", n,
             [&](auto row) { return p(row).ci95.half_width_rel_pct; });
  add_column(table, "precision_level", n, [&](auto) { return r.params.precision_confidence; });
  add_column(table, "precision_threshold_pct", n,
             [&](auto row) { return p(row).rule.threshold_pct; });
  add_column(table, "half_width_rel_pct", n,
             [&](auto row) { return p(row).rule.half_width_rel_pct; });
  add_column(table, "meets_precision_threshold", n,
             [&](auto row) { return flag(p(row).rule.meets_threshold); });
  add_column(table, "uncertainty_deduction_frac", n,
             [&](auto row) { return p(row).rule.deduction_frac; });
  add_column(table, "total_carbon_conservative_tC", n,
             [&](auto row) { return p(row).rule.conservative; });
  add_column(table, "total_co2e_t", n, [&](auto row) { return t(row).total * units::kCo2PerC; });
  add_column(table, "total_carbon_tC_ha", n,
             [&](auto row) { return mines[row].total_carbon_tC_ha; });
  add_column(table, "tree_carbon_tC", n, [&](auto row) { return mines[row].tree_carbon_tC; });
}

// Mine × land use: area, plots and per-hectare means behind each mine total.
void mine_strata_table(const VegetationResult& r, Table& table) {
  std::vector<std::pair<const MineTotal*, const MineStratum*>> rows;
  for (const MineTotal& mine : r.mines.mines)
    for (const MineStratum& s : mine.strata)
      rows.emplace_back(&mine, &s);
  const std::size_t n = rows.size();
  const auto s = [&](std::size_t row) -> const MineStratum& { return *rows[row].second; };
  add_column(table, "mine_id", n, [&](auto row) { return rows[row].first->mine.id; });
  add_column(table, "land_use", n, [&](auto row) { return s(row).land_use; });
  add_column(table, "area_ha", n, [&](auto row) { return s(row).area_ha; });
  add_column(table, "area_source", n, [&](auto row) { return s(row).area_source; });
  add_column(table, "n_plots", n, [&](auto row) { return count(s(row).plots.size()); });
  add_column(table, "mean_stand_age_yr", n, [&](auto row) { return s(row).mean_stand_age_yr; });
  add_column(table, "total_carbon_tC_ha", n,
             [&](auto row) { return s(row).total_carbon_tC_ha.mean; });
  add_column(table, "total_carbon_se_tC_ha", n,
             [&](auto row) { return s(row).total_carbon_tC_ha.se; });
  add_column(table, "tree_carbon_tC_ha", n,
             [&](auto row) { return s(row).tree_carbon_tC_ha.mean; });
  add_column(table, "total_carbon_tC", n, [&](auto row) { return s(row).total_carbon_tC; });
}

// Growth fits (every model of every land use, best first) and their parameters.
void growth_tables(const VegetationResult& r, Table& fits_table, Table& parameters_table) {
  const std::string response_column = growth_response_column(r.params.growth_response);
  const std::string u = growth_response_unit_ha(r.params.growth_response);
  struct FitRow {
    const StratumGrowth* stratum;
    const carbon::RankedGrowthFit* rank;
    const carbon::GrowthFit* fit;
  };
  std::vector<FitRow> fits;
  for (const StratumGrowth& g : r.growth.strata)
    for (const auto& rank : g.ranks)
      fits.push_back({&g, &rank, &g.fits[rank.fit_index]});
  std::size_t n = fits.size();
  const auto f = [&](std::size_t row) -> const carbon::GrowthFit& { return *fits[row].fit; };
  const auto c = [&](std::size_t row) -> const auto& {
    return fits[row].fit->fit.criteria;
  };
  add_column(fits_table, "land_use", n, [&](auto row) { return fits[row].stratum->land_use; });
  add_column(fits_table, "response", n, [&](auto) { return response_column; });
  add_column(fits_table, "model", n,
             [&](auto row) { return std::string(carbon::to_string(f(row).model)); });
  add_column(fits_table, "status", n,
             [&](auto row) { return std::string(stats::to_string(f(row).fit.status)); });
  add_column(fits_table, "n_points", n,
             [&](auto row) { return count(fits[row].stratum->t.size()); });
  add_column(fits_table, "n_parameters", n,
             [&](auto row) { return count(carbon::growth_parameter_count(f(row).model)); });
  add_column(fits_table, "rss", n, [&](auto row) { return c(row).rss; });
  add_column(fits_table, "rse", n, [&](auto row) { return c(row).rse; });
  add_column(fits_table, "rmse", n, [&](auto row) { return c(row).rmse; });
  add_column(fits_table, "r_squared", n, [&](auto row) { return c(row).r_squared; });
  add_column(fits_table, "aic_loglik", n, [&](auto row) { return c(row).aic_loglik; });
  add_column(fits_table, "aic_least_squares", n,
             [&](auto row) { return c(row).aic_least_squares; });
  add_column(fits_table, "aicc_least_squares", n,
             [&](auto row) { return c(row).aicc_least_squares; });
  add_column(fits_table, "bic_loglik", n, [&](auto row) { return c(row).bic_loglik; });
  add_column(fits_table, "precision_pct", n, [&](auto row) { return c(row).precision_pct; });
  add_column(fits_table, "criterion", n,
             [&](auto) { return std::string(carbon::to_string(r.params.selection_criterion)); });
  add_column(fits_table, "criterion_value", n, [&](auto row) { return fits[row].rank->value; });
  add_column(fits_table, "rank", n,
             [&](auto row) { return static_cast<std::int64_t>(fits[row].rank->rank); });
  add_column(fits_table, "selected", n, [&](auto row) {
    return flag(static_cast<int>(fits[row].rank->fit_index) == fits[row].stratum->selected);
  });
  add_column(fits_table, "message", n, [&](auto row) {
    const std::string& note = fits[row].rank->note;
    return note.empty() ? f(row).fit.message : f(row).fit.message + "; " + note;
  });

  std::vector<std::pair<const FitRow*, std::size_t>> parameters;  // (fit, parameter)
  for (const FitRow& fit : fits)
    for (std::size_t k = 0; k < fit.fit->fit.estimates.size(); ++k)
      parameters.emplace_back(&fit, k);
  n = parameters.size();
  const auto pf = [&](std::size_t row) -> const carbon::GrowthFit& {
    return *parameters[row].first->fit;
  };
  add_column(parameters_table, "land_use", n,
             [&](auto row) { return parameters[row].first->stratum->land_use; });
  add_column(parameters_table, "model", n,
             [&](auto row) { return std::string(carbon::to_string(pf(row).model)); });
  add_column(parameters_table, "parameter", n,
             [&](auto row) { return pf(row).fit.parameter_names[parameters[row].second]; });
  add_column(parameters_table, "unit", n, [&](auto row) {
    const std::string_view unit =
        carbon::growth_model_info(pf(row).model).parameters[parameters[row].second].unit;
    return unit == "y" ? u : std::string(unit);
  });
  add_column(parameters_table, "estimate", n,
             [&](auto row) { return pf(row).fit.estimates[parameters[row].second]; });
  add_column(parameters_table, "std_error", n, [&](auto row) {
    const std::size_t k = parameters[row].second;
    return k < pf(row).fit.std_errors.size() ? pf(row).fit.std_errors[k] : kNaN;
  });
}

// Curves of each land use from age 0.
void curve_table(const VegetationResult& r, Table& table) {
  const std::string u = growth_response_unit_ha(r.params.growth_response);
  const auto& rows = r.projections.curves;
  const std::size_t n = rows.size();
  add_column(table, "land_use", n, [&](auto row) { return rows[row].land_use; });
  add_column(table, "model", n, [&](auto row) { return rows[row].model; });
  add_column(table, "age_yr", n, [&](auto row) { return rows[row].age_yr; });
  add_column(table, "stock_" + u, n, [&](auto row) { return rows[row].stock.value; });
  add_column(table, "stock_se_" + u, n, [&](auto row) { return rows[row].stock.se_delta; });
  add_column(table, "stock_delta_lower_" + u, n,
             [&](auto row) { return rows[row].stock.delta.lower; });
  add_column(table, "stock_delta_upper_" + u, n,
             [&](auto row) { return rows[row].stock.delta.upper; });
  add_column(table, "stock_mc_lower_" + u, n,
             [&](auto row) { return rows[row].stock.monte_carlo.lower; });
  add_column(table, "stock_mc_upper_" + u, n,
             [&](auto row) { return rows[row].stock.monte_carlo.upper; });
  add_column(table, "sink_" + u + "_yr", n, [&](auto row) { return rows[row].sink_per_yr.value; });
  add_column(table, "sink_delta_lower_" + u + "_yr", n,
             [&](auto row) { return rows[row].sink_per_yr.delta.lower; });
  add_column(table, "sink_delta_upper_" + u + "_yr", n,
             [&](auto row) { return rows[row].sink_per_yr.delta.upper; });
}

void stand_table(const VegetationResult& r, Table& table) {
  const std::string u = growth_response_unit_ha(r.params.growth_response);
  const auto& rows = r.projections.stands;
  const std::size_t n = rows.size();
  add_column(table, "plot_id", n, [&](auto row) { return rows[row].plot_id; });
  add_column(table, "land_use", n, [&](auto row) { return rows[row].land_use; });
  add_column(table, "mine_id", n, [&](auto row) { return rows[row].mine_id; });
  add_column(table, "model", n, [&](auto row) { return rows[row].model; });
  add_column(table, "years_from_inventory", n,
             [&](auto row) { return rows[row].years_from_inventory; });
  add_column(table, "year", n, [&](auto row) { return rows[row].year; });
  add_column(table, "age_yr", n, [&](auto row) { return rows[row].age_yr; });
  add_column(table, "stock_" + u, n, [&](auto row) { return rows[row].stock.value; });
  add_column(table, "stock_se_" + u, n, [&](auto row) { return rows[row].stock.se_delta; });
  add_column(table, "stock_delta_lower_" + u, n,
             [&](auto row) { return rows[row].stock.delta.lower; });
  add_column(table, "stock_delta_upper_" + u, n,
             [&](auto row) { return rows[row].stock.delta.upper; });
  add_column(table, "stock_mc_lower_" + u, n,
             [&](auto row) { return rows[row].stock.monte_carlo.lower; });
  add_column(table, "stock_mc_upper_" + u, n,
             [&](auto row) { return rows[row].stock.monte_carlo.upper; });
  add_column(table, "sink_" + u + "_yr", n, [&](auto row) { return rows[row].sink_per_yr.value; });
  add_column(table, "cumulative_sink_" + u, n,
             [&](auto row) { return rows[row].cumulative_sink.value; });
  add_column(table, "cumulative_sink_delta_lower_" + u, n,
             [&](auto row) { return rows[row].cumulative_sink.delta.lower; });
  add_column(table, "cumulative_sink_delta_upper_" + u, n,
             [&](auto row) { return rows[row].cumulative_sink.delta.upper; });
  add_column(table, "cumulative_sink_mc_lower_" + u, n,
             [&](auto row) { return rows[row].cumulative_sink.monte_carlo.lower; });
  add_column(table, "cumulative_sink_mc_upper_" + u, n,
             [&](auto row) { return rows[row].cumulative_sink.monte_carlo.upper; });
}

void mine_projection_table(const VegetationResult& r, Table& table) {
  const std::string t = growth_response_unit_total(r.params.growth_response);
  const auto& rows = r.projections.mines;
  const std::size_t n = rows.size();
  add_column(table, "mine_id", n, [&](auto row) { return rows[row].mine_id; });
  add_column(table, "land_uses", n, [&](auto row) { return rows[row].land_uses; });
  add_column(table, "area_projected_ha", n, [&](auto row) { return rows[row].area_projected_ha; });
  add_column(table, "years_from_inventory", n,
             [&](auto row) { return rows[row].years_from_inventory; });
  add_column(table, "year", n, [&](auto row) { return rows[row].year; });
  add_column(table, "stock_" + t, n, [&](auto row) { return rows[row].stock; });
  add_column(table, "stock_se_" + t, n, [&](auto row) { return rows[row].stock_se; });
  add_column(table, "stock_delta_lower_" + t, n,
             [&](auto row) { return rows[row].stock_delta.lower; });
  add_column(table, "stock_delta_upper_" + t, n,
             [&](auto row) { return rows[row].stock_delta.upper; });
  add_column(table, "stock_mc_lower_" + t, n, [&](auto row) { return rows[row].stock_mc.lower; });
  add_column(table, "stock_mc_upper_" + t, n, [&](auto row) { return rows[row].stock_mc.upper; });
  add_column(table, "sink_" + t + "_yr", n, [&](auto row) { return rows[row].sink_per_yr; });
  add_column(table, "cumulative_sink_" + t, n, [&](auto row) { return rows[row].cumulative_sink; });
  add_column(table, "cumulative_sink_se_" + t, n,
             [&](auto row) { return rows[row].cumulative_sink_se; });
  add_column(table, "cumulative_sink_delta_lower_" + t, n,
             [&](auto row) { return rows[row].cumulative_sink_delta.lower; });
  add_column(table, "cumulative_sink_delta_upper_" + t, n,
             [&](auto row) { return rows[row].cumulative_sink_delta.upper; });
}

void saturation_table(const VegetationResult& r, Table& table) {
  const std::string u = growth_response_unit_ha(r.params.growth_response);
  const std::string t = growth_response_unit_total(r.params.growth_response);
  const auto& rows = r.projections.saturation;
  const std::size_t n = rows.size();
  add_column(table, "scope", n, [&](auto row) { return rows[row].scope; });
  add_column(table, "id", n, [&](auto row) { return rows[row].id; });
  add_column(table, "land_use", n, [&](auto row) { return rows[row].land_use; });
  add_column(table, "model", n, [&](auto row) { return rows[row].model; });
  add_column(table, "age_yr", n, [&](auto row) { return rows[row].age_yr; });
  add_column(table, "area_ha", n, [&](auto row) { return rows[row].area_ha; });
  add_column(table, "asymptote_" + u, n, [&](auto row) { return rows[row].asymptote.value; });
  add_column(table, "asymptote_se_" + u, n, [&](auto row) { return rows[row].asymptote.se_delta; });
  add_column(table, "current_stock_" + u, n,
             [&](auto row) { return rows[row].current_stock.value; });
  add_column(table, "remaining_potential_" + u, n,
             [&](auto row) { return rows[row].remaining_potential.value; });
  add_column(table, "remaining_potential_delta_lower_" + u, n,
             [&](auto row) { return rows[row].remaining_potential.delta.lower; });
  add_column(table, "remaining_potential_delta_upper_" + u, n,
             [&](auto row) { return rows[row].remaining_potential.delta.upper; });
  add_column(table, "remaining_potential_mc_lower_" + u, n,
             [&](auto row) { return rows[row].remaining_potential.monte_carlo.lower; });
  add_column(table, "remaining_potential_mc_upper_" + u, n,
             [&](auto row) { return rows[row].remaining_potential.monte_carlo.upper; });
  add_column(table, "remaining_potential_" + t, n,
             [&](auto row) { return rows[row].remaining_potential_total; });
  add_column(table, "saturation_age_yr", n,
             [&](auto row) { return rows[row].saturation_age_yr.value; });
  add_column(table, "saturation_age_delta_lower_yr", n,
             [&](auto row) { return rows[row].saturation_age_yr.delta.lower; });
  add_column(table, "saturation_age_delta_upper_yr", n,
             [&](auto row) { return rows[row].saturation_age_yr.delta.upper; });
  add_column(table, "saturation_age_mc_lower_yr", n,
             [&](auto row) { return rows[row].saturation_age_yr.monte_carlo.lower; });
  add_column(table, "saturation_age_mc_upper_yr", n,
             [&](auto row) { return rows[row].saturation_age_yr.monte_carlo.upper; });
  add_column(table, "years_to_saturation", n,
             [&](auto row) { return rows[row].years_to_saturation; });
  add_column(table, "increment_saturation_age_yr", n,
             [&](auto row) { return rows[row].increment_saturation_age_yr.value; });
}

}  // namespace

std::vector<const Table*> VegetationResultTables::all() const {
  return {&trees,           &plots,       &species,
          &height_models,   &strata,      &mines,
          &mine_strata,     &growth_fits, &growth_parameters,
          &growth_curves,   &saturation,  &projection_stands,
          &projection_mines};
}

VegetationResultTables to_tables(const VegetationResult& result) {
  VegetationResultTables out;
  tree_table(result, out.trees);
  plot_table(result, out.plots);
  species_table(result, out.species);
  height_model_table(result, out.height_models);
  strata_table(result, out.strata);
  mine_table(result, out.mines);
  mine_strata_table(result, out.mine_strata);
  // Without growth the fit tables stay without columns, as they always were.
  if (result.params.growth) growth_tables(result, out.growth_fits, out.growth_parameters);
  curve_table(result, out.growth_curves);
  saturation_table(result, out.saturation);
  stand_table(result, out.projection_stands);
  mine_projection_table(result, out.projection_mines);
  if (result.mines.from_polygons)
    for (const MineTotal& mine : result.mines.mines)
      out.mine_feature.push_back(mine.mine.feature.value_or(0));
  return out;
}

}  // namespace minecarbon::assess
