#include "minecarbon/assess/balance/soil_adapter.h"

#include <cmath>
#include <string>

namespace minecarbon::assess {

std::vector<SoilSequestrationRecord> soil_sequestration_records(const SoilResult& soil,
                                                                ProblemList& warnings) {
  std::vector<SoilSequestrationRecord> out;
  for (const ScenarioRecord& s : soil.scenarios) {
    // areas_land_use: a series per mine, per ha × the mine's area (as the scenario_years table).
    for (const ScenarioMineRecord& m : s.mines)
      for (const ScenarioYearRecord& y : s.years)
        out.push_back({s.scenario, m.mine_id, y.year, y.sequestration_tC_ha_yr * m.area_ha});
    if (!s.mines.empty()) continue;
    if (s.mine_id.empty()) {
      warnings.add("soil_scenario_without_mine",
                   "soil scenario '" + s.scenario +
                       "' names no mine_id: not counted (set mine_id in its [[soil.scenarios]])");
      continue;
    }
    if (std::isnan(s.area_ha)) {
      warnings.add("soil_scenario_without_area",
                   "soil scenario '" + s.scenario +
                       "' has no area, so no total in t C/yr: not counted (set area_ha)");
      continue;
    }
    for (const ScenarioYearRecord& y : s.years)
      out.push_back({s.scenario, s.mine_id, y.year, y.sequestration_tC_yr});
  }
  const SoilIpccResult& ipcc = soil.ipcc;
  if (ipcc.trajectory.empty()) return out;
  // Its mines of areas_land_use, or its one mine with its area (SoilIpccSpec::validate refuses a
  // mine_id without area_ha); the per-ha change of each year × the mine's area.
  std::vector<ScenarioMineRecord> mines = ipcc.mines;
  if (mines.empty() && !ipcc.mine_id.empty()) {
    if (std::isnan(ipcc.area_ha)) {
      warnings.add("soil_ipcc_without_area",
                   "the IPCC soil trajectory of mine '" + ipcc.mine_id +
                       "' has no area, so no total in t C/yr: not counted (set area_ha in "
                       "[soil.ipcc])");
      return out;
    }
    mines.push_back({ipcc.mine_id, ipcc.area_ha});
  }
  if (mines.empty()) {
    warnings.add("soil_ipcc_without_mine",
                 "the IPCC soil trajectory names no mine: not counted (set mine_id and area_ha, "
                 "or areas_land_use, in [soil.ipcc])");
    return out;
  }
  for (const ScenarioMineRecord& m : mines)
    for (const carbon::IpccYear& y : ipcc.trajectory)
      out.push_back({kIpccScenarioName, m.mine_id, y.year, y.change_tC_ha_yr * m.area_ha});
  return out;
}

}  // namespace minecarbon::assess
