#include "minecarbon/assess/balance/damage_adapter.h"

namespace minecarbon::assess {

std::vector<NepChangeRecord> nep_change_records(const DamageResult& damage) {
  std::vector<NepChangeRecord> out;
  out.reserve(damage.mine_years.size());
  for (const MineYearRecord& r : damage.mine_years)
    out.push_back({damage.mines[r.mine].mine_id, r.year, r.nep_change_rel_MgC_yr});
  return out;
}

}  // namespace minecarbon::assess
