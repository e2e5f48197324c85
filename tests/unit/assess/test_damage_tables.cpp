// The damage stage's typed records and their published tables.
#include <gtest/gtest.h>

#include <cmath>

#include "minecarbon/assess/damage/damage_tables.h"

namespace minecarbon::assess {
namespace {

const Column& column(const Table& table, const std::string& name) {
  const Column* c = table.find(name);
  if (!c) throw std::runtime_error("no column " + name);
  return *c;
}

DamageResult two_mines() {
  DamageResult r;
  r.years = {2000, 2001};
  r.base_year = 2000;
  r.mine_attribute_names = {"ISO3_CODE"};
  MineRecord a;
  a.mine_id = "A";
  a.attributes = {"CHN"};
  a.area_m2 = 2.5e6;
  a.nep_change_rel_last_gC_m2_yr = -4;
  a.nep_change_rel_mean_gC_m2_yr = -3;
  MineRecord b;
  b.mine_id = "B";
  b.status = MineStatus::below_min_area;
  b.attributes = {"AUS"};
  b.area_m2 = 1e5;
  r.mines = {a, b};
  for (int year : {2000, 2001}) {
    MineYearRecord y;
    y.mine = 0;
    y.year = year;
    y.nep_mine_change_gC_m2_yr = year == 2000 ? 0 : 7.5;
    r.mine_years.push_back(y);
  }
  return r;
}

TEST(DamageTables, StatusNamesRoundTrip) {
  for (const auto& [status, name] : kMineStatusNames.entries) {
    EXPECT_EQ(kMineStatusNames.parse(name), status);
  }
  EXPECT_EQ(kMineStatusNames.name(MineStatus::no_data_in_base_year), "no_data_in_base_year");
  EXPECT_FALSE(kMineStatusNames.parse("OK").has_value());
}

TEST(DamageTables, RecordsBecomeTheirPublishedColumns) {
  const DamageTables t = to_tables(two_mines());
  ASSERT_EQ(t.mines.row_count(), 2u);
  EXPECT_EQ(std::get<std::vector<std::string>>(column(t.mines, "status").data)[1],
            "below_min_area");
  EXPECT_EQ(std::get<std::vector<std::string>>(column(t.mines, "ISO3_CODE").data)[0], "CHN");
  EXPECT_DOUBLE_EQ(std::get<std::vector<double>>(column(t.mines, "area_km2").data)[0], 2.5);
  // The attribute columns sit between status and area_m2, as in the GeoPackage layer.
  EXPECT_EQ(t.mines.columns()[2].name, "ISO3_CODE");
  EXPECT_EQ(t.mines.columns()[3].name, "area_m2");
  ASSERT_EQ(t.mine_year.row_count(), 2u);
  EXPECT_EQ(std::get<std::vector<std::string>>(column(t.mine_year, "mine_id").data)[1], "A");
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(column(t.mine_year, "year").data)[1], 2001);
}

TEST(DamageTables, EmptyTablesKeepTheirHeaders) {
  const DamageTables t = to_tables(two_mines());
  EXPECT_EQ(t.periods.row_count(), 0u);
  ASSERT_EQ(t.periods.columns().size(), 9u);
  EXPECT_EQ(t.periods.columns()[7].name, "ols_slope_per_yr");
  EXPECT_EQ(t.group_year.columns().size(), 12u);
  EXPECT_EQ(t.group_trend.columns()[3].name, "ols_slope_per_yr");
  EXPECT_EQ(t.year_summary.columns()[0].name, "year");
}

TEST(DamageTables, TypedAccessorsReadFieldsNotColumns) {
  const DamageResult r = two_mines();
  const auto increment = mine_change_last_year(r);
  ASSERT_EQ(increment.size(), 1u);  // analysed mines only
  EXPECT_EQ(increment[0].mine_id, "A");
  EXPECT_EQ(increment[0].value, 7.5);
  const auto last = mine_values(r, &MineRecord::nep_change_rel_last_gC_m2_yr);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].value, -4);
  EXPECT_TRUE(std::isnan(last[1].value));
  EXPECT_EQ(mine_values(r, &MineRecord::nep_change_rel_mean_gC_m2_yr)[0].value, -3);
  EXPECT_EQ(mine_values(r, &MineRecord::area_m2)[1].value, 1e5);
}

}  // namespace
}  // namespace minecarbon::assess
