#include "minecarbon/assess/soil.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "minecarbon/assess/csv_cells.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/core/row_table.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {
namespace {

using carbon::DepthInterval;
using carbon::MeanSe;
using carbon::SoilHorizon;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kGkgPerPct = 10.0;
constexpr double kMaxPct = 100.0;
using namespace csv_cells;

// ---- profiles ------------------------------------------------------------------------------

struct Profile {
  std::string id, mine_id, land_use, date;
  std::vector<SoilHorizon> horizons;
  std::vector<std::size_t> lines;
  std::vector<bool> bd_estimated;
  std::vector<double> clay_pct;
};

struct ProfileSet {
  std::vector<Profile> profiles;
  bool has_mines = false;
  std::size_t horizon_rows = 0;
  std::size_t bd_estimated = 0;
};

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
      warnings.add("bulk_density_from_ptf", at + ": profile '" + id + "': bd_g_cm3 estimated by " +
                                                std::string(carbon::to_string(params.bd_ptf)) +
                                                " = " + format_plain(h.bd_g_cm3));
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

// ---- stocks --------------------------------------------------------------------------------

struct ProfileStock {
  double stock = kNaN;
  double esm = kNaN;
  double fine_earth = kNaN;
  bool clipped = false;
  int bd_estimated = 0;
};

const std::string& group_of(const Profile& p, const std::string& compare_by) {
  return compare_by == "date" ? p.date : p.land_use;
}

// Mean reference fine-earth mass to `depth` over the reference profiles in `scope`.
double reference_mass(const std::vector<Profile>& profiles, const std::vector<std::size_t>& refs,
                      double depth_cm) {
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t idx : refs) {
    const double m = carbon::fine_earth_to_depth_Mg_ha(profiles[idx].horizons, depth_cm);
    if (std::isnan(m)) continue;
    sum += m;
    ++n;
  }
  return n == 0 ? kNaN : sum / static_cast<double>(n);
}

struct AreaRow {
  std::string mine_id, land_use;
  double area_ha = 0.0;
};

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

// ---- profile tables: named steps -----------------------------------------------------------
//
// profile_tables() runs them in order:
//   horizons_table        profiles → one row per horizon as read (plus fine earth and stock)
//   interval_stocks       profiles → stock of every profile in every interval (fixed depth or
//                         spline), with the count of too-shallow profiles and clipped splines
//   reference_profiles    profiles → the indices of the reference group (compare_by = reference)
//   add_esm_stocks        stocks + reference → equivalent-soil-mass stocks against the pooled
//                         reference mass
//   profile_stocks_table, land_use_stocks_table, mine_stocks_table, comparison_table
//                         stocks → the published tables
// Warnings go to one ProblemList with a code each.

// Stocks of every profile (outer) in every interval (inner).
struct IntervalStocks {
  std::vector<std::vector<ProfileStock>> of;
  std::size_t too_shallow = 0;  // profile-interval pairs deeper than the profile
  std::size_t clipped = 0;      // spline stocks clipped at 0
};

Table horizons_table(const SoilParams& params, const std::vector<Profile>& profiles) {
  RowTable t("horizons");
  for (const Profile& p : profiles) {
    for (std::size_t k = 0; k < p.horizons.size(); ++k) {
      const SoilHorizon& h = p.horizons[k];
      t.row()
          .set("profile_id", p.id)
          .set("mine_id", p.mine_id)
          .set("land_use", p.land_use)
          .set("line", static_cast<std::int64_t>(p.lines[k]))
          .set("top_cm", h.top_cm)
          .set("bottom_cm", h.bottom_cm)
          .set("soc_g_kg", h.soc_g_kg)
          .set("bd_g_cm3", h.bd_g_cm3)
          .set("bd_source", p.bd_estimated[k]
                                ? "ptf:" + std::string(carbon::to_string(params.bd_ptf))
                                : std::string("measured"))
          .set("coarse_pct", h.coarse_pct)
          .set("clay_pct", p.clay_pct[k])
          .set("fine_earth_Mg_ha", carbon::horizon_fine_earth_Mg_ha(h))
          .set("soc_stock_tC_ha", carbon::horizon_soc_stock_tC_ha(h));
    }
  }
  return std::move(t).finish();
}

IntervalStocks interval_stocks(const SoilParams& params, const std::vector<Profile>& profiles,
                               ProblemList& warnings) {
  const std::size_t n_int = params.intervals.size();
  IntervalStocks out;
  out.of.assign(profiles.size(), std::vector<ProfileStock>(n_int));
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    const Profile& p = profiles[pi];
    std::optional<carbon::EqualAreaSpline> spline;
    if (params.method == StockMethod::spline) {
      std::vector<double> knots = {p.horizons.front().top_cm}, density;
      for (const SoilHorizon& h : p.horizons) {
        knots.push_back(h.bottom_cm);
        density.push_back(carbon::horizon_carbon_density_tC_ha_cm(h));
      }
      spline = carbon::fit_equal_area_spline(knots, density, params.spline_lambda);
    }
    for (std::size_t ii = 0; ii < n_int; ++ii) {
      const DepthInterval& interval = params.intervals[ii];
      ProfileStock& s = out.of[pi][ii];
      if (spline) {
        const carbon::SplineStock st = carbon::spline_interval_stock_tC_ha(*spline, interval);
        s.stock = st.stock_tC_ha;
        s.clipped = st.clipped;
        if (st.clipped) ++out.clipped;
      } else {
        s.stock = carbon::interval_stock_tC_ha(p.horizons, interval);
      }
      s.fine_earth = carbon::fine_earth_to_depth_Mg_ha(p.horizons, interval.bottom_cm) -
                     carbon::fine_earth_to_depth_Mg_ha(p.horizons, interval.top_cm);
      for (std::size_t k = 0; k < p.horizons.size(); ++k) {
        if (p.bd_estimated[k] && p.horizons[k].top_cm < interval.bottom_cm &&
            p.horizons[k].bottom_cm > interval.top_cm)
          ++s.bd_estimated;
      }
      if (std::isnan(s.stock)) {
        ++out.too_shallow;
        warnings.add("profiles_too_shallow_for_interval",
                     "profile '" + p.id + "' ends at " + format_plain(p.horizons.back().bottom_cm) +
                         " cm: no " + interval.label() + " cm stock");
      }
    }
  }
  return out;
}

std::vector<std::size_t> reference_profiles(const SoilParams& params,
                                            const std::vector<Profile>& profiles) {
  std::vector<std::size_t> refs;
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    if (!params.reference.empty() && group_of(profiles[pi], params.compare_by) == params.reference)
      refs.push_back(pi);
  }
  return refs;
}

// Equivalent-soil-mass stock of profile `pi` in interval `ii` against the mean fine-earth mass of
// the reference profiles `refs`.
double esm_stock(const SoilParams& params, const std::vector<Profile>& profiles,
                 const std::vector<std::size_t>& refs, std::size_t pi, std::size_t ii) {
  const DepthInterval& interval = params.intervals[ii];
  const double m_top =
      interval.top_cm == 0.0 ? 0.0 : reference_mass(profiles, refs, interval.top_cm);
  const double m_bottom = reference_mass(profiles, refs, interval.bottom_cm);
  return carbon::esm_interval_stock_tC_ha(profiles[pi].horizons, m_top, m_bottom);
}

void add_esm_stocks(const SoilParams& params, const std::vector<Profile>& profiles,
                    const std::vector<std::size_t>& refs, IntervalStocks& stocks) {
  if (!params.esm || refs.empty()) return;
  for (std::size_t pi = 0; pi < profiles.size(); ++pi)
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii)
      stocks.of[pi][ii].esm = esm_stock(params, profiles, refs, pi, ii);
}

Table profile_stocks_table(const SoilParams& params, const std::vector<Profile>& profiles,
                           const IntervalStocks& stocks) {
  RowTable t("profile_stocks");
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    const Profile& p = profiles[pi];
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
      const ProfileStock& s = stocks.of[pi][ii];
      t.row()
          .set("profile_id", p.id)
          .set("mine_id", p.mine_id)
          .set("land_use", p.land_use)
          .set("date", p.date)
          .set("interval_cm", params.intervals[ii].label())
          .set("top_cm", params.intervals[ii].top_cm)
          .set("bottom_cm", params.intervals[ii].bottom_cm)
          .set("method", std::string(to_string(params.method)))
          .set("soc_stock_tC_ha", s.stock)
          .set("soc_stock_co2e_t_ha", s.stock * units::kCo2PerC)
          .set("esm_soc_stock_tC_ha", s.esm)
          .set("fine_earth_Mg_ha", s.fine_earth)
          .set("bd_estimated_horizons", static_cast<std::int64_t>(s.bd_estimated))
          .set("spline_clipped", static_cast<std::int64_t>(s.clipped))
          .set("status", std::string(std::isnan(s.stock) ? "profile_too_shallow" : "ok"));
    }
  }
  return std::move(t).finish();
}

// Fixed-depth stocks in interval `ii` of the profiles `pick` accepts.
template <class Pick>
std::vector<double> stock_values(const std::vector<Profile>& profiles, const IntervalStocks& stocks,
                                 std::size_t ii, Pick&& pick) {
  std::vector<double> values;
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    if (pick(profiles[pi])) values.push_back(stocks.of[pi][ii].stock);
  }
  return values;
}

// The area, total stock and CO2e columns of a land-use or mine row.
void set_totals(RowTable& t, double mean, double se, double area) {
  t.set("area_ha", area)
      .set("soc_tC", mean * area)
      .set("soc_se_tC", se * area)
      .set("co2e_t", mean * area * units::kCo2PerC)
      .set("co2e_se_t", se * area * units::kCo2PerC);
}

Table land_use_stocks_table(const SoilParams& params, const std::vector<Profile>& profiles,
                            const IntervalStocks& stocks, const std::vector<AreaRow>& areas) {
  std::vector<std::string> land_uses;
  for (const Profile& p : profiles) {
    if (std::find(land_uses.begin(), land_uses.end(), p.land_use) == land_uses.end())
      land_uses.push_back(p.land_use);
  }
  RowTable t("land_use_stocks");
  for (const std::string& lu : land_uses) {
    double area = kNaN;
    for (const AreaRow& a : areas) {
      if (a.land_use == lu) area = (std::isnan(area) ? 0.0 : area) + a.area_ha;
    }
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
      const MeanSe s = carbon::mean_and_se(
          stock_values(profiles, stocks, ii, [&](const Profile& p) { return p.land_use == lu; }));
      t.row()
          .set("land_use", lu)
          .set("interval_cm", params.intervals[ii].label())
          .set("n_profiles", static_cast<std::int64_t>(s.n))
          .set("soc_stock_tC_ha", s.mean)
          .set("soc_stock_se_tC_ha", s.se);
      set_totals(t, s.mean, s.se, area);
    }
  }
  return std::move(t).finish();
}

// Per mine: strata (mine × land use) weighted by area when areas are given; a stratum without a
// profile takes the land use's mean over all mines (warning).
Table mine_stocks_table(const SoilParams& params, const std::vector<Profile>& profiles,
                        const IntervalStocks& stocks, const std::vector<AreaRow>& areas,
                        bool have_areas, ProblemList& warnings) {
  std::vector<std::string> mines;
  for (const Profile& p : profiles) {
    if (std::find(mines.begin(), mines.end(), p.mine_id) == mines.end()) mines.push_back(p.mine_id);
  }
  for (const AreaRow& a : areas) {
    if (std::find(mines.begin(), mines.end(), a.mine_id) == mines.end()) mines.push_back(a.mine_id);
  }
  RowTable t("mine_stocks");
  for (const std::string& mine : mines) {
    for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
      double total = 0.0, var = 0.0, area_sum = 0.0;
      std::size_t n = 0;
      bool any_stratum = false;
      if (have_areas) {
        for (const AreaRow& a : areas) {
          if (a.mine_id != mine) continue;
          any_stratum = true;
          MeanSe s = carbon::mean_and_se(stock_values(profiles, stocks, ii, [&](const Profile& p) {
            return p.mine_id == mine && p.land_use == a.land_use;
          }));
          n += s.n;
          if (s.n == 0) {
            s = carbon::mean_and_se(stock_values(
                profiles, stocks, ii, [&](const Profile& p) { return p.land_use == a.land_use; }));
            warnings.add("strata_without_profiles_use_land_use_mean",
                         "mine '" + mine + "', land use '" + a.land_use + "', " +
                             params.intervals[ii].label() +
                             " cm: no profile; the land-use mean over all mines is used");
          }
          total += a.area_ha * s.mean;
          var += a.area_ha * a.area_ha * s.se * s.se;
          area_sum += a.area_ha;
        }
      }
      t.row().set("mine_id", mine).set("interval_cm", params.intervals[ii].label());
      if (any_stratum) {
        const double mean = area_sum > 0 ? total / area_sum : kNaN;
        const double se = area_sum > 0 ? std::sqrt(var) / area_sum : kNaN;
        t.set("n_profiles", static_cast<std::int64_t>(n))
            .set("soc_stock_tC_ha", mean)
            .set("soc_stock_se_tC_ha", se);
        set_totals(t, mean, se, area_sum);
      } else {
        const MeanSe s = carbon::mean_and_se(stock_values(
            profiles, stocks, ii, [&](const Profile& p) { return p.mine_id == mine; }));
        t.set("n_profiles", static_cast<std::int64_t>(s.n))
            .set("soc_stock_tC_ha", s.mean)
            .set("soc_stock_se_tC_ha", s.se);
        set_totals(t, s.mean, s.se, kNaN);
      }
    }
  }
  return std::move(t).finish();
}

// Reclaimed against reference: pooled ("all"), then per mine that has both; fixed depth and, with
// esm, equivalent soil mass against the scope's own reference profiles.
Table comparison_table(const SoilParams& params, const ProfileSet& set,
                       const std::vector<std::size_t>& refs, const IntervalStocks& stocks,
                       ProblemList& warnings) {
  const auto& profiles = set.profiles;
  if (refs.empty()) {
    throw ConfigError("soil: reference = '" + params.reference + "': no profile has " +
                      params.compare_by + " = '" + params.reference +
                      "'; set reference to one of the classes in the profile table");
  }
  std::vector<std::string> scopes = {""};
  if (set.has_mines) {
    for (const Profile& p : profiles) {
      if (std::find(scopes.begin(), scopes.end(), p.mine_id) == scopes.end())
        scopes.push_back(p.mine_id);
    }
  }
  RowTable t("comparison");
  for (const std::string& scope : scopes) {
    const bool pooled = scope.empty();
    auto in_scope = [&](const Profile& p) { return pooled || p.mine_id == scope; };
    std::vector<std::size_t> scope_refs;
    std::vector<std::string> groups;
    for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
      if (!in_scope(profiles[pi])) continue;
      const std::string& g = group_of(profiles[pi], params.compare_by);
      if (g == params.reference) {
        scope_refs.push_back(pi);
      } else if (std::find(groups.begin(), groups.end(), g) == groups.end()) {
        groups.push_back(g);
      }
    }
    if (scope_refs.empty() || groups.empty()) continue;
    for (const std::string& g : groups) {
      for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
        for (int basis = 0; basis < (params.esm ? 2 : 1); ++basis) {
          std::vector<double> vals, ref_vals;
          for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
            if (!in_scope(profiles[pi])) continue;
            const std::string& pg = group_of(profiles[pi], params.compare_by);
            if (pg != g && pg != params.reference) continue;
            const double v = basis == 0 ? stocks.of[pi][ii].stock
                                        : esm_stock(params, profiles, scope_refs, pi, ii);
            (pg == g ? vals : ref_vals).push_back(v);
          }
          if (basis == 1) {
            const auto short_profiles =
                std::count_if(vals.begin(), vals.end(), [](double v) { return std::isnan(v); });
            if (short_profiles > 0) {
              warnings.add("esm_reference_mass_beyond_profile",
                           "mine " + (pooled ? std::string("all") : scope) + ", " +
                               params.compare_by + " '" + g + "', " + params.intervals[ii].label() +
                               " cm: " + std::to_string(short_profiles) + " of " +
                               std::to_string(vals.size()) +
                               " profiles hold less fine earth than the reference mass; no "
                               "equivalent-soil-mass stock for them");
            }
          }
          const MeanSe a = carbon::mean_and_se(vals), r = carbon::mean_and_se(ref_vals);
          const carbon::StockComparison c = carbon::compare_stocks(a, r);
          t.row()
              .set("mine_id", pooled ? std::string("all") : scope)
              .set(params.compare_by, g)
              .set("reference", params.reference)
              .set("interval_cm", params.intervals[ii].label())
              .set("basis", std::string(basis == 0 ? "fixed_depth" : "equivalent_soil_mass"))
              .set("n_profiles", static_cast<std::int64_t>(a.n))
              .set("n_reference", static_cast<std::int64_t>(r.n))
              .set("soc_stock_tC_ha", a.mean)
              .set("soc_stock_se_tC_ha", a.se)
              .set("reference_soc_stock_tC_ha", r.mean)
              .set("reference_soc_stock_se_tC_ha", r.se)
              .set("difference_tC_ha", c.difference_tC_ha)
              .set("difference_se_tC_ha", c.difference_se_tC_ha)
              .set("difference_co2e_t_ha", c.difference_tC_ha * units::kCo2PerC)
              .set("recovery_pct", c.recovery_pct);
        }
      }
    }
  }
  return std::move(t).finish();
}

// The profile part of the stage: the steps above in order.
void profile_tables(const SoilParams& params, const ProfileSet& set,
                    const std::vector<AreaRow>& areas, bool have_areas, SoilResult& result,
                    ProblemList& warnings, nlohmann::json& counts) {
  const auto& profiles = set.profiles;
  result.horizons = horizons_table(params, profiles);
  IntervalStocks stocks = interval_stocks(params, profiles, warnings);
  counts["profile_intervals_too_shallow"] = stocks.too_shallow;
  counts["spline_intervals_clipped_at_0"] = stocks.clipped;
  const std::vector<std::size_t> refs = reference_profiles(params, profiles);
  add_esm_stocks(params, profiles, refs, stocks);
  result.profile_stocks = profile_stocks_table(params, profiles, stocks);
  result.land_use_stocks = land_use_stocks_table(params, profiles, stocks, areas);
  if (set.has_mines)
    result.mine_stocks = mine_stocks_table(params, profiles, stocks, areas, have_areas, warnings);
  if (!params.reference.empty())
    result.comparison = comparison_table(params, set, refs, stocks, warnings);
}

// ---- IPCC ----------------------------------------------------------------------------------

void ipcc_tables(const SoilIpccSpec& spec, const carbon::IpccTables& tables, SoilResult& result) {
  carbon::IpccClimate climate;
  if (!carbon::find_ipcc_climate(spec.climate, climate)) {
    throw ConfigError("soil.ipcc: climate = '" + spec.climate + "': expected one of " +
                      carbon::ipcc_climate_names());
  }
  double soc_ref = kNaN;
  std::string soc_ref_source = "[soil.ipcc] soc_ref_tC_ha";
  if (spec.soc_ref_tC_ha) {
    soc_ref = *spec.soc_ref_tC_ha;
  } else {
    if (spec.soil_type.empty()) {
      throw ConfigError(
          "soil.ipcc: give soil_type (HAC, LAC, sandy, spodic, volcanic) or "
          "soc_ref_tC_ha");
    }
    const carbon::IpccSocRefRow& row =
        carbon::find_ipcc_soc_ref(tables, spec.climate, spec.soil_type);
    soc_ref = row.soc_ref_tC_ha;
    soc_ref_source = row.source + " (" + row.origin + ")";
  }
  std::vector<carbon::IpccState> states;
  RowTable st("ipcc_states");
  for (std::size_t k = 0; k < spec.states.size(); ++k) {
    const IpccStateSpec& s = spec.states[k];
    const std::string name = "soil.ipcc: state " + std::to_string(k + 1) + " ('" + s.label + "')";
    double soc_eq = kNaN;
    std::array<double, 3> f = {kNaN, kNaN, kNaN};
    std::array<std::string, 3> sources;
    if (s.soc_tC_ha) {
      soc_eq = *s.soc_tC_ha;
      sources = {"", "", ""};
    } else {
      const std::array<const char*, 3> names = {"F_LU", "F_MG", "F_I"};
      const std::array<std::optional<double>, 3> given = {s.f_lu, s.f_mg, s.f_i};
      const std::array<std::string, 3> levels = {s.lu_level, s.management, s.input};
      for (int i = 0; i < 3; ++i) {
        if (given[i]) {
          f[i] = *given[i];
          sources[i] = "given in the project file";
          continue;
        }
        if (s.land_use.empty() || levels[i].empty()) {
          throw ConfigError(name + ": " + names[i] +
                            " needs land_use and its level (lu_level, management, input), or "
                            "the value itself (f_lu, f_mg, f_i), or a fixed soc_tC_ha");
        }
        const carbon::IpccFactorRow& row =
            carbon::find_ipcc_factor(tables, names[i], s.land_use, levels[i], climate);
        f[i] = row.value;
        sources[i] = row.source + " (" + row.origin + ")";
      }
      soc_eq = carbon::ipcc_soc_tC_ha(soc_ref, f[0], f[1], f[2]);
    }
    states.push_back({s.label, s.start_year, soc_eq});
    st.row();
    st.set("state", s.label);
    st.set("start_year", static_cast<std::int64_t>(s.start_year));
    st.set("land_use", s.land_use);
    st.set("soc_ref_tC_ha", s.soc_tC_ha ? kNaN : soc_ref);
    st.set("soc_ref_source", s.soc_tC_ha ? std::string() : soc_ref_source);
    st.set("f_lu", f[0]);
    st.set("f_lu_source", sources[0]);
    st.set("f_mg", f[1]);
    st.set("f_mg_source", sources[1]);
    st.set("f_i", f[2]);
    st.set("f_i_source", sources[2]);
    st.set("soc_eq_tC_ha", soc_eq);
    st.set("fixed_stock", static_cast<std::int64_t>(s.soc_tC_ha.has_value()));
  }
  result.ipcc_states = std::move(st).finish();
  const auto years = carbon::ipcc_soc_trajectory(
      states, spec.last_year, spec.initial_soc_tC_ha.value_or(kNaN), spec.transition_years);
  RowTable t("ipcc_trajectory");
  const double area = spec.area_ha > 0 ? spec.area_ha : kNaN;
  for (const auto& y : years) {
    t.row();
    t.set("year", static_cast<std::int64_t>(y.year));
    t.set("state", y.state);
    t.set("soc_tC_ha", y.soc_tC_ha);
    t.set("change_tC_ha_yr", y.change_tC_ha_yr);
    t.set("change_co2e_t_ha_yr", y.change_tC_ha_yr * units::kCo2PerC);
    t.set("target_tC_ha", y.target_tC_ha);
    t.set("area_ha", area);
    t.set("soc_tC", y.soc_tC_ha * area);
    t.set("change_tC_yr", y.change_tC_ha_yr * area);
  }
  result.ipcc_trajectory = std::move(t).finish();
}

// ---- scenarios -----------------------------------------------------------------------------

void scenario_tables(const std::vector<carbon::ReclamationScenario>& scenarios,
                     const RunContext& context, SoilResult& result) {
  std::vector<carbon::ScenarioResult> runs(scenarios.size());
  parallel_for(scenarios.size(), context.threads, [&](std::size_t idx, std::size_t) {
    runs[idx] = carbon::run_reclamation_scenario(scenarios[idx]);
  });
  RowTable years("scenario_years"), months("scenario_months"), summary("scenarios");
  for (std::size_t idx = 0; idx < scenarios.size(); ++idx) {
    const auto& s = scenarios[idx];
    const auto& r = runs[idx];
    const double area = s.area_ha > 0 ? s.area_ha : kNaN;
    for (const auto& y : r.yearly) {
      years.row();
      years.set("scenario", s.name);
      years.set("mine_id", s.mine_id);
      years.set("year", static_cast<std::int64_t>(y.year));
      years.set("phase", y.phase);
      years.set("dpm_tC_ha", y.pools.dpm_tC_ha);
      years.set("rpm_tC_ha", y.pools.rpm_tC_ha);
      years.set("bio_tC_ha", y.pools.bio_tC_ha);
      years.set("hum_tC_ha", y.pools.hum_tC_ha);
      years.set("iom_tC_ha", y.pools.iom_tC_ha);
      years.set("biochar_tC_ha", y.pools.biochar_tC_ha);
      years.set("soc_tC_ha", y.soc_tC_ha);
      years.set("sequestration_tC_ha_yr", y.change_tC_ha_yr);
      years.set("sequestration_co2e_t_ha_yr", y.change_tC_ha_yr * units::kCo2PerC);
      years.set("plant_input_tC_ha", y.plant_input_tC_ha);
      years.set("amendment_tC_ha", y.amendment_tC_ha);
      years.set("biochar_input_tC_ha", y.biochar_input_tC_ha);
      years.set("respired_tC_ha", y.co2_tC_ha);
      years.set("area_ha", area);
      years.set("soc_tC", y.soc_tC_ha * area);
      years.set("sequestration_tC_yr", y.change_tC_ha_yr * area);
    }
    for (const auto& m : r.monthly) {
      months.row();
      months.set("scenario", s.name);
      months.set("year", static_cast<std::int64_t>(m.year));
      months.set("month", static_cast<std::int64_t>(m.month));
      months.set("plant_input_tC_ha", m.plant_input_tC_ha);
      months.set("amendment_tC_ha", m.fym_tC_ha);
      months.set("temp_C", m.temp_C);
      months.set("rm_temp", m.rm_temp);
      months.set("smd_mm", m.smd_mm);
      months.set("rm_moist", m.rm_moist);
      months.set("plant_cover", static_cast<std::int64_t>(m.plant_cover));
      months.set("rm_cover", m.rm_cover);
      months.set("dpm_tC_ha", m.pools.dpm_tC_ha);
      months.set("rpm_tC_ha", m.pools.rpm_tC_ha);
      months.set("bio_tC_ha", m.pools.bio_tC_ha);
      months.set("hum_tC_ha", m.pools.hum_tC_ha);
      months.set("iom_tC_ha", m.pools.iom_tC_ha);
      months.set("biochar_tC_ha", m.pools.biochar_tC_ha);
      months.set("soc_tC_ha", m.pools.soc_tC_ha());
      months.set("delta14c_permil", m.delta14c_permil);
    }
    const double start = r.start.pools.soc_tC_ha();
    const double end = r.yearly.back().soc_tC_ha;
    summary.row();
    summary.set("scenario", s.name);
    summary.set("mine_id", s.mine_id);
    summary.set("initial_soil", std::string(carbon::to_string(s.start.kind)));
    summary.set("first_year", static_cast<std::int64_t>(s.first_year));
    summary.set("last_year", static_cast<std::int64_t>(s.first_year + s.years - 1));
    summary.set("former_plant_input_tC_ha_yr", s.start.kind == carbon::InitialSoil::replaced_topsoil
                                                   ? r.former_plant_input_tC_ha_yr
                                                   : kNaN);
    summary.set("soc_start_tC_ha", start);
    summary.set("soc_end_tC_ha", end);
    summary.set("sequestration_tC_ha", end - start);
    summary.set("sequestration_tC_ha_yr", (end - start) / s.years);
    summary.set("sequestration_co2e_t_ha", (end - start) * units::kCo2PerC);
    summary.set("area_ha", area);
    summary.set("sequestration_tC", (end - start) * area);
    summary.set("sequestration_co2e_t", (end - start) * area * units::kCo2PerC);
  }
  result.scenario_years = std::move(years).finish();
  result.scenario_months = std::move(months).finish();
  result.scenarios = std::move(summary).finish();
}

}  // namespace

std::string_view to_string(StockMethod method) {
  for (const auto& [value, name] : kStockMethodNames)
    if (value == method) return name;
  return "?";
}

bool parse_stock_method(std::string_view text, StockMethod& method) {
  for (const auto& [value, name] : kStockMethodNames) {
    if (text == name) {
      method = value;
      return true;
    }
  }
  return false;
}

nlohmann::json scenario_json(const carbon::ReclamationScenario& scenario) {
  nlohmann::json out = options_json(reclamation_scenario_options(), scenario);
  out["phases"] = nlohmann::json::array();
  for (const auto& phase : scenario.phases)
    out["phases"].push_back(options_json(vegetation_phase_options(), phase));
  out["amendments"] = nlohmann::json::array();
  for (const auto& a : scenario.amendments) {
    const AmendmentSpec spec = AmendmentSpec::of(a);
    out["amendments"].push_back(options_json(AmendmentSpec::options(), spec));
  }
  out["biochar"] = nlohmann::json::array();
  for (const auto& b : scenario.biochar)
    out["biochar"].push_back(options_json(biochar_addition_options(), b));
  out["climate_rows"] = scenario.climate.size();
  return out;
}

std::vector<const Table*> SoilResult::tables() const {
  std::vector<const Table*> out;
  for (const Table* t :
       {&horizons, &profile_stocks, &land_use_stocks, &mine_stocks, &comparison, &ipcc_states,
        &ipcc_trajectory, &scenarios, &scenario_years, &scenario_months}) {
    if (t->row_count() > 0) out.push_back(t);
  }
  return out;
}

SoilResult run_soil(const SoilParams& params, const SoilInputs& inputs, const RunContext& context) {
  SoilResult result;
  ProblemList warnings;
  nlohmann::json counts = nlohmann::json::object();
  if (params.compare_by != "land_use" && params.compare_by != "date") {
    throw ConfigError("soil: compare_by = '" + params.compare_by + "': expected land_use or date");
  }
  if (params.intervals.empty()) throw ConfigError("soil: intervals is empty; give e.g. [\"0-30\"]");
  for (const auto& interval : params.intervals) {
    if (!(interval.top_cm >= 0.0 && interval.bottom_cm > interval.top_cm)) {
      throw ConfigError("soil: interval " + interval.label() +
                        " cm: top must be >= 0 and bottom > top");
    }
  }
  if (!(params.spline_lambda >= 0.0)) {
    throw ConfigError("soil: spline_lambda = " + format_plain(params.spline_lambda) +
                      ": must be >= 0 (0.1 is Bishop et al.'s default)");
  }
  if (inputs.profiles) {
    const ProfileSet set = read_profiles(*inputs.profiles, params, warnings);
    std::vector<AreaRow> areas;
    if (inputs.areas) areas = read_areas(*inputs.areas);
    counts["profiles"] = set.profiles.size();
    counts["horizon_rows"] = set.horizon_rows;
    counts["bulk_density_from_ptf"] = set.bd_estimated;
    context.say("soil: " + std::to_string(set.profiles.size()) + " profiles");
    profile_tables(params, set, areas, inputs.areas.has_value(), result, warnings, counts);
  }
  if (inputs.ipcc) {
    ipcc_tables(*inputs.ipcc, inputs.ipcc_tables, result);
    counts["ipcc_states"] = inputs.ipcc->states.size();
  }
  if (!inputs.scenarios.empty()) {
    context.say("soil: " + std::to_string(inputs.scenarios.size()) + " RothC scenarios");
    scenario_tables(inputs.scenarios, context, result);
    counts["scenarios"] = inputs.scenarios.size();
  }
  result.summary["stage"] = "soil";
  // The parameters echo comes from the option tables, so every option appears in it.
  nlohmann::json& echo = result.summary["parameters"];
  echo = options_json(SoilParams::options(), params);
  if (inputs.ipcc) {
    echo["ipcc"] = options_json(SoilIpccSpec::options(), *inputs.ipcc);
    for (const auto& state : inputs.ipcc->states)
      echo["ipcc"]["states"].push_back(options_json(IpccStateSpec::options(), state));
    echo["ipcc"]["factor_tables"] = inputs.ipcc_tables.factor_files;
    echo["ipcc"]["soc_ref_tables"] = inputs.ipcc_tables.soc_ref_files;
  }
  for (const auto& sc : inputs.scenarios)
    echo["scenarios"].push_back(scenario_json(sc));
  result.summary["counts"] = counts;
  result.warnings = std::move(warnings);
  return result;
}

}  // namespace minecarbon::assess
