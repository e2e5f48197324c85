// Step 4 of the soil stage: each compare_by group against the reference group, pooled and per
// mine, at fixed depth and at equivalent soil mass.
#pragma once

#include <cstddef>
#include <vector>

#include "minecarbon/assess/soil.h"
#include "minecarbon/assess/soil/profiles.h"
#include "minecarbon/assess/soil/soil_records.h"
#include "minecarbon/assess/soil/stocks.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess::soil {

// Scopes: every profile ("all"), then each mine (first-appearance order) when the table has
// mines; a scope without reference profiles or without another group is skipped. Within a
// scope, per group (first-appearance order), interval and basis (fixed depth; with params.esm
// also ESM against the scope's own reference profiles): mean and SE of the group and of the
// reference, and carbon::compare_stocks. A group profile without an ESM stock is left out of the
// ESM mean (warning esm_reference_mass_beyond_profile). Throws ConfigError when no profile is in
// the reference class (`refs` empty).
std::vector<ComparisonRecord> comparison_records(const SoilParams& params, const ProfileSet& set,
                                                 const std::vector<std::size_t>& refs,
                                                 const IntervalStocks& stocks,
                                                 ProblemList& warnings);

}  // namespace minecarbon::assess::soil
