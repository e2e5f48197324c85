#include "minecarbon/pipeline/topography_job.h"

#include <cmath>
#include <map>
#include <set>

#include "minecarbon/assess/damage/damage_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/covariate_raster.h"
#include "minecarbon/geo/raster_series.h"
#include "minecarbon/pipeline/potential_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {

const OptionTable<TopographyJob>& topography_options() {
  static const OptionTable<TopographyJob> table = [] {
    using J = TopographyJob;
    OptionTable<J> t("topography");
    t.add_path(
         "dem", [](J& j) -> std::string& { return j.dem; },
         "DEM (any GDAL raster with a CRS; lon/lat grids get true cell sizes), metres")
        .required()
        .must_exist();
    t.include(mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
    t.add_path(
         "sink_table", [](J& j) -> std::string& { return j.sink_table; },
         "CSV of per-mine sink rates (adds to those of the run's damage and potential stages)")
        .must_exist();
    t.add(
        "sink_id_field", [](J& j) -> std::string& { return j.sink_id_field; },
        "sink_table column holding the mine id");
    t.add(
        "sink_fields", [](J& j) -> std::vector<std::string>& { return j.sink_fields; },
        "numeric sink_table columns to relate to the terrain (e.g. nep_gC_m2_yr)");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(assess::TopographyParams::options(),
              [](J& j) -> assess::TopographyParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const TopographyJob& job) {
  check_options(topography_options(), job);
  check_encoding_option("topography", job.encoding);
  if (!job.sink_table.empty() && job.sink_fields.empty())
    throw OptionError("topography", "sink_fields",
                      "sink_table is given but names no column; set sink_fields = [\"<column>\"]");
  if (job.sink_table.empty() && !job.sink_fields.empty())
    throw OptionError("topography", "sink_table",
                      "sink_fields is given without sink_table; name the CSV that holds them");
  job.params.validate();
  check_paths_exist(topography_options(), job);
}

TopographyJob topography_job_from_toml(const toml::table& section, const TomlSource& source) {
  TopographyJob job;
  read_toml_options(topography_options(), section, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, section);
  }
  return job;
}

namespace {

std::vector<assess::SinkVariable> read_sink_table(const TopographyJob& job) {
  const CsvText csv = read_csv_file(job.sink_table, {job.encoding});
  if (!csv.has_column(job.sink_id_field))
    throw DataError(job.sink_table + ": no column '" + job.sink_id_field +
                    "' (sink_id_field) for the mine id; the file has: " + join(csv.header, ", ") +
                    "; set sink_id_field");
  const std::size_t id_col = csv.column(job.sink_id_field);
  std::set<std::string> seen;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string& id = csv.rows[row][id_col];
    if (!seen.insert(id).second)
      throw DataError(job.sink_table + ":" + std::to_string(csv.line_numbers[row]) + ", column '" +
                      job.sink_id_field + "': mine id '" + id +
                      "' is repeated; give one row per mine");
  }
  std::vector<assess::SinkVariable> out;
  for (const std::string& field : job.sink_fields) {
    if (!csv.has_column(field))
      throw DataError(job.sink_table + ": no column '" + field +
                      "' (sink_fields); the file has: " + join(csv.header, ", "));
    const std::vector<double> values = csv.numbers(csv.column(field));
    assess::SinkVariable sink{field, job.sink_table, {}};
    for (std::size_t row = 0; row < csv.rows.size(); ++row)
      sink.values.emplace_back(csv.rows[row][id_col], values[row]);
    out.push_back(std::move(sink));
  }
  return out;
}

}  // namespace

std::shared_ptr<LoadedTopography> load_topography(const TopographyJob& job, MineSets* mine_sets) {
  validate(job);
  auto loaded = std::make_shared<LoadedTopography>();
  loaded->job = job;
  const geo::RasterSeries dem =
      geo::open_single_raster(geo::SingleRasterSpec{job.dem, {}, {}, false}, "dem");
  loaded->files.push_back(job.dem);
  loaded->kinds.push_back("DEM");
  assess::DemRaster& raster = loaded->inputs.dem;
  raster.path = job.dem;
  raster.grid = dem.grid;
  raster.crs_wkt = dem.crs_wkt;
  raster.geographic = dem.geographic;
  raster.metres_per_unit = dem.metres_per_unit;
  geo::RasterSeriesReader reader(dem);
  reader.read(0, dem.grid.full(), raster.z);
  const MineSource& source = job.mine_source;
  loaded->inputs.mines =
      (mine_sets ? mine_sets->get(source) : std::make_shared<const MineSet>(source))->layer();
  loaded->files.push_back(source.mines);
  loaded->kinds.push_back("mines");
  if (!job.sink_table.empty()) {
    loaded->inputs.sinks = read_sink_table(job);
    loaded->files.push_back(job.sink_table);
    loaded->kinds.push_back("sink table");
  }
  return loaded;
}

std::vector<assess::SinkVariable> sinks_from(const StageResults& results) {
  std::vector<assess::SinkVariable> out;
  if (results.damage) {
    const assess::ResponseSet increment =
        response_from_damage_result(*results.damage, assess::kDefaultResponse);
    assess::SinkVariable sink{increment.name, "damage (in memory)", {}};
    for (const auto& mine : increment.mines)
      sink.values.emplace_back(mine.id, mine.value);
    out.push_back(std::move(sink));
    assess::SinkVariable trend{"nep_mine_sen_slope_gC_m2_yr2", "damage (in memory)", {}};
    for (const auto& mine : results.damage->mines)
      if (mine.analysed())
        trend.values.emplace_back(mine.mine_id, mine.nep_mine_trend.sen_slope_per_yr);
    out.push_back(std::move(trend));
  }
  if (results.potential && !results.potential->mines.empty()) {
    const std::string& response = results.potential->response;
    assess::SinkVariable predicted{"predicted_" + response, "potential (in memory)", {}};
    assess::SinkVariable potential{"potential_" + response, "potential (in memory)", {}};
    for (const auto& mine : results.potential->mines) {
      predicted.values.emplace_back(mine.id, mine.predicted);
      potential.values.emplace_back(mine.id,
                                    mine.potential.known ? mine.potential.potential : std::nan(""));
    }
    out.push_back(std::move(predicted));
    out.push_back(std::move(potential));
  }
  return out;
}

std::optional<assess::ForestModel> forest_from(const StageResults& results) {
  if (!results.potential || !results.potential->model) return std::nullopt;
  const assess::PotentialResult& p = *results.potential;
  assess::ForestModel model;
  model.forest = &*p.model;
  model.feature_names = p.model->feature_names();
  std::vector<std::size_t> training;
  for (std::size_t mine = 0; mine < p.mines.size(); ++mine)
    if (p.mines[mine].role == assess::MineRole::training) training.push_back(mine);
  for (const std::string& name : model.feature_names) {
    const auto at = std::find(p.covariates.names.begin(), p.covariates.names.end(), name);
    if (at == p.covariates.names.end()) return std::nullopt;  // not a covariate: no PD
    const auto idx = static_cast<std::size_t>(at - p.covariates.names.begin());
    std::vector<double> raw;
    for (const std::size_t mine : training)
      raw.push_back(p.covariates.values[idx][mine]);
    model.raw.push_back(std::move(raw));
    std::optional<stats::YeoJohnsonColumn> transform;
    for (const auto& row : p.yeo_johnson)
      if (row.covariate == name && row.transformed) transform = row.column;
    model.transform.push_back(std::move(transform));
  }
  return model;
}

PreparedStage topography_stage(std::shared_ptr<const LoadedTopography> loaded) {
  PreparedStage stage{"topography", "topography/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    const nlohmann::json summary = run_topography_job(*loaded, &results, out, context);
    return "topography: results in " + out.folder() + " (" + summary["counts"]["mines"].dump() +
           " mines, " + summary["counts"]["tests"].dump() + " tests)";
  };
  return stage;
}

nlohmann::json run_topography_job(const LoadedTopography& loaded, const StageResults* results,
                                  StageOutput& out, const RunContext& context,
                                  assess::TopographyResult* keep) {
  assess::TopographyInputs inputs = loaded.inputs;
  if (results) {
    std::vector<assess::SinkVariable> memory = sinks_from(*results);
    inputs.sinks.insert(inputs.sinks.begin(), memory.begin(), memory.end());
    inputs.model = forest_from(*results);
  }
  assess::TopographyResult result = assess::run_topography(loaded.job.params, inputs, context);
  result.summary["stage"] = "topography";
  result.summary["parameters"] = options_json(topography_options(), loaded.job);
  const assess::TopographyTables tables = assess::to_tables(result);
  write_csv_tables(out, tables.all(), context.threads);
  std::vector<geo::MultiPolygon> shapes;
  for (const auto& feature : inputs.mines->features)
    shapes.push_back(feature.shape);
  report::write_geopackage(
      out.staged("results.gpkg").string(),
      report::GeometryLayer{&tables.mine_terrain, &shapes, inputs.mines->crs_wkt},
      {&tables.groups, &tables.tests, &tables.partial_dependence});
  record_warnings(result.summary, result.warnings, "topography", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
