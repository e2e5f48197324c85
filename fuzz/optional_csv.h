// Parsing one part of a fuzz input as CSV, for the table targets (balance, emissions, vegetation)
// that treat an empty part as "this file was not given". One definition so that the rule the
// targets check on core/csv's parser (a typed error with a message, or a table) is applied the
// same way in each.
#pragma once

#include <optional>
#include <sstream>
#include <string>

#include "fuzz_support.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::fuzz {

// nullopt for an empty part (the file is absent) or when the parser refused the text with a typed
// error (checked by expect_clean); the parsed table otherwise. `name` is the file name the
// parser's messages use.
inline std::optional<CsvText> parse_optional_csv(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  std::optional<CsvText> csv;
  expect_clean([&] {
    std::istringstream in(text);
    csv = parse_csv(in, name);
  });
  return csv;
}

}  // namespace minecarbon::fuzz
