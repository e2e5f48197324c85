// Emission factors of the mining process: the hand values of the methods note (IPCC 2006 Vol. 2
// factors, CONFIRMED 2nd-hand; derived values re-derived here), every unit, each GWP set.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "minecarbon/carbon/emission_factors.h"
#include "minecarbon/carbon/gwp.h"

namespace minecarbon::carbon {
namespace {

// IPCC 2006 diesel: NCV 43.0 GJ/t, 840 kg/m³, 74,100 kg CO2/TJ; off-road CH4 4.15, N2O 28.6 kg/TJ.
const FuelFactors kDieselOffroad{43.0, 840.0, 74100.0, 4.15, 28.6};
const FuelFactors kDieselStationary{43.0, 840.0, 74100.0, 3.0, 0.6};

TEST(EmissionFactors, ZeroAmountsGiveZeroEmissions) {
  EXPECT_EQ(
      fuel_combustion(fuel_energy_GJ(0.0, ActivityUnit::L, kDieselOffroad), kDieselOffroad).co2_t,
      0.0);
  EXPECT_EQ(surface_coal_ch4_t(0.0, {1.2, 0.1}), 0.0);
  EXPECT_EQ(electricity_co2_t(electricity_MWh(0.0, ActivityUnit::kWh), 0.7), 0.0);
  EXPECT_EQ(land_clearing_co2_t(0.0, {15, 10, 60, 1}, 0.8), 0.0);
}

TEST(EmissionFactors, NanPropagates) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(fuel_energy_GJ(nan, ActivityUnit::t, kDieselOffroad)));
  EXPECT_TRUE(std::isnan(surface_coal_ch4_t(nan, {1.2, 0.1})));
}

TEST(EmissionFactors, WrongUnitForAConversionIsAProgrammingError) {
  EXPECT_THROW(fuel_energy_GJ(1.0, ActivityUnit::kWh, kDieselOffroad), std::invalid_argument);
  EXPECT_THROW(electricity_MWh(1.0, ActivityUnit::t), std::invalid_argument);
}

TEST(EmissionFactors, OneTonneOfDieselEmits3Point1863TonnesCo2) {
  const GasMasses g =
      fuel_combustion(fuel_energy_GJ(1.0, ActivityUnit::t, kDieselOffroad), kDieselOffroad);
  EXPECT_NEAR(g.co2_t, 3.1863, 1e-12);
  EXPECT_NEAR(fuel_co2_t_per_t(kDieselOffroad), 3.1863, 1e-12);
  // Carbon fraction of diesel implied: 3.1863 × 12/44 = 0.8690.
  EXPECT_NEAR(g.co2_t * 12.0 / 44.0, 0.8690, 5e-5);
  // Off-road CH4 and N2O per t: 43 GJ × 4.15 and 28.6 g/GJ.
  EXPECT_NEAR(g.ch4_t * 1e3, 0.17845, 1e-12);
  EXPECT_NEAR(g.n2o_t * 1e3, 1.2298, 1e-12);
  const GasMasses s =
      fuel_combustion(fuel_energy_GJ(1.0, ActivityUnit::t, kDieselStationary), kDieselStationary);
  EXPECT_NEAR(s.co2_t, 3.1863, 1e-12);
  EXPECT_NEAR(s.ch4_t * 1e3, 0.129, 1e-12);
  EXPECT_NEAR(s.n2o_t * 1e3, 0.0258, 1e-12);
}

TEST(EmissionFactors, OneLitreOfDieselEmits2Point6765KgCo2) {
  const double kg =
      1e3 *
      fuel_combustion(fuel_energy_GJ(1.0, ActivityUnit::L, kDieselOffroad), kDieselOffroad).co2_t;
  EXPECT_NEAR(kg, 2.6765, 5e-5);
  EXPECT_NEAR(kg, 0.84 * 3.1863, 1e-12);
}

TEST(EmissionFactors, EveryFuelUnitGivesTheSameEnergyForTheSameDiesel) {
  // 1 m³ = 1000 L = 0.84 t = 36.12 GJ.
  const double gj = 36.12;
  EXPECT_NEAR(fuel_energy_GJ(1.0, ActivityUnit::m3, kDieselOffroad), gj, 1e-12);
  EXPECT_NEAR(fuel_energy_GJ(1000.0, ActivityUnit::L, kDieselOffroad), gj, 1e-12);
  EXPECT_NEAR(fuel_energy_GJ(0.84, ActivityUnit::t, kDieselOffroad), gj, 1e-12);
  EXPECT_EQ(fuel_energy_GJ(gj, ActivityUnit::GJ, kDieselOffroad), gj);
  // 1 GJ → 74.1 kg CO2.
  EXPECT_NEAR(fuel_combustion(1.0, kDieselOffroad).co2_t, 0.0741, 1e-15);
}

TEST(EmissionFactors, SurfaceCoalClassBoundaries) {
  EXPECT_EQ(surface_coal_class(0.0), SurfaceCoalClass::low);
  EXPECT_EQ(surface_coal_class(24.99), SurfaceCoalClass::low);
  EXPECT_EQ(surface_coal_class(25.0), SurfaceCoalClass::average);
  EXPECT_EQ(surface_coal_class(50.0), SurfaceCoalClass::average);
  EXPECT_EQ(surface_coal_class(50.01), SurfaceCoalClass::high);
  EXPECT_FALSE(surface_coal_class(-1.0).has_value());
  EXPECT_FALSE(surface_coal_class(std::numeric_limits<double>::quiet_NaN()).has_value());
  EXPECT_EQ(parse_surface_coal_class("high"), SurfaceCoalClass::high);
  EXPECT_FALSE(parse_surface_coal_class("medium").has_value());
}

TEST(EmissionFactors, OneMegatonneOfCoalAtAverageReleases871TonnesCh4) {
  EXPECT_NEAR(surface_coal_ch4_t(1e6, {1.2, 0.1}), 871.0, 1e-9);
  EXPECT_NEAR(surface_coal_ch4_t(1e6, {1.2, 0.0}), 804.0, 1e-9);   // without post-mining
  EXPECT_NEAR(surface_coal_ch4_t(1e6, {0.3, 0.0}), 201.0, 1e-9);   // low
  EXPECT_NEAR(surface_coal_ch4_t(1e6, {2.0, 0.2}), 1474.0, 1e-9);  // high
}

TEST(EmissionFactors, MethaneVolumeAndRecovery) {
  EXPECT_NEAR(ch4_m3_to_t(1000.0), 0.67, 1e-15);
  const GasMasses r = recovered_ch4(1.0, 0.98);
  EXPECT_NEAR(r.ch4_t, -0.98, 1e-15);
  EXPECT_NEAR(r.co2_t, 0.98 * 2.75, 1e-15);
  EXPECT_EQ(r.n2o_t, 0.0);
  // Nothing burnt: nothing destroyed, no CO2.
  EXPECT_EQ(recovered_ch4(1.0, 0.0).co2_t, 0.0);
}

TEST(EmissionFactors, AnfoWithFivePointFivePercentFuelOil) {
  EXPECT_NEAR(explosive_co2_t_per_t(0.055, fuel_co2_t_per_t(kDieselOffroad)), 0.17525, 5e-6);
  EXPECT_NEAR(explosive_co2_t_per_t(0.055, 3.1863), 0.1752465, 1e-12);
}

TEST(EmissionFactors, ElectricityWithAProvincialFactor) {
  // Shanxi (CN-SX) 2022, MEE/NBS: 0.7096 t CO2/MWh.
  EXPECT_NEAR(electricity_co2_t(electricity_MWh(1e6, ActivityUnit::kWh), 0.7096), 709.6, 1e-9);
  EXPECT_NEAR(electricity_co2_t(electricity_MWh(1000.0, ActivityUnit::MWh), 0.7096), 709.6, 1e-9);
}

TEST(EmissionFactors, LandClearingLosesVegetationDeadMatterAndAShareOfSoil) {
  // InVEST's lucode 1 pools: above 15, below 10, soil 60, dead 1 t C/ha.
  const CarbonPools pools{15.0, 10.0, 60.0, 1.0};
  EXPECT_NEAR(land_clearing_co2_t(1.0, pools, 0.0), 26.0 * 44.0 / 12.0, 1e-12);
  EXPECT_NEAR(land_clearing_co2_t(2.0, pools, 0.8), 2.0 * 74.0 * 44.0 / 12.0, 1e-12);
}

TEST(EmissionFactors, DisturbedAreaEstimate) {
  EXPECT_NEAR(disturbed_area_est_ha(1e4), 0.22, 1e-15);
  EXPECT_NEAR(disturbed_area_est_ha(1e6), 22.0, 1e-12);
  EXPECT_NEAR(disturbed_area_est_ha(1e6, 0.12), 12.0, 1e-12);
}

TEST(Gwp, PublishedSets) {
  EXPECT_EQ(builtin_gwp("SAR")->ch4_fossil, 21.0);
  EXPECT_EQ(builtin_gwp("SAR")->n2o, 310.0);
  EXPECT_EQ(builtin_gwp("AR4")->ch4_fossil, 25.0);
  EXPECT_EQ(builtin_gwp("AR4")->n2o, 298.0);
  EXPECT_EQ(builtin_gwp("AR5")->ch4_fossil, 28.0);
  EXPECT_EQ(builtin_gwp("AR5")->n2o, 265.0);
  EXPECT_EQ(builtin_gwp("AR6")->ch4_fossil, 29.8);
  EXPECT_EQ(builtin_gwp("AR6")->ch4_non_fossil, 27.0);
  EXPECT_EQ(builtin_gwp("AR6")->n2o, 273.0);
  EXPECT_FALSE(builtin_gwp("ar5").has_value());
  EXPECT_FALSE(builtin_gwp("AR3").has_value());
}

TEST(Gwp, Co2eOfEachSet) {
  // 1 t CO2 + 1 t CH4 + 1 t N2O.
  EXPECT_NEAR(co2e_t(1, 1, 1, kGwpSar), 1 + 21 + 310, 1e-12);
  EXPECT_NEAR(co2e_t(1, 1, 1, kGwpAr4), 1 + 25 + 298, 1e-12);
  EXPECT_NEAR(co2e_t(1, 1, 1, kGwpAr5), 1 + 28 + 265, 1e-12);
  EXPECT_NEAR(co2e_t(1, 1, 1, kGwpAr6), 1 + 29.8 + 273, 1e-12);
  // 1 Mt average surface coal under AR5: 871 t CH4 × 28 = 24,388 t CO2e.
  EXPECT_NEAR(co2e_t(0, surface_coal_ch4_t(1e6, {1.2, 0.1}), 0, kGwpAr5), 24388.0, 1e-7);
  // Recovered methane lowers CO2e.
  EXPECT_LT(co2e_t(2.695, -0.98, 0, kGwpAr5), 0.0);
}

}  // namespace
}  // namespace minecarbon::carbon
