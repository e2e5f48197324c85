#include "minecarbon/plan/land_use_tables.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::plan {
namespace {

std::string where(const CsvText& csv, std::size_t row, const std::string& column) {
  return csv.source + ":" + std::to_string(csv.line_numbers.at(row)) + ", column '" + column + "'";
}

std::string cell(const CsvText& csv, std::size_t row, std::size_t col) {
  std::string text = csv.rows.at(row).at(col);
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

std::size_t index_of(const std::vector<std::string>& names, const std::string& name,
                     const CsvText& csv, std::size_t row, const std::string& column,
                     const std::string& what, const std::string& known_in) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end())
    throw DataError(where(csv, row, column) + ": unknown " + what + " '" + name + "' (known in " +
                    known_in + ": " + join(names, ", ") + "); fix the name or add it there");
  return static_cast<std::size_t>(it - names.begin());
}

double optional_number(const CsvText& csv, std::size_t row, const char* column) {
  return csv.has_column(column) ? csv.number(row, csv.column(column)) : kNoLimit;
}

}  // namespace

LandUseModel land_use_model(const LandUseTables& t) {
  LandUseModel m;
  const CsvText& zones = t.zones;
  const std::size_t c_zone = zones.column("zone"), c_area = zones.column("area_ha");
  for (std::size_t row = 0; row < zones.rows.size(); ++row) {
    const std::string z = cell(zones, row, c_zone);
    if (std::find(m.zones.begin(), m.zones.end(), z) != m.zones.end())
      throw DataError(where(zones, row, "zone") + ": zone '" + z + "' listed twice");
    const double area = zones.number(row, c_area);
    if (!(area >= 0.0) || !std::isfinite(area))
      throw DataError(where(zones, row, "area_ha") + ": " + format_plain(area) +
                      " must be a number >= 0 (ha)");
    m.zones.push_back(z);
    m.zone_area_ha.push_back(area);
  }
  if (m.zones.empty()) throw DataError(zones.source + ": no zones");
  // Objectives.
  for (const std::string& spec : t.objectives) {
    const auto colon = spec.rfind(':');
    const std::string name = colon == std::string::npos ? spec : spec.substr(0, colon);
    const std::string sense = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (name.empty() || (sense != "max" && sense != "min"))
      throw ConfigError("plan.optimise: objectives: '" + spec +
                        "': expected \"name:max\" or \"name:min\"");
    m.objectives.push_back({name, sense == "max", {}});
  }
  // Classes in order of first appearance in the coefficient table; coefficients per pair.
  const CsvText& coef = t.coefficients;
  const std::size_t c_obj = coef.column("objective"), c_class = coef.column("class"),
                    c_czone = coef.column("zone"), c_value = coef.column("coef_per_ha");
  for (std::size_t row = 0; row < coef.rows.size(); ++row) {
    const std::string cls = cell(coef, row, c_class);
    if (std::find(m.classes.begin(), m.classes.end(), cls) == m.classes.end())
      m.classes.push_back(cls);
  }
  const std::size_t nz = m.zones.size(), pairs = m.classes.size() * nz;
  std::vector<std::string> objective_names;
  for (auto& o : m.objectives) {
    o.coef_per_ha.assign(pairs, 0.0);
    objective_names.push_back(o.name);
  }
  std::set<std::string> seen;
  std::set<std::string> with_coefficients;
  for (std::size_t row = 0; row < coef.rows.size(); ++row) {
    const std::string obj = cell(coef, row, c_obj);
    const auto it = std::find(objective_names.begin(), objective_names.end(), obj);
    if (it == objective_names.end()) continue;  // a table may hold more objectives than used
    with_coefficients.insert(obj);
    const std::size_t o = static_cast<std::size_t>(it - objective_names.begin());
    const std::size_t j = static_cast<std::size_t>(
        std::find(m.classes.begin(), m.classes.end(), cell(coef, row, c_class)) -
        m.classes.begin());
    const std::string zone = cell(coef, row, c_czone);
    const double v = coef.number(row, c_value);
    if (!std::isfinite(v))
      throw DataError(where(coef, row, "coef_per_ha") + ": a number is needed");
    std::vector<std::size_t> zs;
    if (zone.empty()) {
      for (std::size_t z = 0; z < nz; ++z)
        zs.push_back(z);
    } else {
      zs.push_back(index_of(m.zones, zone, coef, row, "zone", "zone", zones.source));
    }
    for (std::size_t z : zs) {
      const std::string key = obj + '\n' + m.classes[j] + '\n' + m.zones[z];
      if (!seen.insert(key).second)
        throw DataError(where(coef, row, "zone") + ": objective '" + obj + "', class '" +
                        m.classes[j] + "', zone '" + m.zones[z] +
                        "' given twice; one coefficient per pair");
      m.objectives[o].coef_per_ha[j * nz + z] = v;
    }
  }
  for (const auto& o : m.objectives)
    if (!with_coefficients.count(o.name))
      throw ConfigError("plan.optimise: objective '" + o.name + "' has no row in " + coef.source +
                        " (column objective)");
  if (t.allowed) {
    const CsvText& a = *t.allowed;
    m.allowed.assign(pairs, 1);
    const std::size_t ca = a.column("class"), cz = a.column("zone"), cv = a.column("allowed");
    for (std::size_t row = 0; row < a.rows.size(); ++row) {
      const std::size_t j =
          index_of(m.classes, cell(a, row, ca), a, row, "class", "class", coef.source);
      const std::size_t z =
          index_of(m.zones, cell(a, row, cz), a, row, "zone", "zone", zones.source);
      const double v = a.number(row, cv);
      if (v != 0.0 && v != 1.0) throw DataError(where(a, row, "allowed") + ": expected 0 or 1");
      m.allowed[j * nz + z] = static_cast<char>(v);
    }
  }
  if (t.class_limits) {
    const CsvText& l = *t.class_limits;
    m.class_limits.assign(m.classes.size(), ClassLimit{});
    const std::size_t cc = l.column("class");
    for (std::size_t row = 0; row < l.rows.size(); ++row) {
      const std::size_t j =
          index_of(m.classes, cell(l, row, cc), l, row, "class", "class", coef.source);
      ClassLimit& lim = m.class_limits[j];
      lim.min_ha = optional_number(l, row, "min_ha");
      lim.max_ha = optional_number(l, row, "max_ha");
      lim.min_share = optional_number(l, row, "min_share");
      lim.max_share = optional_number(l, row, "max_share");
      const double patch = optional_number(l, row, "min_patch_ha");
      lim.min_patch_ha = std::isnan(patch) ? 0.0 : patch;
      for (const char* col : {"min_ha", "max_ha", "min_patch_ha"}) {
        const double v = optional_number(l, row, col);
        if (!std::isnan(v) && !(v >= 0.0))
          throw DataError(where(l, row, col) + ": " + format_plain(v) + " must be >= 0 (ha)");
      }
      for (const char* col : {"min_share", "max_share"}) {
        const double v = optional_number(l, row, col);
        if (!std::isnan(v) && !(v >= 0.0 && v <= 1.0))
          throw DataError(where(l, row, col) + ": " + format_plain(v) +
                          " must be a share in 0..1 (0.25 = 25 %)");
      }
    }
  }
  if (t.rows) {
    const CsvText& r = *t.rows;
    const std::size_t cn = r.column("name"), cs = r.column("sense"), cr = r.column("rhs");
    for (std::size_t row = 0; row < r.rows.size(); ++row) {
      UserRow u;
      u.name = cell(r, row, cn);
      const std::string sense = cell(r, row, cs);
      if (sense == "<=")
        u.sense = RowSense::at_most;
      else if (sense == ">=")
        u.sense = RowSense::at_least;
      else if (sense == "=" || sense == "==")
        u.sense = RowSense::equal;
      else
        throw DataError(where(r, row, "sense") + ": '" + sense + "'; expected <=, >= or =");
      u.rhs = r.number(row, cr);
      u.coef.assign(pairs, 0.0);
      for (std::size_t col = 0; col < r.header.size(); ++col) {
        if (col == cn || col == cs || col == cr) continue;
        const std::size_t j =
            index_of(m.classes, r.header[col], r, row, r.header[col], "class", coef.source);
        const double v = r.number(row, col);
        for (std::size_t z = 0; z < nz; ++z)
          u.coef[j * nz + z] = std::isnan(v) ? 0.0 : v;
      }
      m.user_rows.push_back(std::move(u));
    }
  }
  m.zone_area_rule = t.zone_area_rule;
  m.budget = t.budget;
  if (!std::isnan(t.budget)) {
    const auto it = std::find(objective_names.begin(), objective_names.end(), t.budget_objective);
    if (it == objective_names.end())
      throw ConfigError("plan.optimise: budget_objective = '" + t.budget_objective +
                        "' is not among the objectives (" + join(objective_names, ", ") + ")");
    m.budget_objective = static_cast<std::size_t>(it - objective_names.begin());
  }
  return m;
}

}  // namespace minecarbon::plan
