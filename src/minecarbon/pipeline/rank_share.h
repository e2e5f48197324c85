// What one rank of `mpirun` takes of its machine (docs/scale_out.md): threads and GDAL's block
// cache are the node's, shared by the ranks on that node (MPI_COMM_TYPE_SHARED), so N ranks on a
// node use what one process would.
//
//   threads         the node's cores / ranks on the node (at least 1), unless --threads was given
//   GDAL_CACHEMAX   the node's budget / ranks on the node (at least kMinRankCacheBytes): the
//                   budget is GDAL_CACHEMAX as the user set it (MB or "%" of RAM, GDAL's forms),
//                   else minecarbon's default of 64 MB (cli/main.cpp)
//
// One process (or one rank per node) keeps both as they are.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "minecarbon/core/distributor.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::pipeline {

constexpr std::int64_t kMinRankCacheBytes = 8ll << 20;

// A rank's share of its node, from the node's budget (pure; tested without MPI).
struct RankShare {
  int ranks_on_node = 1;
  int threads = 1;
  std::int64_t gdal_cache_bytes = 0;
};
RankShare rank_share(int ranks_on_node, int node_cores, int threads_given,
                     std::int64_t node_cache_bytes);

// Collective (every rank calls it, first thing): applies this rank's share (context.threads and
// GDALSetCacheMax64) and gathers every rank's on rank 0, which keeps them for the summary.
// `threads_given`: the --threads of the command line (0: none). Does nothing with one rank.
void share_node_among_ranks(Distributor& dist, RunContext& context, int threads_given);

// Rank 0, after share_node_among_ranks: [{rank, ranks_on_node, threads, gdal_cache_mb}] of every
// rank (null before, or with one rank), for summary.json → distribution.node_share.
nlohmann::json node_share_json();

}  // namespace minecarbon::pipeline
