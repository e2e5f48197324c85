// Global warming potentials over 100 years (GWP-100): the CO2-equivalent of one tonne of CH4 or
// N2O, by IPCC assessment report. A run uses one set for every row and records it in its summary,
// because the same inventory gives CO2e that differ by ~6 % between AR4 and AR6.
//
//   CO2e [t] = CO2 [t] + GWP_CH4 · CH4 [t] + GWP_N2O · N2O [t]
//
//   set   CH4 fossil   CH4 non-fossil   N2O    source
//   SAR   21           21               310    IPCC SAR (1995)
//   AR4   25           25               298    IPCC AR4 WG1 (2007) Table 2.14
//   AR5   28           28               265    IPCC AR5 WG1 (2013) Table 8.7 (no climate-carbon
//                                              feedback; 34 with it, not shipped)
//   AR6   29.8         27.0             273    IPCC AR6 WG1 (2021) Ch. 7 Table 7.15
//
// Before AR6 one CH4 value served every origin; AR6 distinguishes fossil methane (its carbon
// ends as CO2 that was not in the air before: coal-mine methane, unburnt fuel) from biogenic.
// Every CH4 the emissions stage reports is fossil (fuel combustion, coal-seam gas), so it uses
// the fossil value. The shipped table data/gwp.csv holds the same numbers (a test checks it);
// users may add sets there.
#pragma once

#include <optional>
#include <string_view>

namespace minecarbon::carbon {

struct GwpValues {
  double ch4_fossil = 0.0;      // t CO2e per t CH4 of fossil origin
  double ch4_non_fossil = 0.0;  // t CO2e per t CH4 of biogenic origin
  double n2o = 0.0;             // t CO2e per t N2O
};

inline constexpr GwpValues kGwpSar{21.0, 21.0, 310.0};
inline constexpr GwpValues kGwpAr4{25.0, 25.0, 298.0};
inline constexpr GwpValues kGwpAr5{28.0, 28.0, 265.0};
inline constexpr GwpValues kGwpAr6{29.8, 27.0, 273.0};

// The built-in set named "SAR", "AR4", "AR5" or "AR6" (exact case), or nullopt.
std::optional<GwpValues> builtin_gwp(std::string_view set);

// CO2e [t] = co2_t + gwp.ch4_fossil · ch4_fossil_t + gwp.n2o · n2o_t. Negative masses (methane
// recovered and destroyed) give negative CO2e; NaN propagates.
double co2e_t(double co2_t, double ch4_fossil_t, double n2o_t, const GwpValues& gwp);

}  // namespace minecarbon::carbon
