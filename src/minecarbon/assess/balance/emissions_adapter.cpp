#include "minecarbon/assess/balance/emissions_adapter.h"

#include <string>

namespace minecarbon::assess {

std::vector<ProcessEmissionRecord> process_emission_records(const EmissionsResult& emissions) {
  std::vector<ProcessEmissionRecord> out;
  out.reserve(emissions.mine_year_source.size());
  for (const MineYearSourceRecord& r : emissions.mine_year_source)
    out.push_back({r.mine_id, r.year, std::string(to_string(r.source)), r.co2e_t});
  return out;
}

}  // namespace minecarbon::assess
