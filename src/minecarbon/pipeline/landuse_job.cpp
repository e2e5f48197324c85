#include "minecarbon/pipeline/landuse_job.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "minecarbon/assess/landuse/landuse_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/categorical_raster.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/report/raster_writer.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {
namespace {

int parse_year(const std::string& text) {
  std::size_t used = 0;
  int year = 0;
  try {
    year = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) throw std::invalid_argument("'" + text + "' is not a year");
  return year;
}

}  // namespace

const OptionTable<LanduseJob>& landuse_options() {
  static const OptionTable<LanduseJob> table = [] {
    using J = LanduseJob;
    OptionTable<J> t("landuse");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.add(
        "lulc", [](J& j) -> std::vector<std::string>& { return j.lulc; },
        "a land-use map per date as YEAR=path (repeat the flag; in the project file a list, "
        "e.g. [\"2000=lulc_2000.tif\", \"2020=lulc_2020.tif\"]); any GDAL format, integer codes");
    t.add_path(
        "lulc_pattern", [](J& j) -> std::string& { return j.lulc_pattern; },
        "instead of lulc: a path with {year}, e.g. 'lulc/lulc_{year}.tif', with years");
    t.add(
         "years", [](J& j) -> std::vector<std::size_t>& { return j.years; },
         "the years of lulc_pattern, increasing, e.g. [2000, 2010, 2020]")
        .range(1, 9999);
    t.add_path(
         "pools", [](J& j) -> std::string& { return j.pools; },
         "pool table CSV: lucode, c_above, c_below, c_soil, c_dead (Mg C/ha), optional name, "
         "<pool>_sd or <pool>_min/<pool>_max")
        .required()
        .must_exist();
    t.add(
         "align", [](J& j) -> std::string& { return j.align; },
         "maps on other grids: none = refuse them (exit 3), nearest = warp them to the first "
         "map's grid by nearest neighbour")
        .choices({"none", "nearest"});
    t.include(optional_mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
    t.include(assess::LanduseParams::options(),
              [](J& j) -> assess::LanduseParams& { return j.params; });
    return t;
  }();
  return table;
}

std::vector<LulcDate> lulc_dates(const LanduseJob& job) {
  std::vector<LulcDate> dates;
  if (!job.lulc.empty() && !job.lulc_pattern.empty())
    throw OptionError("landuse", "lulc_pattern", "give lulc (YEAR=path) or lulc_pattern, not both");
  if (!job.lulc.empty()) {
    if (!job.years.empty())
      throw OptionError("landuse", "years",
                        "goes with lulc_pattern; lulc entries carry their year");
    for (const std::string& entry : job.lulc) {
      const std::size_t eq = entry.find('=');
      if (eq == std::string::npos || eq + 1 >= entry.size())
        throw OptionError("landuse", "lulc",
                          "'" + entry + "': expected YEAR=path, e.g. 2000=lulc_2000.tif");
      try {
        dates.push_back({parse_year(entry.substr(0, eq)), entry.substr(eq + 1)});
      } catch (const std::invalid_argument& e) {
        throw OptionError("landuse", "lulc",
                          "'" + entry + "': " + e.what() + "; expected YEAR=path");
      }
    }
  } else if (!job.lulc_pattern.empty()) {
    if (job.lulc_pattern.find("{year}") == std::string::npos)
      throw OptionError("landuse", "lulc_pattern",
                        "'" + job.lulc_pattern + "' has no {year}; e.g. lulc/lulc_{year}.tif");
    for (std::size_t year : job.years) {
      std::string path = job.lulc_pattern;
      for (std::size_t at = path.find("{year}"); at != std::string::npos; at = path.find("{year}"))
        path.replace(at, 6, std::to_string(year));
      dates.push_back({static_cast<int>(year), path});
    }
  }
  if (dates.size() < 2)
    throw OptionError(
        "landuse", job.lulc_pattern.empty() ? "lulc" : "years",
        "needs land-use maps at two or more dates (got " + std::to_string(dates.size()) + ")");
  for (std::size_t d = 1; d < dates.size(); ++d)
    if (dates[d].year <= dates[d - 1].year)
      throw OptionError("landuse", job.lulc_pattern.empty() ? "lulc" : "years",
                        "dates must increase strictly: " + std::to_string(dates[d - 1].year) +
                            " then " + std::to_string(dates[d].year) +
                            (dates[d].year == dates[d - 1].year ? " (given twice)" : "") +
                            "; give each date once, in increasing order");
  return dates;
}

void validate(const LanduseJob& job) {
  check_options(landuse_options(), job);
  check_encoding_option("landuse", job.encoding);
  const std::vector<LulcDate> dates = lulc_dates(job);
  job.params.validate();
  check_paths_exist(landuse_options(), job);
  for (const LulcDate& date : dates) {
    std::error_code ec;
    if (date.path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(date.path, ec))
      throw DataError("landuse: lulc: the map of " + std::to_string(date.year) + ", " + date.path +
                      ", does not exist; check the path");
  }
}

LanduseJob landuse_job_from_toml(const toml::table& table, const TomlSource& source) {
  LanduseJob job;
  read_toml_options(landuse_options(), table, source, job);
  // YEAR=path entries: the path part is relative to the project file's folder.
  for (std::string& entry : job.lulc) {
    const std::size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    const std::filesystem::path path(entry.substr(eq + 1));
    if (path.is_relative() && entry.compare(eq + 1, 4, "/vsi") != 0)
      entry = entry.substr(0, eq + 1) + (source.base_dir / path).lexically_normal().string();
  }
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

std::shared_ptr<LoadedLanduse> load_landuse(const LanduseJob& job, MineSets* mine_sets) {
  validate(job);
  auto loaded = std::make_shared<LoadedLanduse>();
  loaded->job = job;
  assess::LanduseInputs& inputs = loaded->inputs;
  const std::vector<LulcDate> dates = lulc_dates(job);
  std::vector<geo::CategoricalRasterInfo> infos;
  for (const LulcDate& date : dates) {
    infos.push_back(geo::inspect_categorical_raster(
        date.path, "landuse: LULC map of " + std::to_string(date.year)));
    loaded->files.push_back(date.path);
    loaded->kinds.push_back("LULC map " + std::to_string(date.year));
  }
  loaded->align = nlohmann::json::object();
  loaded->align["method"] = job.align;
  loaded->align["warped"] = nlohmann::json::array();
  static std::atomic<int> vrt_counter{0};
  for (std::size_t d = 0; d < dates.size(); ++d) {
    assess::LanduseMap map{dates[d].year, dates[d].path, dates[d].path};
    if (d > 0 && job.align == "nearest") {
      // Warped only when the grid or CRS differs; the pixels are warped while read.
      bool differs = !infos[d].grid.same_as(infos[0].grid);
      if (!differs) {
        try {
          const geo::AlignedRasters pair(
              {{dates[0].path, 1, "", {}, {}, false}, {dates[d].path, 1, "", {}, {}, false}});
        } catch (const DataError&) {
          differs = true;  // another CRS
        }
      }
      if (differs) {
        map.path = "/vsimem/minecarbon_landuse_" + std::to_string(::getpid()) + "_" +
                   std::to_string(vrt_counter++) + ".vrt";
        geo::warp_nearest_vrt(dates[d].path, infos[0].grid, infos[0].crs_wkt, map.path);
        loaded->align["warped"].push_back({{"year", dates[d].year},
                                           {"file", dates[d].path},
                                           {"from_grid", infos[d].grid.describe()},
                                           {"to_grid", infos[0].grid.describe()}});
      }
    } else if (d > 0 && !infos[d].grid.same_as(infos[0].grid)) {
      const std::string why = infos[d].grid.incompatibility(infos[0].grid);
      throw DataError("landuse: the LULC maps are on different grids: " + dates[0].path + " (" +
                      std::to_string(dates[0].year) + "): " + infos[0].grid.describe() + "; " +
                      dates[d].path + " (" + std::to_string(dates[d].year) +
                      "): " + infos[d].grid.describe() + (why.empty() ? "" : " (" + why + ")") +
                      ". Warp them to one grid (gdalwarp -tr/-te -tap), or set align = "
                      "\"nearest\" to warp later maps to the first map's grid");
    }
    inputs.maps.push_back(map);
  }
  // One grid and CRS for all (the maps as read, after any warp): messages name both files.
  {
    std::vector<geo::RasterLayerSpec> specs;
    for (const auto& map : inputs.maps)
      specs.push_back({map.path, 1, "", {}, {}, false});
    const geo::AlignedRasters check(specs);
  }
  inputs.pools = carbon::parse_landuse_pools(read_csv_file(job.pools, {job.encoding}));
  loaded->files.push_back(job.pools);
  loaded->kinds.push_back("pool table");
  if (!job.mine_source.mines.empty()) {
    const MineSource& source = job.mine_source;
    inputs.mines =
        (mine_sets ? mine_sets->get(source) : std::make_shared<const MineSet>(source))->layer();
    loaded->files.push_back(source.mines);
    loaded->kinds.push_back("mines");
  }
  return loaded;
}

PreparedStage landuse_stage(std::shared_ptr<const LoadedLanduse> loaded) {
  PreparedStage stage{"landuse", "landuse/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::LanduseResult result;
    run_landuse_job(*loaded, out, context, &result);
    std::string line = "landuse: results in " + out.folder();
    if (!result.pair_totals.empty())
      line += " (" + std::to_string(result.pair_totals.back().pair.year_from) + "-" +
              std::to_string(result.pair_totals.back().pair.year_to) + ": " +
              format_plain(result.pair_totals.back().change_tC) + " t C)";
    results.landuse = std::move(result);
    return line;
  };
  return stage;
}

nlohmann::json run_landuse_job(const LoadedLanduse& loaded, StageOutput& out,
                               const RunContext& context, assess::LanduseResult* keep) {
  assess::LanduseInputs inputs = loaded.inputs;
  // GeoTIFF writers behind the stage's raster output: one file per stem, tiles of 256².
  std::vector<std::unique_ptr<report::GeoTiffWriter>> writers;
  if (loaded.job.params.write_rasters) {
    assess::LanduseRasterOutput sink;
    sink.open = [&](const geo::Grid& grid, const std::string& crs,
                    const std::vector<std::string>& stems) {
      report::RasterWriteOptions options;
      options.type = report::RasterType::float32;
      options.nodata = std::numeric_limits<double>::quiet_NaN();
      for (const std::string& stem : stems)
        writers.push_back(std::make_unique<report::GeoTiffWriter>(
            out.staged(stem + ".tif").string(), grid, crs, options));
      return writers.front()->plan();
    };
    sink.write_block = [&](std::size_t block_id, const std::vector<std::vector<float>>& values) {
      for (std::size_t idx = 0; idx < writers.size(); ++idx)
        writers[idx]->write_block(block_id, {values[idx]});
    };
    sink.finish = [&] {
      for (auto& writer : writers)
        writer->finish();
    };
    inputs.rasters = std::move(sink);
  }
  assess::LanduseResult result = assess::run_landuse(loaded.job.params, inputs, context);
  result.summary["parameters"] = options_json(landuse_options(), loaded.job);
  result.summary["parameters"]["seed"] = context.seed;
  result.summary["align"] = loaded.align;

  const assess::LanduseResultTables tables = assess::to_tables(result);
  write_csv_tables(out, tables.all(), context.threads);
  if (tables.has_mines) {
    std::vector<geo::MultiPolygon> shapes;
    for (std::size_t feature : tables.mine_feature)
      shapes.push_back(inputs.mines->features[feature].shape);
    std::vector<const Table*> gpkg_tables = {&tables.date_totals, &tables.pair_totals,
                                             &tables.class_area,  &tables.transitions,
                                             &tables.mine_stock,  &tables.mine_class_area,
                                             &tables.mine_change, &tables.mine_transitions};
    if (tables.has_uncertainty) gpkg_tables.push_back(&tables.uncertainty);
    report::write_geopackage(out.staged("landuse.gpkg").string(),
                             report::GeometryLayer{&tables.mines, &shapes, inputs.mines->crs_wkt},
                             gpkg_tables);
  }
  record_warnings(result.summary, result.warnings, "landuse", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
