// The emissions stage on small activity tables worked by hand: the methods note's values through
// the whole stage (units, GWP sets, factor lookups), aggregation, overrides, and every data problem
// with its message.
#include <gtest/gtest.h>

#include <string>

#include "minecarbon/assess/emissions.h"
#include "minecarbon/assess/emissions/emissions_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {
namespace {

using emissions::FactorTableTexts;

CsvText shipped(const std::string& name) {
  CsvText csv = read_csv_file(std::string(MC_SOURCE_DIR) + "/data/" + name);
  csv.source = "data/" + name;
  return csv;
}

FactorTableTexts shipped_texts() {
  FactorTableTexts texts;
  texts.fuel.push_back(shipped("emission_factors_fuel.csv"));
  texts.surface_coal.push_back(shipped("fugitive_coal_surface.csv"));
  texts.grid.push_back(shipped("grid_factors_china.csv"));
  texts.gwp.push_back(shipped("gwp.csv"));
  return texts;
}

const std::string kHeader =
    "mine_id,year,source,amount,unit,subtype,region,fuel_oil_fraction,overburden_depth_m,"
    "flare_efficiency,ef_co2_t_per_unit,ef_ch4_t_per_unit,ef_n2o_t_per_unit\n";

EmissionsInputs inputs_of(const std::string& rows,
                          const FactorTableTexts& texts = shipped_texts()) {
  EmissionsInputs inputs;
  inputs.activity = emissions::parse_activity(parse_csv_text(kHeader + rows, "a.csv"));
  inputs.factors = emissions::parse_factor_tables(texts);
  return inputs;
}

EmissionsResult run(const std::string& rows, EmissionsParams params = {}) {
  return run_emissions(params, inputs_of(rows), RunContext{});
}

// The message of the DataError that running `rows` throws ("" when none).
std::string data_error(const std::string& rows, EmissionsParams params = {},
                       std::optional<carbon::LandusePoolTable> pools = std::nullopt) {
  try {
    EmissionsInputs inputs = inputs_of(rows);
    inputs.pools = std::move(pools);
    run_emissions(params, inputs, RunContext{});
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

carbon::LandusePoolTable pools() {
  return carbon::parse_landuse_pools(parse_csv_text(
      "LUCODE,Name,C_Above,C_Below,C_Soil,C_Dead\n1,forest,15,10,60,1\n2,grass,5,3,20,0\n",
      "pools.csv"));
}

TEST(EmissionsStage, HeaderOnlyGivesEmptyTables) {
  const EmissionsResult r = run("");
  EXPECT_TRUE(r.rows.empty());
  EXPECT_TRUE(r.mine_year_source.empty());
  EXPECT_TRUE(r.mine_totals.empty());
  const EmissionsTables tables = to_tables(r);
  EXPECT_EQ(tables.mine_year_source.row_count(), 0u);
  EXPECT_NE(tables.mine_year_source.find("co2e_t"), nullptr);  // header kept
  EXPECT_EQ(r.summary["gwp"]["set"], "AR5");
}

TEST(EmissionsStage, DieselInEveryUnit) {
  // 1 t; 1000 L = 1 m3 = 0.84 t; 36.12 GJ = 0.84 t.
  const EmissionsResult r =
      run("M1,2022,diesel,1,t,,,,,,,,\nM1,2022,diesel,1000,L,,,,,,,,\nM1,2022,diesel,1,m3,,,,,,,,\n"
          "M1,2022,diesel,36.12,GJ,,,,,,,,\nM1,2022,diesel,1,L,,,,,,,,\n");
  ASSERT_EQ(r.rows.size(), 5u);
  EXPECT_NEAR(r.rows[0].co2_t, 3.1863, 1e-12);
  EXPECT_NEAR(r.rows[0].ch4_t * 1e3, 0.17845, 1e-12);  // off-road by default
  EXPECT_NEAR(r.rows[0].n2o_t * 1e3, 1.2298, 1e-12);
  for (int idx = 1; idx < 4; ++idx)
    EXPECT_NEAR(r.rows[idx].co2_t, 0.84 * 3.1863, 1e-12) << idx;
  EXPECT_NEAR(r.rows[4].co2_t * 1e3, 2.6765, 5e-5);
  // CO2e of 1 t off-road diesel, AR5: 3.1863 + 28 × 0.00017845 + 265 × 0.0012298.
  EXPECT_NEAR(r.rows[0].co2e_t, 3.1863 + 28 * 0.00017845 + 265 * 0.0012298, 1e-12);
  EXPECT_EQ(r.factors_used[r.rows[0].factor].cite, "data/emission_factors_fuel.csv:2");
}

TEST(EmissionsStage, StationaryDieselUsesItsOwnRow) {
  const EmissionsResult r = run("M1,2022,diesel,1,t,stationary,,,,,,,\n");
  EXPECT_NEAR(r.rows[0].ch4_t * 1e3, 0.129, 1e-12);  // 43 GJ × 3 g/GJ
  EXPECT_NEAR(r.rows[0].n2o_t * 1e3, 0.0258, 1e-12);
  EXPECT_EQ(r.factors_used[r.rows[0].factor].factor, "diesel stationary");
}

TEST(EmissionsStage, OneMegatonneOfSurfaceCoalInEachGwpSet) {
  const std::string rows = "M1,2022,coal_surface,1000000,t,average,,,,,,,\n";
  const struct {
    const char* set;
    double gwp;
  } sets[] = {{"SAR", 21.0}, {"AR4", 25.0}, {"AR5", 28.0}, {"AR6", 29.8}};
  for (const auto& [set, gwp] : sets) {
    EmissionsParams params;
    params.gwp = set;
    const EmissionsResult r = run(rows, params);
    EXPECT_NEAR(r.rows[0].ch4_t, 871.0, 1e-9) << set;
    EXPECT_NEAR(r.rows[0].co2e_t, 871.0 * gwp, 1e-7) << set;
    EXPECT_EQ(r.summary["gwp"]["set"], set);
  }
  // N2O: one tonne given by the row's own factor, in each set.
  EmissionsParams ar6;
  ar6.gwp = "ar6";  // set names are matched case-insensitively
  EXPECT_NEAR(run("M1,2022,explosive,1,t,,,,,,0,0,1\n", ar6).rows[0].co2e_t, 273.0, 1e-12);
}

TEST(EmissionsStage, SurfaceCoalClassFromDepthOrDefault) {
  const EmissionsResult r =
      run("M1,2022,coal_surface,1000000,t,,,,10,,,,\nM1,2022,coal_surface,1000000,t,,,,60,,,,\n"
          "M1,2022,coal_surface,1000000,t,,,,,,,,\nM1,2022,coal_surface,1000000,t,high,,,51,,,,\n");
  EXPECT_NEAR(r.rows[0].ch4_t, 201.0, 1e-9);   // low
  EXPECT_NEAR(r.rows[1].ch4_t, 1474.0, 1e-9);  // high
  EXPECT_NEAR(r.rows[2].ch4_t, 871.0, 1e-9);   // IPCC default: average
  EXPECT_NEAR(r.rows[3].ch4_t, 1474.0, 1e-9);
  EXPECT_NE(data_error("M1,2022,coal_surface,1,t,low,,,60,,,,\n")
                .find("a.csv:2: mine M1, 2022, coal_surface: subtype = 'low' but "
                      "overburden_depth_m = 60 is class high"),
            std::string::npos);
  EXPECT_NE(data_error("M1,2022,coal_surface,1,t,medium,,,,,,,\n")
                .find("subtype = 'medium': expected low, average or high"),
            std::string::npos);
}

TEST(EmissionsStage, AnfoByCarbonBalance) {
  const EmissionsResult r = run("M1,2022,explosive,100,t,ANFO,,0.055,,,,,\n");
  EXPECT_NEAR(r.rows[0].ef_co2_t_per_unit, 0.17525, 5e-6);
  EXPECT_NEAR(r.rows[0].co2_t, 100 * 0.055 * 3.1863, 1e-10);
  EXPECT_EQ(r.rows[0].ch4_t, 0.0);
  const std::string e = data_error("M7,2019,explosive,100,t,emulsion,,,,,,,\n");
  EXPECT_NE(e.find("a.csv:2: mine M7, 2019, explosive: no CO2 factor"), std::string::npos) << e;
  EXPECT_NE(e.find("fuel_oil_fraction"), std::string::npos) << e;
  EXPECT_NE(e.find("ef_co2_t_per_unit"), std::string::npos) << e;
}

TEST(EmissionsStage, ElectricityWithProvincialAndRegionalFactors) {
  const EmissionsResult r = run(
      "M1,2022,electricity,1000,MWh,,CN-SX,,,,,,\nM1,2021,electricity,1000000,kWh,,cn-sx,,,,,,\n"
      "M1,2022,electricity,1000,MWh,,north,,,,,,\n");
  EXPECT_NEAR(r.rows[0].co2_t, 709.6, 1e-9);  // Shanxi 2022: 0.7096 t/MWh
  EXPECT_NEAR(r.rows[1].co2_t, 722.2, 1e-9);  // Shanxi 2021: 0.7222
  EXPECT_NEAR(r.rows[2].co2_t, 677.6, 1e-9);  // North grid 2022: 0.6776
  EXPECT_EQ(r.factors_used[r.rows[0].factor].factor_year, 2022);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(EmissionsStage, LaterGridYearFallsBackToTheLatestEarlierYearWithAWarning) {
  const EmissionsResult r =
      run("M1,2024,electricity,1000,MWh,,CN-NM,,,,,,\n"
          "M2,2024,electricity,1,MWh,,CN-NM,,,,,,\n");
  EXPECT_NEAR(r.rows[0].co2_t, 684.9, 1e-9);  // Inner Mongolia 2022: 0.6849
  ASSERT_EQ(r.warnings.size(), 1u);           // one warning per region and year
  const std::string& w = r.warnings.listed()[0].message;
  EXPECT_EQ(r.warnings.listed()[0].code, "grid_year_fallback");
  EXPECT_NE(w.find("region CN-NM, 2024"), std::string::npos) << w;
  EXPECT_NE(w.find("used the 2022 factor"), std::string::npos) << w;
  EXPECT_NE(w.find("2 row(s)"), std::string::npos) << w;
}

TEST(EmissionsStage, MissingGridFactorNamesMineYearSourceAndWhereToAddIt) {
  std::string e = data_error("M3,2015,electricity,10,MWh,,CN-SX,,,,,,\n");
  EXPECT_NE(e.find("a.csv:2: mine M3, 2015, electricity: no grid factor for region 'CN-SX' in "
                   "2015 or an earlier year (the grid table has 2021, 2022 for it)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("grid_factors"), std::string::npos) << e;
  e = data_error("M3,2022,electricity,10,MWh,,CN-ZZ,,,,,,\n");
  EXPECT_NE(e.find("no grid factor for region 'CN-ZZ'"), std::string::npos) << e;
  e = data_error("M3,2022,electricity,10,MWh,,,,,,,,\n");
  EXPECT_NE(e.find("no region"), std::string::npos) << e;
  // The row's own factor needs no table.
  EXPECT_NEAR(run("M3,2015,electricity,10,MWh,,,,,,0.5,,\n").rows[0].co2_t, 5.0, 1e-12);
}

TEST(EmissionsStage, EveryMissingFactorIsListed) {
  const std::string e = data_error(
      "M1,2015,electricity,10,MWh,,CN-SX,,,,,,\nM2,2022,coal_underground,100,t,,,,,,,,\n");
  EXPECT_NE(e.find("2 activity row(s) without the factors"), std::string::npos) << e;
  EXPECT_NE(e.find("a.csv:3: mine M2, 2022, coal_underground: no methane factor"),
            std::string::npos)
      << e;
}

TEST(EmissionsStage, UserFactorsOverrideTheTablesPerGas) {
  const EmissionsResult r =
      run("M1,2022,diesel,2,t,,,,,,3,,0\nM1,2022,coal_underground,100,t,,,,,,,0.01,\n");
  EXPECT_EQ(r.rows[0].co2_t, 6.0);
  EXPECT_NEAR(r.rows[0].ch4_t, 2 * 43 * 4.15e-6, 1e-15);  // from the table
  EXPECT_EQ(r.rows[0].n2o_t, 0.0);
  EXPECT_NE(r.factors_used[r.rows[0].factor].cite.find("activity ef_co2_t_per_unit"),
            std::string::npos);
  EXPECT_NEAR(r.rows[1].ch4_t, 1.0, 1e-15);
}

TEST(EmissionsStage, EachRowNamesItsOwnFactor) {
  // Same source, same overrides, different class or region: each row keeps its own factor text.
  const EmissionsResult r =
      run("M1,2022,coal_surface,1,t,,,,10,,,0.001,\nM1,2022,coal_surface,1,t,,,,60,,,0.001,\n"
          "M1,2022,electricity,1,MWh,,north,,,,0.5,,\nM1,2022,electricity,1,MWh,,south,,,,0.5,,\n"
          "M1,2022,coal_surface,1,t,,,,10,,,0.001,\n");
  EXPECT_EQ(r.factors_used[r.rows[0].factor].factor, "surface coal low");
  EXPECT_EQ(r.factors_used[r.rows[1].factor].factor, "surface coal high");
  EXPECT_EQ(r.factors_used[r.rows[2].factor].factor, "grid north");
  EXPECT_EQ(r.factors_used[r.rows[3].factor].factor, "grid south");
  EXPECT_EQ(r.rows[4].factor, r.rows[0].factor);
  EXPECT_EQ(r.factors_used.size(), 4u);
}

TEST(EmissionsStage, RecoveredMethaneIsBurntAndCheckedAgainstTheMineYear) {
  // 1 Mt average coal: 871 t CH4; 100,000 m³ = 67 t recovered, 90 % burnt.
  const EmissionsResult r =
      run("M1,2022,coal_surface,1000000,t,,,,,,,,\nM1,2022,ch4_recovered,100000,m3,,,,,0.9,,,\n"
          "M1,2022,ch4_recovered,10,t,,,,,,,,\n");
  EXPECT_NEAR(r.rows[1].ch4_t, -60.3, 1e-9);
  EXPECT_NEAR(r.rows[1].co2_t, 60.3 * 2.75, 1e-9);
  EXPECT_NEAR(r.rows[2].ch4_t, -9.8, 1e-12);  // default efficiency 0.98
  ASSERT_EQ(r.mine_year.size(), 1u);
  EXPECT_NEAR(r.mine_year[0].ch4_t, 871.0 - 60.3 - 9.8, 1e-9);

  const std::string e = data_error(
      "M1,2022,coal_surface,1000,t,,,,,,,,\nM1,2022,ch4_recovered,1,t,,,,,,,,\n"
      "M1,2023,ch4_recovered,1,t,,,,,,,,\n");
  EXPECT_NE(e.find("recovered methane above fugitive methane in 2 mine-year(s)"), std::string::npos)
      << e;
  EXPECT_NE(e.find("a.csv:3: mine M1, 2022: ch4_recovered 1 t CH4 is more than the mine-year's "
                   "fugitive CH4 of 0.871"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("a.csv:4: mine M1, 2023"), std::string::npos) << e;
}

TEST(EmissionsStage, LandClearedFromThePoolTable) {
  EmissionsInputs inputs =
      inputs_of("M1,2022,land_cleared,2,ha,1,,,,,,,\nM1,2022,land_cleared,1,ha,2,,,,,,,\n");
  inputs.pools = pools();
  EmissionsParams params;
  EXPECT_NEAR(run_emissions(params, inputs, {}).rows[0].co2_t, 2 * 26 * 44.0 / 12.0, 1e-12);
  params.clearing_soc_loss_fraction = 0.8;
  const EmissionsResult r = run_emissions(params, inputs, {});
  EXPECT_NEAR(r.rows[0].co2_t, 2 * (26 + 48) * 44.0 / 12.0, 1e-12);
  EXPECT_NEAR(r.rows[1].co2_t, (8 + 16) * 44.0 / 12.0, 1e-12);
  EXPECT_EQ(r.factors_used[r.rows[0].factor].cite, "pools.csv:2");

  std::string e = data_error("M1,2022,land_cleared,2,ha,1,,,,,,,\n");
  EXPECT_NE(e.find("a.csv:2: mine M1, 2022, land_cleared: land_cleared needs the pool table"),
            std::string::npos)
      << e;
  e = data_error("M1,2022,land_cleared,2,ha,7,,,,,,,\n", {}, pools());
  EXPECT_NE(e.find("subtype = '7': class not in the pool table pools.csv"), std::string::npos) << e;
  e = data_error("M1,2022,land_cleared,2,ha,forest,,,,,,,\n", {}, pools());
  EXPECT_NE(e.find("subtype = 'forest': expected the former land-use class code"),
            std::string::npos)
      << e;
}

TEST(EmissionsStage, AggregatesByMineYearSourceInFileOrderOfMines) {
  const EmissionsResult r =
      run("M2,2021,diesel,1,t,,,,,,,,\nM1,2022,coal_surface,20000,t,,,,,,,,\n"
          "M1,2021,diesel,1,t,,,,,,,,\nM1,2021,diesel,2,t,,,,,,,,\nM1,2021,coal_surface,10000,t,,,,"
          ",,,,\n");
  ASSERT_EQ(r.mine_year_source.size(), 4u);
  EXPECT_EQ(r.mine_ids[r.mine_year_source[0].mine], "M2");
  EXPECT_EQ(r.mine_ids[r.mine_year_source[1].mine], "M1");
  EXPECT_EQ(r.mine_year_source[1].year, 2021);
  EXPECT_EQ(r.mine_year_source[1].source, EmissionSource::diesel);
  EXPECT_NEAR(r.mine_year_source[1].co2_t, 3 * 3.1863, 1e-12);
  EXPECT_EQ(r.mine_year_source[2].source, EmissionSource::coal_surface);
  EXPECT_EQ(r.mine_year_source[3].year, 2022);
  ASSERT_EQ(r.mine_year.size(), 3u);
  EXPECT_NEAR(r.mine_year[1].disturbed_area_est_ha, 0.22, 1e-15);  // 10⁴ t
  EXPECT_NEAR(r.mine_year[2].disturbed_area_est_ha, 0.44, 1e-15);
  const std::vector<MineYearGasRecord> gas = mine_year_gas_records(r);
  ASSERT_EQ(gas.size(), 9u);
  EXPECT_EQ(gas[4].gas, Gas::ch4);
  EXPECT_EQ(gas[4].gwp, 28.0);
  EXPECT_NEAR(gas[4].co2e_t, 28.0 * r.mine_year[1].ch4_t, 1e-12);
  ASSERT_EQ(r.mine_totals.size(), 2u);
  const MineEmissionTotalRecord& m1 = r.mine_totals[1];
  EXPECT_EQ(m1.mine_id, "M1");
  EXPECT_EQ(m1.first_year, 2021);
  EXPECT_EQ(m1.last_year, 2022);
  EXPECT_EQ(m1.n_years, 2);
  EXPECT_NEAR(m1.disturbed_area_est_ha, 0.66, 1e-14);
  EXPECT_NEAR(m1.co2e_t, r.mine_year[1].co2e_t + r.mine_year[2].co2e_t, 1e-9);
  double by_source = 0;
  for (double v : m1.co2e_t_by_source)
    by_source += v;
  EXPECT_NEAR(by_source, m1.co2e_t, 1e-9);
  // The balance contract's columns.
  const EmissionsTables tables = to_tables(r);
  for (const char* col : {"mine_id", "year", "source", "co2_t", "ch4_t", "n2o_t", "co2e_t"})
    EXPECT_NE(tables.mine_year_source.find(col), nullptr) << col;
  EXPECT_EQ(tables.emission_rows.row_count(), 5u);
}

TEST(EmissionsStage, UserGridRowReplacesTheShippedRowOfItsKey) {
  FactorTableTexts texts = shipped_texts();
  texts.grid.push_back(parse_csv_text(
      "region,year,co2_t_per_MWh,source\ncn-sx,2022,0.5,my survey\nCN-SX,2019,0.8,old\n",
      "my_grid.csv"));
  const EmissionsResult r = run_emissions(
      {},
      inputs_of("M1,2022,electricity,1,MWh,,CN-SX,,,,,,\nM1,2021,electricity,1,MWh,,CN-SX,,,,,,\n"
                "M1,2020,electricity,1,MWh,,CN-SX,,,,,,\n",
                texts),
      {});
  EXPECT_EQ(r.rows[0].co2_t, 0.5);
  EXPECT_EQ(r.factors_used[r.rows[0].factor].cite, "my_grid.csv:2");
  EXPECT_NEAR(r.rows[1].co2_t, 0.7222, 1e-15);  // the shipped 2021 row stays
  EXPECT_EQ(r.rows[2].co2_t, 0.8);              // 2020 falls back to the user's 2019
}

TEST(EmissionsStage, UnknownGwpSetIsAConfigError) {
  EmissionsParams params;
  params.gwp = "AR7";
  try {
    run("", params);
    FAIL() << "no error";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.key(), "gwp");
    EXPECT_NE(std::string(e.what()).find("SAR, AR4, AR5, AR6"), std::string::npos) << e.what();
  }
}

TEST(EmissionsActivity, EveryBadRowIsReportedWithLineAndField) {
  try {
    emissions::parse_activity(parse_csv_text(kHeader + "M1,2022,disel,1,t,,,,,,,,\n"
                                                       "M1,2022,diesel,1,gal,,,,,,,,\n"
                                                       "M1,2022,diesel,-5,t,,,,,,,,\n"
                                                       "M1,2022,electricity,1,t,,,,,,,,\n"
                                                       ",20x2,diesel,abc,t,,,,,,,,\n"
                                                       "M1,2022,ch4_recovered,1,t,,,,,1.5,,,\n",
                                             "a.csv"));
    FAIL() << "no error";
  } catch (const DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("a.csv:2: source = 'disel': unknown source; expected diesel, explosive"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("a.csv:3: unit = 'gal': unknown unit; expected L, m3, t or GJ for diesel"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("a.csv:4: amount = -5: must be >= 0"), std::string::npos) << m;
    EXPECT_NE(m.find("a.csv:5: unit = 't' for source electricity: expected kWh or MWh"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("a.csv:6: mine_id is empty"), std::string::npos) << m;
    EXPECT_NE(m.find("a.csv:6: year = '20x2'"), std::string::npos) << m;
    EXPECT_NE(m.find("a.csv:6: amount = 'abc': expected a number >= 0"), std::string::npos) << m;
    EXPECT_NE(m.find("a.csv:7: flare_efficiency = '1.5'"), std::string::npos) << m;
  }
}

TEST(EmissionsActivity, MissingColumnNamesWhatTheFileHas) {
  try {
    emissions::parse_activity(parse_csv_text("mine,year,source,amount,unit\n", "a.csv"));
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("a.csv: no column 'mine_id' (the file has: mine, year"),
              std::string::npos)
        << e.what();
  }
}

TEST(EmissionsActivity, InternsMinesAndLabels) {
  const auto table = emissions::parse_activity(
      parse_csv_text("MINE_ID,Year,Source,Amount,Unit,Region\nA,2020,electricity,1,kwh,north\n"
                     "B,2020,electricity,1,MWH,north\nA,2021,Electricity,1,MWh,CN-SX\n",
                     "a.csv"));
  ASSERT_EQ(table.mine_ids.size(), 2u);
  EXPECT_EQ(table.rows[2].mine, 0u);
  EXPECT_EQ(table.rows[0].region, table.rows[1].region);
  EXPECT_EQ(table.labels[table.rows[2].region], "CN-SX");
  EXPECT_EQ(table.rows[0].unit, carbon::ActivityUnit::kWh);
}

// The pool table is the landuse stage's (its reader's checks: tests/unit/carbon); clearing finds
// its classes by code and cites the row.
TEST(EmissionsPools, ClassesAreFoundByCodeAndCitedByLine) {
  const carbon::LandusePoolTable table = pools();
  ASSERT_TRUE(table.find(2));
  EXPECT_EQ(table.pools[*table.find(2)][2].mean_tC_ha, 20.0);
  EXPECT_FALSE(table.find(3));
  EXPECT_EQ(table.cite(*table.find(2)), "pools.csv:3");
}

TEST(EmissionFactorTables, ShippedTablesAreConfirmedAndMatchTheMethodsNote) {
  const FactorTableTexts texts = shipped_texts();
  for (const auto* kind : {&texts.fuel, &texts.surface_coal, &texts.grid, &texts.gwp})
    for (const CsvText& csv : *kind) {
      const std::size_t status = csv.column("status");
      const std::size_t source = csv.column("source");
      for (const auto& row : csv.rows) {
        EXPECT_EQ(row[status].rfind("CONFIRMED", 0), 0u) << csv.source;
        EXPECT_FALSE(row[source].empty()) << csv.source;
      }
    }
  const emissions::EmissionFactorTables t = emissions::parse_factor_tables(texts);
  for (const char* set : {"SAR", "AR4", "AR5", "AR6"}) {
    const carbon::GwpValues table = t.find_gwp(set)->values;
    const carbon::GwpValues builtin = *carbon::builtin_gwp(set);
    EXPECT_EQ(table.ch4_fossil, builtin.ch4_fossil) << set;
    EXPECT_EQ(table.ch4_non_fossil, builtin.ch4_non_fossil) << set;
    EXPECT_EQ(table.n2o, builtin.n2o) << set;
  }
  // 7 regional grids and 5 provinces, 2021 and 2022.
  EXPECT_EQ(t.grid.size(), 24u);
  EXPECT_EQ(t.surface_coal.size(), 3u);
  EXPECT_EQ(t.fuel.size(), 2u);
}

}  // namespace
}  // namespace minecarbon::assess
