// The stress scalars of the CASA light-use efficiency ε = T_ε1·T_ε2·W_ε·ε_max (Potter et al. 1993,
// Global Biogeochem. Cycles 7(4):811, doi:10.1029/93GB02725; the Chinese form of Zhu Wenquan et
// al. 2006 as printed by Chi Yuan et al. 2018, Acta Ecol. Sin. 38(8):2683 [S20], and Mu Shaojie et
// al., ChinaXiv:201703.00404 [S19]). Method summary and statuses: docs/nep.md §3.
//
// Temperatures in °C (monthly means), precipitation and evapotranspiration in mm per month. All
// scalars are dimensionless. Every function is a pure function of its arguments; NaN in, NaN out.
#pragma once

#include <cmath>
#include <span>

namespace minecarbon::carbon {

// --- Temperature stress -------------------------------------------------------------------------

// T_ε2's numerator: 1.1814 in the Potter 1993 implementation [S25]; several Chinese papers print
// 1.184 [S20][S21] (CONFLICT; 1.1814 used).
inline constexpr double kTe2Scale = 1.1814;
// Below this monthly mean temperature T_ε1 is 0 (Potter 1993 via [S25]: "≤ −10 °C" in the
// methods text; the [S25] code tests < −10; the two differ only at exactly −10 °C).
inline constexpr double kTe1ColdLimit_C = -10.0;
// Half-value rule: outside [T_opt − 13, T_opt + 10] °C, T_ε2 = ½·T_ε2(T_opt, T_opt) [S20][S21].
inline constexpr double kTe2HalfAbove_C = 10.0;
inline constexpr double kTe2HalfBelow_C = 13.0;

// T_ε1 = 0.8 + 0.02·T_opt − 0.0005·T_opt² (plants' lower efficiency at extreme optimum
// temperatures); 0 when the month's mean temperature t_C ≤ −10 °C. T_opt in °C: the month of peak
// NDVI's temperature (casa_optimum_temperature.h). T_ε1(20) = 1.0, T_ε1(25) = 0.9875. Not clamped: it
// turns negative only for T_opt > 56.6 °C or < −16.6 °C, outside the validated temperature range.
inline double temperature_stress_1_polynomial(double t_opt_C) {
  return 0.8 + 0.02 * t_opt_C - 0.0005 * t_opt_C * t_opt_C;
}
inline double temperature_stress_1(double t_opt_C, double t_C) {
  if (t_C <= kTe1ColdLimit_C) return 0.0;
  return temperature_stress_1_polynomial(t_opt_C);
}

// The two logistic factors without the half-value rule:
//   1.1814 / {1 + exp[0.2·(T_opt − 10 − T)]} · 1 / {1 + exp[0.3·(−T_opt − 10 + T)]}
inline double temperature_stress_2_raw(double t_opt_C, double t_C) {
  return kTe2Scale / (1.0 + std::exp(0.2 * (t_opt_C - 10.0 - t_C))) /
         (1.0 + std::exp(0.3 * (-t_opt_C - 10.0 + t_C)));
}

// T_ε2 with the half-value rule: if T > T_opt + 10 or T < T_opt − 13, T_ε2 = ½·T_ε2(T_opt, T_opt)
// (the boundaries themselves use the formula). With T_opt = 20: T_ε2(15) = 0.8542, (20) = 0.9912,
// (25) = 0.9201, (30) = 0.5801, (5) = 0.4956.
inline double temperature_stress_2(double t_opt_C, double t_C) {
  if (t_C > t_opt_C + kTe2HalfAbove_C || t_C < t_opt_C - kTe2HalfBelow_C)
    return 0.5 * temperature_stress_2_raw(t_opt_C, t_opt_C);
  return temperature_stress_2_raw(t_opt_C, t_C);
}

// --- Thornthwaite potential evapotranspiration ----------------------------------------------------

// Heat index term of one month: (T/5)^1.514 for T > 0 °C, else 0. The annual heat index I is the
// sum over the 12 months of one year (Thornthwaite 1948, Geogr. Rev. 38:55).
inline double thornthwaite_heat_term(double t_C) {
  return t_C > 0.0 ? std::pow(t_C / 5.0, 1.514) : 0.0;
}

// I = Σ₁₂ (T_i/5)^1.514 over T_i > 0. `monthly_t_C` must hold the 12 months of one year; NaN in
// any month gives NaN.
double thornthwaite_heat_index(std::span<const double> monthly_t_C);

// Exponent a = 6.75e-7·I³ − 7.71e-5·I² + 1.792e-2·I + 0.49239 (classic Thornthwaite; the stored
// Chinese source's OCR shows 0.651e-6 for the cubic coefficient: UNCONFIRMED, docs/nep.md §3).
inline double thornthwaite_exponent(double heat_index) {
  const double i = heat_index;
  return ((6.75e-7 * i - 7.71e-5) * i + 1.792e-2) * i + 0.49239;
}

// E_p0 = 16·(10·T/I)^a · c, mm month⁻¹; 0 for T ≤ 0 °C or I = 0 (a year without a month above
// 0 °C). c is the day-length correction (N/12)(d/30), 1 when the correction is off (the default;
// whether the Chinese CASA papers apply it is UNCONFIRMED). Thornthwaite's separate table above
// 26.5 °C is not applied (the source applies the formula for 0–26.5 °C and says nothing above).
inline double thornthwaite_pet_mm(double t_C, double heat_index, double exponent,
                                  double daylength_factor = 1.0) {
  if (!(t_C > 0.0) || !(heat_index > 0.0)) return t_C != t_C ? t_C : 0.0;
  return 16.0 * std::pow(10.0 * t_C / heat_index, exponent) * daylength_factor;
}

// Day-length correction (N/12)·(d/30) of Thornthwaite's method for a month: N = mean day length
// (hours) on the month's middle day from the sunset hour angle ω_s = arccos(−tan φ·tan δ),
// N = 24·ω_s/π, δ = 0.409·sin(2π·J/365 − 1.39) (FAO-56, Allen et al. 1998, eqs 24, 25, 34; not
// checked against a stored copy: UNCONFIRMED); d = days in the month (leap years counted).
// Polar day/night clamps ω_s to [0, π]. month in 1..12; latitude in degrees north.
double thornthwaite_daylength_factor(double lat_deg, int year, int month);

// --- Water stress ---------------------------------------------------------------------------------

// Regional net radiation, mm water-equivalent (Zhou Guangsheng & Zhang Xinshi 1995, via [S24]):
//   Rn = (E_p0·P)^0.5 · [0.369 + 0.598·(E_p0/P)^0.5]  =  0.369·√(E_p0·P) + 0.598·E_p0
// The second form is used (no division by P, so P = 0 gives Rn = 0.598·E_p0).
inline double regional_net_radiation_mm(double precip_mm, double pet0_mm) {
  return 0.369 * std::sqrt(pet0_mm * precip_mm) + 0.598 * pet0_mm;
}

// Regional actual evapotranspiration (Zhou & Zhang 1995, via [S24]), mm:
//   EET = P·Rn·(P² + Rn² + P·Rn) / [(P + Rn)(P² + Rn²)]
// Guard: P = 0 or Rn = 0 → EET = 0 (the formula is 0/0 when both are 0).
inline double actual_evapotranspiration_mm(double precip_mm, double rn_mm) {
  if (precip_mm == 0.0 || rn_mm == 0.0) return 0.0;
  const double p = precip_mm, r = rn_mm;
  return p * r * (p * p + r * r + p * r) / ((p + r) * (p * p + r * r));
}

// W_ε = 0.5 + 0.5·EET/PET with PET = (EET + E_p0)/2 ([S20]; PET form 2nd-hand). Guard: P = 0 or
// Rn = 0 → EET = 0 → W_ε = 0.5 (also when PET = 0: a month at or below 0 °C has E_p0 = 0).
// Range: 0.5 when dry; W_ε = 1 when EET = E_p0. Not clamped: in very wet months Rn grows with P
// and EET can exceed E_p0, giving W_ε above 1 (E_p0 = 100, P = 1000 mm: W_ε = 1.137); the
// sources give no clamp, so none is applied (docs/nep.md §3).
inline double water_stress(double precip_mm, double pet0_mm) {
  if (precip_mm != precip_mm || pet0_mm != pet0_mm) return precip_mm + pet0_mm;
  const double rn = regional_net_radiation_mm(precip_mm, pet0_mm);
  const double eet = actual_evapotranspiration_mm(precip_mm, rn);
  if (eet == 0.0) return 0.5;
  const double pet = 0.5 * (eet + pet0_mm);
  return 0.5 + 0.5 * eet / pet;
}

}  // namespace minecarbon::carbon
