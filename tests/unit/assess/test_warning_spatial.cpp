// The per-series warning stage's spatial z and per-series history start (warning_stage.h):
//   ring  — with damage's Q, O and ring sd, z_t = (Q_t − O_t)/sd_t in every year, by hand;
//   group — against reference_ids, z_t = (y_t − mean)/sd (n − 1) of the group in year t;
//   an unknown reference id is a ConfigError naming reference_ids and the series source;
//   a series' own history_start moves BFAST Monitor's history (n and σ̂ by a hand OLS fit);
//   trace keeps the MOSUM process, whose rows equal a direct bfast_monitor trace.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "minecarbon/assess/warning/warning_stage.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/stats/bfast_monitor.h"

namespace minecarbon::assess::warning {
namespace {

WarningSeries make(const std::string& id, double level, double slope, int n = 12) {
  WarningSeries s{id, {}, {}};
  for (int i = 0; i < n; ++i) {
    s.time.push_back(2000 + i);
    s.value.push_back(level + slope * i + 4.0 * std::sin(1.7 * i + level));
  }
  return s;
}

WarningInputs inputs_of(std::vector<WarningSeries> series) {
  WarningInputs in;
  in.value_name = "nep_mine_gC_m2_yr";
  in.source = "series.csv";
  in.series = std::move(series);
  in.rules = compile_alert_rules({"watch"}, {{"watch", "z_spatial_last < -1.5", "", 1, 1}}, "t");
  return in;
}

TEST(WarningSpatial, RingZIsMineMinusRingMeanOverRingSdInEveryYear) {
  WarningSeries s = make("m1", 150.0, -3.0);
  s.value[4] = std::nan("");  // a missing year has no spatial row
  for (std::size_t k = 0; k < s.time.size(); ++k) {
    s.ring_own.push_back(s.value[k]);
    s.ring_mean.push_back(180.0 + static_cast<double>(k));
    s.ring_sd.push_back(12.0 + 0.5 * static_cast<double>(k));
  }
  const WarningResult r = run_warning(WarningParams{}, inputs_of({s}), 1);
  EXPECT_EQ(r.spatial_reference, "ring");
  const SeriesResult& out = r.series[0];
  ASSERT_EQ(out.spatial.size(), 11u);
  for (const SpatialZRow& row : out.spatial) {
    const auto k = static_cast<std::size_t>(row.time - 2000);
    EXPECT_DOUBLE_EQ(row.z, (s.value[k] - (180.0 + k)) / (12.0 + 0.5 * k)) << row.time;
    EXPECT_EQ(row.reference_sd, 12.0 + 0.5 * static_cast<double>(k));
  }
  const double last = (s.value[11] - 191.0) / 17.5;
  EXPECT_DOUBLE_EQ(out.values.get(Statistic::z_spatial_last), last);
  EXPECT_LT(last, -1.5);
  EXPECT_EQ(r.rules.level_name(out.decision.level), "watch");
  const Table t = warning_spatial_table(r);
  EXPECT_EQ(t.row_count(), 11u);
}

TEST(WarningSpatial, GroupZUsesTheGroupOfEachYearAndBeatsTheRing) {
  std::vector<WarningSeries> all = {make("a", 100, 1), make("r1", 120, 0), make("r2", 140, 0),
                                    make("r3", 90, 2)};
  all[0].ring_own = all[0].value;  // ignored: reference_ids win
  all[0].ring_mean.assign(12, 0.0);
  all[0].ring_sd.assign(12, 1.0);
  WarningParams params;
  params.reference_ids = {"r1", "r2", "r3"};
  const WarningResult r = run_warning(params, inputs_of(all), 2);
  EXPECT_EQ(r.spatial_reference, "reference_ids");
  for (const SpatialZRow& row : r.series[0].spatial) {
    const auto k = static_cast<std::size_t>(row.time - 2000);
    const double g[3] = {all[1].value[k], all[2].value[k], all[3].value[k]};
    const double mean = (g[0] + g[1] + g[2]) / 3;
    double ss = 0;
    for (double v : g)
      ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / 2);
    EXPECT_NEAR(row.z, (all[0].value[k] - mean) / sd, 1e-12);
    EXPECT_EQ(row.reference_n, 3);
  }
}

TEST(WarningSpatial, UnknownReferenceIdIsAConfigErrorNamingKeyAndSource) {
  WarningParams params;
  params.reference_ids = {"a", "nope"};
  try {
    run_warning(params, inputs_of({make("a", 100, 1), make("b", 100, 1)}), 1);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("reference_ids"), std::string::npos) << what;
    EXPECT_NE(what.find("'nope'"), std::string::npos) << what;
    EXPECT_NE(what.find("series.csv"), std::string::npos) << what;
  }
}

TEST(WarningSpatial, SeriesHistoryStartMovesTheHistoryAsAHandOlsFit) {
  // History from 2004 to monitor_start 2014 (exclusive): 10 points; trend model.
  WarningSeries s = make("m", 200.0, -2.0, 20);
  s.history_start = 2004;
  WarningParams params;
  params.history = stats::BfastHistory::from_time;
  params.history_start_field = "restored";
  params.monitor_start = 2014;
  const SeriesResult r = series_statistics(params, s);
  EXPECT_EQ(r.values.get(Statistic::bfast_history_start), 2004.0);
  EXPECT_EQ(r.values.get(Statistic::bfast_history_n), 10.0);
  // σ̂ by hand: OLS of y on (1, observation index) over 2004..2013, RSS/(n − 2).
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 4; i < 14; ++i) {
    const double x = i + 1, y = s.value[static_cast<std::size_t>(i)];
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double b = (10 * sxy - sx * sy) / (10 * sxx - sx * sx), a = (sy - b * sx) / 10;
  double rss = 0;
  for (int i = 4; i < 14; ++i) {
    const double e = s.value[static_cast<std::size_t>(i)] - a - b * (i + 1);
    rss += e * e;
  }
  EXPECT_NEAR(r.values.get(Statistic::bfast_sigma), std::sqrt(rss / 8), 1e-9);
  // Without its own start the series falls back to history_start, then to a note.
  s.history_start = std::nan("");
  params.history_start = 2001;
  EXPECT_EQ(series_statistics(params, s).values.get(Statistic::bfast_history_n), 13.0);
  params.history_start.reset();
  const SeriesResult none = series_statistics(params, s);
  EXPECT_TRUE(std::isnan(none.values.get(Statistic::bfast_history_n)));
  ASSERT_FALSE(none.notes.empty());
  EXPECT_NE(none.notes.back().find("restored"), std::string::npos);
}

TEST(WarningSpatial, TraceRowsAreTheMosumProcessOfADirectCall) {
  WarningSeries s = make("m", 200.0, 0.0, 20);
  for (int i = 14; i < 20; ++i)
    s.value[static_cast<std::size_t>(i)] -= 60.0;
  WarningParams params;
  params.trace = true;
  params.monitor_start = 2010;
  const WarningResult r = run_warning(params, inputs_of({s}), 1);
  stats::BfastMonitorParams bp;
  bp.design.model = stats::SeasonTrendModel::trend;
  bp.design.order = 1;
  bp.design.frequency = 1;
  bp.monitor_start_yr = 2010;
  stats::BfastTrace direct;
  const stats::BfastMonitorResult b = stats::bfast_monitor(s.time, s.value, bp, nullptr, &direct);
  const Table t = warning_mosum_table(r);
  ASSERT_EQ(t.row_count(), direct.time_yr.size());
  ASSERT_EQ(t.row_count(), 10u);  // 2010..2019
  const auto& k = std::get<std::vector<std::int64_t>>(t.find("k")->data);
  const auto& time = std::get<std::vector<double>>(t.find("time")->data);
  const auto& process = std::get<std::vector<double>>(t.find("process")->data);
  const auto& boundary = std::get<std::vector<double>>(t.find("boundary")->data);
  for (std::size_t j = 0; j < t.row_count(); ++j) {
    EXPECT_EQ(k[j], b.n_history + 1 + static_cast<std::int64_t>(j));
    EXPECT_EQ(time[j], direct.time_yr[j]);
    EXPECT_EQ(process[j], direct.process[j]);
    EXPECT_EQ(boundary[j], direct.boundary[j]);
  }
  // The break is the first row whose |process| exceeds the boundary.
  std::size_t first = 0;
  while (first < t.row_count() && std::abs(process[first]) <= boundary[first])
    ++first;
  ASSERT_LT(first, t.row_count());
  EXPECT_EQ(time[first], r.series[0].values.get(Statistic::bfast_break_time));
}

}  // namespace
}  // namespace minecarbon::assess::warning
