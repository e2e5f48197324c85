// RothC building blocks: degenerate inputs first, then cases worked by hand, then the published
// checks of the model description (docs/rothc_checks.md §4) and values printed
// by the official R port (tests/data/rothc).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/core/errors.h"

namespace mc = minecarbon::carbon;

namespace {

mc::RothCSite rothamsted_site() {
  mc::RothCSite site;
  site.clay_pct = 23.4;
  site.depth_cm = 23.0;
  site.iom_tC_ha = 3.0041;
  return site;
}

mc::RothCMonth month(double temp_C, double rain_mm, double evap_mm, int cover, double plant = 0.0) {
  mc::RothCMonth m;
  m.year = 1;
  m.month = 1;
  m.temp_C = temp_C;
  m.rain_mm = rain_mm;
  m.pan_evap_mm = evap_mm;
  m.plant_cover = cover;
  m.plant_input_tC_ha = plant;
  return m;
}

}  // namespace

// ---- degenerate inputs ------------------------------------------------------------------------

TEST(RothC, EmptySoilStaysEmptyWithAgeZero) {
  mc::RothCSite site = rothamsted_site();
  site.iom_tC_ha = 0.0;
  const mc::RothCModel model = mc::make_rothc_model(site);
  mc::RothCState state = mc::initial_state(site);
  const mc::RothCMonthRecord rec = mc::step_month(model, month(10.0, 50.0, 40.0, 1), state);
  EXPECT_EQ(rec.pools.soc_tC_ha(), 0.0);
  EXPECT_EQ(rec.total_age_yr, 0.0);  // official rule: SOC <= 0 gives age 0
  EXPECT_EQ(rec.delta14c_permil, 0.0);
  EXPECT_EQ(rec.co2_cum_tC_ha, 0.0);
}

TEST(RothC, ZeroInputDecaysToInertPool) {
  const mc::RothCModel model = mc::make_rothc_model(rothamsted_site());
  mc::RothCState state = mc::initial_state(model.site);
  state.pools.dpm_tC_ha = 1.0;
  state.pools.rpm_tC_ha = 5.0;
  state.pools.bio_tC_ha = 1.0;
  state.pools.hum_tC_ha = 30.0;
  const double start_soc = state.pools.soc_tC_ha();
  const std::vector<mc::RothCMonth> months(12 * 3000, month(15.0, 80.0, 20.0, 0));
  const mc::RothCRun run = mc::run_rothc(model, state, months);
  const mc::RothCPools& end = run.final_state.pools;
  EXPECT_LT(end.active_tC_ha(), 1e-9);
  EXPECT_EQ(end.iom_tC_ha, 3.0041);
  // Everything that left the active pools went to CO2.
  EXPECT_NEAR(run.final_state.co2_cum_tC_ha, start_soc - end.soc_tC_ha(), 1e-9);
}

TEST(RothC, NoDecompositionBelowMinusFiveDegrees) {
  const mc::RothCModel model = mc::make_rothc_model(rothamsted_site());
  mc::RothCState state = mc::initial_state(model.site);
  state.pools.dpm_tC_ha = 1.0;
  state.pools.hum_tC_ha = 10.0;
  const mc::RothCPools before = state.pools;
  mc::step_month(model, month(-5.0001, 10.0, 0.0, 1), state);
  EXPECT_EQ(state.pools, before);
  EXPECT_EQ(state.co2_cum_tC_ha, 0.0);
  mc::step_month(model, month(-5.0, 10.0, 0.0, 1), state);  // the cut-off is strict
  EXPECT_LT(state.pools.dpm_tC_ha, before.dpm_tC_ha);
}

TEST(RothC, RejectsSiteOutsideDomainWithFieldAndValue) {
  mc::RothCSite site = rothamsted_site();
  site.depth_cm = -1.0;
  try {
    mc::make_rothc_model(site);
    FAIL() << "expected DataError";
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("depth_cm = -1: must be > 0"), std::string::npos)
        << e.what();
  }
  site = rothamsted_site();
  site.moisture_option = mc::MoistureOption::van_genuchten;  // needs silt, BD, OC
  EXPECT_THROW(mc::make_rothc_model(site), minecarbon::DataError);
}

// ---- rate factors ---------------------------------------------------------------------------

TEST(RothC, TemperatureFactorMatchesOfficialRPort) {
  // RM_Temp column of RothC_R month_results.out (1939-01, 1940-01, 2007-10, 1939-08).
  EXPECT_NEAR(mc::rm_temperature(3.99), 0.405041364799995, 1e-14);
  EXPECT_NEAR(mc::rm_temperature(-2.6), 0.055013765558561, 1e-14);
  EXPECT_NEAR(mc::rm_temperature(10.58), 1.18301392854732, 1e-13);
  EXPECT_NEAR(mc::rm_temperature(16.06), 2.08626628613496, 1e-13);
}

TEST(RothC, TemperatureFactorCutOffIsStrictlyBelowMinusFive) {
  // docs/rothc_checks.md §2: a(-5.0) = 0.0161881, a(-5.0001) = 0.
  EXPECT_NEAR(mc::rm_temperature(-5.0), 0.0161881, 5e-8);
  EXPECT_EQ(mc::rm_temperature(-5.0001), 0.0);
  EXPECT_NEAR(mc::rm_temperature(0.0), 0.1438724, 5e-8);
  EXPECT_NEAR(mc::rm_temperature(20.0), 2.8214925, 5e-8);
}

TEST(RothC, PlantCoverRetardsDecomposition) {
  EXPECT_EQ(mc::rm_plant_cover(1), 0.6);
  EXPECT_EQ(mc::rm_plant_cover(0), 1.0);
}

TEST(RothC, ClayRatioIsThreePointFiveOneAtRothamsted) {
  // Description: "1.67 sets the ratio at Rothamsted (23.4 % clay) to 3.51".
  EXPECT_NEAR(mc::co2_bio_hum_ratio(23.4), 3.51, 0.005);
  // docs/rothc_checks.md §2: values of the formula.
  EXPECT_NEAR(mc::co2_bio_hum_ratio(23.4), 3.514183, 5e-7);
  EXPECT_NEAR(mc::co2_bio_hum_ratio(0.0), 5.7615, 5e-5);
  EXPECT_NEAR(mc::co2_bio_hum_ratio(12.0), 4.129923, 5e-7);
  EXPECT_NEAR(mc::co2_bio_hum_ratio(40.0), 3.204690, 5e-7);
  const mc::RothCModel model = mc::make_rothc_model(rothamsted_site());
  EXPECT_NEAR(model.to_co2_frac + model.to_bio_frac + model.to_hum_frac, 1.0, 1e-15);
}

TEST(RothC, MoistureLimitsOfRothamstedSoil) {
  // Description: max TSMD for 23.4 % clay, 0-23 cm = -44.94; docs/rothc_checks.md §2 gives the
  // rest.
  const mc::MoistureLimits lim = mc::moisture_limits(rothamsted_site());
  EXPECT_NEAR(lim.max_mm, -44.94, 0.005);
  EXPECT_NEAR(lim.max_mm, -44.9444, 5e-5);
  EXPECT_NEAR(lim.one_bar_mm, -19.9553, 5e-5);
  EXPECT_NEAR(lim.bare_mm, -24.9891, 5e-5);
  EXPECT_EQ(lim.dry_limit_mm, lim.max_mm);
}

TEST(RothC, BareSoilDriesOnlyToBareLimitButKeepsADrierDeficit) {
  // Worked by hand from next_smd_mm's rule; bare limit = 0.556 × -44.9444 = -24.98909 mm.
  const mc::MoistureLimits lim = mc::moisture_limits(rothamsted_site());
  EXPECT_NEAR(mc::next_smd_mm(0.0, 0.0, 100.0, 0, lim), lim.bare_mm, 1e-12);  // stops at bare
  EXPECT_EQ(mc::next_smd_mm(-30.0, 0.0, 40.0, 0, lim), -30.0);  // drier already: stays
  EXPECT_EQ(mc::next_smd_mm(-30.0, 10.0, 0.0, 0, lim), -20.0);  // rain rewets it
  EXPECT_EQ(mc::next_smd_mm(-10.0, 0.0, 20.0, 1, lim), -25.0);  // vegetated dries on
  EXPECT_EQ(mc::next_smd_mm(-40.0, 0.0, 20.0, 1, lim), lim.max_mm);
  EXPECT_EQ(mc::next_smd_mm(-5.0, 50.0, 0.0, 1, lim), 0.0);  // never wetter than field capacity
}

TEST(RothC, MoistureDeficitTableOfTheDescription) {
  // Description Table (Rothamsted, vegetated all year, SMD 0 on 1 January).
  const double rain[12] = {74, 59, 62, 51, 52, 57, 34, 55, 58, 56, 75, 71};
  const double evap[12] = {8, 10, 27, 49, 83, 99, 103, 91, 69, 34, 16, 8};
  const double tsmd[12] = {0, 0, 0, 0, -10.25, -27.50, -44.94, -44.94, -38.69, -8.19, 0, 0};
  // b from these deficits (docs/rothc_checks.md §4.1).
  const double b[12] = {1, 1, 1, 1, 1, 0.758465, 0.2, 0.2, 0.400087, 1, 1, 1};
  const mc::RothCSite site = rothamsted_site();
  const mc::MoistureLimits lim = mc::moisture_limits(site);
  double smd = 0.0;
  for (int m = 0; m < 12; ++m) {
    smd = mc::next_smd_mm(smd, rain[m], evap[m], 1, lim);
    EXPECT_NEAR(smd, tsmd[m], 0.005 + 1e-9) << "month " << m + 1;
    EXPECT_NEAR(mc::rm_moisture(smd, lim, mc::MoistureOption::standard, 0.2), b[m], 5e-7)
        << "month " << m + 1;
  }
}

TEST(RothC, StandardOptionUsesMinRmMoistOfPointTwoWhateverTheInput) {
  mc::RothCSite site = rothamsted_site();
  site.min_rm_moist = 0.5;
  EXPECT_EQ(mc::make_rothc_model(site).min_rm_moist, 0.2);
}

TEST(RothC, VanGenuchtenLimitsAreOrderedAndFollowTheOptions) {
  mc::RothCSite site = rothamsted_site();
  site.silt_pct = 58.6;
  site.bd_g_cm3 = 1.27;
  site.oc_pct = 0.94;
  site.min_rm_moist = 0.2;
  const mc::VanGenuchtenWater w = mc::wosten_water_contents(23.4, 58.6, 1.27, 0.94);
  EXPECT_GT(w.theta_s, w.field_capacity);
  EXPECT_GT(w.field_capacity, w.one_bar);
  EXPECT_GT(w.one_bar, w.fifteen_bar);
  EXPECT_GT(w.fifteen_bar, w.thousand_bar);
  EXPECT_GT(w.thousand_bar, w.theta_r);

  site.moisture_option = mc::MoistureOption::van_genuchten_drier;
  const mc::MoistureLimits drier = mc::moisture_limits(site);
  EXPECT_LT(drier.dry_limit_mm, drier.max_mm);
  EXPECT_LT(drier.max_mm, drier.one_bar_mm);
  EXPECT_LT(drier.one_bar_mm, 0.0);
  EXPECT_NEAR(drier.max_mm, (w.fifteen_bar - w.field_capacity) * 10.0 * 23.0, 1e-12);
  // Bare limit (option 1 with van Genuchten): max - (0.6388/0.8)(max - one_bar), which is
  // close to 0.556·max when one_bar = 0.444·max (1 - 0.7985·0.556 = 0.55603).
  EXPECT_NEAR(drier.bare_mm, drier.max_mm - 0.6388 / 0.8 * (drier.max_mm - drier.one_bar_mm),
              1e-12);
  // Option 2: b is minRM past wilting point; option 3 caps the deficit at wilting point.
  EXPECT_EQ(mc::rm_moisture(drier.max_mm - 1.0, drier, site.moisture_option, 0.2), 0.2);
  site.moisture_option = mc::MoistureOption::van_genuchten;
  const mc::MoistureLimits vg = mc::moisture_limits(site);
  EXPECT_EQ(vg.dry_limit_mm, vg.max_mm);
  site.bare_soil_option = mc::BareSoilOption::wilting_point;
  EXPECT_EQ(mc::moisture_limits(site).bare_mm, vg.max_mm);
}

// ---- radiocarbon, IOM ------------------------------------------------------------------------

TEST(RothC, FalloonIomOfHoosfield) {
  // Description: Hoosfield SOC 33.8 t C/ha "includes 2.7 t C/ha IOM"; 0.049·33.8^1.139 = 2.7017.
  EXPECT_NEAR(mc::iom_falloon_tC_ha(33.8), 2.7, 0.005);
  EXPECT_NEAR(mc::iom_falloon_tC_ha(33.8), 2.7017, 5e-5);
  EXPECT_NEAR(mc::iom_falloon_tC_ha(20.0), 1.4862, 5e-5);
  EXPECT_EQ(mc::iom_falloon_tC_ha(0.0), 0.0);
}

TEST(RothC, HoosfieldEquilibriumAgesAggregateToPublishedTotal) {
  // Description Part 2, Hoosfield equilibrium 31 Dec 1851 (C, age, Δ14C per pool and total).
  mc::RothCPools pools;
  pools.dpm_tC_ha = 0.1533;
  pools.rpm_tC_ha = 4.4852;
  pools.bio_tC_ha = 0.6671;
  pools.hum_tC_ha = 25.8576;
  pools.iom_tC_ha = 2.7;
  mc::RothCAges ages;
  ages.dpm_yr = 0.10;
  ages.rpm_yr = 6.70;
  ages.bio_yr = 21.69;
  ages.hum_yr = 116.88;
  EXPECT_NEAR(pools.soc_tC_ha(), 33.8632, 1e-9);
  const double age = mc::total_radiocarbon_age_yr(pools, ages);
  EXPECT_NEAR(age, 764.37, 0.01);
  EXPECT_NEAR(mc::delta14c_permil(age), -90.75, 0.01);
  EXPECT_NEAR(mc::delta14c_permil(0.10), -0.01, 0.006);
  EXPECT_NEAR(mc::delta14c_permil(6.70), -0.83, 0.006);
  EXPECT_NEAR(mc::delta14c_permil(21.69), -2.69, 0.006);
  EXPECT_NEAR(mc::delta14c_permil(116.88), -14.44, 0.006);
  EXPECT_NEAR(mc::delta14c_permil(mc::kIomAge_yr), -998.02, 0.006);
}

TEST(RothC, HoosfieldJanuaryStepOfTheDescription) {
  // Description Part 2, January 1852: no input, a·b·c = 0.3561, x = 3.51. Printed inputs and
  // outputs are rounded, hence 2e-4 t C/ha and 0.02 y (docs/rothc_checks.md §4.4).
  const mc::RothCModel model = mc::make_rothc_model(rothamsted_site());
  mc::RothCState state;
  state.pools.dpm_tC_ha = 0.1533;
  state.pools.rpm_tC_ha = 4.4852;
  state.pools.bio_tC_ha = 0.6671;
  state.pools.hum_tC_ha = 25.8576;
  state.pools.iom_tC_ha = 2.7;
  state.ages.dpm_yr = 0.10;
  state.ages.rpm_yr = 6.70;
  state.ages.bio_yr = 21.69;
  state.ages.hum_yr = 116.88;
  const mc::RothCPools before = state.pools;
  mc::RothCMonth jan = month(0.0, 0.0, 0.0, 1);
  mc::decompose_month(model, 0.3561, jan, state);
  const mc::RothCPools& p = state.pools;
  EXPECT_NEAR(p.dpm_tC_ha, 0.1140, 2e-4);
  EXPECT_NEAR(p.rpm_tC_ha, 4.4455, 2e-4);
  EXPECT_NEAR(p.bio_tC_ha, 0.6651, 2e-4);
  EXPECT_NEAR(p.hum_tC_ha, 25.8551, 2e-4);
  EXPECT_NEAR(before.dpm_tC_ha - p.dpm_tC_ha, 0.0393, 2e-4);
  EXPECT_NEAR(before.rpm_tC_ha - p.rpm_tC_ha, 0.0397, 2e-4);
  // Decomposed in all: 0.0393 + 0.0397 + 0.0129 + 0.0153; CO2 is x/(x+1) of it.
  const double x = model.co2_bio_hum_ratio;
  EXPECT_NEAR(state.co2_cum_tC_ha * (x + 1.0) / x, 0.1072, 4e-4);
  EXPECT_NEAR(state.ages.dpm_yr, 0.19, 0.02);
  EXPECT_NEAR(state.ages.rpm_yr, 6.78, 0.02);
  EXPECT_NEAR(state.ages.bio_yr, 21.78, 0.02);
  EXPECT_NEAR(state.ages.hum_yr, 116.91, 0.02);
  EXPECT_NEAR(mc::delta14c_permil(state.ages.dpm_yr), -0.02, 0.006);
  EXPECT_NEAR(mc::delta14c_permil(state.ages.hum_yr), -14.45, 0.006);
}

// ---- properties ------------------------------------------------------------------------------

TEST(RothC, CarbonIsConservedInputsMinusCo2) {
  const mc::RothCModel model = mc::make_rothc_model(rothamsted_site());
  mc::RothCState state = mc::initial_state(model.site);
  double added = 0.0;
  std::vector<mc::RothCMonth> months;
  for (int m = 0; m < 120; ++m) {
    mc::RothCMonth f = month(5.0 + 10.0 * std::sin(m * 0.5236), 60.0, 20.0 + 8.0 * (m % 12), m % 2,
                             m % 12 == 7 ? 2.0 : 0.0);
    f.fym_tC_ha = m % 12 == 2 ? 1.5 : 0.0;
    added += f.plant_input_tC_ha + f.fym_tC_ha;
    months.push_back(f);
  }
  const mc::RothCRun run = mc::run_rothc(model, state, months);
  EXPECT_NEAR(run.final_state.pools.soc_tC_ha() - state.pools.soc_tC_ha(),
              added - run.final_state.co2_cum_tC_ha, 1e-12);
  EXPECT_EQ(run.yearly.size(), 10u);
}

TEST(RothC, InertBiocharLeavesTheOfficialPoolsUnchanged) {
  mc::RothCSite site = rothamsted_site();
  const mc::RothCModel plain = mc::make_rothc_model(site);
  std::vector<mc::RothCMonth> months(120, month(9.0, 60.0, 50.0, 1, 0.2));
  std::vector<mc::RothCMonth> with_biochar = months;
  with_biochar[3].biochar_tC_ha = 5.0;
  const mc::RothCState start = mc::initial_state(site);
  const mc::RothCRun a = mc::run_rothc(plain, start, months);
  const mc::RothCRun b = mc::run_rothc(plain, start, with_biochar);
  EXPECT_EQ(a.final_state.pools.hum_tC_ha, b.final_state.pools.hum_tC_ha);
  EXPECT_EQ(a.final_state.co2_cum_tC_ha, b.final_state.co2_cum_tC_ha);
  EXPECT_EQ(b.final_state.pools.biochar_tC_ha, 5.0);
  EXPECT_EQ(b.final_state.pools.soc_tC_ha(), a.final_state.pools.soc_tC_ha() + 5.0);
}

TEST(RothC, BiocharDecaysToItsPermanenceFraction) {
  // IPCC 2019 form: fraction left after 100 years F_perm = exp(-100 k); take F_perm = 0.8.
  mc::RothCSite site = rothamsted_site();
  site.biochar_rate_per_yr = -std::log(0.8) / 100.0;
  const mc::RothCModel model = mc::make_rothc_model(site);
  mc::RothCState start = mc::initial_state(site);
  start.pools.biochar_tC_ha = 10.0;
  const std::vector<mc::RothCMonth> months(1200, month(-10.0, 60.0, 10.0, 1));  // frozen soil
  const mc::RothCRun run = mc::run_rothc(model, start, months);
  EXPECT_NEAR(run.final_state.pools.biochar_tC_ha, 8.0, 1e-12);
  EXPECT_NEAR(run.final_state.co2_cum_tC_ha, 2.0, 1e-12);
}
