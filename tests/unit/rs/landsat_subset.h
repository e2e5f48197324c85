// The Landsat 8 L1TP subset of tests/data/landsat_indices (41 x 41 pixels, README there): DNs from
// reference_pixels.csv turned into TOA reflectance and brightness temperature by rs/scaling with
// the scene's own MTL, and the per-pixel values R computed (expected_pixels.csv).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/rs/scaling.h"

namespace minecarbon::rs::test {

inline const std::string kSubsetDir = std::string(MC_TEST_DATA_DIR) + "/landsat_indices";
inline const std::string kL8Mtl =
    kSubsetDir + "/landsat8_2013-07-07/LC08_L1TP_195025_20130707_20170503_01_T1_MTL.txt";
inline const std::string kL7Mtl =
    kSubsetDir + "/landsat7_2001-07-30/LE07_L1TP_195025_20010730_20170204_01_T1_MTL.txt";

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct LandsatSubset {
  CsvText reference;  // reference_pixels.csv
  CsvText expected;   // expected_pixels.csv (R terra / prcomp)
  // TOA reflectance per pixel (row-major, 1681), brightness temperature (K).
  std::vector<double> blue, green, red, nir, swir1, swir2, bt_K;
  std::size_t size() const { return blue.size(); }
};

inline LandsatSubset load_landsat_subset() {
  LandsatSubset out;
  out.reference = read_csv_file(kSubsetDir + "/reference_pixels.csv");
  out.expected = read_csv_file(kSubsetDir + "/expected_pixels.csv");
  const MtlMetadata mtl = parse_mtl(read_text(kL8Mtl), kL8Mtl);
  const auto toa = [&](int band) {
    const ReflectanceCalibration cal = mtl_reflectance_calibration(mtl, std::to_string(band));
    std::vector<double> values =
        out.reference.numbers(out.reference.column("l8_dn_b" + std::to_string(band)));
    for (double& value : values)
      value = cal.apply(value);
    return values;
  };
  out.blue = toa(2);
  out.green = toa(3);
  out.red = toa(4);
  out.nir = toa(5);
  out.swir1 = toa(6);
  out.swir2 = toa(7);
  const ThermalCalibration thermal = mtl_thermal_calibration(mtl, "10");
  out.bt_K = out.reference.numbers(out.reference.column("l8_dn_b10"));
  for (double& value : out.bt_K)
    value = thermal.brightness_temperature_K(value);
  return out;
}

}  // namespace minecarbon::rs::test
