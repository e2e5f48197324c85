#include "minecarbon/assess/balance/balance_tables.h"

#include <cmath>
#include <limits>
#include <string>

#include "minecarbon/core/row_table.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double year_or_na(const std::optional<int>& year) {
  return year ? static_cast<double>(*year) : kNaN;
}

RowTable year_table(const char* name) {
  RowTable t(name);
  t.column<std::string>("mine_id")
      .column<std::int64_t>("year")
      .column<std::string>("ecosystem_basis")
      .column<double>("process_emission_co2e_t")
      .column<double>("clearing_emission_co2e_t")
      .column<double>("foregone_sink_co2e_t")
      .column<double>("landuse_gain_removal_co2e_t")
      .column<double>("restoration_removal_co2e_t")
      .column<double>("net_emission_co2e_t")
      .column<double>("cumulative_net_emission_co2e_t")
      .column<double>("not_counted_removal_co2e_t");
  return t;
}

void year_row(RowTable& t, const std::string& mine_id, const carbon::NetBalanceYear& y) {
  t.row()
      .set("mine_id", mine_id)
      .set("year", y.year)
      .set("ecosystem_basis", std::string(carbon::kEcosystemBasisNames.name(y.basis)))
      .set("process_emission_co2e_t", y.process_emission_co2e_t)
      .set("clearing_emission_co2e_t", y.clearing_emission_co2e_t)
      .set("foregone_sink_co2e_t", y.foregone_sink_co2e_t)
      .set("landuse_gain_removal_co2e_t", y.landuse_gain_removal_co2e_t)
      .set("restoration_removal_co2e_t", y.restoration_removal_co2e_t)
      .set("net_emission_co2e_t", y.net_emission_co2e_t)
      .set("cumulative_net_emission_co2e_t", y.cumulative_net_emission_co2e_t)
      .set("not_counted_removal_co2e_t", y.not_counted_removal_co2e_t);
}

}  // namespace

BalanceTables to_tables(const BalanceResult& result) {
  BalanceTables out;
  RowTable years = year_table("mine_year");
  for (const BalanceMineYear& y : result.mine_years)
    year_row(years, result.mines[y.mine].mine_id, y.values);
  out.mine_year = std::move(years).finish();

  RowTable s("mine_summary");
  for (const BalanceMine& m : result.mines) {
    const carbon::NetBalance& b = m.balance;
    const bool any = b.status != carbon::NeutralityStatus::no_data;
    s.row()
        .set("mine_id", m.mine_id)
        .set("status", std::string(carbon::kNeutralityStatusNames.name(b.status)))
        .set("components", join(m.components, ";"))
        .set("soil_scenario", m.soil_scenario)
        .set("first_year", any ? static_cast<double>(m.first_year) : kNaN)
        .set("horizon_year", result.params.horizon_year)
        .set("last_observed_year", year_or_na(b.last_observed_year))
        .set("process_emission_co2e_t", b.process_emission_co2e_t)
        .set("clearing_emission_co2e_t", b.clearing_emission_co2e_t)
        .set("foregone_sink_co2e_t", b.foregone_sink_co2e_t)
        .set("landuse_gain_removal_co2e_t", b.landuse_gain_removal_co2e_t)
        .set("restoration_removal_co2e_t", b.restoration_removal_co2e_t)
        .set("cumulative_net_emission_co2e_t", b.net_emission_co2e_t)
        .set("carbon_neutral_year", year_or_na(b.carbon_neutral_year))
        .set("neutral_year_interp", b.neutral_year_interp.value_or(kNaN))
        .set("first_net_removal_year", year_or_na(b.first_net_removal_year))
        .set("years_nep", b.years_nep)
        .set("years_landuse", b.years_landuse)
        .set("years_projection", b.years_projection)
        .set("years_no_basis", b.years_no_basis)
        .set("not_counted_removal_co2e_t", b.not_counted_removal_co2e_t);
  }
  out.mine_summary = std::move(s).finish();
  return out;
}

Table mine_report(const BalanceResult& result, std::size_t mine) {
  RowTable t = year_table("report_mine");
  for (const BalanceMineYear& y : result.mine_years)
    if (y.mine == mine) year_row(t, result.mines[mine].mine_id, y.values);
  return std::move(t).finish();
}

}  // namespace minecarbon::assess
