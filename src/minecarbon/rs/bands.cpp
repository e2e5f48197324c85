#include "minecarbon/rs/bands.h"

#include "minecarbon/core/errors.h"

namespace minecarbon::rs {

namespace {

// Order of a BandMap: blue, green, red, nir, swir1, swir2, thermal.
constexpr BandMap kTmBands{1, 2, 3, 4, 5, 7, 6};
constexpr BandMap kOliBands{2, 3, 4, 5, 6, 7, 10};
constexpr BandMap kMsiBands{2, 3, 4, 8, 11, 12, 0};

// Xu Hanqiu 2013 (China Environmental Science 33(5):889) as tabulated with the sensors' bands
// (blue, green, red, NIR, SWIR1, SWIR2).
WetnessCoefficients tm_wetness() {
  return {0.0315,
          0.2021,
          0.3102,
          0.1594,
          -0.6806,
          -0.6109,
          "Landsat 5 TM tasselled-cap wetness (Crist 1985, as in Xu 2013)"};
}
WetnessCoefficients etm_wetness() {
  return {0.2626,
          0.2141,
          0.0926,
          0.0656,
          -0.7629,
          -0.5388,
          "Landsat 7 ETM+ tasselled-cap wetness (Huang et al. 2002, as in Xu 2013)"};
}
WetnessCoefficients oli_wetness() {
  return {0.1511,
          0.1973,
          0.3283,
          0.3407,
          -0.7117,
          -0.4559,
          "Landsat 8 OLI tasselled-cap wetness (Baig et al. 2014, as in Xu 2013)"};
}

}  // namespace

SensorPreset sensor_preset(Sensor sensor) {
  switch (sensor) {
    case Sensor::landsat5:
      return {sensor, kTmBands, tm_wetness(), 11.435};
    case Sensor::landsat7:
      return {sensor, kTmBands, etm_wetness(), 11.335};
    case Sensor::landsat8:
      return {sensor, kOliBands, oli_wetness(), 10.9};
    case Sensor::landsat9:
      return {sensor, kOliBands, std::nullopt, std::nullopt};
    case Sensor::sentinel2:
      return {sensor, kMsiBands, std::nullopt, std::nullopt};
  }
  throw std::logic_error("sensor_preset: a sensor has no preset");
}

WetnessCoefficients preset_wetness(Sensor sensor) {
  const SensorPreset preset = sensor_preset(sensor);
  if (preset.wetness) return *preset.wetness;
  throw ConfigError("sensor = \"" + std::string(kSensorNames.name(sensor)) +
                    "\": no confirmed tasselled-cap wetness coefficients for this sensor, so WET "
                    "(and RSEI) cannot use the preset (presets with coefficients: landsat5, "
                    "landsat7, landsat8); give them as wet_coefficients = [c_blue, c_green, "
                    "c_red, c_nir, c_swir1, c_swir2] with their source, or drop wet and rsei "
                    "from the indices");
}

}  // namespace minecarbon::rs
