// The per-pixel warning statistics (assess/warning/pixel_warning.h) on a synthetic 16-day NDVI
// stack with cloud gaps and a planted drop (pixel_stack_fixture.h): every pixel of the block
// function equals the per-series function bit for bit, BFAST Monitor with pixels grouped by
// missing-value pattern equals an independent per-pixel QR fit to 1e-10, the planted drops are
// found, and on an annual stack without gaps the pixel statistics equal the per-series stage's.
#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "minecarbon/assess/warning/pixel_warning.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/stats/mosum_critical_values.h"
#include "pixel_stack_fixture.h"

namespace minecarbon::assess::warning {
namespace {

using testing::make_pixel_stack;
using testing::PixelStack;
using testing::PixelStackSpec;

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof(double)) == 0 || (std::isnan(a) && std::isnan(b));
}

std::vector<double> series_of(const PixelStack& s, std::size_t px) {
  std::vector<double> y(s.time_yr.size());
  for (std::size_t d = 0; d < y.size(); ++d)
    y[d] = s.at(d, px);
  return y;
}

PixelSetup setup_16day(const PixelStack& s,
                       stats::BfastHistory history = stats::BfastHistory::all) {
  WarningParams params;
  params.monitor_start = 2009.0;
  params.history = history;
  PixelWarningParams pixel;  // trend+harmon, order 3, frequency 23
  return pixel_setup(params, pixel, s.time_yr);
}

PixelStackSpec default_spec() {
  PixelStackSpec spec;
  spec.row0 = 2;
  spec.row1 = 6;
  spec.col0 = 3;
  spec.col1 = 8;
  return spec;
}

TEST(WarningPixel, PixelWithoutDataHasOnlyNObs) {
  PixelStack s = make_pixel_stack(default_spec());
  for (std::size_t d = 0; d < s.time_yr.size(); ++d)
    s.values[d * s.pixels() + 5] = std::nan("");
  const PixelSetup setup = setup_16day(s);
  std::vector<StatisticValues> out(s.pixels());
  pixel_block_statistics(setup, s.values, static_cast<int>(s.pixels()), out);
  EXPECT_EQ(out[5].get(Statistic::n_obs), 0.0);
  for (const auto& info : kWarningStatistics)
    if (info.id != Statistic::n_obs) EXPECT_TRUE(std::isnan(out[5].get(info.id))) << info.name;
}

TEST(WarningPixel, HarmonicModelOnAnnualStackIsAConfigError) {
  WarningParams params;
  params.monitor_start = 2010;
  PixelWarningParams pixel;
  pixel.frequency = 1;
  const std::vector<double> years = {2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012};
  EXPECT_THROW(pixel_setup(params, pixel, years), ConfigError);
  pixel.pixel_model = stats::SeasonTrendModel::trend;
  EXPECT_NO_THROW(pixel_setup(params, pixel, years));
}

TEST(WarningPixel, BlockEqualsPerSeriesFunctionBitForBit) {
  for (auto history : {stats::BfastHistory::all, stats::BfastHistory::roc}) {
    const PixelStack s = make_pixel_stack(default_spec());
    const PixelSetup setup = setup_16day(s, history);
    std::vector<StatisticValues> out(s.pixels());
    const int patterns = pixel_block_statistics(setup, s.values, static_cast<int>(s.pixels()), out);
    EXPECT_GT(patterns, 1);  // scene gaps shared, own gaps in every third pixel
    for (std::size_t px = 0; px < s.pixels(); ++px) {
      const StatisticValues one = pixel_series_statistics(setup, series_of(s, px));
      for (const auto& info : kWarningStatistics)
        ASSERT_TRUE(same_bits(out[px].get(info.id), one.get(info.id)))
            << "pixel " << px << " " << info.name << ": " << out[px].get(info.id) << " vs "
            << one.get(info.id);
    }
  }
}

TEST(WarningPixel, TiedValuesStillEqualThePerSeriesFunction) {
  // NDVI stored as 2-decimal integers: many ties, which Var S and tau_b correct for.
  PixelStack s = make_pixel_stack(default_spec());
  for (double& v : s.values)
    if (!std::isnan(v)) v = std::round(v * 100.0) / 100.0;
  const PixelSetup setup = setup_16day(s);
  std::vector<StatisticValues> out(s.pixels());
  pixel_block_statistics(setup, s.values, static_cast<int>(s.pixels()), out);
  for (std::size_t px = 0; px < s.pixels(); ++px) {
    const StatisticValues one = pixel_series_statistics(setup, series_of(s, px));
    for (const auto& info : kWarningStatistics)
      ASSERT_TRUE(same_bits(out[px].get(info.id), one.get(info.id)))
          << "pixel " << px << " " << info.name;
  }
}

TEST(WarningPixel, PValuesOfThePrePassEqualTheBlockStatistics) {
  const PixelStack s = make_pixel_stack(default_spec());
  const PixelSetup setup = setup_16day(s);
  std::vector<StatisticValues> out(s.pixels());
  pixel_block_statistics(setup, s.values, static_cast<int>(s.pixels()), out);
  for (Statistic test : {Statistic::mk_p, Statistic::pettitt_p}) {
    std::vector<double> p(s.pixels());
    pixel_block_p_values(setup, test, s.values, static_cast<int>(s.pixels()), p);
    for (std::size_t px = 0; px < s.pixels(); ++px)
      ASSERT_TRUE(same_bits(p[px], out[px].get(test))) << px;
  }
}

// BFAST Monitor of one series written out directly (history "all"): design rows with the trend
// index counted before gaps, OLS by column-pivoting QR on the history, MOSUM and boundary.
struct DirectBfast {
  bool has_break = false;
  int break_index = -1;
  double magnitude = 0, sigma = 0;
};

DirectBfast direct_bfast(const PixelSetup& setup, const std::vector<double>& y) {
  const auto& design = setup.bfast.design;
  const int p = design.columns();
  std::vector<int> valid;
  for (std::size_t d = 0; d < y.size(); ++d)
    if (!std::isnan(y[d])) valid.push_back(static_cast<int>(d));
  int n = 0;
  while (n < static_cast<int>(valid.size()) &&
         setup.time_yr[static_cast<std::size_t>(valid[static_cast<std::size_t>(n)])] <
             setup.bfast.monitor_start_yr)
    ++n;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(valid.size()), p);
  Eigen::VectorXd yv(static_cast<Eigen::Index>(valid.size()));
  std::vector<double> row(static_cast<std::size_t>(p));
  for (std::size_t r = 0; r < valid.size(); ++r) {
    design.fill_row(setup.time_yr[static_cast<std::size_t>(valid[r])], valid[r] + 1, row);
    for (int c = 0; c < p; ++c)
      x(static_cast<Eigen::Index>(r), c) = row[static_cast<std::size_t>(c)];
    yv(static_cast<Eigen::Index>(r)) = y[static_cast<std::size_t>(valid[r])];
  }
  const Eigen::VectorXd beta = x.topRows(n).colPivHouseholderQr().solve(yv.head(n));
  const Eigen::VectorXd resid = yv - x * beta;
  DirectBfast out;
  out.sigma = std::sqrt(resid.head(n).squaredNorm() / (n - p));
  const int window = static_cast<int>(std::floor(setup.bfast.h * n));
  const double lambda = stats::mosum_critical_value(setup.bfast.h, 10, setup.bfast.level);
  for (int k = n + 1; k <= static_cast<int>(valid.size()); ++k) {
    const double mo = resid.segment(k - window, window).sum() / (out.sigma * std::sqrt(n));
    const double ratio = static_cast<double>(k) / n;
    const double bound = lambda * std::sqrt(2.0 * (ratio <= std::exp(1.0) ? 1.0 : std::log(ratio)));
    if (std::abs(mo) > bound) {
      out.has_break = true;
      out.break_index = valid[static_cast<std::size_t>(k - 1)];
      break;
    }
  }
  std::vector<double> monitor(resid.data() + n, resid.data() + resid.size());
  std::sort(monitor.begin(), monitor.end());
  const std::size_t m = monitor.size();
  out.magnitude = m % 2 ? monitor[m / 2] : 0.5 * (monitor[m / 2 - 1] + monitor[m / 2]);
  return out;
}

TEST(WarningPixel, PatternGroupingEqualsPerPixelQrTo1e10) {
  const PixelStack s = make_pixel_stack(default_spec());
  const PixelSetup setup = setup_16day(s);
  std::vector<StatisticValues> out(s.pixels());
  pixel_block_statistics(setup, s.values, static_cast<int>(s.pixels()), out);
  for (std::size_t px = 0; px < s.pixels(); ++px) {
    const DirectBfast direct = direct_bfast(setup, series_of(s, px));
    ASSERT_EQ(out[px].get(Statistic::bfast_break), direct.has_break ? 1.0 : 0.0) << px;
    if (direct.has_break)
      EXPECT_EQ(out[px].get(Statistic::bfast_break_time),
                s.time_yr[static_cast<std::size_t>(direct.break_index)]);
    EXPECT_NEAR(out[px].get(Statistic::bfast_magnitude), direct.magnitude, 1e-10) << px;
    EXPECT_NEAR(out[px].get(Statistic::bfast_sigma), direct.sigma, 1e-10) << px;
  }
}

TEST(WarningPixel, PlantedDropsAreFoundAndStablePixelsMostlyQuiet) {
  const PixelStackSpec spec = default_spec();
  const PixelStack s = make_pixel_stack(spec);
  const PixelSetup setup = setup_16day(s);
  std::vector<StatisticValues> out(s.pixels());
  pixel_block_statistics(setup, s.values, static_cast<int>(s.pixels()), out);
  int disturbed = 0, found = 0, stable = 0, false_breaks = 0;
  for (std::size_t px = 0; px < s.pixels(); ++px) {
    const bool brk = out[px].get(Statistic::bfast_break) == 1.0;
    if (s.disturbed[px]) {
      ++disturbed;
      if (brk && out[px].get(Statistic::bfast_magnitude) < -0.15 &&
          out[px].get(Statistic::bfast_break_time) >= spec.drop_time)
        ++found;
      // Pettitt's change on the raw seasonal series: near the drop (the season blurs it).
      EXPECT_NEAR(out[px].get(Statistic::pettitt_time), spec.drop_time, 1.0) << px;
      EXPECT_LT(out[px].get(Statistic::pettitt_shift), 0.0);
    } else {
      ++stable;
      false_breaks += brk ? 1 : 0;
    }
  }
  EXPECT_EQ(found, disturbed);
  EXPECT_LE(false_breaks, stable / 10);
}

TEST(WarningPixel, AnnualStackEqualsThePerSeriesStage) {
  PixelStackSpec spec = default_spec();
  spec.per_year = 1;
  spec.years = 21;
  spec.first_year = 2000;
  spec.gaps = false;  // the per-series stage compacts gaps before BFAST's trend index
  spec.drop_time = 2013;
  spec.noise = 0.05;
  const PixelStack s = make_pixel_stack(spec);
  WarningParams params;
  params.monitor_start = 2011;
  PixelWarningParams pixel;
  pixel.frequency = 1;
  pixel.pixel_model = stats::SeasonTrendModel::trend;
  const PixelSetup setup = pixel_setup(params, pixel, s.time_yr);
  std::vector<StatisticValues> out(s.pixels());
  pixel_block_statistics(setup, s.values, static_cast<int>(s.pixels()), out);
  for (std::size_t px = 0; px < s.pixels(); ++px) {
    const SeriesResult series =
        series_statistics(params, WarningSeries{"p", s.time_yr, series_of(s, px)});
    for (const auto& info : kWarningStatistics) {
      if (!info.per_pixel) continue;
      ASSERT_TRUE(same_bits(out[px].get(info.id), series.values.get(info.id)))
          << "pixel " << px << " " << info.name;
    }
  }
}

}  // namespace
}  // namespace minecarbon::assess::warning
