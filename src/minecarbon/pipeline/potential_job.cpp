#include "minecarbon/pipeline/potential_job.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <variant>

#include "minecarbon/assess/damage/damage_tables.h"
#include "minecarbon/assess/grouping.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/covariate_raster.h"
#include "minecarbon/ml/model_io.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/report/writers.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {
namespace {

std::vector<std::string> terrain_names() {
  std::vector<std::string> names;
  for (auto covariate : geo::all_terrain_covariates())
    names.emplace_back(geo::to_string(covariate));
  return names;
}

// `covariates = [{ name = ..., raster = ... }, ...]`: each entry through covariate_options(),
// messages located at the entry's line ([potential.covariates]).
std::vector<CovariateRasterJob> covariates_from_toml(const toml::table& table,
                                                     const TomlSource& source) {
  const toml::node* node = table.get("covariates");
  if (!node) return {};
  const toml::array* array = node->as_array();
  if (!array) {
    throw ConfigError(toml_where(source, table, "covariates") +
                      ": expected a list of tables, e.g. covariates = [{ name = \"precip_mm_yr\", "
                      "raster = \"climate/precip.tif\" }]");
  }
  TomlSource entry_source = source;
  entry_source.section = source.section + ".covariates";
  std::vector<CovariateRasterJob> out;
  for (const auto& item : *array) {
    const toml::table* entry = item.as_table();
    if (!entry) {
      throw ConfigError(source.file + ":" + std::to_string(item.source().begin.line) + " [" +
                        source.section +
                        "] covariates: each entry must be a table { name = ..., raster = ... }");
    }
    CovariateRasterJob job;
    read_toml_options(covariate_options(), *entry, entry_source, job);
    try {
      check_options(covariate_options(), job);
    } catch (const OptionError& e) {
      // A missing key has no line of its own: point at the entry.
      if (!entry->get(e.key()))
        throw ConfigError(source.file + ":" + std::to_string(entry->source().begin.line) + " [" +
                          entry_source.section + "] " + with_problem(e.key(), e.problem()));
      throw toml_option_error(e, entry_source, *entry);
    }
    out.push_back(std::move(job));
  }
  return out;
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

// ---- the response, read from tables ----------------------------------------------------

// Numeric value of row `row` of a column, NaN for text that is not a number (or "NA").
double numeric_at(const Column& column, std::size_t row) {
  if (const auto* d = std::get_if<std::vector<double>>(&column.data)) return (*d)[row];
  if (const auto* i = std::get_if<std::vector<std::int64_t>>(&column.data))
    return static_cast<double>((*i)[row]);
  const auto& text = std::get<std::vector<std::string>>(column.data)[row];
  if (text.empty() || text == "NA") return kNaN;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  return end && *end == '\0' ? value : kNaN;
}

std::string text_at(const Column& column, std::size_t row) {
  if (const auto* s = std::get_if<std::vector<std::string>>(&column.data)) return (*s)[row];
  if (const auto* i = std::get_if<std::vector<std::int64_t>>(&column.data))
    return std::to_string((*i)[row]);
  return format_number(std::get<std::vector<double>>(column.data)[row]);
}

bool is_numeric(const Column& column) {
  if (!std::holds_alternative<std::vector<std::string>>(column.data)) return true;
  const auto& texts = std::get<std::vector<std::string>>(column.data);
  bool any = false;
  for (std::size_t row = 0; row < texts.size(); ++row) {
    if (texts[row].empty() || texts[row] == "NA") continue;
    if (std::isnan(numeric_at(column, row))) return false;
    any = true;
  }
  return any;
}

std::vector<std::string> numeric_columns(const Table& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns())
    if (is_numeric(column)) names.push_back(column.name);
  return names;
}

// Typed records from id → value, in id order.
assess::ResponseSet response_set(std::string name, std::string definition,
                                 const std::map<std::string, double>& by_id) {
  assess::ResponseSet out{std::move(name), std::move(definition), {}};
  out.mines.reserve(by_id.size());
  for (const auto& [id, value] : by_id)
    out.mines.push_back({id, value});
  return out;
}

// The default response: P of every mine in the damage series' last year.
assess::ResponseSet change_response(const std::string& name, double last_year,
                                    const std::map<std::string, double>& by_id) {
  return response_set(name,
                      "nep_mine_change_gC_m2_yr of damage/mine_year in its last year (" +
                          format_plain(last_year) +
                          "): Q_last - Q_base, the change of the mine's mean NEP",
                      by_id);
}

// From the damage stage's tables (mines, mine_year) read from a damage folder:
//   nep_increment_gC_m2_yr: nep_mine_change_gC_m2_yr (P = Q − Q_base) in the table's last year;
//   any other name: that numeric column of the mines table.
// Throws ConfigError naming the available columns when `name` is neither.
assess::ResponseSet response_from_damage_tables(const Table& mines, const Table& mine_year,
                                                const std::string& name) {
  std::map<std::string, double> by_id;
  if (name == assess::kDefaultResponse) {
    const Column* id = mine_year.find("mine_id");
    const Column* year = mine_year.find("year");
    const Column* change = mine_year.find("nep_mine_change_gC_m2_yr");
    if (!id || !year || !change) {
      throw ConfigError("[potential] response = '" + name +
                        "' needs the damage table mine_year with mine_id, year and "
                        "nep_mine_change_gC_m2_yr; rerun the damage stage");
    }
    double last_year = -std::numeric_limits<double>::infinity();
    for (std::size_t row = 0; row < mine_year.row_count(); ++row)
      last_year = std::max(last_year, numeric_at(*year, row));
    for (std::size_t row = 0; row < mine_year.row_count(); ++row) {
      if (numeric_at(*year, row) != last_year) continue;
      if (!by_id.emplace(text_at(*id, row), numeric_at(*change, row)).second) {
        throw DataError("damage table mine_year: mine " + text_at(*id, row) +
                        " appears twice in year " + format_plain(last_year));
      }
    }
    return change_response(name, last_year, by_id);
  }
  const Column* id = mines.find("mine_id");
  const Column* column = mines.find(name);
  if (!column || !is_numeric(*column) || name == "mine_id") {
    throw ConfigError("[potential] response = '" + name +
                      "': not a numeric column of the damage results; use " +
                      std::string(assess::kDefaultResponse) +
                      " (the default) or one of: " + join(numeric_columns(mines), ", "));
  }
  if (!id) throw DataError("damage table mines has no mine_id column; rerun the damage stage");
  for (std::size_t row = 0; row < mines.row_count(); ++row)
    by_id[text_at(*id, row)] = numeric_at(*column, row);
  return response_set(name, name + " of damage/mines", by_id);
}

// A numeric column `name` of a user's table keyed by `id_column`. Throws ConfigError when either
// column is missing (listing the columns), DataError for a duplicate id.
assess::ResponseSet response_from_table(const Table& table, const std::string& id_column,
                                        const std::string& name, const std::string& source) {
  std::vector<std::string> columns;
  for (const auto& column : table.columns())
    columns.push_back(column.name);
  const Column* id = table.find(id_column);
  if (!id) {
    throw ConfigError("[potential] response_id_field = '" + id_column + "': no such column in " +
                      source + " (columns: " + join(columns, ", ") + ")");
  }
  const Column* column = table.find(name);
  if (!column || !is_numeric(*column)) {
    throw ConfigError("[potential] response = '" + name + "': not a numeric column of " + source +
                      " (numeric columns: " + join(numeric_columns(table), ", ") + ")");
  }
  std::map<std::string, double> by_id;
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    if (!by_id.emplace(text_at(*id, row), numeric_at(*column, row)).second) {
      throw DataError(source + ": mine id '" + text_at(*id, row) + "' appears twice in column " +
                      id_column + "; ids must be unique");
    }
  }
  return response_set(name, name + " of " + source, by_id);
}

}  // namespace

assess::ResponseSet response_from_damage_result(const assess::DamageResult& damage,
                                                const std::string& name) {
  // The default response by field; any other name is a column the user chose by its published
  // name, so it is looked up in the published mines table.
  if (name != assess::kDefaultResponse) {
    const assess::DamageTables tables = assess::to_tables(damage);
    return response_from_damage_tables(tables.mines, tables.mine_year, name);
  }
  std::map<std::string, double> by_id;
  for (const assess::MineValue& mine : assess::mine_change_last_year(damage))
    by_id.emplace(mine.mine_id, mine.value);
  const double last_year = damage.years.empty() ? std::nan("") : damage.years.back();
  return change_response(name, last_year, by_id);
}

const OptionTable<CovariateRasterJob>& covariate_options() {
  static const OptionTable<CovariateRasterJob> table = [] {
    using C = CovariateRasterJob;
    OptionTable<C> t("potential");
    t.add(
         "name", [](C& c) -> std::string& { return c.name; },
         "column name, with its unit, e.g. precip_mm_yr")
        .required();
    t.add_path(
         "raster", [](C& c) -> std::string& { return c.path; },
         "single-band raster, any GDAL format and CRS")
        .required();
    t.add_choice(
        "stat", [](C& c) -> geo::CovariateStat& { return c.stat; },
        enum_names(
            {geo::CovariateStat::mean, geo::CovariateStat::sum, geo::CovariateStat::area_sum},
            [](geo::CovariateStat v) { return geo::to_string(v); }),
        "mean (area-weighted), sum (coverage x value, per-cell totals), area_sum (coverage x "
        "area x value, densities per m2)");
    t.add(
         "scale", [](C& c) -> std::optional<double>& { return c.scale; },
         "value = raw * scale + offset")
        .shown_default("band metadata or 1");
    t.add(
         "offset", [](C& c) -> std::optional<double>& { return c.offset; },
         "value = raw * scale + offset")
        .shown_default("band metadata or 0");
    t.add(
        "nan_is_nodata", [](C& c) -> bool& { return c.nan_is_nodata; },
        "treat NaN cells as nodata even when the band's nodata is not NaN");
    return t;
  }();
  return table;
}

const OptionTable<PotentialJob>& potential_options() {
  static const OptionTable<PotentialJob> table = [] {
    using J = PotentialJob;
    OptionTable<J> t("potential");
    t.include(mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
    t.add_path(
         "dem", [](J& j) -> std::string& { return j.dem; },
         "elevation raster for the terrain covariates")
        .unit("m")
        .must_exist();
    t.add(
         "dem_scale", [](J& j) -> std::optional<double>& { return j.dem_scale; },
         "elevation = raw * dem_scale")
        .shown_default("band metadata or 1");
    t.add(
         "terrain", [](J& j) -> std::vector<std::string>& { return j.terrain; },
         "terrain covariates from the dem (comma-separated on the command line)")
        .choices(terrain_names())
        .shown_default("[] (with a dem: all but aspect_deg)");
    t.add_choice(
        "slope_method", [](J& j) -> geo::SlopeMethod& { return j.slope_method; },
        enum_names({geo::SlopeMethod::zevenbergen_thorne, geo::SlopeMethod::horn},
                   [](geo::SlopeMethod m) { return geo::to_string(m); }),
        "slope and aspect from the dem");
    t.add(
        "mine_area", [](J& j) -> bool& { return j.mine_area; },
        "add the geodesic mine area (mine_area_km2) as a covariate");
    t.add_path(
         "damage", [](J& j) -> std::string& { return j.damage_dir; },
         "damage output folder to read the response from (tables/mines.csv, mine_year.csv)")
        .shown_default("[damage] of this run");
    t.add_path(
         "response_table", [](J& j) -> std::string& { return j.response_table; },
         "CSV with one row per mine holding the response (instead of damage)")
        .must_exist();
    t.add(
        "response_id_field", [](J& j) -> std::string& { return j.response_id_field; },
        "id column of response_table");
    t.add_path(
         "m49_table", [](J& j) -> std::string& { return j.m49_table; },
         "UN M49 table (iso3 -> region, continent)")
        .shown_default("shipped data/un_m49.csv")
        .must_exist();
    t.add(
         "save_model", [](J& j) -> bool& { return j.save_model; },
         "write the fitted forest to model/forest.mcrf")
        .flag("--model-file");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(assess::PotentialParams::options(),
              [](J& j) -> assess::PotentialParams& { return j.params; });
    return t;
  }();
  return table;
}

void complete(PotentialJob& job) {
  if (!job.terrain.empty() || job.dem.empty()) return;
  for (auto covariate : geo::all_terrain_covariates())
    if (covariate != geo::TerrainCovariate::aspect_deg)
      job.terrain.emplace_back(geo::to_string(covariate));
}

void validate(const PotentialJob& job) {
  check_options(potential_options(), job);
  check_encoding(job.encoding, "[potential] encoding");
  std::set<std::string> names;
  for (std::size_t idx = 0; idx < job.covariates.size(); ++idx) {
    const CovariateRasterJob& c = job.covariates[idx];
    try {
      check_options(covariate_options(), c);
    } catch (const OptionError& e) {
      throw OptionError("potential", "covariates",
                        "entry " + std::to_string(idx + 1) + " (" + c.name +
                            "): " + with_problem(e.key(), e.problem()));
    }
    if (!names.insert(c.name).second)
      throw OptionError("potential", "covariates",
                        "the name '" + c.name + "' is used twice; give each covariate its own");
  }
  if (!job.damage_dir.empty() && !job.response_table.empty())
    throw OptionError("potential", "response_table",
                      "give either damage (a damage output folder) or response_table, not both");
  if (!job.terrain.empty() && job.dem.empty())
    throw OptionError("potential", "terrain",
                      "needs a DEM: set dem (--dem) to an elevation raster in metres");
  if (job.covariates.empty() && job.terrain.empty() && !job.mine_area)
    throw OptionError("potential", "covariates",
                      "no covariates: name rasters, terrain from a dem, or keep mine_area");
  job.params.validate();
  check_paths_exist(potential_options(), job);
}

PotentialJob potential_job_from_toml(const toml::table& table, const TomlSource& source) {
  PotentialJob job;
  read_toml_options(potential_options(), table, source, job, {"covariates"});
  job.covariates = covariates_from_toml(table, source);
  // An explicit `terrain = []` keeps the dem for nothing but its own covariate rasters.
  if (!table.get("terrain")) complete(job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

CovariateRasterJob parse_covariate_option(const std::string& text, geo::CovariateStat stat,
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

std::shared_ptr<LoadedPotential> load_potential(const PotentialJob& job, bool damage_in_run,
                                                MineSets* mine_sets) {
  validate(job);
  const assess::PotentialParams& params = job.params;
  if (!params.covariates_only && job.damage_dir.empty() && job.response_table.empty() &&
      !damage_in_run) {
    throw ConfigError(
        "potential: no response: run it after a [damage] section in the same project, or give "
        "the damage output folder (damage = \"results\" / --damage DIR), or a table "
        "(response_table / --response-table)");
  }
  auto loaded = std::make_shared<LoadedPotential>();
  loaded->job = job;
  assess::PotentialInputs& inputs = loaded->inputs;
  auto read = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  // The response first: a wrong column name costs nothing.
  if (!params.covariates_only) {
    if (!job.response_table.empty()) {
      const CsvText csv = read_csv_file(job.response_table, {job.encoding});
      // A text cell in the response column is an input-data error naming its line (exit 3), not
      // a column that silently reads as text.
      if (csv.has_column(params.response)) (void)csv.numbers(csv.column(params.response));
      inputs.response = response_from_table(table_from_csv(csv, "response"), job.response_id_field,
                                            params.response, job.response_table);
      inputs.response_source = job.response_table;
      read(job.response_table, "response table");
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
      inputs.response = response_from_damage_tables(mines, mine_year, params.response);
      inputs.response_source = job.damage_dir;
      read(job.damage_dir, "damage folder");
    } else {
      loaded->response_from_memory = true;
      inputs.response_source = "damage stage of this run (in memory)";
    }
  }
  const MineSource& mines = job.mine_source;
  inputs.mines =
      (mine_sets ? mine_sets->get(mines) : std::make_shared<const MineSet>(mines))->layer();
  read(mines.mines, "mines");
  for (const auto& c : job.covariates) {
    geo::SingleRasterSpec spec{c.path, c.scale, c.offset, c.nan_is_nodata};
    const std::string what = "covariate '" + c.name + "'";
    inputs.covariates.rasters.push_back({c.name, geo::open_single_raster(spec, what), c.stat});
    read(c.path, what);
  }
  if (!job.terrain.empty()) {
    inputs.covariates.dem =
        geo::open_single_raster(geo::SingleRasterSpec{job.dem, job.dem_scale, {}, false}, "dem");
    read(job.dem, "dem");
    for (const auto& name : job.terrain)
      for (auto covariate : geo::all_terrain_covariates())
        if (geo::to_string(covariate) == name) inputs.covariates.terrain.push_back(covariate);
  }
  inputs.covariates.slope_method = job.slope_method;
  inputs.covariates.mine_area = job.mine_area;
  if (std::any_of(params.group_by.begin(), params.group_by.end(), assess::is_m49_column)) {
    const std::string m49 = job.m49_table.empty() ? shipped_data_file("un_m49.csv") : job.m49_table;
    inputs.m49 = read_csv_file(m49, {job.m49_table.empty() ? "utf-8" : job.encoding});
    read(m49, "M49 table");
  }
  // No mine id in the response: refused now, before any stage runs.
  if (!params.covariates_only && !loaded->response_from_memory)
    (void)assess::join_response(*inputs.mines, inputs.response);
  return loaded;
}

nlohmann::json run_potential_job(const LoadedPotential& loaded, StageOutput& out,
                                 const RunContext& context, const StageResults* memory,
                                 assess::PotentialResult* keep) {
  const PotentialJob& job = loaded.job;
  const assess::PotentialParams& params = job.params;
  // The response from the damage stage of this run, now that it exists.
  const assess::PotentialInputs* run_inputs = &loaded.inputs;
  assess::PotentialInputs with_response;
  if (!params.covariates_only && loaded.response_from_memory) {
    if (!memory || !memory->damage)
      throw RunError("potential: the damage results of this run are missing (internal order)");
    with_response = loaded.inputs;
    with_response.response = response_from_damage_result(*memory->damage, params.response);
    run_inputs = &with_response;
  }
  const assess::PotentialInputs& inputs = *run_inputs;
  assess::PotentialResult result = assess::run_potential(params, inputs, context);
  result.summary["parameters"] = options_json(potential_options(), job);
  nlohmann::json covariates = nlohmann::json::array();
  for (const auto& c : job.covariates)
    covariates.push_back(options_json(covariate_options(), c));
  result.summary["parameters"]["covariates"] = covariates;
  const assess::PotentialTables tables = assess::to_tables(result);

  std::vector<geo::MultiPolygon> shapes;
  shapes.reserve(inputs.mines->features.size());
  for (const auto& f : inputs.mines->features)
    shapes.push_back(f.shape);
  if (params.covariates_only) {
    report::write_geopackage(
        out.staged("results.gpkg").string(),
        report::GeometryLayer{&tables.covariates, &shapes, inputs.mines->crs_wkt}, {});
    write_csv_tables(out, {&tables.covariates});
  } else {
    const std::vector<const Table*> others = {&tables.covariates, &tables.cv_grid,
                                              &tables.importance, &tables.yeo_johnson,
                                              &tables.groups};
    report::write_geopackage(out.staged("results.gpkg").string(),
                             report::GeometryLayer{&tables.mines, &shapes, inputs.mines->crs_wkt},
                             others);
    report::write_csv_file(out.staged("tables/potential.csv").string(), tables.mines);
    write_csv_tables(out, others);
    if (job.save_model && result.model) {
      std::ofstream model(out.staged("model/forest.mcrf"), std::ios::binary);
      ml::write_forest(*result.model, model);
      model.close();
      if (!model) throw RunError("potential: writing model/forest.mcrf failed");
    }
  }
  record_warnings(result.summary, result.warnings, "potential", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
