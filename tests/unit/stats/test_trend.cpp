// Mann–Kendall, Sen's slope and OLS against R (stats::cor.test, lm) and SciPy (kendalltau,
// theilslopes) on the Nile and Lake Huron series (tests/data/trend_series, README there).
#include "minecarbon/stats/trend.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "minecarbon/core/csv.h"

namespace minecarbon::stats {
namespace {

const std::string kDir = std::string(MC_TEST_DATA_DIR) + "/trend_series/";

struct Series {
  std::vector<double> year, value;
};

Series load(const std::string& name) {
  CsvText csv = read_csv_file(kDir + name + ".csv");
  Series s;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    s.year.push_back(csv.number(row, csv.column("year")));
    s.value.push_back(csv.number(row, csv.column("value")));
  }
  return s;
}

nlohmann::json reference(const std::string& file, const std::string& series) {
  std::ifstream in(kDir + file);
  nlohmann::json doc = nlohmann::json::parse(in);
  for (const auto& entry : doc["results"]) {
    if (entry["series"] == series) return entry;
  }
  throw std::runtime_error("no reference for " + series);
}

class TrendVsReference : public ::testing::TestWithParam<std::string> {};

TEST_P(TrendVsReference, MannKendallMatchesR) {
  Series s = load(GetParam());
  nlohmann::json r = reference("reference_mk_R.json", GetParam());
  MannKendall mk = mann_kendall(s.year, s.value);
  EXPECT_EQ(mk.n, r["n"].get<int>());
  EXPECT_DOUBLE_EQ(mk.s, r["S"].get<double>());
  EXPECT_NEAR(mk.var_s, r["var_S"].get<double>(), 1e-6);
  EXPECT_NEAR(mk.tau_b, r["tau_b"].get<double>(), 1e-12);
  EXPECT_NEAR(mk.z, r["z_continuity_corrected"].get<double>(), 1e-10);
  EXPECT_NEAR(mk.p / r["p_two_sided_continuity_corrected"].get<double>(), 1.0, 1e-8);
  EXPECT_NEAR(mk.z_no_continuity, r["z_no_continuity"].get<double>(), 1e-10);
  EXPECT_NEAR(mk.p_no_continuity / r["p_two_sided_no_continuity"].get<double>(), 1.0, 1e-8);
}

TEST_P(TrendVsReference, SenSlopeAndInterceptMatchSciPy) {
  Series s = load(GetParam());
  nlohmann::json r = reference("reference_trend_scipy.json", GetParam());
  SenSlope sen = sen_slope(s.year, s.value);
  EXPECT_NEAR(sen.slope, r["theil_sen_slope"].get<double>(), 1e-12);
  EXPECT_NEAR(sen.intercept, r["theil_sen_intercept"].get<double>(), 1e-8);
  EXPECT_NEAR(mann_kendall(s.year, s.value).tau_b, r["kendalltau_b"].get<double>(), 1e-12);
}

TEST_P(TrendVsReference, OlsSlopeMatchesRLm) {
  Series s = load(GetParam());
  nlohmann::json r = reference("reference_mk_R.json", GetParam());
  EXPECT_NEAR(ols(s.year, s.value).slope, r["lm_slope_ols"].get<double>(), 1e-10);
}

INSTANTIATE_TEST_SUITE_P(RealSeries, TrendVsReference, ::testing::Values("Nile", "LakeHuron"));

TEST(Trend, NonFinitePointsAreDroppedAndCounted) {
  std::vector<double> x{1, 2, 3, 4, 5}, y{1, NAN, 3, 4, 5};
  EXPECT_EQ(ols(x, y).n, 4);
  EXPECT_NEAR(ols(x, y).slope, 1.0, 1e-14);
  EXPECT_NEAR(ols(x, y).r2, 1.0, 1e-14);
  EXPECT_EQ(mann_kendall(x, y).s, 6);
  EXPECT_EQ(sen_slope(x, y).slope, 1.0);
}

TEST(Trend, TooShortOrConstantSeriesGiveNaNNotGarbage) {
  std::vector<double> x{2000, 2001}, y{5, 5};
  EXPECT_TRUE(std::isnan(mann_kendall(x, y).p));
  EXPECT_TRUE(std::isnan(ols(x, y).r2));
  EXPECT_EQ(ols(x, y).slope, 0.0);
  std::vector<double> one{2000}, v{1};
  EXPECT_TRUE(std::isnan(ols(one, v).slope));
  EXPECT_TRUE(std::isnan(sen_slope(one, v).slope));
}

}  // namespace
}  // namespace minecarbon::stats
