#include "minecarbon/pipeline/scenario_job.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "minecarbon/assess/scenario_tables.h"
#include "minecarbon/carbon/landuse_pools.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/scenario_rasters.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/report/raster_writer.h"

namespace minecarbon::pipeline {

namespace {

constexpr std::uint8_t kByteNodata = 255;

std::string where(const CsvText& csv, std::size_t row, const std::string& field) {
  return csv.source + ":" + std::to_string(csv.line_numbers[row]) + ", field '" + field + "'";
}

std::int64_t integer_cell(const CsvText& csv, std::size_t row, std::size_t col,
                          const std::string& field) {
  const double v = csv.number(row, col);
  if (!(std::isfinite(v) && v == std::floor(v)))
    throw DataError(where(csv, row, field) + ": '" + csv.rows[row][col] +
                    "' is not a whole class code");
  return static_cast<std::int64_t>(v);
}

std::size_t need_column(const CsvText& csv, const std::string& name) {
  if (csv.has_column(name)) return csv.column(name);
  throw DataError(csv.source + ": no column '" + name +
                  "'; the columns are: " + join(csv.header, ", "));
}

}  // namespace

const OptionTable<ScenarioJob>& scenario_options() {
  static const OptionTable<ScenarioJob> table = [] {
    using J = ScenarioJob;
    OptionTable<J> t("scenario");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.add_path(
         "lulc_initial", [](J& j) -> std::string& { return j.lulc_initial; },
         "land-use map T1 (any GDAL raster, integer codes)")
        .required()
        .must_exist();
    t.add_path(
         "lulc_final", [](J& j) -> std::string& { return j.lulc_final; },
         "land-use map T2 on the same grid as lulc_initial")
        .required()
        .must_exist();
    t.add(
         "year_initial", [](J& j) -> std::int64_t& { return j.year_initial; },
         "year of lulc_initial")
        .range(1, 9999)
        .required();
    t.add(
         "year_final", [](J& j) -> std::int64_t& { return j.year_final; },
         "year of lulc_final (after year_initial)")
        .range(1, 9999)
        .required();
    t.add_path(
         "classes", [](J& j) -> std::string& { return j.classes; },
         "class table CSV code,name[,esv_type]: every class listed (never inferred from the "
         "maps), codes 0-254")
        .required()
        .must_exist();
    t.add_path(
         "drivers", [](J& j) -> std::vector<std::string>& { return j.drivers; },
         "driver rasters (repeat the flag; a list in the project file), warped to the land-use "
         "grid in memory: bilinear, nearest for categorical_drivers")
        .must_exist();
    t.add(
        "driver_names", [](J& j) -> std::vector<std::string>& { return j.driver_names; },
        "a name per driver, in the order of drivers; default the file names without extension");
    t.add(
        "categorical_drivers",
        [](J& j) -> std::vector<std::string>& { return j.categorical_drivers; },
        "names of drivers holding categories (warped by nearest neighbour)");
    t.add_path(
         "restriction", [](J& j) -> std::string& { return j.restriction; },
         "restriction raster: 0 = may not change, 1 = may change (nodata = may not change)")
        .must_exist();
    t.add_path(
         "transitions", [](J& j) -> std::string& { return j.transitions; },
         "allowed transitions in long form from_class,to_class,allowed (0/1); pairs not listed "
         "are allowed; never a bare matrix (PLUS's orientation is ambiguous)")
        .must_exist();
    t.add_path(
         "pools", [](J& j) -> std::string& { return j.pools; },
         "the landuse stage's pool table (lucode, c_above, c_below, c_soil, c_dead in Mg C/ha) "
         "for the carbon of each scenario map")
        .must_exist();
    t.include(assess::ScenarioParams::options(),
              [](J& j) -> assess::ScenarioParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const ScenarioJob& job) {
  check_options(scenario_options(), job);
  check_encoding_option("scenario", job.encoding);
  job.params.validate_options();
  if (job.year_final <= job.year_initial)
    throw OptionError("scenario", "year_final",
                      std::to_string(job.year_final) +
                          " must be after year_initial = " + std::to_string(job.year_initial));
  if (job.drivers.empty())
    throw OptionError("scenario", "drivers", "required: at least one driver raster for LEAS");
  if (!job.driver_names.empty() && job.driver_names.size() != job.drivers.size())
    throw OptionError("scenario", "driver_names",
                      std::to_string(job.driver_names.size()) + " names for " +
                          std::to_string(job.drivers.size()) + " drivers; give one per driver");
  check_paths_exist(scenario_options(), job);
}

ScenarioJob scenario_job_from_toml(const toml::table& table, const TomlSource& source) {
  ScenarioJob job;
  read_toml_options(scenario_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

std::shared_ptr<LoadedScenario> load_scenario(const ScenarioJob& job) {
  validate(job);
  auto loaded = std::make_shared<LoadedScenario>();
  loaded->job = job;
  auto note = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  assess::ScenarioInputs& in = loaded->inputs;
  in.year_initial = static_cast<int>(job.year_initial);
  in.year_final = static_cast<int>(job.year_final);

  // Class table.
  const CsvText classes = read_csv_file(job.classes, {job.encoding});
  note(job.classes, "class table");
  const std::size_t c_code = need_column(classes, "code"), c_name = need_column(classes, "name");
  std::map<std::int64_t, std::size_t> index_of;
  for (std::size_t row = 0; row < classes.rows.size(); ++row) {
    const std::int64_t code = integer_cell(classes, row, c_code, "code");
    if (code < 0 || code > 254)
      throw DataError(where(classes, row, "code") + ": " + std::to_string(code) +
                      " is outside 0-254 (the simulated map is Byte with nodata 255)");
    if (!index_of.emplace(code, in.classes.size()).second)
      throw DataError(where(classes, row, "code") + ": class " + std::to_string(code) +
                      " is listed twice");
    in.classes.push_back({code, classes.rows[row][c_name]});
  }
  if (in.classes.size() < 2) throw DataError(job.classes + ": expected at least two classes");

  // Maps.
  const geo::WholeClassRaster t1 = geo::read_whole_class_raster(job.lulc_initial, "lulc_initial");
  const geo::WholeClassRaster t2 = geo::read_whole_class_raster(job.lulc_final, "lulc_final");
  note(job.lulc_initial, "land-use map T1");
  note(job.lulc_final, "land-use map T2");
  if (!t1.grid.same_as(t2.grid) || t1.grid.rows != t2.grid.rows || t1.grid.cols != t2.grid.cols)
    throw DataError("scenario: " + job.lulc_final + " (" + std::to_string(t2.grid.cols) + " x " +
                    std::to_string(t2.grid.rows) + " cells) is not on the grid of " +
                    job.lulc_initial + " (" + std::to_string(t1.grid.cols) + " x " +
                    std::to_string(t1.grid.rows) +
                    "); warp it with gdalwarp -te/-tr to the same extent and cell size");
  loaded->grid = t1.grid;
  loaded->crs_wkt = t1.crs_wkt;
  in.width = static_cast<std::size_t>(t1.grid.cols);
  in.height = static_cast<std::size_t>(t1.grid.rows);
  in.cell_area_ha = std::abs(t1.grid.dx * t1.grid.dy) / 1e4;
  const auto to_index = [&](const geo::WholeClassRaster& r, std::vector<std::int32_t>& out) {
    std::set<std::int64_t> unknown;
    out.resize(r.codes.size());
    for (std::size_t cell = 0; cell < r.codes.size(); ++cell) {
      if (!r.valid[cell]) {
        out[cell] = -1;
        continue;
      }
      auto it = index_of.find(r.codes[cell]);
      if (it == index_of.end()) {
        unknown.insert(r.codes[cell]);
        out[cell] = -1;
      } else {
        out[cell] = static_cast<std::int32_t>(it->second);
      }
    }
    if (!unknown.empty()) {
      std::string list;
      for (std::int64_t c : unknown)
        list += (list.empty() ? "" : ", ") + std::to_string(c);
      throw DataError("scenario: " + r.path + " has class codes missing from " + job.classes +
                      ": " + list + "; add them to the class table (or set them nodata)");
    }
  };
  to_index(t1, in.initial);
  to_index(t2, in.final_map);

  // Drivers.
  nlohmann::json driver_notes = nlohmann::json::array();
  const std::size_t n_cells = in.width * in.height;
  for (std::size_t j = 0; j < job.drivers.size(); ++j) {
    const std::string name = job.driver_names.empty()
                                 ? std::filesystem::path(job.drivers[j]).stem().string()
                                 : job.driver_names[j];
    const bool categorical =
        std::find(job.categorical_drivers.begin(), job.categorical_drivers.end(), name) !=
        job.categorical_drivers.end();
    bool warped = false;
    std::vector<double> layer =
        geo::read_layer_on_grid(job.drivers[j], "driver '" + name + "'", loaded->grid,
                                loaded->crs_wkt, categorical, warped);
    std::size_t missing = 0, valid = 0;
    for (std::size_t cell = 0; cell < n_cells; ++cell)
      if (in.initial[cell] >= 0 && in.final_map[cell] >= 0) {
        ++valid;
        missing += std::isnan(layer[cell]) ? 1 : 0;
      }
    if (valid > 0 && missing == valid)
      throw DataError("scenario: driver '" + name + "' (" + job.drivers[j] +
                      ") has no value on any valid land-use cell: it does not cover the maps' "
                      "extent");
    driver_notes.push_back({{"name", name},
                            {"path", job.drivers[j]},
                            {"resampling", warped ? (categorical ? "near" : "bilinear") : "none"},
                            {"cells_without_value", missing}});
    in.driver_names.push_back(name);
    in.drivers.push_back(std::move(layer));
    note(job.drivers[j], "driver " + name);
  }
  for (const std::string& name : job.categorical_drivers)
    if (std::find(in.driver_names.begin(), in.driver_names.end(), name) == in.driver_names.end())
      throw OptionError(
          "scenario", "categorical_drivers",
          "'" + name + "' is not a driver name; the names are " + join(in.driver_names, ", "));
  loaded->reading["drivers"] = driver_notes;

  // Restriction.
  if (!job.restriction.empty()) {
    bool warped = false;
    const std::vector<double> r = geo::read_layer_on_grid(
        job.restriction, "restriction", loaded->grid, loaded->crs_wkt, true, warped);
    in.restriction.resize(n_cells);
    std::size_t restricted = 0, nodata = 0;
    for (std::size_t cell = 0; cell < n_cells; ++cell) {
      if (std::isnan(r[cell])) {
        in.restriction[cell] = 0;
        ++nodata;
        continue;
      }
      if (r[cell] != 0 && r[cell] != 1)
        throw DataError("scenario: restriction " + job.restriction + " has value " +
                        format_plain(r[cell]) + " at row " + std::to_string(cell / in.width) +
                        ", column " + std::to_string(cell % in.width) +
                        "; expected 0 (may not change) or 1 (may change)");
      in.restriction[cell] = static_cast<std::uint8_t>(r[cell]);
      restricted += r[cell] == 0 ? 1 : 0;
    }
    loaded->reading["restriction"] = {
        {"path", job.restriction}, {"restricted_cells", restricted}, {"nodata_cells", nodata}};
    note(job.restriction, "restriction raster");
  }

  // Transitions.
  if (!job.transitions.empty()) {
    const CsvText tr = read_csv_file(job.transitions, {job.encoding});
    note(job.transitions, "transitions table");
    const std::size_t c_from = need_column(tr, "from_class"), c_to = need_column(tr, "to_class");
    const std::size_t c_allowed = need_column(tr, "allowed");
    const std::size_t n = in.classes.size();
    in.allowed.assign(n * n, 1);
    for (std::size_t row = 0; row < tr.rows.size(); ++row) {
      const std::int64_t from = integer_cell(tr, row, c_from, "from_class");
      const std::int64_t to = integer_cell(tr, row, c_to, "to_class");
      const std::int64_t allowed = integer_cell(tr, row, c_allowed, "allowed");
      for (auto [code, field] : {std::pair{from, "from_class"}, std::pair{to, "to_class"}})
        if (!index_of.count(code))
          throw DataError(where(tr, row, field) + ": class " + std::to_string(code) +
                          " is not in the class table " + job.classes);
      if (allowed != 0 && allowed != 1)
        throw DataError(where(tr, row, "allowed") + ": " + std::to_string(allowed) +
                        "; expected 0 or 1");
      in.allowed[index_of[from] * n + index_of[to]] = static_cast<std::uint8_t>(allowed);
    }
  }

  // Pools.
  if (!job.pools.empty()) {
    const carbon::LandusePoolTable pools =
        carbon::parse_landuse_pools(read_csv_file(job.pools, {job.encoding}));
    note(job.pools, "pool table");
    std::vector<double> density;
    std::string missing;
    for (const auto& c : in.classes) {
      const auto idx = pools.find(c.code);
      if (!idx) {
        missing += (missing.empty() ? "" : ", ") + std::to_string(c.code);
        density.push_back(0);
      } else {
        density.push_back(pools.total_tC_ha[*idx]);
      }
    }
    if (!missing.empty())
      throw DataError("scenario: the pool table " + job.pools + " has no row for class(es) " +
                      missing + " of " + job.classes + "; add a lucode row for each");
    in.carbon_tC_ha = density;
    in.carbon_source = job.pools;
  }
  return loaded;
}

PreparedStage scenario_stage(std::shared_ptr<const LoadedScenario> loaded) {
  PreparedStage stage{"scenario", "scenario/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::ScenarioResult result;
    const nlohmann::json summary = run_scenario_job(*loaded, out, context, &result);
    result.leas.probability.clear();  // the per-cell probabilities are not kept in memory
    results.scenario = std::move(result);
    return "scenario: results in " + out.folder() + " (" +
           std::to_string(summary["cars"]["iterations"].get<std::size_t>()) +
           " CARS iterations, converged: " + summary["cars"]["converged"].dump() + ")";
  };
  return stage;
}

nlohmann::json run_scenario_job(const LoadedScenario& loaded, StageOutput& out,
                                const RunContext& context, assess::ScenarioResult* keep) {
  const ScenarioJob& job = loaded.job;
  assess::ScenarioResult result = assess::run_scenario(job.params, loaded.inputs, context);
  result.summary["parameters"] = options_json(scenario_options(), job);
  result.summary["inputs"] = loaded.reading;

  // The simulated map: Byte, class codes, nodata 255.
  const std::string tif =
      "lulc_" + job.params.name + "_" + std::to_string(result.horizon_year) + ".tif";
  {
    report::RasterWriteOptions options;
    options.type = report::RasterType::uint8;
    options.nodata = kByteNodata;
    report::GeoTiffWriter writer(out.staged(tif).string(), loaded.grid, loaded.crs_wkt, options);
    const geo::BlockPlan& plan = writer.plan();
    for (std::size_t block = 0; block < plan.size(); ++block) {
      const geo::Window w = plan.window(block);
      std::vector<float> values(static_cast<std::size_t>(w.cells()));
      std::size_t idx = 0;
      for (std::int64_t r = w.row0; r < w.row0 + w.rows; ++r)
        for (std::int64_t c = w.col0; c < w.col0 + w.cols; ++c) {
          const std::int32_t k = result.cars.map[static_cast<std::size_t>(r) * loaded.inputs.width +
                                                 static_cast<std::size_t>(c)];
          values[idx++] =
              k < 0 ? static_cast<float>(kByteNodata)
                    : static_cast<float>(loaded.inputs.classes[static_cast<std::size_t>(k)].code);
        }
      writer.write(w, values.data());
    }
    writer.finish();
  }
  const assess::ScenarioTables tables = assess::to_tables(result);
  write_csv_tables(
      out,
      {&tables.demand, &tables.transition_counts, &tables.markov_p, &tables.leas_accuracy,
       &tables.driver_contribution, &tables.validation_confusion, &tables.validation_metrics,
       &tables.scenario_carbon},
      context.threads);
  record_warnings(result.summary, result.warnings, "scenario", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
