#include "minecarbon/pipeline/vegetation_job.h"

#include "minecarbon/pipeline/publish.h"

#include <cmath>
#include <functional>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {
namespace {

using Fail = std::function<void(const std::string&, const std::string&)>;

void check_job(const VegetationJob& job, const Fail& fail) {
  if (job.trees.empty()) fail("trees", "required: the tree list CSV (plot_id, species, dbh_cm, …)");
  if (job.plots.empty()) fail("plots", "required: the plot table CSV (plot_id, area_m2, …)");
  if (!job.mines.empty() && !job.mine_areas.empty())
    fail("mine_areas", "give either mines (polygons) or mine_areas (a table), not both");
  if (!job.shipped_tables && job.volume_equations.empty())
    fail("volume_equations", "required when shipped_tables = false");
}

}  // namespace

const std::vector<OptionDoc>& vegetation_options() {
  static const std::vector<OptionDoc> options = {
      {"encoding", "text", "utf-8", kEncodingDoc},
      {"trees", "path", "(required)",
       "tree list CSV: plot_id, species (or forest_type), dbh_cm, height_m, stems, status"},
      {"plots", "path", "(required)",
       "plot table CSV: plot_id, area_m2, mine_id, stand_age_yr, land_use, lon, lat"},
      {"understorey", "path", "(none)",
       "harvest quadrats CSV: plot_id, layer (shrub|herb|litter|dead_wood), part, dry_mass_g_m2"},
      {"species", "path", "(none)", "per-species recipe CSV (see docs/vegetation.md)"},
      {"mines", "path", "(none)", "mine polygons (any OGR format); areas are geodesic"},
      {"mines_layer", "string", "first layer", "layer of the mines file"},
      {"id_field", "string", "feature id", "field of the mines holding the mine id"},
      {"repair", "bool", "true", "repair invalid polygons (false: refuse them)"},
      {"mine_areas", "path", "(none)", "instead of mines: CSV mine_id, area_ha"},
      {"stratum_areas", "path", "(none)", "CSV mine_id, land_use, area_ha (stratified totals)"},
      {"volume_equations", "path", "(none)", "your volume equations, added to the shipped table"},
      {"bcef_table", "path", "(none)", "your BCEF classes, added to data/bcef_ipcc2006.csv"},
      {"continuous_bef_table", "path", "(none)",
       "your B = aV + b rows, added to data/continuous_bef_fang.csv"},
      {"root_shoot_table", "path", "(none)",
       "your root:shoot classes, added to data/root_shoot_ipcc2019.csv"},
      {"allometry_table", "path", "(none)",
       "your allometric equations, added to data/biomass_allometry.csv"},
      {"shipped_tables", "bool", "true", "false: use only your own factor tables"},
      {"biomass_method", "choice", "continuous_bef",
       "default method: bcef, bef, continuous_bef, allometry"},
      {"root_method", "choice", "auto",
       "default roots: auto (included for continuous_bef, else root_shoot), root_shoot, "
       "root_allometry, included, none"},
      {"root_shoot_class", "string", "cdm_ar_tool14_default", "default root:shoot class"},
      {"root_allometry", "string", "cairns1997", "default root allometry id"},
      {"allometry", "string", "species name", "default above-ground allometry id"},
      {"bcef_group", "string", "species name", "default BCEF forest group"},
      {"carbon_fraction", "number", "0.5", "carbon fraction of tree dry matter (0.47 IPCC)"},
      {"carbon_fraction_understorey", "number", "0.45", "of shrubs and herbs"},
      {"carbon_fraction_litter", "number", "0.45", "of litter"},
      {"carbon_fraction_dead_wood", "number", "0.5", "of lying dead wood from quadrats"},
      {"height_model", "choice", "best", "missing heights: best, log1, log2, weibull, michaelis"},
      {"height_model_by", "choice", "species", "H-D model per: species, species_land_use, all"},
      {"height_model_min_trees", "int", "10", "measured heights needed for a group's own model"},
      {"precision_threshold_pct", "number", "10", "allowed relative CI half-width, %"},
      {"precision_confidence", "number", "0.90", "confidence level of the precision rule"},
      {"growth", "bool", "true", "fit growth curves and project"},
      {"growth_models", "list", "[chapman_richards3, logistic, gompertz, mitscherlich]",
       "models to fit and rank"},
      {"growth_response", "choice", "tree_carbon",
       "what to fit: tree_carbon, total_carbon, tree_biomass, volume"},
      {"selection_criterion", "choice", "aic_loglik",
       "aic_loglik, aic_least_squares, aicc_least_squares, bic_loglik, rse, rmse, r_squared, "
       "precision"},
      {"growth_on_failure", "choice", "error", "no usable fit for a land use: error or skip"},
      {"growth_land_uses", "list", "land uses with trees", "land uses to fit"},
      {"horizon_yr", "number", "50", "projection horizon from the inventory, years"},
      {"step_yr", "number", "1", "projection step, years"},
      {"saturation_fraction", "number", "0.95", "saturation: C = fraction x asymptote"},
      {"increment_threshold_per_yr", "number", "(off)", "saturation: annual increment below this"},
      {"band_level", "number", "0.95", "level of the delta-method and Monte Carlo bands"},
      {"monte_carlo_draws", "int", "1000", "parameter draws for the bands (0 = off)"},
      {"inventory_year", "int", "0", "calendar year of the inventory (0 = offsets only)"},
  };
  return options;
}

void set_growth_models(assess::VegetationParams& params, const std::vector<std::string>& names,
                       const std::string& where) {
  params.growth_models.clear();
  for (const auto& name : names) {
    try {
      params.growth_models.push_back(carbon::parse_growth_model(name));
    } catch (const ConfigError& e) {
      throw ConfigError(where + ": " + e.what());
    }
  }
}

VegetationJob vegetation_job_from_toml(const toml::table& table, const std::string& file,
                                       const std::string& base_dir) {
  TomlSection s(table, file, "vegetation", base_dir);
  s.reject_unknown(vegetation_options());
  VegetationJob job;
  job.trees = s.path("trees");
  job.plots = s.path("plots");
  job.understorey = s.path("understorey");
  job.species = s.path("species");
  job.encoding = s.text("encoding", "utf-8");
  try {
    check_encoding(job.encoding, "encoding");
  } catch (const ConfigError& e) {
    s.fail("encoding", e.what());
  }
  job.mines = s.path("mines");
  job.mines_layer = s.text("mines_layer");
  job.id_field = s.text("id_field");
  job.repair = s.flag("repair", true);
  job.mine_areas = s.path("mine_areas");
  job.stratum_areas = s.path("stratum_areas");
  job.volume_equations = s.path("volume_equations");
  job.bcef_table = s.path("bcef_table");
  job.continuous_bef_table = s.path("continuous_bef_table");
  job.root_shoot_table = s.path("root_shoot_table");
  job.allometry_table = s.path("allometry_table");
  job.shipped_tables = s.flag("shipped_tables", true);
  auto& p = job.params;
  // Enumerations: the message names the key, its line and the choices.
  auto choice = [&](const char* key, auto parse) {
    try {
      parse(s.text(key));
    } catch (const ConfigError& e) {
      s.fail(key, e.what());
    }
  };
  if (table.get("biomass_method"))
    choice("biomass_method",
           [&](const std::string& v) { p.biomass_method = carbon::parse_biomass_method(v); });
  if (table.get("root_method")) {
    choice("root_method", [&](const std::string& v) {
      if (v == "auto") {
        p.root_method.reset();
      } else {
        p.root_method = carbon::parse_root_method(v);
      }
    });
  }
  p.root_shoot_class = s.text("root_shoot_class", p.root_shoot_class);
  p.root_allometry = s.text("root_allometry", p.root_allometry);
  p.allometry = s.text("allometry");
  p.bcef_group = s.text("bcef_group");
  p.carbon_fraction = s.number("carbon_fraction", p.carbon_fraction);
  p.carbon_fraction_understorey =
      s.number("carbon_fraction_understorey", p.carbon_fraction_understorey);
  p.carbon_fraction_litter = s.number("carbon_fraction_litter", p.carbon_fraction_litter);
  p.carbon_fraction_dead_wood = s.number("carbon_fraction_dead_wood", p.carbon_fraction_dead_wood);
  p.height_model = s.text("height_model", p.height_model);
  if (table.get("height_model_by"))
    choice("height_model_by",
           [&](const std::string& v) { p.height_model_by = assess::parse_height_grouping(v); });
  p.height_model_min_trees =
      static_cast<int>(s.number("height_model_min_trees", p.height_model_min_trees));
  p.precision_threshold_pct = s.number("precision_threshold_pct", p.precision_threshold_pct);
  p.precision_confidence = s.number("precision_confidence", p.precision_confidence);
  p.growth = s.flag("growth", p.growth);
  if (table.get("growth_models")) {
    const std::vector<std::string> names = s.texts("growth_models");
    try {
      set_growth_models(p, names, "growth_models");
    } catch (const ConfigError& e) {
      s.fail("growth_models", std::string(e.what()).substr(std::string("growth_models: ").size()));
    }
  }
  if (table.get("growth_response"))
    choice("growth_response",
           [&](const std::string& v) { p.growth_response = assess::parse_growth_response(v); });
  if (table.get("selection_criterion"))
    choice("selection_criterion", [&](const std::string& v) {
      p.selection_criterion = carbon::parse_selection_criterion(v);
    });
  if (table.get("growth_on_failure"))
    choice("growth_on_failure", [&](const std::string& v) {
      p.growth_on_failure = assess::parse_growth_failure_policy(v);
    });
  p.growth_land_uses = s.texts("growth_land_uses");
  p.horizon_yr = s.number("horizon_yr", p.horizon_yr);
  p.step_yr = s.number("step_yr", p.step_yr);
  p.saturation_fraction = s.number("saturation_fraction", p.saturation_fraction);
  p.increment_threshold_per_yr =
      s.number("increment_threshold_per_yr", p.increment_threshold_per_yr);
  p.band_level = s.number("band_level", p.band_level);
  p.monte_carlo_draws = static_cast<int>(s.number("monte_carlo_draws", p.monte_carlo_draws));
  p.inventory_year = static_cast<int>(s.number("inventory_year", p.inventory_year));
  const auto fail = [&](const std::string& key, const std::string& problem) {
    s.fail(key, problem);
  };
  check_job(job, fail);
  assess::check_vegetation_params(job.params, fail);
  return job;
}

nlohmann::json run_vegetation_job(const VegetationJob& job, StageOutput& out,
                                  const RunContext& context) {
  check_job(job, [](const std::string& key, const std::string& problem) {
    throw ConfigError("vegetation: --" + key + ": " + problem);
  });
  assess::check_vegetation_params(job.params,
                                  [](const std::string& key, const std::string& problem) {
                                    throw ConfigError("vegetation: " + key + ": " + problem);
                                  });
  // The output folder is checked first: a typo in --out must not cost a whole run.
  assess::VegetationInputs inputs;
  inputs.trees = read_csv_file(job.trees, {job.encoding});
  inputs.plots = read_csv_file(job.plots, {job.encoding});
  if (!job.understorey.empty()) inputs.understorey = read_csv_file(job.understorey, {job.encoding});
  if (!job.species.empty()) inputs.species = read_csv_file(job.species, {job.encoding});
  auto tables = [&](std::vector<CsvText>& into, const char* shipped, const std::string& own) {
    if (job.shipped_tables) into.push_back(read_shipped_table(shipped));
    if (!own.empty()) into.push_back(read_csv_file(own, {job.encoding}));
  };
  tables(inputs.tables.volume_equations, "volume_equations.csv", job.volume_equations);
  tables(inputs.tables.bcef, "bcef_ipcc2006.csv", job.bcef_table);
  tables(inputs.tables.continuous_bef, "continuous_bef_fang.csv", job.continuous_bef_table);
  tables(inputs.tables.root_shoot, "root_shoot_ipcc2019.csv", job.root_shoot_table);
  tables(inputs.tables.allometry, "biomass_allometry.csv", job.allometry_table);
  if (!job.mines.empty()) {
    geo::PolygonLayerOptions options{job.mines_layer, job.id_field, job.repair, "mines"};
    inputs.mines = geo::read_polygon_layer(job.mines, options);
  }
  if (!job.mine_areas.empty()) inputs.mine_areas = read_csv_file(job.mine_areas, {job.encoding});
  if (!job.stratum_areas.empty())
    inputs.stratum_areas = read_csv_file(job.stratum_areas, {job.encoding});

  assess::VegetationResult result = assess::run_vegetation(job.params, inputs, context);

  const assess::VegetationResultTables result_tables = assess::to_tables(result);
  const std::vector<const Table*> tables_out = result_tables.all();
  write_csv_tables(out, tables_out);
  if (inputs.mines) {
    // The mines with their carbon, and the attribute tables a GIS user wants beside them.
    std::vector<geo::MultiPolygon> shapes;
    for (const std::size_t feature : result_tables.mine_feature)
      shapes.push_back(inputs.mines->features[feature].shape);
    const std::vector<const Table*> gpkg_tables = {&result_tables.plots,
                                                   &result_tables.strata,
                                                   &result_tables.mine_strata,
                                                   &result_tables.growth_fits,
                                                   &result_tables.growth_parameters,
                                                   &result_tables.saturation,
                                                   &result_tables.projection_mines};
    report::write_geopackage(
        out.staged("vegetation.gpkg").string(),
        report::GeometryLayer{&result_tables.mines, &shapes, inputs.mines->crs_wkt}, gpkg_tables);
  }
  write_summary(out, result.summary, context);
  for (const auto& w : result.warnings)
    context.say("vegetation: warning: " + w);
  return result.summary;
}

std::vector<std::string> vegetation_inputs(const VegetationJob& job) {
  return {job.trees,
          job.plots,
          job.understorey,
          job.species,
          job.mines,
          job.mine_areas,
          job.stratum_areas,
          job.volume_equations,
          job.bcef_table,
          job.continuous_bef_table,
          job.root_shoot_table,
          job.allometry_table};
}

}  // namespace minecarbon::pipeline
