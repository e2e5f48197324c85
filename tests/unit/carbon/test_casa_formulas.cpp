// CASA NPP, R_H and NEP formulas: the DERIVED test vectors of the methods note (docs/nep.md §7,
// re-derived here from the formulas), the T_opt pre-pass, the
// guards and the nodata rules of the block kernel.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "minecarbon/carbon/casa_fpar.h"
#include "minecarbon/carbon/casa_nep.h"
#include "minecarbon/carbon/casa_npp.h"
#include "minecarbon/carbon/casa_optimum_temperature.h"
#include "minecarbon/carbon/casa_stress.h"
#include "minecarbon/carbon/heterotrophic_respiration.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

using minecarbon::kNaN;

namespace mc = minecarbon::carbon;

namespace {

// Desert grassland extremes of Zhu Wenquan 2006 as tabulated by ChinaXiv:202106.00083 Table 1.
const mc::FparExtremes kDesertGrass{0.023, 0.634, 1.05, 4.46};

// One block of `n` cells whose 12 months hold the given per-month values for every cell.
struct OneYear {
  std::size_t n;
  std::vector<double> ndvi, t, p, sol;  // [month · n + cell]
  explicit OneYear(std::size_t cells)
      : n(cells),
        ndvi(12 * cells, 0.5),
        t(12 * cells, 20.0),
        p(12 * cells, 50.0),
        sol(12 * cells, 400.0) {}
  mc::CasaYearBlock<double> block(const double* t_opt, const std::int32_t* type) const {
    mc::CasaYearBlock<double> b;
    b.n_cells = n;
    for (std::size_t m = 0; m < 12; ++m) {
      b.ndvi[m] = ndvi.data() + m * n;
      b.t_C[m] = t.data() + m * n;
      b.precip_mm[m] = p.data() + m * n;
      b.sol_MJ_m2[m] = sol.data() + m * n;
    }
    b.t_opt_C = t_opt;
    b.type_idx = type;
    return b;
  }
};

}  // namespace

// --- degenerate inputs and guards ---------------------------------------------------------------

TEST(CasaFpar, NanNdviGivesNan) {
  EXPECT_TRUE(std::isnan(mc::fpar(kNaN, kDesertGrass)));
}

TEST(CasaFpar, ClampsToFparMinAndMaxOverTheWholeNdviRange) {
  EXPECT_DOUBLE_EQ(mc::fpar(1.0, kDesertGrass), 0.95);  // SR = +inf
  EXPECT_DOUBLE_EQ(mc::fpar(0.99, kDesertGrass), 0.95);
  EXPECT_DOUBLE_EQ(mc::fpar(-1.0, kDesertGrass), 0.001);
  EXPECT_DOUBLE_EQ(mc::fpar(0.0, kDesertGrass), 0.001);
  for (double ndvi = -1.0; ndvi <= 1.0; ndvi += 0.01) {
    const double f = mc::fpar(ndvi, kDesertGrass);
    EXPECT_GE(f, 0.001);
    EXPECT_LE(f, 0.95);
  }
}

TEST(CasaFpar, ZeroRangeExtremesAreRefusedNamingTheRow) {
  try {
    mc::check_fpar_extremes({0.5, 0.5, 1.05, 4.46}, "veg.csv:3");
    FAIL();
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("veg.csv:3: ndvi_max = 0.5 must be > ndvi_min = 0.5"),
              std::string::npos)
        << e.what();
  }
}

TEST(CasaStress, WaterStressIsOneHalfWithoutRain) {
  EXPECT_DOUBLE_EQ(mc::water_stress(0.0, 80.0), 0.5);  // P = 0 guard
  EXPECT_DOUBLE_EQ(mc::actual_evapotranspiration_mm(0.0, 50.0), 0.0);
}

TEST(CasaStress, FrozenMonthHasNoPotentialEvapotranspirationAndHalfWaterStress) {
  EXPECT_DOUBLE_EQ(mc::thornthwaite_heat_term(0.0), 0.0);
  EXPECT_DOUBLE_EQ(mc::thornthwaite_heat_term(-5.0), 0.0);
  EXPECT_DOUBLE_EQ(mc::thornthwaite_pet_mm(0.0, 50.0, 1.2), 0.0);
  EXPECT_DOUBLE_EQ(mc::thornthwaite_pet_mm(-3.0, 50.0, 1.2), 0.0);
  EXPECT_DOUBLE_EQ(mc::thornthwaite_pet_mm(5.0, 0.0, 0.49239), 0.0);  // I = 0
  EXPECT_DOUBLE_EQ(mc::water_stress(40.0, 0.0), 0.5);                 // Rn = 0 guard
}

TEST(CasaStress, ColdMonthStopsGrowthThroughTe1) {
  EXPECT_DOUBLE_EQ(mc::temperature_stress_1(20.0, -10.0), 0.0);
  EXPECT_DOUBLE_EQ(mc::temperature_stress_1(20.0, -25.0), 0.0);
  EXPECT_DOUBLE_EQ(mc::temperature_stress_1(20.0, -9.99), 1.0);
}

TEST(CasaStress, NanPropagates) {
  EXPECT_TRUE(std::isnan(mc::water_stress(kNaN, 50.0)));
  EXPECT_TRUE(std::isnan(mc::water_stress(50.0, kNaN)));
  EXPECT_TRUE(std::isnan(mc::thornthwaite_pet_mm(kNaN, 50.0, 1.2)));
  const std::vector<double> t{1, 2, 3, kNaN, 5, 6, 7, 8, 9, 10, 11, 12};
  EXPECT_TRUE(std::isnan(mc::thornthwaite_heat_index(t)));
}

// --- worked by hand ---------------------------------------------------------------------------

TEST(CasaStress, ThornthwaiteMatchesHandComputation) {
  // All 12 months at 10 °C: I = 12·2^1.514, a from the cubic, E_p0(10) = 16·(100/I)^a.
  const std::vector<double> t(12, 10.0);
  const double heat = mc::thornthwaite_heat_index(t);
  EXPECT_NEAR(heat, 12.0 * std::pow(2.0, 1.514), 1e-12);
  const double a = mc::thornthwaite_exponent(heat);
  EXPECT_NEAR(a, 6.75e-7 * std::pow(heat, 3) - 7.71e-5 * heat * heat + 1.792e-2 * heat + 0.49239,
              1e-12);
  EXPECT_NEAR(mc::thornthwaite_pet_mm(10.0, heat, a), 16.0 * std::pow(100.0 / heat, a), 1e-9);
  EXPECT_NEAR(mc::thornthwaite_pet_mm(10.0, heat, a, 1.1), 1.1 * 16.0 * std::pow(100.0 / heat, a),
              1e-9);
}

TEST(CasaStress, NetRadiationFormsAgree) {
  // Rn = (E·P)^0.5 · [0.369 + 0.598 (E/P)^0.5] (Zhou & Zhang 1995) equals the division-free form.
  for (double p : {1.0, 30.0, 250.0})
    for (double e : {0.5, 40.0, 160.0})
      EXPECT_NEAR(mc::regional_net_radiation_mm(p, e),
                  std::sqrt(e * p) * (0.369 + 0.598 * std::sqrt(e / p)), 1e-10);
}

TEST(CasaStress, EetEqualsRnOrPWhenTheOtherIsLarge) {
  // EET → Rn as P → ∞ and → P as Rn → ∞ (the formula is symmetric in P and Rn).
  EXPECT_NEAR(mc::actual_evapotranspiration_mm(1e9, 50.0), 50.0, 1e-5);
  EXPECT_NEAR(mc::actual_evapotranspiration_mm(50.0, 1e9), 50.0, 1e-5);
  EXPECT_DOUBLE_EQ(mc::actual_evapotranspiration_mm(20.0, 70.0),
                   mc::actual_evapotranspiration_mm(70.0, 20.0));
}

TEST(CasaStress, DaylengthFactorAtEquatorIsDaysOverThirtyAndPolarDayIsTwice) {
  EXPECT_NEAR(mc::thornthwaite_daylength_factor(0.0, 2001, 1), 31.0 / 30.0, 1e-12);
  EXPECT_NEAR(mc::thornthwaite_daylength_factor(0.0, 2000, 2), 29.0 / 30.0, 1e-12);
  EXPECT_NEAR(mc::thornthwaite_daylength_factor(0.0, 2001, 2), 28.0 / 30.0, 1e-12);
  EXPECT_NEAR(mc::thornthwaite_daylength_factor(89.0, 2001, 6), 2.0, 1e-12);  // 24 h of day
  EXPECT_NEAR(mc::thornthwaite_daylength_factor(89.0, 2001, 12), 0.0, 1e-12);
  // Northern summer days are longer than 12 h at 40° N, winter days shorter.
  EXPECT_GT(mc::thornthwaite_daylength_factor(40.0, 2001, 6), 1.0);
  EXPECT_LT(mc::thornthwaite_daylength_factor(40.0, 2001, 12), 1.0);
}

TEST(CasaFpar, ExtremesFromDataAreTheFifthAndNinetyFifthPercentilesAndSkipNan) {
  std::vector<double> ndvi;
  for (int k = 1; k <= 100; ++k)
    ndvi.push_back(k / 200.0);  // 0.005 … 0.5
  ndvi.push_back(kNaN);
  const mc::FparExtremes ext = mc::fpar_extremes_from_ndvi(ndvi, "type shrub");
  EXPECT_EQ(ext.ndvi_min, 5 / 200.0);   // rank ⌈0.05·100⌉ = 5
  EXPECT_EQ(ext.ndvi_max, 95 / 200.0);  // rank 95
  EXPECT_DOUBLE_EQ(ext.sr_min, mc::simple_ratio(5 / 200.0));
  EXPECT_DOUBLE_EQ(ext.sr_max, mc::simple_ratio(95 / 200.0));
  std::vector<double> flat(50, 0.3);
  EXPECT_THROW(mc::fpar_extremes_from_ndvi(flat, "type shrub"), minecarbon::DataError);
  std::vector<double> one{0.3, kNaN};
  EXPECT_THROW(mc::fpar_extremes_from_ndvi(one, "type shrub"), minecarbon::DataError);
}

// --- DERIVED test vectors of the methods note (docs/nep.md §7), to 1e-3 as printed ------------

TEST(CasaStress, TemperatureStressVectors) {
  EXPECT_NEAR(mc::temperature_stress_1(20.0, 20.0), 1.0000, 1e-3);
  EXPECT_NEAR(mc::temperature_stress_1(25.0, 25.0), 0.9875, 1e-3);
  EXPECT_NEAR(mc::temperature_stress_2(20.0, 15.0), 0.8542, 1e-3);
  EXPECT_NEAR(mc::temperature_stress_2(20.0, 20.0), 0.9912, 1e-3);
  EXPECT_NEAR(mc::temperature_stress_2(20.0, 25.0), 0.9201, 1e-3);
  EXPECT_NEAR(mc::temperature_stress_2(20.0, 30.0), 0.5801, 1e-3);
  // Half-value rule: 5 < 20 − 13, so T_ε2 = ½·T_ε2(20, 20).
  EXPECT_NEAR(mc::temperature_stress_2(20.0, 5.0), 0.4956, 1e-3);
  EXPECT_DOUBLE_EQ(mc::temperature_stress_2(20.0, 5.0),
                   0.5 * mc::temperature_stress_2_raw(20.0, 20.0));
  // And to the printed digits (half a unit of the last one).
  EXPECT_NEAR(mc::temperature_stress_2(20.0, 15.0), 0.8542, 5e-5);
  EXPECT_NEAR(mc::temperature_stress_2(20.0, 25.0), 0.9201, 5e-5);
  // Boundaries use the formula; just beyond them the half value.
  EXPECT_DOUBLE_EQ(mc::temperature_stress_2(20.0, 30.0), mc::temperature_stress_2_raw(20.0, 30.0));
  EXPECT_DOUBLE_EQ(mc::temperature_stress_2(20.0, 30.001),
                   0.5 * mc::temperature_stress_2_raw(20.0, 20.0));
  EXPECT_DOUBLE_EQ(mc::temperature_stress_2(20.0, 7.0), mc::temperature_stress_2_raw(20.0, 7.0));
}

TEST(CasaFpar, DesertGrasslandVector) {
  const double ndvi = 0.5;
  EXPECT_NEAR(mc::fpar_from_ndvi(ndvi, kDesertGrass), 0.7419, 1e-3);
  EXPECT_NEAR(mc::fpar_from_sr(mc::simple_ratio(ndvi), kDesertGrass), 0.5437, 1e-3);
  EXPECT_NEAR(mc::fpar(ndvi, kDesertGrass), 0.6428, 1e-3);
  EXPECT_NEAR(mc::fpar(ndvi, kDesertGrass), 0.6428, 5e-5);
  EXPECT_DOUBLE_EQ(mc::simple_ratio(ndvi), 3.0);
}

TEST(CasaNpp, WorkedExampleGives69Point066) {
  // SOL = 500 MJ m-2 month-1, desert grassland at NDVI 0.5, W_ε = 0.8, ε_max = 0.542,
  // T_opt = T = 20 °C.
  const double f = mc::fpar(0.5, kDesertGrass);
  const double apar = mc::absorbed_par_MJ_m2(500.0, f);
  EXPECT_NEAR(apar, 160.694, 1e-3);
  const double eps = mc::light_use_efficiency_gC_MJ(
      mc::temperature_stress_1(20.0, 20.0), mc::temperature_stress_2(20.0, 20.0), 0.8, 0.542);
  EXPECT_NEAR(eps, 0.42979, 1e-3);
  EXPECT_NEAR(eps, 0.42979, 5e-6);
  EXPECT_NEAR(mc::casa_npp_gC_m2(500.0, f, eps), 69.066, 1e-3);
}

TEST(HeterotrophicRespiration, PeiVectors) {
  EXPECT_NEAR(mc::heterotrophic_respiration_gC_m2(20.0, 100.0), 29.697, 1e-3);
  EXPECT_NEAR(mc::heterotrophic_respiration_gC_m2(20.0, 100.0, mc::kRhTempCoefVariant), 29.735,
              1e-3);
  EXPECT_NEAR(mc::heterotrophic_respiration_gC_m2(0.0, 0.0), 3.069, 1e-3);
  // P = 0: the precipitation term vanishes.
  EXPECT_DOUBLE_EQ(mc::heterotrophic_respiration_gC_m2(10.0, 0.0),
                   0.22 * std::exp(0.912) * 30.0 * 0.465);
}

// --- T_opt pre-pass -----------------------------------------------------------------------------

TEST(CasaOptimumTemperature, MeanOfPeakMonthTemperaturesOverCompleteYears) {
  // Year 1 peaks in July (T 24), year 2 in June (T 21), year 3 misses a month: not counted.
  std::vector<double> ndvi(36, 0.2), t(36, 10.0);
  ndvi[6] = 0.8;
  t[6] = 24.0;
  ndvi[12 + 5] = 0.7;
  t[12 + 5] = 21.0;
  ndvi[24 + 7] = 0.9;
  t[24 + 7] = 35.0;
  t[24 + 2] = kNaN;
  EXPECT_DOUBLE_EQ(mc::optimum_temperature_C(ndvi, t), 22.5);
}

TEST(CasaOptimumTemperature, TieTakesTheFirstMonthAndNoCompleteYearGivesNan) {
  std::vector<double> ndvi(12, 0.4), t(12, 0.0);
  for (int m = 0; m < 12; ++m)
    t[m] = m;
  EXPECT_DOUBLE_EQ(mc::optimum_temperature_C(ndvi, t), 0.0);  // all equal: January
  ndvi[3] = ndvi[8] = 0.6;
  EXPECT_DOUBLE_EQ(mc::optimum_temperature_C(ndvi, t), 3.0);
  ndvi[0] = kNaN;
  EXPECT_TRUE(std::isnan(mc::optimum_temperature_C(ndvi, t)));
  EXPECT_THROW(mc::optimum_temperature_C(std::vector<double>(11), std::vector<double>(11)),
               std::invalid_argument);
}

TEST(CasaOptimumTemperature, BlockPrePassEqualsThePixelFunction) {
  const std::size_t n = 7, years = 3;
  std::vector<std::vector<double>> ndvi(years, std::vector<double>(12 * n)),
      t(years, std::vector<double>(12 * n));
  for (std::size_t y = 0; y < years; ++y)
    for (std::size_t m = 0; m < 12; ++m)
      for (std::size_t c = 0; c < n; ++c) {
        ndvi[y][m * n + c] = std::sin(0.7 * m + 1.3 * c + 0.4 * y);
        t[y][m * n + c] = 10.0 + 12.0 * std::cos(0.5 * m + c) + y;
      }
  ndvi[1][4 * n + 2] = kNaN;  // cell 2 loses year 2
  std::vector<double> sum(n, 0.0), topt(n);
  std::vector<std::uint32_t> count(n, 0);
  for (std::size_t y = 0; y < years; ++y) {
    mc::MonthLayers<double> nd{}, tt{};
    for (std::size_t m = 0; m < 12; ++m) {
      nd[m] = ndvi[y].data() + m * n;
      tt[m] = t[y].data() + m * n;
    }
    mc::add_optimum_temperature_year(nd, tt, n, sum, count);
  }
  mc::finish_optimum_temperature(sum, count, topt);
  for (std::size_t c = 0; c < n; ++c) {
    std::vector<double> pn, pt;
    for (std::size_t y = 0; y < years; ++y)
      for (std::size_t m = 0; m < 12; ++m) {
        pn.push_back(ndvi[y][m * n + c]);
        pt.push_back(t[y][m * n + c]);
      }
    EXPECT_DOUBLE_EQ(topt[c], mc::optimum_temperature_C(pn, pt)) << "cell " << c;
  }
  EXPECT_EQ(count[2], 2u);
}

// --- the block kernel: nodata and domain ----------------------------------------------------------

TEST(CasaNepYear, NanInAnyMonthMakesThePixelYearNodataAndIsCounted) {
  OneYear year(4);
  year.ndvi[6 * 4 + 1] = kNaN;                       // cell 1, July NDVI
  year.p[11 * 4 + 2] = kNaN;                         // cell 2, December precipitation
  const double t_opt[4] = {20.0, 20.0, 20.0, kNaN};  // cell 3: no T_opt
  const std::int32_t type[4] = {0, 0, 0, 0};
  const mc::CasaTypeParams params[1] = {{0.542, kDesertGrass}};
  std::vector<double> npp(4), rh(4), nep(4), npp_jul(4);
  mc::CasaYearOutputs out;
  out.npp_gC_m2_yr = npp.data();
  out.rh_gC_m2_yr = rh.data();
  out.nep_gC_m2_yr = nep.data();
  out.npp_gC_m2_month[6] = npp_jul.data();
  mc::CasaScratch scratch;
  const std::size_t nodata =
      mc::casa_nep_year(year.block(t_opt, type), params, mc::CasaOptions{}, scratch, out);
  EXPECT_EQ(nodata, 3u);
  EXPECT_FALSE(std::isnan(nep[0]));
  for (std::size_t c = 1; c < 4; ++c) {
    EXPECT_TRUE(std::isnan(npp[c]) && std::isnan(rh[c]) && std::isnan(nep[c])) << c;
    EXPECT_TRUE(std::isnan(npp_jul[c])) << c;
  }
  EXPECT_DOUBLE_EQ(nep[0], npp[0] - rh[0]);
}

TEST(CasaNepYear, CellWithoutVegetationTypeIsNodata) {
  OneYear year(2);
  const double t_opt[2] = {20.0, 20.0};
  const std::int32_t type[2] = {-1, 0};
  const mc::CasaTypeParams params[1] = {{0.542, kDesertGrass}};
  std::vector<double> nep(2);
  mc::CasaYearOutputs out;
  out.nep_gC_m2_yr = nep.data();
  mc::CasaScratch scratch;
  EXPECT_EQ(mc::casa_nep_year(year.block(t_opt, type), params, {}, scratch, out), 1u);
  EXPECT_TRUE(std::isnan(nep[0]));
  EXPECT_FALSE(std::isnan(nep[1]));
  const std::int32_t bad[2] = {0, 1};
  EXPECT_THROW(mc::casa_nep_year(year.block(t_opt, bad), params, {}, scratch, out),
               std::out_of_range);
}

TEST(CasaNepYear, ConstantYearEqualsTwelveTimesTheScalarChain) {
  // Every month: NDVI 0.5, T 20 = T_opt, P 50, SOL 400. I = 12·4^1.514.
  OneYear year(1);
  const double t_opt[1] = {20.0};
  const std::int32_t type[1] = {0};
  const mc::CasaTypeParams params[1] = {{0.542, kDesertGrass}};
  double npp = 0, rh = 0, nep = 0;
  mc::CasaYearOutputs out;
  out.npp_gC_m2_yr = &npp;
  out.rh_gC_m2_yr = &rh;
  out.nep_gC_m2_yr = &nep;
  mc::CasaScratch scratch;
  mc::casa_nep_year(year.block(t_opt, type), params, {}, scratch, out);
  const double heat = 12.0 * std::pow(4.0, 1.514);
  const double pet0 = 16.0 * std::pow(200.0 / heat, mc::thornthwaite_exponent(heat));
  const double w = mc::water_stress(50.0, pet0);
  const double month_npp = 0.5 * 400.0 * mc::fpar(0.5, kDesertGrass) *
                           mc::temperature_stress_1(20.0, 20.0) *
                           mc::temperature_stress_2(20.0, 20.0) * w * 0.542;
  EXPECT_NEAR(npp, 12.0 * month_npp, 1e-9);
  EXPECT_NEAR(rh, 12.0 * mc::heterotrophic_respiration_gC_m2(20.0, 50.0), 1e-9);
  EXPECT_NEAR(nep, npp - rh, 1e-12);
  EXPECT_GT(w, 0.5);
}

TEST(CasaNepYear, OutOfRangeInputsAreFoundWithMonthCellAndField) {
  OneYear year(3);
  const double t_opt[3] = {20.0, 20.0, 20.0};
  const std::int32_t type[3] = {0, 0, 0};
  EXPECT_FALSE(mc::find_casa_input_problem(year.block(t_opt, type)).has_value());
  year.ndvi[2 * 3 + 0] = kNaN;  // NaN is nodata, not a problem
  EXPECT_FALSE(mc::find_casa_input_problem(year.block(t_opt, type)).has_value());
  year.ndvi[4 * 3 + 1] = 1.2;
  auto problem = mc::find_casa_input_problem(year.block(t_opt, type));
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->month, 4u);
  EXPECT_EQ(problem->cell, 1u);
  EXPECT_STREQ(problem->field, "ndvi");
  EXPECT_EQ(problem->value, 1.2);
  year.ndvi[4 * 3 + 1] = 0.5;
  year.t[1 * 3 + 2] = 285.0;  // Kelvin
  problem = mc::find_casa_input_problem(year.block(t_opt, type));
  ASSERT_TRUE(problem.has_value());
  EXPECT_STREQ(problem->field, "temperature");
  EXPECT_EQ(problem->month, 1u);
  year.t[1 * 3 + 2] = 5.0;
  year.p[9 * 3 + 0] = -1.0;
  problem = mc::find_casa_input_problem(year.block(t_opt, type));
  ASSERT_TRUE(problem.has_value());
  EXPECT_STREQ(problem->field, "precipitation");
  year.p[9 * 3 + 0] = 0.0;
  year.sol[0] = -std::numeric_limits<double>::infinity();
  problem = mc::find_casa_input_problem(year.block(t_opt, type));
  ASSERT_TRUE(problem.has_value());
  EXPECT_STREQ(problem->field, "solar_radiation");
}

TEST(CasaNepYear, FreezingYearHasZeroNppAndPositiveRespiration) {
  OneYear year(1);
  std::fill(year.t.begin(), year.t.end(), -12.0);  // T ≤ −10: T_ε1 = 0, E_p0 = 0
  const double t_opt[1] = {-12.0};
  const std::int32_t type[1] = {0};
  const mc::CasaTypeParams params[1] = {{0.542, kDesertGrass}};
  double npp = 1, rh = 0, nep = 0;
  mc::CasaYearOutputs out;
  out.npp_gC_m2_yr = &npp;
  out.rh_gC_m2_yr = &rh;
  out.nep_gC_m2_yr = &nep;
  mc::CasaScratch scratch;
  mc::casa_nep_year(year.block(t_opt, type), params, {}, scratch, out);
  EXPECT_EQ(npp, 0.0);
  EXPECT_NEAR(rh, 12.0 * mc::heterotrophic_respiration_gC_m2(-12.0, 50.0), 1e-12);
  EXPECT_LT(nep, 0.0);  // a source
}
