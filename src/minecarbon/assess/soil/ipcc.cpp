// Step 5 of the soil stage: IPCC Tier 1 (ipcc.h).
#include "minecarbon/assess/soil/ipcc.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::assess::soil {

SoilIpccResult ipcc_records(const SoilIpccSpec& spec, const carbon::IpccTables& tables,
                            const std::vector<AreaRow>& areas, const std::string& areas_file) {
  carbon::IpccClimate climate;
  if (!carbon::find_ipcc_climate(spec.climate, climate)) {
    throw ConfigError("soil.ipcc: climate = '" + spec.climate + "': expected one of " +
                      carbon::ipcc_climate_names());
  }
  double soc_ref = kSoilNaN;
  std::string soc_ref_source = "[soil.ipcc] soc_ref_tC_ha";
  if (spec.soc_ref_tC_ha) {
    soc_ref = *spec.soc_ref_tC_ha;
  } else {
    if (spec.soil_type.empty()) {
      throw ConfigError(
          "soil.ipcc: give soil_type (HAC, LAC, sandy, spodic, volcanic) or "
          "soc_ref_tC_ha");
    }
    const carbon::IpccSocRefRow& row =
        carbon::find_ipcc_soc_ref(tables, spec.climate, spec.soil_type);
    soc_ref = row.soc_ref_tC_ha;
    soc_ref_source = row.source + " (" + row.origin + ")";
  }
  SoilIpccResult out;
  std::vector<carbon::IpccState> states;
  for (std::size_t k = 0; k < spec.states.size(); ++k) {
    const IpccStateSpec& s = spec.states[k];
    const std::string name = "soil.ipcc: state " + std::to_string(k + 1) + " ('" + s.label + "')";
    IpccStateRecord r;
    r.state = s.label;
    r.start_year = s.start_year;
    r.land_use = s.land_use;
    r.fixed_stock = s.soc_tC_ha.has_value();
    if (r.fixed_stock) {
      r.soc_eq_tC_ha = *s.soc_tC_ha;
    } else {
      r.soc_ref_tC_ha = soc_ref;
      r.soc_ref_source = soc_ref_source;
      const std::array<const char*, 3> names = {"F_LU", "F_MG", "F_I"};
      const std::array<std::optional<double>, 3> given = {s.f_lu, s.f_mg, s.f_i};
      const std::array<std::string, 3> levels = {s.lu_level, s.management, s.input};
      const std::array<IpccFactorValue*, 3> factors = {&r.f_lu, &r.f_mg, &r.f_i};
      for (int i = 0; i < 3; ++i) {
        if (given[i]) {
          *factors[i] = {*given[i], "given in the project file"};
          continue;
        }
        if (s.land_use.empty() || levels[i].empty()) {
          throw ConfigError(name + ": " + names[i] +
                            " needs land_use and its level (lu_level, management, input), or "
                            "the value itself (f_lu, f_mg, f_i), or a fixed soc_tC_ha");
        }
        const carbon::IpccFactorRow& row =
            carbon::find_ipcc_factor(tables, names[i], s.land_use, levels[i], climate);
        *factors[i] = {row.value, row.source + " (" + row.origin + ")"};
      }
      r.soc_eq_tC_ha = carbon::ipcc_soc_tC_ha(soc_ref, r.f_lu.value, r.f_mg.value, r.f_i.value);
    }
    states.push_back({s.label, s.start_year, r.soc_eq_tC_ha});
    out.states.push_back(std::move(r));
  }
  out.trajectory = carbon::ipcc_soc_trajectory(
      states, spec.last_year, spec.initial_soc_tC_ha.value_or(kSoilNaN), spec.transition_years);
  out.area_ha = spec.area_ha > 0 ? spec.area_ha : kSoilNaN;
  out.mine_id = spec.mine_id;
  if (!spec.areas_land_use.empty())
    out.mines =
        mines_with_land_use(areas, spec.areas_land_use, "the [soil.ipcc] trajectory", areas_file);
  return out;
}

}  // namespace minecarbon::assess::soil
