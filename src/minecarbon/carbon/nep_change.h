// The damage equations of Chen Fu et al. (2025, J. China Coal Society 50(6):2789, eqs 1–4) for
// one mine, as a pure function of its yearly mean NEP and that of its reference ecosystem.
//
//   Q_t  mean NEP inside the mine in year t                       (gC m⁻² yr⁻¹)
//   O_t  mean NEP over its reference ecosystem                    (gC m⁻² yr⁻¹)
//   P_t = Q_t − Q_base                                            eq 1, nep_mine_change
//   W_t = O_t − O_base                                            eq 2, nep_ref_change
//   S_t = P_t − W_t                                               eq 3, < 0: the mine lost NEP
//                                                                 relative to its reference
//   H_t = S_t · U                                                 eq 4, U the mine area (m²):
//                                                                 gC yr⁻¹, reported in Mg and Gg
//
// A difference that is zero within the rounding of its operands is 0: two means of the same
// values summed in another order differ in their last digits, and a "change" of 1e-11 would print
// as noise, flip the sign of a loss, and give trend tests a series that changes with the input
// CRS. The tolerance is 1e-12 of the larger operand: the means are coverage-weighted sums of
// thousands of cells whose rounding reaches ~1e-13 relative (seen: 310.37499999999284 for a
// planted 310.375), while NEP products carry three or four significant digits, so no real change
// is that small.
//
// Missing values (NaN Q or O, as for a year of nodata) give NaN P, W, S, H for that year; a NaN
// base value gives NaN everywhere.
#pragma once

#include <span>
#include <vector>

namespace minecarbon::carbon {

struct NepChange {
  double mine_change_gC_m2_yr;  // P
  double ref_change_gC_m2_yr;   // W
  double change_rel_gC_m2_yr;   // S
  double change_rel_gC_yr;      // H = S · U
};

// a − b, or 0 when the difference is within rounding of the operands.
double difference_or_zero(double a, double b);

// Eqs 1–4 for every year; `base` indexes the base year in q and o.
std::vector<NepChange> nep_change(std::span<const double> q_gC_m2_yr,
                                  std::span<const double> o_gC_m2_yr, std::size_t base,
                                  double area_m2);

}  // namespace minecarbon::carbon
