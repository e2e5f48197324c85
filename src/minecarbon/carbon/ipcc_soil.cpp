#include "minecarbon/carbon/ipcc_soil.h"

#include <array>
#include <cmath>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::carbon {
namespace {

constexpr std::string_view kAll = "all";

struct ClimateName {
  const char* name;
  const char* temperature;
  const char* moisture;
};

// IPCC 2006 Vol. 4 Ch. 3 climate regions, grouped into the regimes of Tables 5.5 and 6.2.
constexpr std::array<ClimateName, 9> kClimates = {{
    {"boreal", "temperate_boreal", "moist"},
    {"cold_temperate_dry", "temperate_boreal", "dry"},
    {"cold_temperate_moist", "temperate_boreal", "moist"},
    {"warm_temperate_dry", "temperate_boreal", "dry"},
    {"warm_temperate_moist", "temperate_boreal", "moist"},
    {"tropical_dry", "tropical", "dry"},
    {"tropical_moist", "tropical", "moist"},
    {"tropical_wet", "tropical", "wet"},
    {"tropical_montane", "tropical_montane", "moist"},
}};

std::string where(const CsvText& csv, std::size_t row) {
  return csv.source + ":" + std::to_string(csv.line_numbers.at(row));
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "(no table)" : out;
}

// 0 = no match, 1 = matched by "all", 2 = exact.
int regime_match(const std::string& row_value, const std::string& wanted) {
  if (row_value == wanted) return 2;
  if (row_value == kAll) return 1;
  return 0;
}

}  // namespace

bool find_ipcc_climate(std::string_view name, IpccClimate& climate) {
  for (const auto& c : kClimates) {
    if (name == c.name) {
      climate = {c.name, c.temperature, c.moisture};
      return true;
    }
  }
  return false;
}

std::string ipcc_climate_names() {
  std::string out;
  for (const auto& c : kClimates)
    out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

std::vector<IpccFactorRow> parse_ipcc_factor_table(const CsvText& csv) {
  const std::size_t c_lu = csv.column("land_use"), c_factor = csv.column("factor"),
                    c_level = csv.column("level"), c_temp = csv.column("temperature_regime"),
                    c_moist = csv.column("moisture_regime"), c_value = csv.column("value"),
                    c_source = csv.column("source");
  std::vector<IpccFactorRow> rows;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const auto& r = csv.rows[row];
    IpccFactorRow out{r[c_lu],     r[c_factor],    r[c_level],
                      r[c_temp],   r[c_moist],     csv.number(row, c_value),
                      r[c_source], where(csv, row)};
    if (out.factor != "F_LU" && out.factor != "F_MG" && out.factor != "F_I") {
      throw DataError(out.origin + ": factor = '" + out.factor +
                      "': expected F_LU, F_MG or F_I (IPCC stock-change factors)");
    }
    if (!(out.value > 0.0) || !std::isfinite(out.value)) {
      throw DataError(out.origin + ": value = " + format_plain(out.value) +
                      ": a stock-change factor must be a number > 0");
    }
    if (out.source.empty()) {
      throw DataError(out.origin +
                      ": source is empty: every factor needs its source (table, page, DOI); "
                      "fill the source column");
    }
    if (out.land_use.empty() || out.level.empty() || out.temperature_regime.empty() ||
        out.moisture_regime.empty()) {
      throw DataError(out.origin +
                      ": land_use, level, temperature_regime and moisture_regime must not be "
                      "empty (use \"all\" for a factor that holds in every climate)");
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

std::vector<IpccSocRefRow> parse_ipcc_soc_ref_table(const CsvText& csv) {
  const std::size_t c_climate = csv.column("climate"), c_soil = csv.column("soil_type"),
                    c_value = csv.column("soc_ref_tC_ha"), c_source = csv.column("source");
  std::vector<IpccSocRefRow> rows;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const auto& r = csv.rows[row];
    IpccSocRefRow out{r[c_climate], r[c_soil], csv.number(row, c_value), r[c_source],
                      where(csv, row)};
    if (!(out.soc_ref_tC_ha >= 0.0) || !std::isfinite(out.soc_ref_tC_ha)) {
      throw DataError(out.origin + ": soc_ref_tC_ha = " + format_plain(out.soc_ref_tC_ha) +
                      ": must be a number >= 0 (t C/ha, 0-30 cm)");
    }
    if (out.source.empty()) {
      throw DataError(out.origin + ": source is empty: every reference stock needs its source");
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

const IpccFactorRow& find_ipcc_factor(const IpccTables& tables, std::string_view factor,
                                      std::string_view land_use, std::string_view level,
                                      const IpccClimate& climate) {
  const IpccFactorRow* best = nullptr;
  int best_score = 0;
  for (const IpccFactorRow& row : tables.factors) {
    if (row.factor != factor || row.land_use != land_use || row.level != level) continue;
    const int t = regime_match(row.temperature_regime, climate.temperature_regime);
    const int m = regime_match(row.moisture_regime, climate.moisture_regime);
    if (t == 0 || m == 0) continue;
    const int score = t + m;
    if (score > best_score) {
      best = &row;
      best_score = score;
    }
  }
  if (best) return *best;
  throw DataError(
      "IPCC factor " + std::string(factor) + " for land_use = " + std::string(land_use) +
      ", level = " + std::string(level) + ", climate = " + climate.name + " (" +
      climate.temperature_regime + ", " + climate.moisture_regime + ") is in no factor table (" +
      join(tables.factor_files) +
      "; the shipped table holds only factors with a confirmed source). Add a row "
      "land_use,factor,level,temperature_regime,moisture_regime,value,source to your own table "
      "(ipcc_factors = \"my_factors.csv\" in [soil.ipcc]) or give the value in the state (f_lu, "
      "f_mg, f_i)");
}

const IpccSocRefRow& find_ipcc_soc_ref(const IpccTables& tables, std::string_view climate,
                                       std::string_view soil_type) {
  for (const IpccSocRefRow& row : tables.soc_ref) {
    if (row.climate == climate && row.soil_type == soil_type) return row;
  }
  throw DataError("IPCC reference stock SOC_REF for climate = " + std::string(climate) +
                  ", soil_type = " + std::string(soil_type) + " is in no table (" +
                  join(tables.soc_ref_files) +
                  "; the shipped table holds only confirmed cells of IPCC 2006 Table 2.3). Add a "
                  "row climate,soil_type,soc_ref_tC_ha,source to your own table (soc_ref_table "
                  "in [soil.ipcc]) or set soc_ref_tC_ha");
}

double ipcc_soc_tC_ha(double soc_ref_tC_ha, double f_lu, double f_mg, double f_i) {
  return soc_ref_tC_ha * f_lu * f_mg * f_i;
}

std::vector<IpccYear> ipcc_soc_trajectory(std::span<const IpccState> states, int last_year,
                                          double initial_soc_tC_ha, int transition_years) {
  if (states.empty()) throw DataError("IPCC trajectory: no states; give at least one");
  if (transition_years < 1) {
    throw DataError("IPCC trajectory: transition_years = " + std::to_string(transition_years) +
                    ": must be >= 1 (IPCC default 20)");
  }
  for (std::size_t k = 1; k < states.size(); ++k) {
    if (states[k].start_year <= states[k - 1].start_year) {
      throw DataError("IPCC trajectory: state " + std::to_string(k + 1) + " ('" + states[k].label +
                      "') starts in " + std::to_string(states[k].start_year) +
                      ", not after state " + std::to_string(k) + " (" +
                      std::to_string(states[k - 1].start_year) + "); list states by start year");
    }
  }
  std::vector<IpccYear> years;
  double soc = std::isnan(initial_soc_tC_ha) ? states.front().soc_eq_tC_ha : initial_soc_tC_ha;
  std::size_t active = 0;
  double anchor = soc;
  const double d = static_cast<double>(transition_years);
  for (int year = states.front().start_year; year <= last_year; ++year) {
    while (active + 1 < states.size() && states[active + 1].start_year <= year)
      ++active;
    const IpccState& state = states[active];
    if (state.start_year == year) anchor = soc;  // a transition starts from where the stock is
    const double elapsed = std::min(static_cast<double>(year - state.start_year + 1), d);
    const double next = anchor + (state.soc_eq_tC_ha - anchor) * elapsed / d;
    years.push_back({year, state.label, next, next - soc, state.soc_eq_tC_ha});
    soc = next;
  }
  return years;
}

}  // namespace minecarbon::carbon
