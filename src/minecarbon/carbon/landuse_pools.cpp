#include "minecarbon/carbon/landuse_pools.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::carbon {
namespace {

std::string lower(std::string text) {
  for (char& ch : text)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

std::string trim(const std::string& text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])))
    ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])))
    --end;
  return text.substr(begin, end - begin);
}

}  // namespace

LandusePoolTable parse_landuse_pools(const CsvText& csv) {
  LandusePoolTable table;
  table.source = csv.source;
  std::map<std::string, std::size_t> column_of;  // lower-case name → index
  for (std::size_t col = 0; col < csv.header.size(); ++col) {
    const std::string key = lower(trim(csv.header[col]));
    if (column_of.count(key))
      throw DataError(csv.source + ": column '" + csv.header[col] +
                      "' appears twice (names are case-insensitive); keep one");
    column_of[key] = col;
  }
  auto find = [&](const std::string& key) -> std::optional<std::size_t> {
    auto it = column_of.find(key);
    if (it == column_of.end()) return std::nullopt;
    return it->second;
  };
  auto require = [&](const std::string& key) {
    auto col = find(key);
    if (!col) {
      std::string have;
      for (const auto& h : csv.header)
        have += (have.empty() ? "" : ", ") + h;
      throw DataError(csv.source + ": pool table has no column '" + key +
                      "' (needs lucode, c_above, c_below, c_soil, c_dead in Mg C/ha; has: " + have +
                      ")");
    }
    return *col;
  };
  const std::size_t lucode_col = require("lucode");
  std::size_t pool_col[kLandusePools];
  std::optional<std::size_t> sd_col[kLandusePools], min_col[kLandusePools], max_col[kLandusePools];
  std::vector<char> used(csv.header.size(), 0);
  used[lucode_col] = 1;
  for (std::size_t p = 0; p < kLandusePools; ++p) {
    const std::string pool = kLandusePoolNames[p];
    pool_col[p] = require(pool);
    used[pool_col[p]] = 1;
    sd_col[p] = find(pool + "_sd");
    min_col[p] = find(pool + "_min");
    max_col[p] = find(pool + "_max");
    for (auto* c : {&sd_col[p], &min_col[p], &max_col[p]})
      if (*c) used[**c] = 1;
    if (min_col[p].has_value() != max_col[p].has_value())
      throw DataError(csv.source + ": column '" + pool + (min_col[p] ? "_min" : "_max") +
                      "' needs its partner '" + pool + (min_col[p] ? "_max" : "_min") +
                      "' (triangular spread: min, mode = " + pool + ", max)");
    if (sd_col[p] && min_col[p])
      throw DataError(csv.source + ": pool " + pool + " has both '" + pool + "_sd' and '" + pool +
                      "_min'/'" + pool + "_max'; give one kind of spread");
    table.has_spread = table.has_spread || sd_col[p] || min_col[p];
  }
  const std::optional<std::size_t> name_col = find("name");
  if (name_col) used[*name_col] = 1;
  std::vector<std::size_t> label_cols;
  for (std::size_t col = 0; col < csv.header.size(); ++col)
    if (!used[col]) {
      label_cols.push_back(col);
      table.label_columns.push_back(csv.header[col]);
    }
  if (csv.rows.empty()) throw DataError(csv.source + ": the pool table has no rows");

  std::map<std::int64_t, std::size_t> line_of_code;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::size_t line = csv.line_numbers[row];
    auto where = [&](std::size_t col) {
      return csv.source + ":" + std::to_string(line) + ", field '" + csv.header[col] + "'";
    };
    const std::string code_text = trim(csv.rows[row][lucode_col]);
    std::int64_t code = 0;
    {
      std::size_t used_chars = 0;
      bool ok = !code_text.empty();
      try {
        if (ok) code = std::stoll(code_text, &used_chars);
      } catch (const std::exception&) {
        ok = false;
      }
      if (!ok || used_chars != code_text.size())
        throw DataError(where(lucode_col) + ": '" + code_text +
                        "' is not an integer class code; lucode holds the LULC raster's values");
    }
    if (auto it = line_of_code.find(code); it != line_of_code.end())
      throw DataError(where(lucode_col) + ": lucode " + std::to_string(code) +
                      " appears again (first on line " + std::to_string(it->second) +
                      "); each class once");
    line_of_code[code] = line;
    table.lines.push_back(line);
    auto value = [&](std::size_t col, const char* what) {
      const std::string text = trim(csv.rows[row][col]);
      double v = 0;
      std::size_t used_chars = 0;
      bool ok = !text.empty();
      try {
        if (ok) v = std::stod(text, &used_chars);
      } catch (const std::exception&) {
        ok = false;
      }
      if (!ok || used_chars != text.size() || !std::isfinite(v))
        throw DataError(where(col) + ": '" + text + "' is not a number; expected " + what +
                        " (use 0 to omit a pool)");
      if (v < 0)
        throw DataError(where(col) + ": " + format_plain(v) + " is negative; expected " + what +
                        " >= 0");
      return v;
    };
    ClassPoolDensities pools;
    double total = 0;
    for (std::size_t p = 0; p < kLandusePools; ++p) {
      PoolDensity& d = pools[p];
      d.mean_tC_ha = value(pool_col[p], "a carbon density in Mg C/ha");
      total += d.mean_tC_ha;
      if (sd_col[p]) {
        d.spread = PoolSpread::normal;
        d.sd_tC_ha = value(*sd_col[p], "a standard deviation in Mg C/ha");
      } else if (min_col[p]) {
        d.spread = PoolSpread::triangular;
        d.min_tC_ha = value(*min_col[p], "a minimum in Mg C/ha");
        d.max_tC_ha = value(*max_col[p], "a maximum in Mg C/ha");
        if (d.min_tC_ha > d.mean_tC_ha || d.max_tC_ha < d.mean_tC_ha)
          throw DataError(where(*min_col[p]) +
                          ": triangular spread needs min <= " + kLandusePoolNames[p] +
                          " <= max (got " + format_plain(d.min_tC_ha) + ", " +
                          format_plain(d.mean_tC_ha) + ", " + format_plain(d.max_tC_ha) + ")");
      }
    }
    table.codes.push_back(code);
    const std::string name = name_col ? trim(csv.rows[row][*name_col]) : std::string();
    table.names.push_back(name.empty() ? std::to_string(code) : name);
    table.pools.push_back(pools);
    table.total_tC_ha.push_back(total);
    std::vector<std::string> labels;
    for (std::size_t col : label_cols)
      labels.push_back(csv.rows[row][col]);
    table.labels.push_back(std::move(labels));
  }
  return table;
}

std::optional<std::size_t> LandusePoolTable::find(std::int64_t code) const {
  for (std::size_t idx = 0; idx < codes.size(); ++idx)
    if (codes[idx] == code) return idx;
  return std::nullopt;
}

}  // namespace minecarbon::carbon
