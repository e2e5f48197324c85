// SOC stocks of profiles: horizon arithmetic, fixed depth intervals, the equal-area spline,
// equivalent soil mass, the bulk-density pedotransfer function and the summaries.
// Known answers: the worked example of docs/carbon_methods.md §3.1, the aqp profiles
// and their reference stocks (tests/data/soil_carbon/README.md), and hand computations written
// out beside each assertion.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "minecarbon/carbon/soil_stock.h"
#include "minecarbon/core/csv.h"

namespace mc = minecarbon::carbon;

namespace {

std::string data_path(const std::string& name) {
  return std::string(MC_TEST_DATA_DIR) + "/soil_carbon/" + name;
}

// Profiles of an aqp horizon table, keeping only horizons with C and Db (NA frags = 0).
std::map<std::string, std::vector<mc::SoilHorizon>> read_aqp(const std::string& file,
                                                             bool has_frags) {
  const minecarbon::CsvText csv = minecarbon::read_csv_file(data_path(file));
  const auto c_id = csv.column("id"), c_top = csv.column("top"), c_bottom = csv.column("bottom"),
             c_c = csv.column("C"), c_db = csv.column("Db");
  std::map<std::string, std::vector<mc::SoilHorizon>> out;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    mc::SoilHorizon h;
    h.top_cm = csv.number(row, c_top);
    h.bottom_cm = csv.number(row, c_bottom);
    h.soc_g_kg = csv.number(row, c_c);
    h.bd_g_cm3 = csv.number(row, c_db);
    h.coarse_pct = has_frags ? csv.number(row, csv.column("frags")) : 0.0;
    if (std::isnan(h.coarse_pct)) h.coarse_pct = 0.0;
    out[csv.rows[row][c_id]].push_back(h);
  }
  return out;
}

bool complete(const std::vector<mc::SoilHorizon>& horizons) {
  for (const auto& h : horizons) {
    if (std::isnan(h.soc_g_kg) || std::isnan(h.bd_g_cm3)) return false;
  }
  return true;
}

std::vector<double> knots_of(const std::vector<mc::SoilHorizon>& horizons) {
  std::vector<double> knots = {horizons.front().top_cm};
  for (const auto& h : horizons)
    knots.push_back(h.bottom_cm);
  return knots;
}

}  // namespace

// ---- degenerate inputs ---------------------------------------------------------------------

TEST(SoilStock, EmptyProfileHasNoStockAndSaysSo) {
  const std::vector<mc::SoilHorizon> none;
  EXPECT_EQ(mc::horizon_sequence_problem(none), "no horizons");
  EXPECT_TRUE(std::isnan(mc::interval_stock_tC_ha(none, {0, 30})));
  EXPECT_TRUE(std::isnan(mc::soc_at_fine_earth_mass_tC_ha(none, 100)));
}

TEST(SoilStock, MeanOfNothingIsNaNAndOneValueHasNoStandardError) {
  const std::vector<double> none, one = {42.0};
  EXPECT_EQ(mc::mean_and_se(none).n, 0u);
  EXPECT_TRUE(std::isnan(mc::mean_and_se(none).mean));
  EXPECT_EQ(mc::mean_and_se(one).mean, 42.0);
  EXPECT_TRUE(std::isnan(mc::mean_and_se(one).se));
}

TEST(SoilStock, AllCoarseFragmentsHoldNoCarbon) {
  const mc::SoilHorizon rock{0, 20, 15, 1.4, 100};
  EXPECT_EQ(mc::horizon_soc_stock_tC_ha(rock), 0.0);
  EXPECT_EQ(mc::horizon_fine_earth_Mg_ha(rock), 0.0);
}

// ---- sequence and value checks ---------------------------------------------------------------

TEST(SoilStock, OverlappingHorizonsAreNamedWithTheirDepths) {
  const std::vector<mc::SoilHorizon> h = {{0, 20, 10, 1.3, 0}, {15, 40, 5, 1.4, 0}};
  const std::string problem = mc::horizon_sequence_problem(h);
  EXPECT_NE(problem.find("horizon 2 (15-40 cm) overlaps horizon 1 (0-20 cm)"), std::string::npos)
      << problem;
}

TEST(SoilStock, GapBetweenHorizonsIsNamed) {
  const std::vector<mc::SoilHorizon> h = {{0, 20, 10, 1.3, 0}, {25, 40, 5, 1.4, 0}};
  const std::string problem = mc::horizon_sequence_problem(h);
  EXPECT_NE(problem.find("gap between horizon 1 (ends at 20 cm) and horizon 2 (25-40 cm)"),
            std::string::npos)
      << problem;
}

TEST(SoilStock, ProfileMustStartAtTheSurfaceAndHorizonsMustHaveThickness) {
  EXPECT_NE(mc::horizon_sequence_problem(std::vector<mc::SoilHorizon>{{5, 20, 10, 1.3, 0}})
                .find("must start at 0 cm"),
            std::string::npos);
  EXPECT_NE(mc::horizon_sequence_problem(std::vector<mc::SoilHorizon>{{0, 0, 10, 1.3, 0}})
                .find("bottom must be below top"),
            std::string::npos);
}

TEST(SoilStock, PhysicallyImpossibleValuesAreRejected) {
  EXPECT_NE(mc::horizon_value_problem({0, 10, 10, 2.7, 0}).find("bulk density = 2.7"),
            std::string::npos);
  EXPECT_NE(mc::horizon_value_problem({0, 10, 700, 1.2, 0}).find("SOC = 700"), std::string::npos);
  EXPECT_NE(mc::horizon_value_problem({0, 10, -1, 1.2, 0}).find("SOC = -1"), std::string::npos);
  EXPECT_NE(mc::horizon_value_problem({0, 10, 10, 1.2, 120}).find("coarse fragments = 120"),
            std::string::npos);
  EXPECT_EQ(mc::horizon_value_problem({0, 10, 10, 2.65, 100}), "");
}

// ---- hand computations -----------------------------------------------------------------------

TEST(SoilStock, MethodsNoteWorkedExample) {
  // carbon_methods.md §3.1: SOC 1.2 % (12 g/kg), BD 1.35 g/cm3, 0-30 cm, CF 10 % → 43.74 t C/ha.
  const mc::SoilHorizon h{0, 30, 12, 1.35, 10};
  EXPECT_NEAR(mc::horizon_soc_stock_tC_ha(h), 43.74, 1e-12);
  // Fine earth: 1.35 Mg/m3 × 0.30 m × 1e4 m2/ha × 0.9 = 3645 Mg/ha.
  EXPECT_NEAR(mc::horizon_fine_earth_Mg_ha(h), 3645.0, 1e-9);
}

TEST(SoilStock, IntervalTakesTheFractionOfEachHorizonInside) {
  // 0-10 cm: 20 g/kg × 1.2 × 10 / 10 = 24 t/ha; 10-40 cm: 10 × 1.4 × 30 / 10 = 42 t/ha.
  // 0-30 cm = 24 + 42 × 20/30 = 52; 10-20 cm = 42 × 10/30 = 14; 0-40 = 66; 0-50: too deep.
  const std::vector<mc::SoilHorizon> h = {{0, 10, 20, 1.2, 0}, {10, 40, 10, 1.4, 0}};
  EXPECT_NEAR(mc::interval_stock_tC_ha(h, {0, 30}), 52.0, 1e-12);
  EXPECT_NEAR(mc::interval_stock_tC_ha(h, {10, 20}), 14.0, 1e-12);
  EXPECT_NEAR(mc::interval_stock_tC_ha(h, {0, 40}), 66.0, 1e-12);
  EXPECT_TRUE(std::isnan(mc::interval_stock_tC_ha(h, {0, 50})));
  // Fine earth to 30 cm: 1.2 × 10 × 100 + 1.4 × 20 × 100 = 1200 + 2800 = 4000 Mg/ha.
  EXPECT_NEAR(mc::fine_earth_to_depth_Mg_ha(h, 30), 4000.0, 1e-9);
}

TEST(SoilStock, MeanAndStandardErrorByHand) {
  // {40, 44, 48}: mean 44, sample sd 4, se 4/√3 = 2.3094010767585.
  const std::vector<double> v = {40, 44, 48, std::nan("")};
  const mc::MeanSe s = mc::mean_and_se(v);
  EXPECT_EQ(s.n, 3u);
  EXPECT_NEAR(s.mean, 44.0, 1e-12);
  EXPECT_NEAR(s.se, 2.3094010767585, 1e-12);
}

TEST(SoilStock, RecoveryAgainstReference) {
  // 30 ± 3 against 60 ± 4: difference −30 ± √(9 + 16) = 5; recovery 50 %.
  const mc::StockComparison c = mc::compare_stocks({5, 30, 3}, {6, 60, 4});
  EXPECT_NEAR(c.difference_tC_ha, -30.0, 1e-12);
  EXPECT_NEAR(c.difference_se_tC_ha, 5.0, 1e-12);
  EXPECT_NEAR(c.recovery_pct, 50.0, 1e-12);
}

TEST(SoilStock, SongPedotransferFunction) {
  // BD = 1.377·exp(−0.0048·SOC): 1.377 at 0; at 10 g/kg 1.377·e^(−0.048) = 1.377 × 0.95313379
  // = 1.31246523 (calculator).
  EXPECT_NEAR(mc::bulk_density_ptf_g_cm3(mc::BulkDensityPtf::song2005, 0.0), 1.377, 1e-12);
  EXPECT_NEAR(mc::bulk_density_ptf_g_cm3(mc::BulkDensityPtf::song2005, 10.0), 1.31246523, 1e-8);
  EXPECT_TRUE(std::isnan(mc::bulk_density_ptf_g_cm3(mc::BulkDensityPtf::none, 10.0)));
  mc::BulkDensityPtf ptf = mc::BulkDensityPtf::none;
  EXPECT_TRUE(mc::parse_bulk_density_ptf("song2005", ptf));
  EXPECT_EQ(ptf, mc::BulkDensityPtf::song2005);
  EXPECT_FALSE(mc::parse_bulk_density_ptf("adams", ptf));
}

// ---- equivalent soil mass --------------------------------------------------------------------

TEST(EquivalentSoilMass, CompactionNoLongerLooksLikeAGain) {
  // Reference: 0-30 cm, BD 1.0, 10 g/kg → 3000 Mg/ha fine earth and 30 t C/ha.
  // Compacted: 0-20 cm BD 1.5 10 g/kg (3000 Mg/ha, 30 t) over 20-40 cm BD 1.5 5 g/kg (3000, 15 t).
  // Fixed depth 0-30: 30 + 15/2 = 37.5, an apparent gain of 7.5 that is only compaction;
  // at the reference mass 3000 Mg/ha the compacted soil holds 30, the same as the reference.
  const std::vector<mc::SoilHorizon> reference = {{0, 30, 10, 1.0, 0}};
  const std::vector<mc::SoilHorizon> compacted = {{0, 20, 10, 1.5, 0}, {20, 40, 5, 1.5, 0}};
  EXPECT_NEAR(mc::interval_stock_tC_ha(compacted, {0, 30}), 37.5, 1e-12);
  const double m_ref = mc::fine_earth_to_depth_Mg_ha(reference, 30);
  EXPECT_NEAR(m_ref, 3000.0, 1e-9);
  EXPECT_NEAR(mc::esm_interval_stock_tC_ha(compacted, 0.0, m_ref), 30.0, 1e-12);
  // Half way into the second horizon: 30 + 1500 × 15/3000 = 37.5.
  EXPECT_NEAR(mc::soc_at_fine_earth_mass_tC_ha(compacted, 4500), 37.5, 1e-12);
  // Beyond the profile's 6000 Mg/ha: unknown.
  EXPECT_TRUE(std::isnan(mc::soc_at_fine_earth_mass_tC_ha(compacted, 6001)));
}

// ---- equal-area spline -----------------------------------------------------------------------

TEST(EqualAreaSpline, OneLayerIsItsMean) {
  const std::vector<double> knots = {0, 25}, y = {7.0};
  const mc::EqualAreaSpline s = mc::fit_equal_area_spline(knots, y, 0.1);
  EXPECT_EQ(s.value(0), 7.0);
  EXPECT_EQ(s.value(25), 7.0);
  EXPECT_NEAR(s.integral(0, 25), 175.0, 1e-12);
  EXPECT_TRUE(std::isnan(s.value(26)));
}

TEST(EqualAreaSpline, TwoLayersByHandWithoutSmoothing) {
  // Layers 0-10 (y 10) and 10-30 (y 4), λ = 0. R = 2(10 + 20) = 60, (Qs) = 4 − 10 = −6,
  // m1 = 6·(−6)/60 = −0.6. f(0) = 10 − 10(0 − 0.6)/6 = 11; f(10) = 10 + 10(0 − 1.2)/6 = 8;
  // f(30) = 4 + 20(−0.6 + 0)/6 = 2. Layer 1: f = 11 − 0.03 t², mean 11 − 1 = 10.
  const std::vector<double> knots = {0, 10, 30}, y = {10, 4};
  const mc::EqualAreaSpline s = mc::fit_equal_area_spline(knots, y, 0.0);
  EXPECT_NEAR(s.value(0), 11.0, 1e-12);
  EXPECT_NEAR(s.value(10), 8.0, 1e-12);
  EXPECT_NEAR(s.value(30), 2.0, 1e-12);
  EXPECT_NEAR(s.value(5), 11.0 - 0.03 * 25.0, 1e-12);
  EXPECT_NEAR(s.integral(0, 10) / 10.0, 10.0, 1e-12);
  EXPECT_NEAR(s.integral(10, 30) / 20.0, 4.0, 1e-12);
}

TEST(EqualAreaSpline, TwoLayersByHandWithSmoothing) {
  // λ = 0.1, n = 2: QᵀR⁻¹Q = (1/60)[[1, −1], [−1, 1]], so (I + 6·2·0.1/60 ·…) s = y reads
  // 1.02 s1 − 0.02 s2 = 10, −0.02 s1 + 1.02 s2 = 4 → s1 + s2 = 14, s1 − s2 = 6/1.04:
  // s1 = 9.88461538461538, s2 = 4.11538461538462.
  const std::vector<double> knots = {0, 10, 30}, y = {10, 4};
  const mc::EqualAreaSpline s = mc::fit_equal_area_spline(knots, y, 0.1);
  EXPECT_NEAR(s.fitted_means[0], 9.88461538461538, 1e-12);
  EXPECT_NEAR(s.fitted_means[1], 4.11538461538462, 1e-12);
  EXPECT_NEAR(s.integral(0, 10) / 10.0, s.fitted_means[0], 1e-12);
  EXPECT_NEAR(s.integral(10, 30) / 20.0, s.fitted_means[1], 1e-12);
}

TEST(EqualAreaSpline, ReproducesTheLayerMeansOfRealProfiles) {
  // Every complete aqp profile (sierraTransect andesite, sp6 with Db), carbon density per cm:
  // with λ = 0 the spline's mean over each horizon is the horizon's value; with λ = 0.1 it is
  // the fitted mean s_i, and Σ s_i = Σ y_i (the stationarity condition sums to zero).
  int profiles = 0;
  for (const auto& [file, frags] :
       std::vector<std::pair<std::string, bool>>{{"sierraTransect_horizons.csv", true}}) {
    for (const auto& [id, horizons] : read_aqp(file, frags)) {
      if (!complete(horizons)) continue;
      ++profiles;
      const std::vector<double> knots = knots_of(horizons);
      std::vector<double> y;
      for (const auto& h : horizons)
        y.push_back(mc::horizon_carbon_density_tC_ha_cm(h));
      const mc::EqualAreaSpline exact = mc::fit_equal_area_spline(knots, y, 0.0);
      const mc::EqualAreaSpline smooth = mc::fit_equal_area_spline(knots, y, 0.1);
      double sum_y = 0.0, sum_s = 0.0;
      for (std::size_t i = 0; i < y.size(); ++i) {
        const double h = knots[i + 1] - knots[i];
        EXPECT_NEAR(exact.integral(knots[i], knots[i + 1]) / h, y[i], 1e-10) << id << " " << i;
        EXPECT_NEAR(smooth.integral(knots[i], knots[i + 1]) / h, smooth.fitted_means[i], 1e-10)
            << id;
        // Continuity of f at the inner knots (both pieces meet).
        if (i > 0) {
          EXPECT_NEAR(smooth.value(knots[i] - 1e-9), smooth.value(knots[i] + 1e-9), 1e-6) << id;
        }
        sum_y += y[i];
        sum_s += smooth.fitted_means[i];
      }
      EXPECT_NEAR(sum_s, sum_y, 1e-10) << id;
      // f' = 0 at the surface: f moves by less than 1e-6 over the first 1e-4 cm.
      EXPECT_NEAR(smooth.value(knots.front() + 1e-4), smooth.value(knots.front()), 1e-6) << id;
    }
  }
  EXPECT_EQ(profiles, 7);  // the 7 andesite profiles with C and Db (README)
}

TEST(EqualAreaSpline, ExactSplineGivesTheSameStocksAsSplittingAtHorizonBoundaries) {
  // Aiken (sierraTransect): horizons 0-10-40-60-100-158-200. At the boundaries 0-40 and 0-100
  // the λ = 0 spline integrates to the summed horizon stocks.
  const auto profiles = read_aqp("sierraTransect_horizons.csv", true);
  const auto& aiken = profiles.at("Aiken");
  std::vector<double> y;
  for (const auto& h : aiken)
    y.push_back(mc::horizon_carbon_density_tC_ha_cm(h));
  const mc::EqualAreaSpline s = mc::fit_equal_area_spline(knots_of(aiken), y, 0.0);
  for (const mc::DepthInterval interval : {mc::DepthInterval{0, 40}, mc::DepthInterval{0, 100}}) {
    EXPECT_NEAR(mc::spline_interval_stock_tC_ha(s, interval).stock_tC_ha,
                mc::interval_stock_tC_ha(aiken, interval), 1e-9);
  }
}

// ---- known answers: aqp profiles ---------------------------------------------------------------

TEST(SoilStock, AqpProfilesMatchTheReferenceStocks) {
  // tests/data/soil_carbon/computed_profile_stocks.csv: 0-30 cm and whole-profile stocks,
  // kg C/m2 (× 10 = t C/ha), printed to 3-5 decimals.
  const minecarbon::CsvText ref =
      minecarbon::read_csv_file(data_path("computed_profile_stocks.csv"));
  const auto c_id = ref.column("id"), c_030 = ref.column("stock_0_30_kg_m2"),
             c_all = ref.column("stock_profile_kg_m2"), c_set = ref.column("dataset");
  const auto sierra = read_aqp("sierraTransect_horizons.csv", true);
  const auto sp6 = read_aqp("sp6_manganiferous.csv", false);
  int checked = 0;
  for (std::size_t row = 0; row < ref.rows.size(); ++row) {
    const std::string id = ref.rows[row][c_id];
    const double want_030 = ref.number(row, c_030);
    const double want_all = ref.number(row, c_all);
    if (std::isnan(want_030)) continue;
    const auto& profiles = ref.rows[row][c_set] == "sp6" ? sp6 : sierra;
    const auto& horizons = profiles.at(id);
    EXPECT_NEAR(mc::interval_stock_tC_ha(horizons, {0, 30}) / 10.0, want_030, 6e-4) << id;
    ++checked;
    if (!std::isnan(want_all)) {
      const mc::DepthInterval whole{0, horizons.back().bottom_cm};
      EXPECT_NEAR(mc::interval_stock_tC_ha(horizons, whole) / 10.0, want_all, 6e-4) << id;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 18);  // 7 sierraTransect × 2 + 4 sp6 (0-30 only)
}
