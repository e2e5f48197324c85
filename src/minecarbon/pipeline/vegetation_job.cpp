#include "minecarbon/pipeline/vegetation_job.h"

#include "minecarbon/pipeline/publish.h"

#include <memory>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/factor_table.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {

const OptionTable<VegetationJob>& vegetation_options() {
  static const OptionTable<VegetationJob> table = [] {
    using J = VegetationJob;
    OptionTable<J> t("vegetation");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.add_path(
         "trees", [](J& j) -> std::string& { return j.trees; },
         "tree list CSV: plot_id, species (or forest_type), dbh_cm, height_m, stems, status")
        .required()
        .must_exist();
    t.add_path(
         "plots", [](J& j) -> std::string& { return j.plots; },
         "plot table CSV: plot_id, area_m2, mine_id, stand_age_yr, land_use, lon, lat")
        .required()
        .must_exist();
    t.add_path(
         "understorey", [](J& j) -> std::string& { return j.understorey; },
         "harvest quadrats CSV: plot_id, layer (shrub|herb|litter|dead_wood), part, "
         "dry_mass_g_m2")
        .must_exist();
    t.add_path(
         "species", [](J& j) -> std::string& { return j.species; },
         "per-species recipe CSV (see docs/vegetation.md)")
        .must_exist();
    t.add_path(
         "mines", [](J& j) -> std::string& { return j.mines; },
         "mine polygons (any OGR format); areas are geodesic")
        .must_exist();
    t.add(
         "mines_layer", [](J& j) -> std::string& { return j.mines_layer; },
         "layer of the mines file")
        .shown_default("first layer")
        .flag("--layer");
    t.add(
         "id_field", [](J& j) -> std::string& { return j.id_field; },
         "field of the mines holding the mine id")
        .shown_default("feature id");
    t.add(
        "repair", [](J& j) -> bool& { return j.repair; },
        "repair invalid polygons (false: refuse them)");
    t.add_path(
         "mine_areas", [](J& j) -> std::string& { return j.mine_areas; },
         "instead of mines: CSV mine_id, area_ha")
        .must_exist();
    t.add_path(
         "stratum_areas", [](J& j) -> std::string& { return j.stratum_areas; },
         "CSV mine_id, land_use, area_ha (stratified totals)")
        .must_exist();
    t.add_path(
         "volume_equations", [](J& j) -> std::string& { return j.volume_equations; },
         "your volume equations; rows replace shipped rows with the same key")
        .must_exist();
    t.add_path(
         "bcef_table", [](J& j) -> std::string& { return j.bcef_table; },
         "your BCEF classes; rows replace rows of data/bcef_ipcc2006.csv with the same key")
        .must_exist();
    t.add_path(
         "continuous_bef_table", [](J& j) -> std::string& { return j.continuous_bef_table; },
         "your B = aV + b rows; replace rows of data/continuous_bef_fang.csv with the same key")
        .must_exist();
    t.add_path(
         "root_shoot_table", [](J& j) -> std::string& { return j.root_shoot_table; },
         "your root:shoot classes; replace rows of data/root_shoot_ipcc2019.csv with the same "
         "key")
        .must_exist();
    t.add_path(
         "allometry_table", [](J& j) -> std::string& { return j.allometry_table; },
         "your allometric equations; replace rows of data/biomass_allometry.csv with the same "
         "key")
        .must_exist();
    t.add(
        "shipped_tables", [](J& j) -> bool& { return j.shipped_tables; },
        "read the shipped factor tables (false: only your own)");
    t.include(assess::VegetationParams::options(),
              [](J& j) -> assess::VegetationParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const VegetationJob& job) {
  check_options(vegetation_options(), job);
  check_encoding_option("vegetation", job.encoding);
  if (!job.mines.empty() && !job.mine_areas.empty())
    throw OptionError("vegetation", "mine_areas",
                      "give either mines (polygons) or mine_areas (a table), not both");
  if (!job.shipped_tables && job.volume_equations.empty())
    throw OptionError("vegetation", "volume_equations", "required when shipped_tables = false");
  job.params.validate();
  check_paths_exist(vegetation_options(), job);
}

VegetationJob vegetation_job_from_toml(const toml::table& table, const TomlSource& source) {
  VegetationJob job;
  read_toml_options(vegetation_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

std::shared_ptr<LoadedVegetation> load_vegetation(const VegetationJob& job, MineSets* mine_sets) {
  validate(job);
  auto loaded = std::make_shared<LoadedVegetation>();
  loaded->job = job;
  assess::VegetationInputs& inputs = loaded->inputs;
  auto note = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  auto csv = [&](const std::string& file, const std::string& kind) {
    note(file, kind);
    return read_csv_file(file, {job.encoding});
  };
  inputs.trees = csv(job.trees, "tree list");
  inputs.plots = csv(job.plots, "plot table");
  if (!job.understorey.empty()) inputs.understorey = csv(job.understorey, "harvest quadrats");
  if (!job.species.empty()) inputs.species = csv(job.species, "species recipes");
  // Each factor table: shipped rows first, then the user's, whose rows replace shipped rows of
  // the same key (assess/factor_table.h).
  auto tables = [&](std::vector<CsvText>& into, const char* shipped, const std::string& own,
                    const std::string& kind) {
    FactorTableFiles read = read_factor_table_files(shipped, own, job.encoding, job.shipped_tables);
    if (!own.empty()) note(own, kind);
    into = std::move(read.tables);
  };
  tables(inputs.tables.volume_equations, "volume_equations.csv", job.volume_equations,
         "volume equations");
  tables(inputs.tables.bcef, "bcef_ipcc2006.csv", job.bcef_table, "BCEF table");
  tables(inputs.tables.continuous_bef, "continuous_bef_fang.csv", job.continuous_bef_table,
         "continuous BEF table");
  tables(inputs.tables.root_shoot, "root_shoot_ipcc2019.csv", job.root_shoot_table,
         "root:shoot table");
  tables(inputs.tables.allometry, "biomass_allometry.csv", job.allometry_table, "allometry table");
  if (!job.mines.empty()) {
    const MineSource source{job.mines, job.mines_layer, job.id_field, job.repair};
    inputs.mines =
        (mine_sets ? mine_sets->get(source) : std::make_shared<const MineSet>(source))->layer();
    note(job.mines, "mines");
  }
  if (!job.mine_areas.empty()) inputs.mine_areas = csv(job.mine_areas, "mine areas");
  if (!job.stratum_areas.empty()) inputs.stratum_areas = csv(job.stratum_areas, "stratum areas");
  return loaded;
}

PreparedStage vegetation_stage(std::shared_ptr<const LoadedVegetation> loaded) {
  PreparedStage stage{"vegetation", "vegetation/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::VegetationResult result;
    const nlohmann::json summary = run_vegetation_job(*loaded, out, context, &result);
    results.vegetation = std::move(result);
    auto count = [&](const char* key) {
      return summary.contains("counts") && summary["counts"].contains(key)
                 ? summary["counts"][key].dump()
                 : std::string("?");
    };
    return "vegetation: results in " + out.folder() + " (" + count("plots") + " plots, " +
           count("growth_land_uses_fitted") + " growth curves)";
  };
  return stage;
}

nlohmann::json run_vegetation_job(const LoadedVegetation& loaded, StageOutput& out,
                                  const RunContext& context, assess::VegetationResult* keep) {
  const assess::VegetationInputs& inputs = loaded.inputs;
  assess::VegetationResult result = assess::run_vegetation(loaded.job.params, inputs, context);
  result.summary["parameters"] = options_json(vegetation_options(), loaded.job);
  result.summary["parameters"]["seed"] = context.seed;

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
  record_warnings(result.summary, result.warnings, "vegetation", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
