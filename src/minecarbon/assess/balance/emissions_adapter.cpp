#include "minecarbon/assess/balance/emissions_adapter.h"

#include <cmath>
#include <string>

namespace minecarbon::assess {

std::vector<ProcessEmissionRecord> process_emission_records(const EmissionsResult& emissions) {
  const auto& rows = emissions.mine_year_source;
  // The records of a mine-year kept apart (land_cleared, non-finite), put after its summed one.
  std::vector<std::size_t> apart;
  std::vector<ProcessEmissionRecord> out;
  out.reserve(emissions.mine_year.size() + 1);
  const std::string summed_name = kProcessSourcesSummed;
  const std::string cleared_name = kLandClearedSource;
  std::size_t begin = 0;
  while (begin < rows.size()) {
    // rows[begin, end): one mine-year (mine_year_source is sorted by mine, year, source).
    std::size_t end = begin + 1;
    while (end < rows.size() && rows[end].mine == rows[begin].mine &&
           rows[end].year == rows[begin].year)
      ++end;
    const std::string& mine_id = emissions.mine_ids[rows[begin].mine];
    bool have_sum = false;
    double sum = 0.0;
    apart.clear();
    for (std::size_t idx = begin; idx < end; ++idx) {
      const MineYearSourceRecord& r = rows[idx];
      if (r.source == EmissionSource::land_cleared || !std::isfinite(r.co2e_t)) {
        apart.push_back(idx);
      } else if (have_sum) {
        sum += r.co2e_t;
      } else {
        sum = r.co2e_t;
        have_sum = true;
      }
    }
    if (have_sum) {
      ProcessEmissionRecord& rec = out.emplace_back();
      rec.mine_id = mine_id;
      rec.year = rows[begin].year;
      rec.source = summed_name;
      rec.co2e_t = sum;
    }
    for (const std::size_t idx : apart) {
      ProcessEmissionRecord& rec = out.emplace_back();
      rec.mine_id = mine_id;
      rec.year = rows[idx].year;
      rec.source = rows[idx].source == EmissionSource::land_cleared
                       ? cleared_name
                       : std::string(to_string(rows[idx].source));
      rec.co2e_t = rows[idx].co2e_t;
    }
    begin = end;
  }
  return out;
}

}  // namespace minecarbon::assess
