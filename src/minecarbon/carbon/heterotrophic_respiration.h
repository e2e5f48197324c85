// Heterotrophic (soil microbial) respiration R_H from monthly climate, the model of Pei Zhiyong,
// Ouyang Hua, Zhou Caiping et al. (2009, J. Integr. Plant Biol. 51(5):521, doi:10.1111/j.1744-
// 7909.2009.00813.x; Chinese version: Geographical Research 2010, 29(1):102), as printed in two
// independent papers that use it for NEP = NPP − R_H (ChinaXiv:202106.00081 and
// ChinaXiv:202209.00152 [S23]). Method summary: docs/nep.md §4.
//
//   R_H = 0.22 · [exp(b·T) + ln(0.3145·P + 1)] · 30 · 0.465      gC m⁻² month⁻¹
//
// T = monthly mean air temperature (°C), P = monthly precipitation (mm). 0.465 converts dry
// matter to carbon, 30 days make the month. b = 0.0912 in both confirmed sources; part of the
// literature prints 0.0913 (CONFLICT): b is the option `rh_temp_coef`.
// R_H(20 °C, 100 mm) = 29.697 (b = 0.0912) / 29.735 (0.0913); R_H(0, 0) = 3.069.
//
// Domain: P ≥ 0 (the stage refuses negative precipitation; P < −1/0.3145 would give NaN), any T
// (R_H grows without bound with T: the model was fitted on 0–25 °C-ish grassland climates).
// NaN in, NaN out.
#pragma once

#include <cmath>

namespace minecarbon::carbon {

inline constexpr double kRhTempCoef = 0.0912;         // b, confirmed [S23]
inline constexpr double kRhTempCoefVariant = 0.0913;  // b in part of the literature
inline constexpr double kRhScale = 0.22;
inline constexpr double kRhPrecipCoef = 0.3145;
inline constexpr double kRhDaysPerMonth = 30.0;
inline constexpr double kRhCarbonFraction = 0.465;

inline double heterotrophic_respiration_gC_m2(double t_C, double precip_mm,
                                              double temp_coef = kRhTempCoef) {
  return kRhScale * (std::exp(temp_coef * t_C) + std::log(kRhPrecipCoef * precip_mm + 1.0)) *
         kRhDaysPerMonth * kRhCarbonFraction;
}

}  // namespace minecarbon::carbon
