#include "minecarbon/pipeline/warning_job.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <numeric>
#include <utility>

#include "minecarbon/assess/damage/damage_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/pipeline/warning_mines.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {
namespace fs = std::filesystem;
namespace aw = assess::warning;

const OptionTable<WarningJob>& warning_options() {
  static const OptionTable<WarningJob> table = [] {
    using J = WarningJob;
    OptionTable<J> t("warning");
    t.add_path(
         "series_csv", [](J& j) -> std::string& { return j.series_csv; },
         "long CSV of the series: id, year (or time, decimal years) and the column named by "
         "`series`; in a project with [damage] leave it out to take damage's mine_year table")
        .flag("--series")
        .must_exist();
    t.add(
         "series", [](J& j) -> std::string& { return j.series; },
         "the value column (gC m-2 yr-1 for NEP, positive = sink), e.g. nep_change_rel_gC_m2_yr")
        .flag("--series-column");
    t.add_path(
         "rules", [](J& j) -> std::string& { return j.rules; },
         "TOML file with [warning] levels and [[warning.rule]] tables (in a project, write them "
         "in the [warning] section instead); default data/warning_rules_default.toml")
        .shown_default("data/warning_rules_default.toml")
        .must_exist();
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(aw::WarningParams::options(), [](J& j) -> aw::WarningParams& { return j.params; });
    t.include(pixel_warning_options(), [](J& j) -> PixelWarningJob& { return j.pixel; });
    t.include(optional_mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
    return t;
  }();
  return table;
}

void validate(const WarningJob& job) {
  check_options(warning_options(), job);
  if (job.series.empty())
    throw OptionError("warning", "series", "must name the value column, e.g. nep_mine_gC_m2_yr");
  check_encoding(job.encoding, "[warning] encoding");
  job.params.validate();
  validate(job.pixel);
  check_paths_exist(warning_options(), job);
}

aw::AlertRuleSet warning_rules_from(const toml::table& section, const std::string& file) {
  aw::AlertRuleSet rules = aw::read_alert_rules(section, file);
  if (!rules.rules.empty()) return rules;
  if (section.contains("levels"))
    throw ConfigError(file + ":" + std::to_string(section["levels"].node()->source().begin.line) +
                      ": [warning] levels given without any [[warning.rule]]; add the rules, or "
                      "leave levels out to use the shipped defaults "
                      "(data/warning_rules_default.toml)");
  const std::string shipped = shipped_data_file("warning_rules_default.toml");
  toml::table doc;
  try {
    doc = toml::parse_file(shipped);
  } catch (const toml::parse_error& e) {
    throw ConfigError(shipped + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  const toml::table* defaults = doc["warning"].as_table();
  if (!defaults) throw ConfigError(shipped + ": no [warning] table; reinstall minecarbon");
  aw::AlertRuleSet out = aw::read_alert_rules(*defaults, "data/warning_rules_default.toml");
  return out;
}

std::vector<aw::WarningSeries> read_warning_series(const std::string& path,
                                                   const std::string& column,
                                                   const std::string& encoding) {
  const CsvText csv = read_csv_file(path, {encoding});
  const std::size_t id_col = csv.column("id");
  const bool has_year = csv.has_column("year");
  if (!has_year && !csv.has_column("time"))
    throw DataError(path +
                    ": no column 'year' or 'time'; the series CSV is long: id, year (or "
                    "time, decimal years), " +
                    column);
  const std::size_t time_col = csv.column(has_year ? "year" : "time");
  const std::size_t value_col = csv.column(column);
  std::vector<aw::WarningSeries> out;
  std::map<std::string, std::size_t> index;
  std::map<std::pair<std::string, double>, std::size_t> seen;  // (id, time) -> line
  std::vector<std::vector<std::pair<double, double>>> points;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const std::string where = path + ":" + std::to_string(csv.line_numbers[r]);
    std::string id = csv.rows[r][id_col];
    id.erase(0, id.find_first_not_of(" \t"));
    id.erase(id.find_last_not_of(" \t") + 1);
    if (id.empty()) throw DataError(where + ", column 'id': empty; every row needs a series id");
    const double time = csv.number(r, time_col);
    if (!std::isfinite(time))
      throw DataError(where + ", column '" + csv.header[time_col] +
                      "': missing; every row needs its time");
    const double value = csv.number(r, value_col);  // NaN (empty, NA): a missing value
    auto [it, fresh] = seen.emplace(std::make_pair(id, time), csv.line_numbers[r]);
    if (!fresh)
      throw DataError(where + ", column '" + csv.header[time_col] + "': duplicate (id, " +
                      csv.header[time_col] + ") = (" + id + ", " + format_plain(time) +
                      "), first on line " + std::to_string(it->second) +
                      "; give one value per series and time");
    auto [pos, added] = index.emplace(id, out.size());
    if (added) {
      out.push_back({id, {}, {}});
      points.emplace_back();
    }
    points[pos->second].emplace_back(time, value);
  }
  for (std::size_t s = 0; s < out.size(); ++s) {
    auto& p = points[s];
    std::sort(p.begin(), p.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [t, v] : p) {
      out[s].time.push_back(t);
      out[s].value.push_back(v);
    }
  }
  if (out.empty()) throw DataError(path + ": no rows; give at least one series");
  return out;
}

namespace {

// The parsed rules file of the command line (kept whole: its nodes carry the line numbers).
toml::table rules_document_of_job(const WarningJob& job) {
  try {
    return toml::parse_file(job.rules);
  } catch (const toml::parse_error& e) {
    throw ConfigError(job.rules + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
}

// The pixel stack and pixel rules ([[warning.pixel_rule]] of `section`), when given.
void load_pixel_part(LoadedWarning& loaded, const toml::table& section, const std::string& file) {
  auto pixel = load_pixel_warning(loaded.job.pixel, section, file);
  for (std::size_t f = 0; f < pixel->files.size(); ++f) {
    loaded.files.push_back(pixel->files[f]);
    loaded.kinds.push_back(pixel->kinds[f]);
  }
  loaded.pixel = std::move(pixel);
}

aw::AlertRuleSet rules_of_job(const WarningJob& job) {
  if (job.rules.empty()) return warning_rules_from(toml::table{}, "");
  toml::table doc;
  try {
    doc = toml::parse_file(job.rules);
  } catch (const toml::parse_error& e) {
    throw ConfigError(job.rules + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  const toml::table* section = doc["warning"].as_table();
  if (!section)
    throw ConfigError(job.rules +
                      ": no [warning] table; write levels and [[warning.rule]] "
                      "tables under [warning]");
  return warning_rules_from(*section, job.rules);
}

void add_file(LoadedWarning& loaded, const std::string& file, const std::string& kind) {
  loaded.files.push_back(file);
  loaded.kinds.push_back(kind);
}

// The series of damage's mine_year table: mine_id, year and the job's column.
std::vector<aw::WarningSeries> series_from_damage(const assess::DamageResult& damage,
                                                  const std::string& column) {
  const assess::DamageTables tables = assess::to_tables(damage);
  const Table& t = tables.mine_year;
  const Column* ids = t.find("mine_id");
  const Column* years = t.find("year");
  const Column* values = t.find(column);
  if (!ids || !years || !values || !std::holds_alternative<std::vector<double>>(values->data)) {
    std::vector<std::string> names;
    for (const auto& c : t.columns())
      if (std::holds_alternative<std::vector<double>>(c.data)) names.push_back(c.name);
    throw ConfigError("[warning] series = '" + column +
                      "': not a numeric column of damage's mine_year table; one of " +
                      join(names, ", "));
  }
  const auto& id_v = std::get<std::vector<std::string>>(ids->data);
  const auto& val_v = std::get<std::vector<double>>(values->data);
  std::vector<double> year_v;
  if (const auto* y = std::get_if<std::vector<std::int64_t>>(&years->data))
    for (auto v : *y)
      year_v.push_back(static_cast<double>(v));
  else
    year_v = std::get<std::vector<double>>(years->data);
  std::vector<aw::WarningSeries> out;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < id_v.size(); ++r) {
    auto [pos, added] = index.emplace(id_v[r], out.size());
    if (added) out.push_back({id_v[r], {}, {}});
    out[pos->second].time.push_back(year_v[r]);  // damage rows are by mine, then year
    out[pos->second].value.push_back(val_v[r]);
  }
  return out;
}

}  // namespace

namespace {

// The mines (when given) and each series' history start from history_start_field: a column of
// the series CSV first, else a field of the mine layer; neither is a ConfigError naming both.
void load_mines_and_history(LoadedWarning& loaded, MineSets* mine_sets) {
  const WarningJob& job = loaded.job;
  if (!job.mine_source.mines.empty()) {
    loaded.mines = mine_sets ? mine_sets->get(job.mine_source)
                             : std::make_shared<const MineSet>(job.mine_source);
    add_file(loaded, job.mine_source.mines, "mines");
  }
  const std::string& field = job.params.history_start_field;
  if (field.empty() || job.series_csv.empty()) return;  // from damage: at run time
  if (csv_has_column(job.series_csv, field, job.encoding)) {
    history_start_from_csv(loaded.inputs.series, job.series_csv, field, job.encoding);
    return;
  }
  const geo::PolygonLayer* layer = loaded.mines ? loaded.mines->layer().get() : nullptr;
  if (layer && std::find(layer->field_names.begin(), layer->field_names.end(), field) !=
                   layer->field_names.end()) {
    history_start_from_layer(loaded.inputs.series, *layer, field);
    return;
  }
  throw ConfigError(
      "[warning] history_start_field = '" + field + "': not a column of " + job.series_csv +
      (layer
           ? " nor a field of " + layer->path + " (fields: " + join(layer->field_names, ", ") + ")"
           : std::string(" (and no mines given)")) +
      "; name the column or mine field holding each series' history start");
}

}  // namespace

std::shared_ptr<LoadedWarning> load_warning(const WarningJob& job, MineSets* mine_sets) {
  validate(job);
  if (job.series_csv.empty() && !job.pixel.given())
    throw OptionError("warning", "series_csv",
                      "required: the long CSV of the series (id, year, value), a pixel `stack` "
                      "or `raster`, or run the stage in a project after [damage]");
  auto loaded = std::make_shared<LoadedWarning>();
  loaded->job = job;
  if (job.pixel.given()) {
    const toml::table doc = job.rules.empty() ? toml::table{} : rules_document_of_job(job);
    const toml::table empty;
    const toml::table* section = doc["warning"].as_table();
    load_pixel_part(*loaded, section ? *section : empty, job.rules);  // no copy: lines kept
    if (job.series_csv.empty()) {
      loaded->has_series = false;
      load_mines_and_history(*loaded, mine_sets);  // the mines of the per-mine pixel areas
      return loaded;
    }
  }
  loaded->inputs.rules = rules_of_job(job);
  if (!job.rules.empty()) add_file(*loaded, job.rules, "alert rules");
  loaded->inputs.value_name = job.series;
  loaded->inputs.series = read_warning_series(job.series_csv, job.series, job.encoding);
  loaded->inputs.source = job.series_csv;
  add_file(*loaded, job.series_csv, "series CSV");
  load_mines_and_history(*loaded, mine_sets);
  return loaded;
}

std::shared_ptr<LoadedWarning> load_warning_section(const toml::table& section,
                                                    const TomlSource& source, bool has_damage,
                                                    MineSets* mine_sets) {
  WarningJob job;
  read_toml_options(warning_options(), section, source, job, {"levels", "rule", "pixel_rule"});
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, section);
  }
  auto loaded = std::make_shared<LoadedWarning>();
  loaded->job = job;
  if (!job.rules.empty() && (section.contains("levels") || section.contains("rule")))
    throw ConfigError(source.file + " [warning]: rules = '" + job.rules +
                      "' and levels/[[warning.rule]] in the section; give one of them");
  if (!job.rules.empty()) {
    loaded->inputs.rules = rules_of_job(job);
    add_file(*loaded, job.rules, "alert rules");
  } else {
    loaded->inputs.rules = warning_rules_from(section, source.file);
  }
  loaded->inputs.value_name = job.series;
  if (job.pixel.given()) load_pixel_part(*loaded, section, source.file);
  if (!job.series_csv.empty()) {
    loaded->inputs.series = read_warning_series(job.series_csv, job.series, job.encoding);
    loaded->inputs.source = job.series_csv;
    add_file(*loaded, job.series_csv, "series CSV");
  } else if (has_damage) {
    loaded->from_damage = true;
    loaded->inputs.source = "damage's mine_year table (this run)";
  } else if (job.pixel.given()) {
    loaded->has_series = false;
  } else {
    throw ConfigError(source.file +
                      " [warning]: no series: give series_csv (a long CSV id, year, " + job.series +
                      ") or add a [damage] section to the project");
  }
  try {
    load_mines_and_history(*loaded, mine_sets);
  } catch (const ConfigError& e) {
    throw ConfigError(source.file + " " + e.what());
  }
  return loaded;
}

namespace {

// Layer `warning` of results.gpkg: `base` (one row per mine of `mines`, layer order) and, with a
// pixel stack, the per-mine alert-pixel columns of `pixel_mines` (same rows; its mine_id skipped).
void write_warning_layer(StageOutput& out, const Table& base, const geo::PolygonLayer& mines,
                         const Table* pixel_mines) {
  Table layer_table("warning");
  for (const auto& column : base.columns())
    layer_table.add(column.name, column.data);
  if (pixel_mines)
    for (const auto& column : pixel_mines->columns())
      if (!layer_table.find(column.name)) layer_table.add(column.name, column.data);
  std::vector<geo::MultiPolygon> shapes;
  for (const auto& f : mines.features)
    shapes.push_back(f.shape);
  report::write_geopackage(out.staged("results.gpkg").string(),
                           report::GeometryLayer{&layer_table, &shapes, mines.crs_wkt}, {});
}

}  // namespace

PreparedStage warning_stage(std::shared_ptr<const LoadedWarning> loaded) {
  PreparedStage stage{"warning", "warning/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    nlohmann::json summary;
    aw::WarningResult result;
    nlohmann::json pixel_summary;
    std::shared_ptr<const geo::PolygonLayer> layer =
        loaded->mines ? loaded->mines->layer() : nullptr;
    // The damage stage's own mines give the `warning` layer (and the pixel areas per mine).
    if (!layer && loaded->from_damage && results.damage && results.damage->mine_layer)
      layer = results.damage->mine_layer;
    Table pixel_mines;
    if (loaded->pixel)
      pixel_summary = run_warning_pixel_job(*loaded->pixel, loaded->job.params, out, context,
                                            layer.get(), &pixel_mines);
    if (!loaded->has_series) {
      if (layer) write_warning_layer(out, pixel_mines, *layer, nullptr);
      pixel_summary["stage"] = "warning";
      pixel_summary["parameters"] = options_json(warning_options(), loaded->job);
      write_summary(out, pixel_summary, context);
      return "warning: pixel results in " + out.folder() + " (" + pixel_summary["pixels"].dump() +
             " pixels)";
    }
    if (loaded->pixel) {
      // The series stage writes summary.json; the pixel part gets its own file.
      report::write_json_file(out.staged("pixel_summary.json").string(), pixel_summary);
    }
    const Table* pixel_columns = pixel_mines.row_count() > 0 ? &pixel_mines : nullptr;
    if (loaded->from_damage) {
      if (!results.damage)
        throw RunError("warning: the series come from damage, which has not run");
      aw::WarningInputs inputs = loaded->inputs;
      inputs.series = series_from_damage(*results.damage, loaded->job.series);
      ring_from_damage(inputs.series, *results.damage);
      if (!loaded->job.params.history_start_field.empty())
        history_start_from_damage(inputs.series, *results.damage,
                                  loaded->job.params.history_start_field);
      summary = run_warning_job(*loaded, inputs, out, context, &result, layer.get(), pixel_columns);
    } else {
      summary = run_warning_job(*loaded, loaded->inputs, out, context, &result, layer.get(),
                                pixel_columns);
    }
    results.warning = std::move(result);
    return "warning: results in " + out.folder() + " (" + summary["series"].dump() + " series)";
  };
  return stage;
}

nlohmann::json run_warning_job(const LoadedWarning& loaded, const aw::WarningInputs& inputs,
                               StageOutput& out, const RunContext& context, aw::WarningResult* keep,
                               const geo::PolygonLayer* mines, const Table* pixel_mines) {
  aw::WarningResult result = aw::run_warning(loaded.job.params, inputs, context.threads);
  const Table series = aw::warning_series_table(result);
  const Table forecast = aw::warning_forecast_table(result);
  const Table alerts = aw::warning_alerts_table(result);
  std::vector<const Table*> tables = {&series, &forecast, &alerts};
  const Table spatial = aw::warning_spatial_table(result);
  if (result.spatial_reference != "none") tables.push_back(&spatial);
  const Table mosum = aw::warning_mosum_table(result);
  if (loaded.job.params.trace) tables.push_back(&mosum);
  write_csv_tables(out, tables, context.threads);
  report::write_json_file(out.staged("alerts.json").string(), aw::warning_alerts_json(result));
  if (mines) {
    // The `warning` layer: every mine of the layer with its level and key statistics.
    std::vector<std::string> unmatched;
    const Table layer_table = warning_mine_table(result, *mines, unmatched);
    if (unmatched.size() == result.series.size() && !unmatched.empty())
      throw DataError(mines->path + ": none of the " + std::to_string(unmatched.size()) +
                      " series ids (e.g. '" + unmatched.front() +
                      "') is a mine id; check the mines' id_field");
    if (!unmatched.empty())
      result.warnings.add("series_not_a_mine",
                          std::to_string(unmatched.size()) + " series ids are not mine ids of " +
                              mines->path + " and are not in results.gpkg (e.g. '" +
                              unmatched.front() + "')");
    write_warning_layer(out, layer_table, *mines, pixel_mines);
    result.summary["mine_layer"] = mines->path;
  }
  result.summary["stage"] = "warning";
  result.summary["parameters"] = options_json(warning_options(), loaded.job);
  result.summary["series_source"] =
      loaded.from_damage ? "damage mine_year (this run)" : loaded.job.series_csv;
  result.summary["units"] =
      "the series' own (gC m-2 yr-1 for NEP, positive = sink); times in decimal years";
  record_warnings(result.summary, result.warnings, "warning", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
