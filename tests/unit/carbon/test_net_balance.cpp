// The net balance of one mine: components by hand, the ecosystem basis of every year, the
// neutral year and its interpolation, each status.
#include <gtest/gtest.h>

#include <limits>

#include "minecarbon/carbon/net_balance.h"

namespace minecarbon::carbon {
namespace {

constexpr double k = 44.0 / 12.0;

const NetBalanceYear& year_of(const NetBalance& b, int year) {
  for (const auto& y : b.years)
    if (y.year == year) return y;
  throw std::out_of_range("no year " + std::to_string(year));
}

TEST(NetBalance, NothingGivenIsNoData) {
  const NetBalance b = net_balance({}, 2060);
  EXPECT_TRUE(b.years.empty());
  EXPECT_EQ(b.status, NeutralityStatus::no_data);
  EXPECT_FALSE(b.carbon_neutral_year);
  EXPECT_FALSE(b.neutral_year_interp);
}

TEST(NetBalance, ValuesOnlyAfterTheHorizonAreNoData) {
  MineCarbonSeries s;
  s.process_co2e_t = {{2070, 5.0}, {2071, 5.0}};
  const NetBalance b = net_balance(s, 2060);
  EXPECT_EQ(b.status, NeutralityStatus::no_data);
  EXPECT_EQ(b.values_outside_account, 2);
}

TEST(NetBalance, OnlyProcessEmissionsRunToTheHorizonAndAreNeverNeutral) {
  MineCarbonSeries s;
  s.process_co2e_t = {{2020, 100.0}, {2021, 50.0}};
  const NetBalance b = net_balance(s, 2023);
  ASSERT_EQ(b.years.size(), 4u);  // 2020..2023, the two last without a value
  EXPECT_EQ(b.years[0].year, 2020);
  EXPECT_EQ(b.years[3].cumulative_net_emission_co2e_t, 150.0);
  EXPECT_EQ(b.years[2].net_emission_co2e_t, 0.0);
  for (const auto& y : b.years)
    EXPECT_EQ(y.basis, EcosystemBasis::none);
  EXPECT_EQ(b.status, NeutralityStatus::not_within_horizon);
  EXPECT_FALSE(b.carbon_neutral_year);
  EXPECT_FALSE(b.first_net_removal_year);
  EXPECT_EQ(b.process_emission_co2e_t, 150.0);
  EXPECT_EQ(b.net_emission_co2e_t, 150.0);
  EXPECT_EQ(b.years_no_basis, 4);
}

TEST(NetBalance, AClearingLossIsSpreadEvenlyOverTheYearsOfItsPair) {
  MineCarbonSeries s;
  s.map_pairs = {{2000, 2010, -12.0, 0.0}};  // 12 t C lost over ten years
  const NetBalance b = net_balance(s, 2010);
  ASSERT_EQ(b.years.size(), 10u);  // 2001..2010: the first map date carries nothing
  EXPECT_EQ(b.years.front().year, 2001);
  for (const auto& y : b.years) {
    EXPECT_NEAR(y.clearing_emission_co2e_t, 1.2 * k, 1e-12) << y.year;
    EXPECT_EQ(y.basis, EcosystemBasis::landuse);
  }
  EXPECT_NEAR(b.clearing_emission_co2e_t, 44.0, 1e-12);
  EXPECT_NEAR(b.years.back().cumulative_net_emission_co2e_t, 44.0, 1e-12);
}

TEST(NetBalance, APairCrossingTheHorizonCountsOnlyItsYearsInside) {
  MineCarbonSeries s;
  s.map_pairs = {{2000, 2010, -10.0, 0.0}};
  const NetBalance b = net_balance(s, 2005);
  ASSERT_EQ(b.years.size(), 5u);
  EXPECT_NEAR(b.clearing_emission_co2e_t, 5.0 * k, 1e-12);
  EXPECT_EQ(b.values_outside_account, 5);
}

// NEP in 2001-2005, maps 2000 → 2010 (loss and gain), vegetation projected 2008-2015, soil
// 2011-2012: each year takes one basis and the values of the others are left out.
TEST(NetBalance, EachYearTakesOneEcosystemBasis) {
  MineCarbonSeries s;
  for (int year = 2001; year <= 2005; ++year)
    s.nep_change_MgC_yr.push_back({year, -3.0});
  s.map_pairs = {{2000, 2010, -6.0, 30.0}};
  for (int year = 2008; year <= 2015; ++year)
    s.vegetation_sink_tC_yr.push_back({year, 2.0});
  s.soil_sequestration_tC_yr = {{2011, 1.0}, {2012, 1.0}};
  const NetBalance b = net_balance(s, 2017);
  ASSERT_EQ(b.last_observed_year, 2010);
  ASSERT_EQ(b.years.front().year, 2001);
  ASSERT_EQ(b.years.back().year, 2017);
  for (int year = 2001; year <= 2005; ++year) {
    const auto& y = year_of(b, year);
    EXPECT_EQ(y.basis, EcosystemBasis::nep) << year;
    EXPECT_NEAR(y.foregone_sink_co2e_t, 3.0 * k, 1e-12);      // −H · 44/12, H = −3
    EXPECT_NEAR(y.clearing_emission_co2e_t, 0.6 * k, 1e-12);  // losses always count
    EXPECT_EQ(y.landuse_gain_removal_co2e_t, 0.0);            // the gain is ignored
    EXPECT_NEAR(y.not_counted_removal_co2e_t, -3.0 * k, 1e-12);
  }
  for (int year = 2006; year <= 2010; ++year) {
    const auto& y = year_of(b, year);
    EXPECT_EQ(y.basis, EcosystemBasis::landuse) << year;
    EXPECT_NEAR(y.landuse_gain_removal_co2e_t, -3.0 * k, 1e-12);
    EXPECT_EQ(y.foregone_sink_co2e_t, 0.0);
    EXPECT_EQ(y.restoration_removal_co2e_t, 0.0);
  }
  // 2008-2010: the projection overlaps the maps and is not counted.
  EXPECT_NEAR(year_of(b, 2009).not_counted_removal_co2e_t, -2.0 * k, 1e-12);
  EXPECT_EQ(b.projection_years_not_counted, 3);
  EXPECT_EQ(year_of(b, 2011).basis, EcosystemBasis::projection);
  EXPECT_NEAR(year_of(b, 2011).restoration_removal_co2e_t, -3.0 * k, 1e-12);  // 2 + 1 t C
  EXPECT_NEAR(year_of(b, 2013).restoration_removal_co2e_t, -2.0 * k, 1e-12);
  EXPECT_EQ(year_of(b, 2011).clearing_emission_co2e_t, 0.0);
  EXPECT_EQ(year_of(b, 2016).basis, EcosystemBasis::none);  // the projection ended in 2015
  EXPECT_EQ(b.years_nep, 5);
  EXPECT_EQ(b.years_landuse, 5);
  EXPECT_EQ(b.years_projection, 5);
  EXPECT_EQ(b.years_no_basis, 2);
  // Totals by hand: 5·3 + 6 + (−15) + (−(5·2 + 2)) t C (vegetation and soil, 2011-2015).
  EXPECT_NEAR(b.net_emission_co2e_t, (15.0 + 6.0 - 15.0 - 12.0) * k, 1e-9);
}

TEST(NetBalance, AGapBetweenObservationsHasNoBasis) {
  MineCarbonSeries s;
  s.nep_change_MgC_yr = {{2000, -1.0}, {2001, -1.0}};
  s.map_pairs = {{2005, 2007, 0.0, 4.0}};
  s.vegetation_sink_tC_yr = {{2003, 9.0}};  // before the last observed year: not counted
  const NetBalance b = net_balance(s, 2007);
  EXPECT_EQ(year_of(b, 2002).basis, EcosystemBasis::none);
  EXPECT_EQ(year_of(b, 2003).basis, EcosystemBasis::none);
  EXPECT_EQ(year_of(b, 2003).net_emission_co2e_t, 0.0);
  EXPECT_NEAR(year_of(b, 2003).not_counted_removal_co2e_t, -9.0 * k, 1e-12);
  EXPECT_EQ(year_of(b, 2006).basis, EcosystemBasis::landuse);
  EXPECT_EQ(b.years_no_basis, 4);  // 2002-2005: the first map date carries no flux
}

TEST(NetBalance, WithoutObservationsTheProjectionCountsFromItsFirstYear) {
  MineCarbonSeries s;
  s.vegetation_sink_tC_yr = {{2030, 3.0}, {2031, 3.0}};
  const NetBalance b = net_balance(s, 2031);
  ASSERT_EQ(b.years.size(), 2u);
  EXPECT_EQ(b.years[0].basis, EcosystemBasis::projection);
  EXPECT_EQ(b.status, NeutralityStatus::never_net_emitter);
  EXPECT_EQ(b.carbon_neutral_year, 2030);
  EXPECT_EQ(b.neutral_year_interp, 2030.0);
  EXPECT_EQ(b.first_net_removal_year, 2030);
}

TEST(NetBalance, FirstYearDropsEarlierValues) {
  MineCarbonSeries s;
  s.process_co2e_t = {{2000, 7.0}, {2001, 5.0}, {2002, 1.0}};
  const NetBalance b = net_balance(s, 2003, 2001);
  EXPECT_EQ(b.years.front().year, 2001);
  EXPECT_EQ(b.net_emission_co2e_t, 6.0);
  EXPECT_EQ(b.values_outside_account, 1);
}

TEST(NetBalance, NeutralWhenTheSinkRepaysTheDebt) {
  MineCarbonSeries s;
  s.process_co2e_t = {{2020, 10.0 * k}};
  for (int year = 2021; year <= 2030; ++year)
    s.vegetation_sink_tC_yr.push_back({year, 4.0});
  // Cumulative in t C: 10, 6, 2, −2, …: neutral in 2023, crossing half-way through it.
  const NetBalance b = net_balance(s, 2030);
  EXPECT_EQ(b.status, NeutralityStatus::neutral);
  EXPECT_EQ(b.carbon_neutral_year, 2023);
  ASSERT_TRUE(b.neutral_year_interp);
  EXPECT_NEAR(*b.neutral_year_interp, 2023.5, 1e-12);
  EXPECT_EQ(b.first_net_removal_year, 2021);
}

TEST(Neutrality, InterpolatesLinearlyWithinTheCrossingYear) {
  const Neutrality n = neutrality(2000, {10, -4, -4, -4});  // cumulative 10, 6, 2, −2
  EXPECT_EQ(n.status, NeutralityStatus::neutral);
  EXPECT_EQ(n.carbon_neutral_year, 2003);
  EXPECT_NEAR(*n.neutral_year_interp, 2003.0 + 2.0 / 4.0, 1e-12);
  EXPECT_EQ(n.first_net_removal_year, 2001);
}

TEST(Neutrality, ACumulativeOfExactlyZeroIsNeutralAtTheEndOfTheYear) {
  const Neutrality n = neutrality(2000, {4, -4});
  EXPECT_EQ(n.carbon_neutral_year, 2001);
  EXPECT_EQ(*n.neutral_year_interp, 2002.0);
}

TEST(Neutrality, TheNeutralYearIsTheLastCrossingWhenTheMineReEmits) {
  // Cumulative 10, −10, 5, −5: below zero in 2001 but back above in 2002.
  const Neutrality n = neutrality(2000, {10, -20, 15, -10});
  EXPECT_EQ(n.status, NeutralityStatus::neutral);
  EXPECT_EQ(n.carbon_neutral_year, 2003);
  EXPECT_NEAR(*n.neutral_year_interp, 2003.5, 1e-12);
  EXPECT_EQ(n.first_net_removal_year, 2001);
}

TEST(Neutrality, PositiveAtTheHorizonIsNotWithinTheHorizon) {
  const Neutrality n = neutrality(2000, {10, -20, 15});  // −10 then +5 at the horizon
  EXPECT_EQ(n.status, NeutralityStatus::not_within_horizon);
  EXPECT_FALSE(n.carbon_neutral_year);
  EXPECT_FALSE(n.neutral_year_interp);
  EXPECT_EQ(n.first_net_removal_year, 2001);
}

TEST(Neutrality, NeverAboveZeroIsNeverANetEmitter) {
  const Neutrality n = neutrality(2000, {-1, 0, 0.5, -3});  // −1, −1, −0.5, −3.5
  EXPECT_EQ(n.status, NeutralityStatus::never_net_emitter);
  EXPECT_EQ(n.carbon_neutral_year, 2000);
  EXPECT_EQ(*n.neutral_year_interp, 2000.0);
  EXPECT_EQ(n.first_net_removal_year, 2000);
}

TEST(Neutrality, NoYearsIsNoData) {
  EXPECT_EQ(neutrality(2000, {}).status, NeutralityStatus::no_data);
}

TEST(CheckSeries, RefusesOverlappingReversedAndWrongSignedPairsAndRepeatedYears) {
  MineCarbonSeries s;
  s.map_pairs = {{2000, 2010, -1, 1}, {2005, 2015, -1, 1}};
  EXPECT_NE(check_series(s).text.find("overlap"), std::string::npos) << check_series(s).text;
  EXPECT_EQ(check_series(s).component, SeriesComponent::map_pairs);
  s.map_pairs = {{2010, 2000, -1, 1}};
  EXPECT_NE(check_series(s).text.find("after year_from"), std::string::npos);
  s.map_pairs = {{2000, 2010, 1, 1}};
  EXPECT_NE(check_series(s).text.find("loss_tC"), std::string::npos);
  s.map_pairs = {{2000, 2010, -1, -1}};
  EXPECT_NE(check_series(s).text.find("gain_tC"), std::string::npos);
  s.map_pairs = {{2000, 2010, -1, 1}, {2010, 2020, -1, 1}};  // consecutive pairs touch
  EXPECT_TRUE(check_series(s).ok());
  EXPECT_EQ(check_series(s).text, "");
  s.nep_change_MgC_yr = {{2001, 1}, {2001, 2}};
  EXPECT_NE(check_series(s).text.find("year 2001 given twice"), std::string::npos);
  EXPECT_EQ(check_series(s).component, SeriesComponent::nep_change);
  EXPECT_THROW(net_balance(s, 2060), std::invalid_argument);
}

TEST(CheckSeries, NamesTheSeriesOfARepeatedYear) {
  MineCarbonSeries s;
  s.process_co2e_t = {{2001, 1}, {2001, 2}};
  EXPECT_EQ(check_series(s).component, SeriesComponent::process);
  s = {};
  s.vegetation_sink_tC_yr = {{2001, 1}, {2001, 2}};
  EXPECT_EQ(check_series(s).component, SeriesComponent::vegetation_sink);
  s = {};
  s.soil_sequestration_tC_yr = {{2001, 1}, {2001, 2}};
  EXPECT_EQ(check_series(s).component, SeriesComponent::soil_sequestration);
  EXPECT_NE(check_series(s).text.find("soil sequestration"), std::string::npos);
}

// Pairs 2000 → 2010 and 2010 → 2020 touch: 2010 is the last year of the first (y0 < Y ≤ y1).
TEST(NetBalance, TheYearTwoTouchingPairsShareBelongsToTheFirst) {
  MineCarbonSeries s;
  s.map_pairs = {{2000, 2010, -10.0, 20.0}, {2010, 2020, -40.0, 0.0}};
  const NetBalance b = net_balance(s, 2020);
  ASSERT_EQ(b.years.size(), 20u);
  EXPECT_NEAR(year_of(b, 2010).clearing_emission_co2e_t, 1.0 * k, 1e-12);
  EXPECT_NEAR(year_of(b, 2010).landuse_gain_removal_co2e_t, -2.0 * k, 1e-12);
  EXPECT_NEAR(year_of(b, 2011).clearing_emission_co2e_t, 4.0 * k, 1e-12);
  EXPECT_EQ(year_of(b, 2011).landuse_gain_removal_co2e_t, 0.0);
  EXPECT_NEAR(b.clearing_emission_co2e_t, 50.0 * k, 1e-9);
  EXPECT_EQ(b.years_landuse, 20);
}

// first_year 2005 inside the pair 2000 → 2010: 2005..2010 count 6 of its 10 yearly shares.
TEST(NetBalance, FirstYearInsideAPairCountsOnlyItsYearsFromThere) {
  MineCarbonSeries s;
  s.map_pairs = {{2000, 2010, -10.0, 0.0}};
  const NetBalance b = net_balance(s, 2012, 2005);
  ASSERT_EQ(b.years.front().year, 2005);
  ASSERT_EQ(b.years.size(), 8u);  // 2005..2012
  EXPECT_NEAR(b.clearing_emission_co2e_t, 6.0 * k, 1e-12);
  EXPECT_EQ(b.values_outside_account, 4);  // 2001..2004
  EXPECT_EQ(b.years_landuse, 6);
  EXPECT_EQ(b.years_no_basis, 2);
}

// NEP in 2010 and a vegetation projection of 2005-2006: 2005-2009 count nothing and leave the
// account, but the projection's values are still reported as not counted.
TEST(NetBalance, CutLeadingYearsStillReportTheirValuesAsNotCounted) {
  MineCarbonSeries s;
  s.nep_change_MgC_yr = {{2010, -1.0}};
  s.vegetation_sink_tC_yr = {{2005, 2.0}, {2006, 3.0}};
  const NetBalance b = net_balance(s, 2010);
  ASSERT_EQ(b.years.size(), 1u);
  EXPECT_EQ(b.years[0].year, 2010);
  EXPECT_NEAR(b.years[0].foregone_sink_co2e_t, 1.0 * k, 1e-12);
  EXPECT_NEAR(b.not_counted_removal_co2e_t, -5.0 * k, 1e-12);
  EXPECT_EQ(b.projection_years_not_counted, 2);
  EXPECT_EQ(b.values_outside_account, 0);
  EXPECT_NEAR(b.net_emission_co2e_t, 1.0 * k, 1e-12);
}

// A mine whose only values are 0 has data and never emitted: never_net_emitter from its first
// year (the documented rule), no net-removal year.
TEST(NetBalance, OnlyZeroValuesAreNeverANetEmitter) {
  MineCarbonSeries s;
  s.process_co2e_t = {{2020, 0.0}, {2021, 0.0}};
  const NetBalance b = net_balance(s, 2022);
  ASSERT_EQ(b.years.size(), 3u);
  EXPECT_EQ(b.status, NeutralityStatus::never_net_emitter);
  EXPECT_EQ(b.carbon_neutral_year, 2020);
  EXPECT_EQ(b.neutral_year_interp, 2020.0);
  EXPECT_FALSE(b.first_net_removal_year);
  EXPECT_EQ(b.net_emission_co2e_t, 0.0);
}

TEST(NetBalance, MissingValuesAreSkippedAndCounted) {
  MineCarbonSeries s;
  s.nep_change_MgC_yr = {{2001, std::numeric_limits<double>::quiet_NaN()}, {2002, -1.0}};
  const NetBalance b = net_balance(s, 2002);
  EXPECT_EQ(b.non_finite_values, 1);
  ASSERT_EQ(b.years.size(), 1u);
  EXPECT_EQ(b.years[0].year, 2002);
  EXPECT_EQ(b.years[0].basis, EcosystemBasis::nep);
  EXPECT_NEAR(b.years[0].foregone_sink_co2e_t, 1.0 * k, 1e-12);  // −H · 44/12, H = −1
  EXPECT_NEAR(b.net_emission_co2e_t, 1.0 * k, 1e-12);
}

}  // namespace
}  // namespace minecarbon::carbon
