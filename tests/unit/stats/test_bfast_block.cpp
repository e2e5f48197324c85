// Tests of stats::bfast_monitor_block, the per-pixel form of BFAST Monitor: a synthetic 16-day
// NDVI stack (276 dates, 2000–2011) with scene-wide and per-pixel gaps and planted disturbances.
// Oracles: the per-series function (exact equality), an independent per-pixel least-squares fit
// by Eigen's column-pivoting QR (1e-10), and the planted disturbance dates.
#include "minecarbon/core/nan.h"
#include "minecarbon/stats/bfast_monitor.h"
#include "minecarbon/stats/harmonic_design.h"

#include <gtest/gtest.h>
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <random>
#include <set>
#include <vector>

using minecarbon::kNaN;

namespace {

using namespace minecarbon::stats;

constexpr int kDates = 276;
constexpr double kDropYr = 2009.5;  // planted disturbance date
constexpr double kDrop = -0.2;

struct Stack {
  std::vector<double> time;
  std::vector<double> values;  // [date][pixel]
  std::vector<bool> disturbed;
  int n_pixels = 0;
  int distinct_patterns = 0;
};

// Pixels 0..99 complete (one shared pattern), 100..299 under one of four scene cloud masks,
// 300..599 with their own random gaps (15 %); every third pixel disturbed from kDropYr.
Stack make_stack() {
  Stack s;
  s.n_pixels = 600;
  for (int d = 0; d < kDates; ++d)
    s.time.push_back(2000.0 + d / 23.0);
  std::mt19937_64 rng(20261207);
  std::normal_distribution<double> noise(0.0, 0.02);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::vector<std::vector<bool>> scene_clouds(4, std::vector<bool>(kDates, false));
  for (auto& mask : scene_clouds)
    for (int d = 0; d < kDates; ++d)
      mask[static_cast<std::size_t>(d)] = unif(rng) < 0.2;
  s.values.assign(static_cast<std::size_t>(kDates * s.n_pixels), kNaN);
  s.disturbed.assign(static_cast<std::size_t>(s.n_pixels), false);
  std::set<std::vector<bool>> patterns;
  for (int px = 0; px < s.n_pixels; ++px) {
    const double amplitude = 0.1 + 0.1 * unif(rng);
    const double mean = 0.4 + 0.3 * unif(rng);
    const bool disturbed = px % 3 == 0;
    s.disturbed[static_cast<std::size_t>(px)] = disturbed;
    std::vector<bool> missing(kDates, false);
    for (int d = 0; d < kDates; ++d) {
      if (px >= 100 && px < 300)
        missing[static_cast<std::size_t>(d)] =
            scene_clouds[static_cast<std::size_t>(px % 4)][static_cast<std::size_t>(d)];
      if (px >= 300) missing[static_cast<std::size_t>(d)] = unif(rng) < 0.15;
      const double t = s.time[static_cast<std::size_t>(d)];
      double v = mean + 0.003 * (t - 2000) + amplitude * std::cos(2 * std::numbers::pi * t) +
                 0.03 * std::sin(4 * std::numbers::pi * t) + noise(rng);
      if (disturbed && t >= kDropYr) v += kDrop;
      if (!missing[static_cast<std::size_t>(d)])
        s.values[static_cast<std::size_t>(d * s.n_pixels + px)] = v;
    }
    patterns.insert(missing);
  }
  s.distinct_patterns = static_cast<int>(patterns.size());
  return s;
}

std::vector<double> pixel_series(const Stack& s, int px) {
  std::vector<double> y(kDates);
  for (int d = 0; d < kDates; ++d)
    y[static_cast<std::size_t>(d)] = s.values[static_cast<std::size_t>(d * s.n_pixels + px)];
  return y;
}

BfastMonitorParams params_for(BfastHistory history) {
  BfastMonitorParams params;
  params.design = {SeasonTrendModel::trend_harmon, 3, 23};
  params.history = history;
  params.history_start_yr = 2003.0;
  params.monitor_start_yr = 2009.0;
  return params;
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

TEST(BfastBlockEdges, EmptyBlockAndAllMissingPixel) {
  std::vector<double> time;
  for (int d = 0; d < kDates; ++d)
    time.push_back(2000.0 + d / 23.0);
  const BfastMonitorParams params = params_for(BfastHistory::roc);
  EXPECT_EQ(bfast_monitor_block(time, {}, 0, params, {}), 0);
  // Pixel 0 all missing, pixel 1 missing before monitoring only: both too few, no break.
  std::vector<double> values(static_cast<std::size_t>(kDates * 2), kNaN);
  for (int d = 0; d < kDates; ++d)
    if (time[static_cast<std::size_t>(d)] >= params.monitor_start_yr)
      values[static_cast<std::size_t>(d * 2 + 1)] = 0.5;
  std::vector<BfastMonitorResult> out(2);
  EXPECT_EQ(bfast_monitor_block(time, values, 2, params, out), 2);
  for (const auto& res : out) {
    EXPECT_EQ(res.status, BfastStatus::too_few_history);
    EXPECT_FALSE(res.has_break);
    EXPECT_EQ(res.n_history, 0);
  }
  EXPECT_EQ(out[0].n_monitor, 0);
  EXPECT_EQ(out[1].n_monitor, 69);
}

class BfastBlock : public ::testing::TestWithParam<BfastHistory> {};

TEST_P(BfastBlock, EqualsPerSeriesFunctionExactly) {
  const Stack s = make_stack();
  const BfastMonitorParams params = params_for(GetParam());
  const int p = params.design.columns();
  std::vector<BfastMonitorResult> out(static_cast<std::size_t>(s.n_pixels));
  std::vector<double> coef(static_cast<std::size_t>(s.n_pixels * p));
  const int patterns = bfast_monitor_block(s.time, s.values, s.n_pixels, params, out, coef);
  EXPECT_EQ(patterns, s.distinct_patterns);
  EXPECT_LT(patterns, s.n_pixels);  // the complete and scene-cloud pixels share patterns
  for (int px = 0; px < s.n_pixels; ++px) {
    SCOPED_TRACE(px);
    std::vector<double> coef_one;
    const auto one = bfast_monitor(s.time, pixel_series(s, px), params, &coef_one);
    const auto& blk = out[static_cast<std::size_t>(px)];
    ASSERT_EQ(blk.status, one.status);
    EXPECT_EQ(blk.history_start_index, one.history_start_index);
    EXPECT_EQ(blk.n_history, one.n_history);
    EXPECT_EQ(blk.n_monitor, one.n_monitor);
    EXPECT_EQ(blk.has_break, one.has_break);
    EXPECT_EQ(blk.break_index, one.break_index);
    EXPECT_TRUE(same(blk.break_yr, one.break_yr));
    EXPECT_TRUE(same(blk.magnitude, one.magnitude));
    EXPECT_TRUE(same(blk.sigma, one.sigma));
    EXPECT_TRUE(same(blk.statistic, one.statistic));
    EXPECT_TRUE(same(blk.roc_p_value, one.roc_p_value));
    ASSERT_EQ(coef_one.size(), static_cast<std::size_t>(p));
    for (int c = 0; c < p; ++c)
      EXPECT_EQ(coef[static_cast<std::size_t>(px * p + c)], coef_one[static_cast<std::size_t>(c)]);
  }
}

TEST_P(BfastBlock, MatchesPerPixelQr) {
  const Stack s = make_stack();
  const BfastMonitorParams params = params_for(GetParam());
  const int p = params.design.columns();
  std::vector<BfastMonitorResult> out(static_cast<std::size_t>(s.n_pixels));
  std::vector<double> coef(static_cast<std::size_t>(s.n_pixels * p));
  bfast_monitor_block(s.time, s.values, s.n_pixels, params, out, coef);
  const Eigen::MatrixXd x_all = params.design.matrix(s.time);
  for (int px = 0; px < s.n_pixels; ++px) {
    SCOPED_TRACE(px);
    const auto& res = out[static_cast<std::size_t>(px)];
    ASSERT_EQ(res.status, BfastStatus::ok);
    const auto y = pixel_series(s, px);
    // The history rows the block chose (its start is checked against R in test_bfast_monitor).
    std::vector<int> hist;
    std::vector<int> monitor;
    for (int d = 0; d < kDates; ++d) {
      if (std::isnan(y[static_cast<std::size_t>(d)])) continue;
      if (s.time[static_cast<std::size_t>(d)] >= params.monitor_start_yr)
        monitor.push_back(d);
      else if (d >= res.history_start_index)
        hist.push_back(d);
    }
    ASSERT_EQ(static_cast<int>(hist.size()), res.n_history);
    Eigen::MatrixXd xh(static_cast<Eigen::Index>(hist.size()), p);
    Eigen::VectorXd yh(static_cast<Eigen::Index>(hist.size()));
    for (std::size_t r = 0; r < hist.size(); ++r) {
      xh.row(static_cast<Eigen::Index>(r)) = x_all.row(hist[r]);
      yh(static_cast<Eigen::Index>(r)) = y[static_cast<std::size_t>(hist[r])];
    }
    const Eigen::VectorXd beta = xh.colPivHouseholderQr().solve(yh);
    for (int c = 0; c < p; ++c)
      EXPECT_NEAR(coef[static_cast<std::size_t>(px * p + c)], beta(c),
                  1e-10 * std::max(1.0, std::abs(beta(c))));
    const double rss = (yh - xh * beta).squaredNorm();
    EXPECT_NEAR(res.sigma, std::sqrt(rss / (static_cast<double>(hist.size()) - p)), 1e-10);
    std::vector<double> resid;
    for (int d : monitor)
      resid.push_back(y[static_cast<std::size_t>(d)] - x_all.row(d).dot(beta));
    std::sort(resid.begin(), resid.end());
    const std::size_t m = resid.size();
    const double median = m % 2 ? resid[m / 2] : 0.5 * (resid[m / 2 - 1] + resid[m / 2]);
    EXPECT_NEAR(res.magnitude, median, 1e-10);
  }
}

TEST_P(BfastBlock, FindsPlantedDisturbances) {
  const Stack s = make_stack();
  const BfastMonitorParams params = params_for(GetParam());
  std::vector<BfastMonitorResult> out(static_cast<std::size_t>(s.n_pixels));
  bfast_monitor_block(s.time, s.values, s.n_pixels, params, out);
  int false_alarms = 0;
  int stable = 0;
  for (int px = 0; px < s.n_pixels; ++px) {
    const auto& res = out[static_cast<std::size_t>(px)];
    if (s.disturbed[static_cast<std::size_t>(px)]) {
      ASSERT_TRUE(res.has_break) << px;
      // Within the MOSUM window after the drop; magnitude near the planted −0.2.
      EXPECT_GE(res.break_yr, kDropYr) << px;
      EXPECT_LE(res.break_yr, kDropYr + (res.window + 1) / 23.0 * 1.5) << px;
      // 57 of the 69 monitoring dates follow the drop, so the median residual is about kDrop.
      EXPECT_NEAR(res.magnitude, kDrop, 0.05) << px;
    } else {
      ++stable;
      false_alarms += res.has_break ? 1 : 0;
    }
  }
  EXPECT_LE(false_alarms, stable / 10);  // level 0.05 per pixel, with slack
}

INSTANTIATE_TEST_SUITE_P(History, BfastBlock,
                         ::testing::Values(BfastHistory::all, BfastHistory::from_time,
                                           BfastHistory::roc),
                         [](const auto& info) {
                           return std::string(info.param == BfastHistory::roc   ? "roc"
                                              : info.param == BfastHistory::all ? "all"
                                                                                : "from_time");
                         });

}  // namespace
