// A rank's share of its node (pipeline/rank_share.h): threads and GDAL's block cache divided by
// the ranks on the node. Under mpirun, tests/mpi (node_share) reads what every rank then uses
// back from GDAL.
#include "minecarbon/pipeline/rank_share.h"

#include <gtest/gtest.h>

#include <gdal.h>

namespace minecarbon::pipeline {
namespace {

constexpr std::int64_t kMB = 1 << 20;

TEST(RankShare, OneRankKeepsTheNode) {
  const RankShare s = rank_share(1, 16, 0, 64 * kMB);
  EXPECT_EQ(s.threads, 16);
  EXPECT_EQ(s.gdal_cache_bytes, 64 * kMB);
}

TEST(RankShare, RanksOnANodeDivideItsCoresAndCache) {
  const RankShare s = rank_share(4, 16, 0, 1024 * kMB);
  EXPECT_EQ(s.threads, 4);
  EXPECT_EQ(s.gdal_cache_bytes, 256 * kMB);
  // More ranks than cores: one thread each; a tiny budget: the floor.
  const RankShare many = rank_share(32, 16, 0, 64 * kMB);
  EXPECT_EQ(many.threads, 1);
  EXPECT_EQ(many.gdal_cache_bytes, kMinRankCacheBytes);
}

TEST(RankShare, ThreadsGivenWin) {
  EXPECT_EQ(rank_share(4, 16, 3, 64 * kMB).threads, 3);
}

TEST(RankShare, OneProcessChangesNothing) {
  // Without other ranks share_node_among_ranks leaves GDAL's cache and the threads alone.
  const std::unique_ptr<Distributor> serial = make_serial_distributor();
  GDALSetCacheMax64(48 * kMB);
  RunContext context;
  context.threads = 7;
  share_node_among_ranks(*serial, context, 0);
  EXPECT_EQ(GDALGetCacheMax64(), 48 * kMB);
  EXPECT_EQ(context.threads, 7);
  EXPECT_TRUE(node_share_json().is_null());
}

}  // namespace
}  // namespace minecarbon::pipeline
