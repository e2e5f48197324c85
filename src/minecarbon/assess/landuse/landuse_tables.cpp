#include "minecarbon/assess/landuse/landuse_tables.h"

#include <string>

#include "minecarbon/core/row_table.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {

std::vector<const Table*> LanduseResultTables::all() const {
  std::vector<const Table*> out = {&date_totals, &pair_totals, &class_area, &transitions};
  if (has_mines)
    for (const Table* t : {&mines, &mine_stock, &mine_class_area, &mine_change, &mine_transitions})
      out.push_back(t);
  if (has_uncertainty) out.push_back(&uncertainty);
  return out;
}

namespace {

Table date_totals_table(const LanduseResult& result) {
  RowTable dates("date_totals");
  for (const auto& t : result.date_totals)
    dates.row()
        .set("year", t.year)
        .set("valid_cells", t.valid_cells)
        .set("valid_area_ha", t.valid_area_ha)
        .set("excluded_area_ha", t.excluded_area_ha)
        .set("stock_tC", t.stock_tC)
        .set("stock_co2e_t", t.stock_co2e_t);
  return std::move(dates).finish();
}

Table pair_totals_table(const LanduseResult& result) {
  RowTable pairs("pair_totals");
  for (const auto& t : result.pair_totals)
    pairs.row()
        .set("year_from", t.pair.year_from)
        .set("year_to", t.pair.year_to)
        .set("pair_kind", t.pair.kind)
        .set("valid_cells", t.valid_cells)
        .set("valid_area_ha", t.valid_area_ha)
        .set("excluded_area_ha", t.excluded_area_ha)
        .set("stock_from_tC", t.stock_from_tC)
        .set("stock_to_tC", t.stock_to_tC)
        .set("change_tC", t.change_tC)
        .set("change_co2e_t", t.change_co2e_t)
        .set("loss_tC", t.loss_tC)
        .set("gain_tC", t.gain_tC)
        .set("K", t.valuation_k)
        .set("npv", t.npv);
  return std::move(pairs).finish();
}

Table class_area_table(const LanduseResult& result) {
  const carbon::LandusePoolTable& pools = result.pools;
  RowTable classes("class_area");
  for (const auto& c : result.class_area)
    classes.row()
        .set("year", c.year)
        .set("lucode", pools.codes[c.class_idx])
        .set("name", pools.names[c.class_idx])
        .set("cells", c.cells)
        .set("area_ha", c.area_ha)
        .set("c_tC_ha", pools.total_tC_ha[c.class_idx])
        .set("stock_tC", c.stock_tC);
  return std::move(classes).finish();
}

// The key columns of a transition (the map pair and the two classes), declared for tables that
// may stay empty, and set for one row: the map's and the mines' transition tables share them.
void declare_transition_key(RowTable& t) {
  t.column<std::int64_t>("year_from")
      .column<std::int64_t>("year_to")
      .column<std::string>("pair_kind")
      .column<std::int64_t>("from_lucode")
      .column<std::string>("from_name")
      .column<std::int64_t>("to_lucode")
      .column<std::string>("to_name");
}

RowTable& set_transition_key(RowTable& t, const LandusePair& pair, std::size_t from_idx,
                             std::size_t to_idx, const carbon::LandusePoolTable& pools) {
  return t.set("year_from", pair.year_from)
      .set("year_to", pair.year_to)
      .set("pair_kind", pair.kind)
      .set("from_lucode", pools.codes[from_idx])
      .set("from_name", pools.names[from_idx])
      .set("to_lucode", pools.codes[to_idx])
      .set("to_name", pools.names[to_idx]);
}

Table transitions_table(const LanduseResult& result) {
  RowTable transitions("transitions");
  declare_transition_key(transitions);
  transitions.column<std::int64_t>("cells")
      .column<double>("area_ha")
      .column<double>("carbon_change_tC")
      .column<double>("co2e_t");
  for (const auto& t : result.transitions) {
    transitions.row();
    set_transition_key(transitions, t.pair, t.from_idx, t.to_idx, result.pools)
        .set("cells", t.cells)
        .set("area_ha", t.area_ha)
        .set("carbon_change_tC", t.carbon_change_tC)
        .set("co2e_t", t.co2e_t);
  }
  return std::move(transitions).finish();
}

// The mine layer's attributes and the stocks and class areas of every mine at every date.
void mine_stock_tables(const LanduseResult& result, LanduseResultTables& out) {
  const carbon::LandusePoolTable& pools = result.pools;
  const std::size_t n_dates = result.years.size();
  const std::size_t n_pairs = result.pairs.size();
  RowTable mines("mines");
  RowTable stock("mine_stock");
  RowTable class_area("mine_class_area");
  for (std::size_t idx = 0; idx < result.mine_features.size(); ++idx) {
    const LanduseMineStock& first = result.mine_stock[idx * n_dates];
    const LanduseMineStock& last = result.mine_stock[idx * n_dates + n_dates - 1];
    // The first → last pair: the last one listed (first_last with 3+ dates, else the only one).
    const LanduseMineChange& overall = result.mine_change[idx * n_pairs + n_pairs - 1];
    out.mine_feature.push_back(result.mine_features[idx]);
    mines.row()
        .set("mine_id", first.mine_id)
        .set("covered_area_ha", first.covered_area_ha)
        .set("year_first", first.year)
        .set("year_last", last.year)
        .set("stock_first_tC", first.stock_tC)
        .set("stock_last_tC", last.stock_tC)
        .set("change_tC", overall.change_tC)
        .set("change_co2e_t", overall.change_co2e_t)
        .set("loss_tC", overall.loss_tC)
        .set("gain_tC", overall.gain_tC)
        .set("npv", overall.npv);
    for (std::size_t d = 0; d < n_dates; ++d) {
      const LanduseMineStock& s = result.mine_stock[idx * n_dates + d];
      stock.row()
          .set("mine_id", s.mine_id)
          .set("year", s.year)
          .set("stock_tC", s.stock_tC)
          .set("stock_co2e_t", s.stock_co2e_t)
          .set("valid_area_ha", s.valid_area_ha)
          .set("covered_area_ha", s.covered_area_ha);
      for (std::size_t k = 0; k < s.class_area_ha.size(); ++k)
        class_area.row()
            .set("mine_id", s.mine_id)
            .set("year", s.year)
            .set("lucode", pools.codes[k])
            .set("name", pools.names[k])
            .set("area_ha", s.class_area_ha[k]);
    }
  }
  out.mines = std::move(mines).finish();
  out.mine_stock = std::move(stock).finish();
  out.mine_class_area = std::move(class_area).finish();
}

// The contract with the balance stage (docs/landuse.md).
Table mine_change_table(const LanduseResult& result) {
  RowTable change("mine_change");
  for (const auto& c : result.mine_change)
    change.row()
        .set("mine_id", c.mine_id)
        .set("year_from", c.year_from)
        .set("year_to", c.year_to)
        .set("pair_kind", c.pair_kind)
        .set("stock_from_tC", c.stock_from_tC)
        .set("stock_to_tC", c.stock_to_tC)
        .set("change_tC", c.change_tC)
        .set("change_co2e_t", c.change_co2e_t)
        .set("loss_tC", c.loss_tC)
        .set("gain_tC", c.gain_tC)
        .set("npv", c.npv)
        .set("valid_area_ha", c.valid_area_ha)
        .set("covered_area_ha", c.covered_area_ha);
  return std::move(change).finish();
}

Table mine_transitions_table(const LanduseResult& result) {
  RowTable mt("mine_transitions");
  mt.column<std::string>("mine_id");
  declare_transition_key(mt);
  mt.column<double>("area_ha").column<double>("carbon_change_tC").column<double>("co2e_t");
  for (const auto& t : result.mine_transitions) {
    mt.row().set("mine_id", t.mine_id);
    set_transition_key(mt, t.pair, t.from_idx, t.to_idx, result.pools)
        .set("area_ha", t.area_ha)
        .set("carbon_change_tC", t.carbon_change_tC)
        .set("co2e_t", t.co2e_t);
  }
  return std::move(mt).finish();
}

Table uncertainty_table(const LanduseResult& result) {
  RowTable u("uncertainty");
  for (const auto& r : result.uncertainty)
    u.row()
        .set("unit_id", r.unit_id)
        .set("quantity", r.quantity)
        .set("year_from", r.year_from)
        .set("year_to", r.year_to)
        .set("mean_tC", r.mean_tC)
        .set("mc_mean_tC", r.mc_mean_tC)
        .set("mc_sd_tC", r.mc_sd_tC)
        .set("p2_5_tC", r.p2_5_tC)
        .set("p50_tC", r.p50_tC)
        .set("p97_5_tC", r.p97_5_tC)
        .set("analytic_sd_tC", r.analytic_sd_tC)
        .set("analytic_sd_co2e_t", r.analytic_sd_tC * units::kCo2PerC);
  return std::move(u).finish();
}

}  // namespace

LanduseResultTables to_tables(const LanduseResult& result) {
  LanduseResultTables out;
  out.date_totals = date_totals_table(result);
  out.pair_totals = pair_totals_table(result);
  out.class_area = class_area_table(result);
  out.transitions = transitions_table(result);
  out.has_mines = !result.mine_features.empty();
  if (out.has_mines) {
    mine_stock_tables(result, out);
    out.mine_change = mine_change_table(result);
    out.mine_transitions = mine_transitions_table(result);
  }
  out.has_uncertainty = !result.uncertainty.empty();
  if (out.has_uncertainty) out.uncertainty = uncertainty_table(result);
  return out;
}

}  // namespace minecarbon::assess
