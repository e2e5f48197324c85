#include "minecarbon/report/column_units.h"

#include <algorithm>
#include <array>

namespace minecarbon::report {
namespace {

bool ends_with_rule(std::string_view column, std::string_view suffix) {
  if (column == suffix) return true;
  return column.size() > suffix.size() && column[column.size() - suffix.size() - 1] == '_' &&
         column.substr(column.size() - suffix.size()) == suffix;
}

std::vector<UnitRule> make_rules() {
  // The suffixes the stages write (docs/architecture.md, "Names carry units"). Masses of carbon are of C; CO2e only
  // where named. Mg = t.
  std::vector<UnitRule> rules = {
      {"gC_m2_yr2", "gC m⁻² yr⁻²", "trend of a carbon flux density"},
      {"gC_m2_yr", "gC m⁻² yr⁻¹", "carbon flux density"},
      {"MgC_yr", "Mg C yr⁻¹", "carbon flux"},
      {"GgC_yr", "Gg C yr⁻¹", "carbon flux"},
      {"tC_ha_yr", "t C ha⁻¹ yr⁻¹", "carbon flux density"},
      {"tC_ha", "t C ha⁻¹", "carbon stock density"},
      {"tC_yr", "t C yr⁻¹", "carbon flux"},
      {"tC", "t C", "carbon mass"},
      {"co2e_t_ha_yr", "t CO₂e ha⁻¹ yr⁻¹", "CO₂-equivalent flux density"},
      {"co2e_t_ha", "t CO₂e ha⁻¹", "CO₂-equivalent density"},
      {"co2e_t", "t CO₂e", "CO₂-equivalent mass"},
      {"co2e_se_t", "t CO₂e", "standard error of a CO₂-equivalent mass"},
      {"t_per_unit", "t per activity unit", "emission factor"},
      {"Mg_ha", "Mg ha⁻¹", "mass density"},
      {"t_ha", "t ha⁻¹", "mass density"},
      {"t", "t", "mass"},
      {"kg", "kg", "mass"},
      {"g_cm3", "g cm⁻³", "bulk density"},
      {"g_kg", "g kg⁻¹", "mass fraction"},
      {"km2", "km²", "area"},
      {"m2", "m²", "area"},
      {"ha", "ha", "area"},
      {"m3_ha", "m³ ha⁻¹", "volume density"},
      {"m3", "m³", "volume"},
      {"usd_km2", "USD km⁻²", "value density"},
      {"per_m", "m⁻¹", "curvature"},
      {"per_yr", "yr⁻¹", "rate"},
      {"mm_yr", "mm yr⁻¹", "precipitation"},
      {"mm", "mm", "water depth"},
      {"cm", "cm", "length"},
      {"m", "m", "length"},
      {"deg", "°", "angle"},
      {"C", "°C", "temperature"},
      {"pct", "%", "percentage"},
      {"permil", "‰", "per mille"},
      {"yr", "yr", "time"},
  };
  std::stable_sort(rules.begin(), rules.end(), [](const UnitRule& a, const UnitRule& b) {
    return a.suffix.size() > b.suffix.size();
  });
  return rules;
}

// Name parts whose sign is the message: a change, a net value, a trend or its test statistic.
constexpr std::array<std::string_view, 10> kSignedParts = {
    "change", "net", "slope", "difference", "delta", "loss", "gain", "mk_z", "mk_tau", "balance"};

bool has_part(std::string_view column, std::string_view part) {
  // `part` as whole '_'-separated words of the name ("net" in "net_emission", not "planet").
  for (std::size_t at = column.find(part); at != std::string_view::npos;
       at = column.find(part, at + 1)) {
    const bool starts = at == 0 || column[at - 1] == '_';
    const std::size_t end = at + part.size();
    const bool ends = end == column.size() || column[end] == '_';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

const std::vector<UnitRule>& unit_rules() {
  static const std::vector<UnitRule> rules = make_rules();
  return rules;
}

const UnitRule* unit_rule_of(std::string_view column) {
  for (const UnitRule& rule : unit_rules())
    if (ends_with_rule(column, rule.suffix)) return &rule;
  return nullptr;
}

std::string_view strip_unit(std::string_view column) {
  const UnitRule* rule = unit_rule_of(column);
  if (rule == nullptr || column == rule->suffix) return column;
  return column.substr(0, column.size() - rule->suffix.size() - 1);
}

PaletteKind palette_of(std::string_view column, bool numeric) {
  if (!numeric) return PaletteKind::categorical;
  const std::string_view stem = strip_unit(column);
  // A potential is what restoration could regain: a magnitude, drawn like a stock.
  if (stem.substr(0, 9) == "potential") return PaletteKind::sequential;
  if (stem.substr(0, 4) == "nep_" || stem == "nep") return PaletteKind::diverging;
  for (std::string_view part : kSignedParts)
    if (has_part(stem, part)) return PaletteKind::diverging;
  return PaletteKind::sequential;
}

bool positive_is_loss(std::string_view column) {
  const std::string_view stem = strip_unit(column);
  return has_part(stem, "loss") || has_part(stem, "emission");
}

const char* to_string(PaletteKind kind) {
  switch (kind) {
    case PaletteKind::sequential:
      return "sequential";
    case PaletteKind::diverging:
      return "diverging";
    case PaletteKind::categorical:
      return "categorical";
  }
  return "sequential";
}

}  // namespace minecarbon::report
