// From stored digital numbers (DN) to physical values: reflectance (unitless) and temperature (K).
//
// Two presets and the general linear form:
// - `landsat_c2_l2`: Landsat Collection-2 Level-2 surface reflectance SR = DN·2.75e-5 − 0.2 and
//   surface temperature ST = DN·0.00341802 + 149.0 K (USGS C2 L2 factors; CONFIRMED 2nd-hand from
//   public Earth Engine scripts applying them, the USGS product guide not read).
// - `landsat_l1_toa`: Level-1 top-of-atmosphere values from the scene's MTL metadata:
//   ρ = (M_ρ·DN + A_ρ)/sin(θ_SE) with θ_SE the scene-centre sun elevation, and
//   BT = K₂/ln(K₁/L + 1) with L = M_L·DN + A_L (USGS Landsat 8 Data Users Handbook; the same
//   arithmetic as R satellite 1.0.4 `convSC2Ref(szen_correction = TRUE)` and `convRad2BT`).
// - `LinearScale`: value = DN·scale + offset, for band metadata or user `scale/offset` per role.
//
// The MTL text is parsed here from a string (the file is read in pipeline/): `KEY = VALUE` lines
// inside `GROUP = …` / `END_GROUP = …`, values quoted text or numbers.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace minecarbon::rs {

struct LinearScale {
  double scale = 1.0;
  double offset = 0.0;
  double apply(double dn) const { return dn * scale + offset; }
};

// Landsat C2 L2 surface reflectance: SR = DN·2.75e-5 − 0.2 (unitless).
inline constexpr LinearScale kLandsatC2L2Reflectance{2.75e-5, -0.2};
// Landsat C2 L2 surface temperature: ST = DN·0.00341802 + 149.0 (K).
inline constexpr LinearScale kLandsatC2L2SurfaceTemperatureK{0.00341802, 149.0};

// Reflectances outside [−0.2, 1.6] after scaling are counted (not clipped) and reported: they
// flag a wrong scale or saturated pixels (docs/indices.md).
inline constexpr double kReflectancePlausibleMin = -0.2;
inline constexpr double kReflectancePlausibleMax = 1.6;
inline bool reflectance_out_of_range(double reflectance) {
  return reflectance < kReflectancePlausibleMin || reflectance > kReflectancePlausibleMax;
}

// The key/value pairs of an MTL file, with the line each came from (for messages).
class MtlMetadata {
 public:
  struct Entry {
    std::string text;  // without the quotes of a quoted value
    std::size_t line;  // 1-based
  };
  std::string origin;  // file name used in messages
  std::map<std::string, Entry, std::less<>> entries;

  bool has(std::string_view key) const { return entries.find(key) != entries.end(); }
  // The value of `key` as text; DataError naming the origin and the key when it is missing.
  const std::string& text(std::string_view key) const;
  // The value as a finite number; DataError naming origin, line and key when missing or not a
  // number.
  double number(std::string_view key) const;
};

// Parses MTL text; group lines are skipped (Landsat MTL keys are unique per file, so keys are
// stored without their group). A line that is not blank, not `END` and has no `=` is a
// DataError naming origin and line; a repeated key is a DataError naming both lines.
MtlMetadata parse_mtl(std::string_view text, const std::string& origin);

// ρ = (mult·DN + add)/sin(sun_elevation): TOA reflectance with the sun-angle correction.
struct ReflectanceCalibration {
  double mult = 0;               // REFLECTANCE_MULT_BAND_n
  double add = 0;                // REFLECTANCE_ADD_BAND_n
  double sun_elevation_deg = 0;  // SUN_ELEVATION, in (0, 90]
  double sin_sun_elevation = 0;  // sin(sun_elevation_deg), computed once
  double apply(double dn) const { return (mult * dn + add) / sin_sun_elevation; }
};

// L = radiance_mult·DN + radiance_add (W m⁻² sr⁻¹ µm⁻¹), BT = K₂/ln(K₁/L + 1) (K).
// Domain: L > 0; L ≤ 0 (fill or below the sensor's range) gives NaN.
struct ThermalCalibration {
  double radiance_mult = 0;  // RADIANCE_MULT_BAND_n
  double radiance_add = 0;   // RADIANCE_ADD_BAND_n
  double k1 = 0;             // K1_CONSTANT_BAND_n, W m⁻² sr⁻¹ µm⁻¹
  double k2 = 0;             // K2_CONSTANT_BAND_n, K
  double radiance(double dn) const { return radiance_mult * dn + radiance_add; }
  double brightness_temperature_K(double dn) const;
};

// The calibration of band `band` ("4", "10", "6_VCID_1", as in the MTL keys) from the MTL; a
// missing key or a sun elevation outside (0, 90] is a DataError naming the origin and the key.
ReflectanceCalibration mtl_reflectance_calibration(const MtlMetadata& mtl, std::string_view band);
ThermalCalibration mtl_thermal_calibration(const MtlMetadata& mtl, std::string_view band);

}  // namespace minecarbon::rs
