#include "minecarbon/carbon/casa_vegetation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::carbon {
namespace {

std::string lower_trimmed(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])))
    ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])))
    --end;
  std::string out(text.substr(begin, end - begin));
  for (char& ch : out)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string trimmed(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])))
    ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])))
    --end;
  return std::string(text.substr(begin, end - begin));
}

// Column index by case-insensitive name.
std::optional<std::size_t> find_column(const CsvText& csv, std::string_view name) {
  for (std::size_t col = 0; col < csv.header.size(); ++col)
    if (lower_trimmed(csv.header[col]) == name) return col;
  return std::nullopt;
}

std::size_t require_column(const CsvText& csv, std::string_view name, const char* what) {
  if (auto col = find_column(csv, name)) return *col;
  std::string have;
  for (const auto& h : csv.header)
    have += (have.empty() ? "" : ", ") + h;
  throw DataError(csv.source + ": " + what + " has no column '" + std::string(name) +
                  "' (has: " + have + "; see docs/nep.md)");
}

}  // namespace

std::optional<std::size_t> CasaVegetationTable::find(std::string_view type) const {
  const std::string key = lower_trimmed(type);
  for (std::size_t idx = 0; idx < types.size(); ++idx)
    if (types[idx].type == key) return idx;
  return std::nullopt;
}

std::string CasaVegetationTable::type_list() const {
  std::string out;
  for (const auto& t : types)
    out += (out.empty() ? "" : ", ") + t.type;
  return out;
}

CasaVegetationTable parse_casa_vegetation(const CsvText& csv) {
  const char* what = "the CASA vegetation table";
  const std::size_t c_type = require_column(csv, "type", what);
  const std::size_t c_eps = require_column(csv, "eps_max_gc_mj", what);
  const std::size_t c_ext[4] = {
      require_column(csv, "ndvi_max", what), require_column(csv, "ndvi_min", what),
      require_column(csv, "sr_max", what), require_column(csv, "sr_min", what)};
  const std::size_t c_source = require_column(csv, "source", what);
  const std::optional<std::size_t> c_status = find_column(csv, "status");
  if (csv.rows.empty()) throw DataError(csv.source + ": the CASA vegetation table has no rows");
  CasaVegetationTable table;
  std::map<std::string, std::size_t> line_of;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string line = std::to_string(csv.line_numbers[row]);
    auto where = [&](std::size_t col) {
      return csv.source + ":" + line + ", field '" + csv.header[col] + "'";
    };
    CasaVegetationType t;
    t.type = lower_trimmed(csv.rows[row][c_type]);
    t.cite = csv.source + ":" + line;
    if (t.type.empty()) throw DataError(where(c_type) + ": empty; name the vegetation type");
    if (auto it = line_of.find(t.type); it != line_of.end())
      throw DataError(where(c_type) + ": type '" + t.type + "' is already on line " +
                      std::to_string(it->second) + "; keep one row per type");
    line_of[t.type] = csv.line_numbers[row];
    auto value = [&](std::size_t col) {
      const double v = csv.number(row, col);  // NaN when empty or NA
      if (std::isinf(v) || v < 0.0)
        throw DataError(where(col) + ": " + format_number(v) + " must be a finite number >= 0");
      return v;
    };
    t.eps_max_gC_MJ = value(c_eps);
    double ext[4];
    int given = 0;
    for (int k = 0; k < 4; ++k) {
      ext[k] = value(c_ext[k]);
      given += !std::isnan(ext[k]);
    }
    if (given != 0 && given != 4)
      throw DataError(csv.source + ":" + line +
                      ": give all four FPAR extremes (ndvi_max, ndvi_min, sr_max, sr_min) or none");
    t.extremes = given == 4 ? FparExtremes{ext[1], ext[0], ext[3], ext[2]}
                            : FparExtremes{kNaN, kNaN, kNaN, kNaN};
    if (given == 4) check_fpar_extremes(t.extremes, csv.source + ":" + line);
    t.source = trimmed(csv.rows[row][c_source]);
    if (c_status) t.status = trimmed(csv.rows[row][*c_status]);
    table.types.push_back(std::move(t));
  }
  return table;
}

CasaTypeParams casa_type_params(const CasaVegetationType& type, bool need_extremes) {
  if (!type.has_eps_max())
    throw DataError(type.cite + ": CASA type '" + type.type +
                    "' has no eps_max_gC_MJ (no published value); give one in your vegetation "
                    "table or map its classes to another type");
  if (need_extremes && !type.has_extremes())
    throw DataError(type.cite + ": CASA type '" + type.type +
                    "' has no NDVI/SR extremes; give ndvi_max, ndvi_min, sr_max, sr_min in your "
                    "vegetation table or set fpar_extremes = \"data\"");
  return CasaTypeParams{type.eps_max_gC_MJ, type.extremes};
}

std::vector<CasaClassRow> parse_casa_class_table(const CsvText& csv) {
  const char* what = "the vegetation class table";
  const std::size_t c_code = require_column(csv, "code", what);
  const std::size_t c_type = require_column(csv, "type", what);
  if (csv.rows.empty()) throw DataError(csv.source + ": the vegetation class table has no rows");
  std::vector<CasaClassRow> rows;
  std::map<std::int64_t, std::size_t> line_of;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string line = std::to_string(csv.line_numbers[row]);
    const std::string text = trimmed(csv.rows[row][c_code]);
    CasaClassRow out;
    out.cite = csv.source + ":" + line;
    std::size_t used = 0;
    bool ok = !text.empty();
    try {
      if (ok) out.code = std::stoll(text, &used);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok || used != text.size())
      throw DataError(out.cite + ", field 'code': '" + text +
                      "' is not an integer class code (the vegetation raster's values)");
    out.type = lower_trimmed(csv.rows[row][c_type]);
    if (out.type.empty())
      throw DataError(out.cite + ", field 'type': empty; name a CASA vegetation type");
    if (auto it = line_of.find(out.code); it != line_of.end())
      throw DataError(out.cite + ", field 'code': " + text + " is already on line " +
                      std::to_string(it->second) + "; map each code once");
    line_of[out.code] = csv.line_numbers[row];
    rows.push_back(std::move(out));
  }
  return rows;
}

std::int32_t CasaClassMapping::lookup(std::int64_t code) const {
  const auto it = std::lower_bound(codes.begin(), codes.end(), code);
  if (it == codes.end() || *it != code) return -1;
  return type_idx[static_cast<std::size_t>(it - codes.begin())];
}

CasaClassMapping map_casa_classes(std::span<const std::int64_t> codes_present,
                                  std::span<const CasaClassRow> classes,
                                  const CasaVegetationTable& table, UnmappedClasses unmapped,
                                  const std::string& class_table_name) {
  std::vector<std::pair<std::int64_t, std::int32_t>> pairs;
  for (const CasaClassRow& row : classes) {
    const auto idx = table.find(row.type);
    if (!idx)
      throw DataError(row.cite + ", field 'type': '" + row.type +
                      "' is not a type of the CASA vegetation table (types: " + table.type_list() +
                      "); fix the class table or add the type to your vegetation table");
    pairs.emplace_back(row.code, static_cast<std::int32_t>(*idx));
  }
  std::sort(pairs.begin(), pairs.end());
  CasaClassMapping out;
  std::vector<std::int64_t> present(codes_present.begin(), codes_present.end());
  std::sort(present.begin(), present.end());
  present.erase(std::unique(present.begin(), present.end()), present.end());
  for (std::int64_t code : present) {
    const bool listed =
        std::binary_search(pairs.begin(), pairs.end(), std::make_pair(code, std::int32_t{0}),
                           [](const auto& a, const auto& b) { return a.first < b.first; });
    if (!listed) out.unmapped_codes.push_back(code);
  }
  if (!out.unmapped_codes.empty()) {
    std::string list;
    for (std::size_t k = 0; k < out.unmapped_codes.size() && k < 20; ++k)
      list += (k ? ", " : "") + std::to_string(out.unmapped_codes[k]);
    if (out.unmapped_codes.size() > 20)
      list += " and " + std::to_string(out.unmapped_codes.size() - 20) + " more";
    if (unmapped == UnmappedClasses::error)
      throw DataError(class_table_name + ": vegetation code(s) " + list +
                      " of the vegetation raster are not in the class table; add rows for them "
                      "or set unmapped = \"default\" (CASA type 'default', eps_max 0.389)");
    const auto def = table.find(kCasaDefaultType);
    if (!def)
      throw DataError(class_table_name + ": vegetation code(s) " + list +
                      " are unmapped and the CASA vegetation table has no 'default' row; add "
                      "one or map the codes");
    for (std::int64_t code : out.unmapped_codes)
      pairs.emplace_back(code, static_cast<std::int32_t>(*def));
    std::sort(pairs.begin(), pairs.end());
  }
  for (const auto& [code, idx] : pairs) {
    out.codes.push_back(code);
    out.type_idx.push_back(idx);
  }
  return out;
}

}  // namespace minecarbon::carbon
