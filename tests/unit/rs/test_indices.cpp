// Per-pixel indices (rs/indices.h) and the type-1 percentile bounds they use
// (stats/quantile_type1.h): edge behaviour, hand cases, then the real Landsat 8 subset against R satellite (reference_pixels.csv, 1e-12) and an
// independent R terra script (expected_pixels.csv, 1e-9); tests/data/landsat_indices/README.md.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "landsat_subset.h"
#include "minecarbon/rs/indices.h"
#include "minecarbon/stats/quantile_type1.h"

namespace minecarbon::rs {
namespace {

using stats::quantiles_type1;

// ---- degenerate inputs ----

TEST(Indices, ZeroDenominatorGivesNaNNotInfinity) {
  EXPECT_TRUE(std::isnan(ndvi(0.0, 0.0)));
  EXPECT_TRUE(std::isnan(ndvi(0.3, -0.3)));
  EXPECT_TRUE(std::isnan(ndwi(0.0, 0.0)));
  EXPECT_TRUE(std::isnan(mndwi(0.1, -0.1)));
  EXPECT_TRUE(std::isnan(ndmi(0.0, 0.0)));
  // EVI's denominator nir + 6·red − 7.5·blue + 1: 0.5 + 1.5 − 3 + 1 = 0 (exact in binary), and
  // 0.5 + 1.5 − 2.625 + 1 = 0.375 for a slightly darker blue.
  EXPECT_TRUE(std::isnan(evi(0.5, 0.25, 0.4)));
  EXPECT_FALSE(std::isnan(evi(0.5, 0.25, 0.35)));
  EXPECT_TRUE(std::isnan(si(0.0, 0.0, 0.0, 0.0)));
  EXPECT_TRUE(std::isnan(ibi(0.0, 0.0, 0.2, 0.3)));  // swir1 + nir = 0
  EXPECT_TRUE(std::isnan(ibi(0.2, 0.0, 0.0, 0.3)));  // nir + red = 0
  EXPECT_TRUE(std::isnan(ibi(0.0, 0.2, 0.1, 0.0)));  // green + swir1 = 0
  EXPECT_TRUE(std::isnan(ndbsi(0.0, 0.0, 0.0, 0.0, 0.3)));
}

TEST(Indices, NaNInputGivesNaN) {
  EXPECT_TRUE(std::isnan(ndvi(kNaN, 0.1)));
  EXPECT_TRUE(std::isnan(evi(0.3, kNaN, 0.1)));
  EXPECT_TRUE(std::isnan(
      wet(sensor_preset(Sensor::landsat8).wetness.value(), 0.1, 0.1, kNaN, 0.1, 0.1, 0.1)));
  EXPECT_TRUE(std::isnan(fvc(kNaN, 0.2, 0.8)));
  EXPECT_TRUE(std::isnan(lst_from_brightness_K(kNaN, 0.97, 10.9)));
}

TEST(Indices, FvcIsClampedAndUndefinedForAnEmptySpan) {
  EXPECT_EQ(fvc(0.1, 0.2, 0.8), 0.0);
  EXPECT_EQ(fvc(0.9, 0.2, 0.8), 1.0);
  EXPECT_DOUBLE_EQ(fvc(0.5, 0.2, 0.8), 0.5);
  EXPECT_TRUE(std::isnan(fvc(0.5, 0.4, 0.4)));
  EXPECT_TRUE(std::isnan(fvc(0.5, 0.8, 0.2)));
}

TEST(Indices, LstOutsideItsDomainIsNaNAndUnitEmissivityIsTheBrightnessTemperature) {
  EXPECT_EQ(lst_from_brightness_K(300.0, 1.0, 10.9), 300.0);
  EXPECT_TRUE(std::isnan(lst_from_brightness_K(300.0, 0.0, 10.9)));
  EXPECT_TRUE(std::isnan(lst_from_brightness_K(300.0, 1.2, 10.9)));
  EXPECT_TRUE(std::isnan(lst_from_brightness_K(-1.0, 0.97, 10.9)));
  EXPECT_TRUE(std::isnan(lst_from_brightness_K(300.0, 0.97, 0.0)));
}

// ---- by hand ----

TEST(Indices, HandValues) {
  EXPECT_DOUBLE_EQ(ndvi(0.5, 0.1), 0.4 / 0.6);
  EXPECT_DOUBLE_EQ(ndwi(0.1, 0.3), -0.5);
  EXPECT_DOUBLE_EQ(evi(0.5, 0.1, 0.05), 2.5 * 0.4 / (0.5 + 0.6 - 0.375 + 1.0));
  // IBI with swir1 = nir: a = 1; b = nir/(nir+red) = 0.75; c = green/(green+swir1) = 0.25:
  // IBI = (1 − 1)/(1 + 1) = 0.
  EXPECT_NEAR(ibi(0.3, 0.3, 0.1, 0.1), 0.0, 1e-15);
  // SI: ((0.3 + 0.1) − (0.2 + 0.0))/(0.4 + 0.2) = 1/3
  EXPECT_DOUBLE_EQ(si(0.3, 0.1, 0.2, 0.0), 0.2 / 0.6);
  // LST: ε = e⁻¹ gives ln ε = −1: LST = BT/(1 − λ·BT/ρ₀)
  const double bt = 300.0;
  EXPECT_DOUBLE_EQ(lst_from_brightness_K(bt, std::exp(-1.0), 10.0),
                   bt / (1.0 - 10.0e-6 * bt / 1.438e-2));
  EXPECT_DOUBLE_EQ(kelvin_to_celsius(300.0), 300.0 - 273.15);
}

// ---- the real Landsat 8 subset ----

class LandsatSubsetIndices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { subset_ = new test::LandsatSubset(test::load_landsat_subset()); }
  static void TearDownTestSuite() {
    delete subset_;
    subset_ = nullptr;
  }
  static std::vector<double> expected(const std::string& column) {
    return subset_->expected.numbers(subset_->expected.column(column));
  }
  static std::vector<double> reference(const std::string& column) {
    return subset_->reference.numbers(subset_->reference.column(column));
  }
  static test::LandsatSubset* subset_;
};
test::LandsatSubset* LandsatSubsetIndices::subset_ = nullptr;

TEST_F(LandsatSubsetIndices, ToaReflectanceAndBrightnessTemperatureMatchRSatellite) {
  const auto& s = *subset_;
  ASSERT_EQ(s.size(), 1681u);
  const std::vector<std::pair<std::string, const std::vector<double>*>> bands{
      {"l8_toa_b2", &s.blue}, {"l8_toa_b3", &s.green}, {"l8_toa_b4", &s.red},
      {"l8_toa_b5", &s.nir},  {"l8_toa_b6", &s.swir1}, {"l8_toa_b7", &s.swir2}};
  for (const auto& [column, values] : bands) {
    const auto ref = reference(column);
    for (std::size_t idx = 0; idx < s.size(); ++idx)
      ASSERT_NEAR((*values)[idx], ref[idx], 1e-12) << column << " pixel " << idx;
  }
  const auto bt_ref = reference("l8_bt_b10_K");  // written by R with 15 significant digits
  for (std::size_t idx = 0; idx < s.size(); ++idx)
    ASSERT_NEAR(s.bt_K[idx], bt_ref[idx], 1e-10) << "pixel " << idx;
}

TEST_F(LandsatSubsetIndices, NdviNdwiMndwiMatchReferencePixels) {
  const auto& s = *subset_;
  const auto ndvi_ref = reference("l8_ndvi");
  const auto ndwi_ref = reference("l8_ndwi");
  const auto mndwi_ref = reference("l8_mndwi");
  for (std::size_t idx = 0; idx < s.size(); ++idx) {
    ASSERT_NEAR(ndvi(s.nir[idx], s.red[idx]), ndvi_ref[idx], 1e-12) << "pixel " << idx;
    ASSERT_NEAR(ndwi(s.green[idx], s.nir[idx]), ndwi_ref[idx], 1e-12) << "pixel " << idx;
    ASSERT_NEAR(mndwi(s.green[idx], s.swir1[idx]), mndwi_ref[idx], 1e-12) << "pixel " << idx;
  }
}

TEST_F(LandsatSubsetIndices, Landsat7TmBandMapAndMtlGiveTheReferenceNdviNdwiMndwi) {
  // Landsat 7 ETM+ of 2001 on the same grid: Byte DNs, its own MTL, the TM band numbers of the
  // landsat7 preset (green 2, red 3, NIR 4, SWIR1 5).
  const MtlMetadata mtl = parse_mtl(test::read_text(test::kL7Mtl), test::kL7Mtl);
  const BandMap bands = sensor_preset(Sensor::landsat7).bands;
  const auto toa = [&](BandRole role) {
    const std::string band = std::to_string(bands[role_index(role)]);
    const ReflectanceCalibration cal = mtl_reflectance_calibration(mtl, band);
    std::vector<double> values = reference("l7_dn_b" + band);
    for (double& value : values)
      value = cal.apply(value);
    return values;
  };
  const auto green = toa(BandRole::green), red = toa(BandRole::red), nir = toa(BandRole::nir),
             swir1 = toa(BandRole::swir1);
  const auto red_ref = reference("l7_toa_b3"), ndvi_ref = reference("l7_ndvi"),
             ndwi_ref = reference("l7_ndwi"), mndwi_ref = reference("l7_mndwi");
  for (std::size_t idx = 0; idx < red.size(); ++idx) {
    ASSERT_NEAR(red[idx], red_ref[idx], 1e-12) << "pixel " << idx;
    ASSERT_NEAR(ndvi(nir[idx], red[idx]), ndvi_ref[idx], 1e-12) << "pixel " << idx;
    ASSERT_NEAR(ndwi(green[idx], nir[idx]), ndwi_ref[idx], 1e-12) << "pixel " << idx;
    ASSERT_NEAR(mndwi(green[idx], swir1[idx]), mndwi_ref[idx], 1e-12) << "pixel " << idx;
  }
}

TEST_F(LandsatSubsetIndices, EviNdmiSiIbiNdbsiWetMatchRTerra) {
  const auto& s = *subset_;
  const WetnessCoefficients oli = preset_wetness(Sensor::landsat8);
  const auto evi_ref = expected("evi"), ndmi_ref = expected("ndmi"), si_ref = expected("si"),
             ibi_ref = expected("ibi"), ndbsi_ref = expected("ndbsi"), wet_ref = expected("wet");
  for (std::size_t idx = 0; idx < s.size(); ++idx) {
    const double b = s.blue[idx], g = s.green[idx], r = s.red[idx], n = s.nir[idx],
                 s1 = s.swir1[idx], s2 = s.swir2[idx];
    ASSERT_NEAR(evi(n, r, b), evi_ref[idx], 1e-9) << "pixel " << idx;
    ASSERT_NEAR(ndmi(n, s1), ndmi_ref[idx], 1e-9) << "pixel " << idx;
    ASSERT_NEAR(si(s1, r, n, b), si_ref[idx], 1e-9) << "pixel " << idx;
    ASSERT_NEAR(ibi(s1, n, r, g), ibi_ref[idx], 1e-9) << "pixel " << idx;
    ASSERT_NEAR(ndbsi(s1, r, n, b, g), ndbsi_ref[idx], 1e-9) << "pixel " << idx;
    ASSERT_NEAR(wet(oli, b, g, r, n, s1, s2), wet_ref[idx], 1e-9) << "pixel " << idx;
  }
}

TEST_F(LandsatSubsetIndices, LstFromBrightnessTemperatureMatchesRTerra) {
  const auto& s = *subset_;
  const auto lst_ref = expected("lst_K");
  const double wavelength_um = sensor_preset(Sensor::landsat8).thermal_wavelength_um.value();
  for (std::size_t idx = 0; idx < s.size(); ++idx)
    ASSERT_NEAR(lst_from_brightness_K(s.bt_K[idx], 0.97, wavelength_um), lst_ref[idx], 1e-9)
        << "pixel " << idx;
}

TEST_F(LandsatSubsetIndices, FvcPercentilesEqualRQuantileTypeOneAndFvcMatchesRTerra) {
  const auto& s = *subset_;
  std::vector<double> ndvi_values(s.size());
  for (std::size_t idx = 0; idx < s.size(); ++idx)
    ndvi_values[idx] = ndvi(s.nir[idx], s.red[idx]);
  const CsvText pct = read_csv_file(test::kSubsetDir + "/expected_percentiles.csv");
  const double p05_R = pct.number(0, pct.column("value"));
  const double p95_R = pct.number(1, pct.column("value"));
  const std::vector<double> probs{5.0 / 100.0, 95.0 / 100.0};
  // Exact on R's own NDVI values (written with 17 digits, so read back bit for bit): the same
  // order statistics as quantile(type = 1).
  const auto from_r = quantiles_type1(expected("ndvi"), probs);
  EXPECT_EQ(from_r[0], p05_R);
  EXPECT_EQ(from_r[1], p95_R);
  // On our NDVI (TOA arithmetic in another order than R's, so last-bit differences).
  const auto bounds = quantiles_type1(ndvi_values, probs);
  EXPECT_NEAR(bounds[0], p05_R, 1e-15);
  EXPECT_NEAR(bounds[1], p95_R, 1e-15);
  const auto fvc_ref = expected("fvc");
  for (std::size_t idx = 0; idx < s.size(); ++idx)
    ASSERT_NEAR(fvc(ndvi_values[idx], bounds[0], bounds[1]), fvc_ref[idx], 1e-9) << "pixel " << idx;
}

}  // namespace
}  // namespace minecarbon::rs
