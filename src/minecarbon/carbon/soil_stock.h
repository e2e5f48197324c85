// Soil organic carbon stocks from measured profiles: per horizon, per fixed depth interval
// (proportional splitting or the equal-area quadratic spline), at an equivalent soil mass, and
// summaries with standard errors. Pure arithmetic: the profile reader lives in assess/soil.
//
// Stock of one horizon (GSIF `OCSKGM`, Hengl; docs/carbon_methods.md §3.1):
//
//   stock_tC_ha = soc_g_kg · bd_g_cm3 · H_cm · (1 − coarse_pct/100) / 10
//
//   soc_g_kg    organic C of the fine earth, g/kg (1 % = 10 g/kg)
//   bd_g_cm3    bulk density, g/cm³ (= Mg/m³)
//   H_cm        horizon thickness, cm
//   coarse_pct  coarse fragments (> 2 mm), % of the volume
//
// Check (carbon_methods.md §3.1): 12 g/kg, 1.35 g/cm³, 0–30 cm, 10 % coarse → 43.74 t C/ha.
// 1 kg C/m² = 10 t C/ha. CO2e = C · 44/12.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::carbon {

/// Particle density of quartz, g/cm³: no mineral soil is denser, so a larger bulk density is a
/// unit or typing error.
inline constexpr double kMaxBulkDensity_g_cm3 = 2.65;
/// Organic matter is about 58 % C (van Bemmelen factor 1.724); a soil cannot hold more organic
/// C than pure organic matter, so 600 g/kg (60 %) is the physical ceiling we accept.
inline constexpr double kMaxSoc_g_kg = 600.0;

/// One horizon (layer) of a profile.
struct SoilHorizon {
  double top_cm = 0.0;      ///< upper boundary, cm below the surface
  double bottom_cm = 0.0;   ///< lower boundary, cm, > top_cm
  double soc_g_kg = 0.0;    ///< organic C of the fine earth, g/kg, in [0, 600]
  double bd_g_cm3 = 0.0;    ///< bulk density, g/cm³, in (0, 2.65]
  double coarse_pct = 0.0;  ///< coarse fragments > 2 mm, vol %, in [0, 100]
};

/// stock_tC_ha = soc_g_kg · bd_g_cm3 · (bottom − top) · (1 − coarse_pct/100) / 10.
double horizon_soc_stock_tC_ha(const SoilHorizon& horizon);

/// Fine-earth mass of a horizon, Mg/ha: bd_g_cm3 · H_cm · 100 · (1 − coarse_pct/100)
/// (bd in Mg/m³ × H in m × 10⁴ m²/ha).
double horizon_fine_earth_Mg_ha(const SoilHorizon& horizon);

/// Carbon density of a horizon, t C/ha per cm of depth: stock / thickness. The quantity the
/// spline is fitted to, so that integrating the spline gives stocks.
double horizon_carbon_density_tC_ha_cm(const SoilHorizon& horizon);

/// What is wrong with a profile's horizon sequence, or "" if nothing: horizons must be sorted by
/// top, start at 0 cm, have bottom > top, and touch (bottom of one = top of the next). Messages
/// name the horizons by their 1-based position and show the depths.
std::string horizon_sequence_problem(std::span<const SoilHorizon> horizons);

/// What is wrong with one horizon's values, or "": SOC outside [0, 600] g/kg, bulk density
/// outside (0, 2.65] g/cm³, coarse fragments outside [0, 100] %, non-finite values.
std::string horizon_value_problem(const SoilHorizon& horizon);

// ---------------------------------------------------------------------------------------------
// Fixed depth intervals

/// A depth interval, cm, top < bottom; its label is "top-bottom" ("0-30").
struct DepthInterval {
  double top_cm = 0.0;
  double bottom_cm = 30.0;
  std::string label() const;
};

/// Stock of [top, bottom] by proportional splitting: each horizon contributes the fraction of
/// its thickness that lies inside the interval,
///   stock = Σ_h stock_h · overlap_h / H_h.
/// Assumes a valid sequence. NaN when the profile does not reach `bottom_cm` (a 0–100 cm stock
/// of a 72 cm profile is unknown, not the 0–72 cm stock).
double interval_stock_tC_ha(std::span<const SoilHorizon> horizons, const DepthInterval& interval);

/// Fine-earth mass of [0, depth] by proportional splitting, Mg/ha; NaN below the profile.
double fine_earth_to_depth_Mg_ha(std::span<const SoilHorizon> horizons, double depth_cm);

// ---------------------------------------------------------------------------------------------
// Equal-area quadratic spline (Bishop, McBratney & Laslett 1999, Geoderma 91, 27–45,
// doi:10.1016/S0016-7061(99)00003-8)

/// The smooth depth function f that minimises
///   (1/n) Σ_i (y_i − f̄_i)² + λ ∫ f'(z)² dz,    f̄_i = mean of f over layer i
/// for contiguous layers [x_{i−1}, x_i], i = 1..n, thickness h_i, layer values y_i.
/// Its Euler–Lagrange equation makes f a quadratic on every layer with f and f' continuous and
/// f' = 0 at the top and the bottom of the profile. With m_k = f'(x_k) (m_0 = m_n = 0) and
/// s_i = f̄_i, continuity of f at the inner knots gives
///   R m = 6 Q s,   R tridiagonal (n−1)×(n−1): R_kk = 2(h_k + h_{k+1}), R_k,k+1 = R_k+1,k = h_{k+1}
///                  (Q s)_k = s_{k+1} − s_k
/// and the stationarity condition s_i − y_i = nλ (m_i − m_{i−1}) gives
///   (I + 6 n λ Qᵀ R⁻¹ Q) s = y.
/// Derived in docs/soil.md §2; the same system as Bishop et al. (1999, eq. 13 ff.).
///
/// Properties (tested): with λ = 0 the spline reproduces every layer mean exactly (s = y); for
/// any λ the mean of f over layer i is exactly s_i, and Σ s_i = Σ y_i. λ trades fidelity for
/// smoothness; 0.1 is Bishop et al.'s and mpspline's default (depth in cm). One layer: f = y.
/// Domain: contiguous layers (validated profiles), finite values.
struct EqualAreaSpline {
  double lambda = 0.1;
  std::vector<double> knots_cm;      ///< x_0 … x_n
  std::vector<double> knot_values;   ///< f(x_k)
  std::vector<double> knot_slopes;   ///< f'(x_k)
  std::vector<double> fitted_means;  ///< s_i, the spline's mean over layer i

  /// f(z) for z in [x_0, x_n]; NaN outside.
  double value(double depth_cm) const;
  /// ∫_top^bottom f(z) dz; NaN if the range leaves [x_0, x_n].
  double integral(double top_cm, double bottom_cm) const;
};

/// Fits the spline to layers given by their boundaries (knots, n + 1 values, increasing) and
/// values (n). Throws std::invalid_argument on sizes or knots that do not increase (a caller's
/// bug: profiles are validated before).
EqualAreaSpline fit_equal_area_spline(std::span<const double> knots_cm,
                                      std::span<const double> layer_values, double lambda);

/// Interval stock from the spline of the horizons' carbon densities (t C/ha/cm): ∫ f. Where the
/// spline dips below zero (strong contrasts between thin layers) the negative part is cut at 0;
/// `clipped` reports whether that happened. NaN below the profile.
struct SplineStock {
  double stock_tC_ha = 0.0;
  bool clipped = false;
};
SplineStock spline_interval_stock_tC_ha(const EqualAreaSpline& density_spline,
                                        const DepthInterval& interval);

// ---------------------------------------------------------------------------------------------
// Equivalent soil mass (carbon_methods.md §3.2; Ellert & Bettany 1995, Can. J. Soil Sci. 75,
// 529–538, doi:10.4141/cjss95-075)

/// SOC above a cumulative fine-earth mass M_ref (Mg/ha), linear within the horizon it falls in:
///   M_k = Σ_{j<=k} M_j,  S_k = Σ_{j<=k} stock_j,  M_ref in horizon k:
///   SOC_ESM = S_{k−1} + (M_ref − M_{k−1}) · stock_k / M_k(horizon)
/// A horizon with no fine earth (100 % coarse) adds depth but no mass. NaN when M_ref exceeds
/// the profile's total fine-earth mass (the profile is too shallow to compare at that mass).
double soc_at_fine_earth_mass_tC_ha(std::span<const SoilHorizon> horizons, double mass_Mg_ha);

/// ESM stock of an interval for a reference mass profile: the SOC between the reference masses
/// of its top and bottom, SOC_ESM(M_ref(bottom)) − SOC_ESM(M_ref(top)).
double esm_interval_stock_tC_ha(std::span<const SoilHorizon> horizons, double ref_mass_top_Mg_ha,
                                double ref_mass_bottom_Mg_ha);

// ---------------------------------------------------------------------------------------------
// Bulk density from a pedotransfer function (used only when asked, flagged per row)

/// Named pedotransfer functions for bulk density.
/// - song2005: BD = 1.377 · exp(−0.0048 · SOC_g_kg), g/cm³. Song, G., Li, L., Pan, G. & Zhang, Q.
///   (2005) Topsoil organic carbon storage of China and its loss by cultivation.
///   Biogeochemistry 74, 47–62 (formula as quoted by the soilptf R package, `sptf_bd67`; the
///   paper itself was not at hand). Fitted on Chinese soils (the second national soil survey);
///   meant for topsoils. Gives 1.377 at 0 g/kg and 1.0 at 66.6 g/kg.
enum class BulkDensityPtf { none, song2005 };

/// The one name table: "none", "song2005".
std::string_view to_string(BulkDensityPtf ptf);
/// Parses a name; false if unknown. `names` lists the accepted ones for messages.
bool parse_bulk_density_ptf(std::string_view text, BulkDensityPtf& ptf);
std::string bulk_density_ptf_names();

/// Bulk density, g/cm³, from organic C (g/kg >= 0); NaN for `none`.
double bulk_density_ptf_g_cm3(BulkDensityPtf ptf, double soc_g_kg);

// ---------------------------------------------------------------------------------------------
// Summaries

/// Mean of n values with its standard error sd/√n (sample sd, n − 1). n = 0: mean NaN;
/// n = 1: se NaN (one profile says nothing about the spread). NaN values are skipped.
struct MeanSe {
  std::size_t n = 0;
  double mean = 0.0;
  double se = 0.0;
};
MeanSe mean_and_se(std::span<const double> values);

/// Reclaimed against reference: difference d = mean_r − mean_ref with
/// se_d = √(se_r² + se_ref²) (independent samples), and recovery = 100 · mean_r / mean_ref %
/// (NaN when the reference mean is not > 0).
struct StockComparison {
  double difference_tC_ha = 0.0;
  double difference_se_tC_ha = 0.0;
  double recovery_pct = 0.0;
};
StockComparison compare_stocks(const MeanSe& reclaimed, const MeanSe& reference);

}  // namespace minecarbon::carbon
