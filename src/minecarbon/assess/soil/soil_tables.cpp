// The soil stage's tables from its records (soil_tables.h).
#include "minecarbon/assess/soil/soil_tables.h"

#include <cstdint>
#include <string>
#include <utility>

#include "minecarbon/assess/soil.h"
#include "minecarbon/core/row_table.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {
namespace {

std::int64_t count(std::size_t n) {
  return static_cast<std::int64_t>(n);
}

template <class Enum, std::size_t N>
std::string name(const NameTable<Enum, N>& names, Enum value) {
  return std::string(names.name(value));
}

std::string bd_source(const HorizonRecord& h) {
  return h.bd_estimated() ? "ptf:" + name(kBulkDensityPtfNames, h.bd_ptf) : std::string("measured");
}

// The area, total stock and CO2e columns of a land-use or mine row.
void total_cells(RowTable& t, const AreaStock& s) {
  t.set("area_ha", s.area_ha)
      .set("soc_tC", s.soc_tC())
      .set("soc_se_tC", s.soc_se_tC())
      .set("co2e_t", s.soc_tC() * units::kCo2PerC)
      .set("co2e_se_t", s.soc_se_tC() * units::kCo2PerC);
}

void stock_cells(RowTable& t, const AreaStock& s) {
  t.set("interval_cm", s.interval.label())
      .set("n_profiles", count(s.n_profiles))
      .set("soc_stock_tC_ha", s.soc_stock_tC_ha)
      .set("soc_stock_se_tC_ha", s.soc_stock_se_tC_ha);
  total_cells(t, s);
}

Table horizons_table(const std::vector<HorizonRecord>& records) {
  RowTable t("horizons");
  for (const HorizonRecord& r : records) {
    const carbon::SoilHorizon& h = r.horizon;
    t.row()
        .set("profile_id", r.profile_id)
        .set("mine_id", r.mine_id)
        .set("land_use", r.land_use)
        .set("line", count(r.line))
        .set("top_cm", h.top_cm)
        .set("bottom_cm", h.bottom_cm)
        .set("soc_g_kg", h.soc_g_kg)
        .set("bd_g_cm3", h.bd_g_cm3)
        .set("bd_source", bd_source(r))
        .set("coarse_pct", h.coarse_pct)
        .set("clay_pct", r.clay_pct)
        .set("fine_earth_Mg_ha", r.fine_earth_Mg_ha)
        .set("soc_stock_tC_ha", r.soc_stock_tC_ha);
  }
  return std::move(t).finish();
}

Table profile_stocks_table(const std::vector<ProfileStockRecord>& records) {
  RowTable t("profile_stocks");
  for (const ProfileStockRecord& r : records) {
    t.row()
        .set("profile_id", r.profile_id)
        .set("mine_id", r.mine_id)
        .set("land_use", r.land_use)
        .set("date", r.date)
        .set("interval_cm", r.interval.label())
        .set("top_cm", r.interval.top_cm)
        .set("bottom_cm", r.interval.bottom_cm)
        .set("method", name(kStockMethodNames, r.method))
        .set("soc_stock_tC_ha", r.soc_stock_tC_ha)
        .set("soc_stock_co2e_t_ha", r.soc_stock_tC_ha * units::kCo2PerC)
        .set("esm_soc_stock_tC_ha", r.esm_soc_stock_tC_ha)
        .set("fine_earth_Mg_ha", r.fine_earth_Mg_ha)
        .set("bd_estimated_horizons", static_cast<std::int64_t>(r.bd_estimated_horizons))
        .set("spline_clipped", static_cast<std::int64_t>(r.spline_clipped))
        .set("status", name(kProfileStockStatusNames, r.status));
  }
  return std::move(t).finish();
}

Table land_use_stocks_table(const std::vector<LandUseStockRecord>& records) {
  RowTable t("land_use_stocks");
  for (const LandUseStockRecord& r : records) {
    t.row().set("land_use", r.land_use);
    stock_cells(t, r.stock);
  }
  return std::move(t).finish();
}

Table mine_stocks_table(const std::vector<MineStockRecord>& records) {
  RowTable t("mine_stocks");
  for (const MineStockRecord& r : records) {
    t.row().set("mine_id", r.mine_id);
    stock_cells(t, r.stock);
  }
  return std::move(t).finish();
}

Table comparison_table(const std::vector<ComparisonRecord>& records) {
  RowTable t("comparison");
  for (const ComparisonRecord& r : records) {
    t.row()
        .set("mine_id", r.mine_id)
        .set(kCompareByNames.name(r.compare_by), r.group)
        .set("reference", r.reference)
        .set("interval_cm", r.interval.label())
        .set("basis", name(kStockBasisNames, r.basis))
        .set("n_profiles", count(r.stock.n))
        .set("n_reference", count(r.reference_stock.n))
        .set("soc_stock_tC_ha", r.stock.mean)
        .set("soc_stock_se_tC_ha", r.stock.se)
        .set("reference_soc_stock_tC_ha", r.reference_stock.mean)
        .set("reference_soc_stock_se_tC_ha", r.reference_stock.se)
        .set("difference_tC_ha", r.comparison.difference_tC_ha)
        .set("difference_se_tC_ha", r.comparison.difference_se_tC_ha)
        .set("difference_co2e_t_ha", r.comparison.difference_tC_ha * units::kCo2PerC)
        .set("recovery_pct", r.comparison.recovery_pct);
  }
  return std::move(t).finish();
}

Table ipcc_states_table(const std::vector<IpccStateRecord>& records) {
  RowTable t("ipcc_states");
  for (const IpccStateRecord& r : records) {
    t.row()
        .set("state", r.state)
        .set("start_year", static_cast<std::int64_t>(r.start_year))
        .set("land_use", r.land_use)
        .set("soc_ref_tC_ha", r.soc_ref_tC_ha)
        .set("soc_ref_source", r.soc_ref_source)
        .set("f_lu", r.f_lu.value)
        .set("f_lu_source", r.f_lu.source)
        .set("f_mg", r.f_mg.value)
        .set("f_mg_source", r.f_mg.source)
        .set("f_i", r.f_i.value)
        .set("f_i_source", r.f_i.source)
        .set("soc_eq_tC_ha", r.soc_eq_tC_ha)
        .set("fixed_stock", static_cast<std::int64_t>(r.fixed_stock));
  }
  return std::move(t).finish();
}

// The trajectory once per mine it is of (areas_land_use: one block of years per mine, each on its
// own area), else once with its mine_id ("" when none) and area_ha: the (mine_id, year,
// change_tC_yr) the balance reads from the file.
Table ipcc_trajectory_table(const SoilIpccResult& ipcc) {
  RowTable t("ipcc_trajectory");
  std::vector<ScenarioMineRecord> mines = ipcc.mines;
  if (mines.empty()) mines.push_back({ipcc.mine_id, ipcc.area_ha});
  for (const ScenarioMineRecord& m : mines)
    for (const carbon::IpccYear& y : ipcc.trajectory) {
      t.row()
          .set("mine_id", m.mine_id)
          .set("year", static_cast<std::int64_t>(y.year))
          .set("state", y.state)
          .set("soc_tC_ha", y.soc_tC_ha)
          .set("change_tC_ha_yr", y.change_tC_ha_yr)
          .set("change_co2e_t_ha_yr", y.change_tC_ha_yr * units::kCo2PerC)
          .set("target_tC_ha", y.target_tC_ha)
          .set("area_ha", m.area_ha)
          .set("soc_tC", y.soc_tC_ha * m.area_ha)
          .set("change_tC_yr", y.change_tC_ha_yr * m.area_ha);
    }
  return std::move(t).finish();
}

// The (mine_id, area_ha) rows a scenario's totals are laid out for: its own, or one per mine of
// areas_land_use.
std::vector<ScenarioMineRecord> table_mines(const ScenarioRecord& r) {
  if (!r.mines.empty()) return r.mines;
  return {{r.mine_id, r.area_ha}};
}

Table scenarios_table(const std::vector<ScenarioRecord>& records) {
  RowTable t("scenarios");
  for (const ScenarioRecord& r : records) {
    for (const ScenarioMineRecord& m : table_mines(r))
      t.row()
          .set("scenario", r.scenario)
          .set("mine_id", m.mine_id)
          .set("initial_soil", name(kInitialSoilNames, r.ran.start.kind))
          .set("first_year", static_cast<std::int64_t>(r.first_year()))
          .set("last_year", static_cast<std::int64_t>(r.last_year()))
          .set("former_plant_input_tC_ha_yr", r.former_plant_input_tC_ha_yr)
          .set("soc_start_tC_ha", r.soc_start_tC_ha)
          .set("soc_end_tC_ha", r.soc_end_tC_ha)
          .set("sequestration_tC_ha", r.sequestration_tC_ha)
          .set("sequestration_tC_ha_yr", r.sequestration_tC_ha_yr)
          .set("sequestration_co2e_t_ha", r.sequestration_tC_ha * units::kCo2PerC)
          .set("area_ha", m.area_ha)
          .set("sequestration_tC",
               r.mines.empty() ? r.sequestration_tC : r.sequestration_tC_ha * m.area_ha)
          .set("sequestration_co2e_t",
               (r.mines.empty() ? r.sequestration_tC : r.sequestration_tC_ha * m.area_ha) *
                   units::kCo2PerC);
  }
  return std::move(t).finish();
}

Table scenario_years_table(const std::vector<ScenarioRecord>& records) {
  RowTable t("scenario_years");
  for (const ScenarioRecord& r : records) {
    for (const ScenarioMineRecord& m : table_mines(r))
      for (std::size_t k = 0; k < r.years.size(); ++k) {
        const carbon::ScenarioYear& y = r.rothc.yearly[k];
        const ScenarioYearRecord& s = r.years[k];
        t.row()
            .set("scenario", r.scenario)
            .set("mine_id", m.mine_id)
            .set("year", static_cast<std::int64_t>(s.year))
            .set("phase", y.phase)
            .set("dpm_tC_ha", y.pools.dpm_tC_ha)
            .set("rpm_tC_ha", y.pools.rpm_tC_ha)
            .set("bio_tC_ha", y.pools.bio_tC_ha)
            .set("hum_tC_ha", y.pools.hum_tC_ha)
            .set("iom_tC_ha", y.pools.iom_tC_ha)
            .set("biochar_tC_ha", y.pools.biochar_tC_ha)
            .set("soc_tC_ha", y.soc_tC_ha)
            .set("sequestration_tC_ha_yr", s.sequestration_tC_ha_yr)
            .set("sequestration_co2e_t_ha_yr", s.sequestration_tC_ha_yr * units::kCo2PerC)
            .set("plant_input_tC_ha", y.plant_input_tC_ha)
            .set("amendment_tC_ha", y.amendment_tC_ha)
            .set("biochar_input_tC_ha", y.biochar_input_tC_ha)
            .set("respired_tC_ha", y.co2_tC_ha)
            .set("area_ha", m.area_ha)
            .set("soc_tC", y.soc_tC_ha * m.area_ha)
            .set("sequestration_tC_yr",
                 r.mines.empty() ? s.sequestration_tC_yr : s.sequestration_tC_ha_yr * m.area_ha);
      }
  }
  return std::move(t).finish();
}

Table scenario_months_table(const std::vector<ScenarioRecord>& records) {
  RowTable t("scenario_months");
  for (const ScenarioRecord& r : records) {
    for (const carbon::RothCMonthRecord& m : r.rothc.monthly) {
      t.row()
          .set("scenario", r.scenario)
          .set("year", static_cast<std::int64_t>(m.year))
          .set("month", static_cast<std::int64_t>(m.month))
          .set("plant_input_tC_ha", m.plant_input_tC_ha)
          .set("amendment_tC_ha", m.fym_tC_ha)
          .set("temp_C", m.temp_C)
          .set("rm_temp", m.rm_temp)
          .set("smd_mm", m.smd_mm)
          .set("rm_moist", m.rm_moist)
          .set("plant_cover", static_cast<std::int64_t>(m.plant_cover))
          .set("rm_cover", m.rm_cover)
          .set("dpm_tC_ha", m.pools.dpm_tC_ha)
          .set("rpm_tC_ha", m.pools.rpm_tC_ha)
          .set("bio_tC_ha", m.pools.bio_tC_ha)
          .set("hum_tC_ha", m.pools.hum_tC_ha)
          .set("iom_tC_ha", m.pools.iom_tC_ha)
          .set("biochar_tC_ha", m.pools.biochar_tC_ha)
          .set("soc_tC_ha", m.pools.soc_tC_ha())
          .set("delta14c_permil", m.delta14c_permil);
    }
  }
  return std::move(t).finish();
}

}  // namespace

std::vector<const Table*> SoilTables::with_rows() const {
  std::vector<const Table*> out;
  for (const Table* t :
       {&horizons, &profile_stocks, &land_use_stocks, &mine_stocks, &comparison, &ipcc_states,
        &ipcc_trajectory, &scenarios, &scenario_years, &scenario_months}) {
    if (t->row_count() > 0) out.push_back(t);
  }
  return out;
}

SoilTables to_tables(const SoilResult& result) {
  SoilTables t;
  t.horizons = horizons_table(result.horizons);
  t.profile_stocks = profile_stocks_table(result.profile_stocks);
  t.land_use_stocks = land_use_stocks_table(result.land_use_stocks);
  t.mine_stocks = mine_stocks_table(result.mine_stocks);
  t.comparison = comparison_table(result.comparisons);
  t.ipcc_states = ipcc_states_table(result.ipcc.states);
  t.ipcc_trajectory = ipcc_trajectory_table(result.ipcc);
  t.scenarios = scenarios_table(result.scenarios);
  t.scenario_years = scenario_years_table(result.scenarios);
  t.scenario_months = scenario_months_table(result.scenarios);
  return t;
}

}  // namespace minecarbon::assess
