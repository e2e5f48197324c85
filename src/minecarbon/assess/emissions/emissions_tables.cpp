#include "minecarbon/assess/emissions/emissions_tables.h"

#include <cmath>
#include <string>

#include "minecarbon/assess/emissions.h"
#include "minecarbon/core/row_table.h"

namespace minecarbon::assess {
namespace {

Table emission_rows(const EmissionsResult& r) {
  RowTable t("emission_rows");
  t.column<std::int64_t>("line")
      .column<std::string>("mine_id")
      .column<std::int64_t>("year")
      .column<std::string>("source")
      .column<std::string>("subtype")
      .column<std::string>("region")
      .column<double>("amount")
      .column<std::string>("unit")
      .column<double>("co2_t")
      .column<double>("ch4_t")
      .column<double>("n2o_t")
      .column<double>("co2e_t")
      .column<double>("ef_co2_t_per_unit")
      .column<double>("ef_ch4_t_per_unit")
      .column<double>("ef_n2o_t_per_unit")
      .column<std::string>("factor")
      .column<double>("factor_year")
      .column<std::string>("factor_cite")
      .column<std::string>("factor_source")
      .column<std::string>("note");
  for (const EmissionRowRecord& rec : r.rows) {
    const FactorUse& use = r.factors_used[rec.factor];
    t.row()
        .set("line", rec.line)
        .set("mine_id", r.mine_ids[rec.mine])
        .set("year", rec.year)
        .set("source", std::string(to_string(rec.source)))
        .set("subtype", r.labels[rec.subtype])
        .set("region", r.labels[rec.region])
        .set("amount", rec.amount)
        .set("unit", std::string(to_string(rec.unit)))
        .set("co2_t", rec.co2_t)
        .set("ch4_t", rec.ch4_t)
        .set("n2o_t", rec.n2o_t)
        .set("co2e_t", rec.co2e_t)
        .set("ef_co2_t_per_unit", rec.ef_co2_t_per_unit)
        .set("ef_ch4_t_per_unit", rec.ef_ch4_t_per_unit)
        .set("ef_n2o_t_per_unit", rec.ef_n2o_t_per_unit)
        .set("factor", use.factor)
        .set("factor_year", use.factor_year ? static_cast<double>(*use.factor_year) : NAN)
        .set("factor_cite", use.cite)
        .set("factor_source", use.source)
        .set("note", r.labels[rec.note]);
  }
  return std::move(t).finish();
}

Table mine_year_source(const EmissionsResult& r) {
  RowTable t("mine_year_source");
  t.column<std::string>("mine_id")
      .column<std::int64_t>("year")
      .column<std::string>("source")
      .column<double>("co2_t")
      .column<double>("ch4_t")
      .column<double>("n2o_t")
      .column<double>("co2e_t");
  for (const MineYearSourceRecord& rec : r.mine_year_source)
    t.row()
        .set("mine_id", r.mine_ids[rec.mine])
        .set("year", rec.year)
        .set("source", std::string(to_string(rec.source)))
        .set("co2_t", rec.co2_t)
        .set("ch4_t", rec.ch4_t)
        .set("n2o_t", rec.n2o_t)
        .set("co2e_t", rec.co2e_t);
  return std::move(t).finish();
}

Table mine_year_gas(const EmissionsResult& r) {
  RowTable t("mine_year_gas");
  t.column<std::string>("mine_id")
      .column<std::int64_t>("year")
      .column<std::string>("gas")
      .column<double>("mass_t")
      .column<double>("gwp")
      .column<double>("co2e_t");
  for (const MineYearGasRecord& rec : mine_year_gas_records(r))
    t.row()
        .set("mine_id", r.mine_ids[rec.mine])
        .set("year", rec.year)
        .set("gas", std::string(to_string(rec.gas)))
        .set("mass_t", rec.mass_t)
        .set("gwp", rec.gwp)
        .set("co2e_t", rec.co2e_t);
  return std::move(t).finish();
}

Table mine_year(const EmissionsResult& r) {
  RowTable t("mine_year");
  t.column<std::string>("mine_id")
      .column<std::int64_t>("year")
      .column<double>("co2_t")
      .column<double>("ch4_t")
      .column<double>("n2o_t")
      .column<double>("co2e_t")
      .column<double>("coal_surface_t")
      .column<double>("disturbed_area_est_ha");
  for (const MineYearEmissionRecord& rec : r.mine_year)
    t.row()
        .set("mine_id", r.mine_ids[rec.mine])
        .set("year", rec.year)
        .set("co2_t", rec.co2_t)
        .set("ch4_t", rec.ch4_t)
        .set("n2o_t", rec.n2o_t)
        .set("co2e_t", rec.co2e_t)
        .set("coal_surface_t", rec.coal_surface_t)
        .set("disturbed_area_est_ha", rec.disturbed_area_est_ha);
  return std::move(t).finish();
}

Table mine_totals(const EmissionsResult& r) {
  RowTable t("mine_totals");
  t.column<std::string>("mine_id")
      .column<std::int64_t>("first_year")
      .column<std::int64_t>("last_year")
      .column<std::int64_t>("n_years")
      .column<double>("co2_t")
      .column<double>("ch4_t")
      .column<double>("n2o_t")
      .column<double>("co2e_t");
  for (const auto& [source, name] : kEmissionSourceNames.entries)
    t.column<double>(std::string(name) + "_co2e_t");
  t.column<double>("coal_surface_t").column<double>("disturbed_area_est_ha");
  for (const MineEmissionTotalRecord& rec : r.mine_totals) {
    t.row()
        .set("mine_id", rec.mine_id)
        .set("first_year", rec.first_year)
        .set("last_year", rec.last_year)
        .set("n_years", rec.n_years)
        .set("co2_t", rec.co2_t)
        .set("ch4_t", rec.ch4_t)
        .set("n2o_t", rec.n2o_t)
        .set("co2e_t", rec.co2e_t);
    for (const auto& [source, name] : kEmissionSourceNames.entries)
      t.set(std::string(name) + "_co2e_t", rec.co2e_t_by_source[static_cast<std::size_t>(source)]);
    t.set("coal_surface_t", rec.coal_surface_t)
        .set("disturbed_area_est_ha", rec.disturbed_area_est_ha);
  }
  return std::move(t).finish();
}

}  // namespace

EmissionsTables to_tables(const EmissionsResult& result) {
  EmissionsTables out;
  out.emission_rows = emission_rows(result);
  out.mine_year_source = mine_year_source(result);
  out.mine_year_gas = mine_year_gas(result);
  out.mine_year = mine_year(result);
  out.mine_totals = mine_totals(result);
  return out;
}

}  // namespace minecarbon::assess
