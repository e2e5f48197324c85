// Small readers of CSV cells shared by the emissions tables: trimmed text, numbers parsed without
// locale, and header columns matched case-insensitively.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess::emissions {

inline std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

inline std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The whole text as a number (no trailing characters), or nullopt. Accepts a leading '+'.
inline std::optional<double> parse_real(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

inline std::optional<std::int64_t> parse_whole(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Columns of a CSV by lower-case, trimmed name.
class HeaderIndex {
 public:
  explicit HeaderIndex(const CsvText& csv) : csv_(csv) {}
  std::optional<std::size_t> find(std::string_view name) const {
    const std::string key = lower(name);
    for (std::size_t col = 0; col < csv_.header.size(); ++col)
      if (lower(trim(csv_.header[col])) == key) return col;
    return std::nullopt;
  }
  // The column, or a "missing_column" problem naming the columns the file has (returns 0 then).
  std::size_t require(std::string_view name, ProblemList& problems) const {
    if (auto col = find(name)) return *col;
    std::string have;
    for (const auto& h : csv_.header)
      have += (have.empty() ? "" : ", ") + h;
    problems.add("missing_column", csv_.source + ": no column '" + std::string(name) +
                                       "' (the file has: " + have + ")");
    return 0;
  }

 private:
  const CsvText& csv_;
};

}  // namespace minecarbon::assess::emissions
