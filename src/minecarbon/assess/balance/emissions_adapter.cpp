#include "minecarbon/assess/balance/emissions_adapter.h"

#include <array>
#include <string>

namespace minecarbon::assess {

std::vector<ProcessEmissionRecord> process_emission_records(const EmissionsResult& emissions) {
  // The source names made once, and each record filled where it lies in the vector: millions of
  // records copy two short strings each, with no temporary record moved in (clang 14, which
  // builds the fuzz targets, has no parenthesised aggregate initialisation for emplace_back).
  std::array<std::string, kEmissionSourceCount> source_names;
  for (const auto& [source, name] : kEmissionSourceNames.entries)
    source_names[static_cast<std::size_t>(source)] = std::string(name);
  std::vector<ProcessEmissionRecord> out(emissions.mine_year_source.size());
  for (std::size_t idx = 0; idx < out.size(); ++idx) {
    const MineYearSourceRecord& r = emissions.mine_year_source[idx];
    ProcessEmissionRecord& rec = out[idx];
    rec.mine_id = r.mine_id;
    rec.year = r.year;
    rec.source = source_names[static_cast<std::size_t>(r.source)];
    rec.co2e_t = r.co2e_t;
  }
  return out;
}

}  // namespace minecarbon::assess
