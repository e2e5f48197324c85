// RSEI (rs/rsei.h): the co-moment accumulator (degenerate cases, accuracy, bitwise merges in any
// partition), the orientation rule and grades, then the real Landsat 8 subset against R
// stats::prcomp (tests/data/landsat_indices/make_expected.R): per pixel 1e-9, loadings and PC1
// share 1e-12.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "landsat_subset.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/rs/indices.h"
#include "minecarbon/rs/rsei.h"
#include "minecarbon/stats/quantile_type1.h"

namespace minecarbon::rs {
namespace {

using stats::quantiles_type1;

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

bool same_bits(const CoMoments& a, const CoMoments& b) {
  return a.n == b.n && std::memcmp(a.min.data(), b.min.data(), sizeof(a.min)) == 0 &&
         std::memcmp(a.max.data(), b.max.data(), sizeof(a.max)) == 0 &&
         std::memcmp(a.mean.data(), b.mean.data(), sizeof(a.mean)) == 0 &&
         std::memcmp(a.covariance.data(), b.covariance.data(), sizeof(double) * 16) == 0;
}

std::vector<IndicatorVector> random_vectors(std::size_t count, double mean, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::vector<IndicatorVector> out(count);
  for (auto& x : out) {
    const double common = unit(engine);
    x = {mean + common + 0.1 * unit(engine), mean - 0.5 * common + unit(engine),
         mean + 0.3 * unit(engine), mean + 2.0 * common};
  }
  return out;
}

// ---- degenerate inputs ----

TEST(CoMomentAccumulator, EmptyGivesNaNAndNonFiniteVectorsAreNotCounted) {
  CoMomentAccumulator acc;
  EXPECT_TRUE(std::isnan(acc.finish().mean[0]));
  EXPECT_FALSE(acc.add({0.1, kNaN, 0.2, 25.0}));
  EXPECT_FALSE(acc.add({0.1, 0.0, std::numeric_limits<double>::infinity(), 25.0}));
  EXPECT_EQ(acc.n(), 0u);
  EXPECT_TRUE(acc.add({0.1, 0.0, 0.2, 25.0}));
  const CoMoments one = acc.finish();
  EXPECT_EQ(one.n, 1u);
  EXPECT_EQ(one.mean[3], 25.0);
  EXPECT_TRUE(std::isnan(one.covariance(0, 0)));  // divisor n − 1 = 0
}

TEST(RseiBounds, FewerThanTwoPixelsOrAConstantIndicatorIsADataErrorNamingIt) {
  CoMomentAccumulator acc;
  acc.add({0.1, 0.0, 0.2, 25.0});
  EXPECT_THROW(min_max_bounds(acc.finish(), "scene 2013"), DataError);
  const std::string few = message_of([&] { min_max_bounds(acc.finish(), "scene 2013"); });
  EXPECT_NE(few.find("scene 2013"), std::string::npos) << few;
  EXPECT_NE(few.find("at least 2 valid pixels"), std::string::npos) << few;
  acc.add({0.3, 0.0, 0.1, 27.0});  // wet constant at 0
  const std::string constant = message_of([&] { min_max_bounds(acc.finish(), "scene 2013"); });
  EXPECT_NE(constant.find("wet is constant"), std::string::npos) << constant;
  EXPECT_THROW(percentile_bounds({0, 0, 0, 20}, {1, 1, 0, 30}, "s"), DataError);
  Eigen::Matrix4d zero_variance = Eigen::Matrix4d::Identity();
  zero_variance(2, 2) = 0.0;
  const std::string pca =
      message_of([&] { rsei_pca(zero_variance, RseiPcaMatrix::covariance, "scene 2013"); });
  EXPECT_NE(pca.find("ndbsi has zero variance"), std::string::npos) << pca;
  ProjectionRange range;
  EXPECT_THROW(check_projection_range(range, "s"), DataError);
  range.add(0.5);
  EXPECT_THROW(check_projection_range(range, "s"), DataError);
}

// ---- by hand ----

TEST(CoMomentAccumulator, LargeMeanSmallSpreadIsExact) {
  // x = 1e9 + (1, 2, 3, 4): variance 5/3, covariance with −x is −5/3; the one-pass textbook
  // formula in double loses every digit here (Σx² ≈ 4e18, spread 5).
  CoMomentAccumulator acc;
  for (double step : {1.0, 2.0, 3.0, 4.0})
    acc.add({1e9 + step, -(1e9 + step), 0.5 * step, 1.0 + step * step});
  const CoMoments m = acc.finish();
  EXPECT_EQ(m.mean[0], 1e9 + 2.5);
  EXPECT_DOUBLE_EQ(m.covariance(0, 0), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.covariance(0, 1), -5.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.covariance(0, 2), 0.5 * 5.0 / 3.0);
  // cov(step, step²) for 1..4: E = (Σ s·s² − n·s̄·mean(s²))/(n − 1) = (100 − 4·2.5·7.5)/3 = 25/3
  EXPECT_DOUBLE_EQ(m.covariance(0, 3), 25.0 / 3.0);
  EXPECT_EQ(m.min[0], 1e9 + 1.0);
  EXPECT_EQ(m.max[1], -(1e9 + 1.0));
}

TEST(CoMomentAccumulator, AgreesWithTwoPassCovariance) {
  const auto vectors = random_vectors(2000, 30.0, 11);
  CoMomentAccumulator acc;
  for (const auto& x : vectors)
    acc.add(x);
  const CoMoments m = acc.finish();
  // Two passes in long double as the independent answer.
  std::array<long double, 4> mean{};
  for (const auto& x : vectors)
    for (std::size_t k = 0; k < 4; ++k)
      mean[k] += x[k];
  for (auto& value : mean)
    value /= static_cast<long double>(vectors.size());
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(m.mean[k], static_cast<double>(mean[k]), 1e-13);
    for (std::size_t l = 0; l < 4; ++l) {
      long double sum = 0;
      for (const auto& x : vectors)
        sum += (x[k] - mean[k]) * (x[l] - mean[l]);
      const double expected = static_cast<double>(sum / (vectors.size() - 1));
      EXPECT_NEAR(m.covariance(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(l)),
                  expected, 1e-14 * std::max(1.0, std::fabs(expected)))
          << k << "," << l;
    }
  }
}

TEST(CoMomentAccumulator, AnyPartitionMergedInAnyOrderGivesTheSameBits) {
  const auto vectors = random_vectors(5000, 25.0, 7);
  CoMomentAccumulator whole;
  for (const auto& x : vectors)
    whole.add(x);
  const CoMoments reference = whole.finish();
  for (std::size_t block : {1u, 7u, 64u, 999u}) {
    std::vector<CoMomentAccumulator> partials;
    for (std::size_t start = 0; start < vectors.size(); start += block) {
      partials.emplace_back();
      for (std::size_t idx = start; idx < std::min(vectors.size(), start + block); ++idx)
        partials.back().add(vectors[idx]);
    }
    CoMomentAccumulator forward, backward;
    for (const auto& partial : partials)
      forward.merge(partial);
    for (auto it = partials.rbegin(); it != partials.rend(); ++it)
      backward.merge(*it);
    EXPECT_TRUE(same_bits(forward.finish(), reference)) << "blocks of " << block;
    EXPECT_TRUE(same_bits(backward.finish(), reference)) << "blocks of " << block << " reversed";
  }
}

TEST(CoMomentAccumulator, CorrelationOfExactlyRelatedIndicatorsIsPlusOrMinusOne) {
  CoMomentAccumulator acc;
  for (double step : {0.0, 1.0, 2.0, 5.0})
    acc.add({step, -2.0 * step + 1.0, 0.25 * step * step, 3.0 * step + 20.0});
  const Eigen::Matrix4d cor = correlation_from_covariance(acc.finish().covariance);
  EXPECT_EQ(cor(0, 0), 1.0);
  EXPECT_NEAR(cor(0, 1), -1.0, 1e-15);
  EXPECT_NEAR(cor(0, 3), 1.0, 1e-15);
  // cor(s, s²/4) for s = 0, 1, 2, 5, by a two-pass formula.
  const double mean_s = 2.0, mean_q = (0.0 + 0.25 + 1.0 + 6.25) / 4.0;
  double sxy = 0, sxx = 0, syy = 0;
  for (double step : {0.0, 1.0, 2.0, 5.0}) {
    const double q = 0.25 * step * step;
    sxy += (step - mean_s) * (q - mean_q);
    sxx += (step - mean_s) * (step - mean_s);
    syy += (q - mean_q) * (q - mean_q);
  }
  EXPECT_NEAR(cor(0, 2), sxy / std::sqrt(sxx * syy), 1e-15);
}

TEST(RseiPca, OrientationRule) {
  EXPECT_EQ(pc1_orientation_sign({0.5, 0.4, -0.5, -0.5}), 1);
  EXPECT_EQ(pc1_orientation_sign({-0.5, -0.4, 0.5, 0.5}), -1);
  EXPECT_EQ(pc1_orientation_sign({0.0, -0.4, 0.5, 0.5}), -1);  // WET decides
  EXPECT_EQ(pc1_orientation_sign({0.0, 0.0, 0.5, 0.5}), -1);   // LST made negative
  EXPECT_EQ(pc1_orientation_sign({0.0, 0.0, -1.0, 0.0}), 1);   // NDBSI made negative
  EXPECT_EQ(pc1_orientation_sign({0.0, 0.0, 0.0, 0.0}), 1);
}

TEST(RseiGrade, BoundsAreLowerInclusiveAndOneIsExcellent) {
  EXPECT_EQ(rsei_grade(kNaN), RseiGrade::nodata);
  EXPECT_EQ(rsei_grade(0.0), RseiGrade::poor);
  EXPECT_EQ(rsei_grade(std::nextafter(0.2, 0.0)), RseiGrade::poor);
  EXPECT_EQ(rsei_grade(0.2), RseiGrade::fair);
  EXPECT_EQ(rsei_grade(0.4), RseiGrade::moderate);
  EXPECT_EQ(rsei_grade(0.6), RseiGrade::good);
  EXPECT_EQ(rsei_grade(0.8), RseiGrade::excellent);
  EXPECT_EQ(rsei_grade(1.0), RseiGrade::excellent);
  EXPECT_EQ(static_cast<int>(RseiGrade::excellent), 5);
  EXPECT_EQ(kRseiGradeNames.name(RseiGrade::moderate), "moderate");
}

// ---- the real Landsat 8 subset against R prcomp ----

struct SubsetIndicators {
  std::vector<IndicatorVector> x;  // per pixel (NDVI, WET, NDBSI, LST °C)
  std::vector<double> ndvi;
};

SubsetIndicators subset_indicators(const test::LandsatSubset& s) {
  const WetnessCoefficients oli = preset_wetness(Sensor::landsat8);
  const double wavelength_um = sensor_preset(Sensor::landsat8).thermal_wavelength_um.value();
  SubsetIndicators out;
  for (std::size_t idx = 0; idx < s.size(); ++idx) {
    const double b = s.blue[idx], g = s.green[idx], r = s.red[idx], n = s.nir[idx],
                 s1 = s.swir1[idx], s2 = s.swir2[idx];
    out.ndvi.push_back(ndvi(n, r));
    out.x.push_back({ndvi(n, r), wet(oli, b, g, r, n, s1, s2), ndbsi(s1, r, n, b, g),
                     kelvin_to_celsius(lst_from_brightness_K(s.bt_K[idx], 0.97, wavelength_um))});
  }
  return out;
}

struct RseiRun {
  RseiPca pca;
  std::vector<double> rsei;
};

// The passes of the stage on one scene, with the pixels cut into windows of `window` × `window`
// (41 × 41 grid), partials stored by window id and merged in `reverse` or forward order.
RseiRun run_rsei(const SubsetIndicators& ind, RseiPcaMatrix kind, RseiNormalisation norm,
                 std::size_t window = 41, bool reverse = false) {
  constexpr std::size_t kSide = 41;
  std::vector<std::vector<std::size_t>> windows;
  for (std::size_t row0 = 0; row0 < kSide; row0 += window)
    for (std::size_t col0 = 0; col0 < kSide; col0 += window) {
      windows.emplace_back();
      for (std::size_t row = row0; row < std::min(kSide, row0 + window); ++row)
        for (std::size_t col = col0; col < std::min(kSide, col0 + window); ++col)
          windows.back().push_back(row * kSide + col);
    }
  std::vector<std::size_t> order(windows.size());
  for (std::size_t idx = 0; idx < order.size(); ++idx)
    order[idx] = reverse ? order.size() - 1 - idx : idx;

  NormalisationBounds bounds;
  Eigen::Matrix4d cov_ni;
  if (norm == RseiNormalisation::min_max) {
    std::vector<CoMomentAccumulator> partials(windows.size());
    for (std::size_t id : order)
      for (std::size_t pixel : windows[id])
        partials[id].add(ind.x[pixel]);
    CoMomentAccumulator total;
    for (const auto& partial : partials)
      total.merge(partial);
    const CoMoments raw = total.finish();
    bounds = min_max_bounds(raw, "subset");
    cov_ni = normalised_covariance(raw.covariance, bounds);
  } else {
    IndicatorVector low, high;
    for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
      std::vector<double> values;
      for (const auto& x : ind.x)
        values.push_back(x[k]);
      const std::vector<double> probs{0.01, 0.99};
      const auto q = quantiles_type1(values, probs);
      low[k] = q[0];
      high[k] = q[1];
    }
    bounds = percentile_bounds(low, high, "subset");
    CoMomentAccumulator total;
    for (const auto& x : ind.x) {
      IndicatorVector ni;
      for (std::size_t k = 0; k < kRseiIndicatorCount; ++k)
        ni[k] = bounds.normalise(k, x[k]);
      total.add(ni);
    }
    cov_ni = total.finish().covariance;
  }
  RseiRun out;
  out.pca = rsei_pca(cov_ni, kind, "subset");
  ProjectionRange range;
  std::vector<double> p(ind.x.size());
  for (std::size_t pixel = 0; pixel < ind.x.size(); ++pixel) {
    p[pixel] = rsei_projection(out.pca, bounds, ind.x[pixel]);
    range.add(p[pixel]);
  }
  check_projection_range(range, "subset");
  for (double value : p)
    out.rsei.push_back(rsei_rescale(value, range));
  return out;
}

class LandsatSubsetRsei : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    subset_ = new test::LandsatSubset(test::load_landsat_subset());
    indicators_ = new SubsetIndicators(subset_indicators(*subset_));
  }
  static void TearDownTestSuite() {
    delete subset_;
    delete indicators_;
  }
  static void expect_matches_r(const RseiRun& run, const std::string& variant) {
    const CsvText pca = read_csv_file(test::kSubsetDir + "/expected_pca.csv");
    std::size_t row = pca.rows.size();
    for (std::size_t idx = 0; idx < pca.rows.size(); ++idx)
      if (pca.rows[idx][pca.column("variant")] == variant) row = idx;
    ASSERT_LT(row, pca.rows.size()) << variant;
    const char* loading_columns[] = {"loading_ndvi", "loading_wet", "loading_ndbsi",
                                     "loading_lst_C"};
    for (std::size_t k = 0; k < kRseiIndicatorCount; ++k) {
      const double r_loading = pca.number(row, pca.column(loading_columns[k]));
      // Up to sign: the magnitudes agree, and after both orientations the signs too.
      EXPECT_NEAR(std::fabs(run.pca.pc1_loadings[k]), std::fabs(r_loading), 1e-12) << variant;
      EXPECT_NEAR(run.pca.pc1_loadings[k], r_loading, 1e-12) << variant;
      EXPECT_NEAR(run.pca.eigenvalues[k],
                  pca.number(row, pca.column("eigenvalue_" + std::to_string(k + 1))),
                  1e-12 * run.pca.eigenvalues[0])
          << variant;
    }
    EXPECT_NEAR(run.pca.pc1_share, pca.number(row, pca.column("pc1_share")), 1e-12) << variant;
    const auto expected = subset_->expected.numbers(subset_->expected.column("rsei_" + variant));
    ASSERT_EQ(run.rsei.size(), expected.size());
    double worst = 0;
    for (std::size_t pixel = 0; pixel < expected.size(); ++pixel) {
      ASSERT_NEAR(run.rsei[pixel], expected[pixel], 1e-9) << variant << " pixel " << pixel;
      worst = std::max(worst, std::fabs(run.rsei[pixel] - expected[pixel]));
    }
    EXPECT_LT(worst, 1e-12) << variant << ": agreement is far better than the 1e-9 asked for";
  }
  static test::LandsatSubset* subset_;
  static SubsetIndicators* indicators_;
};
test::LandsatSubset* LandsatSubsetRsei::subset_ = nullptr;
SubsetIndicators* LandsatSubsetRsei::indicators_ = nullptr;

TEST_F(LandsatSubsetRsei, CovarianceMinMaxMatchesRPrcomp) {
  const RseiRun run = run_rsei(*indicators_, RseiPcaMatrix::covariance, RseiNormalisation::min_max);
  expect_matches_r(run, "covariance_min_max");
  EXPECT_GT(run.pca.pc1_share, 0.8);  // Xu 2013: PC1 usually carries > 80 %
  EXPECT_GT(run.pca.pc1_loadings[0], 0.0);
  EXPECT_LT(run.pca.pc1_loadings[3], 0.0);  // heat lowers RSEI
}

TEST_F(LandsatSubsetRsei, CorrelationMinMaxMatchesRPrcomp) {
  expect_matches_r(run_rsei(*indicators_, RseiPcaMatrix::correlation, RseiNormalisation::min_max),
                   "correlation_min_max");
}

TEST_F(LandsatSubsetRsei, CovariancePercentileMatchesRPrcomp) {
  expect_matches_r(run_rsei(*indicators_, RseiPcaMatrix::covariance, RseiNormalisation::percentile),
                   "covariance_percentile");
}

TEST_F(LandsatSubsetRsei, EightByEightWindowsInReverseOrderGiveTheSameBits) {
  const RseiRun whole =
      run_rsei(*indicators_, RseiPcaMatrix::covariance, RseiNormalisation::min_max);
  const RseiRun tiled =
      run_rsei(*indicators_, RseiPcaMatrix::covariance, RseiNormalisation::min_max, 8, true);
  ASSERT_EQ(whole.rsei.size(), tiled.rsei.size());
  EXPECT_EQ(std::memcmp(whole.rsei.data(), tiled.rsei.data(), sizeof(double) * whole.rsei.size()),
            0);
  EXPECT_EQ(std::memcmp(whole.pca.pc1_loadings.data(), tiled.pca.pc1_loadings.data(),
                        sizeof(whole.pca.pc1_loadings)),
            0);
}

TEST_F(LandsatSubsetRsei, FlippingTheEigenvectorSignChangesNothing) {
  const RseiRun run = run_rsei(*indicators_, RseiPcaMatrix::covariance, RseiNormalisation::min_max);
  CoMomentAccumulator acc;
  for (const auto& x : indicators_->x)
    acc.add(x);
  const CoMoments raw = acc.finish();
  const NormalisationBounds bounds = min_max_bounds(raw, "subset");
  const Eigen::Matrix4d cov_ni = normalised_covariance(raw.covariance, bounds);
  IndicatorVector v = run.pca.pc1_loadings, minus_v;
  for (std::size_t k = 0; k < kRseiIndicatorCount; ++k)
    minus_v[k] = -v[k];
  const RseiPca plus =
      rsei_pca_from_vector(cov_ni, RseiPcaMatrix::covariance, v, run.pca.eigenvalues);
  const RseiPca minus =
      rsei_pca_from_vector(cov_ni, RseiPcaMatrix::covariance, minus_v, run.pca.eigenvalues);
  EXPECT_EQ(plus.orientation_sign, 1);
  EXPECT_EQ(minus.orientation_sign, -1);
  EXPECT_EQ(plus.projection_weights, minus.projection_weights);
  ProjectionRange range_plus, range_minus;
  std::vector<double> p_plus, p_minus;
  for (const auto& x : indicators_->x) {
    p_plus.push_back(rsei_projection(plus, bounds, x));
    p_minus.push_back(rsei_projection(minus, bounds, x));
    range_plus.add(p_plus.back());
    range_minus.add(p_minus.back());
  }
  for (std::size_t pixel = 0; pixel < p_plus.size(); ++pixel) {
    const double a = rsei_rescale(p_plus[pixel], range_plus);
    const double b = rsei_rescale(p_minus[pixel], range_minus);
    ASSERT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "pixel " << pixel;
    ASSERT_EQ(std::memcmp(&a, &run.rsei[pixel], sizeof a), 0) << "pixel " << pixel;
  }
}

TEST_F(LandsatSubsetRsei, RseiCorrelatesPositivelyWithNdviAndSpansZeroToOne) {
  const RseiRun run = run_rsei(*indicators_, RseiPcaMatrix::covariance, RseiNormalisation::min_max);
  const auto& ndvi_values = indicators_->ndvi;
  const double n = static_cast<double>(ndvi_values.size());
  double mean_r = 0, mean_n = 0;
  for (std::size_t idx = 0; idx < ndvi_values.size(); ++idx) {
    mean_r += run.rsei[idx] / n;
    mean_n += ndvi_values[idx] / n;
  }
  double srn = 0, srr = 0, snn = 0;
  for (std::size_t idx = 0; idx < ndvi_values.size(); ++idx) {
    srn += (run.rsei[idx] - mean_r) * (ndvi_values[idx] - mean_n);
    srr += (run.rsei[idx] - mean_r) * (run.rsei[idx] - mean_r);
    snn += (ndvi_values[idx] - mean_n) * (ndvi_values[idx] - mean_n);
  }
  EXPECT_GT(srn / std::sqrt(srr * snn), 0.8);
  EXPECT_EQ(*std::min_element(run.rsei.begin(), run.rsei.end()), 0.0);
  EXPECT_EQ(*std::max_element(run.rsei.begin(), run.rsei.end()), 1.0);
  std::array<int, 6> grades{};
  for (double value : run.rsei)
    ++grades[static_cast<std::size_t>(rsei_grade(value))];
  EXPECT_EQ(grades[0], 0);
  EXPECT_GT(grades[1], 0);
  EXPECT_GT(grades[5], 0);
}

}  // namespace
}  // namespace minecarbon::rs
