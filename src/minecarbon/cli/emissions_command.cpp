// `minecarbon emissions`, its flags made from emissions_options(), and the emissions part of the
// demo.
#include <memory>
#include <sstream>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/table.h"
#include "minecarbon/core/text.h"
#include "minecarbon/demo/synth_emissions.h"
#include "minecarbon/pipeline/emissions_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {
using namespace pipeline;
std::unique_ptr<Command> make_emissions_command() {
  return std::make_unique<StageCommand<EmissionsJob>>(
      "emissions",
      "CO2, CH4, N2O and CO2e of the mining process (diesel, explosives, coal-mine methane, "
      "electricity, land clearing) per mine and year",
      emissions_options, [](const EmissionsJob& job, pipeline::MineSets&) {
        return emissions_stage(load_emissions(job));
      });
}

// ---- demo ----------------------------------------------------------------------------------

std::string write_emissions_demo(const demo::SynthWorld& world, OutputDir& out, std::uint64_t) {
  const demo::SynthEmissions em =
      demo::make_synth_emissions(world, demo::make_synth_landuse(world));
  auto optional = [](double v) { return v < 0 ? std::string() : format_number(v); };

  Table activity("activity");
  std::vector<std::string> id, source, unit, subtype, region, fuel_oil, depth, flare;
  std::vector<std::int64_t> year;
  std::vector<double> amount;
  for (const auto& r : em.activity) {
    id.push_back(r.mine_id);
    year.push_back(r.year);
    source.push_back(r.source);
    amount.push_back(r.amount);
    unit.push_back(r.unit);
    subtype.push_back(r.subtype);
    region.push_back(r.region);
    fuel_oil.push_back(optional(r.fuel_oil_fraction));
    depth.push_back(optional(r.overburden_depth_m));
    flare.push_back(optional(r.flare_efficiency));
  }
  activity.add("mine_id", id);
  activity.add("year", year);
  activity.add("source", source);
  activity.add("amount", amount);
  activity.add("unit", unit);
  activity.add("subtype", subtype);
  activity.add("region", region);
  activity.add("fuel_oil_fraction", fuel_oil);
  activity.add("overburden_depth_m", depth);
  activity.add("flare_efficiency", flare);
  report::write_csv_file(out.staged("emissions/activity.csv").string(), activity);

  // The demo region's grid factors: made-up values, labelled so, one year left out on purpose.
  Table grid("grid_factors");
  std::vector<std::string> g_region, g_name, g_kind, g_source, g_status;
  std::vector<std::int64_t> g_year;
  std::vector<double> g_factor;
  for (const auto& g : em.grid) {
    g_region.push_back(g.region);
    g_name.push_back("Shaanxi (synthetic demo)");
    g_kind.push_back("province");
    g_year.push_back(g.year);
    g_factor.push_back(g.co2_t_per_MWh);
    g_source.push_back("synthetic demo value made by minecarbon synth; not a published factor");
    g_status.push_back("synthetic_demo");
  }
  grid.add("region", g_region);
  grid.add("name", g_name);
  grid.add("kind", g_kind);
  grid.add("year", g_year);
  grid.add("co2_t_per_MWh", g_factor);
  grid.add("source", g_source);
  grid.add("status", g_status);
  report::write_csv_file(out.staged("emissions/grid_factors_demo.csv").string(), grid);

  Table truth("truth_emissions");
  std::vector<std::string> t_id, t_source;
  std::vector<std::int64_t> t_year;
  std::vector<double> t_co2, t_ch4, t_n2o, t_co2e;
  for (const auto& t : em.truth) {
    t_id.push_back(t.mine_id);
    t_year.push_back(t.year);
    t_source.push_back(t.source);
    t_co2.push_back(t.co2_t);
    t_ch4.push_back(t.ch4_t);
    t_n2o.push_back(t.n2o_t);
    t_co2e.push_back(t.co2e_t);
  }
  truth.add("mine_id", t_id);
  truth.add("year", t_year);
  truth.add("source", t_source);
  truth.add("co2_t", t_co2);
  truth.add("ch4_t", t_ch4);
  truth.add("n2o_t", t_n2o);
  truth.add("co2e_ar5_t", t_co2e);
  report::write_csv_file(out.staged("emissions/truth_emissions.csv").string(), truth);

  std::ostringstream section;
  section << "# Activity 2000-2020 of every mine from its onset (every source and unit), with a\n"
          << "# synthetic grid-factor table for " << em.region << " that lacks "
          << em.missing_grid_year << " (the stage warns and uses " << em.missing_grid_year - 1
          << ");\n"
          << "# emissions/truth_emissions.csv: the hand-computed gases per mine, year and source\n"
          << "# (AR5); results in results/emissions/.\n"
          << "[emissions]\n"
          << "activity = \"emissions/activity.csv\"\n"
          << "grid_factors = \"emissions/grid_factors_demo.csv\"\n"
          << "pools = \"landuse/pools.csv\"\n"
          << "gwp = \"AR5\"\n";
  return section.str();
}

}  // namespace minecarbon::cli
