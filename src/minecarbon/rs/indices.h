// Per-pixel spectral indices of `minecarbon indices` (docs/indices.md).
//
// Inputs are reflectances ρ (unitless; surface reflectance for L2 products, TOA reflectance for
// L1 — the formulas do not care which, the user's scaling decides) or temperatures (K). Every
// function is inline and branch-light: the stage calls them in its block loops.
//
// Edge behaviour, the same for all of them (methods note, "Edge cases"):
// - a denominator of exactly 0 gives NaN (nodata), never ±inf;
// - a NaN input gives NaN;
// - reflectances outside the plausible range are NOT clipped here (the stage counts them, see
//   scaling.h), so an index may leave its nominal range on bad input; that shows, it is not hidden.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "minecarbon/core/nan.h"
#include "minecarbon/rs/bands.h"

namespace minecarbon::rs {

// (a − b)/(a + b); NaN when a + b == 0. Range [−1, 1] for non-negative a, b.
inline double normalized_difference(double a, double b) {
  const double sum = a + b;
  if (sum == 0.0) return kNaN;
  return (a - b) / sum;
}

// NDVI = (ρ_NIR − ρ_Red)/(ρ_NIR + ρ_Red) (Rouse et al. 1974; RSEI greenness, Xu 2013).
inline double ndvi(double nir, double red) {
  return normalized_difference(nir, red);
}

// NDWI = (ρ_Green − ρ_NIR)/(ρ_Green + ρ_NIR) (McFeeters 1996, IJRS 17(7):1425): open water > 0.
inline double ndwi(double green, double nir) {
  return normalized_difference(green, nir);
}

// MNDWI = (ρ_Green − ρ_SWIR1)/(ρ_Green + ρ_SWIR1) (Xu 2006, IJRS 27(14):3025); the stage's water
// mask is MNDWI > water_mndwi_threshold (default 0, an UNCONFIRMED convention).
inline double mndwi(double green, double swir1) {
  return normalized_difference(green, swir1);
}

// NDMI = (ρ_NIR − ρ_SWIR1)/(ρ_NIR + ρ_SWIR1) (Gao 1996, RSE 58:257, his "NDWI"; vegetation water).
inline double ndmi(double nir, double swir1) {
  return normalized_difference(nir, swir1);
}

// EVI = 2.5·(ρ_NIR − ρ_Red)/(ρ_NIR + 6·ρ_Red − 7.5·ρ_Blue + 1) (Huete et al. 2002, RSE 83:195,
// with the MODIS coefficients G = 2.5, C1 = 6, C2 = 7.5, L = 1). Meant for surface reflectance;
// nominal range [−1, 1], but the denominator can approach 0 on bright or odd pixels (large |EVI|
// returned as is; exactly 0 gives NaN).
inline double evi(double nir, double red, double blue) {
  const double denominator = nir + 6.0 * red - 7.5 * blue + 1.0;
  if (denominator == 0.0) return kNaN;
  return 2.5 * (nir - red) / denominator;
}

// SI (bare-soil index) = [(ρ_SWIR1 + ρ_Red) − (ρ_NIR + ρ_Blue)]/[(ρ_SWIR1 + ρ_Red) + (ρ_NIR +
// ρ_Blue)] (as in Xu 2013 for RSEI dryness). NaN when the denominator is 0.
inline double si(double swir1, double red, double nir, double blue) {
  return normalized_difference(swir1 + red, nir + blue);
}

// IBI (index-based built-up index, Xu 2008, IJRS 29(14):4269; as in Xu 2013):
//   a = 2ρ_SWIR1/(ρ_SWIR1 + ρ_NIR), b = ρ_NIR/(ρ_NIR + ρ_Red), c = ρ_Green/(ρ_Green + ρ_SWIR1),
//   IBI = (a − (b + c))/(a + (b + c)).
// NaN when any of the four denominators is 0.
inline double ibi(double swir1, double nir, double red, double green) {
  const double d_a = swir1 + nir;
  const double d_b = nir + red;
  const double d_c = green + swir1;
  if (d_a == 0.0 || d_b == 0.0 || d_c == 0.0) return kNaN;
  const double a = 2.0 * swir1 / d_a;
  const double b_plus_c = nir / d_b + green / d_c;
  return normalized_difference(a, b_plus_c);
}

// NDBSI = (SI + IBI)/2, RSEI's dryness indicator (Xu 2013). NaN when either is NaN.
inline double ndbsi(double swir1, double red, double nir, double blue, double green) {
  return (si(swir1, red, nir, blue) + ibi(swir1, nir, red, green)) / 2.0;
}

// WET = c_blue·ρ_Blue + c_green·ρ_Green + c_red·ρ_Red + c_nir·ρ_NIR + c_swir1·ρ_SWIR1 +
// c_swir2·ρ_SWIR2, the tasselled-cap wetness (coefficients per sensor, bands.h). Defined
// everywhere; NaN in, NaN out.
inline double wet(const WetnessCoefficients& c, double blue, double green, double red, double nir,
                  double swir1, double swir2) {
  return c.blue * blue + c.green * green + c.red * red + c.nir * nir + c.swir1 * swir1 +
         c.swir2 * swir2;
}

// ρ₀ = h·c/k_B = 1.438e-2 m·K (Planck constant × speed of light / Boltzmann constant), as used by
// the single-channel LST correction in the RSEI literature (Xu 2013).
inline constexpr double kPlanckRho_mK = 1.438e-2;
inline constexpr double kKelvinAtZeroCelsius = 273.15;
inline constexpr double kMetresPerMicrometre = 1e-6;

// LST = BT/(1 + (λ·BT/ρ₀)·ln ε) (K), from the at-sensor brightness temperature BT (K), the band's
// effective wavelength λ (µm, converted to m) and the surface emissivity ε (unitless, (0, 1]).
// Source: Artis & Carnahan 1982 form as used by Xu 2013. Domain: BT > 0, 0 < ε ≤ 1, λ > 0; outside
// it, or when the denominator is 0, NaN. ε = 1 gives LST = BT. The emissivity model is the
// user's (a constant or a raster; no ε(NDVI) model is confirmed, docs/indices.md).
// With a Collection-2 L2 ST band, the ST value already is the LST: use it directly.
inline double lst_from_brightness_K(double bt_K, double emissivity, double wavelength_um) {
  if (!(bt_K > 0.0) || !(emissivity > 0.0 && emissivity <= 1.0) || !(wavelength_um > 0.0))
    return kNaN;
  const double wavelength_m = wavelength_um * kMetresPerMicrometre;
  const double denominator = 1.0 + (wavelength_m * bt_K / kPlanckRho_mK) * std::log(emissivity);
  if (denominator == 0.0) return kNaN;
  return bt_K / denominator;
}

inline double kelvin_to_celsius(double temperature_K) {
  return temperature_K - kKelvinAtZeroCelsius;
}

// FVC = clamp((NDVI − NDVI_soil)/(NDVI_veg − NDVI_soil), 0, 1), the dimidiate pixel model
// (fraction of vegetation cover, unitless). NDVI_soil and NDVI_veg: by default the 5th and 95th
// percentiles of the scene's valid NDVI (R quantile type 1, percentile.h), or user values.
// Domain: NDVI_veg > NDVI_soil; otherwise (and for NaN NDVI) NaN.
inline double fvc(double ndvi_value, double ndvi_soil, double ndvi_veg) {
  const double span = ndvi_veg - ndvi_soil;
  if (!(span > 0.0) || std::isnan(ndvi_value)) return kNaN;
  return std::clamp((ndvi_value - ndvi_soil) / span, 0.0, 1.0);
}

}  // namespace minecarbon::rs
