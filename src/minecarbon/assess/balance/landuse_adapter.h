// landuse → balance: the loss and gain of every mine over each consecutive map pair
// (LanduseResult::mine_change, pair_kind "consecutive"; the first → last pair would count the
// same change twice).
#pragma once

#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/landuse.h"

namespace minecarbon::assess {

std::vector<LandusePairRecord> landuse_pair_records(const LanduseResult& landuse);

}  // namespace minecarbon::assess
