// damage → balance: the NEP change relative to the reference of every analysed mine-year
// (DamageResult::mine_years, H = nep_change_rel_MgC_yr, Mg C/yr, < 0 = the mine lost NEP).
#pragma once

#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/damage.h"

namespace minecarbon::assess {

// One record per analysed mine-year, in the damage result's order; NaN H (a year without data)
// is kept: the balance counts it as a year without NEP (and says how many).
std::vector<NepChangeRecord> nep_change_records(const DamageResult& damage);

}  // namespace minecarbon::assess
