// summary.json of the emissions stage: the GWP set and the factor tables and years used, counts,
// totals, the sign convention and the label of the disturbed-area estimate.
#pragma once

#include <nlohmann/json.hpp>

namespace minecarbon::assess {

struct EmissionsResult;
struct EmissionsInputs;

nlohmann::json emissions_summary(const EmissionsResult& result, const EmissionsInputs& inputs);

}  // namespace minecarbon::assess
