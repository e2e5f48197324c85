// RothC steady states: the official spin-up loop against the exact periodic equilibrium, the
// inverse (plant input for a measured SOC) and the batch engine against the scalar model.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/carbon/rothc_batch.h"
#include "minecarbon/carbon/rothc_input.h"
#include "minecarbon/core/errors.h"
#include "test_rothc_support.h"

namespace mc = minecarbon::carbon;

namespace {

mc::RothCInput example_v2() {
  return mc::read_rothc_input_file(rothc_test::data_path("RothC_R_v2.0.0/RothC_input.dat")).input;
}

std::span<const mc::RothCMonth> first_year(const mc::RothCInput& input) {
  return std::span<const mc::RothCMonth>(input.months).first(12);
}

double max_pool_diff(const mc::RothCPools& a, const mc::RothCPools& b) {
  return std::max({std::abs(a.dpm_tC_ha - b.dpm_tC_ha), std::abs(a.rpm_tC_ha - b.rpm_tC_ha),
                   std::abs(a.bio_tC_ha - b.bio_tC_ha), std::abs(a.hum_tC_ha - b.hum_tC_ha)});
}

}  // namespace

TEST(RothCEquilibrium, ExactSteadyStateIsAFixedPointOfTheYear) {
  const mc::RothCInput input = example_v2();
  const mc::RothCModel model = mc::make_rothc_model(input.site);
  const mc::RothCSpinUp exact = mc::spin_up(model, first_year(input), mc::SpinUpMethod::exact);
  EXPECT_LT(exact.fixed_point_residual_tC_ha, 1e-12);
  // One more year of the official step from the exact state returns to it.
  const mc::RothCRun year = mc::run_rothc(model, exact.state, first_year(input));
  EXPECT_LT(max_pool_diff(year.final_state.pools, exact.state.pools), 1e-12);
  EXPECT_EQ(year.final_state.smd_mm, exact.state.smd_mm);
  EXPECT_NEAR(year.yearly.back().delta14c_permil, exact.delta14c_permil, 1e-9);
  EXPECT_NEAR(year.final_state.ages.hum_yr, exact.state.ages.hum_yr, 1e-9);
}

TEST(RothCEquilibrium, OfficialLoopStopsShortOfExactByTheDocumentedAmount) {
  // docs/rothc_checks.md §3: running the v2 example on to a tolerance of 1e-12 raises the
  // equilibrium SOC by 1.40e-4 t C/ha, mostly in HUM.
  const mc::RothCInput input = example_v2();
  const mc::RothCModel model = mc::make_rothc_model(input.site);
  const mc::RothCSpinUp exact = mc::spin_up(model, first_year(input), mc::SpinUpMethod::exact);
  const mc::RothCSpinUp official =
      mc::spin_up(model, first_year(input), mc::SpinUpMethod::official_loop);
  const double gap = exact.state.pools.soc_tC_ha() - official.state.pools.soc_tC_ha();
  EXPECT_NEAR(gap, 1.40e-4, 0.05e-4);
  EXPECT_GT(official.fixed_point_residual_tC_ha, 1e-7);  // not at the fixed point
  // The loop itself converges to the exact solution when run on.
  mc::SpinUpOptions tight;
  tight.tolerance_tC_ha = 1e-12;
  const mc::RothCSpinUp long_run =
      mc::spin_up(model, first_year(input), mc::SpinUpMethod::official_loop, tight);
  EXPECT_GT(long_run.months, official.months);
  EXPECT_LT(max_pool_diff(long_run.state.pools, exact.state.pools), 1e-9);
  EXPECT_NEAR(long_run.delta14c_permil, exact.delta14c_permil, 1e-6);
}

TEST(RothCEquilibrium, SimulationWithExactSpinUpStaysWithinTheGapOfTheOfficial) {
  const mc::RothCInput input = example_v2();
  const mc::RothCSimulation exact = mc::simulate_rothc(input, mc::SpinUpMethod::exact);
  const mc::RothCSimulation official = mc::simulate_rothc(input, mc::SpinUpMethod::official_loop);
  ASSERT_EQ(exact.run.monthly.size(), official.run.monthly.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < exact.run.monthly.size(); ++i) {
    worst = std::max(worst, std::abs(exact.run.monthly[i].pools.soc_tC_ha() -
                                     official.run.monthly[i].pools.soc_tC_ha()));
  }
  EXPECT_GT(worst, 0.0);
  EXPECT_LT(worst, 1.5e-4);
  EXPECT_EQ(exact.spin_up.months, 0);
}

TEST(RothCEquilibrium, NoSteadyStateWhenEveryMonthIsFrozen) {
  mc::RothCInput input = example_v2();
  for (int m = 0; m < 12; ++m)
    input.months[m].temp_C = -8.0;
  const mc::RothCModel model = mc::make_rothc_model(input.site);
  try {
    mc::spin_up(model, first_year(input), mc::SpinUpMethod::exact);
    FAIL() << "expected DataError";
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("no steady state"), std::string::npos) << e.what();
  }
}

TEST(RothCEquilibrium, SpinUpNeedsExactlyTwelveRows) {
  const mc::RothCInput input = example_v2();
  const mc::RothCModel model = mc::make_rothc_model(input.site);
  EXPECT_THROW(mc::spin_up(model, std::span<const mc::RothCMonth>(input.months).first(11),
                           mc::SpinUpMethod::exact),
               minecarbon::DataError);
}

// ---- inverse ---------------------------------------------------------------------------------

TEST(RothCInverse, RecoversThePlantInputOfTheOfficialExample) {
  // Planted answer: the example puts 1.74 t C/ha in August; its exact equilibrium SOC must give
  // 1.74 back.
  const mc::RothCInput input = example_v2();
  const mc::RothCModel model = mc::make_rothc_model(input.site);
  const double soc =
      mc::spin_up(model, first_year(input), mc::SpinUpMethod::exact).state.pools.soc_tC_ha();
  const mc::PlantInputSolution sol =
      mc::plant_input_for_equilibrium_soc(input.site, first_year(input), soc);
  EXPECT_NEAR(sol.plant_input_tC_ha_yr, 1.74, 1e-10);
  EXPECT_NEAR(sol.closed_form_tC_ha_yr, sol.plant_input_tC_ha_yr, 1e-10);
  EXPECT_NEAR(sol.soc_tC_ha, soc, 1e-10);
  EXPECT_GT(sol.iterations, 0);
}

TEST(RothCInverse, FalloonIomIsTakenFromTheTarget) {
  const mc::RothCInput input = example_v2();
  const mc::PlantInputSolution sol =
      mc::plant_input_for_equilibrium_soc(input.site, first_year(input), 50.0, true);
  EXPECT_NEAR(sol.iom_tC_ha, 0.049 * std::pow(50.0, 1.139), 1e-12);
  EXPECT_NEAR(sol.soc_tC_ha, 50.0, 1e-10);
  EXPECT_NEAR(sol.closed_form_tC_ha_yr, sol.plant_input_tC_ha_yr, 1e-10);
  // Check the root with the forward model: spread the input like the example (all in August).
  mc::RothCSite site = input.site;
  site.iom_tC_ha = sol.iom_tC_ha;
  std::vector<mc::RothCMonth> rows(input.months.begin(), input.months.begin() + 12);
  rows[7].plant_input_tC_ha = sol.plant_input_tC_ha_yr;
  const mc::RothCSpinUp check =
      mc::spin_up(mc::make_rothc_model(site), rows, mc::SpinUpMethod::exact);
  EXPECT_NEAR(check.state.pools.soc_tC_ha(), 50.0, 1e-9);
}

TEST(RothCInverse, RejectsATargetBelowTheInertPool) {
  const mc::RothCInput input = example_v2();
  try {
    mc::plant_input_for_equilibrium_soc(input.site, first_year(input), 2.0);
    FAIL() << "expected DataError";
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("target SOC 2 t C/ha is below 3.0041"), std::string::npos)
        << e.what();
  }
}

TEST(RothCInverse, NeedsAMonthlyPatternOfPlantInput) {
  mc::RothCInput input = example_v2();
  for (int m = 0; m < 12; ++m)
    input.months[m].plant_input_tC_ha = 0.0;
  try {
    mc::plant_input_for_equilibrium_soc(input.site, first_year(input), 40.0);
    FAIL() << "expected DataError";
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("no plant input"), std::string::npos) << e.what();
  }
}

// ---- batch ------------------------------------------------------------------------------------

TEST(RothCBatch, MatchesTheScalarModelCellByCell) {
  // 37 cells (not a multiple of the 8 lanes), seeded random soils and climates.
  const mc::RothCInput example = example_v2();
  std::mt19937_64 rng(20240521);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  const std::size_t cells = 37;
  std::vector<mc::RothCSite> sites;
  std::vector<mc::RothCMonth> months;
  for (std::size_t c = 0; c < cells; ++c) {
    mc::RothCSite site = example.site;
    site.clay_pct = 5.0 + 50.0 * u01(rng);
    site.depth_cm = 15.0 + 20.0 * u01(rng);
    site.iom_tC_ha = 4.0 * u01(rng);
    sites.push_back(site);
    for (int m = 0; m < 12; ++m) {
      mc::RothCMonth f = example.months[m];
      f.temp_C += 8.0 * (u01(rng) - 0.5);
      f.rain_mm *= 0.3 + 1.4 * u01(rng);
      f.pan_evap_mm *= 0.5 + u01(rng);
      f.plant_input_tC_ha = u01(rng) < 0.3 ? 1.5 * u01(rng) : 0.0;
      f.fym_tC_ha = m == 2 && c % 3 == 0 ? 2.0 : 0.0;
      f.plant_cover = u01(rng) < 0.7 ? 1 : 0;
      months.push_back(f);
    }
  }
  mc::RothCBatch batch = mc::make_rothc_batch(sites, months);
  mc::equilibrate_rothc_batch(batch);
  const int years = 30;
  std::vector<double> soc(cells * years);
  // Equilibrium first, then perturb half the cells to test the transient too.
  for (std::size_t c = 0; c < cells; c += 2)
    batch.hum_tC_ha[c] *= 0.5;
  mc::run_rothc_batch(batch, years, soc);

  double worst = 0.0;
  for (std::size_t c = 0; c < cells; ++c) {
    const mc::RothCModel model = mc::make_rothc_model(sites[c]);
    const std::span<const mc::RothCMonth> year(months.data() + 12 * c, 12);
    mc::RothCState state = mc::spin_up(model, year, mc::SpinUpMethod::exact).state;
    if (c % 2 == 0) state.pools.hum_tC_ha *= 0.5;
    std::vector<mc::RothCMonth> repeated;
    for (int y = 0; y < years; ++y)
      repeated.insert(repeated.end(), year.begin(), year.end());
    const mc::RothCRun run = mc::run_rothc(model, state, repeated);
    for (int y = 0; y < years; ++y) {
      const double expected = run.yearly[y].pools.soc_tC_ha();
      EXPECT_NEAR(soc[c * years + y], expected, 1e-11) << "cell " << c << " year " << y;
      worst = std::max(worst, std::abs(soc[c * years + y] - expected));
    }
    EXPECT_LT(max_pool_diff(mc::rothc_batch_pools(batch, c), run.final_state.pools), 1e-11);
    EXPECT_NEAR(batch.co2_cum_tC_ha[c], run.final_state.co2_cum_tC_ha, 1e-10);
  }
  std::printf("[ batch ] max |SOC batch - scalar| over %zu cells x %d years: %.3g t C/ha\n", cells,
              years, worst);
}

TEST(RothCBatch, RejectsRowsNotTwelvePerCell) {
  const mc::RothCInput example = example_v2();
  const std::vector<mc::RothCSite> sites(2, example.site);
  EXPECT_THROW(
      mc::make_rothc_batch(sites, std::span<const mc::RothCMonth>(example.months).first(12)),
      minecarbon::DataError);
}
