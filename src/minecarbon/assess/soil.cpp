// The soil stage: run_soil calls the steps of soil/ in order (soil/README.md) and keeps their
// typed records.
#include "minecarbon/assess/soil.h"

#include <string>
#include <utility>
#include <vector>

#include "minecarbon/assess/soil/comparison.h"
#include "minecarbon/assess/soil/ipcc.h"
#include "minecarbon/assess/soil/profiles.h"
#include "minecarbon/assess/soil/scenarios.h"
#include "minecarbon/assess/soil/stocks.h"
#include "minecarbon/assess/soil/totals.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {
namespace {

// The profile part of the stage: reading, horizons, interval stocks and ESM, totals, comparison.
void run_profiles(const SoilParams& params, const SoilInputs& inputs, const RunContext& context,
                  SoilResult& result, nlohmann::json& counts) {
  ProblemList& warnings = result.warnings;
  const soil::ProfileSet set = soil::read_profiles(*inputs.profiles, params, warnings);
  std::vector<soil::AreaRow> areas;
  if (inputs.areas) areas = soil::read_areas(*inputs.areas);
  counts["profiles"] = set.profiles.size();
  counts["horizon_rows"] = set.horizon_rows;
  counts["bulk_density_from_ptf"] = set.bd_estimated;
  context.say("soil: " + std::to_string(set.profiles.size()) + " profiles");

  const auto& profiles = set.profiles;
  result.horizons = soil::horizon_records(profiles, params.bd_ptf);
  soil::IntervalStocks stocks = soil::interval_stocks(params, profiles, warnings);
  counts["profile_intervals_too_shallow"] = stocks.too_shallow;
  counts["spline_intervals_clipped_at_0"] = stocks.clipped;
  const std::vector<std::size_t> refs = soil::reference_profiles(params, profiles);
  soil::add_esm_stocks(params, profiles, refs, stocks);
  result.profile_stocks = soil::profile_stock_records(params, profiles, stocks);
  result.land_use_stocks = soil::land_use_stock_records(params, profiles, stocks, areas);
  if (set.has_mines) {
    result.mine_stocks = soil::mine_stock_records(params, profiles, stocks, areas,
                                                  inputs.areas.has_value(), warnings);
  }
  if (!params.reference.empty())
    result.comparisons = soil::comparison_records(params, set, refs, stocks, warnings);
}

}  // namespace

SoilResult run_soil(const SoilParams& params, const SoilInputs& inputs, const RunContext& context) {
  params.validate();
  SoilResult result;
  nlohmann::json counts = nlohmann::json::object();
  if (inputs.profiles) run_profiles(params, inputs, context, result, counts);
  // The areas table, read once for whatever takes its mines from it (areas_land_use).
  std::vector<soil::AreaRow> areas;
  const std::string areas_file = inputs.areas ? inputs.areas->source : "";
  auto need_areas = [&] {
    if (areas.empty() && inputs.areas) areas = soil::read_areas(*inputs.areas);
  };
  if (inputs.ipcc) {
    check_ipcc_against_stage(*inputs.ipcc, inputs.areas.has_value(), inputs.scenarios);
    if (!inputs.ipcc->areas_land_use.empty()) need_areas();
    result.ipcc = soil::ipcc_records(*inputs.ipcc, inputs.ipcc_tables, areas, areas_file);
    counts["ipcc_states"] = inputs.ipcc->states.size();
  }
  if (!inputs.scenarios.empty()) {
    context.say("soil: " + std::to_string(inputs.scenarios.size()) + " RothC scenarios");
    for (std::size_t idx = 0; idx < inputs.scenarios.size(); ++idx) {
      if (inputs.scenarios[idx].areas_land_use.empty()) continue;
      if (!inputs.areas)
        throw OptionError("soil.scenarios[" + std::to_string(idx + 1) + "]", "areas_land_use",
                          "'" + inputs.scenarios[idx].name +
                              "' takes its mines from the areas table: set areas = \"areas.csv\" "
                              "(mine_id, land_use, area_ha) in [soil]");
      need_areas();
    }
    result.scenarios = soil::run_scenarios(inputs.scenarios, areas, areas_file, context);
    counts["scenarios"] = inputs.scenarios.size();
  }
  result.summary["stage"] = "soil";
  // The parameters echo comes from the option tables, so every option appears in it.
  nlohmann::json& echo = result.summary["parameters"];
  echo = options_json(SoilParams::options(), params);
  if (inputs.ipcc) {
    echo["ipcc"] = options_json(SoilIpccSpec::options(), *inputs.ipcc);
    for (const auto& state : inputs.ipcc->states)
      echo["ipcc"]["states"].push_back(options_json(IpccStateSpec::options(), state));
    echo["ipcc"]["factor_tables"] = inputs.ipcc_tables.factor_files;
    echo["ipcc"]["soc_ref_tables"] = inputs.ipcc_tables.soc_ref_files;
  }
  for (const auto& sc : inputs.scenarios)
    echo["scenarios"].push_back(scenario_json(sc));
  result.summary["counts"] = counts;
  return result;
}

}  // namespace minecarbon::assess
