// The unit of a column read from its name: the longest suffix rule wins, a rule matches whole
// '_'-separated words only, and the palette follows the sign convention of the name.
#include <gtest/gtest.h>

#include <string>

#include "minecarbon/report/column_units.h"

namespace minecarbon::report {
namespace {

std::string unit(const std::string& column) {
  const UnitRule* rule = unit_rule_of(column);
  return rule ? std::string(rule->unit) : std::string("(none)");
}

TEST(ColumnUnits, TheLongestSuffixWins) {
  EXPECT_EQ(unit("nep_loss_last_gC_m2_yr"), "gC m⁻² yr⁻¹");
  EXPECT_EQ(unit("change_rel_sen_slope_gC_m2_yr2"), "gC m⁻² yr⁻²");
  EXPECT_EQ(unit("nep_change_rel_last_MgC_yr"), "Mg C yr⁻¹");
  EXPECT_EQ(unit("total_loss_losing_GgC_yr"), "Gg C yr⁻¹");
  EXPECT_EQ(unit("soc_stock_tC_ha"), "t C ha⁻¹");
  EXPECT_EQ(unit("sink_tC_ha_yr"), "t C ha⁻¹ yr⁻¹");
  EXPECT_EQ(unit("change_tC"), "t C");
  EXPECT_EQ(unit("sequestration_co2e_t_ha_yr"), "t CO₂e ha⁻¹ yr⁻¹");
  EXPECT_EQ(unit("herb_t_ha"), "t ha⁻¹");  // not "t": the longer rule
  EXPECT_EQ(unit("ch4_t"), "t");
  EXPECT_EQ(unit("gdp_usd_km2"), "USD km⁻²");  // not km²
  EXPECT_EQ(unit("area_km2"), "km²");
  EXPECT_EQ(unit("area_m2"), "m²");
  EXPECT_EQ(unit("tmax_C"), "°C");
  EXPECT_EQ(unit("slope_deg"), "°");
  EXPECT_EQ(unit("clay_pct"), "%");
  EXPECT_EQ(unit("ef_co2_t_per_unit"), "t per activity unit");
}

TEST(ColumnUnits, ANameThatIsOnlyAUnitHasThatUnit) {
  EXPECT_EQ(unit("co2e_t"), "t CO₂e");
  EXPECT_EQ(strip_unit("co2e_t"), "co2e_t");
  EXPECT_EQ(strip_unit("nep_loss_last_gC_m2_yr"), "nep_loss_last");
}

TEST(ColumnUnits, RulesMatchWholeWordsOnly) {
  // "...mk_z" ends in "z", "r2" is no unit, "share" ends in no rule, "gwp" holds no "_t".
  EXPECT_EQ(unit("change_rel_mk_z"), "(none)");
  EXPECT_EQ(unit("nep_mine_ols_r2"), "(none)");
  EXPECT_EQ(unit("share_mines_losing"), "(none)");
  EXPECT_EQ(unit("gwp"), "(none)");
  EXPECT_EQ(unit("cm"), "cm");
  EXPECT_EQ(unit("xcm"), "(none)");
}

TEST(ColumnUnits, RulesAreTriedLongestFirst) {
  const auto& rules = unit_rules();
  for (std::size_t k = 1; k < rules.size(); ++k)
    EXPECT_GE(rules[k - 1].suffix.size(), rules[k].suffix.size()) << rules[k].suffix;
}

TEST(ColumnUnits, PaletteFollowsTheSignOfTheName) {
  EXPECT_EQ(palette_of("nep_change_rel_last_MgC_yr", true), PaletteKind::diverging);
  EXPECT_EQ(palette_of("nep_loss_last_gC_m2_yr", true), PaletteKind::diverging);
  EXPECT_EQ(palette_of("nep_mine_gC_m2_yr", true), PaletteKind::diverging);  // a source is < 0
  EXPECT_EQ(palette_of("cumulative_net_emission_co2e_t", true), PaletteKind::diverging);
  EXPECT_EQ(palette_of("change_rel_sen_slope_gC_m2_yr2", true), PaletteKind::diverging);
  EXPECT_EQ(palette_of("potential_nep_increment_gC_m2_yr", true), PaletteKind::sequential);
  EXPECT_EQ(palette_of("potential_GgC_yr", true), PaletteKind::sequential);
  EXPECT_EQ(palette_of("soc_stock_tC_ha", true), PaletteKind::sequential);
  EXPECT_EQ(palette_of("area_km2", true), PaletteKind::sequential);
  EXPECT_EQ(palette_of("planet_area_km2", true), PaletteKind::sequential);  // "net" inside a word
  EXPECT_EQ(palette_of("status", false), PaletteKind::categorical);
}

TEST(ColumnUnits, LossesAndEmissionsArePositiveIsBad) {
  // −S (positive = lost sink) and net emissions are reversed so that losses are drawn red;
  // changes, NEP and balances where negative = lost sink are not.
  EXPECT_TRUE(positive_is_loss("nep_loss_last_gC_m2_yr"));
  EXPECT_TRUE(positive_is_loss("total_loss_losing_GgC_yr"));
  EXPECT_TRUE(positive_is_loss("cumulative_net_emission_co2e_t"));
  EXPECT_FALSE(positive_is_loss("nep_change_rel_last_MgC_yr"));
  EXPECT_FALSE(positive_is_loss("nep_mine_gC_m2_yr"));
  EXPECT_FALSE(positive_is_loss("glossary_m2"));  // "loss" inside a word
}

}  // namespace
}  // namespace minecarbon::report
