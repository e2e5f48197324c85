// minecarbon: the carbon sink of ecological restoration of mining areas.
// The command line only parses, calls the library and maps errors to exit codes:
// 0 ok, 1 failure while running, 2 usage or configuration, 3 input data.
#include <cpl_conv.h>
#include <gdal.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "minecarbon/cli/damage_job.h"
#include "minecarbon/cli/synth_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace fs = std::filesystem;
using namespace minecarbon;

namespace {

void silence_gdal_errors() {
  // GDAL's own messages would duplicate ours; its last error text is folded into our messages.
  CPLSetErrorHandler(CPLQuietErrorHandler);
  // We parallelise over blocks ourselves; GDAL's own decode threads would compete.
  CPLSetConfigOption("GDAL_NUM_THREADS", "1");
}

int run_project(const std::string& project_file, RunContext& context,
                const std::string& out_override) {
  toml::table doc;
  try {
    doc = toml::parse_file(project_file);
  } catch (const toml::parse_error& e) {
    if (!fs::exists(project_file)) throw ConfigError(project_file + ": no such project file");
    throw ConfigError(project_file + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  const std::string base = fs::absolute(project_file).parent_path().string();
  std::string out = "results";
  for (const auto& [key, node] : doc) {
    const std::string k(key.str());
    if (k != "project" && k != "damage") {
      throw ConfigError(project_file + ":" + std::to_string(node.source().begin.line) +
                        ": unknown section [" + k + "]; this version runs [project] and [damage]");
    }
  }
  if (const toml::table* project = doc["project"].as_table()) {
    for (const auto& [key, node] : *project) {
      const std::string k(key.str());
      if (k == "out") {
        out = node.value<std::string>().value_or(out);
      } else if (k == "threads") {
        if (auto t = node.value<int64_t>(); t && *t > 0) context.threads = static_cast<int>(*t);
      } else if (k == "seed") {
        if (auto s = node.value<int64_t>()) context.seed = static_cast<std::uint64_t>(*s);
      } else {
        throw ConfigError(project_file + ":" + std::to_string(node.source().begin.line) +
                          " [project] " + k + ": unknown key (known: out, threads, seed)");
      }
    }
  }
  if (!out_override.empty())
    out = out_override;
  else if (fs::path(out).is_relative())
    out = (fs::path(base) / out).string();
  const toml::table* damage = doc["damage"].as_table();
  if (!damage) throw ConfigError(project_file + ": no [damage] section; nothing to run");
  cli::DamageJob job = cli::damage_job_from_toml(*damage, project_file, base);
  nlohmann::json summary = cli::run_damage_job(job, out, context);
  context.say("damage: results in " + out + " (" +
              std::to_string(summary["counts"]["analysed"].get<std::size_t>()) +
              " mines analysed)");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  silence_gdal_errors();
  CLI::App app{"minecarbon: carbon sink of ecological restoration of mining areas"};
  app.require_subcommand(1);
  RunContext context;
  context.threads = default_thread_count();
  context.info = [](const std::string& line) { std::cerr << line << '\n'; };
  int threads = 0;
  bool quiet = false;
  std::uint64_t seed = 42;
  app.add_option("--threads", threads, "worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet,-q", quiet, "no progress and no informational lines");
  app.add_option("--seed", seed, "seed of every random stream");

  // damage
  cli::DamageJob job;
  std::string years, out_dir, periods_text, reference;
  bool no_repair = false;
  std::vector<std::string> periods;
  double scale = 0, offset = 0;
  auto* damage =
      app.add_subcommand("damage", "NEP loss of every mine against its undisturbed surroundings");
  damage->add_option("--mines", job.mines, "mine polygons (any OGR format, any CRS)")->required();
  damage->add_option("--layer", job.mines_layer, "layer of the mines file (default: first)");
  damage->add_option("--id-field", job.id_field, "field with the mine id (default: feature id)");
  damage->add_flag("--no-repair", no_repair, "refuse invalid polygons instead of repairing them");
  damage->add_option("--nep", job.nep.pattern, "annual NEP rasters, pattern with {year} (gC/m2/yr)")
      ->required();
  damage->add_option("--years", years, "year range, e.g. 2000-2020")->required();
  damage->add_option("--base-year", job.params.base_year, "base year (default: first year)");
  auto* scale_opt = damage->add_option("--nep-scale", scale, "value = raw * scale + offset");
  auto* offset_opt = damage->add_option("--nep-offset", offset, "value = raw * scale + offset");
  damage->add_flag("--nan-is-nodata", job.nep.nan_is_nodata, "NaN cells are nodata");
  damage
      ->add_option("--min-area-km2", job.params.min_area_km2,
                   "analyse mines at least this large (km2)")
      ->capture_default_str();
  damage->add_option("--ring-outer-m", job.params.ring.outer_m, "reference ring outer distance (m)")
      ->capture_default_str();
  damage->add_option("--ring-gap-m", job.params.ring.gap_m, "reference ring gap to every mine (m)")
      ->capture_default_str();
  damage
      ->add_option("--ring-quad-segs", job.params.ring.quad_segs,
                   "buffer segments per quarter circle")
      ->capture_default_str();
  damage->add_option("--reference-polygons", job.reference_polygons,
                     "user reference polygons (joined by id)");
  damage->add_option("--reference-layer", job.reference_layer, "layer of the reference polygons");
  damage->add_option("--reference-id-field", job.reference_id_field,
                     "id field of the reference polygons");
  damage->add_option("--group-by", job.params.group_by,
                     "fields or M49 columns (continent, region, sub_region)");
  damage->add_option("--iso3-field", job.params.iso3_field, "ISO-3 field for the M49 join");
  damage->add_option("--m49-table", job.m49_table, "UN M49 table (default: shipped)");
  damage->add_option("--period", periods,
                     "period for change and trend, e.g. 2000-2006 (repeatable)");
  damage->add_option("--out", out_dir, "output folder")->required();

  // run
  std::string project_file, run_out;
  auto* run = app.add_subcommand("run", "run the stages of a project file");
  run->add_option("project", project_file, "project.toml")->required();
  run->add_option("--out", run_out, "output folder (default: [project] out)");

  // synth
  std::string synth_out;
  auto* synth =
      app.add_subcommand("synth", "write a synthetic world with planted answers (demo, tests)");
  synth->add_option("--out", synth_out, "output folder")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  if (threads > 0) context.threads = threads;
  context.quiet = quiet;
  context.seed = seed;
  try {
    if (*damage) {
      job.repair = !no_repair;
      std::tie(job.nep.first_year, job.nep.last_year) = cli::parse_year_range(years, "--years");
      if (scale_opt->count()) job.nep.scale = scale;
      if (offset_opt->count()) job.nep.offset = offset;
      for (const auto& p : periods) {
        auto [first, last] = cli::parse_year_range(p, "--period");
        job.params.periods.push_back({p, first, last});
      }
      cli::run_damage_job(job, out_dir, context);
      context.say("damage: results in " + out_dir);
    } else if (*run) {
      return run_project(project_file, context, run_out);
    } else if (*synth) {
      cli::write_synth_world(synth_out, seed, context);
    }
  } catch (const Error& e) {
    std::cerr << "minecarbon: error: " << e.what() << '\n';
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "minecarbon: failed: " << e.what() << '\n';
    return static_cast<int>(ExitCode::run_failure);
  }
  return 0;
}
