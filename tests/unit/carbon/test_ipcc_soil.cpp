// IPCC Tier 1 mineral-soil SOC: the shipped tables against docs/carbon_methods.md §3.3,
// its worked example, transition arithmetic by hand, and the missing-factor message.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "minecarbon/carbon/ipcc_soil.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"

namespace mc = minecarbon::carbon;

namespace {

mc::IpccTables shipped() {
  const std::string dir = std::string(MC_SOURCE_DIR) + "/data/";
  mc::IpccTables t;
  t.factors = mc::parse_ipcc_factor_table(minecarbon::read_csv_file(dir + "ipcc_soil_factors.csv"));
  t.soc_ref =
      mc::parse_ipcc_soc_ref_table(minecarbon::read_csv_file(dir + "ipcc_soil_soc_ref.csv"));
  t.factor_files = {"data/ipcc_soil_factors.csv"};
  t.soc_ref_files = {"data/ipcc_soil_soc_ref.csv"};
  return t;
}

mc::IpccClimate climate(const std::string& name) {
  mc::IpccClimate c;
  EXPECT_TRUE(mc::find_ipcc_climate(name, c)) << name;
  return c;
}

}  // namespace

TEST(IpccSoil, EmptyStateListIsAnError) {
  EXPECT_THROW(mc::ipcc_soc_trajectory({}, 2030, std::nan("")), minecarbon::DataError);
}

TEST(IpccSoil, StatesOutOfOrderAreRejected) {
  const std::vector<mc::IpccState> states = {{"a", 2010, 10}, {"b", 2005, 20}};
  try {
    mc::ipcc_soc_trajectory(states, 2030, std::nan(""));
    FAIL();
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("state 2 ('b') starts in 2005"), std::string::npos);
  }
}

TEST(IpccSoil, ShippedTablesHoldOnlyConfirmedRowsWithSources) {
  const std::string dir = std::string(MC_SOURCE_DIR) + "/data/";
  for (const char* file : {"ipcc_soil_factors.csv", "ipcc_soil_soc_ref.csv"}) {
    const minecarbon::CsvText csv = minecarbon::read_csv_file(dir + file);
    const auto c_status = csv.column("status"), c_source = csv.column("source");
    ASSERT_GT(csv.rows.size(), 0u);
    for (const auto& row : csv.rows) {
      EXPECT_EQ(row[c_status].rfind("CONFIRMED", 0), 0u) << file;
      EXPECT_FALSE(row[c_source].empty()) << file;
    }
  }
  // The wetland column of Table 2.3 has an UNCONFIRMED row alignment: not shipped.
  const mc::IpccTables t = shipped();
  EXPECT_THROW(mc::find_ipcc_soc_ref(t, "boreal", "wetland"), minecarbon::DataError);
}

TEST(IpccSoil, ShippedValuesMatchTheMethodsNote) {
  // carbon_methods.md §3.3, Table 2.3 and Table 5.5 cells.
  const mc::IpccTables t = shipped();
  EXPECT_EQ(mc::find_ipcc_soc_ref(t, "warm_temperate_moist", "HAC").soc_ref_tC_ha, 88.0);
  EXPECT_EQ(mc::find_ipcc_soc_ref(t, "tropical_wet", "volcanic").soc_ref_tC_ha, 130.0);
  EXPECT_EQ(mc::find_ipcc_soc_ref(t, "cold_temperate_moist", "spodic").soc_ref_tC_ha, 115.0);
  const auto f = [&](const char* factor, const char* lu, const char* level, const char* clim) {
    return mc::find_ipcc_factor(t, factor, lu, level, climate(clim)).value;
  };
  EXPECT_EQ(f("F_LU", "cropland", "long_term_cultivated", "warm_temperate_moist"), 0.69);
  EXPECT_EQ(f("F_LU", "cropland", "long_term_cultivated", "tropical_wet"), 0.48);
  EXPECT_EQ(f("F_LU", "cropland", "long_term_cultivated", "tropical_montane"), 0.64);
  EXPECT_EQ(f("F_MG", "cropland", "no_till", "tropical_moist"), 1.22);
  EXPECT_EQ(f("F_MG", "cropland", "reduced_tillage", "cold_temperate_dry"), 1.02);
  EXPECT_EQ(f("F_I", "cropland", "high_with_manure", "tropical_dry"), 1.37);
  EXPECT_EQ(f("F_MG", "grassland", "improved", "tropical_moist"), 1.17);
  EXPECT_EQ(f("F_MG", "grassland", "moderately_degraded", "tropical_dry"), 0.97);
}

TEST(IpccSoil, MethodsNoteWorkedExample) {
  // carbon_methods.md §3.3: warm temperate moist HAC, long-term cultivated, full tillage,
  // medium input → 88 × 0.69 × 1.00 × 1.00 = 60.72 t C/ha; back to native (F = 1) gives
  // +27.28 t C/ha over D = 20 yr = 1.364 t C/ha/yr.
  const mc::IpccTables t = shipped();
  const mc::IpccClimate c = climate("warm_temperate_moist");
  const double soc_ref = mc::find_ipcc_soc_ref(t, "warm_temperate_moist", "HAC").soc_ref_tC_ha;
  const double soc = mc::ipcc_soc_tC_ha(
      soc_ref, mc::find_ipcc_factor(t, "F_LU", "cropland", "long_term_cultivated", c).value,
      mc::find_ipcc_factor(t, "F_MG", "cropland", "full_tillage", c).value,
      mc::find_ipcc_factor(t, "F_I", "cropland", "medium", c).value);
  EXPECT_NEAR(soc, 60.72, 1e-12);
  const std::vector<mc::IpccState> states = {{"cropland", 2000, soc}, {"native", 2010, soc_ref}};
  const auto years = mc::ipcc_soc_trajectory(states, 2040, std::nan(""));
  ASSERT_EQ(years.size(), 41u);
  EXPECT_NEAR(years[9].soc_tC_ha, 60.72, 1e-12);         // 2009: still cropland at equilibrium
  EXPECT_NEAR(years[10].change_tC_ha_yr, 1.364, 1e-12);  // 2010: first year of the transition
  EXPECT_NEAR(years[29].soc_tC_ha, 88.0, 1e-12);         // 2029: 20th year, done
  EXPECT_NEAR(years[30].change_tC_ha_yr, 0.0, 1e-12);
}

TEST(IpccSoil, SpoilToGrasslandToForestByHand) {
  // Bare spoil measured at 5 t C/ha from 2000; improved tropical grassland from 2005 with
  // SOC_REF 65 (tropical moist HAC) → 65 × 1 × 1.17 × 1 = 76.05, so (76.05 − 5)/20 = 3.5525 per
  // year; forest from 2015 (user factors, F = 1 → 65): the stock at the end of 2014 is
  // 5 + 10 × 3.5525 = 40.525 and moves by (65 − 40.525)/20 = 1.22375 per year until 2034.
  const mc::IpccTables t = shipped();
  const mc::IpccClimate c = climate("tropical_moist");
  const double soc_ref = mc::find_ipcc_soc_ref(t, "tropical_moist", "HAC").soc_ref_tC_ha;
  const double grass =
      mc::ipcc_soc_tC_ha(soc_ref, mc::find_ipcc_factor(t, "F_LU", "grassland", "all", c).value,
                         mc::find_ipcc_factor(t, "F_MG", "grassland", "improved", c).value,
                         mc::find_ipcc_factor(t, "F_I", "grassland", "medium", c).value);
  EXPECT_NEAR(grass, 76.05, 1e-12);
  const std::vector<mc::IpccState> states = {
      {"bare spoil", 2000, 5.0}, {"grassland", 2005, grass}, {"forest", 2015, 65.0}};
  const auto years = mc::ipcc_soc_trajectory(states, 2040, std::nan(""));
  EXPECT_NEAR(years[4].soc_tC_ha, 5.0, 1e-12);           // 2004
  EXPECT_NEAR(years[5].change_tC_ha_yr, 3.5525, 1e-12);  // 2005
  EXPECT_NEAR(years[14].soc_tC_ha, 40.525, 1e-12);       // 2014
  EXPECT_EQ(years[15].state, "forest");
  EXPECT_NEAR(years[15].change_tC_ha_yr, 1.22375, 1e-12);  // 2015
  EXPECT_NEAR(years[34].soc_tC_ha, 65.0, 1e-12);           // 2034: 20th forest year
  EXPECT_NEAR(years[40].soc_tC_ha, 65.0, 1e-12);           // 2040
}

TEST(IpccSoil, InitialStockOtherThanTheFirstEquilibriumStartsATransition) {
  // Start at 0 (bedrock exposed, IPCC: stock 0) in a state whose equilibrium is 40, D = 10:
  // +4 per year for 10 years.
  const std::vector<mc::IpccState> states = {{"grass", 2020, 40.0}};
  const auto years = mc::ipcc_soc_trajectory(states, 2031, 0.0, 10);
  EXPECT_NEAR(years[0].soc_tC_ha, 4.0, 1e-12);
  EXPECT_NEAR(years[9].soc_tC_ha, 40.0, 1e-12);
  EXPECT_NEAR(years[11].change_tC_ha_yr, 0.0, 1e-12);
}

TEST(IpccSoil, MissingFactorSaysWhichAndWhereToAddIt) {
  const mc::IpccTables t = shipped();
  try {
    mc::find_ipcc_factor(t, "F_MG", "grassland", "severely_degraded", climate("boreal"));
    FAIL();
  } catch (const minecarbon::DataError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("IPCC factor F_MG for land_use = grassland, level = severely_degraded"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("data/ipcc_soil_factors.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ipcc_factors"), std::string::npos) << msg;
  }
}

TEST(IpccSoil, UserRowsNeedASource) {
  std::istringstream in(
      "land_use,factor,level,temperature_regime,moisture_regime,value,source\n"
      "forest,F_LU,all,all,all,1.0,\n");
  const minecarbon::CsvText csv = minecarbon::parse_csv(in, "mine.csv");
  try {
    mc::parse_ipcc_factor_table(csv);
    FAIL();
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("mine.csv:2: source is empty"), std::string::npos);
  }
}
