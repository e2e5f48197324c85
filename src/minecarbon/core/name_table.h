// Enum values printed and parsed through one table of names per enum, so the text written to a
// CSV or summary.json and the text accepted from a file cannot drift apart.
//
//   enum class MineStatus { ok, below_min_area };
//   inline constexpr NameTable<MineStatus, 2> kMineStatusNames{{
//       {MineStatus::ok, "ok"}, {MineStatus::below_min_area, "below_min_area"}}};
//   kMineStatusNames.name(MineStatus::ok)      -> "ok"
//   kMineStatusNames.parse("below_min_area")   -> MineStatus::below_min_area
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace minecarbon {

template <class Enum, std::size_t N>
struct NameTable {
  std::array<std::pair<Enum, std::string_view>, N> entries;

  // The name of `value`; a value missing from the table is a programming error.
  constexpr std::string_view name(Enum value) const {
    for (const auto& [entry, text] : entries) {
      if (entry == value) return text;
    }
    throw std::logic_error("NameTable: an enum value has no name");
  }

  std::optional<Enum> parse(std::string_view text) const {
    for (const auto& [entry, entry_text] : entries) {
      if (entry_text == text) return entry;
    }
    return std::nullopt;
  }

  // "a, b or c", for messages that list what is accepted.
  std::string choices() const {
    std::string out;
    for (std::size_t idx = 0; idx < N; ++idx) {
      if (idx > 0) out += idx + 1 == N ? " or " : ", ";
      out += entries[idx].second;
    }
    return out;
  }
};

}  // namespace minecarbon
