// Scaling presets, MTL parsing and sensor presets (rs/scaling.h, rs/bands.h).
#include <gtest/gtest.h>

#include <cmath>

#include "landsat_subset.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/rs/bands.h"
#include "minecarbon/rs/scaling.h"

namespace minecarbon::rs {
namespace {

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(MtlMetadata, EmptyTextHasNoKeysAndAMissingKeyNamesTheFile) {
  const MtlMetadata mtl = parse_mtl("", "scene_MTL.txt");
  EXPECT_TRUE(mtl.entries.empty());
  const std::string message = message_of([&] { mtl.number("SUN_ELEVATION"); });
  EXPECT_NE(message.find("scene_MTL.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("SUN_ELEVATION"), std::string::npos) << message;
  EXPECT_THROW(mtl.number("SUN_ELEVATION"), DataError);
}

TEST(MtlMetadata, BadLinesAndValuesAreDataErrorsWithTheLine) {
  EXPECT_THROW(parse_mtl("GROUP = A\n  this is not mtl\n", "x_MTL.txt"), DataError);
  const std::string bad_line =
      message_of([] { parse_mtl("GROUP = A\n  this is not mtl\n", "x_MTL.txt"); });
  EXPECT_NE(bad_line.find("x_MTL.txt:2"), std::string::npos) << bad_line;
  const std::string repeated =
      message_of([] { parse_mtl("  SUN_ELEVATION = 40\n  SUN_ELEVATION = 41\n", "x_MTL.txt"); });
  EXPECT_NE(repeated.find("x_MTL.txt:2"), std::string::npos) << repeated;
  EXPECT_NE(repeated.find("line 1"), std::string::npos) << repeated;
  const MtlMetadata mtl = parse_mtl("  SUN_ELEVATION = \"high\"\n", "x_MTL.txt");
  const std::string not_number = message_of([&] { mtl.number("SUN_ELEVATION"); });
  EXPECT_NE(not_number.find("x_MTL.txt:1"), std::string::npos) << not_number;
  EXPECT_NE(not_number.find("'high'"), std::string::npos) << not_number;
}

TEST(MtlMetadata, SunBelowTheHorizonIsRefused) {
  const MtlMetadata mtl = parse_mtl(
      "REFLECTANCE_MULT_BAND_4 = 2.0E-05\nREFLECTANCE_ADD_BAND_4 = -0.1\nSUN_ELEVATION = -3.5\n",
      "night_MTL.txt");
  const std::string message = message_of([&] { mtl_reflectance_calibration(mtl, "4"); });
  EXPECT_NE(message.find("night_MTL.txt:3"), std::string::npos) << message;
  EXPECT_NE(message.find("-3.5"), std::string::npos) << message;
}

TEST(MtlMetadata, ReadsTheRealLandsat8AndLandsat7Files) {
  const MtlMetadata l8 = parse_mtl(test::read_text(test::kL8Mtl), test::kL8Mtl);
  EXPECT_EQ(l8.text("SPACECRAFT_ID"), "LANDSAT_8");
  EXPECT_EQ(l8.number("SUN_ELEVATION"), 58.99675180);
  const ReflectanceCalibration red = mtl_reflectance_calibration(l8, "4");
  EXPECT_EQ(red.mult, 2.0e-5);
  EXPECT_EQ(red.add, -0.1);
  const ThermalCalibration tirs = mtl_thermal_calibration(l8, "10");
  EXPECT_EQ(tirs.radiance_mult, 3.3420e-4);
  EXPECT_EQ(tirs.radiance_add, 0.1);
  EXPECT_EQ(tirs.k1, 774.8853);
  EXPECT_EQ(tirs.k2, 1321.0789);
  EXPECT_EQ(l8.entries.at("SUN_ELEVATION").line, 77u);

  const MtlMetadata l7 = parse_mtl(test::read_text(test::kL7Mtl), test::kL7Mtl);
  EXPECT_EQ(l7.number("SUN_ELEVATION"), 53.87765310);
  const ThermalCalibration etm = mtl_thermal_calibration(l7, "6_VCID_1");
  EXPECT_EQ(etm.k1, 666.09);  // the corrected ETM+ value (methods note: 606.09 is a typo)
  EXPECT_EQ(etm.k2, 1282.71);
}

TEST(Scaling, BrightnessTemperatureOfNonPositiveRadianceIsNaN) {
  const ThermalCalibration cal{3.342e-4, 0.1, 774.8853, 1321.0789};
  EXPECT_TRUE(std::isnan(cal.brightness_temperature_K(-0.1 / 3.342e-4 - 1.0)));
  // By hand: L = 10 → BT = 1321.0789/ln(77.48853 + 1).
  const double dn = (10.0 - 0.1) / 3.342e-4;
  EXPECT_NEAR(cal.brightness_temperature_K(dn), 1321.0789 / std::log(774.8853 / 10.0 + 1.0), 1e-9);
}

TEST(Scaling, CollectionTwoLevelTwoPresets) {
  // USGS C2 L2: DN 7273 → SR 7273·2.75e-5 − 0.2 = 7.5e-6; DN 0 → −0.2; ST DN 44000 → K.
  EXPECT_NEAR(kLandsatC2L2Reflectance.apply(7273), 7.5e-6, 1e-15);
  EXPECT_EQ(kLandsatC2L2Reflectance.apply(0), -0.2);
  EXPECT_NEAR(kLandsatC2L2SurfaceTemperatureK.apply(44000), 44000 * 0.00341802 + 149.0, 1e-12);
  EXPECT_TRUE(reflectance_out_of_range(-0.2000001));
  EXPECT_FALSE(reflectance_out_of_range(-0.2));
  EXPECT_FALSE(reflectance_out_of_range(1.6));
  EXPECT_TRUE(reflectance_out_of_range(1.61));
}

TEST(SensorPreset, BandMapsFollowTheSensorsBandNumbers) {
  const auto band = [](Sensor sensor, BandRole role) {
    return sensor_preset(sensor).bands[role_index(role)];
  };
  EXPECT_EQ(band(Sensor::landsat5, BandRole::swir2), 7);
  EXPECT_EQ(band(Sensor::landsat7, BandRole::thermal), 6);
  EXPECT_EQ(band(Sensor::landsat8, BandRole::red), 4);
  EXPECT_EQ(band(Sensor::landsat9, BandRole::thermal), 10);
  EXPECT_EQ(band(Sensor::sentinel2, BandRole::nir), 8);
  EXPECT_EQ(band(Sensor::sentinel2, BandRole::swir1), 11);
  EXPECT_EQ(band(Sensor::sentinel2, BandRole::thermal), 0);
  EXPECT_EQ(kSensorNames.parse("landsat8"), Sensor::landsat8);
  EXPECT_EQ(kBandRoleNames.parse("swir1"), BandRole::swir1);
  EXPECT_FALSE(kBandRoleNames.parse("SWIR1").has_value());
}

TEST(SensorPreset, WetnessCoefficientsAsPublished) {
  const WetnessCoefficients oli = preset_wetness(Sensor::landsat8);
  EXPECT_EQ(oli.blue, 0.1511);
  EXPECT_EQ(oli.swir2, -0.4559);
  const WetnessCoefficients tm = preset_wetness(Sensor::landsat5);
  EXPECT_EQ(tm.red, 0.3102);
  EXPECT_EQ(tm.swir1, -0.6806);
  const WetnessCoefficients etm = preset_wetness(Sensor::landsat7);
  EXPECT_EQ(etm.blue, 0.2626);
  EXPECT_EQ(etm.nir, 0.0656);
}

TEST(SensorPreset, APresetWithoutWetnessCoefficientsIsAConfigErrorSayingWhatToDo) {
  for (Sensor sensor : {Sensor::landsat9, Sensor::sentinel2}) {
    EXPECT_THROW(preset_wetness(sensor), ConfigError);
    const std::string message = message_of([&] { preset_wetness(sensor); });
    EXPECT_NE(message.find(std::string(kSensorNames.name(sensor))), std::string::npos) << message;
    EXPECT_NE(message.find("wet_coefficients"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace minecarbon::rs
