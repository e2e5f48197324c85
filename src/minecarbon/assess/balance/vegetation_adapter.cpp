#include "minecarbon/assess/balance/vegetation_adapter.h"

#include <cmath>
#include <string>

namespace minecarbon::assess {

std::optional<std::vector<VegetationSinkRecord>> vegetation_sink_records(
    const VegetationResult& vegetation, ProblemList& warnings) {
  const GrowthResponse response = vegetation.params.growth_response;
  if (response != GrowthResponse::tree_carbon && response != GrowthResponse::total_carbon) {
    warnings.add("vegetation_not_carbon",
                 "the vegetation projection is of " + std::string(to_string(response)) +
                     ", not carbon: not counted (set growth_response = \"tree_carbon\" or "
                     "\"total_carbon\" in [vegetation])");
    return std::nullopt;
  }
  std::vector<VegetationSinkRecord> out;
  std::size_t off_year = 0;
  for (const auto& row : vegetation.projections.mines) {
    if (std::isnan(row.year)) {
      warnings.add("vegetation_no_calendar_year",
                   "the vegetation projection has no calendar years: not counted (set "
                   "inventory_year in [vegetation])");
      return std::nullopt;
    }
    if (std::floor(row.year) != row.year) {
      ++off_year;
      continue;
    }
    out.push_back({row.mine_id, static_cast<int>(row.year), row.sink_per_yr});
  }
  if (off_year > 0)
    warnings.add("vegetation_fractional_year",
                 std::to_string(off_year) +
                     " vegetation projection rows fall between calendar years (step_yr) and are "
                     "not counted; step_yr = 1 gives every year");
  return out;
}

}  // namespace minecarbon::assess
