// Step 6 of the soil stage: RothC reclamation scenarios (scenarios.h).
#include "minecarbon/assess/soil/scenarios.h"

#include <algorithm>
#include <string>
#include <utility>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess::soil {

std::vector<ScenarioRecord> run_scenarios(const std::vector<carbon::ReclamationScenario>& scenarios,
                                          const std::vector<AreaRow>& areas,
                                          const std::string& areas_file,
                                          const RunContext& context) {
  std::vector<carbon::ScenarioResult> runs(scenarios.size());
  parallel_for(scenarios.size(), context.threads, [&](std::size_t idx, std::size_t) {
    runs[idx] = carbon::run_reclamation_scenario(scenarios[idx]);
  });
  std::vector<ScenarioRecord> out;
  out.reserve(scenarios.size());
  for (std::size_t idx = 0; idx < scenarios.size(); ++idx) {
    const carbon::ReclamationScenario& s = scenarios[idx];
    ScenarioRecord r;
    r.scenario = s.name;
    r.mine_id = s.mine_id;
    r.area_ha = s.area_ha > 0 ? s.area_ha : kSoilNaN;
    r.rothc = std::move(runs[idx]);
    for (const carbon::ScenarioYear& y : r.rothc.yearly)
      r.years.push_back({y.year, y.change_tC_ha_yr, y.change_tC_ha_yr * r.area_ha});
    r.soc_start_tC_ha = r.rothc.start.pools.soc_tC_ha();
    r.soc_end_tC_ha = r.rothc.yearly.back().soc_tC_ha;
    r.sequestration_tC_ha = r.soc_end_tC_ha - r.soc_start_tC_ha;
    r.sequestration_tC_ha_yr = r.sequestration_tC_ha / s.years;
    r.sequestration_tC = r.sequestration_tC_ha * r.area_ha;
    r.former_plant_input_tC_ha_yr = s.start.kind == carbon::InitialSoil::replaced_topsoil
                                        ? r.rothc.former_plant_input_tC_ha_yr
                                        : kSoilNaN;
    if (!s.areas_land_use.empty())
      r.mines = mines_with_land_use(areas, s.areas_land_use, "soil scenario '" + s.name + "'",
                                    areas_file);
    r.ran = s;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace minecarbon::assess::soil
