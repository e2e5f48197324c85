// Scheme economics against closed forms (constant rates): annuity and growing-annuity present
// values, NPV, both costs per t CO2e, break-even and saturation years.
#include <gtest/gtest.h>

#include <cmath>

#include "minecarbon/plan/economics.h"

namespace minecarbon::plan {
namespace {

SchemeFlows constant_flows(int horizon, double capex, double works, double gain, double opex,
                           double other) {
  SchemeFlows f;
  f.capex_yuan = capex;
  f.works_co2e_t = works;
  f.gain_tC.assign(horizon + 1, gain);
  f.opex_yuan.assign(horizon + 1, opex);
  f.other_benefit_yuan.assign(horizon + 1, other);
  return f;
}

// Σ_{t=1..n} q^t
double geometric(double q, int n) {
  return q * (1.0 - std::pow(q, n)) / (1.0 - q);
}

TEST(SchemeEconomics, RefusesWrongSizesAndRates) {
  EconomicSettings s;
  s.horizon_yr = 5;
  SchemeFlows f = constant_flows(4, 0, 0, 1, 0, 0);
  EXPECT_THROW(scheme_economics(f, s), std::invalid_argument);
  s.discount_rate_pct = -100;
  EXPECT_THROW(scheme_economics(constant_flows(5, 0, 0, 1, 0, 0), s), std::invalid_argument);
}

TEST(SchemeEconomics, ZeroRatesAreSums) {
  EconomicSettings s;
  s.horizon_yr = 10;
  s.carbon_price_yuan_tco2e = 50;
  const auto e = scheme_economics(constant_flows(10, 1000, 3, 2, 100, 7), s);
  EXPECT_DOUBLE_EQ(e.total_gain_tC, 20.0);
  EXPECT_NEAR(e.net_co2e_t, 20.0 * 44.0 / 12.0 - 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(e.pv_cost_yuan, 2000.0);
  EXPECT_NEAR(e.pv_carbon_yuan, 50.0 * e.net_co2e_t, 1e-9);
  EXPECT_DOUBLE_EQ(e.pv_other_yuan, 70.0);
  EXPECT_NEAR(e.cost_per_tco2e_yuan, 2000.0 / e.net_co2e_t, 1e-12);
  EXPECT_NEAR(e.levelised_cost_per_tco2e_yuan, e.cost_per_tco2e_yuan, 1e-12);
}

TEST(SchemeEconomics, ConstantRatesMatchClosedForms) {
  const int n = 30;
  const double r = 0.05, g = 0.02, p0 = 80.0, k = 12000.0, w = 4.5, c = 1.8, o = 300.0, b = 40.0;
  EconomicSettings s;
  s.horizon_yr = n;
  s.discount_rate_pct = 100 * r;
  s.price_change_pct = 100 * g;
  s.carbon_price_yuan_tco2e = p0;
  const auto e = scheme_economics(constant_flows(n, k, w, c, o, b), s);
  const double annuity = (1.0 - std::pow(1.0 + r, -n)) / r;
  const double growing = geometric((1.0 + g) / (1.0 + r), n);
  const double co2 = c * 44.0 / 12.0;
  const double pv_cost = k + o * annuity;
  const double pv_carbon = p0 * (co2 * growing - w);
  const double pv_other = b * annuity;
  auto rel = [](double a, double b) { return std::abs(a - b) / std::abs(b); };
  EXPECT_LT(rel(e.pv_cost_yuan, pv_cost), 1e-12);
  EXPECT_LT(rel(e.pv_carbon_yuan, pv_carbon), 1e-12);
  EXPECT_LT(rel(e.pv_other_yuan, pv_other), 1e-12);
  EXPECT_LT(rel(e.npv_yuan, pv_carbon + pv_other - pv_cost), 1e-12);
  EXPECT_LT(rel(e.cost_per_tco2e_yuan, pv_cost / (n * co2 - w)), 1e-12);
  EXPECT_LT(rel(e.levelised_cost_per_tco2e_yuan, pv_cost / (co2 * annuity - w)), 1e-12);
  EXPECT_LT(rel(e.years[n].carbon_price_yuan_tco2e, p0 * std::pow(1 + g, n)), 1e-12);
}

TEST(SchemeEconomics, BreakEvenIsTheFirstYearOfNonNegativeCumulativeNpv) {
  // capex 1000, gain 0.3 t C = 1.1 t CO2e a year at 100 yuan, no discounting: 990 after year 9,
  // 1100 after year 10.
  EconomicSettings s;
  s.horizon_yr = 20;
  s.carbon_price_yuan_tco2e = 100;
  auto e = scheme_economics(constant_flows(20, 1000, 0, 0.3, 0, 0), s);
  EXPECT_EQ(e.break_even_year, 10);
  s.carbon_price_yuan_tco2e = 10;
  e = scheme_economics(constant_flows(20, 1000, 0, 0.3, 0, 0), s);
  EXPECT_EQ(e.break_even_year, -1);
}

TEST(SchemeEconomics, SaturationYearStartsTheFinalRunOfSmallGains) {
  EconomicSettings s;
  s.horizon_yr = 10;
  SchemeFlows f = constant_flows(10, 0, 0, 0, 0, 0);
  for (int t = 1; t <= 6; ++t)
    f.gain_tC[t] = 2.0;
  f.gain_tC[7] = 0.05;  // < 5 % of 2
  const auto e = scheme_economics(f, s);
  EXPECT_EQ(e.saturation_year, 7);
  f.gain_tC[10] = 1.0;  // gains resume: no saturation within the horizon
  EXPECT_EQ(scheme_economics(f, s).saturation_year, -1);
}

TEST(SchemeEconomics, NoAbatementGivesNaNCostPerTonne) {
  EconomicSettings s;
  s.horizon_yr = 3;
  const auto e = scheme_economics(constant_flows(3, 100, 50, 1, 0, 0), s);  // 11 t < 50 t
  EXPECT_TRUE(e.no_abatement);
  EXPECT_TRUE(std::isnan(e.cost_per_tco2e_yuan));
}

}  // namespace
}  // namespace minecarbon::plan
