// Temporal, robust and spatial z against R mean/sd/median/mad on the Nile (reference years
// 1871–1900; tests/data/warning), and their edges.
#include "minecarbon/stats/anomaly.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "warning_series.h"

namespace minecarbon::stats {
namespace {

using testing::as_number;

TEST(Anomaly, EmptyOrConstantReferenceGivesNaN) {
  const std::vector<double> t{1, 2, 3}, y{4, 4, 5};
  const ReferenceStats none = reference_stats(t, y, ReferencePeriod{10, 20});
  EXPECT_EQ(none.n, 0);
  EXPECT_TRUE(std::isnan(temporal_z(5, none)));
  const ReferenceStats flat = reference_stats(t, y, ReferencePeriod{1, 2});
  EXPECT_EQ(flat.sd, 0.0);
  EXPECT_EQ(flat.mad_scaled, 0.0);
  EXPECT_TRUE(std::isnan(temporal_z(5, flat)));
  EXPECT_TRUE(std::isnan(robust_z(5, flat)));
  EXPECT_TRUE(std::isnan(spatial_z(5, 4, 0)));
  EXPECT_TRUE(std::isnan(temporal_z(NAN, reference_stats(t, y, ReferencePeriod{1, 3}))));
}

TEST(Anomaly, HandWorkedSpatialZAndGroup) {
  const std::vector<double> group{1, 2, NAN, 3};
  const GroupMeanSd g = group_mean_sd(group);
  EXPECT_EQ(g.n, 3);
  EXPECT_DOUBLE_EQ(g.mean, 2.0);
  EXPECT_DOUBLE_EQ(g.sd, 1.0);
  EXPECT_DOUBLE_EQ(spatial_z(0.5, g.mean, g.sd), -1.5);
}

TEST(Anomaly, MatchesRMeanSdMedianMadOnTheNile) {
  const testing::Series& s = testing::warning_series().at("Nile");
  const ReferenceStats reference = reference_stats(s.time, s.value, ReferencePeriod{1871, 1900});
  EXPECT_EQ(reference.n, 30);
  const auto rows = testing::expected_rows("anomaly_expected.csv");
  ASSERT_EQ(rows.size(), s.value.size());
  for (std::size_t idx = 0; idx < rows.size(); ++idx) {
    EXPECT_NEAR(temporal_z(s.value[idx], reference), as_number(rows[idx].at("z")), 1e-12);
    EXPECT_NEAR(robust_z(s.value[idx], reference), as_number(rows[idx].at("robust_z")), 1e-12);
  }
}

TEST(Anomaly, LastObservationCountsTheSinkRunBeforeIt) {
  const std::vector<double> t{1, 2, 3, 4, 5, 6, 7}, y{-1, 2, 3, NAN, 1, -0.5, NAN};
  const LastObservation last = last_observation(t, y);
  EXPECT_EQ(last.time, 6.0);
  EXPECT_EQ(last.value, -0.5);
  EXPECT_EQ(last.positive_run_before, 3);  // 1, (missing skipped), 3, 2; stops at −1
  const std::vector<double> none{NAN, NAN};
  EXPECT_TRUE(std::isnan(last_observation(std::vector<double>{1, 2}, none).value));
}

}  // namespace
}  // namespace minecarbon::stats
