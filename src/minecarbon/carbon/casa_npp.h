// Monthly net primary production of the CASA model (Potter et al. 1993, Global Biogeochem. Cycles
// 7(4):811, doi:10.1029/93GB02725; Chinese parameterisation of Zhu Wenquan et al. 2006, Chinese
// Science Bulletin 51(6):700, as printed by [S19][S20][S23]). Method summary: docs/nep.md §2–§3.
//
//   APAR = SOL · FPAR · 0.5          MJ m⁻² month⁻¹   (0.5 = PAR share, 400–700 nm, of total
//                                                       solar radiation)
//   ε    = T_ε1 · T_ε2 · W_ε · ε_max  gC MJ⁻¹
//   NPP  = APAR · ε                   gC m⁻² month⁻¹
//
// SOL = total solar radiation of the month (MJ m⁻² month⁻¹); FPAR from casa_fpar.h; the stress
// scalars from casa_stress.h; ε_max per vegetation type (data/casa_vegetation.csv).
// Worked example (DERIVED, docs/nep.md): SOL 500, FPAR 0.6428, T_opt = T = 20 °C, W_ε 0.8,
// ε_max 0.542 → APAR 160.694, ε 0.42979, NPP 69.066 gC m⁻² month⁻¹.
#pragma once

namespace minecarbon::carbon {

inline constexpr double kParFraction = 0.5;

inline double absorbed_par_MJ_m2(double sol_MJ_m2, double fpar) {
  return sol_MJ_m2 * fpar * kParFraction;
}

inline double light_use_efficiency_gC_MJ(double te1, double te2, double w, double eps_max_gC_MJ) {
  return te1 * te2 * w * eps_max_gC_MJ;
}

// NPP ≥ 0 for SOL ≥ 0 and stresses ≥ 0; 0 in months with T ≤ −10 °C (T_ε1 = 0).
inline double casa_npp_gC_m2(double sol_MJ_m2, double fpar, double eps_gC_MJ) {
  return absorbed_par_MJ_m2(sol_MJ_m2, fpar) * eps_gC_MJ;
}

}  // namespace minecarbon::carbon
