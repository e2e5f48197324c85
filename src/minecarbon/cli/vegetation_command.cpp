// `minecarbon vegetation`, the [vegetation] section of a project file, and the vegetation part of
// the demo (`minecarbon synth`).
#include <filesystem>
#include <memory>
#include <sstream>

#include "minecarbon/carbon/height_diameter.h"
#include "minecarbon/cli/command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/demo/synth_vegetation.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/vegetation_job.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {
using namespace pipeline;
namespace {

class VegetationCommand : public Command {
 public:
  const char* name() const override { return "vegetation"; }
  const char* description() const override {
    return "forest and grass carbon from plot inventories, growth curves and the sink until "
           "saturation";
  }
  void setup(CLI::App& sub) override {
    auto& p = job_.params;
    sub.add_option("--trees", job_.trees, "tree list CSV (plot_id, species, dbh_cm, height_m, …)")
        ->required();
    sub.add_option("--plots", job_.plots, "plot table CSV (plot_id, area_m2, mine_id, …)")
        ->required();
    sub.add_option("--understorey", job_.understorey, "harvest quadrats CSV");
    sub.add_option("--species", job_.species, "per-species recipe CSV");
    sub.add_option("--mines", job_.mines, "mine polygons (areas are geodesic)");
    sub.add_option("--layer", job_.mines_layer, "layer of the mines file (default: first)");
    sub.add_option("--id-field", job_.id_field, "field with the mine id (default: feature id)");
    sub.add_flag("--no-repair", no_repair_, "refuse invalid polygons instead of repairing them");
    sub.add_option("--mine-areas", job_.mine_areas, "instead of --mines: CSV mine_id, area_ha");
    sub.add_option("--stratum-areas", job_.stratum_areas, "CSV mine_id, land_use, area_ha");
    sub.add_option("--volume-equations", job_.volume_equations,
                   "your volume equations (added to the shipped table)");
    sub.add_option("--bcef-table", job_.bcef_table, "your BCEF classes");
    sub.add_option("--continuous-bef-table", job_.continuous_bef_table, "your B = aV + b rows");
    sub.add_option("--root-shoot-table", job_.root_shoot_table, "your root:shoot classes");
    sub.add_option("--allometry-table", job_.allometry_table, "your allometric equations");
    sub.add_flag("--no-shipped-tables", no_shipped_, "use only your own factor tables");
    sub.add_option("--biomass-method", biomass_method_,
                   "default: " + carbon::biomass_method_choices())
        ->capture_default_str();
    sub.add_option("--root-method", root_method_, "auto, " + carbon::root_method_choices())
        ->capture_default_str();
    sub.add_option("--root-shoot-class", p.root_shoot_class, "default root:shoot class")
        ->capture_default_str();
    sub.add_option("--root-allometry", p.root_allometry, "default root allometry id")
        ->capture_default_str();
    sub.add_option("--allometry", p.allometry, "default above-ground allometry id");
    sub.add_option("--bcef-group", p.bcef_group, "default BCEF forest group");
    sub.add_option("--carbon-fraction", p.carbon_fraction, "of tree dry matter (0.47 IPCC)")
        ->capture_default_str();
    sub.add_option("--carbon-fraction-understorey", p.carbon_fraction_understorey,
                   "of shrubs and herbs")
        ->capture_default_str();
    sub.add_option("--carbon-fraction-litter", p.carbon_fraction_litter, "of litter")
        ->capture_default_str();
    sub.add_option("--carbon-fraction-dead-wood", p.carbon_fraction_dead_wood, "of lying dead wood")
        ->capture_default_str();
    sub.add_option("--height-model", p.height_model,
                   "best, " + carbon::height_diameter_model_choices())
        ->capture_default_str();
    sub.add_option("--height-model-by", height_by_, "species, species_land_use, all")
        ->capture_default_str();
    sub.add_option("--height-model-min-trees", p.height_model_min_trees,
                   "measured heights for a group's own model")
        ->capture_default_str();
    sub.add_option("--precision-threshold-pct", p.precision_threshold_pct,
                   "allowed relative CI half-width, %")
        ->capture_default_str();
    sub.add_option("--precision-confidence", p.precision_confidence,
                   "confidence level of the precision rule")
        ->capture_default_str();
    sub.add_flag("--no-growth", no_growth_, "no growth curves and projection");
    sub.add_option("--growth-model", growth_models_,
                   "model to fit (repeatable): " + carbon::growth_model_choices());
    sub.add_option("--growth-response", growth_response_, assess::growth_response_choices())
        ->capture_default_str();
    sub.add_option("--criterion", criterion_, carbon::selection_criterion_choices())
        ->capture_default_str();
    sub.add_option("--growth-on-failure", on_failure_, "error or skip")->capture_default_str();
    sub.add_option("--growth-land-use", p.growth_land_uses, "land use to fit (repeatable)");
    sub.add_option("--horizon-yr", p.horizon_yr, "projection horizon, years")
        ->capture_default_str();
    sub.add_option("--step-yr", p.step_yr, "projection step, years")->capture_default_str();
    sub.add_option("--saturation-fraction", p.saturation_fraction,
                   "saturation: fraction of the asymptote")
        ->capture_default_str();
    sub.add_option("--increment-threshold", p.increment_threshold_per_yr,
                   "saturation: annual increment below this (unit of the response per year)");
    sub.add_option("--band-level", p.band_level, "level of the uncertainty bands")
        ->capture_default_str();
    sub.add_option("--mc-draws", p.monte_carlo_draws, "Monte Carlo draws (0 = off)")
        ->capture_default_str();
    sub.add_option("--inventory-year", p.inventory_year, "calendar year of the inventory");
    sub.add_option("--encoding", job_.encoding, kEncodingDoc)->capture_default_str();
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    auto& p = job_.params;
    job_.repair = !no_repair_;
    job_.shipped_tables = !no_shipped_;
    p.growth = !no_growth_;
    auto flag = [](const char* name, auto parse) {
      try {
        parse();
      } catch (const ConfigError& e) {
        throw ConfigError(std::string("vegetation: --") + name + ": " + e.what());
      }
    };
    flag("biomass-method",
         [&] { p.biomass_method = carbon::parse_biomass_method(biomass_method_); });
    flag("root-method", [&] {
      if (root_method_ == "auto") {
        p.root_method.reset();
      } else {
        p.root_method = carbon::parse_root_method(root_method_);
      }
    });
    flag("height-model-by", [&] { p.height_model_by = assess::parse_height_grouping(height_by_); });
    flag("growth-response",
         [&] { p.growth_response = assess::parse_growth_response(growth_response_); });
    flag("criterion",
         [&] { p.selection_criterion = carbon::parse_selection_criterion(criterion_); });
    flag("growth-on-failure",
         [&] { p.growth_on_failure = assess::parse_growth_failure_policy(on_failure_); });
    if (!growth_models_.empty()) set_growth_models(p, growth_models_, "vegetation: --growth-model");
    pipeline::run_single_job(
        "vegetation", vegetation_inputs(job_), out_dir_, context,
        [&](pipeline::StageOutput& out) { run_vegetation_job(job_, out, context); });
  }

 private:
  VegetationJob job_;
  std::string out_dir_;
  std::string biomass_method_ = "continuous_bef";
  std::string root_method_ = "auto";
  std::string height_by_ = "species";
  std::string growth_response_ = "tree_carbon";
  std::string criterion_ = "aic_loglik";
  std::string on_failure_ = "error";
  std::vector<std::string> growth_models_;
  bool no_repair_ = false, no_shipped_ = false, no_growth_ = false;
};

}  // namespace

std::unique_ptr<Command> make_vegetation_command() {
  return std::make_unique<VegetationCommand>();
}

std::string write_vegetation_demo(const demo::SynthWorld& world, OutputDir& out,
                                  std::uint64_t seed) {
  assess::VegetationTables tables;
  tables.volume_equations.push_back(read_csv_file(shipped_data_file("volume_equations.csv")));
  tables.bcef.push_back(read_csv_file(shipped_data_file("bcef_ipcc2006.csv")));
  tables.continuous_bef.push_back(read_csv_file(shipped_data_file("continuous_bef_fang.csv")));
  tables.root_shoot.push_back(read_csv_file(shipped_data_file("root_shoot_ipcc2019.csv")));
  tables.allometry.push_back(read_csv_file(shipped_data_file("biomass_allometry.csv")));
  const demo::SynthVegetation veg = demo::make_synth_vegetation(world, tables, seed);
  for (const Table* t : {&veg.trees, &veg.plots, &veg.understorey, &veg.species, &veg.stratum_areas,
                         &veg.truth_growth, &veg.truth_plots}) {
    report::write_csv_file(out.staged("vegetation/" + t->name() + ".csv").string(), *t);
  }
  std::ostringstream section;
  section
      << "# Synthetic plot inventory with planted Chapman-Richards curves of tree carbon\n"
      << "# (vegetation/truth_growth.csv); results in results/vegetation/.\n"
      << "[vegetation]\n"
      << "trees = \"vegetation/trees.csv\"\n"
      << "plots = \"vegetation/plots.csv\"\n"
      << "understorey = \"vegetation/understorey.csv\"\n"
      << "species = \"vegetation/species.csv\"\n"
      << "mines = \"mines.gpkg\"\n"
      << "id_field = \"mine_id\"\n"
      << "stratum_areas = \"vegetation/stratum_areas.csv\"\n"
      << "growth_response = \"tree_carbon\"\n"
      << "growth_models = [\"chapman_richards3\", \"logistic\", \"gompertz\", \"mitscherlich\"]\n"
      << "selection_criterion = \"aic_loglik\"\n"
      << "horizon_yr = 50\n"
      << "inventory_year = " << veg.inventory_year << "\n";
  return section.str();
}

}  // namespace minecarbon::cli
