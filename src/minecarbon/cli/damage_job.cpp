#include "minecarbon/cli/damage_job.h"

#include "minecarbon/assess/grouping.h"
#include "minecarbon/cli/publish.h"
#include "minecarbon/cli/toml_section.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/report/writers.h"

namespace fs = std::filesystem;

namespace minecarbon::cli {
namespace {

void check_params(const DamageJob& job,
                  const std::function<void(const std::string&, const std::string&)>& fail) {
  const auto& p = job.params;
  if (job.mines.empty())
    fail("mines", "required: the mine polygons (GeoPackage, GeoJSON, Shapefile…)");
  if (job.nep.pattern.empty()) fail("nep", "required: the NEP rasters, e.g. 'nep/nep_{year}.tif'");
  if (!(p.min_area_km2 >= 0)) fail("min_area_km2", "must be >= 0 (km²; 0 disables the filter)");
  if (!(p.ring.outer_m > 0)) fail("ring_outer_m", "must be > 0 (metres); the paper uses 5000");
  if (!(p.ring.gap_m >= 0) || !(p.ring.gap_m < p.ring.outer_m))
    fail("ring_gap_m", "must be >= 0 and < ring_outer_m (metres); default 500");
  if (p.ring.quad_segs < 2 || p.ring.quad_segs > 90)
    fail("ring_quad_segs", "must be within 2..90 (segments per quarter circle); default 8");
  if (job.nep.scale && !(*job.nep.scale != 0 && std::isfinite(*job.nep.scale)))
    fail("nep_scale", "must be a finite, non-zero number");
}

}  // namespace

const std::vector<OptionDoc>& damage_options() {
  static const std::vector<OptionDoc> options = {
      {"mines", "path", "(required)", "mine polygons, any OGR format and CRS"},
      {"mines_layer", "string", "first layer", "layer of the mines file"},
      {"id_field", "string", "feature id", "field holding the mine id"},
      {"repair", "bool", "true",
       "repair invalid polygons with GEOS MakeValid (false: refuse them)"},
      {"nep", "path pattern", "(required)", "annual NEP rasters with {year}, gC/m2/yr"},
      {"years", "range", "(required)", "years to read, e.g. \"2000-2020\""},
      {"base_year", "int", "first year", "base year of eqs 1-2"},
      {"nep_scale", "number", "band metadata or 1", "value = raw * scale + offset"},
      {"nep_offset", "number", "band metadata or 0", "value = raw * scale + offset"},
      {"nan_is_nodata", "bool", "false", "treat NaN cells as nodata even when nodata is not NaN"},
      {"min_area_km2", "number", "1.0", "mines smaller than this are reported, not analysed"},
      {"ring_outer_m", "number", "5000", "reference ring: within this distance of the mine (m)"},
      {"ring_gap_m", "number", "500", "reference ring: farther than this from every mine (m)"},
      {"ring_quad_segs", "int", "8", "buffer segments per quarter circle"},
      {"reference_polygons", "path", "(none)", "user reference polygons instead of rings"},
      {"reference_layer", "string", "first layer", "layer of reference_polygons"},
      {"reference_id_field", "string", "id_field", "field of reference_polygons holding mine ids"},
      {"group_by", "list", "[]",
       "fields or M49 columns (continent, region, sub_region) to total by"},
      {"iso3_field", "string", "auto", "ISO-3 field for the M49 join"},
      {"m49_table", "path", "shipped", "UN M49 table (iso3 -> region, continent)"},
      {"periods", "list", "[]",
       "periods for change and trend, e.g. [\"2000-2006\", \"2007-2014\"]"},
  };
  return options;
}

std::pair<int, int> parse_year_range(const std::string& text, const std::string& where) {
  int first = 0, last = 0;
  char dash = 0, extra = 0;
  const int n = std::sscanf(text.c_str(), "%d%c%d%c", &first, &dash, &last, &extra);
  if (n == 1) return {first, first};
  if (n == 3 && dash == '-' && first <= last && first > 0) return {first, last};
  throw ConfigError(where + " = '" + text + "': expected a year range like 2000-2020");
}

DamageJob damage_job_from_toml(const toml::table& table, const std::string& file,
                               const std::string& base_dir) {
  TomlSection s(table, file, "damage", base_dir);
  s.reject_unknown(damage_options());
  DamageJob job;
  job.mines = s.path("mines");
  job.mines_layer = s.text("mines_layer");
  job.id_field = s.text("id_field");
  job.repair = s.flag("repair", true);
  job.nep.pattern = s.path("nep");
  if (!table.get("years")) s.fail("years", "required, e.g. years = \"2000-2020\"");
  try {
    std::tie(job.nep.first_year, job.nep.last_year) = parse_year_range(s.text("years"), "years");
  } catch (const ConfigError& e) {
    s.fail("years", e.what());
  }
  job.params.base_year = static_cast<int>(s.number("base_year", 0));
  job.nep.scale = s.optional_number("nep_scale");
  job.nep.offset = s.optional_number("nep_offset");
  job.nep.nan_is_nodata = s.flag("nan_is_nodata", false);
  job.params.min_area_km2 = s.number("min_area_km2", 1.0);
  job.params.ring.outer_m = s.number("ring_outer_m", 5000);
  job.params.ring.gap_m = s.number("ring_gap_m", 500);
  job.params.ring.quad_segs = static_cast<int>(s.number("ring_quad_segs", 8));
  job.reference_polygons = s.path("reference_polygons");
  job.reference_layer = s.text("reference_layer");
  job.reference_id_field = s.text("reference_id_field");
  job.params.group_by = s.texts("group_by");
  job.params.iso3_field = s.text("iso3_field");
  job.m49_table = s.path("m49_table");
  for (const auto& p : s.texts("periods")) {
    try {
      auto [first, last] = parse_year_range(p, "periods");
      job.params.periods.push_back({p, first, last});
    } catch (const ConfigError& e) {
      s.fail("periods", e.what());
    }
  }
  check_params(job,
               [&](const std::string& key, const std::string& problem) { s.fail(key, problem); });
  return job;
}

std::string shipped_data_file(const std::string& name) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("MINECARBON_DATA_DIR")) candidates.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "minecarbon" / "data");
#ifdef MINECARBON_SOURCE_DATA_DIR
  candidates.emplace_back(MINECARBON_SOURCE_DATA_DIR);
#endif
  for (const auto& dir : candidates) {
    if (fs::exists(dir / name)) return (dir / name).string();
  }
  throw RunError("cannot find the shipped table " + name +
                 "; set MINECARBON_DATA_DIR to the "
                 "minecarbon data folder");
}

nlohmann::json run_damage_job(const DamageJob& job, const std::string& out_dir,
                              const RunContext& context, assess::DamageResult* keep) {
  check_params(job, [](const std::string& key, const std::string& problem) {
    throw ConfigError("damage: --" + key + ": " + problem);
  });
  // The output folder is checked first: a typo in --out must not cost a whole run.
  OutputDir out(out_dir);
  assess::DamageInputs inputs;
  geo::PolygonLayerOptions mine_options{job.mines_layer, job.id_field, job.repair, "mines"};
  inputs.mines = geo::read_polygon_layer(job.mines, mine_options);
  if (inputs.mines.features.empty()) throw DataError(job.mines + ": has no mine polygons");
  inputs.nep = geo::open_raster_series(job.nep);
  assess::DamageParams params = job.params;
  if (!job.reference_polygons.empty()) {
    params.reference = assess::ReferenceKind::polygons;
    geo::PolygonLayerOptions ref_options{
        job.reference_layer, job.reference_id_field.empty() ? job.id_field : job.reference_id_field,
        job.repair, "reference polygons"};
    inputs.reference_polygons = geo::read_polygon_layer(job.reference_polygons, ref_options);
  }
  if (std::any_of(params.group_by.begin(), params.group_by.end(), assess::is_m49_column)) {
    inputs.m49 =
        read_csv_file(job.m49_table.empty() ? shipped_data_file("un_m49.csv") : job.m49_table);
  }
  assess::DamageResult result = assess::run_damage(params, inputs, context);

  std::vector<geo::MultiPolygon> shapes;
  shapes.reserve(inputs.mines.features.size());
  for (const auto& f : inputs.mines.features)
    shapes.push_back(f.shape);
  const std::vector<const Table*> tables = {&result.mine_year, &result.year_summary,
                                            &result.group_year, &result.group_trend,
                                            &result.periods};
  report::write_geopackage(out.staged("results.gpkg").string(),
                           report::GeometryLayer{&result.mines, &shapes, inputs.mines.crs_wkt},
                           tables);
  write_csv_tables(out, {&result.mines});
  write_csv_tables(out, tables);
  publish(out, result.summary, context);
  for (const auto& w : result.warnings)
    context.say("warning: " + w);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::cli
