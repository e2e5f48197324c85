// `minecarbon vegetation`, its flags made from vegetation_options(), and the vegetation part of
// the demo (`minecarbon synth`).
#include <filesystem>
#include <memory>
#include <sstream>

#include "minecarbon/carbon/height_diameter.h"
#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/demo/synth_vegetation.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/vegetation_job.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {
using namespace pipeline;
std::unique_ptr<Command> make_vegetation_command() {
  return std::make_unique<StageCommand<VegetationJob>>(
      "vegetation",
      "forest and grass carbon from plot inventories, growth curves and the sink until "
      "saturation",
      vegetation_options, [](const VegetationJob& job, pipeline::MineSets& mine_sets) {
        return vegetation_stage(load_vegetation(job, &mine_sets));
      });
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
