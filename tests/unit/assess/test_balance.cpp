// The balance stage: joining the stages' records by mine id, the rules between stages (land_cleared
// rows, soil scenarios), every status in one run, the adapters from typed results, the tables.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/balance/balance_tables.h"
#include "minecarbon/assess/balance/damage_adapter.h"
#include "minecarbon/assess/balance/emissions_adapter.h"
#include "minecarbon/assess/balance/landuse_adapter.h"
#include "minecarbon/assess/balance/soil_adapter.h"
#include "minecarbon/assess/balance/vegetation_adapter.h"
#include "minecarbon/assess/soil/soil_tables.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::assess {
namespace {

constexpr double k = 44.0 / 12.0;

BalanceParams params_to(int horizon) {
  BalanceParams p;
  p.horizon_year = horizon;
  return p;
}

const BalanceMine& mine(const BalanceResult& r, const std::string& id) {
  for (const auto& m : r.mines)
    if (m.mine_id == id) return m;
  throw std::out_of_range("no mine " + id);
}

std::vector<carbon::NetBalanceYear> years_of(const BalanceResult& r, const std::string& id) {
  std::vector<carbon::NetBalanceYear> out;
  for (const auto& y : r.mine_years)
    if (r.mines[y.mine].mine_id == id) out.push_back(y.values);
  return out;
}

std::string error_of(const BalanceParams& p, const BalanceInputs& in) {
  try {
    run_balance(p, in, RunContext{});
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

TEST(Balance, NoStageIsADataError) {
  EXPECT_NE(error_of(params_to(2060), BalanceInputs()).find("no stage results"), std::string::npos);
}

TEST(Balance, StagesThatShareNoMineIdAreADataError) {
  BalanceInputs in;
  in.emissions = std::vector<ProcessEmissionRecord>{{"M1", 2001, "diesel", 1.0}};
  in.damage = std::vector<NepChangeRecord>{{"1", 2001, -1.0}};
  in.origins = {{"emissions", "e.csv"}, {"damage", "d.csv"}};
  const std::string message = error_of(params_to(2060), in);
  EXPECT_NE(message.find("share no mine id"), std::string::npos) << message;
  EXPECT_NE(message.find("e.csv): 'M1'"), std::string::npos) << message;
  EXPECT_NE(message.find("d.csv): '1'"), std::string::npos) << message;
}

TEST(Balance, AStageSharingNoIdWithTheOthersIsAWarning) {
  BalanceInputs in;
  in.emissions = std::vector<ProcessEmissionRecord>{{"M1", 2001, "diesel", 1.0}};
  in.damage = std::vector<NepChangeRecord>{{"M1", 2001, -1.0}};
  in.vegetation = std::vector<VegetationSinkRecord>{{"x9", 2030, 1.0}};
  const BalanceResult r = run_balance(params_to(2030), in, RunContext{});
  EXPECT_TRUE(r.warnings.has("no_common_ids"));
  EXPECT_EQ(r.mines.size(), 2u);
}

TEST(Balance, AMineWithOnlyProcessEmissionsIsReportedWithThem) {
  BalanceInputs in;
  in.emissions = std::vector<ProcessEmissionRecord>{
      {"M1", 2020, "diesel", 3.0}, {"M1", 2020, "electricity", 2.0}, {"M1", 2021, "diesel", 4.0}};
  in.damage = std::vector<NepChangeRecord>{{"M2", 2020, -1.0}};
  in.emissions->push_back({"M2", 2020, "diesel", 1.0});
  const BalanceResult r = run_balance(params_to(2022), in, RunContext{});
  const BalanceMine& m1 = mine(r, "M1");
  EXPECT_EQ(m1.components, std::vector<std::string>{"emissions"});
  EXPECT_EQ(m1.balance.status, carbon::NeutralityStatus::not_within_horizon);
  EXPECT_EQ(m1.balance.process_emission_co2e_t, 9.0);  // sources summed per year
  const auto years = years_of(r, "M1");
  ASSERT_EQ(years.size(), 3u);
  EXPECT_EQ(years[0].process_emission_co2e_t, 5.0);
  EXPECT_EQ(years[2].cumulative_net_emission_co2e_t, 9.0);
  EXPECT_EQ(mine(r, "M2").components, (std::vector<std::string>{"emissions", "damage"}));
}

TEST(Balance, LandClearedRowsAreDroppedOnlyForMinesWithMaps) {
  BalanceInputs in;
  in.emissions = std::vector<ProcessEmissionRecord>{{"M1", 2005, "land_cleared", 50.0},
                                                    {"M1", 2005, "diesel", 1.0},
                                                    {"M2", 2005, "land_cleared", 50.0}};
  in.landuse = std::vector<LandusePairRecord>{{"M1", 2000, 2010, -10.0, 0.0}};
  const BalanceResult r = run_balance(params_to(2010), in, RunContext{});
  EXPECT_EQ(mine(r, "M1").balance.process_emission_co2e_t, 1.0);
  EXPECT_NEAR(mine(r, "M1").balance.clearing_emission_co2e_t, 10.0 * k, 1e-12);
  EXPECT_EQ(mine(r, "M2").balance.process_emission_co2e_t, 50.0);  // no maps: counted here
  EXPECT_TRUE(r.warnings.has("land_cleared_counted_by_maps"));
  EXPECT_FALSE(r.warnings.has("land_cleared_outside_maps"));
}

// Maps 2000 → 2002 and 2005 → 2010: a land_cleared row is dropped only in 2001-2002 and
// 2006-2010 (y0 < year ≤ y1); in 1999, 2003 or 2000 (the first map date) the maps do not see
// the clearing, so it is a process emission, with one note naming the mine.
TEST(Balance, ALandClearedRowOutsideEveryPairIsCountedAsAProcessEmission) {
  BalanceInputs in;
  in.emissions = std::vector<ProcessEmissionRecord>{{"M1", 1999, "land_cleared", 50.0},
                                                    {"M1", 2000, "land_cleared", 7.0},
                                                    {"M1", 2002, "land_cleared", 30.0},
                                                    {"M1", 2003, "land_cleared", 4.0},
                                                    {"M1", 2006, "land_cleared", 20.0}};
  in.landuse =
      std::vector<LandusePairRecord>{{"M1", 2000, 2002, -1.0, 0.0}, {"M1", 2005, 2010, -5.0, 0.0}};
  const BalanceResult r = run_balance(params_to(2010), in, RunContext{});
  const BalanceMine& m1 = mine(r, "M1");
  EXPECT_EQ(m1.first_year, 1999);
  EXPECT_EQ(m1.balance.process_emission_co2e_t, 50.0 + 7.0 + 4.0);
  EXPECT_NEAR(m1.balance.clearing_emission_co2e_t, 6.0 * k, 1e-12);
  const auto years = years_of(r, "M1");
  EXPECT_EQ(years[0].process_emission_co2e_t, 50.0);  // 1999
  EXPECT_EQ(years[3].process_emission_co2e_t, 0.0);   // 2002: dropped, the maps count it
  EXPECT_EQ(years[4].process_emission_co2e_t, 4.0);   // 2003
  EXPECT_TRUE(r.warnings.has("land_cleared_counted_by_maps"));
  ASSERT_TRUE(r.warnings.has("land_cleared_outside_maps"));
  EXPECT_EQ(r.warnings.counts().at("land_cleared_outside_maps"), 1u);  // one note for the mine
  bool named = false;
  for (const auto& problem : r.warnings.listed())
    if (problem.code == "land_cleared_outside_maps")
      named = problem.message.find("1 mine with") != std::string::npos &&
              problem.message.find("'M1' (3)") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(Balance, EveryStatusInOneRun) {
  BalanceInputs in;
  // N: emits 10 t C in 2020, then its projection removes 4 t C a year: neutral in 2023.
  // H: emits every year: not within the horizon. R: only removals. Z: a layer mine, no data.
  in.emissions = std::vector<ProcessEmissionRecord>{
      {"N", 2020, "diesel", 10.0 * k}, {"H", 2020, "diesel", 1.0}, {"H", 2030, "diesel", 1.0}};
  in.vegetation = std::vector<VegetationSinkRecord>{};
  for (int year = 2021; year <= 2030; ++year) {
    in.vegetation->push_back({"N", year, 4.0});
    in.vegetation->push_back({"R", year, 1.0});
  }
  in.mine_ids = {"Z", "N"};
  const BalanceResult r = run_balance(params_to(2030), in, RunContext{});
  EXPECT_EQ(r.mines[0].mine_id, "Z");  // layer order first
  EXPECT_EQ(r.mines[1].mine_id, "N");
  EXPECT_EQ(mine(r, "N").balance.status, carbon::NeutralityStatus::neutral);
  EXPECT_EQ(mine(r, "N").balance.carbon_neutral_year, 2023);
  EXPECT_NEAR(*mine(r, "N").balance.neutral_year_interp, 2023.5, 1e-12);
  EXPECT_EQ(mine(r, "H").balance.status, carbon::NeutralityStatus::not_within_horizon);
  EXPECT_EQ(mine(r, "R").balance.status, carbon::NeutralityStatus::never_net_emitter);
  EXPECT_EQ(mine(r, "Z").balance.status, carbon::NeutralityStatus::no_data);
  EXPECT_TRUE(mine(r, "Z").components.empty());
  EXPECT_EQ(r.summary["counts"]["status"]["neutral"], 1);
  EXPECT_EQ(r.summary["counts"]["status"]["no_data"], 1);
  EXPECT_NE(r.summary["sign_convention"].get<std::string>().find("positive = emission"),
            std::string::npos);

  const BalanceTables t = to_tables(r);
  EXPECT_EQ(t.mine_summary.row_count(), 4u);
  const auto& status = std::get<std::vector<std::string>>(t.mine_summary.find("status")->data);
  EXPECT_EQ(status[0], "no_data");
  EXPECT_EQ(status[1], "neutral");
  const auto& neutral =
      std::get<std::vector<double>>(t.mine_summary.find("carbon_neutral_year")->data);
  EXPECT_TRUE(std::isnan(neutral[0]));
  EXPECT_EQ(neutral[1], 2023.0);
  const auto& basis = std::get<std::vector<std::string>>(t.mine_year.find("ecosystem_basis")->data);
  EXPECT_EQ(basis[0], "none");                    // N 2020: process only
  EXPECT_EQ(basis[1], "projection");              // N 2021
  EXPECT_EQ(mine_report(r, 1).row_count(), 11u);  // N 2020..2030
}

SoilSequestrationRecord soil(const char* scenario, int year, double value) {
  return {scenario, "M1", year, value};
}

// Every mine with the same two scenarios (the demo's case): one warning naming the mines, not one
// per mine.
TEST(Balance, SoilScenarioChosenIsOneWarningForAllMines) {
  BalanceInputs in;
  in.soil = std::vector<SoilSequestrationRecord>{};
  for (const char* id : {"M1", "M2", "M3"})
    for (const char* scenario : {"a", "b"})
      in.soil->push_back({scenario, id, 2030, 1.0});
  const BalanceResult r = run_balance(params_to(2030), in, RunContext{});
  EXPECT_EQ(r.warnings.counts().at("soil_scenario_chosen"), 1u);
  std::string text;
  for (const auto& w : r.warnings.listed())
    if (w.code == "soil_scenario_chosen") text = w.message;
  EXPECT_NE(text.find("3 mines with several soil scenarios"), std::string::npos) << text;
  EXPECT_NE(text.find("'M1' (2), 'M2' (2), 'M3' (2)"), std::string::npos) << text;
}

TEST(Balance, SoilScenariosFirstSumNamedOrError) {
  BalanceInputs in;
  in.soil = std::vector<SoilSequestrationRecord>{soil("a", 2030, 1.0), soil("b", 2030, 2.0)};
  BalanceParams p = params_to(2030);
  BalanceResult r = run_balance(p, in, RunContext{});
  EXPECT_EQ(mine(r, "M1").soil_scenario, "a");
  EXPECT_NEAR(mine(r, "M1").balance.restoration_removal_co2e_t, -1.0 * k, 1e-12);
  EXPECT_TRUE(r.warnings.has("soil_scenario_chosen"));
  p.soil_multiple = SoilScenarioRule::sum;
  r = run_balance(p, in, RunContext{});
  EXPECT_EQ(mine(r, "M1").soil_scenario, "a; b");
  EXPECT_NEAR(mine(r, "M1").balance.restoration_removal_co2e_t, -3.0 * k, 1e-12);
  p.soil_scenario = "b";
  r = run_balance(p, in, RunContext{});
  EXPECT_NEAR(mine(r, "M1").balance.restoration_removal_co2e_t, -2.0 * k, 1e-12);
  p.soil_scenario.clear();
  p.soil_multiple = SoilScenarioRule::error;
  EXPECT_NE(error_of(p, in).find("2 soil scenarios (a, b)"), std::string::npos) << error_of(p, in);
}

TEST(Balance, ARepeatedMineYearNamesTheStageOriginAndMine) {
  BalanceInputs in;
  in.damage = std::vector<NepChangeRecord>{{"M1", 2001, -1.0}, {"M1", 2001, -2.0}};
  in.origins = {{"damage", "out/tables/mine_year.csv"}};
  const std::string message = error_of(params_to(2060), in);
  EXPECT_NE(message.find("out/tables/mine_year.csv: mine 'M1': NEP change: year 2001 given twice"),
            std::string::npos)
      << message;
}

TEST(Balance, OverlappingMapPairsAreADataErrorNamingTheLanduseOriginAndMine) {
  BalanceInputs in;
  in.landuse = std::vector<LandusePairRecord>{{"M1", 2000, 2010, -1, 0}, {"M1", 2000, 2020, -1, 0}};
  in.origins = {{"landuse", "lu/tables/mine_change.csv"}};
  const std::string message = error_of(params_to(2060), in);
  EXPECT_NE(message.find("balance: lu/tables/mine_change.csv: mine 'M1': map pairs 2000-2010 and "
                         "2000-2020 overlap"),
            std::string::npos)
      << message;
}

// The stage is named from the series the problem is in, not guessed from the message.
TEST(Balance, ARepeatedYearOfEachStageNamesThatStagesOrigin) {
  BalanceInputs in;
  in.emissions = std::vector<ProcessEmissionRecord>{{"M1", 2001, "diesel", 1.0}};
  in.vegetation = std::vector<VegetationSinkRecord>{{"M2", 2030, 1.0}, {"M2", 2030, 2.0}};
  in.damage = std::vector<NepChangeRecord>{{"M2", 2001, -1.0}};
  in.origins = {{"emissions", "e.csv"}, {"vegetation", "v.csv"}, {"damage", "d.csv"}};
  const std::string message = error_of(params_to(2060), in);
  EXPECT_NE(message.find("balance: v.csv: mine 'M2': vegetation sink: year 2030 given twice"),
            std::string::npos)
      << message;
}

TEST(Balance, AYearOutsideTheCalendarIsADataErrorNamingOriginMineAndField) {
  BalanceInputs in;
  in.damage = std::vector<NepChangeRecord>{{"M1", 0, -1.0}};
  in.origins = {{"damage", "d.csv"}};
  const std::string message = error_of(params_to(2060), in);
  EXPECT_NE(message.find("balance: d.csv: mine 'M1', year = 0: expected a calendar year (1-9999)"),
            std::string::npos)
      << message;
  in.damage.reset();
  in.landuse = std::vector<LandusePairRecord>{{"M3", 2000, 10000, -1, 0}};
  const std::string landuse = error_of(params_to(2060), in);
  EXPECT_NE(landuse.find("landuse results: mine 'M3', year_to = 10000"), std::string::npos)
      << landuse;
}

// No stage gave anything usable (e.g. a volume projection): the message says why.
TEST(Balance, NoUsableStageSaysWhatTheStagesGave) {
  BalanceInputs in;
  in.adapter_warnings.add("vegetation_not_carbon", "the vegetation projection is of volume");
  const std::string message = error_of(params_to(2060), in);
  EXPECT_NE(message.find("no stage results to join: the stages gave nothing the balance can use"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("projection is of volume"), std::string::npos) << message;
}

TEST(BalanceParams, FirstYearAfterTheHorizonIsRefused) {
  BalanceParams p = params_to(2030);
  p.first_year = 2040;
  EXPECT_THROW(p.validate(), OptionError);
  p.first_year = 0;
  p.horizon_year = 0;
  EXPECT_THROW(p.validate(), OptionError);
}

TEST(BalanceAdapters, DamageMineYearsBecomeNepChangeRecords) {
  DamageResult damage;
  damage.mines.resize(2);
  damage.mines[0].mine_id = "A";
  damage.mines[1].mine_id = "B";
  MineYearRecord y;
  y.mine = 1;
  y.year = 2004;
  y.nep_change_rel_MgC_yr = -12.5;
  damage.mine_years.push_back(y);
  const auto records = nep_change_records(damage);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].mine_id, "B");
  EXPECT_EQ(records[0].year, 2004);
  EXPECT_EQ(records[0].nep_change_rel_MgC_yr, -12.5);
}

TEST(BalanceAdapters, VegetationKeepsWholeYearsOfACarbonProjection) {
  VegetationResult veg;
  veg.params.growth_response = GrowthResponse::tree_carbon;
  for (double year : {2020.0, 2020.5, 2021.0}) {
    vegetation::MineProjectionRow row;
    row.mine_id = "M1";
    row.year = year;
    row.sink_per_yr = year - 2000;
    veg.projections.mines.push_back(row);
  }
  ProblemList warnings;
  auto records = vegetation_sink_records(veg, warnings);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].year, 2021);
  EXPECT_EQ((*records)[1].sink_tC_yr, 21.0);
  EXPECT_TRUE(warnings.has("vegetation_fractional_year"));

  veg.params.growth_response = GrowthResponse::volume;
  EXPECT_FALSE(vegetation_sink_records(veg, warnings));
  EXPECT_TRUE(warnings.has("vegetation_not_carbon"));
  veg.params.growth_response = GrowthResponse::total_carbon;
  veg.projections.mines[0].year = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(vegetation_sink_records(veg, warnings));
  EXPECT_TRUE(warnings.has("vegetation_no_calendar_year"));
}

TEST(BalanceAdapters, SoilKeepsScenariosWithAMineAndAnArea) {
  SoilResult soil;
  auto scenario = [](std::string name, std::string mine, double area_ha) {
    ScenarioRecord s;
    s.scenario = std::move(name);
    s.mine_id = std::move(mine);
    s.area_ha = area_ha;
    for (int year : {2021, 2022})
      s.years.push_back({year, 0.5, 0.5 * area_ha});
    return s;
  };
  soil.scenarios.push_back(scenario("topsoil", "M1", 12.0));
  soil.scenarios.push_back(scenario("no_mine", "", 3.0));
  soil.scenarios.push_back(scenario("no_area", "M2", std::numeric_limits<double>::quiet_NaN()));
  ProblemList warnings;
  const auto records = soil_sequestration_records(soil, warnings);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].scenario, "topsoil");
  EXPECT_EQ(records[1].mine_id, "M1");
  EXPECT_EQ(records[1].year, 2022);
  EXPECT_EQ(records[1].sequestration_tC_yr, 6.0);
  EXPECT_TRUE(warnings.has("soil_scenario_without_mine"));
  EXPECT_TRUE(warnings.has("soil_scenario_without_area"));
}

// A tiny IPCC sequence worked by hand (transition_years D = 4, SOC(y) = S_k + (E_k − S_k) ·
// min(y − t_k + 1, D)/D, carbon/ipcc_soil.h):
//   2020 spoil, fixed 0 t C/ha                        SOC 0          change  0
//   2021 grass, SOC_REF 40 × 1 × 1 × 1 = 40          SOC 10, 20, 30, 40 in 2021–2024: +10 a year
//   2025 disturbed, fixed 20 (from 40)                SOC 35, 30 in 2025–2026: −5 a year
SoilIpccSpec hand_ipcc() {
  SoilIpccSpec spec;
  spec.climate = "warm_temperate_dry";
  spec.soc_ref_tC_ha = 40.0;
  spec.last_year = 2026;
  spec.transition_years = 4;
  IpccStateSpec spoil, grass, disturbed;
  spoil.label = "spoil";
  spoil.start_year = 2020;
  spoil.soc_tC_ha = 0.0;
  grass.label = "grass";
  grass.start_year = 2021;
  grass.f_lu = grass.f_mg = grass.f_i = 1.0;
  disturbed.label = "disturbed";
  disturbed.start_year = 2025;
  disturbed.soc_tC_ha = 20.0;
  spec.states = {spoil, grass, disturbed};
  return spec;
}

const double kHandChange[] = {0, 10, 10, 10, 10, -5, -5};  // t C/ha/yr, 2020..2026

// The restoration removal of `id` by year (t CO2e).
std::map<int, double> restoration_of(const BalanceResult& r, const std::string& id) {
  std::map<int, double> out;
  for (const auto& y : years_of(r, id))
    out[y.year] = y.restoration_removal_co2e_t;
  return out;
}

// soil (IPCC with mine_id and area_ha) → adapter → balance: the yearly stock change × 3 ha,
// t C/yr, is the mine's soil sequestration; removal = −44/12 × it: −110 t CO2e in 2021–2024 (30 t C
// a year), +55 in 2025–2026 (the soil loses 15 t C a year: an emission).
TEST(BalanceAdapters, IpccTrajectoryOfAMineEntersTheBalanceAsYearlyStockChange) {
  SoilInputs inputs;
  inputs.ipcc = hand_ipcc();
  inputs.ipcc->mine_id = "M1";
  inputs.ipcc->area_ha = 3.0;
  const SoilResult soil = run_soil(SoilParams{}, inputs, RunContext{});
  ASSERT_EQ(soil.ipcc.trajectory.size(), 7u);
  ProblemList warnings;
  BalanceInputs in;
  in.soil = soil_sequestration_records(soil, warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(in.soil->size(), 7u);
  for (std::size_t k = 0; k < 7; ++k) {
    const SoilSequestrationRecord& rec = (*in.soil)[k];
    EXPECT_EQ(rec.scenario, "ipcc");
    EXPECT_EQ(rec.mine_id, "M1");
    EXPECT_EQ(rec.year, 2020 + static_cast<int>(k));
    EXPECT_NEAR(rec.sequestration_tC_yr, kHandChange[k] * 3.0, 1e-12) << rec.year;
  }
  const BalanceResult r = run_balance(params_to(2026), in, RunContext{});
  const auto removal = restoration_of(r, "M1");
  for (int year = 2021; year <= 2026; ++year) {
    ASSERT_TRUE(removal.count(year)) << year;
    const double want = year <= 2024 ? -110.0 : 55.0;
    EXPECT_NEAR(removal.at(year), want, 1e-9) << year;
  }
  if (removal.count(2020)) EXPECT_EQ(removal.at(2020), 0.0);
  EXPECT_EQ(mine(r, "M1").soil_scenario, "ipcc");
  EXPECT_NEAR(mine(r, "M1").balance.restoration_removal_co2e_t, -4 * 110.0 + 2 * 55.0, 1e-9);
  const BalanceTables t = to_tables(r);
  EXPECT_EQ(std::get<std::vector<std::string>>(t.mine_summary.find("soil_scenario")->data)[0],
            "ipcc");
}

// areas_land_use: one series per mine of the areas table with that land use, per ha × its area;
// the table ipcc_trajectory has a block of years per mine with its mine_id and area.
TEST(BalanceAdapters, IpccTrajectoryByAreasLandUseGivesEachMineItsArea) {
  SoilInputs inputs;
  inputs.ipcc = hand_ipcc();
  inputs.ipcc->areas_land_use = "grass";
  inputs.areas =
      parse_csv_text("mine_id,land_use,area_ha\nA,grass,2\nB,forest,9\nC,grass,5\n", "areas.csv");
  const SoilResult soil = run_soil(SoilParams{}, inputs, RunContext{});
  ASSERT_EQ(soil.ipcc.mines.size(), 2u);
  ProblemList warnings;
  BalanceInputs in;
  in.soil = soil_sequestration_records(soil, warnings);
  ASSERT_EQ(in.soil->size(), 14u);
  const BalanceResult r = run_balance(params_to(2026), in, RunContext{});
  EXPECT_NEAR(restoration_of(r, "A").at(2022), -10.0 * 2.0 * k, 1e-9);  // −73.33
  EXPECT_NEAR(restoration_of(r, "C").at(2022), -10.0 * 5.0 * k, 1e-9);  // −183.33
  EXPECT_NEAR(restoration_of(r, "C").at(2026), 5.0 * 5.0 * k, 1e-9);    // +91.67
  EXPECT_THROW(mine(r, "B"), std::out_of_range);
  const SoilTables tables = to_tables(soil);
  const auto& ids =
      std::get<std::vector<std::string>>(tables.ipcc_trajectory.find("mine_id")->data);
  const auto& change =
      std::get<std::vector<double>>(tables.ipcc_trajectory.find("change_tC_yr")->data);
  ASSERT_EQ(ids.size(), 14u);
  EXPECT_EQ(ids[0], "A");
  EXPECT_EQ(ids[7], "C");
  EXPECT_NEAR(change[1], 20.0, 1e-12);  // A 2021: 10 × 2 ha
  EXPECT_NEAR(change[8], 50.0, 1e-12);  // C 2021: 10 × 5 ha

  // A land use no mine of the table has names the file and the land uses there.
  inputs.ipcc->areas_land_use = "wetland";
  try {
    run_soil(SoilParams{}, inputs, RunContext{});
    ADD_FAILURE() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("areas.csv: no mine has land use 'wetland'"),
              std::string::npos)
        << e.what();
  }
}

// One soil basis per mine: with a RothC scenario and the IPCC trajectory, `first` takes the
// scenario (the trajectory comes last) with a warning, soil_scenario = "ipcc" takes the
// trajectory, `sum` adds both (parts of the mine on their own areas).
TEST(BalanceAdapters, AMineWithARothCScenarioAndTheIpccTrajectoryUsesOne) {
  SoilInputs inputs;
  inputs.ipcc = hand_ipcc();
  inputs.ipcc->mine_id = "M1";
  inputs.ipcc->area_ha = 3.0;
  SoilResult soil = run_soil(SoilParams{}, inputs, RunContext{});
  ScenarioRecord rothc;
  rothc.scenario = "topsoil";
  rothc.mine_id = "M1";
  rothc.area_ha = 2.0;
  for (int year = 2021; year <= 2026; ++year)
    rothc.years.push_back({year, 0.5, 1.0});
  soil.scenarios.push_back(rothc);
  ProblemList warnings;
  BalanceInputs in;
  in.soil = soil_sequestration_records(soil, warnings);
  ASSERT_EQ(in.soil->size(), 6u + 7u);
  EXPECT_EQ(in.soil->front().scenario, "topsoil");
  EXPECT_EQ(in.soil->back().scenario, "ipcc");
  BalanceParams p = params_to(2026);
  BalanceResult r = run_balance(p, in, RunContext{});
  EXPECT_EQ(mine(r, "M1").soil_scenario, "topsoil");
  EXPECT_NEAR(restoration_of(r, "M1").at(2022), -1.0 * k, 1e-12);
  EXPECT_TRUE(r.warnings.has("soil_scenario_chosen"));
  p.soil_scenario = "ipcc";
  r = run_balance(p, in, RunContext{});
  EXPECT_EQ(mine(r, "M1").soil_scenario, "ipcc");
  EXPECT_NEAR(restoration_of(r, "M1").at(2022), -110.0, 1e-9);
  EXPECT_FALSE(r.warnings.has("soil_scenario_chosen"));
  p.soil_scenario.clear();
  p.soil_multiple = SoilScenarioRule::sum;
  r = run_balance(p, in, RunContext{});
  EXPECT_EQ(mine(r, "M1").soil_scenario, "topsoil; ipcc");
  EXPECT_NEAR(restoration_of(r, "M1").at(2022), -(1.0 + 30.0) * k, 1e-9);
}

TEST(BalanceAdapters, AnIpccTrajectoryOfNoMineIsLeftOutWithAWarning) {
  SoilInputs inputs;
  inputs.ipcc = hand_ipcc();
  inputs.ipcc->area_ha = 3.0;  // totals in t C, but no mine
  const SoilResult soil = run_soil(SoilParams{}, inputs, RunContext{});
  ProblemList warnings;
  EXPECT_TRUE(soil_sequestration_records(soil, warnings).empty());
  EXPECT_TRUE(warnings.has("soil_ipcc_without_mine"));
}

TEST(BalanceAdapters, LanduseKeepsConsecutivePairsOnly) {
  LanduseResult landuse;
  auto change = [](int from, int to, const char* kind, double loss, double gain) {
    LanduseMineChange c;
    c.mine_id = "M7";
    c.year_from = from;
    c.year_to = to;
    c.pair_kind = kind;
    c.loss_tC = loss;
    c.gain_tC = gain;
    return c;
  };
  landuse.mine_change = {change(2000, 2010, "consecutive", -40, 5),
                         change(2010, 2020, "consecutive", -10, 25),
                         change(2000, 2020, "first_last", -45, 25)};
  const auto records = landuse_pair_records(landuse);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].mine_id, "M7");
  EXPECT_EQ(records[1].year_from, 2010);
  EXPECT_EQ(records[1].year_to, 2020);
  EXPECT_EQ(records[1].loss_tC, -10);
  EXPECT_EQ(records[1].gain_tC, 25);
}

TEST(BalanceAdapters, EmissionsSumEachMineYearButLandClearedAndMissing) {
  EmissionsResult emissions;
  emissions.mine_ids = {"M3", "M4"};
  auto row = [](std::uint32_t mine, int year, EmissionSource source, double co2e_t) {
    MineYearSourceRecord r;
    r.mine = mine;
    r.year = year;
    r.source = source;
    r.co2e_t = co2e_t;
    return r;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Values whose sum depends on the order of the additions: (0.1 + 0.2) + 0.3 ≠ 0.1 + (0.2 + 0.3).
  emissions.mine_year_source = {row(0, 2015, EmissionSource::diesel, 0.1),
                                row(0, 2015, EmissionSource::explosive, 0.2),
                                row(0, 2015, EmissionSource::electricity, nan),
                                row(0, 2015, EmissionSource::coal_surface, 0.3),
                                row(0, 2015, EmissionSource::land_cleared, 120.0),
                                row(0, 2016, EmissionSource::land_cleared, 7.0),
                                row(1, 2015, EmissionSource::diesel, -0.0)};
  const auto records = process_emission_records(emissions);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].mine_id, "M3");
  EXPECT_EQ(records[0].year, 2015);
  EXPECT_EQ(records[0].source, kProcessSourcesSummed);
  EXPECT_EQ(records[0].co2e_t, (0.1 + 0.2) + 0.3);  // file order, bit for bit
  EXPECT_NE(records[0].co2e_t, 0.1 + (0.2 + 0.3));
  // Kept apart, in their order: the missing value and the row balance drops under maps.
  EXPECT_EQ(records[1].source, "electricity");
  EXPECT_TRUE(std::isnan(records[1].co2e_t));
  EXPECT_EQ(records[2].source, kLandClearedSource);
  EXPECT_EQ(records[2].co2e_t, 120.0);
  EXPECT_EQ(records[3].year, 2016);  // a mine-year of land_cleared only: no summed record
  EXPECT_EQ(records[3].source, kLandClearedSource);
  EXPECT_EQ(records[4].mine_id, "M4");
  EXPECT_TRUE(std::signbit(records[4].co2e_t));  // the first value itself, not 0.0 + it
}

// The summed records give the balance the same bits as one record per source (the files' route).
TEST(BalanceAdapters, SummedEmissionsGiveTheSameBalanceAsOneRecordPerSource) {
  EmissionsResult emissions;
  emissions.mine_ids = {"A", "B"};
  const EmissionSource sources[] = {EmissionSource::diesel, EmissionSource::explosive,
                                    EmissionSource::electricity, EmissionSource::coal_surface,
                                    EmissionSource::land_cleared};
  std::vector<ProcessEmissionRecord> per_source;
  double value = 0.1;
  for (std::uint32_t mine = 0; mine < 2; ++mine)
    for (int year = 2001; year <= 2012; ++year)
      for (const EmissionSource source : sources) {
        value = value * 1.37 + 0.013;  // values that round differently by order
        MineYearSourceRecord r;
        r.mine = mine;
        r.year = year;
        r.source = source;
        r.co2e_t = value;
        emissions.mine_year_source.push_back(r);
        per_source.push_back(
            {emissions.mine_ids[mine], year, std::string(to_string(source)), value});
      }
  BalanceParams params;
  params.horizon_year = 2015;
  BalanceInputs by_source, summed;
  by_source.emissions = per_source;
  summed.emissions = process_emission_records(emissions);
  EXPECT_EQ(summed.emissions->size(), 2u * 12u * 2u);
  // Mine A has a map pair over 2005-2008: its land_cleared rows of 2006-2008 are dropped.
  by_source.landuse = std::vector<LandusePairRecord>{{"A", 2005, 2008, -3.0, 1.0}};
  summed.landuse = by_source.landuse;
  const BalanceResult a = run_balance(params, by_source, RunContext{});
  const BalanceResult b = run_balance(params, summed, RunContext{});
  ASSERT_EQ(a.mine_years.size(), b.mine_years.size());
  for (std::size_t idx = 0; idx < a.mine_years.size(); ++idx) {
    EXPECT_EQ(a.mine_years[idx].values.process_emission_co2e_t,
              b.mine_years[idx].values.process_emission_co2e_t)
        << idx;
    EXPECT_EQ(a.mine_years[idx].values.cumulative_net_emission_co2e_t,
              b.mine_years[idx].values.cumulative_net_emission_co2e_t)
        << idx;
  }
  EXPECT_EQ(a.warnings.counts(), b.warnings.counts());
  EXPECT_EQ(a.warnings.counts().count("land_cleared_counted_by_maps"), 1u);
}

}  // namespace
}  // namespace minecarbon::assess
