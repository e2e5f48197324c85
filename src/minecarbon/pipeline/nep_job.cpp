#include "minecarbon/pipeline/nep_job.h"

#include <filesystem>
#include <memory>
#include <set>
#include <utility>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/raster_stack.h"
#include "minecarbon/pipeline/casa_tables.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/report/raster_writer.h"

namespace minecarbon::pipeline {
namespace fs = std::filesystem;

const OptionTable<NepJob>& nep_options() {
  static const OptionTable<NepJob> table = [] {
    using J = NepJob;
    OptionTable<J> t("nep");
    t.add_custom(
         "years", [](J& j) -> assess::Period& { return j.years; }, assess::period_codec(),
         "years to compute, e.g. \"2000-2020\"")
        .required();
    const char* pattern_doc = " (a pattern with {year} and {month}, month as 01..12)";
    // Climate may be given once and reused: without {month} the file holds 12 bands (band m =
    // month m); without {year} the same file(s) serve every year (a monthly climatology).
    const char* climate_doc =
        " (a pattern with {year} and {month}, month as 01..12; without {month}: one 12-band "
        "raster, band m = month m; without {year}: the same raster(s) every year)";
    t.add_path(
         "ndvi", [](J& j) -> std::string& { return j.ndvi; },
         (std::string("monthly NDVI") + pattern_doc).c_str())
        .required();
    t.add(
         "ndvi_scale", [](J& j) -> std::optional<double>& { return j.ndvi_scale; },
         "multiplies the NDVI rasters (0.0001 for NDVI stored x 10000); default: the band's own "
         "scale")
        .shown_default("band metadata");
    t.add_path(
         "temperature", [](J& j) -> std::string& { return j.temperature; },
         (std::string("monthly mean air temperature, degC") + climate_doc).c_str())
        .required();
    t.add_path(
         "precipitation", [](J& j) -> std::string& { return j.precipitation; },
         (std::string("monthly precipitation, mm") + climate_doc).c_str())
        .required();
    t.add_path(
         "solar_radiation", [](J& j) -> std::string& { return j.solar_radiation; },
         (std::string("monthly total solar radiation, MJ m-2 month-1") + climate_doc).c_str())
        .required();
    t.add_path(
         "vegetation", [](J& j) -> std::string& { return j.vegetation; },
         "vegetation-type raster (integer class codes) on the grid of the monthly rasters")
        .required()
        .must_exist();
    t.add_path(
         "class_table", [](J& j) -> std::string& { return j.class_table; },
         "CSV code, type: the vegetation raster's codes -> CASA types of "
         "data/casa_vegetation.csv")
        .required()
        .must_exist();
    t.add_path(
         "vegetation_table", [](J& j) -> std::string& { return j.vegetation_table; },
         "your CASA types (type, eps_max_gC_MJ, ndvi_max, ndvi_min, sr_max, sr_min, source); rows "
         "replace rows of data/casa_vegetation.csv with the same type")
        .must_exist();
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.include(assess::NepParams::options(), [](J& j) -> assess::NepParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const NepJob& job) {
  check_options(nep_options(), job);
  if (job.years.label.empty()) throw OptionError("nep", "years", "required, e.g. 2000-2020");
  // NDVI varies by year and month (T_opt is the month of its peak); the climate may be given as
  // a 12-band raster (no {month}) and/or once for every year (no {year}), read as it is named.
  if (job.ndvi.find("{year}") == std::string::npos || job.ndvi.find("{month}") == std::string::npos)
    throw OptionError(
        "nep", "ndvi",
        "= '" + job.ndvi +
            "': must contain {year} and {month}, e.g. 'ndvi/ndvi_{year}_{month}.tif'");
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"temperature", &job.temperature},
        {"precipitation", &job.precipitation},
        {"solar_radiation", &job.solar_radiation}})
    if (value->empty())
      throw OptionError("nep", key,
                        "required: a pattern with {year} and {month}, a 12-band raster per year "
                        "(no {month}) or a monthly climatology (no {year})");
  if (job.ndvi_scale && !(std::isfinite(*job.ndvi_scale) && *job.ndvi_scale != 0.0))
    throw OptionError("nep", "ndvi_scale", "must be a finite, non-zero number");
  check_encoding(job.encoding, "[nep] encoding");
  job.params.validate();
  check_paths_exist(nep_options(), job);
}

NepJob nep_job_from_toml(const toml::table& table, const TomlSource& source) {
  NepJob job;
  read_toml_options(nep_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

namespace {

std::string expand(std::string pattern, int year, int month) {
  auto replace_all = [&](const std::string& key, const std::string& value) {
    for (std::size_t pos = pattern.find(key); pos != std::string::npos;
         pos = pattern.find(key, pos + value.size()))
      pattern.replace(pos, key.size(), value);
  };
  replace_all("{year}", std::to_string(year));
  replace_all("{month}", (month < 10 ? "0" : "") + std::to_string(month));
  return pattern;
}

}  // namespace

std::shared_ptr<LoadedNep> load_nep(const NepJob& job) {
  validate(job);
  auto loaded = std::make_shared<LoadedNep>();
  loaded->job = job;
  assess::NepInputs& inputs = loaded->inputs;
  auto note = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  const std::string* patterns[4] = {&job.ndvi, &job.temperature, &job.precipitation,
                                    &job.solar_radiation};
  std::set<std::string> noted;  // monthly files listed so far
  inputs.vegetation.path = job.vegetation;
  inputs.vegetation.name = "vegetation";
  note(job.vegetation, "vegetation raster");
  for (int year = job.years.first_year; year <= job.years.last_year; ++year) {
    std::vector<geo::RasterLayerSpec> all, prepass;
    for (std::size_t var = 0; var < 4; ++var)
      for (int month = 1; month <= 12; ++month) {
        geo::RasterLayerSpec spec;
        spec.path = expand(*patterns[var], year, month);
        // Without {month}: band m of a 12-band raster (checked once per file).
        const bool banded = patterns[var]->find("{month}") == std::string::npos;
        if (banded) {
          spec.band = month;
          if (month == 1 && fs::exists(spec.path)) {
            const int bands = geo::raster_band_count(
                spec.path, std::string("[nep] ") + assess::kNepVariables[var]);
            if (bands != 12)
              throw DataError("nep: " + std::string(assess::kNepVariables[var]) + ": " + spec.path +
                              " has " + std::to_string(bands) +
                              " band(s); a pattern without {month} ('" + *patterns[var] +
                              "') names a raster with 12 bands, band m = month m");
          }
        }
        spec.name = std::string(assess::kNepVariables[var]) + " " + std::to_string(year) + "-" +
                    (month < 10 ? "0" : "") + std::to_string(month);
        spec.nan_is_nodata = true;
        if (var == 0 && job.ndvi_scale) spec.scale = *job.ndvi_scale;
        if (!fs::exists(spec.path))
          throw DataError("nep: " + std::string(assess::kNepVariables[var]) + " of " +
                          std::to_string(year) + "-" + (month < 10 ? "0" : "") +
                          std::to_string(month) + ": " + spec.path + " does not exist (pattern " +
                          *patterns[var] + "); every month of every year is needed");
        // A file given once (no {year}, or 12 bands) is listed once among the inputs.
        if (noted.insert(spec.path).second)
          note(spec.path,
               banded ? std::string(assess::kNepVariables[var]) + " (12 bands)" : spec.name);
        all.push_back(spec);
        if (var < 2) prepass.push_back(spec);
      }
    all.push_back(inputs.vegetation);
    prepass.push_back(inputs.vegetation);
    inputs.years.push_back(year);
    inputs.year_rasters.emplace_back(all);
    inputs.prepass_rasters.emplace_back(prepass);
  }
  if (job.params.daylength_correction && !inputs.year_rasters.front().geographic())
    throw ConfigError(
        "nep: daylength_correction = true needs the rasters on a geographic "
        "(longitude/latitude) grid to know each row's latitude; these are "
        "projected. Reproject them or leave the correction off");
  CasaVegetationFiles types = load_casa_vegetation(job.vegetation_table, job.encoding);
  inputs.types = std::move(types.table);
  inputs.type_files = types.files;
  if (!job.vegetation_table.empty()) note(job.vegetation_table, "CASA vegetation table");
  inputs.classes = load_casa_class_table(job.class_table, job.encoding);
  inputs.class_table = job.class_table;
  note(job.class_table, "vegetation class table");
  return loaded;
}

PreparedStage nep_stage(std::shared_ptr<const LoadedNep> loaded) {
  PreparedStage stage{"nep", "nep/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    geo::RasterSeries written;
    run_nep_job(*loaded, out, context, &written);
    results.nep = std::move(written);
    return "nep: results in " + out.folder() + " (" + std::to_string(loaded->inputs.years.size()) +
           " years)";
  };
  return stage;
}

nlohmann::json run_nep_job(const LoadedNep& loaded, StageOutput& out, const RunContext& context,
                           geo::RasterSeries* written) {
  const assess::NepInputs& inputs = loaded.inputs;
  const geo::AlignedRasters& first = inputs.year_rasters.front();
  const char* kinds[3] = {"npp", "rh", "nep"};
  // Writers of every year, created up front (tiles of 256: the block plan of the passes).
  std::vector<std::array<std::unique_ptr<report::GeoTiffWriter>, 3>> writers(inputs.years.size());
  report::RasterWriteOptions options;
  options.type = report::RasterType::float32;
  options.nodata = std::numeric_limits<double>::quiet_NaN();
  fs::path staged_dir;  // where the staged rasters are, for `written`
  for (std::size_t y = 0; y < inputs.years.size(); ++y)
    for (int k = 0; k < 3; ++k) {
      const fs::path path =
          out.staged(std::string(kinds[k]) + "_" + std::to_string(inputs.years[y]) + ".tif");
      staged_dir = path.parent_path();
      writers[y][k] = std::make_unique<report::GeoTiffWriter>(path.string(), first.grid(),
                                                              first.crs_wkt(), options);
    }
  assess::NepRasterSink sink;
  sink.plan = writers.front()[0]->plan();
  sink.write = [&](std::size_t y, std::size_t block_id, std::vector<float> npp,
                   std::vector<float> rh, std::vector<float> nep) {
    writers[y][0]->write_block(block_id, {std::move(npp)});
    writers[y][1]->write_block(block_id, {std::move(rh)});
    writers[y][2]->write_block(block_id, {std::move(nep)});
  };
  assess::NepResult result = assess::run_nep(loaded.job.params, inputs, context, sink);
  for (auto& year : writers)
    for (auto& writer : year)
      writer->finish();
  if (written) {
    geo::RasterSeriesSpec spec;
    spec.pattern = (staged_dir / "nep_{year}.tif").string();
    spec.first_year = inputs.years.front();
    spec.last_year = inputs.years.back();
    *written = geo::open_raster_series(spec);
  }
  result.summary["stage"] = "nep";
  result.summary["parameters"] = options_json(nep_options(), loaded.job);
  result.summary["units"] = "gC m-2 yr-1, positive = sink; nep_total_GgC in Gg C";
  const Table summary_table = assess::nep_summary_table(result);
  write_csv_tables(out, {&summary_table}, context.threads);
  record_warnings(result.summary, result.warnings, "nep", context);
  write_summary(out, result.summary, context);
  return result.summary;
}

}  // namespace minecarbon::pipeline
