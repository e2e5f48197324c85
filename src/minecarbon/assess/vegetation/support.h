// Constants and small helpers the vegetation steps share: units, the breast height, the land use
// of a plot without one, and the collect-then-report list of data problems.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/table.h"
#include "minecarbon/core/text.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess::vegetation {

// Breast height: a tree with a DBH is taller than the height where D is measured.
inline constexpr double kBreastHeightM = 1.3;
inline constexpr double kPercent = 100.0;
// Confidence levels always reported beside the configurable precision level.
inline constexpr double kLevel90 = 0.90;
inline constexpr double kLevel95 = 0.95;
// Data problems listed in full; the rest are counted by code.
inline constexpr std::size_t kShownProblems = 5;
inline const std::string kUnspecifiedLandUse = "unspecified";

inline std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : sep) + item;
  return out;
}

// Data problems of one step are collected in a ProblemList (core/problems.h) and reported
// together, the first kShownProblems in full and the rest counted by code, so a user fixes a file
// in one pass instead of one error per run. Throws that DataError; nothing when there is none.
inline void throw_problems(const ProblemList& problems) {
  problems.throw_if_any("vegetation: " + std::to_string(problems.size()) +
                        " problem(s) in the input data; fix them and rerun:");
}

}  // namespace minecarbon::assess::vegetation
