// The CASA vegetation types: maximum light-use efficiency ε_max and the FPAR extremes (5th/95th
// percentiles of NDVI and SR) per type, shipped as data/casa_vegetation.csv, and the mapping of a
// vegetation raster's class codes to those types (the user's class table). docs/nep.md §5.
//
// data/casa_vegetation.csv columns (header case-insensitive, any order; other columns ignored):
//   type            key, e.g. evergreen_needleleaf_forest (matched case-insensitively)
//   eps_max_gC_MJ   ε_max, gC MJ⁻¹; empty when no published value (the type then needs yours)
//   ndvi_max, ndvi_min, sr_max, sr_min   FPAR extremes; all four or none
//   source, status  where the values come from; CONFIRMED, CONFLICT (resolved, see `note`) or
//                   DEFAULT (the `default` row for unmapped classes: Potter 1993's 0.389)
// Values: ε_max after Zhu Wenquan et al. 2006 as stated by Mu Shaojie et al. [S19]; extremes after
// Zhu Wenquan 2005/2006 as tabulated by [S22] (ChinaXiv:202106.00083).
//
// Class table (the user's CSV): columns `code` (integer class of the vegetation raster) and `type`
// (a type of the vegetation table); other columns are ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/carbon/casa_fpar.h"
#include "minecarbon/carbon/casa_nep.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/name_table.h"

namespace minecarbon::carbon {

// The type unmapped classes fall back to, and its ε_max: the global constant of Potter et al.
// 1993 (0.389 gC MJ⁻¹, CONFIRMED via [S19]).
inline constexpr std::string_view kCasaDefaultType = "default";
inline constexpr double kPotterEpsMax_gC_MJ = 0.389;

struct CasaVegetationType {
  std::string type;       // lower case key
  double eps_max_gC_MJ;   // NaN = not given
  FparExtremes extremes;  // all NaN = not given
  std::string source, status;
  std::string cite;  // file:line of the row
  bool has_eps_max() const { return eps_max_gC_MJ == eps_max_gC_MJ; }
  bool has_extremes() const { return extremes.ndvi_max == extremes.ndvi_max; }
};

struct CasaVegetationTable {
  std::vector<CasaVegetationType> types;
  std::optional<std::size_t> find(std::string_view type) const;  // case-insensitive
  std::string type_list() const;                                 // "a, b, c" for messages
};

// Parses one file. DataError "file:LINE, field 'x': ..." for a missing required column (type,
// eps_max_gC_MJ, ndvi_max, ndvi_min, sr_max, sr_min, source), an empty type, a non-numeric or
// negative value, some but not all four extremes, extremes with max ≤ min, a duplicate type
// (both lines), and an empty table.
CasaVegetationTable parse_casa_vegetation(const CsvText& csv);

// Where the FPAR extremes come from (option `fpar_extremes`).
enum class FparExtremesSource : std::uint8_t { table, data };
inline constexpr NameTable<FparExtremesSource, 2> kFparExtremesSourceNames{
    {{{FparExtremesSource::table, "table"}, {FparExtremesSource::data, "data"}}}};

// The kernel's parameters of a type. DataError naming the row when ε_max is missing, or when
// `need_extremes` (fpar_extremes = "table") and the row has no extremes; data extremes are filled
// in by the caller.
CasaTypeParams casa_type_params(const CasaVegetationType& type, bool need_extremes);

struct CasaClassRow {
  std::int64_t code = 0;
  std::string type;  // lower case
  std::string cite;  // file:line
};

// Parses a class table (columns code, type). DataError naming file:line for a non-integer code,
// an empty type, a code given twice (both lines), no rows.
std::vector<CasaClassRow> parse_casa_class_table(const CsvText& csv);

// What to do with a raster code the class table does not list (option `unmapped`).
enum class UnmappedClasses : std::uint8_t { use_default, error };
inline constexpr NameTable<UnmappedClasses, 2> kUnmappedClassesNames{
    {{{UnmappedClasses::use_default, "default"}, {UnmappedClasses::error, "error"}}}};

struct CasaClassMapping {
  std::vector<std::int64_t> codes;           // sorted
  std::vector<std::int32_t> type_idx;        // per code, index into the vegetation table
  std::vector<std::int64_t> unmapped_codes;  // present in the raster, absent from the class
                                             // table, mapped to `default` (sorted)
  // Type index of a code, −1 when the code is not mapped (binary search).
  std::int32_t lookup(std::int64_t code) const;
};

// Maps every code of the class table and every code present in the raster. DataError naming the
// class-table row for a type the vegetation table lacks (listing the types it has); with
// UnmappedClasses::error, DataError listing the unmapped codes (first 20) and the two fixes; with
// use_default, DataError when the vegetation table has no `default` row.
CasaClassMapping map_casa_classes(std::span<const std::int64_t> codes_present,
                                  std::span<const CasaClassRow> classes,
                                  const CasaVegetationTable& table, UnmappedClasses unmapped,
                                  const std::string& class_table_name);

}  // namespace minecarbon::carbon
