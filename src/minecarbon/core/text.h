// The number formatter: one way of turning a double into text, used by the CSV and JSON writers,
// messages and the generated docs.
//
// Values are written in the shortest form that reads back to the same double (std::to_chars), so
// a CSV read back gives exactly the numbers the run computed (R's read.csv, pandas and Excel
// parse every form written here). Two styles differ only where people and files disagree:
//   format_number  data cells: NaN as "NA" (what R and Excel read as missing), ±Inf as "Inf"/"-Inf";
//   format_plain   messages, docs and option echoes: whole numbers below 1e15 written out
//                  (100000, not 1e+05), NaN and ±inf as TOML writes them ("nan", "inf").
#pragma once

#include <string>
#include <vector>

namespace minecarbon {

std::string format_number(double value);
std::string format_plain(double value);

// The parts with `separator` between them ("a", "b" → "a; b"); "" for none. Empty parts before
// the first non-empty one add no separator (the rule of the helpers this replaces).
inline std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts)
    out += (out.empty() ? std::string() : separator) + part;
  return out;
}

}  // namespace minecarbon
