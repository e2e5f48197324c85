// Biomass methods, each on a hand-computed example.
// Oracles: the test vectors of docs/carbon_methods.md — §2.1
// V = 100 m³ hm⁻², WD = 0.307, BEF = 1.634, R = 0.246, CF = 0.47 -> B = 62.504 t hm⁻²,
// C = 29.377 tC hm⁻², CO₂ = 107.715 t hm⁻²; §2.2 Abies/Picea V = 100 -> 93.919 and Chinese fir
// (Fang 2007) V = 100 -> 65.661 t hm⁻² — the shipped IPCC 2006 Table 4.5 and 2019 Table 4.4 class
// values, and hand computations written out in each test.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "minecarbon/carbon/biomass.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/units.h"

namespace minecarbon::carbon {
namespace {

std::string data_file(const std::string& name) {
  return std::string(MC_SOURCE_DIR) + "/data/" + name;
}

// V = D: a test equation (a = 1, b = 1, c = 0) so that a tree of "D = 50" has 50 m³.
VolumeEquation volume_equals_dbh() {
  VolumeEquation eq;
  eq.key = "test";
  eq.a = 1.0;
  eq.b = 1.0;
  eq.c = 0.0;
  return eq;
}

TEST(Biomass, MethodNamesRoundTripAndListChoices) {
  for (auto m : {BiomassMethod::bcef, BiomassMethod::bef, BiomassMethod::continuous_bef,
                 BiomassMethod::allometry})
    EXPECT_EQ(parse_biomass_method(to_string(m)), m);
  try {
    parse_biomass_method("bcf");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("bcef, bef, continuous_bef, allometry"),
              std::string::npos);
  }
}

TEST(Biomass, ValueOutsideEveryClassNamesTheKeyAndRange) {
  RootShootTable table;
  table.add(read_csv_file(data_file("root_shoot_ipcc2019.csv")));
  const auto* planted = table.find("asia_tropical_rainforest_planted");
  ASSERT_NE(planted, nullptr);
  try {
    find_class(*planted, 140.0, "root:shoot AGB class (t/ha) of class");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("asia_tropical_rainforest_planted"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("(0, 125]"), std::string::npos) << e.what();
  }
}

TEST(Biomass, EmptyStandHasZeroStocks) {
  const std::vector<BiomassSpec> specs(1);
  const StandBiomass stand = stand_biomass(specs, {}, 0.04);
  EXPECT_EQ(stand.volume_m3_ha, 0.0);
  EXPECT_EQ(stand.carbon_tC_ha, 0.0);
}

// docs/carbon_methods.md §2.1: B = V · WD · BEF · (1 + R) = 100 · 0.307 · 1.634 · 1.246 = 62.504
// t/ha, C = 0.47 B = 29.377 tC/ha, CO₂ = 44/12 C = 107.715 t/ha. Two trees of V = 50 m³ on 1 ha.
TEST(Biomass, BefMethodReproducesTheMethodsNoteVector) {
  BiomassSpec spec;
  spec.method = BiomassMethod::bef;
  spec.volume = volume_equals_dbh();
  spec.wood_density_t_m3 = 0.307;
  spec.bef = 1.634;
  spec.root_method = RootMethod::root_shoot;
  spec.root_shoot_ratio = 0.246;
  spec.carbon_fraction = kCarbonFractionIpcc;
  const std::vector<BiomassSpec> specs = {spec};
  const std::vector<StandTree> trees = {{0, 50.0, 20.0, 1.0, true}, {0, 50.0, 20.0, 1.0, true}};
  const StandBiomass stand = stand_biomass(specs, trees, 1.0);
  EXPECT_NEAR(stand.volume_m3_ha, 100.0, 1e-12);
  EXPECT_NEAR(stand.biomass_t_ha, 62.504, 5e-4);
  EXPECT_NEAR(stand.carbon_tC_ha, 29.377, 5e-4);
  EXPECT_NEAR(stand.carbon_tC_ha * units::kCo2PerC, 107.715, 5e-4);
  EXPECT_NEAR(aboveground_biomass_bef_t(100.0, 0.307, 1.634), 50.1638, 1e-9);
  EXPECT_NEAR(biomass_with_roots(50.1638, 0.246), 62.5040948, 1e-7);
}

// The same stand with BCEF = WD · BEF = 0.307 · 1.634 = 0.501638 t/m³ given directly (the Chinese
// BCF kind) gives the same biomass: the two factor kinds differ by WD, not in the result.
TEST(Biomass, FixedBcefEqualsWoodDensityTimesBef) {
  BiomassSpec spec;
  spec.method = BiomassMethod::bcef;
  spec.volume = volume_equals_dbh();
  spec.bcef_t_m3 = 0.307 * 1.634;
  spec.root_shoot_ratio = 0.246;
  spec.carbon_fraction = kCarbonFractionIpcc;
  const std::vector<BiomassSpec> specs = {spec};
  const std::vector<StandTree> trees = {{0, 100.0, 20.0, 1.0, true}};
  EXPECT_NEAR(stand_biomass(specs, trees, 1.0).biomass_t_ha, 62.504, 5e-4);
}

// IPCC 2006 Table 4.5, temperate pines, BCEF_S: growing stock 41–100 m³/ha -> 0.75, 100–200 ->
// 0.70. Stand of 100 m³/ha: AGB = 75 t/ha; of 120 m³/ha: AGB = 84 t/ha.
TEST(Biomass, BcefClassFollowsTheStandGrowingStock) {
  BcefTable table;
  table.add(read_csv_file(data_file("bcef_ipcc2006.csv")));
  const auto* pines = table.find("temperate_pines");
  ASSERT_NE(pines, nullptr);
  BiomassSpec spec;
  spec.method = BiomassMethod::bcef;
  spec.volume = volume_equals_dbh();
  spec.bcef_classes = *pines;
  spec.root_method = RootMethod::none;
  const std::vector<BiomassSpec> specs = {spec};
  const std::vector<StandTree> at_100 = {{0, 100.0, 10.0, 1.0, true}};
  const std::vector<StandTree> at_120 = {{0, 60.0, 10.0, 2.0, true}};
  EXPECT_NEAR(stand_biomass(specs, at_100, 1.0).above_t_ha, 75.0, 1e-9);
  EXPECT_NEAR(stand_biomass(specs, at_120, 1.0).above_t_ha, 84.0, 1e-9);
  EXPECT_NEAR(find_class(*pines, 10.0, "t").value, 1.8, 1e-12);
  EXPECT_NEAR(find_class(*pines, 250.0, "t").value, 0.7, 1e-12);
}

// docs/carbon_methods.md §2.2: B = aV + b; Abies/Picea (0.4642, 47.4990) at V = 100 -> 93.919 t/ha,
// Chinese fir (0.4652, 19.141) at V = 100 -> 65.661 t/ha.
TEST(Biomass, ContinuousBefReproducesTheMethodsNoteVectors) {
  ContinuousBefTable table;
  table.add(read_csv_file(data_file("continuous_bef_fang.csv")));
  ASSERT_NE(table.find("Abies/Picea"), nullptr);
  ASSERT_NE(table.find("Cunninghamia lanceolata"), nullptr);
  EXPECT_NEAR(continuous_bef_biomass_t_ha(*table.find("Abies/Picea"), 100.0), 93.919, 5e-4);
  EXPECT_NEAR(continuous_bef_biomass_t_ha(*table.find("Cunninghamia lanceolata"), 100.0), 65.661,
              5e-4);

  // Through a stand: trees summing to 100 m³ on 1 ha, roots included in B.
  BiomassSpec fir;
  fir.method = BiomassMethod::continuous_bef;
  fir.volume = volume_equals_dbh();
  fir.continuous = *table.find("Cunninghamia lanceolata");
  fir.root_method = RootMethod::included;
  fir.carbon_fraction = 0.5;
  const std::vector<BiomassSpec> specs = {fir};
  const std::vector<StandTree> trees = {{0, 30.0, 10.0, 2.0, true}, {0, 40.0, 10.0, 1.0, true}};
  const StandBiomass stand = stand_biomass(specs, trees, 1.0);
  EXPECT_NEAR(stand.biomass_t_ha, 65.661, 5e-4);
  EXPECT_NEAR(stand.carbon_tC_ha, 32.8305, 5e-4);
  EXPECT_TRUE(std::isnan(stand.above_t_ha)) << "roots included: no above/below split";
}

// Shipped only confirmed rows: every row says CONFIRMED, and the commonly quoted unconfirmed
// Larix row (0.6096, 33.806) is absent.
TEST(Biomass, ContinuousBefTableShipsConfirmedRowsOnly) {
  const CsvText csv = read_csv_file(data_file("continuous_bef_fang.csv"));
  const std::size_t status = csv.column("status");
  for (const auto& row : csv.rows)
    EXPECT_EQ(row[status].rfind("CONFIRMED", 0), 0u) << row[0];
  ContinuousBefTable table;
  table.add(csv);
  EXPECT_EQ(table.find("Larix"), nullptr);
}

// Mixed stand, hand computation of the intercept shared by volume: Chinese fir 60 m³/ha and Masson
// pine 40 m³/ha on 1 ha. Fir: 0.4652·60 + 19.141·0.6 = 39.3966 t/ha; pine: 0.5034·40 +
// 20.547·0.4 = 28.3548 t/ha; together 67.7514 t/ha.
TEST(Biomass, ContinuousBefSharesTheInterceptInAMixedStand) {
  ContinuousBefTable table;
  table.add(read_csv_file(data_file("continuous_bef_fang.csv")));
  BiomassSpec fir, pine;
  for (BiomassSpec* s : {&fir, &pine}) {
    s->method = BiomassMethod::continuous_bef;
    s->volume = volume_equals_dbh();
    s->root_method = RootMethod::included;
  }
  fir.continuous = *table.find("Cunninghamia lanceolata");
  pine.continuous = *table.find("Pinus massoniana");
  const std::vector<BiomassSpec> specs = {fir, pine};
  const std::vector<StandTree> trees = {{0, 60.0, 10.0, 1.0, true}, {1, 40.0, 10.0, 1.0, true}};
  const StandBiomass stand = stand_biomass(specs, trees, 1.0);
  EXPECT_NEAR(stand.trees[0].total_kg / 1000.0, 39.3966, 1e-9);
  EXPECT_NEAR(stand.trees[1].total_kg / 1000.0, 28.3548, 1e-9);
  EXPECT_NEAR(stand.biomass_t_ha, 67.7514, 1e-9);
}

// Chave et al. 2014 eq. 4 by hand: D = 30 cm, H = 20 m, ρ = 0.6 g/cm³: ρD²H = 10 800;
// 10 800^0.976 = exp(0.976 · ln 10 800) = exp(9.064406) = 8 642.15; × 0.0673 = 581.62 kg.
TEST(Biomass, ChaveAllometryByHand) {
  AllometryTable table;
  table.add(read_csv_file(data_file("biomass_allometry.csv")));
  const AllometricEquation* chave = table.find("chave2014");
  ASSERT_NE(chave, nullptr);
  EXPECT_NEAR(tree_allometric_biomass_kg(*chave, 30.0, 20.0, 0.6), 581.62, 0.01);

  // One such tree on 0.04 ha (a 20 m × 20 m plot) with R = 0.25 (CDM AR-TOOL14 default) and
  // CF = 0.5: AGB = 581.62 / 1000 / 0.04 = 14.5404 t/ha, total 18.1755 t/ha, C 9.0878 tC/ha.
  RootShootTable roots;
  roots.add(read_csv_file(data_file("root_shoot_ipcc2019.csv")));
  BiomassSpec spec;
  spec.method = BiomassMethod::allometry;
  spec.allometry = *chave;
  spec.wood_density_t_m3 = 0.6;
  spec.root_method = RootMethod::root_shoot;
  spec.root_shoot_classes = *roots.find("cdm_ar_tool14_default");
  const std::vector<BiomassSpec> specs = {spec};
  const std::vector<StandTree> trees = {{0, 30.0, 20.0, 1.0, true}};
  const StandBiomass stand = stand_biomass(specs, trees, 0.04);
  EXPECT_NEAR(stand.above_t_ha, 14.5404, 5e-4);
  EXPECT_NEAR(stand.biomass_t_ha, 18.1755, 5e-4);
  EXPECT_NEAR(stand.carbon_tC_ha, 9.0878, 5e-4);
}

// Power allometry by hand: B = 0.05 · 20^2.5 · 15^0.5 = 0.05 · 1788.854 · 3.872983 = 346.41 kg.
TEST(Biomass, PowerAllometryByHand) {
  AllometricEquation eq;
  eq.form = AllometryForm::power_dh;
  eq.a = 0.05;
  eq.b = 2.5;
  eq.c = 0.5;
  EXPECT_NEAR(tree_allometric_biomass_kg(eq, 20.0, 15.0, 0.0), 346.41, 0.01);
}

// IPCC 2019 Table 4.4, temperate Asia planted conifer: AGB ≤ 125 -> 0.224, > 125 -> 0.232.
// Boreal: ≤ 75 -> 0.39, > 75 -> 0.24.
TEST(Biomass, RootShootClassesOfIpcc2019) {
  RootShootTable table;
  table.add(read_csv_file(data_file("root_shoot_ipcc2019.csv")));
  const auto* conifer = table.find("asia_temperate_planted_conifer");
  const auto* boreal = table.find("boreal");
  ASSERT_NE(conifer, nullptr);
  ASSERT_NE(boreal, nullptr);
  EXPECT_DOUBLE_EQ(find_class(*conifer, 100.0, "r").value, 0.224);
  EXPECT_DOUBLE_EQ(find_class(*conifer, 125.0, "r").value, 0.224);
  EXPECT_DOUBLE_EQ(find_class(*conifer, 125.5, "r").value, 0.232);
  EXPECT_DOUBLE_EQ(find_class(*boreal, 75.0, "r").value, 0.39);
  EXPECT_DOUBLE_EQ(find_class(*boreal, 80.0, "r").value, 0.24);
}

// Cairns et al. 1997 by hand: AGB = 100 t/ha -> exp(−1.0587 + 0.8836 · 4.605170) =
// exp(3.010428) = 20.2961 t/ha; temperate term +0.2840 -> exp(3.294428) = 26.9620 t/ha.
TEST(Biomass, CairnsRootAllometryByHand) {
  AllometryTable table;
  table.add(read_csv_file(data_file("biomass_allometry.csv")));
  ASSERT_NE(table.find("cairns1997"), nullptr);
  EXPECT_NEAR(stand_allometric_biomass_t_ha(*table.find("cairns1997"), 100.0), 20.2961, 1e-3);
  EXPECT_NEAR(stand_allometric_biomass_t_ha(*table.find("cairns1997_temperate"), 100.0), 26.9620,
              1e-3);

  // In a stand, the stand's roots are shared by AGB: two trees with AGB 60 and 40 t/ha on 1 ha.
  AllometricEquation agb;
  agb.form = AllometryForm::power_dh;
  agb.a = 1000.0;  // B = 1000 · D kg: "D = 60" gives 60 t
  agb.b = 1.0;
  agb.c = 0.0;
  BiomassSpec spec;
  spec.method = BiomassMethod::allometry;
  spec.allometry = agb;
  spec.root_method = RootMethod::root_allometry;
  spec.root_allometry = *table.find("cairns1997");
  const std::vector<BiomassSpec> specs = {spec};
  const std::vector<StandTree> trees = {{0, 60.0, 10.0, 1.0, true}, {0, 40.0, 10.0, 1.0, true}};
  const StandBiomass stand = stand_biomass(specs, trees, 1.0);
  EXPECT_NEAR(stand.below_t_ha, 20.2961, 1e-3);
  EXPECT_NEAR(stand.trees[0].below_kg / 1000.0, 20.2961 * 0.6, 1e-3);
}

// Dead trees go to the dead-wood pool with the biomass a live tree of the same size would have,
// and do not count in the live stand's growing stock.
TEST(Biomass, DeadTreesFormTheDeadWoodPool) {
  BiomassSpec spec;
  spec.method = BiomassMethod::bef;
  spec.volume = volume_equals_dbh();
  spec.wood_density_t_m3 = 0.5;
  spec.bef = 1.5;
  spec.root_shoot_ratio = 0.2;
  spec.carbon_fraction = 0.5;
  const std::vector<BiomassSpec> specs = {spec};
  // Live 10 m³, dead 4 m³ on 1 ha: live B = 10 · 0.75 · 1.2 = 9; dead B = 4 · 0.75 · 1.2 = 3.6.
  const std::vector<StandTree> trees = {{0, 10.0, 10.0, 1.0, true}, {0, 4.0, 10.0, 1.0, false}};
  const StandBiomass stand = stand_biomass(specs, trees, 1.0);
  EXPECT_NEAR(stand.volume_m3_ha, 10.0, 1e-12);
  EXPECT_NEAR(stand.biomass_t_ha, 9.0, 1e-12);
  EXPECT_NEAR(stand.dead_biomass_t_ha, 3.6, 1e-12);
  EXPECT_NEAR(stand.dead_carbon_tC_ha, 1.8, 1e-12);
}

TEST(Biomass, ShippedTablesCarryASourceOnEveryRow) {
  for (const char* name :
       {"bcef_ipcc2006.csv", "continuous_bef_fang.csv", "root_shoot_ipcc2019.csv",
        "biomass_allometry.csv", "volume_equations.csv"}) {
    const CsvText csv = read_csv_file(data_file(name));
    const std::size_t source = csv.column("source");
    ASSERT_FALSE(csv.rows.empty()) << name;
    for (std::size_t row = 0; row < csv.rows.size(); ++row)
      EXPECT_FALSE(csv.rows[row][source].empty()) << name << " line " << csv.line_numbers[row];
  }
}

}  // namespace
}  // namespace minecarbon::carbon
