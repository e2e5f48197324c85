#include "minecarbon/assess/balance/emissions_adapter.h"

#include <array>
#include <string>

namespace minecarbon::assess {

std::vector<ProcessEmissionRecord> process_emission_records(const EmissionsResult& emissions) {
  // The source names made once: millions of records copy them instead of building each from
  // its enum name.
  std::array<std::string, kEmissionSourceCount> source_names;
  for (const auto& [source, name] : kEmissionSourceNames.entries)
    source_names[static_cast<std::size_t>(source)] = std::string(name);
  std::vector<ProcessEmissionRecord> out;
  out.reserve(emissions.mine_year_source.size());
  for (const MineYearSourceRecord& r : emissions.mine_year_source)
    out.emplace_back(r.mine_id, r.year, source_names[static_cast<std::size_t>(r.source)], r.co2e_t);
  return out;
}

}  // namespace minecarbon::assess
