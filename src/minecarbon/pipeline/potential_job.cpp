#include "minecarbon/pipeline/potential_job.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "minecarbon/assess/grouping.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/covariate_raster.h"
#include "minecarbon/ml/model_io.h"
#include "minecarbon/report/writers.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {
namespace {

const std::vector<OptionDoc> kCovariateKeys = {
    {"name", "string", "(required)", "column name, with its unit, e.g. precip_mm_yr"},
    {"raster", "path", "(required)", "single-band raster, any GDAL format and CRS"},
    {"stat", "string", "mean", "mean (area-weighted), sum (per-cell totals), area_sum"},
    {"scale", "number", "band metadata or 1", "value = raw * scale + offset"},
    {"offset", "number", "band metadata or 0", "value = raw * scale + offset"},
    {"nan_is_nodata", "bool", "false", "treat NaN cells as nodata"},
};

std::string line_of(const toml::node& node) {
  return std::to_string(node.source().begin.line);
}

// A whole number >= 0 from a TOML node, or a failure naming key and line.
std::size_t count_value(const toml::node& node, const TomlSection& s, const std::string& key) {
  auto value = node.value<std::int64_t>();
  if (!value || *value < 0) s.fail(key, "expected whole numbers >= 0");
  return static_cast<std::size_t>(*value);
}

std::vector<std::size_t> counts(const toml::table& table, const TomlSection& s,
                                const std::string& key) {
  const toml::node* node = table.get(key);
  if (!node) return {};
  std::vector<std::size_t> out;
  if (const toml::array* array = node->as_array()) {
    for (const auto& item : *array)
      out.push_back(count_value(item, s, key));
    if (out.empty()) s.fail(key, "an empty list; leave the key out for the default grid");
    return out;
  }
  out.push_back(count_value(*node, s, key));
  return out;
}

std::size_t count(const toml::table& table, const TomlSection& s, const std::string& key,
                  std::size_t fallback) {
  const toml::node* node = table.get(key);
  return node ? count_value(*node, s, key) : fallback;
}

std::vector<CovariateRasterJob> covariates_from_toml(const toml::table& table, const TomlSection& s,
                                                     const std::string& file,
                                                     const std::string& base_dir) {
  const toml::node* node = table.get("covariates");
  if (!node) return {};
  const toml::array* array = node->as_array();
  if (!array) {
    s.fail("covariates",
           "expected a list of tables, e.g. covariates = [{ name = \"precip_mm_yr\", raster = "
           "\"climate/precip.tif\" }]");
  }
  std::vector<CovariateRasterJob> out;
  for (const auto& item : *array) {
    const toml::table* entry = item.as_table();
    if (!entry) {
      throw ConfigError(file + ":" + line_of(item) +
                        " [potential] covariates: each entry must be a table { name = ..., raster "
                        "= ... }");
    }
    TomlSection c(*entry, file, "potential.covariates", base_dir);
    c.reject_unknown(kCovariateKeys);
    CovariateRasterJob job;
    job.name = c.text("name");
    job.path = c.path("raster");
    if (job.name.empty())
      c.fail("name", "required: the covariate's column name, e.g. precip_mm_yr");
    if (job.path.empty()) c.fail("raster", "required: the covariate's raster");
    try {
      job.stat = assess::covariate_stat_from_string(c.text("stat", "mean"));
    } catch (const ConfigError& e) {
      c.fail("stat", e.what());
    }
    job.scale = c.optional_number("scale");
    job.offset = c.optional_number("offset");
    job.nan_is_nodata = c.flag("nan_is_nodata", false);
    out.push_back(job);
  }
  return out;
}

// Checks what can be checked before any input is opened.
void check_job(const PotentialJob& job,
               const std::function<void(const std::string&, const std::string&)>& fail) {
  if (job.mines.empty()) fail("mines", "required: the mine polygons (GeoPackage, GeoJSON, …)");
  if (!job.damage_dir.empty() && !job.response_table.empty())
    fail("response_table", "give either damage (a damage output folder) or response_table");
  if (!job.terrain.empty() && job.dem.empty())
    fail("terrain", "needs a DEM: set dem (--dem) to an elevation raster in metres");
  for (const auto& name : job.terrain) {
    try {
      assess::terrain_covariate_from_string(name);
    } catch (const ConfigError& e) {
      fail("terrain", e.what());
    }
  }
  try {
    geo::slope_method_from_string(job.slope_method);
  } catch (const ConfigError& e) {
    fail("slope_method", e.what());
  }
  std::set<std::string> names;
  for (const auto& c : job.covariates) {
    if (!names.insert(c.name).second)
      fail("covariates", "the name '" + c.name + "' is used twice; give each covariate its own");
  }
  if (job.covariates.empty() && job.terrain.empty() && !job.mine_area)
    fail("covariates", "no covariates: name rasters, terrain from a dem, or keep mine_area");
}

// With a dem and no terrain list: every terrain covariate except the circular aspect_deg (its
// linear parts northness and eastness stand in for it).
std::vector<std::string> default_terrain() {
  std::vector<std::string> names;
  for (auto covariate : assess::all_terrain_covariates())
    if (covariate != assess::TerrainCovariate::aspect_deg)
      names.emplace_back(assess::to_string(covariate));
  return names;
}

// A CSV as a table of text columns (the stage parses numbers where it needs them).
Table table_from_csv(const CsvText& csv, const std::string& name) {
  Table table(name);
  for (std::size_t col = 0; col < csv.header.size(); ++col) {
    std::vector<std::string> values(csv.rows.size());
    for (std::size_t row = 0; row < csv.rows.size(); ++row)
      values[row] = csv.rows[row][col];
    if (table.find(csv.header[col])) {
      throw DataError(csv.source + ": column '" + csv.header[col] +
                      "' appears twice in the header");
    }
    table.add(csv.header[col], std::move(values));
  }
  return table;
}

}  // namespace

const std::vector<OptionDoc>& potential_options() {
  static const std::vector<OptionDoc> options = {
      {"mines", "path", "(required)", "mine polygons, any OGR format and CRS"},
      {"mines_layer", "string", "first layer", "layer of the mines file"},
      {"id_field", "string", "feature id", "field holding the mine id (as in the damage stage)"},
      {"repair", "bool", "true", "repair invalid polygons with GEOS MakeValid"},
      {"covariates", "list of tables", "[]",
       "rasters: [{ name = \"precip_mm_yr\", raster = \"p.tif\", stat = \"mean\" }, ...]"},
      {"dem", "path", "(none)", "elevation raster (m) for the terrain covariates"},
      {"dem_scale", "number", "band metadata or 1", "elevation = raw * dem_scale"},
      {"terrain", "list", "[] (with a dem: all but aspect_deg)",
       "slope_deg, aspect_deg, northness, eastness, profile/plan/general_curvature_per_m"},
      {"slope_method", "string", "zevenbergen_thorne",
       "slope and aspect: zevenbergen_thorne, horn"},
      {"mine_area", "bool", "true", "add the geodesic mine area (mine_area_km2) as a covariate"},
      {"damage", "path", "[damage] of this run",
       "damage output folder to read the response from (tables/mines.csv, mine_year.csv)"},
      {"response_table", "path", "(none)", "CSV with one row per mine holding the response"},
      {"response_id_field", "string", "mine_id", "id column of response_table"},
      {"response", "string", "nep_increment_gC_m2_yr",
       "response column; default Q_last - Q_base of the damage stage"},
      {"response_threshold", "number", "100", "training pool: response above this"},
      {"max_training_mines", "int", "2000", "sample at most this many pool mines"},
      {"validation_fraction", "number", "0.15", "share of the sample held out for validation"},
      {"min_training_mines", "int", "30", "fewer training mines stop the run"},
      {"missing_covariates", "string", "exclude", "exclude or impute_median (for prediction)"},
      {"yeo_johnson", "bool", "true", "Yeo-Johnson transform of every covariate"},
      {"yeo_johnson_optimizer", "string", "bounded", "bounded (SciPy >= 1.12) or brent_bracket"},
      {"standardize", "bool", "true", "standardise the transformed covariates"},
      {"folds", "int", "3", "cross-validation folds"},
      {"grid_mtry", "list", "sqrt(p), p/3, 2p/3, p", "mtry values to try (0 = floor(sqrt(p)))"},
      {"grid_min_node_size", "list", "[1, 5, 10]", "minimum node sizes to try"},
      {"grid_max_depth", "list", "[0]", "maximum depths to try (0 = unlimited)"},
      {"grid_num_trees", "list", "[200]", "numbers of trees to try"},
      {"replace", "bool", "true", "bootstrap with replacement (false: subsample)"},
      {"sample_fraction", "number", "1 / 0.632", "draws per tree as a share of the rows"},
      {"conditional_mode", "string", "permimp", "conditional importance: permimp or party"},
      {"conditional_threshold", "number", "mode default", "permimp 0.95, party 0.2"},
      {"conditional_forest", "string", "model", "model or party_like (grow one for CPI only)"},
      {"conditional_permutations", "int", "1", "shuffles per tree and variable (CPI)"},
      {"permutation_repeats", "int", "1", "shuffles per tree and variable (plain)"},
      {"interval", "number", "0.9", "central probability of the prediction interval"},
      {"group_by", "list", "[]", "fields or M49 columns (continent, region, sub_region)"},
      {"iso3_field", "string", "auto", "ISO-3 field for the M49 join"},
      {"m49_table", "path", "shipped", "UN M49 table (iso3 -> region, continent)"},
      {"covariates_only", "bool", "false", "stop after the covariate table"},
      {"save_model", "bool", "true", "write the fitted forest to model/forest.mcrf"},
  };
  return options;
}

CovariateRasterJob parse_covariate_option(const std::string& text, assess::CovariateStat stat,
                                          const std::string& option) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw ConfigError(option + " '" + text + "': expected NAME=PATH, e.g. precip_mm_yr=precip.tif");
  }
  CovariateRasterJob job;
  job.name = text.substr(0, eq);
  job.path = text.substr(eq + 1);
  job.stat = stat;
  return job;
}

PotentialJob potential_job_from_toml(const toml::table& table, const std::string& file,
                                     const std::string& base_dir) {
  TomlSection s(table, file, "potential", base_dir);
  s.reject_unknown(potential_options());
  PotentialJob job;
  assess::PotentialParams& p = job.params;
  job.mines = s.path("mines");
  job.mines_layer = s.text("mines_layer");
  job.id_field = s.text("id_field");
  job.repair = s.flag("repair", true);
  job.covariates = covariates_from_toml(table, s, file, base_dir);
  job.dem = s.path("dem");
  job.dem_scale = s.optional_number("dem_scale");
  job.terrain = s.texts("terrain");
  if (!table.get("terrain") && !job.dem.empty()) job.terrain = default_terrain();
  job.slope_method = s.text("slope_method", "zevenbergen_thorne");
  job.mine_area = s.flag("mine_area", true);
  job.damage_dir = s.path("damage");
  job.response_table = s.path("response_table");
  job.response_id_field = s.text("response_id_field", "mine_id");
  p.response = s.text("response", assess::kDefaultResponse);
  p.response_threshold = s.number("response_threshold", 100.0);
  p.max_training_mines = count(table, s, "max_training_mines", 2000);
  p.validation_fraction = s.number("validation_fraction", 0.15);
  p.min_training_mines = count(table, s, "min_training_mines", 30);
  try {
    p.missing_covariates =
        assess::missing_covariates_from_string(s.text("missing_covariates", "exclude"));
  } catch (const ConfigError& e) {
    s.fail("missing_covariates", e.what());
  }
  p.yeo_johnson = s.flag("yeo_johnson", true);
  try {
    p.yeo_johnson_params.lambda.optimizer =
        stats::yeo_johnson_optimizer_from_string(s.text("yeo_johnson_optimizer", "bounded"));
  } catch (const ConfigError& e) {
    s.fail("yeo_johnson_optimizer", e.what());
  }
  p.yeo_johnson_params.standardize = s.flag("standardize", true);
  p.grid.cv.folds = count(table, s, "folds", 3);
  p.grid.mtry = counts(table, s, "grid_mtry");
  p.grid.min_node_size = counts(table, s, "grid_min_node_size");
  p.grid.max_depth = counts(table, s, "grid_max_depth");
  p.grid.num_trees = counts(table, s, "grid_num_trees");
  p.forest.replace = s.flag("replace", true);
  p.forest.sample_fraction = s.number("sample_fraction", 0.0);
  try {
    p.conditional.mode =
        ml::conditional_importance_mode_from_string(s.text("conditional_mode", "permimp"));
  } catch (const ConfigError& e) {
    s.fail("conditional_mode", e.what());
  }
  p.conditional.threshold = s.number("conditional_threshold", -1.0);
  try {
    p.conditional_forest =
        assess::conditional_forest_from_string(s.text("conditional_forest", "model"));
  } catch (const ConfigError& e) {
    s.fail("conditional_forest", e.what());
  }
  p.conditional.num_permutations = count(table, s, "conditional_permutations", 1);
  p.permutation_repeats = count(table, s, "permutation_repeats", 1);
  p.interval = s.number("interval", 0.9);
  p.group_by = s.texts("group_by");
  p.iso3_field = s.text("iso3_field");
  job.m49_table = s.path("m49_table");
  p.covariates_only = s.flag("covariates_only", false);
  job.save_model = s.flag("save_model", true);
  // Checks whose message should point at the line.
  check_job(job, [&](const std::string& key, const std::string& problem) { s.fail(key, problem); });
  if (!(p.validation_fraction >= 0 && p.validation_fraction <= 0.9))
    s.fail("validation_fraction", "must be within 0..0.9; the paper holds out 0.15");
  if (!(p.interval > 0 && p.interval < 1))
    s.fail("interval", "must be within (0, 1), e.g. 0.9 for the 5 %-95 % quantiles");
  if (p.grid.cv.folds < 2) s.fail("folds", "must be >= 2; the paper uses 3");
  if (p.max_training_mines < 2) s.fail("max_training_mines", "must be >= 2; the paper uses 2000");
  if (p.conditional.threshold > 1) s.fail("conditional_threshold", "must be within 0..1");
  if (!(p.forest.sample_fraction >= 0 && p.forest.sample_fraction <= 1))
    s.fail("sample_fraction", "must be within (0, 1]; 0 = the default");
  for (const auto& [key, values] : {std::pair<const char*, const std::vector<std::size_t>*>{
                                        "grid_min_node_size", &p.grid.min_node_size},
                                    {"grid_num_trees", &p.grid.num_trees}}) {
    for (std::size_t v : *values)
      if (v < 1) s.fail(key, "every value must be >= 1");
  }
  return job;
}

nlohmann::json run_potential_job(const PotentialJob& job, StageOutput& out,
                                 const RunContext& context, const StageResults* memory) {
  check_job(job, [](const std::string& key, const std::string& problem) {
    throw ConfigError("potential: " + key + ": " + problem);
  });
  const assess::PotentialParams& params = job.params;
  // Where the response comes from, decided (and checked) before any heavy work.
  const bool have_memory = memory && memory->damage.has_value();
  if (!params.covariates_only && job.damage_dir.empty() && job.response_table.empty() &&
      !have_memory) {
    throw ConfigError(
        "potential: no response: run it after a [damage] section in the same project, or give "
        "the damage output folder (damage = \"results\" / --damage DIR), or a table "
        "(response_table / --response-table)");
  }
  assess::ResponseColumn response;
  std::string response_source;
  if (!params.covariates_only) {
    if (!job.response_table.empty()) {
      const CsvText csv = read_csv_file(job.response_table);
      response = assess::response_from_table(table_from_csv(csv, "response"), job.response_id_field,
                                             params.response, job.response_table);
      response_source = job.response_table;
    } else if (!job.damage_dir.empty()) {
      const fs::path tables = fs::path(job.damage_dir) / "tables";
      for (const char* name : {"mines.csv", "mine_year.csv"}) {
        if (!fs::exists(tables / name)) {
          throw DataError("potential: damage folder " + job.damage_dir + " has no tables/" + name +
                          "; give the --out folder of a damage run");
        }
      }
      const Table mines = table_from_csv(read_csv_file((tables / "mines.csv").string()), "mines");
      const Table mine_year =
          table_from_csv(read_csv_file((tables / "mine_year.csv").string()), "mine_year");
      response = assess::response_from_damage(mines, mine_year, params.response);
      response_source = job.damage_dir;
    } else {
      response =
          assess::response_from_damage(memory->damage->mines, memory->damage->mine_year,
                                       params.response);
      response_source = "damage stage of this run (in memory)";
    }
  }
  // The output folder is checked before reading the inputs: a typo in --out costs nothing.
  assess::PotentialInputs inputs;
  inputs.mines = geo::read_polygon_layer(
      job.mines, geo::PolygonLayerOptions{job.mines_layer, job.id_field, job.repair, "mines"});
  if (inputs.mines.features.empty()) throw DataError(job.mines + ": has no mine polygons");
  for (const auto& c : job.covariates) {
    geo::SingleRasterSpec spec{c.path, c.scale, c.offset, c.nan_is_nodata};
    inputs.covariates.rasters.push_back(
        {c.name, geo::open_single_raster(spec, "covariate '" + c.name + "'"), c.stat});
  }
  if (!job.terrain.empty()) {
    inputs.covariates.dem =
        geo::open_single_raster(geo::SingleRasterSpec{job.dem, job.dem_scale, {}, false}, "dem");
    for (const auto& name : job.terrain)
      inputs.covariates.terrain.push_back(assess::terrain_covariate_from_string(name));
  }
  inputs.covariates.slope_method = geo::slope_method_from_string(job.slope_method);
  inputs.covariates.mine_area = job.mine_area;
  if (std::any_of(params.group_by.begin(), params.group_by.end(), assess::is_m49_column)) {
    inputs.m49 =
        read_csv_file(job.m49_table.empty() ? shipped_data_file("un_m49.csv") : job.m49_table);
  }
  std::size_t unmatched = 0;
  if (!params.covariates_only) {
    inputs.response = assess::join_response(inputs.mines, response, unmatched);
    inputs.response_source = response_source;
  }
  assess::PotentialResult result = assess::run_potential(params, inputs, context);
  if (!params.covariates_only) {
    result.summary["response"] = {{"name", response.name},
                                  {"definition", response.definition},
                                  {"source", response_source},
                                  {"mines_without_a_row", unmatched}};
    if (unmatched > 0) {
      const std::string w = std::to_string(unmatched) + " mines have no row in the response (" +
                            response_source + "); they get predictions but no potential";
      result.warnings.push_back(w);
      result.summary["warnings"].push_back(w);
    }
  }

  std::vector<geo::MultiPolygon> shapes;
  shapes.reserve(inputs.mines.features.size());
  for (const auto& f : inputs.mines.features)
    shapes.push_back(f.shape);
  if (params.covariates_only) {
    report::write_geopackage(
        out.staged("results.gpkg").string(),
        report::GeometryLayer{&result.covariates, &shapes, inputs.mines.crs_wkt}, {});
    write_csv_tables(out, {&result.covariates});
  } else {
    const std::vector<const Table*> tables = {&result.covariates, &result.cv_grid,
                                              &result.importance, &result.yeo_johnson,
                                              &result.groups};
    report::write_geopackage(out.staged("results.gpkg").string(),
                             report::GeometryLayer{&result.mines, &shapes, inputs.mines.crs_wkt},
                             tables);
    report::write_csv_file(out.staged("tables/potential.csv").string(), result.mines);
    write_csv_tables(out, tables);
    if (job.save_model && result.model) {
      std::ofstream model(out.staged("model/forest.mcrf"), std::ios::binary);
      ml::write_forest(*result.model, model);
      model.close();
      if (!model) throw RunError("potential: writing model/forest.mcrf failed");
    }
  }
  write_summary(out, result.summary, context);
  for (const auto& w : result.warnings)
    context.say("warning: " + w);
  return result.summary;
}

std::vector<std::string> potential_inputs(const PotentialJob& job) {
  std::vector<std::string> out = {job.mines, job.damage_dir, job.response_table, job.dem,
                                  job.m49_table};
  for (const auto& c : job.covariates)
    out.push_back(c.path);
  return out;
}

}  // namespace minecarbon::pipeline
