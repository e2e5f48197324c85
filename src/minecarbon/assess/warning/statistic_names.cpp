#include "minecarbon/assess/warning/statistic_names.h"

#include <algorithm>
#include <vector>

#include "minecarbon/core/options.h"

namespace minecarbon::assess::warning {

std::optional<Statistic> find_statistic(std::string_view name) {
  for (const auto& info : kWarningStatistics) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

std::string nearest_statistic(std::string_view name) {
  std::vector<std::string> known;
  for (const auto& info : kWarningStatistics)
    known.emplace_back(info.name);
  return nearest_key(std::string(name), known);
}

std::string statistics_listing() {
  std::size_t name_width = 0, unit_width = 0;
  for (const auto& info : kWarningStatistics) {
    name_width = std::max(name_width, info.name.size());
    unit_width = std::max(unit_width, info.unit.size());
  }
  std::string out;
  for (const auto& info : kWarningStatistics) {
    out += std::string(info.name) + std::string(name_width - info.name.size() + 2, ' ');
    out += std::string(info.unit) + std::string(unit_width - info.unit.size() + 2, ' ');
    out += info.per_pixel ? "pixel  " : "       ";
    out += std::string(info.doc) + "\n";
  }
  return out;
}

}  // namespace minecarbon::assess::warning
