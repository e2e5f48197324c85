// Step 1 of the soil stage: reading the profile and areas tables (profiles.h).
#include "minecarbon/assess/soil/profiles.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "minecarbon/assess/csv_cells.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess::soil {

using carbon::SoilHorizon;
using namespace csv_cells;

namespace {

constexpr double kGkgPerPct = 10.0;
constexpr double kMaxPct = 100.0;

// The SOC column and the factor that takes its values to g/kg: the column's name says the unit
// (soc_g_kg, soc_pct), or a bare `soc` takes it from params.soc_unit.
double soc_factor(const CsvText& csv, const SoilParams& params, std::size_t& col) {
  const bool g_kg = csv.has_column("soc_g_kg"), pct = csv.has_column("soc_pct"),
             bare = csv.has_column("soc");
  if (g_kg + pct + bare > 1) {
    throw DataError(csv.source +
                    ": more than one SOC column (soc_g_kg, soc_pct, soc); keep exactly one");
  }
  if (g_kg) {
    col = csv.column("soc_g_kg");
    return 1.0;
  }
  if (pct) {
    col = csv.column("soc_pct");
    return kGkgPerPct;
  }
  if (bare) {
    col = csv.column("soc");
    if (params.soc_unit == "g_kg") return 1.0;
    if (params.soc_unit == "pct") return kGkgPerPct;
    throw DataError(csv.source +
                    ": column 'soc' has no declared unit; rename it soc_g_kg (g/kg) or soc_pct "
                    "(%), or set soc_unit = \"g_kg\" or \"pct\" ([soil] or --soc-unit)");
  }
  throw DataError(csv.source +
                  ": no organic carbon column; expected soc_g_kg (g/kg), soc_pct (%) or soc with "
                  "soc_unit");
}

}  // namespace

ProfileSet read_profiles(const CsvText& csv, const SoilParams& params, ProblemList& warnings) {
  ProfileSet set;
  const std::size_t c_id = csv.column("profile_id"), c_top = csv.column("top_cm"),
                    c_bottom = csv.column("bottom_cm"), c_bd = csv.column("bd_g_cm3");
  std::size_t c_soc = 0;
  const double to_g_kg = soc_factor(csv, params, c_soc);
  const auto c_coarse = optional_column(csv, "coarse_pct");
  const auto c_clay = optional_column(csv, "clay_pct");
  const auto c_silt = optional_column(csv, "silt_pct");
  const auto c_mine = optional_column(csv, "mine_id");
  const auto c_lu = optional_column(csv, "land_use");
  const auto c_date = optional_column(csv, "date");
  set.has_mines = c_mine.has_value();
  std::map<std::string, std::size_t> index;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string at = where(csv, row);
    const std::string id = csv.rows[row][c_id];
    if (id.empty()) throw DataError(at + ": profile_id is empty; every horizon needs its profile");
    SoilHorizon h;
    h.top_cm = csv.number(row, c_top);
    h.bottom_cm = csv.number(row, c_bottom);
    if (!std::isfinite(h.top_cm) || !std::isfinite(h.bottom_cm) || h.top_cm < 0.0) {
      throw DataError(at + ": profile '" + id + "': top_cm = " + format_plain(h.top_cm) +
                      ", bottom_cm = " + format_plain(h.bottom_cm) +
                      ": depths must be numbers >= 0 (cm below the surface)");
    }
    if (h.bottom_cm < h.top_cm) {
      throw DataError(at + ": profile '" + id + "': bottom_cm = " + format_plain(h.bottom_cm) +
                      " is above top_cm = " + format_plain(h.top_cm) + "; swap them");
    }
    ++set.horizon_rows;
    if (h.bottom_cm == h.top_cm) {
      warnings.add("zero_thickness_horizons_dropped",
                   at + ": profile '" + id + "': horizon " + format_plain(h.top_cm) + "-" +
                       format_plain(h.bottom_cm) + " cm has no thickness; dropped");
      continue;
    }
    const double soc_raw = csv.number(row, c_soc);
    if (std::isnan(soc_raw)) {
      throw DataError(at + ": profile '" + id + "': " + csv.header[c_soc] +
                      " is missing; every horizon needs its organic carbon (remove the horizon "
                      "or measure it)");
    }
    h.soc_g_kg = soc_raw * to_g_kg;
    h.coarse_pct = number_or(csv, row, c_coarse, kNaN);
    if (std::isnan(h.coarse_pct)) {
      h.coarse_pct = 0.0;
      if (c_coarse)
        warnings.add("coarse_fragments_missing_taken_as_0", at + ": coarse_pct NA, taken as 0");
    }
    h.bd_g_cm3 = csv.number(row, c_bd);
    bool estimated = false;
    if (std::isnan(h.bd_g_cm3)) {
      if (params.bd_ptf == carbon::BulkDensityPtf::none) {
        throw DataError(at + ": profile '" + id +
                        "': bd_g_cm3 is missing; measure it, or set bd_ptf = \"song2005\" "
                        "(--bd-ptf) to estimate missing values from SOC (flagged per row)");
      }
      if (!(h.soc_g_kg >= 0.0 && h.soc_g_kg <= carbon::kMaxSoc_g_kg)) {
        throw DataError(at + ": profile '" + id + "': " + carbon::horizon_value_problem(h));
      }
      h.bd_g_cm3 = carbon::bulk_density_ptf_g_cm3(params.bd_ptf, h.soc_g_kg);
      estimated = true;
      ++set.bd_estimated;
    }
    if (const std::string problem = carbon::horizon_value_problem(h); !problem.empty()) {
      const std::string unit_hint =
          to_g_kg == kGkgPerPct ? " (read as % from " + csv.header[c_soc] + ")" : "";
      throw DataError(at + ": profile '" + id + "': " + problem + unit_hint);
    }
    const double clay = number_or(csv, row, c_clay, kNaN);
    const double silt = number_or(csv, row, c_silt, kNaN);
    for (const auto& [name, v] : {std::pair{"clay_pct", clay}, std::pair{"silt_pct", silt}}) {
      if (!std::isnan(v) && (v < 0.0 || v > kMaxPct)) {
        throw DataError(at + ": profile '" + id + "': " + name + " = " + format_plain(v) +
                        ": must be within 0-100 (% of the fine earth)");
      }
    }
    if (!std::isnan(clay) && !std::isnan(silt) && clay + silt > kMaxPct) {
      throw DataError(at + ": profile '" + id +
                      "': clay_pct + silt_pct = " + format_plain(clay + silt) + ": must be <= 100");
    }
    const std::string mine = text_or(csv, row, c_mine, "");
    const std::string lu = text_or(csv, row, c_lu, "all");
    const std::string date = text_or(csv, row, c_date, "");
    auto [it, inserted] = index.emplace(id, set.profiles.size());
    if (inserted) {
      Profile p;
      p.id = id;
      p.mine_id = mine;
      p.land_use = lu;
      p.date = date;
      set.profiles.push_back(std::move(p));
    }
    Profile& p = set.profiles[it->second];
    if (p.mine_id != mine || p.land_use != lu || p.date != date) {
      throw DataError(at + ": profile '" + id + "': mine_id/land_use/date = '" + mine + "'/'" + lu +
                      "'/'" + date + "' differ from its first horizon ('" + p.mine_id + "'/'" +
                      p.land_use + "'/'" + p.date +
                      "'); a profile has one mine, land use and date");
    }
    p.horizons.push_back(h);
    p.lines.push_back(csv.line_numbers[row]);
    p.bd_estimated.push_back(estimated);
    p.clay_pct.push_back(clay);
    if (estimated) {
      warnings.add("bulk_density_from_ptf",
                   at + ": profile '" + id + "': bd_g_cm3 estimated by " +
                       std::string(kBulkDensityPtfNames.name(params.bd_ptf)) + " = " +
                       format_plain(h.bd_g_cm3));
    }
  }
  for (Profile& p : set.profiles) {
    std::vector<std::size_t> order(p.horizons.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return p.horizons[a].top_cm < p.horizons[b].top_cm;
    });
    Profile sorted = p;
    for (std::size_t k = 0; k < order.size(); ++k) {
      sorted.horizons[k] = p.horizons[order[k]];
      sorted.lines[k] = p.lines[order[k]];
      sorted.bd_estimated[k] = p.bd_estimated[order[k]];
      sorted.clay_pct[k] = p.clay_pct[order[k]];
    }
    p = std::move(sorted);
    if (const std::string problem = carbon::horizon_sequence_problem(p.horizons);
        !problem.empty()) {
      std::string lines;
      for (std::size_t line : p.lines)
        lines += (lines.empty() ? "" : ", ") + std::to_string(line);
      throw DataError(csv.source + ": profile '" + p.id + "' (lines " + lines + "): " + problem);
    }
  }
  if (set.profiles.empty())
    throw DataError(csv.source + ": no horizons; the profile table is empty");
  return set;
}

std::vector<AreaRow> read_areas(const CsvText& csv) {
  const auto c_mine = csv.column("mine_id"), c_lu = csv.column("land_use"),
             c_area = csv.column("area_ha");
  std::vector<AreaRow> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t row = 0; row < csv.rows.size(); ++row) {
    AreaRow a{csv.rows[row][c_mine], csv.rows[row][c_lu], csv.number(row, c_area)};
    if (!(a.area_ha >= 0.0) || !std::isfinite(a.area_ha)) {
      throw DataError(where(csv, row) + ": area_ha = " + format_plain(a.area_ha) +
                      ": must be a number >= 0 (hectares)");
    }
    if (!seen.insert({a.mine_id, a.land_use}).second) {
      throw DataError(where(csv, row) + ": mine '" + a.mine_id + "', land use '" + a.land_use +
                      "' appears twice; give one area per mine and land use");
    }
    out.push_back(a);
  }
  return out;
}

std::vector<ScenarioMineRecord> mines_with_land_use(const std::vector<AreaRow>& areas,
                                                    const std::string& land_use,
                                                    const std::string& who,
                                                    const std::string& areas_file) {
  std::vector<ScenarioMineRecord> out;
  std::vector<std::string> land_uses;
  for (const AreaRow& row : areas) {
    if (std::find(land_uses.begin(), land_uses.end(), row.land_use) == land_uses.end())
      land_uses.push_back(row.land_use);
    // read_areas refuses a mine and land use given twice: one row per mine here.
    if (row.land_use == land_use) out.push_back({row.mine_id, row.area_ha});
  }
  if (out.empty())
    throw DataError(areas_file + ": no mine has land use '" + land_use + "', which " + who +
                    " takes its mines from (areas_land_use); the table's land uses: " +
                    (land_uses.empty() ? "none" : join(land_uses, ", ")) +
                    ". Fix areas_land_use or add the mines' areas to the table");
  return out;
}

std::vector<HorizonRecord> horizon_records(const std::vector<Profile>& profiles,
                                           carbon::BulkDensityPtf bd_ptf) {
  std::vector<HorizonRecord> out;
  for (const Profile& p : profiles) {
    for (std::size_t k = 0; k < p.horizons.size(); ++k) {
      HorizonRecord r;
      r.profile_id = p.id;
      r.mine_id = p.mine_id;
      r.land_use = p.land_use;
      r.line = p.lines[k];
      r.horizon = p.horizons[k];
      r.bd_ptf = p.bd_estimated[k] ? bd_ptf : carbon::BulkDensityPtf::none;
      r.clay_pct = p.clay_pct[k];
      r.fine_earth_Mg_ha = carbon::horizon_fine_earth_Mg_ha(r.horizon);
      r.soc_stock_tC_ha = carbon::horizon_soc_stock_tC_ha(r.horizon);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace minecarbon::assess::soil
