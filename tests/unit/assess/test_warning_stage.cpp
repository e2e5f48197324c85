// The per-series warning stage in memory (assess/warning/warning_stage.h): adjustment across
// series equals p_adjust of the per-series p, a short series is reported per series with NaN
// statistics, the spatial z uses the reference group's values in the series' last year, and the
// level is the highest rule that fires.
#include <gtest/gtest.h>

#include <cmath>

#include "minecarbon/assess/warning/warning_stage.h"
#include "minecarbon/stats/anomaly.h"
#include "minecarbon/stats/multiple_testing.h"

namespace minecarbon::assess::warning {
namespace {

WarningSeries make(const std::string& id, double slope, int n = 15) {
  WarningSeries s{id, {}, {}};
  for (int i = 0; i < n; ++i) {
    s.time.push_back(2000 + i);
    s.value.push_back(100.0 + slope * i + 3.0 * std::sin(1.9 * i));
  }
  return s;
}

WarningInputs inputs_of(std::vector<WarningSeries> series) {
  WarningInputs in;
  in.value_name = "nep_mine_gC_m2_yr";
  in.series = std::move(series);
  in.rules = compile_alert_rules(
      {"watch", "alarm"}, {{"watch", "mk_z < 0", "", 1, 1}, {"alarm", "last_value < 0", "", 2, 2}},
      "test");
  return in;
}

TEST(WarningStage, AdjustedPValuesArePAdjustOfThePerSeriesP) {
  const WarningInputs in = inputs_of({make("a", -2.0), make("b", 0.1), make("c", 1.0)});
  const WarningResult r = run_warning(WarningParams{}, in, 1);
  std::vector<double> p;
  for (const auto& s : r.series)
    p.push_back(s.values.get(Statistic::mk_p));
  const auto bh = stats::p_adjust(p, stats::PAdjustMethod::benjamini_hochberg);
  const auto bonf = stats::p_adjust(p, stats::PAdjustMethod::bonferroni);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.series[i].values.get(Statistic::mk_p_bh), bh[i]);
    EXPECT_EQ(r.series[i].values.get(Statistic::mk_p_bonferroni), bonf[i]);
  }
  EXPECT_EQ(r.rules.level_name(r.series[0].decision.level), "watch");
  EXPECT_EQ(r.rules.level_name(r.series[2].decision.level), "none");
}

TEST(WarningStage, ShortSeriesIsReportedPerSeriesNotFatal) {
  const WarningInputs in = inputs_of({make("long", -2.0), make("short", -1.0, 2)});
  const WarningResult r = run_warning(WarningParams{}, in, 2);
  const SeriesResult& s = r.series[1];
  EXPECT_EQ(s.values.get(Statistic::n_obs), 2.0);
  EXPECT_TRUE(std::isnan(s.values.get(Statistic::mk_z)));
  EXPECT_FALSE(s.notes.empty());
  EXPECT_TRUE(std::isfinite(r.series[0].values.get(Statistic::mk_z)));
}

TEST(WarningStage, SpatialZUsesTheReferenceGroupInTheLastYear) {
  WarningParams params;
  params.reference_ids = {"r1", "r2", "r3"};
  const WarningInputs in =
      inputs_of({make("m", -30.0), make("r1", 0.0), make("r2", 1.0), make("r3", 2.0)});
  const WarningResult r = run_warning(params, in, 1);
  const std::vector<double> group = {in.series[1].value.back(), in.series[2].value.back(),
                                     in.series[3].value.back()};
  const stats::GroupMeanSd g = stats::group_mean_sd(group);
  EXPECT_DOUBLE_EQ(r.series[0].values.get(Statistic::z_spatial_last),
                   stats::spatial_z(in.series[0].value.back(), g.mean, g.sd));
  // 100 − 30·14 < 0: the alarm rule wins over watch, both recorded.
  EXPECT_EQ(r.rules.level_name(r.series[0].decision.level), "alarm");
  EXPECT_EQ(r.series[0].decision.hits.size(), 2u);
}

}  // namespace
}  // namespace minecarbon::assess::warning
