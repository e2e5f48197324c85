// `minecarbon balance --from RESULTS_DIR --horizon-year 2060 --out DIR`: the net carbon balance
// of every mine from the tables other runs wrote, its flags made from balance_options(), and the
// balance part of the demo.
#include <cmath>
#include <memory>
#include <sstream>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/stage_command.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/table.h"
#include "minecarbon/demo/synth_balance.h"
#include "minecarbon/demo/synth_emissions.h"
#include "minecarbon/pipeline/balance_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {
std::unique_ptr<Command> make_balance_command() {
  return std::make_unique<StageCommand<pipeline::BalanceJob>>(
      "balance",
      "net carbon balance of every mine by year (t CO2e, positive = emission) and the year "
      "it becomes carbon-neutral",
      pipeline::balance_options,
      [](const pipeline::BalanceJob& job, pipeline::MineSets& mine_sets) {
        return pipeline::balance_stage(pipeline::load_balance(job, &mine_sets));
      });
}

// ---- demo ----------------------------------------------------------------------------------

std::string write_balance_demo(const demo::SynthWorld& world, OutputDir& out, std::uint64_t) {
  constexpr int kHorizon = 2060;
  constexpr double kMinAreaKm2 = 1.0;  // the demo's [damage] min_area_km2 (synth_command.cpp)
  const demo::SynthLanduse landuse = demo::make_synth_landuse(world);
  const demo::SynthBalance truth = demo::make_synth_balance(
      world, landuse, demo::make_synth_emissions(world, landuse), kHorizon, kMinAreaKm2);
  const double nan = std::nan("");
  {
    Table t("truth_balance");
    std::vector<std::string> id, basis;
    std::vector<std::int64_t> year;
    std::vector<double> process, clearing, foregone, gain, restoration, net, cumulative;
    for (const auto& y : truth.years) {
      id.push_back(y.mine_id);
      year.push_back(y.year);
      basis.push_back(y.basis);
      process.push_back(y.process_co2e_t);
      clearing.push_back(y.clearing_co2e_t);
      foregone.push_back(y.foregone_co2e_t);
      gain.push_back(y.landuse_gain_co2e_t);
      restoration.push_back(y.restoration_co2e_t);
      net.push_back(y.net_co2e_t);
      cumulative.push_back(y.cumulative_co2e_t);
    }
    t.add("mine_id", id);
    t.add("year", year);
    t.add("ecosystem_basis", basis);
    t.add("process_emission_co2e_t", process);
    t.add("clearing_emission_co2e_t", clearing);
    t.add("foregone_sink_co2e_t", foregone);
    t.add("landuse_gain_removal_co2e_t", gain);
    t.add("restoration_removal_co2e_t", restoration);
    t.add("net_emission_co2e_t", net);
    t.add("cumulative_net_emission_co2e_t", cumulative);
    report::write_csv_file(out.staged("balance/truth_balance.csv").string(), t);
  }
  {
    Table t("truth_balance_mines");
    std::vector<std::string> id, status;
    std::vector<double> first, neutral, interp, removal, cumulative;
    std::vector<double> process, clearing, foregone, gain, restoration;
    auto or_nan = [&](const auto& v) { return v ? static_cast<double>(*v) : nan; };
    for (const auto& m : truth.mines) {
      id.push_back(m.mine_id);
      status.push_back(m.status);
      first.push_back(m.first_year);
      neutral.push_back(or_nan(m.neutral_year));
      interp.push_back(or_nan(m.neutral_year_interp));
      removal.push_back(or_nan(m.first_net_removal_year));
      cumulative.push_back(m.cumulative_co2e_t);
      process.push_back(m.process_co2e_t);
      clearing.push_back(m.clearing_co2e_t);
      foregone.push_back(m.foregone_co2e_t);
      gain.push_back(m.landuse_gain_co2e_t);
      restoration.push_back(m.restoration_co2e_t);
    }
    t.add("mine_id", id);
    t.add("status", status);
    t.add("first_year", first);
    t.add("process_emission_co2e_t", process);
    t.add("clearing_emission_co2e_t", clearing);
    t.add("foregone_sink_co2e_t", foregone);
    t.add("landuse_gain_removal_co2e_t", gain);
    t.add("restoration_removal_co2e_t", restoration);
    t.add("carbon_neutral_year", neutral);
    t.add("neutral_year_interp", interp);
    t.add("first_net_removal_year", removal);
    t.add("cumulative_net_emission_co2e_t", cumulative);
    report::write_csv_file(out.staged("balance/truth_balance_mines.csv").string(), t);
  }
  std::ostringstream section;
  section << "# The net carbon balance of every mine (t CO2e, positive = emission), joining the\n"
          << "# stages above. balance/truth_balance*.csv: the planted balance of every mine from\n"
          << "# [damage], [landuse] and [emissions] (run those sections with this one to compare\n"
          << "# every value; up to 2020 the full run gives the same, and the fitted vegetation\n"
          << "# and soil projections add restoration removals after 2020).\n"
          << "[balance]\n"
          << "horizon_year = " << kHorizon << "\n"
          << "mines = \"mines.gpkg\"\n"
          << "id_field = \"mine_id\"\n";
  return section.str();
}

}  // namespace minecarbon::cli
