#include "minecarbon/pipeline/scenario_job.h"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "minecarbon/assess/scenario_tables.h"
#include "minecarbon/carbon/landuse_pools.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/categorical_raster.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/scenario_rasters.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/report/raster_writer.h"
#include "minecarbon/report/writers.h"

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
    t.add_path(
         "lulc_earlier", [](J& j) -> std::string& { return j.lulc_earlier; },
         "land-use map T0 before lulc_initial (same grid): out-of-sample validation (LEAS on "
         "T0 -> T1, CARS T1 -> T2 with T2's demand, compared with T2) and a third point for "
         "demand = linear")
        .must_exist();
    t.add(
         "year_earlier", [](J& j) -> std::int64_t& { return j.year_earlier; },
         "year of lulc_earlier (before year_initial)")
        .range(0, 9999);
    t.add_path(
         "demand_file", [](J& j) -> std::string& { return j.demand_file; },
         "demand = fixed: CSV class,cells or class,area_ha with one row per class of the class "
         "table; the demands must sum to the final map's valid area")
        .must_exist();
    t.add_path(
         "plan_allocation", [](J& j) -> std::string& { return j.plan_allocation; },
         "demand = plan:<point> run alone: the plan stage's pareto_allocation.csv (point, "
         "class, zone, area_ha); under run the plan stage's optimum is taken from memory")
        .must_exist();
    t.add_path(
         "markov_factors", [](J& j) -> std::string& { return j.markov_factors; },
         "scenario adjustment: CSV from_class,to_class,factor; P_ij *= factor, rows "
         "renormalised")
        .must_exist();
    t.add_path(
         "drivers_future", [](J& j) -> std::vector<std::string>& { return j.drivers_future; },
         "future driver rasters replacing the historical ones at prediction time, one per "
         "driver in the order of drivers (repeat a historical file to keep it)")
        .must_exist();
    t.add(
        "write_probability", [](J& j) -> bool& { return j.write_probability; },
        "write the LEAS development probability of each class as prob_<code>.tif (Float32)");
    t.include(optional_mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
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
  if (!job.lulc_earlier.empty() && !(job.year_earlier > 0 && job.year_earlier < job.year_initial))
    throw OptionError("scenario", "year_earlier",
                      std::to_string(job.year_earlier) +
                          ": give the year of lulc_earlier, before year_initial = " +
                          std::to_string(job.year_initial));
  if (!job.drivers_future.empty() && job.drivers_future.size() != job.drivers.size())
    throw OptionError("scenario", "drivers_future",
                      std::to_string(job.drivers_future.size()) + " future layers for " +
                          std::to_string(job.drivers.size()) +
                          " drivers; give one per driver, in the same order");
  const assess::DemandChoice demand = assess::parse_demand(job.params.demand);
  if (demand.method == assess::DemandMethod::fixed && job.demand_file.empty())
    throw OptionError("scenario", "demand_file",
                      "required with demand = \"fixed\" (CSV class,cells or class,area_ha)");
  if (demand.method != assess::DemandMethod::fixed && !job.demand_file.empty())
    throw OptionError(
        "scenario", "demand_file",
        "given but demand = \"" + job.params.demand + "\"; set demand = \"fixed\" to use it");
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

std::shared_ptr<LoadedScenario> load_scenario(const ScenarioJob& job, MineSets* mine_sets) {
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
  if (!job.lulc_earlier.empty()) {
    const geo::WholeClassRaster t0 = geo::read_whole_class_raster(job.lulc_earlier, "lulc_earlier");
    note(job.lulc_earlier, "land-use map T0");
    if (!t0.grid.same_as(t1.grid) || t0.grid.rows != t1.grid.rows || t0.grid.cols != t1.grid.cols)
      throw DataError("scenario: " + job.lulc_earlier + " (" + std::to_string(t0.grid.cols) +
                      " x " + std::to_string(t0.grid.rows) + " cells) is not on the grid of " +
                      job.lulc_initial +
                      "; warp it with gdalwarp -te/-tr to the same extent and cell size");
    to_index(t0, in.earlier);
    in.year_earlier = static_cast<int>(job.year_earlier);
  }

  // True cell areas: latitude bands on a geographic grid, the geodesic lattice on a projected
  // one (geo/cell_area.h, geo/categorical_raster.h), the same rules as the landuse stage.
  {
    OGRSpatialReference srs;
    srs.SetFromUserInput(loaded->crs_wkt.c_str());
    const geo::Grid& grid = loaded->grid;
    in.cell_area_m2.resize(in.width * in.height);
    if (srs.IsGeographic()) {
      const std::vector<double> rows = geo::cell_area_by_row_m2(grid, true);
      for (std::size_t r = 0; r < in.height; ++r)
        std::fill_n(in.cell_area_m2.begin() + static_cast<std::ptrdiff_t>(r * in.width), in.width,
                    rows[r]);
      in.cell_area_method = "true: ellipsoidal latitude band per row (WGS84)";
    } else {
      const geo::ProjectedCellAreaLattice lattice(loaded->crs_wkt, grid);
      const geo::Window all{0, 0, grid.rows, grid.cols};
      if (lattice.exact()) {
        geo::ProjectedCellAreas exact(loaded->crs_wkt);
        exact.areas_m2(grid, all, in.cell_area_m2);
        in.cell_area_method = "true: geodesic area of each cell (exact rule)";
      } else {
        lattice.areas_m2(all, in.cell_area_m2.data());
        in.cell_area_method = "true: geodesic cell areas on a lattice of " +
                              std::to_string(lattice.step_cells()) +
                              " cells, cubic interpolation (bound " +
                              format_plain(lattice.error_bound_rel()) + " relative)";
      }
    }
  }

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

  // Fixed demand.
  if (!job.demand_file.empty()) {
    const CsvText d = read_csv_file(job.demand_file, {job.encoding});
    note(job.demand_file, "fixed demand");
    const std::size_t c_class = need_column(d, "class");
    const bool ha = d.has_column("area_ha");
    if (!ha && !d.has_column("cells"))
      throw DataError(job.demand_file +
                      ": no column 'cells' or 'area_ha'; the columns are: " + join(d.header, ", "));
    const std::size_t c_value = d.column(ha ? "area_ha" : "cells");
    std::vector<double> values(in.classes.size(), std::nan(""));
    for (std::size_t row = 0; row < d.rows.size(); ++row) {
      const std::int64_t code = integer_cell(d, row, c_class, "class");
      const auto it = index_of.find(code);
      if (it == index_of.end())
        throw DataError(where(d, row, "class") + ": class " + std::to_string(code) +
                        " is not in the class table " + job.classes);
      const double v = d.number(row, c_value);
      if (!(std::isfinite(v) && v >= 0))
        throw DataError(where(d, row, ha ? "area_ha" : "cells") + ": '" + d.rows[row][c_value] +
                        "'; expected a number >= 0");
      if (!std::isnan(values[it->second]))
        throw DataError(where(d, row, "class") + ": class " + std::to_string(code) +
                        " is listed twice");
      values[it->second] = v;
    }
    std::string missing;
    for (std::size_t k = 0; k < values.size(); ++k)
      if (std::isnan(values[k]))
        missing += (missing.empty() ? "" : ", ") + std::to_string(in.classes[k].code);
    if (!missing.empty())
      throw DataError(job.demand_file + ": no demand for class(es) " + missing +
                      "; give one row per class of " + job.classes + " (0 for none)");
    in.fixed_demand = values;
    in.fixed_in_ha = ha;
    in.fixed_source = job.demand_file;
  }

  // plan:<point> from the plan stage's pareto_allocation.csv.
  const assess::DemandChoice demand = assess::parse_demand(job.params.demand);
  if (demand.method == assess::DemandMethod::plan && !job.plan_allocation.empty()) {
    const CsvText a = read_csv_file(job.plan_allocation, {job.encoding});
    note(job.plan_allocation, "plan allocation");
    const std::size_t c_point = need_column(a, "point"), c_class = need_column(a, "class");
    const std::size_t c_area = need_column(a, "area_ha");
    std::vector<double> area(in.classes.size(), 0.0);
    std::set<std::string> points;
    bool found = false;
    for (std::size_t row = 0; row < a.rows.size(); ++row) {
      points.insert(a.rows[row][c_point]);
      if (a.rows[row][c_point] != demand.plan_point) continue;
      found = true;
      const std::string& cls = a.rows[row][c_class];
      std::size_t k = in.classes.size();
      for (std::size_t idx = 0; idx < in.classes.size(); ++idx)
        if (in.classes[idx].name == cls || std::to_string(in.classes[idx].code) == cls) k = idx;
      if (k == in.classes.size())
        throw DataError(where(a, row, "class") + ": plan class '" + cls +
                        "' is neither a name nor a code of the class table " + job.classes);
      const double v = a.number(row, c_area);
      if (!(std::isfinite(v) && v >= 0))
        throw DataError(where(a, row, "area_ha") + ": '" + a.rows[row][c_area] +
                        "'; expected a number >= 0");
      area[k] += v;
    }
    if (!found)
      throw ConfigError("scenario: demand = \"" + job.params.demand + "\": no point '" +
                        demand.plan_point + "' in " + job.plan_allocation + "; the points are " +
                        join(std::vector<std::string>(points.begin(), points.end()), ", "));
    in.plan_area_ha = area;
    in.plan_source = job.plan_allocation;
  }

  // Markov factors.
  if (!job.markov_factors.empty()) {
    const CsvText f = read_csv_file(job.markov_factors, {job.encoding});
    note(job.markov_factors, "Markov factors");
    const std::size_t c_from = need_column(f, "from_class"), c_to = need_column(f, "to_class");
    const std::size_t c_factor = need_column(f, "factor");
    for (std::size_t row = 0; row < f.rows.size(); ++row) {
      const std::int64_t from = integer_cell(f, row, c_from, "from_class");
      const std::int64_t to = integer_cell(f, row, c_to, "to_class");
      for (auto [code, field] : {std::pair{from, "from_class"}, std::pair{to, "to_class"}})
        if (!index_of.count(code))
          throw DataError(where(f, row, field) + ": class " + std::to_string(code) +
                          " is not in the class table " + job.classes);
      const double factor = f.number(row, c_factor);
      if (!(std::isfinite(factor) && factor >= 0))
        throw DataError(where(f, row, "factor") + ": '" + f.rows[row][c_factor] +
                        "'; expected a number >= 0");
      in.markov_factors.push_back({index_of[from], index_of[to], factor});
    }
    in.markov_factors_source = job.markov_factors;
  }

  // Future drivers, on the grid like the historical ones.
  for (std::size_t j = 0; j < job.drivers_future.size(); ++j) {
    const std::string& name = in.driver_names[j];
    const bool categorical =
        std::find(job.categorical_drivers.begin(), job.categorical_drivers.end(), name) !=
        job.categorical_drivers.end();
    bool warped = false;
    in.drivers_future.push_back(
        geo::read_layer_on_grid(job.drivers_future[j], "future driver '" + name + "'", loaded->grid,
                                loaded->crs_wkt, categorical, warped));
    note(job.drivers_future[j], "future driver " + name);
  }

  // Mines: exact coverage on the land-use grid, straight from the layer's CRS.
  if (!job.mine_source.mines.empty()) {
    const std::shared_ptr<const geo::PolygonLayer> layer =
        (mine_sets ? mine_sets->get(job.mine_source)
                   : std::make_shared<const MineSet>(job.mine_source))
            ->layer();
    note(job.mine_source.mines, "mines");
    loaded->mines = layer;
    const geo::CrsTransform to_grid(layer->crs_wkt, loaded->crs_wkt);
    std::size_t outside = 0;
    for (const auto& feature : layer->features) {
      assess::ScenarioMine mine;
      mine.id = feature.id;
      mine.coverage =
          geo::compute_coverage(to_grid.apply(feature.shape, "mine " + feature.id), loaded->grid);
      outside += mine.coverage.frac.empty() ? 1 : 0;
      in.mines.push_back(std::move(mine));
    }
    loaded->reading["mines"] = {{"path", job.mine_source.mines},
                                {"count", layer->features.size()},
                                {"outside_grid", outside}};
  }
  return loaded;
}

std::vector<double> plan_point_areas(const assess::PlanResult& plan, const std::string& point,
                                     const std::vector<assess::ScenarioClass>& classes) {
  if (!plan.optimum || !plan.land_use)
    throw ConfigError("scenario: demand = \"plan:" + point +
                      "\" but the plan stage ran without [plan.optimise]; add it, or give "
                      "plan_allocation");
  const plan::LandUseModel& m = *plan.land_use;
  std::vector<const plan::LandUsePoint*> points;
  for (const auto& p : plan.optimum->payoff.rows)
    points.push_back(&p);
  for (const auto& p : plan.optimum->front.points)
    points.push_back(&p);
  points.push_back(&plan.optimum->weighted);
  points.push_back(&plan.optimum->fuzzy);
  std::vector<std::string> labels;
  for (const plan::LandUsePoint* p : points) {
    labels.push_back(p->label);
    if (p->label != point) continue;
    std::vector<double> area(classes.size(), 0.0);
    for (std::size_t j = 0; j < m.classes.size(); ++j) {
      std::size_t k = classes.size();
      for (std::size_t idx = 0; idx < classes.size(); ++idx)
        if (classes[idx].name == m.classes[j] || std::to_string(classes[idx].code) == m.classes[j])
          k = idx;
      double total = 0;
      for (std::size_t z = 0; z < m.zones.size(); ++z)
        total += p->area_ha[j * m.zones.size() + z];
      if (k == classes.size()) {
        if (total > 0)
          throw ConfigError("scenario: the plan class '" + m.classes[j] +
                            "' is neither a name nor a code of the scenario's class table");
        continue;
      }
      area[k] += total;
    }
    return area;
  }
  throw ConfigError("scenario: demand = \"plan:" + point +
                    "\": the plan's optimum has no such "
                    "point; the points are " +
                    join(labels, ", "));
}

PreparedStage scenario_stage(std::shared_ptr<const LoadedScenario> loaded) {
  PreparedStage stage{"scenario", "scenario/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::ScenarioResult result;
    const nlohmann::json summary =
        run_scenario_job(*loaded, out, context, &result, results.plan ? &*results.plan : nullptr);
    result.leas.probability.clear();  // the per-cell probabilities are not kept in memory
    results.scenario = std::move(result);
    return "scenario: results in " + out.folder() + " (" +
           std::to_string(summary["cars"]["iterations"].get<std::size_t>()) +
           " CARS iterations, converged: " + summary["cars"]["converged"].dump() + ")";
  };
  return stage;
}

nlohmann::json run_scenario_job(const LoadedScenario& loaded, StageOutput& out,
                                const RunContext& context, assess::ScenarioResult* keep,
                                const assess::PlanResult* plan) {
  const ScenarioJob& job = loaded.job;
  const assess::DemandChoice demand = assess::parse_demand(job.params.demand);
  assess::ScenarioResult result;
  if (demand.method == assess::DemandMethod::plan && !loaded.inputs.plan_area_ha && plan) {
    // The plan stage's optimum from memory (run): a copy of the inputs with its areas.
    assess::ScenarioInputs inputs = loaded.inputs;
    inputs.plan_area_ha = plan_point_areas(*plan, demand.plan_point, inputs.classes);
    inputs.plan_source = "the plan stage (in memory)";
    result = assess::run_scenario(job.params, inputs, context);
  } else {
    result = assess::run_scenario(job.params, loaded.inputs, context);
  }
  result.summary["stage"] = "scenario";
  result.summary["parameters"] = options_json(scenario_options(), job);
  result.summary["inputs"] = loaded.reading;

  const auto write_map = [&](const std::string& name, report::RasterType type, double nodata,
                             const auto& value_of) {
    report::RasterWriteOptions options;
    options.type = type;
    options.nodata = nodata;
    report::GeoTiffWriter writer(out.staged(name).string(), loaded.grid, loaded.crs_wkt, options);
    const geo::BlockPlan& blocks = writer.plan();
    for (std::size_t block = 0; block < blocks.size(); ++block) {
      const geo::Window w = blocks.window(block);
      std::vector<float> values(static_cast<std::size_t>(w.cells()));
      std::size_t idx = 0;
      for (std::int64_t r = w.row0; r < w.row0 + w.rows; ++r)
        for (std::int64_t c = w.col0; c < w.col0 + w.cols; ++c)
          values[idx++] = value_of(static_cast<std::size_t>(r) * loaded.inputs.width +
                                   static_cast<std::size_t>(c));
      writer.write(w, values.data());
    }
    writer.finish();
  };
  // The simulated map: Byte, class codes, nodata 255.
  write_map(
      "lulc_" + job.params.name + "_" + std::to_string(result.horizon_year) + ".tif",
      report::RasterType::uint8, kByteNodata, [&](std::size_t cell) {
        const std::int32_t k = result.cars.map[cell];
        return k < 0 ? static_cast<float>(kByteNodata)
                     : static_cast<float>(loaded.inputs.classes[static_cast<std::size_t>(k)].code);
      });
  if (job.write_probability) {
    const std::size_t n_cells = loaded.inputs.width * loaded.inputs.height;
    nlohmann::json written = nlohmann::json::array();
    for (std::size_t k = 0; k < loaded.inputs.classes.size(); ++k) {
      if (!result.leas.classes[k].fitted) continue;
      const std::string name = "prob_" + std::to_string(loaded.inputs.classes[k].code) + ".tif";
      write_map(name, report::RasterType::float32, std::numeric_limits<double>::quiet_NaN(),
                [&](std::size_t cell) { return result.leas.probability[k * n_cells + cell]; });
      written.push_back(name);
    }
    result.summary["probability_maps"] = written;
  }
  const assess::ScenarioTables tables = assess::to_tables(result);
  const std::vector<const Table*> all = tables.all();
  write_csv_tables(out, all, context.threads);
  // results.gpkg: the tables above, with the mines (their observed and simulated carbon) as the
  // geometry layer, or the grid's extent when no mines were given.
  {
    std::vector<geo::MultiPolygon> shapes;
    Table extent("scenario_extent");
    const Table* layer_table = &tables.mines;
    std::string crs = loaded.crs_wkt;
    if (loaded.mines) {
      for (const auto& feature : loaded.mines->features)
        shapes.push_back(feature.shape);
      crs = loaded.mines->crs_wkt;
    } else {
      const geo::Grid& g = loaded.grid;
      const double x0 = g.x_min, x1 = g.x_max(), y1 = g.y_max,
                   y0 = g.y_max - g.dy * static_cast<double>(g.rows);
      geo::Polygon box;
      box.exterior = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
      shapes.push_back({box});
      extent.add("width", std::vector<std::int64_t>{static_cast<std::int64_t>(g.cols)});
      extent.add("height", std::vector<std::int64_t>{static_cast<std::int64_t>(g.rows)});
      extent.add("scenario", std::vector<std::string>{job.params.name});
      extent.add("horizon_year",
                 std::vector<std::int64_t>{static_cast<std::int64_t>(result.horizon_year)});
      layer_table = &extent;
    }
    report::write_geopackage(out.staged("results.gpkg").string(),
                             report::GeometryLayer{layer_table, &shapes, crs}, all);
  }
  record_warnings(result.summary, result.warnings, "scenario", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

PreparedStage scenario_validate_stage(const ScenarioValidateJob& job) {
  auto maps = std::make_shared<std::vector<geo::WholeClassRaster>>();
  maps->push_back(geo::read_whole_class_raster(job.initial, "--initial"));
  maps->push_back(geo::read_whole_class_raster(job.observed, "--observed"));
  maps->push_back(geo::read_whole_class_raster(job.simulated, "--simulated"));
  for (std::size_t m = 1; m < 3; ++m) {
    const geo::WholeClassRaster& a = (*maps)[0];
    const geo::WholeClassRaster& b = (*maps)[m];
    if (!a.grid.same_as(b.grid) || a.grid.rows != b.grid.rows || a.grid.cols != b.grid.cols)
      throw DataError("scenario validate: " + b.path + " (" + std::to_string(b.grid.cols) + " x " +
                      std::to_string(b.grid.rows) + " cells) is not on the grid of " + a.path +
                      " (" + std::to_string(a.grid.cols) + " x " + std::to_string(a.grid.rows) +
                      "); the three maps must share one grid");
  }
  auto classes = std::make_shared<std::vector<assess::ScenarioClass>>();
  std::map<std::int64_t, std::size_t> index_of;
  std::vector<std::string> files = {job.initial, job.observed, job.simulated};
  std::vector<std::string> kinds = {"initial map", "observed map", "simulated map"};
  if (!job.classes.empty()) {
    const CsvText table = read_csv_file(job.classes, {job.encoding});
    const std::size_t c_code = need_column(table, "code");
    const std::size_t c_name = need_column(table, "name");
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
      const std::int64_t code = integer_cell(table, row, c_code, "code");
      if (!index_of.emplace(code, classes->size()).second)
        throw DataError(where(table, row, "code") + ": class " + std::to_string(code) +
                        " is listed twice");
      classes->push_back({code, table.rows[row][c_name]});
    }
    files.push_back(job.classes);
    kinds.push_back("class table");
  } else {
    std::set<std::int64_t> codes;
    for (const auto& m : *maps)
      for (std::size_t cell = 0; cell < m.codes.size(); ++cell)
        if (m.valid[cell]) codes.insert(m.codes[cell]);
    for (std::int64_t code : codes) {
      index_of.emplace(code, classes->size());
      classes->push_back({code, std::to_string(code)});
    }
  }
  auto indices = std::make_shared<std::vector<std::vector<std::int32_t>>>(3);
  for (std::size_t m = 0; m < 3; ++m) {
    const geo::WholeClassRaster& r = (*maps)[m];
    std::set<std::int64_t> unknown;
    auto& out = (*indices)[m];
    out.resize(r.codes.size());
    for (std::size_t cell = 0; cell < r.codes.size(); ++cell) {
      out[cell] = -1;
      if (!r.valid[cell]) continue;
      const auto it = index_of.find(r.codes[cell]);
      if (it == index_of.end())
        unknown.insert(r.codes[cell]);
      else
        out[cell] = static_cast<std::int32_t>(it->second);
    }
    if (!unknown.empty()) {
      std::string list;
      for (std::int64_t c : unknown)
        list += (list.empty() ? "" : ", ") + std::to_string(c);
      throw DataError("scenario validate: " + r.path + " has class codes missing from " +
                      job.classes + ": " + list + "; add them to the class table");
    }
  }
  maps->clear();
  PreparedStage stage{"scenario validate", "", files, kinds, nullptr};
  stage.run = [job, classes, indices](StageResults&, StageOutput& out, const RunContext& context) {
    assess::ScenarioResult r;
    r.classes = *classes;
    r.validation_kind = "maps";
    const std::vector<std::int32_t>& initial = (*indices)[0];
    const std::vector<std::int32_t>& observed = (*indices)[1];
    const std::vector<std::int32_t>& simulated = (*indices)[2];
    r.confusion = assess::scenario::confusion_matrix(simulated, observed, initial, classes->size());
    r.agreement = assess::scenario::agreement(*r.confusion);
    r.fom = assess::scenario::figure_of_merit(initial, observed, simulated);
    const assess::ScenarioTables tables = assess::to_tables(r);
    write_csv_tables(out, {&tables.validation_confusion, &tables.validation_metrics},
                     context.threads);
    nlohmann::json summary;
    summary["maps"] = {
        {"initial", job.initial}, {"observed", job.observed}, {"simulated", job.simulated}};
    summary["classes"] = job.classes.empty() ? "codes found in the maps" : job.classes;
    summary["validation"] = {{"kind", "maps"},
                             {"overall_accuracy", r.agreement->overall_accuracy},
                             {"kappa", r.agreement->kappa},
                             {"fom", r.fom->fom},
                             {"fom_producers_accuracy", r.fom->producers_accuracy},
                             {"fom_users_accuracy", r.fom->users_accuracy},
                             {"a_misses", r.fom->misses_a},
                             {"b_hits", r.fom->hits_b},
                             {"c_wrong_category", r.fom->wrong_category_c},
                             {"d_false_alarms", r.fom->false_alarms_d},
                             {"cells", r.agreement->n_cells},
                             {"excluded_cells", r.confusion->excluded_cells}};
    write_summary(out, summary, context);
    return "scenario validate: OA " + format_plain(r.agreement->overall_accuracy) + ", Kappa " +
           format_plain(r.agreement->kappa) + ", FoM " + format_plain(r.fom->fom) + " (" +
           out.folder() + ")";
  };
  return stage;
}

}  // namespace minecarbon::pipeline
