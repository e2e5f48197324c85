#include "minecarbon/assess/emissions/summary.h"

#include <map>
#include <set>

#include "minecarbon/assess/emissions.h"

namespace minecarbon::assess {

nlohmann::json emissions_summary(const EmissionsResult& result, const EmissionsInputs& inputs) {
  nlohmann::json s;
  s["stage"] = "emissions";
  s["sign_convention"] =
      "t of each gas emitted to the atmosphere: positive = emission; ch4_recovered rows carry "
      "negative CH4 (methane that the coal rows counted and that was burnt) and the CO2 of its "
      "burning";
  s["gwp"] = {{"set", result.gwp_set},
              {"horizon_yr", 100},
              {"ch4_fossil", result.gwp.ch4_fossil},
              {"ch4_non_fossil", result.gwp.ch4_non_fossil},
              {"n2o", result.gwp.n2o},
              {"ch4_used", "fossil (fuel combustion and coal-mine methane)"},
              {"cite", result.gwp_cite.cite},
              {"source", result.gwp_cite.source}};
  s["activity_file"] = result.activity_file;
  s["factor_tables"] = inputs.factors.files;
  if (inputs.pools) s["pool_table"] = inputs.pools->source;

  // Factor years: the table versions of the fuel and coal factors used, the grid years used per
  // region.
  // Rows per factor and per source were counted as the rows were computed (no pass over them).
  const std::array<std::size_t, kEmissionSourceCount>& rows_per_source = result.rows_by_source;
  std::map<std::string, std::set<std::int32_t>> grid_years;
  for (const FactorUse& use : result.factors_used)
    if (use.factor_year && use.rows > 0) grid_years[use.region].insert(*use.factor_year);
  std::set<std::string> fuel_versions, coal_versions;
  for (const auto& row : inputs.factors.fuel)
    if (!row.cite.version.empty()) fuel_versions.insert(row.cite.version);
  for (const auto& row : inputs.factors.surface_coal)
    if (!row.cite.version.empty()) coal_versions.insert(row.cite.version);
  nlohmann::json grid = nlohmann::json::object();
  for (const auto& [region, years] : grid_years)
    grid[region] = std::vector<std::int32_t>(years.begin(), years.end());
  s["factor_years"] = {
      {"fuel", std::vector<std::string>(fuel_versions.begin(), fuel_versions.end())},
      {"fugitive_coal_surface",
       std::vector<std::string>(coal_versions.begin(), coal_versions.end())},
      {"grid_years_used", grid},
      {"gwp", result.gwp_set}};

  nlohmann::json used = nlohmann::json::array();
  for (std::size_t idx = 0; idx < result.factors_used.size(); ++idx) {
    const FactorUse& use = result.factors_used[idx];
    nlohmann::json u = {{"factor", use.factor}, {"cite", use.cite}, {"rows", use.rows}};
    if (use.factor_year) u["factor_year"] = *use.factor_year;
    if (!use.source.empty()) u["source"] = use.source;
    used.push_back(u);
  }
  s["factors_used"] = used;

  nlohmann::json by_source_rows = nlohmann::json::object();
  nlohmann::json by_source_co2e = nlohmann::json::object();
  double co2 = 0, ch4 = 0, n2o = 0, co2e = 0, disturbed = 0, coal = 0;
  std::array<double, kEmissionSourceCount> co2e_by_source{};
  for (const MineEmissionTotalRecord& total : result.mine_totals) {
    co2 += total.co2_t;
    ch4 += total.ch4_t;
    n2o += total.n2o_t;
    co2e += total.co2e_t;
    coal += total.coal_surface_t;
    disturbed += total.disturbed_area_est_ha;
    for (std::size_t src = 0; src < kEmissionSourceCount; ++src)
      co2e_by_source[src] += total.co2e_t_by_source[src];
  }
  for (const auto& [source, name] : kEmissionSourceNames.entries) {
    const auto src = static_cast<std::size_t>(source);
    by_source_rows[std::string(name)] = rows_per_source[src];
    by_source_co2e[std::string(name)] = co2e_by_source[src];
  }
  s["counts"] = {{"activity_rows", result.rows.size()},
                 {"mines", result.mine_totals.size()},
                 {"mine_years", result.mine_year.size()},
                 {"rows_by_source", by_source_rows}};
  s["totals"] = {{"co2_t", co2},
                 {"ch4_t", ch4},
                 {"n2o_t", n2o},
                 {"co2e_t", co2e},
                 {"co2e_t_by_source", by_source_co2e}};
  s["disturbed_area_est"] = {
      {"estimate", true},
      {"ha_per_10kt_coal", result.params.disturbed_ha_per_10kt_coal},
      {"coal_surface_t", coal},
      {"total_ha", disturbed},
      {"label",
       "estimate: surface coal t / 10^4 x ha per 10^4 t (China's national open-pit average 0.22 "
       "= 0.12 excavated + 0.10 external dump); not a measured area"}};
  return s;
}

}  // namespace minecarbon::assess
