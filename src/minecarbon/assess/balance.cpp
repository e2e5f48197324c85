#include "minecarbon/assess/balance.h"

#include <chrono>

#include "minecarbon/assess/balance/balance_steps.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {

const OptionTable<BalanceParams>& BalanceParams::options() {
  static const OptionTable<BalanceParams> table = [] {
    using P = BalanceParams;
    OptionTable<P> t("balance");
    t.add(
         "horizon_year", [](P& p) -> int& { return p.horizon_year; },
         "last year of the account; projections run to it, the neutral year is sought up to it")
        .range(1, kMaxCalendarYear);
    t.add(
         "first_year", [](P& p) -> int& { return p.first_year; },
         "count nothing before this year (e.g. the mine's opening); 0 = each mine from its first "
         "year with data")
        .range(0, kMaxCalendarYear)
        .shown_default("0 (first year with data)");
    t.add(
        "soil_scenario", [](P& p) -> std::string& { return p.soil_scenario; },
        "soil scenario used for every mine that has one of this name (\"ipcc\": the [soil.ipcc] "
        "trajectory)");
    t.add_choice(
        "soil_multiple", [](P& p) -> SoilScenarioRule& { return p.soil_multiple; },
        kSoilScenarioRuleNames.entries,
        "a mine with several soil scenarios (the IPCC trajectory last): first (with a warning), "
        "sum (scenarios are parts of the mine), error");
    return t;
  }();
  return table;
}

void BalanceParams::validate() const {
  check_options(options(), *this);
  if (first_year != 0 && first_year > horizon_year)
    throw OptionError("balance", "first_year",
                      "= " + std::to_string(first_year) + ": must not be after horizon_year (" +
                          std::to_string(horizon_year) + ")");
}

BalanceResult run_balance(const BalanceParams& params, const BalanceInputs& inputs,
                          const RunContext& context) {
  using namespace balance_steps;
  const auto started = std::chrono::steady_clock::now();
  params.validate();
  BalanceResult result;
  result.params = params;
  result.warnings.append(inputs.adapter_warnings);
  const bool present[kStageCount] = {inputs.emissions.has_value(), inputs.landuse.has_value(),
                                     inputs.damage.has_value(), inputs.vegetation.has_value(),
                                     inputs.soil.has_value()};
  for (int stage = 0; stage < kStageCount; ++stage)
    if (present[stage]) result.stages.push_back(kStageNames[stage]);
  if (result.stages.empty()) {
    std::string why;
    for (const auto& problem : inputs.adapter_warnings.listed())
      why += "\n  " + problem.message;
    throw DataError(
        "balance: no stage results to join" +
        (why.empty() ? std::string(".") : ": the stages gave nothing the balance can use:" + why) +
        "\ngive at least one of emissions, landuse, damage, vegetation (a carbon projection) or "
        "soil (scenarios with mine_id and area_ha): in a project, their sections; with "
        "`minecarbon balance`, --from the folder they wrote");
  }

  const JoinedMines mines = index_mines(inputs);
  check_common_ids(inputs, mines, result.warnings);
  MineSeries joined = build_series(params, inputs, mines, result.warnings);
  check_domain(inputs, mines, joined.series);

  std::vector<carbon::NetBalance> balances(joined.series.size());
  parallel_for(joined.series.size(), context.threads, [&](std::size_t idx, std::size_t) {
    balances[idx] = carbon::net_balance(joined.series[idx], params.horizon_year, params.first_year);
  });
  const double total_net =
      collect_mines(params, mines, std::move(joined.soil_used), std::move(balances), result);

  nlohmann::json& summary = result.summary;
  summary["stage"] = "balance";
  summary["sign_convention"] = kSignConvention;
  summary["double_counting"] =
      "one ecosystem basis per year: nep in damage years (map gains and projections not counted), "
      "else landuse in map periods (map gains counted), else projection after the last observed "
      "year to horizon_year; map loss transitions are always counted; land_cleared emission rows "
      "are not counted in the years a land-use map pair of the mine covers";
  summary["parameters"] = options_json(BalanceParams::options(), params);
  summary["stages"] = result.stages;
  nlohmann::json origins = nlohmann::json::object();
  for (const auto& [stage, origin] : inputs.origins)
    origins[stage] = origin;
  summary["origins"] = origins;
  summary["total_net_emission_co2e_t"] = total_net;
  summary["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minecarbon::assess
