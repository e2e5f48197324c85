// Readers of the RothC stage's tables: a monthly climate or forcing table, and the batch site
// and climate tables. Moved out of soil.cpp (issue 10): the soil stage's scenarios read their
// climate through rothc_months_from_csv too.
#include "minecarbon/assess/rothc_readers.h"

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "minecarbon/assess/csv_cells.h"
#include "minecarbon/carbon/rothc.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::assess {
namespace {

constexpr double kMaxPct = 100.0;

using namespace csv_cells;

// A cell read as a number and then used as an int (year, month, plant cover): beyond int's range
// the cast is undefined behaviour (found by fuzz/), so such a value is a DataError instead.
int to_int(double value, const std::string& at, const char* column, const char* expected) {
  if (!(value > static_cast<double>(std::numeric_limits<int>::min()) - 1.0 &&
        value < static_cast<double>(std::numeric_limits<int>::max()) + 1.0)) {
    throw DataError(at + ": " + column + " = " + format_plain(value) + ": expected " + expected);
  }
  return static_cast<int>(value);
}

}  // namespace

std::vector<carbon::RothCMonth> rothc_months_from_csv(const CsvText& csv, bool spin_up_year_first) {
  const auto c_month = csv.column("month"), c_temp = csv.column("temp_C"),
             c_rain = csv.column("rain_mm"), c_evap = csv.column("pan_evap_mm");
  const auto c_year = optional_column(csv, "year");
  const auto c_modern = optional_column(csv, "modern_pct");
  const auto c_plant = optional_column(csv, "plant_input_tC_ha");
  const auto c_fym = optional_column(csv, "fym_tC_ha");
  const auto c_pc = optional_column(csv, "plant_cover");
  const auto c_ratio = optional_column(csv, "dpm_rpm_ratio");
  const auto c_biochar = optional_column(csv, "biochar_tC_ha");
  std::vector<carbon::RothCMonth> months;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    carbon::RothCMonth m;
    const double month = csv.number(row, c_month);
    m.month = std::isfinite(month) ? to_int(month, where(csv, row), "month", "1-12") : 0;
    m.year =
        c_year ? to_int(number_or(csv, row, c_year, 0), where(csv, row), "year", "a calendar year")
               : static_cast<int>(row / carbon::kRothCMonthsPerYear) + 1;
    m.temp_C = csv.number(row, c_temp);
    m.rain_mm = csv.number(row, c_rain);
    m.pan_evap_mm = csv.number(row, c_evap);
    m.modern_pct = number_or(csv, row, c_modern, 100.0);
    m.plant_input_tC_ha = number_or(csv, row, c_plant, 0.0);
    m.fym_tC_ha = number_or(csv, row, c_fym, 0.0);
    m.plant_cover = to_int(number_or(csv, row, c_pc, 1.0), where(csv, row), "plant_cover",
                           "1 (vegetated) or 0 (bare)");
    m.dpm_rpm_ratio = number_or(csv, row, c_ratio, 1.44);
    m.biochar_tC_ha = number_or(csv, row, c_biochar, 0.0);
    if (std::isnan(m.temp_C) || std::isnan(m.rain_mm) || std::isnan(m.pan_evap_mm)) {
      throw DataError(where(csv, row) +
                      ": temp_C, rain_mm and pan_evap_mm are required in every month (a missing "
                      "value is a missing month); fill it in");
    }
    if (month != std::floor(month)) {
      throw DataError(where(csv, row) + ": month = " + format_plain(month) + ": expected 1-12");
    }
    if (const std::string problem = carbon::month_problem(m); !problem.empty())
      throw DataError(where(csv, row) + ": " + problem);
    months.push_back(m);
  }
  if (const std::string problem = carbon::monthly_series_problem(months, spin_up_year_first);
      !problem.empty()) {
    throw DataError(csv.source + ": " + problem + " (rows are data rows, line = row + 1)");
  }
  return months;
}

std::vector<carbon::BatchSite> batch_sites_from_csv(const CsvText& sites, const CsvText& climate) {
  struct Climate {
    std::array<carbon::RothCMonth, carbon::kRothCMonthsPerYear> rows{};
    std::array<double, carbon::kRothCMonthsPerYear> share{};
    std::array<bool, carbon::kRothCMonthsPerYear> seen{};
  };
  std::map<std::string, Climate> climates;
  {
    const auto c_id = climate.column("climate_id"), c_month = climate.column("month"),
               c_temp = climate.column("temp_C"), c_rain = climate.column("rain_mm"),
               c_evap = climate.column("pan_evap_mm");
    const auto c_pc = optional_column(climate, "plant_cover");
    const auto c_share = optional_column(climate, "input_share");
    for (std::size_t row = 0; row < climate.rows.size(); ++row) {
      const std::string at = where(climate, row);
      Climate& c = climates[climate.rows[row][c_id]];
      const double month = climate.number(row, c_month);
      if (!(month >= 1 && month <= carbon::kRothCMonthsPerYear && month == std::floor(month)))
        throw DataError(at + ": month = " + format_plain(month) + ": expected 1-12");
      const auto m = static_cast<std::size_t>(month) - 1;
      if (c.seen[m]) {
        throw DataError(at + ": climate '" + climate.rows[row][c_id] + "' has month " +
                        format_plain(month) + " twice; give each month once");
      }
      c.seen[m] = true;
      carbon::RothCMonth& r = c.rows[m];
      r.year = 1;
      r.month = static_cast<int>(month);
      r.temp_C = climate.number(row, c_temp);
      r.rain_mm = climate.number(row, c_rain);
      r.pan_evap_mm = climate.number(row, c_evap);
      r.plant_cover = to_int(number_or(climate, row, c_pc, 1.0), at, "plant_cover",
                             "1 (vegetated) or 0 (bare)");
      c.share[m] = number_or(climate, row, c_share, 1.0);
      if (std::isnan(r.temp_C) || std::isnan(r.rain_mm) || std::isnan(r.pan_evap_mm))
        throw DataError(at + ": temp_C, rain_mm and pan_evap_mm are required");
      if (!(c.share[m] >= 0.0)) throw DataError(at + ": input_share must be >= 0");
      if (const std::string problem = carbon::month_problem(r); !problem.empty())
        throw DataError(at + ": " + problem);
    }
    for (auto& [id, c] : climates) {
      for (int m = 0; m < carbon::kRothCMonthsPerYear; ++m) {
        if (!c.seen[m]) {
          throw DataError(climate.source + ": climate '" + id + "' has no month " +
                          std::to_string(m + 1) + "; each climate needs all 12 months");
        }
      }
      double sum = 0.0;
      for (double v : c.share)
        sum += v;
      if (!(sum > 0.0))
        throw DataError(climate.source + ": climate '" + id + "': input_share sums to 0");
      for (double& v : c.share)
        v /= sum;
    }
  }
  const auto c_id = sites.column("site_id"), c_clay = sites.column("clay_pct"),
             c_input = sites.column("plant_input_tC_ha_yr");
  const auto c_depth = optional_column(sites, "depth_cm");
  const auto c_iom = optional_column(sites, "iom_tC_ha");
  const auto c_soc = optional_column(sites, "soc_tC_ha");
  const auto c_climate = optional_column(sites, "climate_id");
  const auto c_ratio = optional_column(sites, "dpm_rpm_ratio");
  const auto c_fym = optional_column(sites, "fym_tC_ha_yr");
  const auto c_base = optional_column(sites, "baseline_plant_input_tC_ha_yr");
  const auto c_base_ratio = optional_column(sites, "baseline_dpm_rpm_ratio");
  const auto c_start = optional_column(sites, "start");
  std::vector<carbon::BatchSite> out;
  out.reserve(sites.rows.size());
  for (std::size_t row = 0; row < sites.rows.size(); ++row) {
    const std::string at = where(sites, row);
    carbon::BatchSite b;
    b.id = sites.rows[row][c_id];
    b.site.clay_pct = sites.number(row, c_clay);
    if (!(b.site.clay_pct >= 0.0 && b.site.clay_pct <= kMaxPct)) {
      throw DataError(at + ": site '" + b.id + "': clay_pct = " + format_plain(b.site.clay_pct) +
                      ": must be within 0-100 (%)");
    }
    b.site.depth_cm = number_or(sites, row, c_depth, 23.0);
    const double iom = number_or(sites, row, c_iom, kNaN);
    const double soc = number_or(sites, row, c_soc, kNaN);
    b.site.iom_tC_ha =
        !std::isnan(iom) ? iom : (!std::isnan(soc) ? carbon::iom_falloon_tC_ha(soc) : 0.0);
    const double input = sites.number(row, c_input);
    const double ratio = number_or(sites, row, c_ratio, 1.44);
    const double fym = number_or(sites, row, c_fym, 0.0);
    const double base_input = number_or(sites, row, c_base, input);
    const double base_ratio = number_or(sites, row, c_base_ratio, ratio);
    for (const auto& [name, v] :
         {std::pair{"plant_input_tC_ha_yr", input}, std::pair{"fym_tC_ha_yr", fym},
          std::pair{"baseline_plant_input_tC_ha_yr", base_input},
          std::pair{"iom_tC_ha", b.site.iom_tC_ha}}) {
      if (!(v >= 0.0) || !std::isfinite(v)) {
        throw DataError(at + ": site '" + b.id + "': " + name + " = " + format_plain(v) +
                        ": must be a number >= 0 (t C/ha)");
      }
    }
    const std::string start = text_or(sites, row, c_start, "equilibrium");
    if (start != "equilibrium" && start != "bare") {
      throw DataError(at + ": site '" + b.id + "': start = '" + start +
                      "': expected equilibrium or bare");
    }
    b.start_bare = start == "bare";
    const std::string climate_id = text_or(sites, row, c_climate, b.id);
    const auto it = climates.find(climate_id);
    if (it == climates.end()) {
      throw DataError(at + ": site '" + b.id + "': climate '" + climate_id + "' is not in " +
                      climate.source);
    }
    for (int m = 0; m < carbon::kRothCMonthsPerYear; ++m) {
      carbon::RothCMonth r = it->second.rows[m];
      r.plant_input_tC_ha = base_input * it->second.share[m];
      r.dpm_rpm_ratio = base_ratio;
      b.baseline[m] = r;
      r.plant_input_tC_ha = input * it->second.share[m];
      r.fym_tC_ha = fym * it->second.share[m];
      r.dpm_rpm_ratio = ratio;
      b.scenario[m] = r;
    }
    try {
      carbon::validate_site(b.site);
    } catch (const DataError& e) {
      throw DataError(at + ": site '" + b.id + "': " + e.what());
    }
    out.push_back(b);
  }
  return out;
}

}  // namespace minecarbon::assess
