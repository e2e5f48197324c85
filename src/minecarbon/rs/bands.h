// Band roles and sensor presets of `minecarbon indices`.
//
// A scene's bands are named by role (blue green red nir swir1 swir2 thermal), never by number, so
// every index formula is written once for all sensors. A sensor preset fixes the default band
// number of each role and, where a published set exists, the tasselled-cap wetness coefficients
// of RSEI's WET indicator and the thermal band's effective wavelength used by the single-channel
// LST correction (docs/indices.md).
//
// Band numbers are the sensor's own (Landsat 8 red = B4, Sentinel-2 NIR = B8): the band of a
// multi-band file that stacks the product's bands in band order, or the `{band}` of a per-band
// file pattern. Sentinel-2's numbers are those of the L2A stack B1 … B8, B8A, B9, B11, B12, where
// B2, B3, B4, B8, B11 and B12 sit at their own numbers (B8A is the 9th band, not mapped).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "minecarbon/core/name_table.h"

namespace minecarbon::rs {

enum class BandRole { blue, green, red, nir, swir1, swir2, thermal };
inline constexpr std::size_t kBandRoleCount = 7;
inline constexpr NameTable<BandRole, kBandRoleCount> kBandRoleNames{{{
    {BandRole::blue, "blue"},
    {BandRole::green, "green"},
    {BandRole::red, "red"},
    {BandRole::nir, "nir"},
    {BandRole::swir1, "swir1"},
    {BandRole::swir2, "swir2"},
    {BandRole::thermal, "thermal"},
}}};
constexpr std::size_t role_index(BandRole role) {
  return static_cast<std::size_t>(role);
}

enum class Sensor { landsat5, landsat7, landsat8, landsat9, sentinel2 };
inline constexpr NameTable<Sensor, 5> kSensorNames{{{
    {Sensor::landsat5, "landsat5"},
    {Sensor::landsat7, "landsat7"},
    {Sensor::landsat8, "landsat8"},
    {Sensor::landsat9, "landsat9"},
    {Sensor::sentinel2, "sentinel2"},
}}};

// Tasselled-cap wetness: WET = c_blue·ρ_blue + c_green·ρ_green + c_red·ρ_red + c_nir·ρ_nir
// + c_swir1·ρ_swir1 + c_swir2·ρ_swir2 (coefficients unitless, ρ reflectance).
struct WetnessCoefficients {
  double blue, green, red, nir, swir1, swir2;
  // Where the numbers come from, echoed in summaries ("Baig et al. 2014 (Landsat 8 OLI)").
  std::string source;
};

// Band number of each role (index = role_index(role)); 0 = the sensor has no such band.
using BandMap = std::array<int, kBandRoleCount>;

struct SensorPreset {
  Sensor sensor;
  BandMap bands;
  std::optional<WetnessCoefficients> wetness;  // none: WET needs user coefficients
  // Effective wavelength of the thermal band (µm) for LST = BT/(1 + (λ·BT/ρ₀)·ln ε); none when
  // no confirmed value is known (then the user sets it).
  std::optional<double> thermal_wavelength_um;
};

// The preset of a sensor. Band maps: Landsat 4–5 TM and 7 ETM+ blue 1, green 2, red 3, NIR 4,
// SWIR1 5, SWIR2 7, thermal 6; Landsat 8 OLI/TIRS and 9 OLI-2/TIRS-2 blue 2, green 3, red 4, NIR
// 5, SWIR1 6, SWIR2 7, thermal 10; Sentinel-2 MSI blue 2, green 3, red 4, NIR 8, SWIR1 11,
// SWIR2 12, no thermal band (USGS and ESA band designations).
//
// Wetness coefficients (Xu Hanqiu 2013, China Environmental Science 33(5):889, as tabulated in the
// RSEI literature; original attributions UNCONFIRMED): Landsat 5 TM (Crist 1985), Landsat 7 ETM+
// (Huang et al. 2002), Landsat 8 OLI (Baig et al. 2014). Landsat 9 and Sentinel-2 have none here:
// no coefficient set was confirmed for them, so WET on those sensors needs `wet_coefficients`.
//
// Thermal wavelengths: TM B6 11.435 µm, ETM+ B6 11.335 µm, TIRS B10 10.9 µm (the RSEI
// literature; 10.895 and 10.8 are also in use). Landsat 9: none confirmed.
SensorPreset sensor_preset(Sensor sensor);

// The preset's wetness coefficients, or a ConfigError saying the sensor has none and how to give
// them (`wet_coefficients = [c_blue, c_green, c_red, c_nir, c_swir1, c_swir2]`).
WetnessCoefficients preset_wetness(Sensor sensor);

}  // namespace minecarbon::rs
