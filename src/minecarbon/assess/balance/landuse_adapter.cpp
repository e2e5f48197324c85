#include "minecarbon/assess/balance/landuse_adapter.h"

namespace minecarbon::assess {

std::vector<LandusePairRecord> landuse_pair_records(const LanduseResult& landuse) {
  std::vector<LandusePairRecord> out;
  for (const LanduseMineChange& c : landuse.mine_change) {
    if (c.pair_kind != "consecutive") continue;
    out.push_back({c.mine_id, c.year_from, c.year_to, c.loss_tC, c.gain_tC});
  }
  return out;
}

}  // namespace minecarbon::assess
