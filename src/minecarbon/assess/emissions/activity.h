// The activity table of the emissions stage, read once into compact rows: mine ids and the free
// texts (subtype, region, note) are interned to integers, so the computation never looks a string
// up per row.
//
// CSV, long: mine_id, year, source, amount, unit; optional subtype, region, fuel_oil_fraction,
// overburden_depth_m, flare_efficiency, ef_co2_t_per_unit, ef_ch4_t_per_unit, ef_n2o_t_per_unit,
// note. Header names are matched case-insensitively. Sources and their units:
//   diesel            L, m3, t, GJ   subtype offroad (default) or stationary
//   explosive         t              subtype free text
//   electricity       kWh, MWh       region (ISO 3166-2 `CN-SX` or a grid name `north`)
//   coal_surface      t raw coal     subtype low | average | high, or overburden_depth_m
//   coal_underground  t raw coal     needs ef_ch4_t_per_unit (no confirmed default)
//   ch4_recovered     m3, t CH4      flare_efficiency (share burnt)
//   land_cleared      ha             subtype = former land-use class code (pool table)
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/carbon/emission_factors.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/name_table.h"

namespace minecarbon::assess {

enum class EmissionSource : std::uint8_t {
  diesel,
  explosive,
  electricity,
  coal_surface,
  coal_underground,
  ch4_recovered,
  land_cleared
};
inline constexpr std::size_t kEmissionSourceCount = 7;
inline constexpr NameTable<EmissionSource, kEmissionSourceCount> kEmissionSourceNames{{{
    {EmissionSource::diesel, "diesel"},
    {EmissionSource::explosive, "explosive"},
    {EmissionSource::electricity, "electricity"},
    {EmissionSource::coal_surface, "coal_surface"},
    {EmissionSource::coal_underground, "coal_underground"},
    {EmissionSource::ch4_recovered, "ch4_recovered"},
    {EmissionSource::land_cleared, "land_cleared"},
}}};
inline std::string_view to_string(EmissionSource source) {
  return kEmissionSourceNames.name(source);
}

inline constexpr NameTable<carbon::ActivityUnit, 7> kActivityUnitNames{{{
    {carbon::ActivityUnit::L, "L"},
    {carbon::ActivityUnit::m3, "m3"},
    {carbon::ActivityUnit::t, "t"},
    {carbon::ActivityUnit::GJ, "GJ"},
    {carbon::ActivityUnit::kWh, "kWh"},
    {carbon::ActivityUnit::MWh, "MWh"},
    {carbon::ActivityUnit::ha, "ha"},
}}};
inline std::string_view to_string(carbon::ActivityUnit unit) {
  return kActivityUnitNames.name(unit);
}

// The units a source accepts, for checks and messages ("L, m3, t or GJ").
bool unit_allowed(EmissionSource source, carbon::ActivityUnit unit);
std::string allowed_units_text(EmissionSource source);

namespace emissions {

inline constexpr double kNotGiven = std::numeric_limits<double>::quiet_NaN();

struct ActivityRow {
  std::uint32_t line = 0;  // 1-based line of the file
  std::uint32_t mine = 0;  // index into ActivityTable::mine_ids
  std::int32_t year = 0;
  EmissionSource source = EmissionSource::diesel;
  carbon::ActivityUnit unit = carbon::ActivityUnit::t;
  std::uint32_t subtype = 0;  // index into ActivityTable::labels; 0 = not given
  std::uint32_t region = 0;
  std::uint32_t note = 0;
  double amount = 0.0;  // in `unit`, >= 0
  // Optional cells; NaN when not given.
  double fuel_oil_fraction = kNotGiven;
  double overburden_depth_m = kNotGiven;
  double flare_efficiency = kNotGiven;
  double ef_co2_t_per_unit = kNotGiven;  // t of the gas per unit of `amount`; overrides tables
  double ef_ch4_t_per_unit = kNotGiven;
  double ef_n2o_t_per_unit = kNotGiven;
};

struct ActivityTable {
  std::string file;                                // for messages: the name the user gave
  std::vector<std::string> mine_ids;               // in order of first appearance
  std::vector<std::string> labels{std::string()};  // interned texts; labels[0] = ""
  std::vector<ActivityRow> rows;                   // in file order
};

// Reads and checks every row. All problems are collected and reported together (DataError, exit
// 3): a missing column, an empty mine_id, a year that is not a whole number, an unknown source or
// unit (with the accepted ones), a unit the source does not take, a negative or non-numeric amount,
// fractions outside [0, 1], negative depths or factors — each as "file:line: field = value:
// problem; what to do".
ActivityTable parse_activity(const CsvText& csv);

}  // namespace emissions
}  // namespace minecarbon::assess
