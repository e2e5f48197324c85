// The restoration potential of one mine (Chen Fu et al. 2025, J. China Coal Society 50(6):2789,
// §1.4.2): how much more of the response (by default the change of the mine's NEP since the base
// year, gC m⁻² yr⁻¹) the mine could reach if it were restored as well as the best-restored mines
// under the same climate, ecology, terrain and economy.
//
//   ŷ            the achievable response predicted for the mine (potential stage: random forest
//                trained on the best-restored mines; out-of-bag for training mines)
//   y            the mine's observed response
//   [ŷ_lo, ŷ_hi] a prediction interval of ŷ (quantile regression forest, Meinshausen 2006)
//
//   potential       = max(0, ŷ − y)        a mine that already does better than predicted has
//                                          no potential, never a negative one
//   potential_low   = max(0, ŷ_lo − y)     the interval of ŷ shifted by y, clamped the same way
//   potential_high  = max(0, ŷ_hi − y)
//   excludes_zero   = ŷ_lo > y             the interval of ŷ − y lies wholly above zero: the mine
//                                          has potential beyond the model's uncertainty
//   potential_GgC_yr = potential · U / 10⁹ U the mine area in m² (g → Gg)
//
// Domain: any finite ŷ and y in the same unit. NaN or ±inf in ŷ or y (no prediction, no
// response) gives NaN for every value and `excludes_zero` false with `known` false; a non-finite
// ŷ_lo or ŷ_hi gives NaN for that bound only. max(0, NaN) is never taken: std::max would turn it
// into 0 and report a mine without data as one without potential.
#pragma once

namespace minecarbon::carbon {

// max(0, achievable − observed), NaN when either is not finite.
double restoration_potential(double achievable, double observed);

struct PotentialInterval {
  bool known = false;          // ŷ and y finite
  double potential = 0;        // max(0, ŷ − y)
  double low = 0;              // max(0, ŷ_lo − y)
  double high = 0;             // max(0, ŷ_hi − y)
  bool excludes_zero = false;  // ŷ_lo > y
};

PotentialInterval restoration_potential_interval(double achievable, double achievable_low,
                                                 double achievable_high, double observed);

// potential (in g m⁻² yr⁻¹ of carbon) · area_m2 / 10⁹: Gg C per year over the mine.
double potential_GgC_yr(double potential_gC_m2_yr, double area_m2);

}  // namespace minecarbon::carbon
