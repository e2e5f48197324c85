// The soil stage's typed records, from the library (run_soil on planted tables), and the tables
// to_tables() lays out from them. Every expected number is worked by hand in the comment above it.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <variant>

#include "minecarbon/assess/soil.h"
#include "minecarbon/assess/soil/soil_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {
namespace {

CsvText csv_of(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  return parse_csv(in, name);
}

SoilResult run(const SoilParams& params, const SoilInputs& inputs) {
  RunContext context;
  context.quiet = true;
  return run_soil(params, inputs, context);
}

const std::vector<double>& numbers(const Table& t, const std::string& column) {
  const auto* c = t.find(column);
  EXPECT_NE(c, nullptr) << t.name() << " has no column " << column;
  return std::get<std::vector<double>>(c->data);
}

const std::vector<std::string>& texts(const Table& t, const std::string& column) {
  const auto* c = t.find(column);
  EXPECT_NE(c, nullptr) << t.name() << " has no column " << column;
  return std::get<std::vector<std::string>>(c->data);
}

// Stock of one 0–30 cm horizon with BD 1 and no coarse fragments = SOC · 1 · 30 / 10 = 3 · SOC.
// Reclaimed: R1 (M1) 10 g/kg → 30 t C/ha, R2 (M2) 14 → 42. Reference: F1 (M1) 20 → 60, F2 (M2)
// 24 → 72.
SoilInputs two_mines() {
  SoilInputs inputs;
  inputs.profiles = csv_of(
      "profile_id,mine_id,land_use,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
      "R1,M1,reclaimed,0,30,10,1\nF1,M1,forest,0,30,20,1\n"
      "R2,M2,reclaimed,0,30,14,1\nF2,M2,forest,0,30,24,1\n",
      "p.csv");
  return inputs;
}

TEST(SoilRecords, ComparisonDifferenceIsTheMeanMinusTheReferenceMean) {
  SoilParams params;
  params.intervals = {{0, 30}};
  params.reference = "forest";
  const SoilResult r = run(params, two_mines());
  // Pooled, then M1, then M2; each at fixed depth, then at equivalent soil mass.
  ASSERT_EQ(r.comparisons.size(), 6u);
  const ComparisonRecord& all = r.comparisons[0];
  EXPECT_EQ(all.mine_id, "all");
  EXPECT_EQ(all.group, "reclaimed");
  EXPECT_EQ(all.reference, "forest");
  EXPECT_EQ(all.basis, StockBasis::fixed_depth);
  // Means 36 and 66; each SE = sd/√2 = (12/√2)/√2 = 6; difference −30 ± √(36 + 36);
  // recovery 100 · 36 / 66.
  EXPECT_EQ(all.stock.n, 2u);
  EXPECT_DOUBLE_EQ(all.stock.mean, 36.0);
  EXPECT_DOUBLE_EQ(all.reference_stock.mean, 66.0);
  EXPECT_NEAR(all.stock.se, 6.0, 1e-12);
  EXPECT_NEAR(all.reference_stock.se, 6.0, 1e-12);
  EXPECT_DOUBLE_EQ(all.comparison.difference_tC_ha, all.stock.mean - all.reference_stock.mean);
  EXPECT_NEAR(all.comparison.difference_tC_ha, -30.0, 1e-12);
  EXPECT_NEAR(all.comparison.difference_se_tC_ha, std::sqrt(72.0), 1e-12);
  EXPECT_NEAR(all.comparison.recovery_pct, 100.0 * 36.0 / 66.0, 1e-12);
  // Same bulk density and depth: the reference's fine-earth mass is the reclaimed one's, so the
  // ESM stock is the fixed-depth stock.
  EXPECT_EQ(r.comparisons[1].basis, StockBasis::equivalent_soil_mass);
  EXPECT_NEAR(r.comparisons[1].stock.mean, 36.0, 1e-9);
  // Per mine against the mine's own reference: M1 30 vs 60 (50 %), M2 42 vs 72.
  EXPECT_EQ(r.comparisons[2].mine_id, "M1");
  EXPECT_NEAR(r.comparisons[2].comparison.recovery_pct, 50.0, 1e-12);
  EXPECT_EQ(r.comparisons[4].mine_id, "M2");
  EXPECT_NEAR(r.comparisons[4].comparison.difference_tC_ha, -30.0, 1e-12);
  EXPECT_NEAR(r.comparisons[4].comparison.recovery_pct, 100.0 * 42.0 / 72.0, 1e-12);
  EXPECT_TRUE(std::isnan(r.comparisons[4].stock.se));  // one profile: no SE

  // The table: the class column is named after compare_by, CO2e = 44/12 × C.
  const SoilTables tables = to_tables(r);
  ASSERT_EQ(tables.comparison.row_count(), 6u);
  EXPECT_EQ(texts(tables.comparison, "land_use")[0], "reclaimed");
  EXPECT_EQ(texts(tables.comparison, "basis")[1], "equivalent_soil_mass");
  EXPECT_NEAR(numbers(tables.comparison, "difference_co2e_t_ha")[0], -30.0 * 44.0 / 12.0, 1e-9);
}

TEST(SoilRecords, CompareByDateNamesTheClassColumnDate) {
  SoilInputs inputs;
  inputs.profiles = csv_of(
      "profile_id,date,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
      "A,2015,0,30,10,1\nB,2023,0,30,12,1\n",
      "d.csv");
  SoilParams params;
  params.intervals = {{0, 30}};
  params.reference = "2015";
  params.compare_by = "date";
  params.esm = false;
  const SoilResult r = run(params, inputs);
  ASSERT_EQ(r.comparisons.size(), 1u);  // no mine column: pooled only; no ESM
  EXPECT_EQ(r.comparisons[0].compare_by, CompareBy::date);
  EXPECT_EQ(r.comparisons[0].group, "2023");
  EXPECT_NEAR(r.comparisons[0].comparison.recovery_pct, 120.0, 1e-12);  // 36 / 30
  const SoilTables tables = to_tables(r);
  EXPECT_NE(tables.comparison.find("date"), nullptr);
  EXPECT_EQ(tables.comparison.find("land_use"), nullptr);
  EXPECT_TRUE(r.mine_stocks.empty());
  for (const Table* t : tables.with_rows())
    EXPECT_NE(t->name(), "mine_stocks");
}

TEST(SoilRecords, MineStocksAreStratifiedByLandUseArea) {
  // M1 grass: 30 and 60 t C/ha (mean 45, SE 15); M1 forest: 90 and 90 (SE 0). Areas: M1 grass
  // 10 ha, M1 forest 30 ha, M2 grass 20 ha (no profile: the grass mean over all mines).
  // M1: (10·45 + 30·90)/40 = 78.75 t C/ha, SE √(10²·15²)/40 = 3.75; 3150 ± 150 t C.
  // M2: 45 × 20 = 900 ± 300 t C. Grass over both mines: 45 × 30 ha = 1350 t C.
  SoilInputs inputs;
  inputs.profiles = csv_of(
      "profile_id,mine_id,land_use,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
      "P1,M1,grass,0,30,10,1\nP2,M1,grass,0,30,20,1\n"
      "P3,M1,forest,0,30,30,1\nP4,M1,forest,0,30,30,1\n",
      "p.csv");
  inputs.areas =
      csv_of("mine_id,land_use,area_ha\nM1,grass,10\nM1,forest,30\nM2,grass,20\n", "a.csv");
  SoilParams params;
  params.intervals = {{0, 30}};
  const SoilResult r = run(params, inputs);
  ASSERT_EQ(r.mine_stocks.size(), 2u);
  const MineStockRecord& m1 = r.mine_stocks[0];
  EXPECT_EQ(m1.mine_id, "M1");
  EXPECT_TRUE(m1.stratified);
  EXPECT_EQ(m1.stock.n_profiles, 4u);
  EXPECT_NEAR(m1.stock.soc_stock_tC_ha, 78.75, 1e-12);
  EXPECT_NEAR(m1.stock.soc_stock_se_tC_ha, 3.75, 1e-12);
  EXPECT_DOUBLE_EQ(m1.stock.area_ha, 40.0);
  EXPECT_NEAR(m1.stock.soc_tC(), 3150.0, 1e-9);
  EXPECT_NEAR(m1.stock.soc_se_tC(), 150.0, 1e-9);
  const MineStockRecord& m2 = r.mine_stocks[1];
  EXPECT_EQ(m2.mine_id, "M2");
  EXPECT_EQ(m2.stock.n_profiles, 0u);  // its own profiles: none
  EXPECT_NEAR(m2.stock.soc_tC(), 900.0, 1e-9);
  EXPECT_NEAR(m2.stock.soc_se_tC(), 300.0, 1e-9);
  EXPECT_TRUE(r.warnings.has("strata_without_profiles_use_land_use_mean"));
  ASSERT_EQ(r.land_use_stocks.size(), 2u);
  EXPECT_EQ(r.land_use_stocks[0].land_use, "grass");
  EXPECT_NEAR(r.land_use_stocks[0].stock.soc_tC(), 1350.0, 1e-9);
  // Forest: 90 t C/ha over M1's 30 ha.
  EXPECT_DOUBLE_EQ(r.land_use_stocks[1].stock.area_ha, 30.0);
  EXPECT_NEAR(r.land_use_stocks[1].stock.soc_tC(), 2700.0, 1e-9);
  const SoilTables tables = to_tables(r);
  EXPECT_NEAR(numbers(tables.mine_stocks, "co2e_t")[0], 3150.0 * 44.0 / 12.0, 1e-9);
}

TEST(SoilRecords, HorizonsKeepTheirBulkDensitySourceAndShallowProfilesHaveNoStock) {
  // P2's bulk density is missing: song2005 gives 1.377 · exp(−0.0048 · 20).
  SoilInputs inputs;
  inputs.profiles = csv_of(
      "profile_id,top_cm,bottom_cm,soc_g_kg,bd_g_cm3\n"
      "P1,0,30,10,1.2\nP1,30,100,5,1.4\nP2,0,30,20,NA\n",
      "p.csv");
  SoilParams params;
  params.bd_ptf = carbon::BulkDensityPtf::song2005;
  const SoilResult r = run(params, inputs);
  ASSERT_EQ(r.horizons.size(), 3u);
  EXPECT_FALSE(r.horizons[0].bd_estimated());
  EXPECT_EQ(r.horizons[2].profile_id, "P2");
  EXPECT_EQ(r.horizons[2].bd_ptf, carbon::BulkDensityPtf::song2005);
  EXPECT_NEAR(r.horizons[2].horizon.bd_g_cm3, 1.377 * std::exp(-0.0048 * 20.0), 1e-12);
  EXPECT_EQ(r.horizons[2].line, 4u);
  // 0–30 cm of P1: 10 · 1.2 · 30 / 10 = 36 t C/ha.
  EXPECT_NEAR(r.horizons[0].soc_stock_tC_ha, 36.0, 1e-12);
  // Intervals 0–30 and 0–100: P1 has both; P2 ends at 30 cm, so no 0–100 cm stock.
  ASSERT_EQ(r.profile_stocks.size(), 4u);
  EXPECT_EQ(r.profile_stocks[1].status, ProfileStockStatus::ok);
  EXPECT_NEAR(r.profile_stocks[1].soc_stock_tC_ha, 36.0 + 5.0 * 1.4 * 70.0 / 10.0, 1e-9);
  EXPECT_EQ(r.profile_stocks[2].bd_estimated_horizons, 1);
  EXPECT_EQ(r.profile_stocks[3].status, ProfileStockStatus::profile_too_shallow);
  EXPECT_TRUE(std::isnan(r.profile_stocks[3].soc_stock_tC_ha));
  const SoilTables tables = to_tables(r);
  EXPECT_EQ(texts(tables.horizons, "bd_source")[0], "measured");
  EXPECT_EQ(texts(tables.horizons, "bd_source")[2], "ptf:song2005");
  EXPECT_EQ(texts(tables.profile_stocks, "status")[3], "profile_too_shallow");
  EXPECT_EQ(texts(tables.profile_stocks, "method")[0], "proportional");
}

TEST(SoilRecords, IpccStatesKeepTheirFactorsAndSources) {
  // SOC_REF 88 × 0.69 × 1 × 1 = 60.72 t C/ha from 2000; bare spoil fixed at 3 from 2010: the
  // first year of the transition moves (3 − 60.72)/20 = −2.886 t C/ha, × 10 ha.
  SoilInputs inputs;
  SoilIpccSpec spec;
  spec.climate = "warm_temperate_moist";
  spec.soc_ref_tC_ha = 88.0;
  spec.last_year = 2015;
  spec.area_ha = 10.0;
  IpccStateSpec crop;
  crop.label = "cropland";
  crop.start_year = 2000;
  crop.f_lu = 0.69;
  crop.f_mg = 1.0;
  crop.f_i = 1.0;
  IpccStateSpec spoil;
  spoil.label = "spoil";
  spoil.start_year = 2010;
  spoil.soc_tC_ha = 3.0;
  spec.states = {crop, spoil};
  inputs.ipcc = spec;
  const SoilResult r = run(SoilParams{}, inputs);
  ASSERT_EQ(r.ipcc.states.size(), 2u);
  const IpccStateRecord& s0 = r.ipcc.states[0];
  EXPECT_FALSE(s0.fixed_stock);
  EXPECT_DOUBLE_EQ(s0.soc_ref_tC_ha, 88.0);
  EXPECT_EQ(s0.soc_ref_source, "[soil.ipcc] soc_ref_tC_ha");
  EXPECT_DOUBLE_EQ(s0.f_lu.value, 0.69);
  EXPECT_EQ(s0.f_lu.source, "given in the project file");
  EXPECT_NEAR(s0.soc_eq_tC_ha, 60.72, 1e-12);
  const IpccStateRecord& s1 = r.ipcc.states[1];
  EXPECT_TRUE(s1.fixed_stock);
  EXPECT_TRUE(std::isnan(s1.soc_ref_tC_ha));
  EXPECT_TRUE(s1.f_lu.source.empty());
  EXPECT_DOUBLE_EQ(s1.soc_eq_tC_ha, 3.0);
  ASSERT_EQ(r.ipcc.trajectory.size(), 16u);  // 2000 … 2015
  const carbon::IpccYear& y2010 = r.ipcc.trajectory[10];
  EXPECT_EQ(y2010.year, 2010);
  EXPECT_NEAR(y2010.change_tC_ha_yr, -2.886, 1e-12);
  EXPECT_NEAR(r.ipcc.change_tC_yr(y2010), -28.86, 1e-9);
  const SoilTables tables = to_tables(r);
  EXPECT_NEAR(numbers(tables.ipcc_trajectory, "change_tC_yr")[10], -28.86, 1e-9);
  EXPECT_EQ(texts(tables.ipcc_states, "f_mg_source")[0], "given in the project file");
}

carbon::ReclamationScenario grass_on_spoil(const std::string& name, double area_ha) {
  carbon::ReclamationScenario sc;
  sc.name = name;
  sc.mine_id = "M7";
  sc.area_ha = area_ha;
  sc.first_year = 2020;
  sc.years = 5;
  sc.site.clay_pct = 20;
  sc.start.kind = carbon::InitialSoil::bare_spoil;
  sc.start.soc_tC_ha = 2;
  carbon::VegetationPhase grass;
  grass.first_year = 2020;
  grass.plant_input_tC_ha_yr = 2;
  sc.phases = {grass};
  sc.climate.resize(12);
  for (int m = 0; m < 12; ++m) {
    sc.climate[m].month = m + 1;
    sc.climate[m].temp_C = 10.0;
    sc.climate[m].rain_mm = 100.0;
    sc.climate[m].pan_evap_mm = 20.0;
  }
  return sc;
}

TEST(SoilRecords, ScenarioSequestrationInTotalIsThePerHectareValueTimesTheArea) {
  SoilInputs inputs;
  inputs.scenarios = {grass_on_spoil("grass", 20.0), grass_on_spoil("no_area", 0.0)};
  const SoilResult r = run(SoilParams{}, inputs);
  ASSERT_EQ(r.scenarios.size(), 2u);
  const ScenarioRecord& s = r.scenarios[0];
  EXPECT_EQ(s.scenario, "grass");
  EXPECT_EQ(s.mine_id, "M7");
  EXPECT_DOUBLE_EQ(s.area_ha, 20.0);
  ASSERT_EQ(s.years.size(), 5u);
  ASSERT_EQ(s.rothc.yearly.size(), 5u);
  double gained = 0.0;
  for (std::size_t k = 0; k < s.years.size(); ++k) {
    EXPECT_EQ(s.years[k].year, 2020 + static_cast<int>(k));
    EXPECT_EQ(s.years[k].sequestration_tC_ha_yr, s.rothc.yearly[k].change_tC_ha_yr);
    EXPECT_EQ(s.years[k].sequestration_tC_yr, s.years[k].sequestration_tC_ha_yr * 20.0);
    gained += s.years[k].sequestration_tC_ha_yr;
  }
  // The yearly gains add up to the whole run's: December of the last year − the start.
  EXPECT_GT(s.sequestration_tC_ha, 0.0);  // 2 t C/ha/yr of plant input on 2 t C/ha of spoil
  EXPECT_NEAR(gained, s.soc_end_tC_ha - s.soc_start_tC_ha, 1e-12);
  EXPECT_DOUBLE_EQ(s.soc_start_tC_ha, 2.0);
  EXPECT_DOUBLE_EQ(s.sequestration_tC_ha_yr, s.sequestration_tC_ha / 5.0);
  EXPECT_DOUBLE_EQ(s.sequestration_tC, s.sequestration_tC_ha * 20.0);
  EXPECT_TRUE(std::isnan(s.former_plant_input_tC_ha_yr));  // bare spoil: no former vegetation
  EXPECT_EQ(s.last_year(), 2024);
  // Without an area there is no total.
  EXPECT_TRUE(std::isnan(r.scenarios[1].area_ha));
  EXPECT_TRUE(std::isnan(r.scenarios[1].years[0].sequestration_tC_yr));
  EXPECT_EQ(r.scenarios[1].years[0].sequestration_tC_ha_yr, s.years[0].sequestration_tC_ha_yr);

  const SoilTables tables = to_tables(r);
  ASSERT_EQ(tables.scenario_years.row_count(), 10u);
  EXPECT_EQ(numbers(tables.scenario_years, "sequestration_tC_yr")[3],
            s.years[3].sequestration_tC_yr);
  EXPECT_EQ(texts(tables.scenarios, "initial_soil")[0], "bare_spoil");
  EXPECT_EQ(tables.scenario_months.row_count(), 2u * 5u * 12u);
}

// areas_land_use: one RothC run, every mine of the areas table with that land use on its own
// area. Planted: M1 and M3 are reclaimed grassland (10 and 30 ha), M2 is forest; each mine's
// totals are the per-hectare run × its area, and the per-hectare run is the same as a one-mine
// scenario's.
TEST(SoilRecords, ScenarioOnEveryMineOfALandUseGivesEachMineItsAreaTimesThePerHectareRun) {
  SoilInputs inputs;
  inputs.areas = csv_of(
      "mine_id,land_use,area_ha\nM1,reclaimed_grassland,10\nM2,forest,40\n"
      "M3,reclaimed_grassland,30\n",
      "areas.csv");
  carbon::ReclamationScenario every = grass_on_spoil("grass", 0.0);
  every.mine_id.clear();
  every.areas_land_use = "reclaimed_grassland";
  inputs.scenarios = {every, grass_on_spoil("one_mine", 30.0)};
  const SoilResult r = run(SoilParams{}, inputs);
  ASSERT_EQ(r.scenarios.size(), 2u);
  const ScenarioRecord& s = r.scenarios[0];
  const ScenarioRecord& one = r.scenarios[1];
  ASSERT_EQ(s.mines.size(), 2u);
  EXPECT_EQ(s.mines[0].mine_id, "M1");
  EXPECT_EQ(s.mines[0].area_ha, 10.0);
  EXPECT_EQ(s.mines[1].mine_id, "M3");
  EXPECT_EQ(s.mines[1].area_ha, 30.0);
  EXPECT_TRUE(s.mine_id.empty());
  EXPECT_TRUE(std::isnan(s.area_ha));
  ASSERT_EQ(s.years.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k)
    EXPECT_EQ(s.years[k].sequestration_tC_ha_yr, one.years[k].sequestration_tC_ha_yr) << k;

  const SoilTables tables = to_tables(r);
  // scenarios: a row per mine of the first scenario, then the one-mine scenario.
  ASSERT_EQ(tables.scenarios.row_count(), 3u);
  EXPECT_EQ(texts(tables.scenarios, "mine_id")[0], "M1");
  EXPECT_EQ(texts(tables.scenarios, "mine_id")[1], "M3");
  EXPECT_EQ(numbers(tables.scenarios, "area_ha")[0], 10.0);
  EXPECT_EQ(numbers(tables.scenarios, "sequestration_tC")[0], s.sequestration_tC_ha * 10.0);
  // The 30 ha mine of the land use and the one-mine scenario of 30 ha: the same totals.
  EXPECT_EQ(numbers(tables.scenarios, "sequestration_tC")[1], one.sequestration_tC);
  // scenario_years: 5 years for M1, 5 for M3, 5 for the one-mine scenario.
  ASSERT_EQ(tables.scenario_years.row_count(), 15u);
  const auto& per_year = numbers(tables.scenario_years, "sequestration_tC_yr");
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(per_year[k], s.years[k].sequestration_tC_ha_yr * 10.0) << k;
    EXPECT_EQ(per_year[5 + k], one.years[k].sequestration_tC_yr) << k;
  }
  EXPECT_EQ(texts(tables.scenario_years, "mine_id")[5], "M3");
  // The monthly RothC run is the scenario's: once, not once per mine.
  EXPECT_EQ(tables.scenario_months.row_count(), 2u * 5u * 12u);
}

TEST(SoilRecords, ScenarioOnALandUseNeedsTheAreasTableAndAMineWithIt) {
  SoilInputs inputs;
  carbon::ReclamationScenario every = grass_on_spoil("grass", 0.0);
  every.mine_id.clear();
  every.areas_land_use = "reclaimed_grassland";
  inputs.scenarios = {every};
  try {
    (void)run(SoilParams{}, inputs);
    FAIL() << "no error without an areas table";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.key(), "areas_land_use");
    EXPECT_NE(std::string(e.what()).find("soil.scenarios[1]"), std::string::npos) << e.what();
  }
  inputs.areas = csv_of("mine_id,land_use,area_ha\nM1,forest,10\nM2,spoil,5\n", "areas.csv");
  try {
    (void)run(SoilParams{}, inputs);
    FAIL() << "no error for a land use no mine has";
  } catch (const DataError& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("areas.csv: no mine has land use 'reclaimed_grassland'"), std::string::npos)
        << text;
    EXPECT_NE(text.find("the table's land uses: forest, spoil"), std::string::npos) << text;
  }
}

TEST(SoilRecords, RunSoilStopsALibraryCallerWithBadParameters) {
  const SoilInputs inputs = two_mines();
  SoilParams p;
  p.compare_by = "depth";
  try {
    (void)run(p, inputs);
    FAIL() << "no error";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.key(), "compare_by");
  }
  p = {};
  p.spline_lambda = -1;
  EXPECT_THROW((void)run(p, inputs), OptionError);
  p = {};
  p.intervals.clear();
  EXPECT_THROW((void)run(p, inputs), ConfigError);
  p = {};
  p.reference = "none_such";
  try {
    (void)run(p, inputs);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no profile has land_use = 'none_such'"),
              std::string::npos)
        << e.what();
  }
}

TEST(SoilRecords, EnumNamesComeFromOneTable) {
  EXPECT_EQ(kStockBasisNames.name(StockBasis::equivalent_soil_mass), "equivalent_soil_mass");
  EXPECT_EQ(kCompareByNames.parse("date"), CompareBy::date);
  EXPECT_FALSE(kCompareByNames.parse("depth").has_value());
  SoilParams p;
  p.compare_by = "date";
  EXPECT_EQ(p.grouping(), CompareBy::date);
  // The option's choices are the name table's.
  EXPECT_EQ(SoilParams::options().find("compare_by")->spec.choices,
            (std::vector<std::string>{"land_use", "date"}));
  EXPECT_EQ(SoilParams::options().find("method")->spec.choices,
            (std::vector<std::string>{"proportional", "spline"}));
}

}  // namespace
}  // namespace minecarbon::assess
