#include "minecarbon/assess/damage/damage_tables.h"

#include <string_view>
#include <type_traits>

#include "minecarbon/core/row_table.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {
namespace {

// Each table's cells are listed once, in a function template over the sink: RowTable fills rows,
// Header declares the columns (so a table without rows keeps its header) from the same list.
class Header {
 public:
  explicit Header(RowTable& table) : table_(table) {}
  template <class Value>
  Header& set(std::string_view name, const Value&) {
    if constexpr (std::is_same_v<Value, double>) {
      table_.column<double>(name);
    } else if constexpr (std::is_integral_v<Value>) {
      table_.column<std::int64_t>(name);
    } else {
      table_.column<std::string>(name);
    }
    return *this;
  }

 private:
  RowTable& table_;
};

template <class Record, class Cells>
Table build(const char* name, const std::vector<Record>& records, Cells cells) {
  RowTable table(name);
  Header header(table);
  cells(header, Record{});
  for (const Record& r : records)
    cells(table.row(), r);
  return std::move(table).finish();
}

template <class Sink>
void trend_cells(Sink& out, const std::string& prefix, const std::string& unit_per_yr,
                 const TrendStats& t) {
  out.set(prefix + "ols_slope_" + unit_per_yr, t.ols_slope_per_yr)
      .set(prefix + "ols_r2", t.ols_r2)
      .set(prefix + "mk_tau", t.mk_tau)
      .set(prefix + "mk_z", t.mk_z)
      .set(prefix + "mk_p", t.mk_p)
      .set(prefix + "sen_slope_" + unit_per_yr, t.sen_slope_per_yr);
}

template <class Sink>
void aggregate_cells(Sink& out, const YearAggregate& a) {
  out.set("year", a.year)
      .set("n_mines", a.n_mines)
      .set("total_mine_nep_GgC_yr", a.total_mine_nep_GgC_yr)
      .set("mean_nep_change_rel_gC_m2_yr", a.mean_nep_change_rel_gC_m2_yr)
      .set("n_mines_losing", a.n_mines_losing)
      .set("share_mines_losing", a.share_mines_losing)
      .set("total_loss_losing_GgC_yr", a.total_loss_losing_GgC_yr)
      .set("total_gain_gaining_GgC_yr", a.total_gain_gaining_GgC_yr)
      .set("loss_per_area_losing_gC_m2_yr", a.loss_per_area_losing_gC_m2_yr)
      .set("net_change_rel_GgC_yr", a.net_change_rel_GgC_yr);
}

}  // namespace

DamageTables to_tables(const DamageResult& result) {
  DamageTables t;
  const std::vector<std::string>& attribute_names = result.mine_attribute_names;
  t.mines = build("mines", result.mines, [&](auto& out, const MineRecord& m) {
    out.set("mine_id", m.mine_id).set("status", std::string(kMineStatusNames.name(m.status)));
    for (std::size_t a = 0; a < attribute_names.size(); ++a)
      out.set(attribute_names[a], a < m.attributes.size() ? m.attributes[a] : std::string());
    out.set("area_m2", m.area_m2)
        .set("area_km2", m.area_m2 / units::kM2PerKm2)
        .set("mine_covered_area_m2", m.mine_covered_area_m2)
        .set("ref_covered_area_m2", m.ref_covered_area_m2)
        .set("ref_to_mine_area_ratio", m.ref_to_mine_area_ratio)
        .set("mine_min_valid_share", m.mine_min_valid_share)
        .set("nep_mine_base_gC_m2_yr", m.nep_mine_base_gC_m2_yr)
        .set("nep_ref_base_gC_m2_yr", m.nep_ref_base_gC_m2_yr)
        .set("nep_change_rel_last_gC_m2_yr", m.nep_change_rel_last_gC_m2_yr)
        .set("nep_loss_last_gC_m2_yr", m.nep_loss_last_gC_m2_yr)
        .set("nep_change_rel_mean_gC_m2_yr", m.nep_change_rel_mean_gC_m2_yr)
        .set("nep_change_rel_last_MgC_yr", m.nep_change_rel_last_MgC_yr);
    trend_cells(out, "change_rel_", "gC_m2_yr2", m.change_rel_trend);
    trend_cells(out, "nep_mine_", "gC_m2_yr2", m.nep_mine_trend);
  });
  t.mine_year = build("mine_year", result.mine_years, [&](auto& out, const MineYearRecord& r) {
    const std::string& id =
        r.mine < result.mines.size() ? result.mines[r.mine].mine_id : std::string();
    out.set("mine_id", id)
        .set("year", r.year)
        .set("nep_mine_gC_m2_yr", r.nep_mine_gC_m2_yr)
        .set("nep_ref_gC_m2_yr", r.nep_ref_gC_m2_yr)
        .set("nep_mine_change_gC_m2_yr", r.nep_mine_change_gC_m2_yr)
        .set("nep_ref_change_gC_m2_yr", r.nep_ref_change_gC_m2_yr)
        .set("nep_change_rel_gC_m2_yr", r.nep_change_rel_gC_m2_yr)
        .set("nep_loss_gC_m2_yr", r.nep_loss_gC_m2_yr)
        .set("nep_change_rel_MgC_yr", r.nep_change_rel_MgC_yr)
        .set("nep_change_rel_GgC_yr", r.nep_change_rel_GgC_yr)
        .set("mine_valid_area_m2", r.mine_valid_area_m2)
        .set("ref_valid_area_m2", r.ref_valid_area_m2);
  });
  t.year_summary = build("year_summary", result.year_summary,
                         [](auto& out, const YearAggregate& a) { aggregate_cells(out, a); });
  t.group_year = build("group_year", result.group_year, [](auto& out, const GroupYearRecord& g) {
    out.set("group_field", g.group_field).set("group", g.group);
    aggregate_cells(out, g.totals);
  });
  t.group_trend =
      build("group_trend", result.group_trend, [](auto& out, const GroupTrendRecord& g) {
        out.set("group_field", g.group_field)
            .set("group", g.group)
            .set("metric", std::string(kGroupMetricNames.name(g.metric)));
        trend_cells(out, "", "per_yr", g.trend);
      });
  t.periods = build("periods", result.periods, [](auto& out, const PeriodRecord& p) {
    out.set("period", p.period)
        .set("first_year", p.first_year)
        .set("last_year", p.last_year)
        .set("metric", std::string(kGroupMetricNames.name(p.metric)))
        .set("value_first", p.value_first)
        .set("value_last", p.value_last)
        .set("rel_change", p.rel_change)
        .set("ols_slope_per_yr", p.ols_slope_per_yr)
        .set("ols_r2", p.ols_r2);
  });
  return t;
}

std::vector<MineValue> mine_change_last_year(const DamageResult& result) {
  std::vector<MineValue> out;
  if (result.years.empty()) return out;
  for (const MineYearRecord& r : result.mine_years) {
    if (r.year == result.years.back())
      out.push_back({result.mines[r.mine].mine_id, r.nep_mine_change_gC_m2_yr});
  }
  return out;
}

std::vector<MineValue> mine_values(const DamageResult& result, double MineRecord::*field) {
  std::vector<MineValue> out;
  out.reserve(result.mines.size());
  for (const MineRecord& m : result.mines)
    out.push_back({m.mine_id, m.*field});
  return out;
}

}  // namespace minecarbon::assess
