// FPAR of the CASA model: the fraction of photosynthetically active radiation the canopy absorbs,
// from NDVI and the simple ratio SR, in the combined form of Zhu Wenquan et al. (2005, J. Remote
// Sensing 9(3):300; 2006, Chinese Science Bulletin 51(6):700) as used by Chi Yuan et al. 2018
// (Acta Ecologica Sinica 38(8):2683, ChinaXiv:201805.00093). Method summary: docs/nep.md §2.
//
//   SR        = (1 + NDVI) / (1 − NDVI)
//   FPAR_NDVI = (NDVI − NDVI_min)(FPAR_max − FPAR_min) / (NDVI_max − NDVI_min) + FPAR_min
//   FPAR_SR   = (SR − SR_min)(FPAR_max − FPAR_min) / (SR_max − SR_min) + FPAR_min
//   FPAR      = clamp(α·FPAR_NDVI + (1 − α)·FPAR_SR, FPAR_min, FPAR_max)
//
// FPAR_min = 0.001, FPAR_max = 0.95, α = 0.5 (the simple mean). NDVI_min/max and SR_min/max are
// the 5th and 95th percentiles of the vegetation type (shipped table: data/casa_vegetation.csv, or
// from the data: fpar_extremes_from_ndvi). All quantities are dimensionless.
//
// Clamping: the combined value is clamped (methods note, an implementation recommendation). It
// equals clamping each part first except where NDVI and SR fall on different sides of their
// extremes, which only happens with rounded table values (SR(0.634) = 4.4645 vs SR_max 4.46).
#pragma once

#include <algorithm>
#include <span>
#include <string>

namespace minecarbon::carbon {

inline constexpr double kFparMin = 0.001;  // Zhu 2006 via [S20]; remotepp default [S25]
inline constexpr double kFparMax = 0.95;
inline constexpr double kFparAlpha = 0.5;  // weight of FPAR_NDVI; α = 0.447 was fitted once

// The per-type 5th/95th percentiles of NDVI and SR. Valid when ndvi_max > ndvi_min and
// sr_max > sr_min (check_fpar_extremes).
struct FparExtremes {
  double ndvi_min = 0.0;
  double ndvi_max = 0.0;
  double sr_min = 0.0;
  double sr_max = 0.0;
};

// Throws DataError "<where>: ndvi_max = … must be > ndvi_min = …" (same for SR, and for
// non-finite values): a zero range would divide by zero in every pixel of the type.
void check_fpar_extremes(const FparExtremes& extremes, const std::string& where);

// SR = (1 + NDVI)/(1 − NDVI). Domain NDVI ∈ [−1, 1): SR ∈ [0, ∞); NDVI = 1 gives +∞ (FPAR then
// clamps to FPAR_max). NDVI outside [−1, 1] is refused before this is called (casa_nep.h).
inline double simple_ratio(double ndvi) {
  return (1.0 + ndvi) / (1.0 - ndvi);
}

inline double fpar_from_ndvi(double ndvi, const FparExtremes& ext) {
  return (ndvi - ext.ndvi_min) * (kFparMax - kFparMin) / (ext.ndvi_max - ext.ndvi_min) + kFparMin;
}

inline double fpar_from_sr(double sr, const FparExtremes& ext) {
  return (sr - ext.sr_min) * (kFparMax - kFparMin) / (ext.sr_max - ext.sr_min) + kFparMin;
}

// FPAR ∈ [0.001, 0.95] for any NDVI ∈ [−1, 1]; NaN NDVI gives NaN (std::clamp keeps NaN only by
// accident, so NaN is tested first).
inline double fpar(double ndvi, const FparExtremes& ext, double alpha = kFparAlpha) {
  if (ndvi != ndvi) return ndvi;
  const double combined =
      alpha * fpar_from_ndvi(ndvi, ext) + (1.0 - alpha) * fpar_from_sr(simple_ratio(ndvi), ext);
  return std::clamp(combined, kFparMin, kFparMax);
}

// Per-type extremes from the data: the p_low and p_high percentiles (default 5 and 95, in %) of
// the valid NDVI values of one vegetation type (NaN skipped), as R quantile(type = 1): the value
// of rank ⌈p·n⌉ (rank 1 for p = 0). SR extremes are SR of the NDVI extremes, which equals the
// percentiles of SR itself because SR is strictly increasing in NDVI and type-1 percentiles are
// order statistics (stats::quantile_type1_in_place). Reorders `ndvi` (nth_element). Throws DataError naming `where` when fewer
// than 2 valid values remain or the two percentiles coincide (no range to scale by).
FparExtremes fpar_extremes_from_ndvi(std::span<double> ndvi, const std::string& where,
                                     double p_low_pct = 5.0, double p_high_pct = 95.0);

}  // namespace minecarbon::carbon
