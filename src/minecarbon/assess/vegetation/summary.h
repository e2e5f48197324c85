// The JSON summary of a vegetation run: the parameters used, the input files, counts, the growth
// fit of every land use and the warnings (written as summary.json beside the tables).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

namespace minecarbon::assess {

struct VegetationResult;
struct VegetationInputs;

nlohmann::json vegetation_summary(const VegetationResult& result, const VegetationInputs& inputs,
                                  std::uint64_t seed);

}  // namespace minecarbon::assess
