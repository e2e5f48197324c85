// What the demo end-to-end tests share: the rows of a results CSV by column name, and a project
// file cut down to the sections a test runs.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"

namespace minecarbon::e2e {

using CsvRow = std::map<std::string, std::string>;

// A CSV without quoted fields as maps of column → value, one per row; a trailing comma is an empty
// last field (an NA written as nothing).
inline std::vector<CsvRow> read_rows(const std::filesystem::path& path) {
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string field;
    while (std::getline(ss, field, ','))
      out.push_back(field);
    if (!s.empty() && s.back() == ',') out.emplace_back();
    return out;
  };
  std::istringstream in(slurp(path));
  std::string line;
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (header.empty()) {
      header = split(line);
      continue;
    }
    const auto fields = split(line);
    CsvRow row;
    for (std::size_t k = 0; k < header.size() && k < fields.size(); ++k)
      row[header[k]] = fields[k];
    rows.push_back(row);
  }
  return rows;
}

// Only the sections named, from a project file (a section runs to the next "[" line).
inline std::string sections_of(const std::string& toml, std::initializer_list<std::string> keep) {
  std::istringstream in(toml);
  std::string line, out;
  bool kept = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') {
      kept = false;
      for (const auto& k : keep)
        if (line == "[" + k + "]") kept = true;
    }
    if (kept) out += line + "\n";
  }
  return out;
}

}  // namespace minecarbon::e2e
