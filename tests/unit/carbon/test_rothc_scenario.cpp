// Reclamation scenarios on RothC: starting states, amendments, biochar, vegetation phases, the
// checks of a monthly series and the batch driver. Known answers: the official RothC example
// (tests/data/rothc, its spin-up row of year_results and its 1.74 t C/ha input), conservation of
// carbon, and first-order decay worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "minecarbon/carbon/rothc_input.h"
#include "minecarbon/carbon/rothc_scenario.h"
#include "minecarbon/core/errors.h"
#include "test_rothc_support.h"

namespace mc = minecarbon::carbon;

namespace {

mc::RothCInput example_v2() {
  return mc::read_rothc_input_file(rothc_test::data_path("RothC_R_v2.0.0/RothC_input.dat")).input;
}

// A wet, mild climate: rain always above evaporation, so b = 1.
std::vector<mc::RothCMonth> mild_wet_climate() {
  std::vector<mc::RothCMonth> rows(12);
  for (int m = 0; m < 12; ++m) {
    rows[m].month = m + 1;
    rows[m].temp_C = 10.0;
    rows[m].rain_mm = 100.0;
    rows[m].pan_evap_mm = 20.0;
  }
  return rows;
}

mc::ReclamationScenario spoil_scenario() {
  mc::ReclamationScenario s;
  s.name = "test";
  s.site.clay_pct = 20.0;
  s.climate = mild_wet_climate();
  s.first_year = 2020;
  s.years = 10;
  s.start.kind = mc::InitialSoil::bare_spoil;
  s.start.soc_tC_ha = 3.2;
  mc::VegetationPhase bare;
  bare.first_year = 2020;
  bare.label = "bare";
  bare.bare = true;
  bare.plant_input_tC_ha_yr = 0.0;
  s.phases = {bare};
  return s;
}

double total_inputs(const mc::ScenarioResult& r) {
  double sum = 0.0;
  for (const auto& y : r.yearly)
    sum += y.plant_input_tC_ha + y.amendment_tC_ha + y.biochar_input_tC_ha;
  return sum;
}

double total_co2(const mc::ScenarioResult& r) {
  double sum = 0.0;
  for (const auto& y : r.yearly)
    sum += y.co2_tC_ha;
  return sum;
}

}  // namespace

// ---- monthly series ------------------------------------------------------------------------

TEST(MonthlySeries, EmptyAndPartialYearsAreNamed) {
  EXPECT_EQ(mc::monthly_series_problem({}), "no monthly rows");
  std::vector<mc::RothCMonth> rows = mild_wet_climate();
  for (auto& r : rows)
    r.year = 2000;
  rows.pop_back();
  EXPECT_NE(mc::monthly_series_problem(rows).find("11 monthly rows: not a whole number of years"),
            std::string::npos);
}

TEST(MonthlySeries, MissingMonthIsNamedWithTheDates) {
  std::vector<mc::RothCMonth> rows = mild_wet_climate();
  for (auto& r : rows)
    r.year = 2000;
  rows.erase(rows.begin() + 4);  // no May
  const std::string problem = mc::monthly_series_problem(rows);
  EXPECT_NE(problem.find("row 5: 2000-06 follows 2000-04, expected 2000-05"), std::string::npos)
      << problem;
}

TEST(MonthlySeries, SpinUpYearMayCarryItsOwnLabel) {
  // The official input labels the spin-up year 1 and the next 1939.
  std::vector<mc::RothCMonth> rows = mild_wet_climate();
  for (auto& r : rows)
    r.year = 1;
  std::vector<mc::RothCMonth> next = mild_wet_climate();
  for (auto& r : next)
    r.year = 1939;
  rows.insert(rows.end(), next.begin(), next.end());
  EXPECT_EQ(mc::monthly_series_problem(rows, true), "");
  EXPECT_NE(mc::monthly_series_problem(rows).find("row 13: 1939-01 follows 1-12"),
            std::string::npos);
}

TEST(MonthlySeries, SeriesMustStartInJanuary) {
  std::vector<mc::RothCMonth> rows = mild_wet_climate();
  rows.front().month = 2;
  EXPECT_NE(mc::monthly_series_problem(rows).find("must start in January"), std::string::npos);
}

// ---- scenario checks -------------------------------------------------------------------------

TEST(ReclamationScenario, CompostWithoutASplitIsRefused) {
  mc::ReclamationScenario s = spoil_scenario();
  s.amendments.push_back({2021, 4, 5.0, mc::AmendmentKind::compost, std::nullopt});
  const std::string problem = mc::scenario_problem(s);
  EXPECT_NE(problem.find("compost amendment of 2021-04: no pool split"), std::string::npos)
      << problem;
  EXPECT_THROW(mc::run_reclamation_scenario(s), minecarbon::DataError);
}

TEST(ReclamationScenario, BadInputsAreNamed) {
  mc::ReclamationScenario s = spoil_scenario();
  s.phases.front().plant_input_tC_ha_yr = 1.0;
  EXPECT_NE(mc::scenario_problem(s).find("a bare phase has no plant input"), std::string::npos);
  s = spoil_scenario();
  s.amendments.push_back({2021, 4, -1.0, mc::AmendmentKind::manure, std::nullopt});
  EXPECT_NE(mc::scenario_problem(s).find("carbon_tC_ha = -1: must be >= 0"), std::string::npos);
  s = spoil_scenario();
  s.amendments.push_back(
      {2021, 4, 1.0, mc::AmendmentKind::sewage_sludge, mc::AmendmentSplit{0.5, 0.3, 0, 0.1}});
  EXPECT_NE(mc::scenario_problem(s).find("must sum to 1"), std::string::npos);
  s = spoil_scenario();
  s.climate.pop_back();
  EXPECT_NE(mc::scenario_problem(s).find("climate has 11 monthly rows"), std::string::npos);
  s = spoil_scenario();
  s.amendments.push_back({2035, 4, 1.0, mc::AmendmentKind::manure, std::nullopt});
  EXPECT_NE(mc::scenario_problem(s).find("outside the run"), std::string::npos);
}

// ---- hand computations -----------------------------------------------------------------------

TEST(ReclamationScenario, InertSpoilWithoutInputsKeepsItsCarbon) {
  // All spoil C is inert (spoil_inert_frac 1) and nothing comes in: SOC stays 3.2 t C/ha.
  const mc::ScenarioResult r = mc::run_reclamation_scenario(spoil_scenario());
  ASSERT_EQ(r.yearly.size(), 10u);
  for (const auto& y : r.yearly) {
    EXPECT_EQ(y.soc_tC_ha, 3.2);
    EXPECT_EQ(y.change_tC_ha_yr, 0.0);
  }
  EXPECT_EQ(r.monthly.size(), 120u);
}

TEST(ReclamationScenario, InertBiocharStaysAndDecayingBiocharFollowsItsRate) {
  // Inert (rate 0): 10 t C/ha added stay 10. With the IPCC permanence form k = −ln(F)/100 and
  // F = 0.8, biochar added in January of year 1 decays in the 1199 months after it:
  // 10 · 0.8^(1199/1200) = 7.998512… (computed as 10·exp(ln 0.8 · 1199/1200)).
  mc::ReclamationScenario s = spoil_scenario();
  s.years = 100;
  s.biochar.push_back({2020, 1, 10.0});
  const mc::ScenarioResult inert = mc::run_reclamation_scenario(s);
  EXPECT_NEAR(inert.yearly.back().pools.biochar_tC_ha, 10.0, 1e-12);
  s.site.biochar_rate_per_yr = -std::log(0.8) / 100.0;
  const mc::ScenarioResult decaying = mc::run_reclamation_scenario(s);
  EXPECT_NEAR(decaying.yearly.back().pools.biochar_tC_ha,
              10.0 * std::exp(std::log(0.8) * 1199.0 / 1200.0), 1e-10);
}

TEST(ReclamationScenario, CarbonIsConservedWithEveryKindOfInput) {
  // SOC(end) − SOC(start) = plant + amendments + biochar − CO2, whatever the split.
  mc::ReclamationScenario s = spoil_scenario();
  s.years = 30;
  s.start.spoil_inert_frac = 0.5;  // half the spoil C decomposes as HUM
  mc::VegetationPhase grass;
  grass.first_year = 2023;
  grass.label = "grass";
  grass.plant_input_tC_ha_yr = 2.0;
  grass.dpm_rpm_ratio = 0.67;
  mc::VegetationPhase wood = grass;
  wood.first_year = 2035;
  wood.label = "wood";
  wood.plant_input_tC_ha_yr = 3.0;
  wood.dpm_rpm_ratio = 0.25;
  s.phases.push_back(grass);
  s.phases.push_back(wood);
  s.amendments.push_back({2021, 3, 10.0, mc::AmendmentKind::manure, std::nullopt});
  s.amendments.push_back(
      {2022, 5, 8.0, mc::AmendmentKind::compost, mc::AmendmentSplit{0.1, 0.4, 0.0, 0.5}});
  s.amendments.push_back(
      {2024, 9, 4.0, mc::AmendmentKind::sewage_sludge, mc::AmendmentSplit{0.5, 0.3, 0.05, 0.15}});
  s.biochar.push_back({2025, 6, 5.0});
  s.site.biochar_rate_per_yr = 0.01;
  const mc::ScenarioResult r = mc::run_reclamation_scenario(s);
  const double gained = r.yearly.back().soc_tC_ha - r.start.pools.soc_tC_ha();
  EXPECT_NEAR(gained, total_inputs(r) - total_co2(r), 1e-9);
  // Amendments 10 + 8 + 4, biochar 5, grass 2023-2034 (12 yr × 2), wood 2035-2049 (15 yr × 3).
  EXPECT_NEAR(total_inputs(r), 10 + 8 + 4 + 5 + 2.0 * 12 + 3.0 * 15, 1e-9);
  // Each year's change is the difference of consecutive Decembers.
  EXPECT_NEAR(r.yearly[5].change_tC_ha_yr, r.yearly[5].soc_tC_ha - r.yearly[4].soc_tC_ha, 1e-12);
  EXPECT_EQ(r.yearly[3].phase, "grass");
  EXPECT_EQ(r.yearly[15].phase, "wood");
}

// ---- known answers: the official example -----------------------------------------------------

TEST(ReclamationScenario, ReplacedTopsoilRecoversTheOfficialExampleInput) {
  // The official example (RothC_R v2.0.0): spin-up year with 1.74 t C/ha in August, bare in
  // September, DPM/RPM 1.44, IOM 3.0041; its spin-up ends at SOC 42.4779204555935 with
  // DPM 0.160569657575825, RPM 5.82134267958489, BIO 0.871744600829234, HUM 32.6201635176035
  // (year_results.out, row "1, 20916"). A topsoil with that SOC under that vegetation must give
  // back the 1.74 input (to the ~1.4e-4 t C/ha the official loop stops short, i.e. ~1e-5 in
  // input) and those pools, and stay there when the same vegetation continues.
  const mc::RothCInput input = example_v2();
  mc::ReclamationScenario s;
  s.name = "official";
  s.site = input.site;
  s.climate.assign(input.months.begin(), input.months.begin() + 12);
  s.first_year = 1;
  s.years = 10;
  s.start.kind = mc::InitialSoil::replaced_topsoil;
  s.start.soc_tC_ha = 42.4779204555935;
  s.start.former_dpm_rpm_ratio = 1.44;
  s.start.iom_from_falloon = false;
  s.start.former_input_share = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  s.start.former_cover = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1};
  mc::VegetationPhase same;
  same.first_year = 1;
  same.label = "same";
  same.dpm_rpm_ratio = 1.44;
  same.input_share = s.start.former_input_share;
  same.cover = s.start.former_cover;
  s.phases = {same};
  // Phase input: the inverse result, found by a first run.
  const mc::ScenarioResult probe = mc::run_reclamation_scenario(s);
  EXPECT_NEAR(probe.former_plant_input_tC_ha_yr, 1.74, 1e-5);
  const mc::RothCPools& p = probe.start.pools;
  EXPECT_NEAR(p.soc_tC_ha(), 42.4779204555935, 1e-9);
  EXPECT_NEAR(p.dpm_tC_ha, 0.160569657575825, 2e-4);
  EXPECT_NEAR(p.rpm_tC_ha, 5.82134267958489, 2e-4);
  EXPECT_NEAR(p.bio_tC_ha, 0.871744600829234, 2e-4);
  EXPECT_NEAR(p.hum_tC_ha, 32.6201635176035, 2e-4);
  s.phases.front().plant_input_tC_ha_yr = probe.former_plant_input_tC_ha_yr;
  const mc::ScenarioResult steady = mc::run_reclamation_scenario(s);
  for (const auto& y : steady.yearly)
    EXPECT_NEAR(y.soc_tC_ha, 42.4779204555935, 1e-9) << y.year;
}

TEST(ReclamationScenario, StockpileLossRemovesThatShareOfTheActivePools) {
  // 25 % of DPM+RPM+BIO+HUM lost: start SOC = IOM + 0.75 (SOC − IOM) = 3.0041 + 0.75·39.4738…
  const mc::RothCInput input = example_v2();
  mc::ReclamationScenario s;
  s.site = input.site;
  s.climate.assign(input.months.begin(), input.months.begin() + 12);
  s.first_year = 1;
  s.years = 1;
  s.start.kind = mc::InitialSoil::replaced_topsoil;
  s.start.soc_tC_ha = 40.0;
  s.start.iom_from_falloon = false;
  s.start.stockpile_loss_frac = 0.25;
  mc::VegetationPhase bare;
  bare.first_year = 1;
  bare.bare = true;
  s.phases = {bare};
  const mc::ScenarioResult r = mc::run_reclamation_scenario(s);
  EXPECT_NEAR(r.start.pools.soc_tC_ha(), 3.0041 + 0.75 * (40.0 - 3.0041), 1e-9);
}

// ---- batch -----------------------------------------------------------------------------------

TEST(RothCSiteBatch, BareStartWithoutInputKeepsOnlyIom) {
  mc::BatchSite site;
  site.id = "a";
  site.site.clay_pct = 30;
  site.site.iom_tC_ha = 2.5;
  site.start_bare = true;
  const auto rows = mild_wet_climate();
  std::copy(rows.begin(), rows.end(), site.baseline.begin());
  std::copy(rows.begin(), rows.end(), site.scenario.begin());
  const std::vector<mc::BatchSite> sites = {site};
  const mc::BatchResult r = mc::run_site_batch(sites, 20, true, 1);
  EXPECT_EQ(r.soc_start_tC_ha[0], 2.5);
  EXPECT_EQ(r.soc_end_tC_ha[0], 2.5);
  ASSERT_EQ(r.soc_yearly_tC_ha.size(), 20u);
}

TEST(RothCSiteBatch, EquilibriumStartIsTheExactSteadyStateAndIndependentOfThreads) {
  // The example's spin-up year as baseline and scenario: the start is the exact steady state,
  // 1.40e-4 above the official loop's 42.4779204555935 (docs/rothc_checks.md §3), and stays there.
  const mc::RothCInput input = example_v2();
  std::vector<mc::BatchSite> sites;
  for (int idx = 0; idx < 7; ++idx) {
    mc::BatchSite b;
    b.id = std::to_string(idx);
    b.site = input.site;
    std::copy(input.months.begin(), input.months.begin() + 12, b.baseline.begin());
    b.scenario = b.baseline;
    // Site 3 doubles its input after the spin-up; site 5 starts bare.
    if (idx == 3) b.scenario[7].plant_input_tC_ha = 3.48;
    b.start_bare = idx == 5;
    sites.push_back(b);
  }
  const mc::BatchResult one = mc::run_site_batch(sites, 30, true, 1, 2);
  const mc::BatchResult three = mc::run_site_batch(sites, 30, true, 3, 2);
  EXPECT_EQ(one.soc_yearly_tC_ha, three.soc_yearly_tC_ha);
  EXPECT_EQ(one.soc_end_tC_ha, three.soc_end_tC_ha);
  EXPECT_NEAR(one.soc_start_tC_ha[0] - 42.4779204555935, 1.40e-4, 0.05e-4);
  EXPECT_NEAR(one.soc_end_tC_ha[0], one.soc_start_tC_ha[0], 1e-9);
  EXPECT_GT(one.soc_end_tC_ha[3], one.soc_start_tC_ha[3] + 5.0);  // more input, more carbon
  EXPECT_EQ(one.soc_start_tC_ha[5], 3.0041);                      // IOM only
}
