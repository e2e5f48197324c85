// The unit of an output column read from its name, and how a map colours it.
//
// Every stage names its columns with the unit as a suffix (`nep_loss_gC_m2_yr`, `area_km2`,
// `co2e_t`, docs/architecture.md, "Names carry units"): the report, the figures and the server read the unit from that
// suffix through the one table here, so a stage adds no unit metadata of its own. A column whose
// name matches no rule is shown without a unit and listed as such, never given a guessed one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::report {

struct UnitRule {
  std::string_view suffix;    // without the leading '_': "gC_m2_yr"
  std::string_view unit;      // as printed: "gC m⁻² yr⁻¹"
  std::string_view quantity;  // what the unit measures, for a legend: "carbon flux density"
};

// Every rule, longest suffix first (the order in which they are tried).
const std::vector<UnitRule>& unit_rules();

// The rule of `column`: the longest suffix s such that the name is s or ends in "_" + s; nullptr
// when none matches (then the column has no unit).
const UnitRule* unit_rule_of(std::string_view column);

// The column name without its unit suffix ("nep_loss_gC_m2_yr" → "nep_loss"); the whole name
// when no rule matches or the name is only a unit ("co2e_t").
std::string_view strip_unit(std::string_view column);

enum class PaletteKind {
  sequential,   // stocks, areas, potentials: one hue from low to high (viridis)
  diverging,    // signed changes and balances: symmetric about 0, losses red (ColorBrewer RdBu)
  categorical,  // status, classes, roles
};

// How a map colours `column`: categorical for text columns; diverging for numeric columns whose
// sign carries the meaning (changes, net values, slopes, trend statistics, NEP itself, which is
// negative for a source); sequential for the rest.
PaletteKind palette_of(std::string_view column, bool numeric);

// Whether a signed `column`'s positive values are the bad side: a lost sink or an emission (a
// `loss` or `emission` word in its name: nep_loss_gC_m2_yr = −S, net_emission_co2e_t). Its
// diverging palette is then drawn reversed, so that losses are red whatever their sign convention.
bool positive_is_loss(std::string_view column);

const char* to_string(PaletteKind kind);

}  // namespace minecarbon::report
