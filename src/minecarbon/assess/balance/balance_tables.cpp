#include "minecarbon/assess/balance/balance_tables.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "minecarbon/core/nan.h"
#include "minecarbon/core/row_table.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

double year_or_na(const std::optional<int>& year) {
  return year ? static_cast<double>(*year) : kNaN;
}

// The mine_year columns, filled column by column: at 45,000 mines × 30 years this table has
// 1.35 M rows, and a RowTable would look each of its 15 M cells up by name and regrow every
// column by doubling. The columns and their order are the contract (INTERFACES11 `mine_year`).
class YearColumns {
 public:
  // `rows`: exactly the rows that add() will be given.
  explicit YearColumns(std::size_t rows) : year_(rows) {
    mine_id_.reserve(rows);
    basis_.reserve(rows);
    for (auto& column : values_)
      column.resize(rows);
  }

  void add(const std::string& mine_id, const carbon::NetBalanceYear& y) {
    mine_id_.push_back(mine_id);
    basis_.emplace_back(carbon::kEcosystemBasisNames.name(y.basis));
    const std::size_t row = next_row_++;
    year_[row] = y.year;
    values_[0][row] = y.process_emission_co2e_t;
    values_[1][row] = y.clearing_emission_co2e_t;
    values_[2][row] = y.foregone_sink_co2e_t;
    values_[3][row] = y.landuse_gain_removal_co2e_t;
    values_[4][row] = y.restoration_removal_co2e_t;
    values_[5][row] = y.net_emission_co2e_t;
    values_[6][row] = y.cumulative_net_emission_co2e_t;
    values_[7][row] = y.not_counted_removal_co2e_t;
  }

  Table finish(const char* name) && {
    Table t(name);
    t.add("mine_id", std::move(mine_id_));
    t.add("year", std::move(year_));
    t.add("ecosystem_basis", std::move(basis_));
    for (std::size_t col = 0; col < kValueColumns; ++col)
      t.add(kValueNames[col], std::move(values_[col]));
    return t;
  }

 private:
  static constexpr std::size_t kValueColumns = 8;
  static constexpr const char* kValueNames[kValueColumns] = {
      "process_emission_co2e_t",        "clearing_emission_co2e_t",   "foregone_sink_co2e_t",
      "landuse_gain_removal_co2e_t",    "restoration_removal_co2e_t", "net_emission_co2e_t",
      "cumulative_net_emission_co2e_t", "not_counted_removal_co2e_t"};

  std::vector<std::string> mine_id_;
  std::vector<std::int64_t> year_;
  std::vector<std::string> basis_;
  std::vector<double> values_[kValueColumns];  // in the order of kValueNames
  std::size_t next_row_ = 0;
};

}  // namespace

BalanceTables to_tables(const BalanceResult& result) {
  BalanceTables out;
  YearColumns years(result.mine_years.size());
  for (const BalanceMineYear& y : result.mine_years)
    years.add(result.mines[y.mine].mine_id, y.values);
  out.mine_year = std::move(years).finish("mine_year");

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
  std::size_t rows = 0;
  for (const BalanceMineYear& y : result.mine_years)
    rows += y.mine == mine ? 1 : 0;
  YearColumns t(rows);
  for (const BalanceMineYear& y : result.mine_years)
    if (y.mine == mine) t.add(result.mines[mine].mine_id, y.values);
  return std::move(t).finish("report_mine");
}

}  // namespace minecarbon::assess
