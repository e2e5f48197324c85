// `minecarbon potential …`, the [potential] section of a project file and the potential part of
// the demo (`minecarbon synth`).
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "minecarbon/assess/synth_potential.h"
#include "minecarbon/cli/command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
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

// "3,6,11" or repeated options → numbers.
std::vector<std::size_t> parse_counts(const std::vector<std::string>& texts,
                                      const std::string& option) {
  std::vector<std::size_t> out;
  for (const auto& text : texts) {
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
      try {
        std::size_t used = 0;
        const long long value = std::stoll(item, &used);
        if (used != item.size() || value < 0) throw std::invalid_argument(item);
        out.push_back(static_cast<std::size_t>(value));
      } catch (const std::exception&) {
        throw ConfigError(option + " '" + text + "': expected whole numbers >= 0, e.g. 3,6,11");
      }
    }
  }
  return out;
}

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
    auto& p = job_.params;
    sub.add_option("--mines", job_.mines, "mine polygons (any OGR format, any CRS)")->required();
    sub.add_option("--layer", job_.mines_layer, "layer of the mines file (default: first)");
    sub.add_option("--id-field", job_.id_field, "field with the mine id (as in damage)");
    sub.add_flag("--no-repair", no_repair_, "refuse invalid polygons instead of repairing them");
    sub.add_option("--covariate", mean_covariates_,
                   "NAME=RASTER, area-weighted mean over the mine (repeatable)");
    sub.add_option("--covariate-sum", sum_covariates_,
                   "NAME=RASTER, sum of coverage x value, for per-cell totals (repeatable)");
    sub.add_option("--covariate-area-sum", area_sum_covariates_,
                   "NAME=RASTER, sum of coverage x area x value, for densities per m2");
    sub.add_option("--dem", job_.dem, "elevation raster (m) for terrain covariates");
    sub.add_option("--terrain", terrain_,
                   "terrain covariates (default with --dem: all but aspect_deg), comma-separated");
    sub.add_option("--slope-method", job_.slope_method, "zevenbergen_thorne or horn")
        ->capture_default_str();
    sub.add_flag("--no-mine-area", no_mine_area_, "do not use the mine area as a covariate");
    sub.add_option("--damage", job_.damage_dir,
                   "damage output folder holding the response (tables/mines.csv, mine_year.csv)");
    sub.add_option("--response-table", job_.response_table,
                   "CSV with one row per mine holding the response instead");
    sub.add_option("--response-id-field", job_.response_id_field, "id column of the table")
        ->capture_default_str();
    sub.add_option("--response", p.response, "response column")->capture_default_str();
    sub.add_option("--threshold", p.response_threshold,
                   "training pool: response above this (gC/m2/yr for NEP)")
        ->capture_default_str();
    sub.add_option("--max-training-mines", p.max_training_mines,
                   "sample at most this many pool mines")
        ->capture_default_str();
    sub.add_option("--validation-fraction", p.validation_fraction, "share held out")
        ->capture_default_str();
    sub.add_option("--min-training-mines", p.min_training_mines, "fewer stop the run")
        ->capture_default_str();
    sub.add_option("--missing-covariates", missing_, "exclude or impute_median")
        ->capture_default_str();
    sub.add_flag("--no-yeo-johnson", no_yeo_johnson_, "use the covariates untransformed");
    sub.add_option("--yeo-johnson-optimizer", optimizer_, "bounded or brent_bracket")
        ->capture_default_str();
    sub.add_flag("--no-standardize", no_standardize_, "do not standardise after Yeo-Johnson");
    sub.add_option("--folds", p.grid.cv.folds, "cross-validation folds")->capture_default_str();
    sub.add_option("--grid-mtry", grid_mtry_, "mtry values, e.g. 3,6,11 (0 = floor(sqrt(p)))");
    sub.add_option("--grid-min-node-size", grid_node_, "minimum node sizes (default 1,5,10)");
    sub.add_option("--grid-max-depth", grid_depth_, "maximum depths (default 0 = none)");
    sub.add_option("--grid-trees", grid_trees_, "numbers of trees (default 200)");
    sub.add_option("--conditional-mode", conditional_mode_, "permimp or party")
        ->capture_default_str();
    sub.add_option("--conditional-threshold", p.conditional.threshold,
                   "selection threshold (default: the mode's)");
    sub.add_option("--conditional-forest", conditional_forest_, "model or party_like")
        ->capture_default_str();
    sub.add_option("--interval", p.interval, "central probability of the prediction interval")
        ->capture_default_str();
    sub.add_option("--group-by", p.group_by, "fields or M49 columns (continent, region, ...)");
    sub.add_option("--iso3-field", p.iso3_field, "ISO-3 field for the M49 join");
    sub.add_option("--m49-table", job_.m49_table, "UN M49 table (default: shipped)");
    sub.add_flag("--covariates-only", p.covariates_only, "stop after the covariate table");
    sub.add_flag("--no-model-file", no_model_file_, "do not write model/forest.mcrf");
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    auto& p = job_.params;
    job_.repair = !no_repair_;
    job_.mine_area = !no_mine_area_;
    job_.save_model = !no_model_file_;
    p.yeo_johnson = !no_yeo_johnson_;
    p.yeo_johnson_params.standardize = !no_standardize_;
    p.missing_covariates = assess::missing_covariates_from_string(missing_);
    p.yeo_johnson_params.lambda.optimizer = stats::yeo_johnson_optimizer_from_string(optimizer_);
    p.conditional.mode = ml::conditional_importance_mode_from_string(conditional_mode_);
    p.conditional_forest = assess::conditional_forest_from_string(conditional_forest_);
    for (const auto& text : mean_covariates_)
      job_.covariates.push_back(
          parse_covariate_option(text, assess::CovariateStat::mean, "--covariate"));
    for (const auto& text : sum_covariates_)
      job_.covariates.push_back(
          parse_covariate_option(text, assess::CovariateStat::sum, "--covariate-sum"));
    for (const auto& text : area_sum_covariates_)
      job_.covariates.push_back(
          parse_covariate_option(text, assess::CovariateStat::area_sum, "--covariate-area-sum"));
    job_.terrain = split_list(terrain_);
    if (job_.terrain.empty() && !job_.dem.empty()) {
      for (auto covariate : assess::all_terrain_covariates())
        if (covariate != assess::TerrainCovariate::aspect_deg)
          job_.terrain.emplace_back(assess::to_string(covariate));
    }
    p.grid.mtry = parse_counts(grid_mtry_, "--grid-mtry");
    p.grid.min_node_size = parse_counts(grid_node_, "--grid-min-node-size");
    p.grid.max_depth = parse_counts(grid_depth_, "--grid-max-depth");
    p.grid.num_trees = parse_counts(grid_trees_, "--grid-trees");
    pipeline::run_single_job(
        "potential", potential_inputs(job_), out_dir_, context,
        [&](pipeline::StageOutput& out) { run_potential_job(job_, out, context, nullptr); });
  }

 private:
  PotentialJob job_;
  std::string out_dir_, missing_ = "exclude", optimizer_ = "bounded", conditional_mode_ = "permimp",
                        conditional_forest_ = "model";
  std::vector<std::string> mean_covariates_, sum_covariates_, area_sum_covariates_, terrain_;
  std::vector<std::string> grid_mtry_, grid_node_, grid_depth_, grid_trees_;
  bool no_repair_ = false, no_mine_area_ = false, no_yeo_johnson_ = false, no_standardize_ = false,
       no_model_file_ = false;
};

// ---- demo ----------------------------------------------------------------------------------

// The [potential] keys for the demo's covariates (paths relative to `prefix`).
std::string covariate_lines(const assess::SynthPotentialWorld& world, const std::string& prefix) {
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

std::string write_potential_demo(const assess::SynthWorld&, OutputDir& out, std::uint64_t seed) {
  const assess::SynthPotentialWorld world = assess::make_synth_potential_world(seed, kDemoMines);
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
