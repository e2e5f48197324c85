#include "minecarbon/pipeline/indices_job.h"

#include <gdal_priv.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/pipeline/stage_results.h"
#include "minecarbon/report/raster_writer_queue.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {
namespace fs = std::filesystem;

const OptionTable<IndicesJob>& indices_options() {
  static const OptionTable<IndicesJob> table = [] {
    using J = IndicesJob;
    OptionTable<J> t("indices");
    t.add_path(
         "scene", [](J& j) -> std::string& { return j.scene; },
         "the scene: a multi-band raster (bands by number), or one file per band with {band} "
         "in the name; {year} for a series over `years`")
        .required();
    t.add_custom(
        "years", [](J& j) -> assess::Period& { return j.years; }, assess::period_codec(),
        "years of a series (the scene pattern has {year}), e.g. \"2013-2020\"");
    t.add_path(
        "mtl", [](J& j) -> std::string& { return j.mtl; },
        "the scene's Landsat MTL metadata file for scaling = landsat_l1_toa ({year} allowed)");
    t.add_path(
         "mask", [](J& j) -> std::string& { return j.mask; },
         "mask raster: cells 0 or nodata are left out (warped onto the scene's grid with near)")
        .must_exist();
    t.include(assess::IndicesParams::options(),
              [](J& j) -> assess::IndicesParams& { return j.params; });
    t.include(optional_mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
    t.add(
         "ring_outer_m", [](J& j) -> double& { return j.ring.outer_m; },
         "with mines: reference ring within this distance of each mine (0 = no rings)")
        .unit("m")
        .at_least(0);
    t.add(
         "ring_gap_m", [](J& j) -> double& { return j.ring.gap_m; },
         "with mines: reference ring farther than this from every mine; < ring_outer_m")
        .unit("m")
        .at_least(0);
    return t;
  }();
  return table;
}

void validate(const IndicesJob& job) {
  check_options(indices_options(), job);
  const bool series = job.scene.find("{year}") != std::string::npos;
  if (series && job.years.label.empty())
    throw OptionError("indices", "years", "required: the scene pattern has {year}");
  if (!series && !job.years.label.empty())
    throw OptionError("indices", "years",
                      "= " + job.years.label + ": the scene '" + job.scene +
                          "' has no {year} to put the years in");
  if (job.params.scaling == assess::IndicesScaling::landsat_l1_toa && job.mtl.empty())
    throw OptionError("indices", "mtl", "required with scaling = landsat_l1_toa");
  if (job.ring.outer_m > 0 && job.ring.gap_m >= job.ring.outer_m)
    throw OptionError("indices", "ring_gap_m",
                      "= " + format_plain(job.ring.gap_m) +
                          " must be below ring_outer_m = " + format_plain(job.ring.outer_m));
  job.params.validate();
  check_paths_exist(indices_options(), job);
}

IndicesJob indices_job_from_toml(const toml::table& table, const TomlSource& source) {
  IndicesJob job;
  read_toml_options(indices_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

namespace {

std::string replace_all(std::string text, const std::string& key, const std::string& value) {
  for (std::size_t pos = text.find(key); pos != std::string::npos;
       pos = text.find(key, pos + value.size()))
    text.replace(pos, key.size(), value);
  return text;
}

int band_count(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds) throw DataError("indices: " + path + " cannot be opened as a raster");
  return ds->GetRasterCount();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("indices: MTL file " + path + " does not exist or cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The mine_index layer of results.gpkg: one row per mine (layer order), its id and the mean of
// each index over the mine polygon in the last scene (<index>_mean; NaN when no valid cell).
Table mine_index_wide(const std::vector<assess::MineIndexRow>& rows,
                      const geo::PolygonLayer& layer) {
  int last_year = 0;
  for (const auto& row : rows)
    last_year = row.year;
  std::vector<std::string> ids, index_names;
  std::map<std::string, std::size_t> mine_of;
  for (const auto& feature : layer.features) {
    mine_of.emplace(feature.id, ids.size());
    ids.push_back(feature.id);
  }
  std::map<std::string, std::vector<double>> means;
  for (const auto& row : rows) {
    if (row.zone != "mine" || row.year != last_year) continue;
    auto [it, added] = means.try_emplace(
        row.index, std::vector<double>(ids.size(), std::numeric_limits<double>::quiet_NaN()));
    if (added) index_names.push_back(row.index);
    const auto mine = mine_of.find(row.mine_id);
    if (mine != mine_of.end()) it->second[mine->second] = row.mean;
  }
  Table t("mine_index");
  t.add("mine_id", ids);
  t.add("year", std::vector<std::int64_t>(ids.size(), last_year));
  for (const auto& name : index_names)
    t.add(name + "_mean", means[name]);
  return t;
}

}  // namespace

std::shared_ptr<LoadedIndices> load_indices(const IndicesJob& job, MineSets* mine_sets) {
  validate(job);
  auto loaded = std::make_shared<LoadedIndices>();
  loaded->job = job;
  const assess::IndicesParams& params = job.params;
  auto note = [&](const std::string& file, const std::string& kind) {
    for (const auto& known : loaded->files)
      if (known == file) return;
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  const rs::BandMap map = params.band_map();
  const auto needed = params.roles_needed();
  int qa_band = 0;
  for (const auto& entry : params.band_entries())
    if (entry.rfind("qa=", 0) == 0) qa_band = static_cast<int>(std::stoll(entry.substr(3)));
  const bool series = job.scene.find("{year}") != std::string::npos;
  const bool per_band = job.scene.find("{band}") != std::string::npos;
  std::vector<int> years;
  if (series)
    for (int year = job.years.first_year; year <= job.years.last_year; ++year)
      years.push_back(year);
  else
    years.push_back(0);
  for (int year : years) {
    assess::IndicesScene scene;
    scene.year = year;
    const std::string scene_path =
        year ? replace_all(job.scene, "{year}", std::to_string(year)) : job.scene;
    scene.label = year ? std::to_string(year) : fs::path(scene_path).filename().string();
    std::optional<rs::MtlMetadata> mtl;
    if (params.scaling == assess::IndicesScaling::landsat_l1_toa) {
      const std::string mtl_path =
          year ? replace_all(job.mtl, "{year}", std::to_string(year)) : job.mtl;
      mtl = rs::parse_mtl(read_text(mtl_path), mtl_path);
      note(mtl_path, "MTL metadata");
    }
    std::vector<geo::RasterLayerSpec> layers;
    scene.layer_of_role.fill(-1);
    auto add_layer = [&](int band, const std::string& role_name) {
      geo::RasterLayerSpec spec;
      spec.path = per_band ? replace_all(scene_path, "{band}", std::to_string(band)) : scene_path;
      spec.band = per_band ? 1 : band;
      spec.name = role_name + " (band " + std::to_string(band) + ") of " + spec.path;
      spec.nan_is_nodata = true;
      if (!fs::exists(spec.path))
        throw DataError("indices: scene " + scene.label + ": the " + role_name + " band file " +
                        spec.path + " does not exist (scene pattern " + job.scene + ")");
      const int count = band_count(spec.path);
      if (spec.band > count)
        throw ConfigError("indices: " + spec.path + " has " + std::to_string(count) +
                          " band(s); the " + role_name + " band is set to band " +
                          std::to_string(spec.band) + ": fix --band " + role_name + "=<1.." +
                          std::to_string(count) + "> or the sensor");
      note(spec.path, role_name + " band");
      layers.push_back(spec);
      return static_cast<int>(layers.size()) - 1;
    };
    for (std::size_t r = 0; r < rs::kBandRoleCount; ++r) {
      if (!needed[r]) continue;
      const auto role = static_cast<rs::BandRole>(r);
      const int band = map[r];
      const int layer = add_layer(band, std::string(rs::kBandRoleNames.name(role)));
      scene.layer_of_role[r] = layer;
      auto& spec = layers[static_cast<std::size_t>(layer)];
      const bool thermal = role == rs::BandRole::thermal;
      switch (params.scaling) {
        case assess::IndicesScaling::band_metadata:
          if (thermal) scene.thermal_is_brightness = params.emissivity.has_value();
          break;
        case assess::IndicesScaling::landsat_c2_l2: {
          const rs::LinearScale s =
              thermal ? rs::kLandsatC2L2SurfaceTemperatureK : rs::kLandsatC2L2Reflectance;
          spec.scale = s.scale;
          spec.offset = s.offset;
          break;
        }
        case assess::IndicesScaling::landsat_l1_toa:
          if (thermal) {
            scene.thermal_calibration = rs::mtl_thermal_calibration(*mtl, std::to_string(band));
            scene.thermal_is_brightness = true;
            spec.scale = 1.0;
            spec.offset = 0.0;
          } else {
            // ρ = (M·DN + A)/sin(θ_SE) as DN·(M/sin) + A/sin, applied while reading.
            const rs::ReflectanceCalibration c =
                rs::mtl_reflectance_calibration(*mtl, std::to_string(band));
            spec.scale = c.mult / c.sin_sun_elevation;
            spec.offset = c.add / c.sin_sun_elevation;
          }
          break;
      }
    }
    if (!params.qa_mask_bits.empty()) {
      scene.qa_layer = add_layer(qa_band, "qa");
      layers[static_cast<std::size_t>(scene.qa_layer)].resampling = "near";
      layers[static_cast<std::size_t>(scene.qa_layer)].scale = 1.0;
      layers[static_cast<std::size_t>(scene.qa_layer)].offset = 0.0;
    }
    if (!job.mask.empty()) {
      geo::RasterLayerSpec spec;
      spec.path = job.mask;
      spec.name = "mask " + job.mask;
      spec.resampling = "near";
      spec.nan_is_nodata = true;
      note(job.mask, "mask raster");
      layers.push_back(spec);
      scene.mask_layer = static_cast<int>(layers.size()) - 1;
    }
    geo::AlignOptions align;
    align.warp_off_grid = true;
    scene.rasters.emplace(layers, align);
    loaded->inputs.scenes.push_back(std::move(scene));
  }
  if (!job.mine_source.mines.empty()) {
    loaded->mines = mine_sets ? mine_sets->get(job.mine_source)
                              : std::make_shared<const MineSet>(job.mine_source);
    note(job.mine_source.mines, "mines");
  }
  return loaded;
}

PreparedStage indices_stage(std::shared_ptr<const LoadedIndices> loaded) {
  PreparedStage stage{"indices", "indices/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    results.indices = run_indices_job(*loaded, out, context);
    return "indices: results in " + out.folder() + " (" +
           std::to_string(loaded->inputs.scenes.size()) + " scene(s), " +
           std::to_string(results.indices->rasters.size()) + " raster(s))";
  };
  return stage;
}

assess::IndicesResult run_indices_job(const LoadedIndices& loaded, StageOutput& out,
                                      const RunContext& context) {
  // The rasters of one scene at a time, through the queued tiled writer.
  std::vector<std::unique_ptr<report::QueuedGeoTiffWriter>> writers;
  assess::IndicesRasterSink sink;
  // With mines: the zones on each scene's grid (recomputed only when the grid changes) and the
  // accumulator of the scene being written, fed from the blocks the writers get.
  const auto& scenes = loaded.inputs.scenes;
  std::size_t scene_idx = 0;
  std::optional<geo::Grid> zone_grid;
  std::string zone_crs;
  assess::IndicesMineZones zones;
  std::unique_ptr<assess::MineIndexAccumulator> mine_acc;
  std::vector<assess::MineIndexRow> mine_rows;
  fs::path tmp_folder;  // tmp_indices/ beside the first staged raster
  sink.open = [&](const std::vector<assess::IndicesOutput>& outputs, const geo::Grid& grid,
                  const std::string& crs_wkt, const geo::BlockPlan& plan, std::size_t depth) {
    writers.clear();
    if (loaded.mines) {
      const assess::IndicesScene& scene = scenes.at(scene_idx);
      if (!zone_grid || !(*zone_grid == grid) || zone_crs != crs_wkt) {
        zones = assess::indices_mine_zones(*loaded.mines->layer(), *loaded.mines->geometry(context),
                                           loaded.job.ring, grid, crs_wkt, context);
        zone_grid = grid;
        zone_crs = crs_wkt;
      }
      std::vector<std::string> names;
      for (const auto& output : outputs) {
        std::string name = fs::path(output.relative).stem().string();
        if (scene.year) name = name.substr(0, name.size() - 5);  // "_<year>"
        names.push_back(name);
      }
      mine_acc = std::make_unique<assess::MineIndexAccumulator>(
          zones, names, grid, scene.rasters->geographic(), scene.rasters->metres_per_unit(), plan);
    }
    for (const auto& output : outputs) {
      report::StreamedRasterOptions options;
      options.tile = 256;
      options.compress = loaded.job.params.compress == assess::IndicesCompression::zstd
                             ? report::RasterCompression::zstd
                             : report::RasterCompression::deflate;
      options.queue_depth = depth;
      if (output.grade) {
        options.type = report::RasterType::uint8;
        options.nodata = 0;
      }
      const fs::path staged = out.staged(output.relative);
      if (tmp_folder.empty()) tmp_folder = staged.parent_path() / "tmp_indices";
      writers.push_back(std::make_unique<report::QueuedGeoTiffWriter>(staged.string(), grid,
                                                                      crs_wkt, plan, options));
    }
  };
  sink.submit = [&](std::size_t output, std::size_t block_id, std::vector<float> values) {
    if (mine_acc) mine_acc->add(output, block_id, values);
    writers[output]->submit(block_id, {std::move(values)});
  };
  sink.finish = [&] {
    for (auto& writer : writers)
      writer->finish();
    writers.clear();
    if (mine_acc) {
      for (auto& row : mine_acc->rows(scenes.at(scene_idx).year))
        mine_rows.push_back(std::move(row));
      mine_acc.reset();
    }
    ++scene_idx;
  };
  sink.abandon = [&] {
    for (auto& writer : writers)
      writer->abandon();
  };
  // Temporaries (RSEI's projection) in tmp_indices/ of the staging folder (beside the rasters,
  // not a staged file: never published; removed here and with the staging folder on failure).
  sink.tmp_folder = [&] { return tmp_folder.string(); };
  assess::IndicesResult result =
      assess::run_indices(loaded.job.params, loaded.inputs, context, sink);
  if (!tmp_folder.empty()) fs::remove_all(tmp_folder);
  result.summary_json["stage"] = "indices";
  result.summary_json["parameters"] = options_json(indices_options(), loaded.job);
  result.mine_index = std::move(mine_rows);
  const std::vector<Table> tables = result.to_tables();
  std::vector<const Table*> pointers;
  for (const auto& table : tables)
    pointers.push_back(&table);
  write_csv_tables(out, pointers, context.threads);
  if (loaded.mines) {
    const geo::PolygonLayer& layer = *loaded.mines->layer();
    const Table wide = mine_index_wide(result.mine_index, layer);
    std::vector<geo::MultiPolygon> shapes;
    for (const auto& feature : layer.features)
      shapes.push_back(feature.shape);
    report::write_geopackage(out.staged("results.gpkg").string(),
                             report::GeometryLayer{&wide, &shapes, layer.crs_wkt}, {});
  }
  nlohmann::json summary = result.summary_json;
  write_summary(out, summary, context);
  return result;
}

}  // namespace minecarbon::pipeline
