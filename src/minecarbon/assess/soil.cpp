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
// At most this many individual warnings are listed; the counts are always complete.
constexpr std::size_t kMaxListedWarnings = 50;

using namespace csv_cells;

struct Warnings {
  std::vector<std::string> list;
  std::map<std::string, std::size_t> counts;
  void add(const std::string& kind, const std::string& text) {
    ++counts[kind];
    if (list.size() < kMaxListedWarnings) list.push_back(text);
  }
};

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

ProfileSet read_profiles(const CsvText& csv, const SoilParams& params, Warnings& warnings) {
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
      throw DataError(at + ": profile '" + id + "': top_cm = " + fmt(h.top_cm) + ", bottom_cm = " +
                      fmt(h.bottom_cm) + ": depths must be numbers >= 0 (cm below the surface)");
    }
    if (h.bottom_cm < h.top_cm) {
      throw DataError(at + ": profile '" + id + "': bottom_cm = " + fmt(h.bottom_cm) +
                      " is above top_cm = " + fmt(h.top_cm) + "; swap them");
    }
    ++set.horizon_rows;
    if (h.bottom_cm == h.top_cm) {
      warnings.add("zero_thickness_horizons_dropped", at + ": profile '" + id + "': horizon " +
                                                          fmt(h.top_cm) + "-" + fmt(h.bottom_cm) +
                                                          " cm has no thickness; dropped");
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
        throw DataError(at + ": profile '" + id + "': " + name + " = " + fmt(v) +
                        ": must be within 0-100 (% of the fine earth)");
      }
    }
    if (!std::isnan(clay) && !std::isnan(silt) && clay + silt > kMaxPct) {
      throw DataError(at + ": profile '" + id + "': clay_pct + silt_pct = " + fmt(clay + silt) +
                      ": must be <= 100");
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
                                                " = " + fmt(h.bd_g_cm3));
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
      throw DataError(where(csv, row) + ": area_ha = " + fmt(a.area_ha) +
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

struct TableBuilder {
  std::map<std::string, std::vector<double>> num;
  std::map<std::string, std::vector<std::string>> text;
  std::map<std::string, std::vector<std::int64_t>> ints;
  std::vector<std::string> order;
  void col(const std::string& name, double v) {
    if (!num.count(name)) order.push_back(name);
    num[name].push_back(v);
  }
  void col(const std::string& name, const std::string& v) {
    if (!text.count(name)) order.push_back(name);
    text[name].push_back(v);
  }
  void col(const std::string& name, std::int64_t v) {
    if (!ints.count(name)) order.push_back(name);
    ints[name].push_back(v);
  }
  void into(Table& table) {
    for (const auto& name : order) {
      if (num.count(name)) {
        table.add(name, std::move(num[name]));
      } else if (text.count(name)) {
        table.add(name, std::move(text[name]));
      } else {
        table.add(name, std::move(ints[name]));
      }
    }
  }
};

void profile_tables(const SoilParams& params, const ProfileSet& set,
                    const std::vector<AreaRow>& areas, bool have_areas, SoilResult& result,
                    Warnings& warnings, nlohmann::json& counts) {
  const auto& profiles = set.profiles;
  const std::size_t n_int = params.intervals.size();
  // Horizons table.
  {
    TableBuilder t;
    for (const Profile& p : profiles) {
      for (std::size_t k = 0; k < p.horizons.size(); ++k) {
        const SoilHorizon& h = p.horizons[k];
        t.col("profile_id", p.id);
        t.col("mine_id", p.mine_id);
        t.col("land_use", p.land_use);
        t.col("line", static_cast<std::int64_t>(p.lines[k]));
        t.col("top_cm", h.top_cm);
        t.col("bottom_cm", h.bottom_cm);
        t.col("soc_g_kg", h.soc_g_kg);
        t.col("bd_g_cm3", h.bd_g_cm3);
        t.col("bd_source", p.bd_estimated[k]
                               ? "ptf:" + std::string(carbon::to_string(params.bd_ptf))
                               : std::string("measured"));
        t.col("coarse_pct", h.coarse_pct);
        t.col("clay_pct", p.clay_pct[k]);
        t.col("fine_earth_Mg_ha", carbon::horizon_fine_earth_Mg_ha(h));
        t.col("soc_stock_tC_ha", carbon::horizon_soc_stock_tC_ha(h));
      }
    }
    t.into(result.horizons);
  }

  // Stocks per profile and interval.
  std::vector<std::vector<ProfileStock>> stocks(profiles.size(), std::vector<ProfileStock>(n_int));
  std::size_t too_shallow = 0, clipped = 0;
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
      ProfileStock& s = stocks[pi][ii];
      if (spline) {
        const carbon::SplineStock st = carbon::spline_interval_stock_tC_ha(*spline, interval);
        s.stock = st.stock_tC_ha;
        s.clipped = st.clipped;
        if (st.clipped) ++clipped;
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
        ++too_shallow;
        warnings.add("profiles_too_shallow_for_interval",
                     "profile '" + p.id + "' ends at " + fmt(p.horizons.back().bottom_cm) +
                         " cm: no " + interval.label() + " cm stock");
      }
    }
  }
  counts["profile_intervals_too_shallow"] = too_shallow;
  counts["spline_intervals_clipped_at_0"] = clipped;

  // Equivalent soil mass against the pooled reference group.
  std::vector<std::size_t> refs;
  for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
    if (!params.reference.empty() && group_of(profiles[pi], params.compare_by) == params.reference)
      refs.push_back(pi);
  }
  const bool do_esm = params.esm && !refs.empty();
  auto esm_for = [&](const std::vector<std::size_t>& scope_refs, std::size_t pi, std::size_t ii) {
    const DepthInterval& interval = params.intervals[ii];
    const double m_top =
        interval.top_cm == 0.0 ? 0.0 : reference_mass(profiles, scope_refs, interval.top_cm);
    const double m_bottom = reference_mass(profiles, scope_refs, interval.bottom_cm);
    return carbon::esm_interval_stock_tC_ha(profiles[pi].horizons, m_top, m_bottom);
  };
  if (do_esm) {
    for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
      for (std::size_t ii = 0; ii < n_int; ++ii)
        stocks[pi][ii].esm = esm_for(refs, pi, ii);
    }
  }
  {
    TableBuilder t;
    for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
      const Profile& p = profiles[pi];
      for (std::size_t ii = 0; ii < n_int; ++ii) {
        const ProfileStock& s = stocks[pi][ii];
        t.col("profile_id", p.id);
        t.col("mine_id", p.mine_id);
        t.col("land_use", p.land_use);
        t.col("date", p.date);
        t.col("interval_cm", params.intervals[ii].label());
        t.col("top_cm", params.intervals[ii].top_cm);
        t.col("bottom_cm", params.intervals[ii].bottom_cm);
        t.col("method", std::string(to_string(params.method)));
        t.col("soc_stock_tC_ha", s.stock);
        t.col("soc_stock_co2e_t_ha", s.stock * units::kCo2PerC);
        t.col("esm_soc_stock_tC_ha", s.esm);
        t.col("fine_earth_Mg_ha", s.fine_earth);
        t.col("bd_estimated_horizons", static_cast<std::int64_t>(s.bd_estimated));
        t.col("spline_clipped", static_cast<std::int64_t>(s.clipped));
        t.col("status", std::string(std::isnan(s.stock) ? "profile_too_shallow" : "ok"));
      }
    }
    t.into(result.profile_stocks);
  }

  // Per land use.
  std::vector<std::string> land_uses;
  for (const Profile& p : profiles) {
    if (std::find(land_uses.begin(), land_uses.end(), p.land_use) == land_uses.end())
      land_uses.push_back(p.land_use);
  }
  auto stock_values = [&](std::size_t ii, auto&& pick) {
    std::vector<double> values;
    for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
      if (pick(profiles[pi])) values.push_back(stocks[pi][ii].stock);
    }
    return values;
  };
  auto add_totals = [](TableBuilder& t, double mean, double se, double area) {
    t.col("area_ha", area);
    t.col("soc_tC", mean * area);
    t.col("soc_se_tC", se * area);
    t.col("co2e_t", mean * area * units::kCo2PerC);
    t.col("co2e_se_t", se * area * units::kCo2PerC);
  };
  {
    TableBuilder t;
    for (const std::string& lu : land_uses) {
      double area = kNaN;
      for (const AreaRow& a : areas) {
        if (a.land_use == lu) area = (std::isnan(area) ? 0.0 : area) + a.area_ha;
      }
      for (std::size_t ii = 0; ii < n_int; ++ii) {
        const MeanSe s = carbon::mean_and_se(
            stock_values(ii, [&](const Profile& p) { return p.land_use == lu; }));
        t.col("land_use", lu);
        t.col("interval_cm", params.intervals[ii].label());
        t.col("n_profiles", static_cast<std::int64_t>(s.n));
        t.col("soc_stock_tC_ha", s.mean);
        t.col("soc_stock_se_tC_ha", s.se);
        add_totals(t, s.mean, s.se, area);
      }
    }
    t.into(result.land_use_stocks);
  }

  // Per mine: strata (mine × land use) weighted by area when areas are given.
  if (set.has_mines) {
    std::vector<std::string> mines;
    for (const Profile& p : profiles) {
      if (std::find(mines.begin(), mines.end(), p.mine_id) == mines.end())
        mines.push_back(p.mine_id);
    }
    for (const AreaRow& a : areas) {
      if (std::find(mines.begin(), mines.end(), a.mine_id) == mines.end())
        mines.push_back(a.mine_id);
    }
    TableBuilder t;
    for (const std::string& mine : mines) {
      for (std::size_t ii = 0; ii < n_int; ++ii) {
        double total = 0.0, var = 0.0, area_sum = 0.0;
        std::size_t n = 0;
        bool any_stratum = false;
        if (have_areas) {
          for (const AreaRow& a : areas) {
            if (a.mine_id != mine) continue;
            any_stratum = true;
            MeanSe s = carbon::mean_and_se(stock_values(ii, [&](const Profile& p) {
              return p.mine_id == mine && p.land_use == a.land_use;
            }));
            n += s.n;
            if (s.n == 0) {
              s = carbon::mean_and_se(
                  stock_values(ii, [&](const Profile& p) { return p.land_use == a.land_use; }));
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
        t.col("mine_id", mine);
        t.col("interval_cm", params.intervals[ii].label());
        if (any_stratum) {
          const double mean = area_sum > 0 ? total / area_sum : kNaN;
          const double se = area_sum > 0 ? std::sqrt(var) / area_sum : kNaN;
          t.col("n_profiles", static_cast<std::int64_t>(n));
          t.col("soc_stock_tC_ha", mean);
          t.col("soc_stock_se_tC_ha", se);
          add_totals(t, mean, se, area_sum);
        } else {
          const MeanSe s = carbon::mean_and_se(
              stock_values(ii, [&](const Profile& p) { return p.mine_id == mine; }));
          t.col("n_profiles", static_cast<std::int64_t>(s.n));
          t.col("soc_stock_tC_ha", s.mean);
          t.col("soc_stock_se_tC_ha", s.se);
          add_totals(t, s.mean, s.se, kNaN);
        }
      }
    }
    t.into(result.mine_stocks);
  }

  // Reclaimed against reference: pooled, then per mine that has both.
  if (!params.reference.empty()) {
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
    TableBuilder t;
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
        for (std::size_t ii = 0; ii < n_int; ++ii) {
          for (int basis = 0; basis < (params.esm ? 2 : 1); ++basis) {
            std::vector<double> vals, ref_vals;
            for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
              if (!in_scope(profiles[pi])) continue;
              const std::string& pg = group_of(profiles[pi], params.compare_by);
              if (pg != g && pg != params.reference) continue;
              const double v = basis == 0 ? stocks[pi][ii].stock : esm_for(scope_refs, pi, ii);
              (pg == g ? vals : ref_vals).push_back(v);
            }
            if (basis == 1) {
              const auto short_profiles =
                  std::count_if(vals.begin(), vals.end(), [](double v) { return std::isnan(v); });
              if (short_profiles > 0) {
                warnings.add(
                    "esm_reference_mass_beyond_profile",
                    "mine " + (pooled ? std::string("all") : scope) + ", " + params.compare_by +
                        " '" + g + "', " + params.intervals[ii].label() + " cm: " +
                        std::to_string(short_profiles) + " of " + std::to_string(vals.size()) +
                        " profiles hold less fine earth than the reference mass; no "
                        "equivalent-soil-mass stock for them");
              }
            }
            const MeanSe a = carbon::mean_and_se(vals), r = carbon::mean_and_se(ref_vals);
            const carbon::StockComparison c = carbon::compare_stocks(a, r);
            t.col("mine_id", pooled ? std::string("all") : scope);
            t.col(params.compare_by, g);
            t.col("reference", params.reference);
            t.col("interval_cm", params.intervals[ii].label());
            t.col("basis", std::string(basis == 0 ? "fixed_depth" : "equivalent_soil_mass"));
            t.col("n_profiles", static_cast<std::int64_t>(a.n));
            t.col("n_reference", static_cast<std::int64_t>(r.n));
            t.col("soc_stock_tC_ha", a.mean);
            t.col("soc_stock_se_tC_ha", a.se);
            t.col("reference_soc_stock_tC_ha", r.mean);
            t.col("reference_soc_stock_se_tC_ha", r.se);
            t.col("difference_tC_ha", c.difference_tC_ha);
            t.col("difference_se_tC_ha", c.difference_se_tC_ha);
            t.col("difference_co2e_t_ha", c.difference_tC_ha * units::kCo2PerC);
            t.col("recovery_pct", c.recovery_pct);
          }
        }
      }
    }
    t.into(result.comparison);
  }
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
  TableBuilder st;
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
    st.col("state", s.label);
    st.col("start_year", static_cast<std::int64_t>(s.start_year));
    st.col("land_use", s.land_use);
    st.col("soc_ref_tC_ha", s.soc_tC_ha ? kNaN : soc_ref);
    st.col("soc_ref_source", s.soc_tC_ha ? std::string() : soc_ref_source);
    st.col("f_lu", f[0]);
    st.col("f_lu_source", sources[0]);
    st.col("f_mg", f[1]);
    st.col("f_mg_source", sources[1]);
    st.col("f_i", f[2]);
    st.col("f_i_source", sources[2]);
    st.col("soc_eq_tC_ha", soc_eq);
    st.col("fixed_stock", static_cast<std::int64_t>(s.soc_tC_ha.has_value()));
  }
  st.into(result.ipcc_states);
  const auto years = carbon::ipcc_soc_trajectory(
      states, spec.last_year, spec.initial_soc_tC_ha.value_or(kNaN), spec.transition_years);
  TableBuilder t;
  const double area = spec.area_ha > 0 ? spec.area_ha : kNaN;
  for (const auto& y : years) {
    t.col("year", static_cast<std::int64_t>(y.year));
    t.col("state", y.state);
    t.col("soc_tC_ha", y.soc_tC_ha);
    t.col("change_tC_ha_yr", y.change_tC_ha_yr);
    t.col("change_co2e_t_ha_yr", y.change_tC_ha_yr * units::kCo2PerC);
    t.col("target_tC_ha", y.target_tC_ha);
    t.col("area_ha", area);
    t.col("soc_tC", y.soc_tC_ha * area);
    t.col("change_tC_yr", y.change_tC_ha_yr * area);
  }
  t.into(result.ipcc_trajectory);
}

// ---- scenarios -----------------------------------------------------------------------------

void scenario_tables(const std::vector<carbon::ReclamationScenario>& scenarios,
                     const RunContext& context, SoilResult& result) {
  std::vector<carbon::ScenarioResult> runs(scenarios.size());
  parallel_for(scenarios.size(), context.threads, [&](std::size_t idx, std::size_t) {
    runs[idx] = carbon::run_reclamation_scenario(scenarios[idx]);
  });
  TableBuilder years, months, summary;
  for (std::size_t idx = 0; idx < scenarios.size(); ++idx) {
    const auto& s = scenarios[idx];
    const auto& r = runs[idx];
    const double area = s.area_ha > 0 ? s.area_ha : kNaN;
    for (const auto& y : r.yearly) {
      years.col("scenario", s.name);
      years.col("mine_id", s.mine_id);
      years.col("year", static_cast<std::int64_t>(y.year));
      years.col("phase", y.phase);
      years.col("dpm_tC_ha", y.pools.dpm_tC_ha);
      years.col("rpm_tC_ha", y.pools.rpm_tC_ha);
      years.col("bio_tC_ha", y.pools.bio_tC_ha);
      years.col("hum_tC_ha", y.pools.hum_tC_ha);
      years.col("iom_tC_ha", y.pools.iom_tC_ha);
      years.col("biochar_tC_ha", y.pools.biochar_tC_ha);
      years.col("soc_tC_ha", y.soc_tC_ha);
      years.col("sequestration_tC_ha_yr", y.change_tC_ha_yr);
      years.col("sequestration_co2e_t_ha_yr", y.change_tC_ha_yr * units::kCo2PerC);
      years.col("plant_input_tC_ha", y.plant_input_tC_ha);
      years.col("amendment_tC_ha", y.amendment_tC_ha);
      years.col("biochar_input_tC_ha", y.biochar_input_tC_ha);
      years.col("respired_tC_ha", y.co2_tC_ha);
      years.col("area_ha", area);
      years.col("soc_tC", y.soc_tC_ha * area);
      years.col("sequestration_tC_yr", y.change_tC_ha_yr * area);
    }
    for (const auto& m : r.monthly) {
      months.col("scenario", s.name);
      months.col("year", static_cast<std::int64_t>(m.year));
      months.col("month", static_cast<std::int64_t>(m.month));
      months.col("plant_input_tC_ha", m.plant_input_tC_ha);
      months.col("amendment_tC_ha", m.fym_tC_ha);
      months.col("temp_C", m.temp_C);
      months.col("rm_temp", m.rm_temp);
      months.col("smd_mm", m.smd_mm);
      months.col("rm_moist", m.rm_moist);
      months.col("plant_cover", static_cast<std::int64_t>(m.plant_cover));
      months.col("rm_cover", m.rm_cover);
      months.col("dpm_tC_ha", m.pools.dpm_tC_ha);
      months.col("rpm_tC_ha", m.pools.rpm_tC_ha);
      months.col("bio_tC_ha", m.pools.bio_tC_ha);
      months.col("hum_tC_ha", m.pools.hum_tC_ha);
      months.col("iom_tC_ha", m.pools.iom_tC_ha);
      months.col("biochar_tC_ha", m.pools.biochar_tC_ha);
      months.col("soc_tC_ha", m.pools.soc_tC_ha());
      months.col("delta14c_permil", m.delta14c_permil);
    }
    const double start = r.start.pools.soc_tC_ha();
    const double end = r.yearly.back().soc_tC_ha;
    summary.col("scenario", s.name);
    summary.col("mine_id", s.mine_id);
    summary.col("initial_soil", std::string(carbon::to_string(s.start.kind)));
    summary.col("first_year", static_cast<std::int64_t>(s.first_year));
    summary.col("last_year", static_cast<std::int64_t>(s.first_year + s.years - 1));
    summary.col("former_plant_input_tC_ha_yr", s.start.kind == carbon::InitialSoil::replaced_topsoil
                                                   ? r.former_plant_input_tC_ha_yr
                                                   : kNaN);
    summary.col("soc_start_tC_ha", start);
    summary.col("soc_end_tC_ha", end);
    summary.col("sequestration_tC_ha", end - start);
    summary.col("sequestration_tC_ha_yr", (end - start) / s.years);
    summary.col("sequestration_co2e_t_ha", (end - start) * units::kCo2PerC);
    summary.col("area_ha", area);
    summary.col("sequestration_tC", (end - start) * area);
    summary.col("sequestration_co2e_t", (end - start) * area * units::kCo2PerC);
  }
  years.into(result.scenario_years);
  months.into(result.scenario_months);
  summary.into(result.scenarios);
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
  Warnings warnings;
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
    throw ConfigError("soil: spline_lambda = " + fmt(params.spline_lambda) +
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
  for (const auto& [kind, n] : warnings.counts)
    counts["warnings"][kind] = n;
  result.warnings = warnings.list;
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
  result.summary["warnings"] = warnings.list;
  return result;
}

}  // namespace minecarbon::assess
