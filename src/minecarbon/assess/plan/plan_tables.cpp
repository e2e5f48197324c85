#include "minecarbon/assess/plan/plan_tables.h"

#include <cmath>

#include "minecarbon/core/row_table.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

// An optional year: −1 (none within the horizon) is written as NA.
double year_or_nan(int year) {
  return year < 0 ? std::nan("") : static_cast<double>(year);
}

std::string bound_text(double v) {
  return std::isinf(v) ? std::string() : format_plain(v);
}

}  // namespace

PlanTables to_tables(const PlanResult& r) {
  PlanTables out;
  RowTable schemes("schemes");
  schemes.column<std::string>("scheme")
      .column<std::string>("zone")
      .column<double>("area_ha")
      .column<double>("capex_yuan")
      .column<double>("works_co2e_t")
      .column<double>("total_gain_tC")
      .column<double>("net_co2e_t")
      .column<double>("discounted_co2e_t")
      .column<double>("pv_cost_yuan")
      .column<double>("pv_carbon_yuan")
      .column<double>("pv_other_yuan")
      .column<double>("npv_yuan")
      .column<double>("cost_per_tco2e_yuan")
      .column<double>("levelised_cost_yuan_tco2e")
      .column<double>("break_even_year")
      .column<double>("saturation_year");
  RowTable years("scheme_year");
  years.column<std::string>("scheme")
      .column<std::int64_t>("year")
      .column<double>("biomass_gain_tC")
      .column<double>("soil_gain_tC")
      .column<double>("total_pool_gain_tC")
      .column<double>("baseline_tC")
      .column<double>("gain_tC")
      .column<double>("net_co2e_t")
      .column<double>("cumulative_net_co2e_t")
      .column<double>("cost_yuan")
      .column<double>("carbon_price_yuan_tco2e")
      .column<double>("discount_factor")
      .column<double>("cumulative_npv_yuan");
  for (const SchemeResult& s : r.schemes) {
    const auto& e = s.economics;
    schemes.row()
        .set("scheme", s.name)
        .set("zone", s.zone)
        .set("area_ha", s.area_ha)
        .set("capex_yuan", s.capex_yuan)
        .set("works_co2e_t", s.works_co2e_t)
        .set("total_gain_tC", e.total_gain_tC)
        .set("net_co2e_t", e.net_co2e_t)
        .set("discounted_co2e_t", e.discounted_co2e_t)
        .set("pv_cost_yuan", e.pv_cost_yuan)
        .set("pv_carbon_yuan", e.pv_carbon_yuan)
        .set("pv_other_yuan", e.pv_other_yuan)
        .set("npv_yuan", e.npv_yuan)
        .set("cost_per_tco2e_yuan", e.cost_per_tco2e_yuan)
        .set("levelised_cost_yuan_tco2e", e.levelised_cost_per_tco2e_yuan)
        .set("break_even_year", year_or_nan(e.break_even_year))
        .set("saturation_year", year_or_nan(e.saturation_year));
    for (const auto& y : e.years) {
      const auto t = static_cast<std::size_t>(y.year);
      years.row()
          .set("scheme", s.name)
          .set("year", y.year)
          .set("biomass_gain_tC", s.pool_gain_tC[0][t])
          .set("soil_gain_tC", s.pool_gain_tC[1][t])
          .set("total_pool_gain_tC", s.pool_gain_tC[2][t])
          .set("baseline_tC", s.baseline_tC[t])
          .set("gain_tC", y.gain_tC)
          .set("net_co2e_t", y.net_co2e_t)
          .set("cumulative_net_co2e_t", y.cumulative_net_co2e_t)
          .set("cost_yuan", y.cost_yuan)
          .set("carbon_price_yuan_tco2e", y.carbon_price_yuan_tco2e)
          .set("discount_factor", y.discount_factor)
          .set("cumulative_npv_yuan", y.cumulative_npv_yuan);
    }
  }
  out.schemes = std::move(schemes).finish();
  out.scheme_year = std::move(years).finish();

  RowTable ranking("ranking");
  ranking.column<std::string>("scheme")
      .column<double>("closeness_vector")
      .column<std::int64_t>("rank_vector")
      .column<double>("closeness_min_max")
      .column<std::int64_t>("rank_min_max")
      .column<double>("d_plus_vector")
      .column<double>("d_minus_vector")
      .column<double>("d_plus_min_max")
      .column<double>("d_minus_min_max")
      .column<std::int64_t>("dominated");
  RowTable weights("weights");
  weights.column<std::string>("indicator")
      .column<std::string>("direction")
      .column<double>("weight")
      .column<std::string>("method");
  if (r.ranking) {
    const auto& k = *r.ranking;
    for (std::size_t idx = 0; idx < r.schemes.size(); ++idx)
      ranking.row()
          .set("scheme", r.schemes[idx].name)
          .set("closeness_vector", k.vector.closeness[idx])
          .set("rank_vector", k.vector.rank[idx])
          .set("closeness_min_max", k.min_max.closeness[idx])
          .set("rank_min_max", k.min_max.rank[idx])
          .set("d_plus_vector", k.vector.d_plus[idx])
          .set("d_minus_vector", k.vector.d_minus[idx])
          .set("d_plus_min_max", k.min_max.d_plus[idx])
          .set("d_minus_min_max", k.min_max.d_minus[idx])
          .set("dominated", static_cast<bool>(k.dominated[idx]));
    for (std::size_t idx = 0; idx < k.indicators.size(); ++idx) {
      bool benefit = true;
      for (const Indicator& ind : kIndicators)
        if (k.indicators[idx] == ind.name) benefit = ind.direction == plan::Direction::benefit;
      weights.row()
          .set("indicator", k.indicators[idx])
          .set("direction", benefit ? "benefit" : "cost")
          .set("weight", k.weights[idx])
          .set("method", std::string(kWeightMethodNames.name(r.params.weights)));
    }
  }
  out.ranking = std::move(ranking).finish();
  out.weights = std::move(weights).finish();

  RowTable payoff("payoff"), pareto("pareto"), alloc("pareto_allocation"), duals("duals");
  payoff.column<std::string>("optimised")
      .column<std::string>("objective")
      .column<std::string>("sense")
      .column<double>("value");
  pareto.column<std::string>("point")
      .column<std::int64_t>("merged_grid_points")
      .column<std::string>("objective")
      .column<double>("epsilon")
      .column<double>("value");
  alloc.column<std::string>("point")
      .column<std::string>("class")
      .column<std::string>("zone")
      .column<double>("area_ha");
  duals.column<std::string>("point")
      .column<std::string>("constraint")
      .column<std::string>("kind")
      .column<double>("activity")
      .column<std::string>("lower")
      .column<std::string>("upper")
      .column<std::int64_t>("binding")
      .column<double>("dual");
  if (r.optimum && r.land_use) {
    const plan::LandUseModel& m = *r.land_use;
    const auto& o = *r.optimum;
    for (std::size_t row = 0; row < o.payoff.rows.size(); ++row)
      for (std::size_t obj = 0; obj < m.objectives.size(); ++obj)
        payoff.row()
            .set("optimised", m.objectives[row].name)
            .set("objective", m.objectives[obj].name)
            .set("sense", m.objectives[obj].maximise ? "max" : "min")
            .set("value", o.payoff.rows[row].objective_values[obj]);
    std::vector<const plan::LandUsePoint*> points;
    for (const auto& p : o.payoff.rows)
      points.push_back(&p);
    for (const auto& p : o.front.points)
      points.push_back(&p);
    points.push_back(&o.weighted);
    points.push_back(&o.fuzzy);
    for (const plan::LandUsePoint* p : points) {
      const bool on_front = p->label.rfind("epsilon:", 0) == 0;
      std::size_t other = 0;  // ε bounds are kept for the non-primary objectives, in order
      for (std::size_t obj = 0; obj < m.objectives.size(); ++obj) {
        const bool is_primary =
            r.params.primary.empty() ? obj == 0 : m.objectives[obj].name == r.params.primary;
        double eps = std::nan("");
        if (on_front && !is_primary && other < p->epsilon.size()) eps = p->epsilon[other++];
        pareto.row()
            .set("point", p->label)
            .set("merged_grid_points", p->merged_grid_points)
            .set("objective", m.objectives[obj].name)
            .set("epsilon", eps)
            .set("value", p->objective_values[obj]);
      }
      for (std::size_t j = 0; j < m.classes.size(); ++j)
        for (std::size_t z = 0; z < m.zones.size(); ++z)
          alloc.row()
              .set("point", p->label)
              .set("class", m.classes[j])
              .set("zone", m.zones[z])
              .set("area_ha", p->area_ha[j * m.zones.size() + z]);
      for (const auto& row : p->rows)
        duals.row()
            .set("point", p->label)
            .set("constraint", row.name)
            .set("kind", row.kind)
            .set("activity", row.activity)
            .set("lower", bound_text(row.lower))
            .set("upper", bound_text(row.upper))
            .set("binding", row.binding)
            .set("dual", row.dual);
    }
  }
  out.payoff = std::move(payoff).finish();
  out.pareto = std::move(pareto).finish();
  out.pareto_allocation = std::move(alloc).finish();
  out.duals = std::move(duals).finish();
  return out;
}

}  // namespace minecarbon::assess
