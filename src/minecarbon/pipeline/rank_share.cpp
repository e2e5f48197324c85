#include "minecarbon/pipeline/rank_share.h"

#include <gdal.h>

#include <algorithm>

namespace minecarbon::pipeline {
namespace {

nlohmann::json& shares() {
  static nlohmann::json gathered;  // rank 0's record of every rank's share
  return gathered;
}

}  // namespace

RankShare rank_share(int ranks_on_node, int node_cores, int threads_given,
                     std::int64_t node_cache_bytes) {
  RankShare share;
  share.ranks_on_node = std::max(1, ranks_on_node);
  share.threads = threads_given > 0 ? threads_given : std::max(1, node_cores / share.ranks_on_node);
  share.gdal_cache_bytes =
      share.ranks_on_node == 1
          ? node_cache_bytes
          : std::max(kMinRankCacheBytes, node_cache_bytes / share.ranks_on_node);
  return share;
}

void share_node_among_ranks(Distributor& dist, RunContext& context, int threads_given) {
  if (dist.size() < 2) return;
  const RankShare share =
      rank_share(dist.ranks_on_node(), default_thread_count(), threads_given, GDALGetCacheMax64());
  if (threads_given <= 0) context.threads = share.threads;
  GDALSetCacheMax64(share.gdal_cache_bytes);
  ByteWriter mine;
  mine.u64(static_cast<std::uint64_t>(share.ranks_on_node));
  mine.u64(static_cast<std::uint64_t>(context.threads));
  // Read back: what GDAL now uses, not what was asked.
  mine.u64(static_cast<std::uint64_t>(GDALGetCacheMax64()));
  const std::vector<Bytes> all = dist.gather(mine.bytes);
  if (!dist.root()) return;
  nlohmann::json& out = shares();
  out = nlohmann::json::array();
  for (std::size_t r = 0; r < all.size(); ++r) {
    ByteReader reader(all[r], "the node share of rank " + std::to_string(r));
    const std::uint64_t on_node = reader.u64();
    const std::uint64_t threads = reader.u64();
    const std::uint64_t cache = reader.u64();
    out.push_back({{"rank", r},
                   {"ranks_on_node", on_node},
                   {"threads", threads},
                   {"gdal_cache_mb", static_cast<double>(cache) / 1048576.0}});
  }
}

nlohmann::json node_share_json() {
  return shares();
}

}  // namespace minecarbon::pipeline
