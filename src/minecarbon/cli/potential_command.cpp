// `minecarbon potential …`, the [potential] section of a project file and the potential part of
// the demo (`minecarbon synth`).
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/demo/synth_potential.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/potential_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/report/raster_writer.h"
#include "minecarbon/report/writers.h"

namespace fs = std::filesystem;

namespace minecarbon::cli {
using namespace pipeline;
namespace {

// Mines of the demo's potential world: enough for a pool of ~2,000 restored mines, the paper's
// regime (and the benchmark's).
constexpr std::size_t kDemoMines = 4800;

// "slope_deg,northness" or repeated --terrain → one name per item.
std::vector<std::string> split_list(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const auto& text : texts) {
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ','))
      if (!item.empty()) out.push_back(item);
  }
  return out;
}

class PotentialCommand : public Command {
 public:
  const char* name() const override { return "potential"; }
  const char* description() const override {
    return "restoration potential of every mine: covariates, Yeo-Johnson, tuned random forest, "
           "driver importance";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(potential_options(), sub);
    // The covariates list of the project file, one flag per statistic (covariate_options()).
    sub.add_option("--covariate", mean_covariates_,
                   "NAME=RASTER, area-weighted mean over the mine (repeatable)");
    sub.add_option("--covariate-sum", sum_covariates_,
                   "NAME=RASTER, sum of coverage x value, for per-cell totals (repeatable)");
    sub.add_option("--covariate-area-sum", area_sum_covariates_,
                   "NAME=RASTER, sum of coverage x area x value, for densities per m2");
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    PotentialJob job;
    flags_.apply(job);
    job.terrain = split_list(job.terrain);
    for (const auto& text : mean_covariates_)
      job.covariates.push_back(
          parse_covariate_option(text, geo::CovariateStat::mean, "--covariate"));
    for (const auto& text : sum_covariates_)
      job.covariates.push_back(
          parse_covariate_option(text, geo::CovariateStat::sum, "--covariate-sum"));
    for (const auto& text : area_sum_covariates_)
      job.covariates.push_back(
          parse_covariate_option(text, geo::CovariateStat::area_sum, "--covariate-area-sum"));
    complete(job);
    try {
      validate(job);
    } catch (const OptionError& e) {
      if (e.key() == "covariates") throw ConfigError("potential: --covariate: " + e.problem());
      throw flags_.error(e);
    }
    MineSets mine_sets(context.threads);
    run_single_stage(potential_stage(load_potential(job, false, &mine_sets)), out_dir_, context);
  }

 private:
  OptionFlags<PotentialJob> flags_;
  std::string out_dir_;
  std::vector<std::string> mean_covariates_, sum_covariates_, area_sum_covariates_;
};

// ---- demo ----------------------------------------------------------------------------------

// The [potential] keys for the demo's covariates (paths relative to `prefix`).
std::string covariate_lines(const demo::SynthPotentialWorld& world, const std::string& prefix) {
  std::ostringstream s;
  s << "covariates = [\n";
  for (const auto& c : world.covariates) {
    s << "  { name = \"" << c.name << "\", raster = \"" << prefix << "covariates/" << c.name
      << ".tif\"";
    if (c.stat != "mean") s << ", stat = \"" << c.stat << "\"";
    s << " },\n";
  }
  s << "  { name = \"elevation_m\", raster = \"" << prefix << "dem.tif\" },\n]\n"
    << "dem = \"" << prefix << "dem.tif\"\n"
    << "terrain = [\"slope_deg\", \"northness\", \"eastness\", \"general_curvature_per_m\"]\n";
  return s.str();
}

std::string write_potential_demo(const demo::SynthWorld&, OutputDir& out, std::uint64_t seed) {
  const demo::SynthPotentialWorld world = demo::make_synth_potential_world(seed, kDemoMines);
  for (int year = world.first_year; year <= world.last_year; ++year) {
    report::write_geotiff_float32(
        out.staged("potential/nep/nep_" + std::to_string(year) + ".tif").string(), world.nep_grid,
        "EPSG:4326", world.nep[static_cast<std::size_t>(year - world.first_year)], world.nodata);
  }
  for (const auto& c : world.covariates) {
    report::write_geotiff_float32(out.staged("potential/covariates/" + c.name + ".tif").string(),
                                  c.grid, "EPSG:4326", c.values, world.nodata);
  }
  report::write_geotiff_float32(out.staged("potential/dem.tif").string(), world.dem.grid,
                                "EPSG:4326", world.dem.values, world.nodata);
  Table mines("mines");
  std::vector<std::string> ids, iso3;
  std::vector<geo::MultiPolygon> shapes;
  for (const auto& m : world.mines) {
    ids.push_back(m.id);
    iso3.push_back(m.iso3);
    shapes.push_back(m.shape_lonlat);
  }
  mines.add("mine_id", ids);
  mines.add("ISO3_CODE", iso3);
  report::write_geopackage(out.staged("potential/mines.gpkg").string(),
                           report::GeometryLayer{&mines, &shapes, "EPSG:4326"}, {});
  Table truth("truth");
  std::vector<std::int64_t> restored;
  std::vector<double> lon, lat, achievable, observed, planted;
  for (const auto& m : world.mines) {
    restored.push_back(m.restored ? 1 : 0);
    lon.push_back(m.lon);
    lat.push_back(m.lat);
    achievable.push_back(m.achievable_gC_m2_yr);
    observed.push_back(m.observed_gC_m2_yr);
    planted.push_back(m.planted_potential_gC_m2_yr());
  }
  truth.add("mine_id", ids);
  truth.add("lon", lon);
  truth.add("lat", lat);
  truth.add("restored", restored);
  truth.add("planted_achievable_gC_m2_yr", achievable);
  truth.add("planted_nep_increment_gC_m2_yr", observed);
  truth.add("planted_potential_gC_m2_yr", planted);
  report::write_csv_file(out.staged("potential/truth.csv").string(), truth);
  // What the damage stage measures on this world (P in the last year), for the main demo.
  Table increment("increment");
  increment.add("mine_id", ids);
  increment.add("nep_increment_gC_m2_yr", observed);
  report::write_csv_file(out.staged("potential/nep_increment.csv").string(), increment);

  // A project of its own: damage on this world, then potential from the damage results in memory.
  {
    std::ofstream toml(out.staged("potential/project.toml"));
    toml << "# The potential world of the demo (minecarbon synth, seed " << seed
         << "): " << world.mines.size() << " mines,\n"
         << "# damage measures each mine's NEP increment, potential learns it from the "
            "covariates.\n"
         << "# Run: minecarbon run potential/project.toml; compare results/potential/tables/"
            "potential.csv\n"
         << "# with truth.csv (planted_potential_gC_m2_yr; strongest driver: "
         << world.strongest_driver << ").\n\n"
         << "[project]\nout = \"results\"\n\n"
         << "[damage]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\n"
         << "nep = \"nep/nep_{year}.tif\"\nyears = \"" << world.first_year << "-" << world.last_year
         << "\"\nmin_area_km2 = 0\nring_outer_m = 2000\nring_gap_m = 800\n\n"
         << "[potential]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\n"
         << "# response: nep_increment_gC_m2_yr (default) from the [damage] results above\n"
         << covariate_lines(world, "") << "group_by = [\"continent\"]\n";
  }
  std::ostringstream s;
  s << "# Restoration potential (minecarbon potential; docs/potential.md). The few mines above "
       "are\n"
    << "# too few for a random forest, so this section runs on the demo's potential world in\n"
    << "# potential/ (" << world.mines.size()
    << " mines). Its response is the NEP increment "
       "2015-2020 that the\n"
    << "# damage stage measures there, read from potential/nep_increment.csv; run\n"
    << "# `minecarbon run potential/project.toml` for the same chain with [damage] computing it.\n"
    << "# Planted answers: potential/truth.csv.\n"
    << "[potential]\nmines = \"potential/mines.gpkg\"\nid_field = \"mine_id\"\n"
    << "response_table = \"potential/nep_increment.csv\"\n"
    << covariate_lines(world, "potential/") << "group_by = [\"continent\"]\n";
  return s.str();
}

}  // namespace

std::unique_ptr<Command> make_potential_command() {
  return std::make_unique<PotentialCommand>();
}

DemoWriter potential_demo_writer() {
  return {"potential", write_potential_demo};
}

}  // namespace minecarbon::cli
