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
#include "minecarbon/core/table.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess::vegetation {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Breast height: a tree with a DBH is taller than the height where D is measured.
inline constexpr double kBreastHeightM = 1.3;
inline constexpr double kM2PerHa = 10000.0;
inline constexpr double kPercent = 100.0;
// Confidence levels always reported beside the configurable precision level.
inline constexpr double kLevel90 = 0.90;
inline constexpr double kLevel95 = 0.95;
// Shown messages per kind of data problem; the rest are counted.
inline constexpr std::size_t kShownProblems = 5;
inline const std::string kUnspecifiedLandUse = "unspecified";

inline std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : sep) + item;
  return out;
}

// Data problems of one step, reported together: the first few in full, the rest counted, so a
// user fixes a file in one pass instead of one error per run.
class Problems {
 public:
  void add(std::string message) { messages_.push_back(std::move(message)); }
  bool empty() const { return messages_.empty(); }
  // DataError "vegetation: <first>\n  <next>…\n  (and N more)"; nothing when there is none.
  void throw_if_any() const {
    if (messages_.empty()) return;
    std::string text = "vegetation: " + messages_.front();
    for (std::size_t idx = 1; idx < std::min(messages_.size(), kShownProblems); ++idx)
      text += "\n  " + messages_[idx];
    if (messages_.size() > kShownProblems)
      text += "\n  (and " + std::to_string(messages_.size() - kShownProblems) + " more)";
    throw DataError(text);
  }

 private:
  std::vector<std::string> messages_;
};

}  // namespace minecarbon::assess::vegetation
