#include "minecarbon/assess/emissions/activity.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "minecarbon/assess/emissions/cells.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess {

using carbon::ActivityUnit;

bool unit_allowed(EmissionSource source, ActivityUnit unit) {
  switch (source) {
    case EmissionSource::diesel:
      return unit == ActivityUnit::L || unit == ActivityUnit::m3 || unit == ActivityUnit::t ||
             unit == ActivityUnit::GJ;
    case EmissionSource::explosive:
    case EmissionSource::coal_surface:
    case EmissionSource::coal_underground:
      return unit == ActivityUnit::t;
    case EmissionSource::electricity:
      return unit == ActivityUnit::kWh || unit == ActivityUnit::MWh;
    case EmissionSource::ch4_recovered:
      return unit == ActivityUnit::m3 || unit == ActivityUnit::t;
    case EmissionSource::land_cleared:
      return unit == ActivityUnit::ha;
  }
  return false;
}

std::string allowed_units_text(EmissionSource source) {
  std::vector<std::string> names;
  for (const auto& [unit, name] : kActivityUnitNames.entries)
    if (unit_allowed(source, unit)) names.emplace_back(name);
  std::string out;
  for (std::size_t idx = 0; idx < names.size(); ++idx)
    out += (idx == 0 ? "" : idx + 1 == names.size() ? " or " : ", ") + names[idx];
  return out;
}

namespace emissions {
namespace {

std::optional<EmissionSource> parse_source(std::string_view text) {
  return kEmissionSourceNames.parse(lower(text));
}

std::optional<ActivityUnit> parse_unit(std::string_view text) {
  const std::string low = lower(text);
  for (const auto& [unit, name] : kActivityUnitNames.entries)
    if (lower(name) == low) return unit;
  return std::nullopt;
}

std::string unit_list() {
  std::string out;
  for (const auto& [unit, name] : kActivityUnitNames.entries)
    out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

ActivityTable parse_activity(const CsvText& csv) {
  ActivityTable table;
  table.file = csv.source;
  const HeaderIndex header(csv);
  ProblemList problems(20);
  const std::size_t c_mine = header.require("mine_id", problems);
  const std::size_t c_year = header.require("year", problems);
  const std::size_t c_source = header.require("source", problems);
  const std::size_t c_amount = header.require("amount", problems);
  const std::size_t c_unit = header.require("unit", problems);
  problems.throw_if_any("emissions: " + csv.source + ": the activity table needs the columns " +
                        "mine_id, year, source, amount, unit (optional: subtype, region, " +
                        "fuel_oil_fraction, overburden_depth_m, flare_efficiency, " +
                        "ef_co2_t_per_unit, ef_ch4_t_per_unit, ef_n2o_t_per_unit, note)");
  const auto c_subtype = header.find("subtype");
  const auto c_region = header.find("region");
  const auto c_note = header.find("note");
  const auto c_fuel_oil = header.find("fuel_oil_fraction");
  const auto c_depth = header.find("overburden_depth_m");
  const auto c_flare = header.find("flare_efficiency");
  const auto c_ef_co2 = header.find("ef_co2_t_per_unit");
  const auto c_ef_ch4 = header.find("ef_ch4_t_per_unit");
  const auto c_ef_n2o = header.find("ef_n2o_t_per_unit");

  std::unordered_map<std::string, std::uint32_t> mine_index, label_index;
  label_index.emplace("", 0);
  auto intern = [&](std::unordered_map<std::string, std::uint32_t>& index,
                    std::vector<std::string>& values, std::string_view text) {
    auto [it, inserted] =
        index.try_emplace(std::string(text), static_cast<std::uint32_t>(values.size()));
    if (inserted) values.emplace_back(text);
    return it->second;
  };

  table.rows.reserve(csv.rows.size());
  for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
    const std::vector<std::string>& cells = csv.rows[row_idx];
    const std::string where = csv.source + ":" + std::to_string(csv.line_numbers[row_idx]);
    ActivityRow row;
    row.line = static_cast<std::uint32_t>(csv.line_numbers[row_idx]);
    bool ok = true;
    auto bad = [&](const std::string& code, const std::string& message) {
      problems.add(code, where + ": " + message);
      ok = false;
    };

    const std::string_view mine = trim(cells[c_mine]);
    if (mine.empty() || mine == "NA")
      bad("missing_mine_id", "mine_id is empty; give every row the id of its mine");

    const std::string_view year_text = trim(cells[c_year]);
    const std::optional<std::int64_t> year = parse_whole(year_text);
    if (!year || *year < 1000 || *year > 9999)
      bad("bad_year", "year = '" + std::string(year_text) +
                          "': expected a calendar year (a whole number such as 2019)");
    else
      row.year = static_cast<std::int32_t>(*year);

    const std::string_view source_text = trim(cells[c_source]);
    const std::optional<EmissionSource> source = parse_source(source_text);
    if (!source)
      bad("unknown_source", "source = '" + std::string(source_text) +
                                "': unknown source; expected " + kEmissionSourceNames.choices() +
                                " (docs/emissions.md)");
    else
      row.source = *source;

    const std::string_view unit_text = trim(cells[c_unit]);
    const std::optional<ActivityUnit> unit = parse_unit(unit_text);
    if (!unit) {
      bad("unknown_unit",
          "unit = '" + std::string(unit_text) + "': unknown unit; expected " +
              (source ? allowed_units_text(*source) + " for " + std::string(to_string(*source))
                      : "one of " + unit_list()));
    } else if (source && !unit_allowed(*source, *unit)) {
      bad("unknown_unit", "unit = '" + std::string(unit_text) + "' for source " +
                              std::string(to_string(*source)) + ": expected " +
                              allowed_units_text(*source) + "; convert the amount");
    } else {
      row.unit = *unit;
    }

    const std::string_view amount_text = trim(cells[c_amount]);
    const std::optional<double> amount = parse_real(amount_text);
    if (!amount || !std::isfinite(*amount))
      bad("bad_amount", "amount = '" + std::string(amount_text) + "': expected a number >= 0");
    else if (*amount < 0.0)
      bad("negative_amount", "amount = " + std::string(amount_text) +
                                 ": must be >= 0 (a quantity used or produced; enter recovered "
                                 "methane as source ch4_recovered, not as a negative amount)");
    else
      row.amount = *amount;

    // Optional numbers: empty or NA means not given.
    auto optional_number = [&](const std::optional<std::size_t>& col, const char* name, double lo,
                               double hi, const char* expected) {
      if (!col) return kNotGiven;
      const std::string_view text = trim(cells[*col]);
      if (text.empty() || text == "NA") return kNotGiven;
      const std::optional<double> value = parse_real(text);
      if (!value || !std::isfinite(*value) || *value < lo || *value > hi) {
        bad("bad_value", std::string(name) + " = '" + std::string(text) + "': expected " +
                             expected + "; fix the cell or leave it empty");
        return kNotGiven;
      }
      return *value;
    };
    constexpr double kInf = std::numeric_limits<double>::infinity();
    row.fuel_oil_fraction = optional_number(c_fuel_oil, "fuel_oil_fraction", 0.0, 1.0,
                                            "a mass fraction in [0, 1] (ANFO: about 0.055-0.06)");
    row.overburden_depth_m =
        optional_number(c_depth, "overburden_depth_m", 0.0, kInf, "a depth >= 0 in metres");
    row.flare_efficiency = optional_number(c_flare, "flare_efficiency", 0.0, 1.0,
                                           "the share of recovered methane burnt, in [0, 1]");
    row.ef_co2_t_per_unit =
        optional_number(c_ef_co2, "ef_co2_t_per_unit", 0.0, kInf, "t CO2 per unit of amount, >= 0");
    row.ef_ch4_t_per_unit =
        optional_number(c_ef_ch4, "ef_ch4_t_per_unit", 0.0, kInf, "t CH4 per unit of amount, >= 0");
    row.ef_n2o_t_per_unit =
        optional_number(c_ef_n2o, "ef_n2o_t_per_unit", 0.0, kInf, "t N2O per unit of amount, >= 0");
    if (!ok) continue;
    row.mine = intern(mine_index, table.mine_ids, mine);
    auto label = [&](const std::optional<std::size_t>& col) -> std::uint32_t {
      if (!col) return 0;
      const std::string_view text = trim(cells[*col]);
      return text == "NA" ? 0 : intern(label_index, table.labels, text);
    };
    row.subtype = label(c_subtype);
    row.region = label(c_region);
    row.note = label(c_note);
    table.rows.push_back(row);
  }
  problems.throw_if_any("emissions: " + std::to_string(problems.size()) +
                        " problem(s) in the activity table " + csv.source + ":");
  return table;
}

}  // namespace emissions
}  // namespace minecarbon::assess
