// `minecarbon potential …`, the [potential] section of a project file and the potential part of
// the demo (`minecarbon synth`).
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/demo/synth_potential.h"
#include "minecarbon/demo/synth_world.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/potential_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/report/raster_writer.h"
#include "minecarbon/report/writers.h"

namespace fs = std::filesystem;

namespace minecarbon::cli {
using namespace pipeline;
namespace {

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

class PotentialCommand : public StageCommand<PotentialJob> {
 public:
  PotentialCommand()
      : StageCommand("potential",
                     "restoration potential of every mine: covariates, Yeo-Johnson, tuned random "
                     "forest, driver importance",
                     potential_options, [](const PotentialJob& job, MineSets& mine_sets) {
                       return potential_stage(load_potential(job, false, &mine_sets));
                     }) {}

 protected:
  // The covariates list of the project file, one flag per statistic (covariate_options()).
  void add_flags(CLI::App& sub) override {
    sub.add_option("--covariate", mean_covariates_,
                   "NAME=RASTER, area-weighted mean over the mine (repeatable)");
    sub.add_option("--covariate-sum", sum_covariates_,
                   "NAME=RASTER, sum of coverage x value, for per-cell totals (repeatable)");
    sub.add_option("--covariate-area-sum", area_sum_covariates_,
                   "NAME=RASTER, sum of coverage x area x value, for densities per m2");
  }
  void complete(PotentialJob& job) override {
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
    pipeline::complete(job);
  }
  ConfigError option_error(const OptionError& e) const override {
    if (e.key() == "covariates")
      return ConfigError("potential: " + with_problem("--covariate", e.problem()));
    return flags_.error(e);
  }

 private:
  std::vector<std::string> mean_covariates_, sum_covariates_, area_sum_covariates_;
};

// ---- demo ----------------------------------------------------------------------------------

// The potential part of the demo, on the demo world's own mines (demo/synth_potential.h): the
// covariate rasters, the planted answers, and a [potential] section whose response is the NEP
// increment the project's [damage] section measures, passed in memory.
std::string write_potential_demo(const demo::SynthWorld& world, OutputDir& out, std::uint64_t) {
  const demo::SynthPotential potential = demo::make_synth_potential(world);
  for (const auto& c : potential.covariates) {
    report::write_geotiff_float32(out.staged("potential/covariates/" + c.name + ".tif").string(),
                                  c.grid, "EPSG:4326", c.values, world.nodata);
  }
  report::write_geotiff_float32(out.staged("potential/dem.tif").string(), potential.dem.grid,
                                "EPSG:4326", potential.dem.values, world.nodata);
  Table truth("truth");
  std::vector<std::string> ids, iso3;
  std::vector<std::int64_t> restored;
  std::vector<double> lon, lat, achievable, observed, planted;
  for (const auto& m : world.mines) {
    ids.push_back(m.id);
    iso3.push_back(m.iso3);
    restored.push_back(m.potential_restored ? 1 : 0);
    lon.push_back(m.lon);
    lat.push_back(m.lat);
    achievable.push_back(m.achievable_gC_m2_yr);
    observed.push_back(m.nep_increment_gC_m2_yr);
    planted.push_back(m.planted_potential_gC_m2_yr());
  }
  truth.add("mine_id", ids);
  truth.add("iso3", iso3);
  truth.add("lon", lon);
  truth.add("lat", lat);
  truth.add("restored", restored);
  truth.add("planted_achievable_gC_m2_yr", achievable);
  truth.add("planted_nep_increment_gC_m2_yr", observed);
  truth.add("planted_potential_gC_m2_yr", planted);
  report::write_csv_file(out.staged("potential/truth.csv").string(), truth);

  std::ostringstream s;
  s << "# Restoration potential (minecarbon potential; docs/potential.md) of the same mines: the\n"
    << "# response is the NEP increment 2000-2020 that [damage] above measures (in memory); the\n"
    << "# covariates drive a planted achievable increment (strongest driver: "
    << potential.strongest_driver << ").\n"
    << "# Planted answers: potential/truth.csv.\n"
    << "[potential]\nmines = \"mines.gpkg\"\nid_field = \"mine_id\"\n"
    << "covariates = [\n";
  for (const auto& c : potential.covariates) {
    s << "  { name = \"" << c.name << "\", raster = \"potential/covariates/" << c.name << ".tif\"";
    if (c.stat != "mean") s << ", stat = \"" << c.stat << "\"";
    s << " },\n";
  }
  s << "  { name = \"elevation_m\", raster = \"potential/dem.tif\" },\n]\n"
    << "dem = \"potential/dem.tif\"\n"
    << "terrain = [\"slope_deg\", \"northness\", \"eastness\", \"general_curvature_per_m\"]\n"
    << "group_by = [\"ISO3_CODE\", \"continent\"]\n";
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
