// The damage stage's options, declared once, and the rules between them.
#include <cstdio>

#include "minecarbon/assess/damage.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {

Period parse_period(const std::string& text) {
  int first = 0, last = 0;
  char dash = 0, extra = 0;
  const int n = std::sscanf(text.c_str(), "%d%c%d%c", &first, &dash, &last, &extra);
  const bool plausible = first >= 1 && first <= 9999 && last >= 1 && last <= 9999;
  if (n == 1 && plausible) return {text, first, first};
  if (n == 3 && dash == '-' && plausible && first <= last) return {text, first, last};
  throw std::invalid_argument("expected a year range like 2000-2020, got '" + text + "'");
}

OptionCodec<Period> period_codec() {
  return {parse_period, [](const Period& p) { return p.label; }};
}

const OptionTable<DamageParams>& DamageParams::options() {
  static const OptionTable<DamageParams> table = [] {
    using P = DamageParams;
    OptionTable<P> t("damage");
    t.add(
         "base_year", [](P& p) -> int& { return p.base_year; }, "base year of eqs 1-2")
        .range(0, 9999)
        .shown_default("first year (0)");
    t.add(
         "min_area_km2", [](P& p) -> double& { return p.min_area_km2; },
         "mines smaller than this are reported, not analysed (0 disables)")
        .unit("km2")
        .range(0, 1e6);
    t.add(
         "ring_outer_m", [](P& p) -> double& { return p.ring.outer_m; },
         "reference ring: within this distance of the mine")
        .unit("m")
        .above(0);
    t.add(
         "ring_gap_m", [](P& p) -> double& { return p.ring.gap_m; },
         "reference ring: farther than this from every mine; < ring_outer_m")
        .unit("m")
        .at_least(0);
    t.add(
         "ring_quad_segs", [](P& p) -> int& { return p.ring.quad_segs; },
         "buffer segments per quarter circle")
        .range(2, 90);
    t.add(
         "ring_outer_limit_m", [](P& p) -> double& { return p.ring_outer_limit_m; },
         "largest ring_outer_m accepted; memory grows with the ring area, raise knowingly")
        .unit("m")
        .above(0);
    t.add(
        "group_by", [](P& p) -> std::vector<std::string>& { return p.group_by; },
        "fields or M49 columns (continent, region, sub_region, intermediate_region) to total by");
    t.add(
        "iso3_field", [](P& p) -> std::string& { return p.iso3_field; },
        "ISO-3 field for the M49 join (default: the first of ISO3_CODE, iso3, ISO3, ISO_A3, "
        "iso_a3)");
    t.add_custom(
         "periods", [](P& p) -> std::vector<Period>& { return p.periods; }, period_codec(),
         "periods for change and trend, e.g. [\"2000-2006\"]")
        .flag("--period");
    return t;
  }();
  return table;
}

void DamageParams::validate() const {
  check_options(options(), *this);
  if (!(ring.gap_m < ring.outer_m))
    throw OptionError("damage", "ring_gap_m",
                      "= " + format_plain(ring.gap_m) + ": must be < ring_outer_m (" +
                          format_plain(ring.outer_m) + " m)");
  if (ring.outer_m > ring_outer_limit_m)
    throw OptionError("damage", "ring_outer_m",
                      "= " + format_plain(ring.outer_m) +
                          ": above ring_outer_limit_m (" +
                          format_plain(ring_outer_limit_m) +
                          " m); rings this wide need memory in proportion to their area: raise "
                          "ring_outer_limit_m if you mean it");
  for (const auto& period : periods)
    if (period.last_year <= period.first_year)
      throw OptionError("damage", "periods", "'" + period.label + "' must span at least two years");
}

void DamageParams::check_against_years(int first_year, int last_year) const {
  const std::string years = std::to_string(first_year) + "-" + std::to_string(last_year);
  if (base_year != 0 && (base_year < first_year || base_year > last_year))
    throw OptionError("damage", "base_year",
                      "= " + std::to_string(base_year) + ": outside the years " + years);
  for (const auto& period : periods)
    if (period.first_year < first_year || period.last_year > last_year)
      throw OptionError("damage", "periods",
                        "'" + period.label + "' must lie within the years " + years);
}

}  // namespace minecarbon::assess
