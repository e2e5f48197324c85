#include "minecarbon/assess/damage.h"

#include "minecarbon/assess/grouping.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>

#include "minecarbon/carbon/nep_change.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/geo/zonal.h"
#include "minecarbon/stats/trend.h"

namespace minecarbon::assess {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kGramsPerMg = 1e6;
constexpr double kGramsPerGg = 1e9;

// Per mine and year: the quantities of eqs 1–4.
struct MineYear {
  double q = kNaN, o = kNaN, p = kNaN, w = kNaN, s = kNaN;
  double mine_valid_m2 = 0, ref_valid_m2 = 0;
};

// Aggregates over a set of mines in one year.
struct YearAggregate {
  int n_mines = 0;
  double total_mine_nep_GgC_yr = 0;
  double mean_change_rel = kNaN;
  int n_losing = 0;
  double total_loss_GgC_yr = 0;
  double total_gain_GgC_yr = 0;
  double loss_per_area_losing = kNaN;
  double net_change_GgC_yr = 0;
};

YearAggregate aggregate(const std::vector<std::size_t>& members, std::size_t year,
                        const std::vector<std::vector<MineYear>>& values,
                        const std::vector<double>& area_m2) {
  YearAggregate agg;
  double sum_s = 0, losing_area = 0;
  bool any_nep = false;
  for (std::size_t mine : members) {
    const MineYear& v = values[mine][year];
    if (std::isfinite(v.q)) {
      agg.total_mine_nep_GgC_yr += v.q * area_m2[mine] / kGramsPerGg;
      any_nep = true;
    }
    if (!std::isfinite(v.s)) continue;
    ++agg.n_mines;
    sum_s += v.s;
    const double h_GgC = v.s * area_m2[mine] / kGramsPerGg;
    agg.net_change_GgC_yr += h_GgC;
    if (v.s < 0) {
      ++agg.n_losing;
      agg.total_loss_GgC_yr += -h_GgC;
      losing_area += area_m2[mine];
    } else {
      agg.total_gain_GgC_yr += h_GgC;
    }
  }
  // Totals over no valid mine are unknown, not zero: a year of nodata must not enter the totals
  // and the period trends as a loss of everything.
  if (!any_nep) agg.total_mine_nep_GgC_yr = kNaN;
  if (agg.n_mines == 0) {
    agg.total_loss_GgC_yr = agg.total_gain_GgC_yr = agg.net_change_GgC_yr = kNaN;
  }
  if (agg.n_mines > 0) agg.mean_change_rel = sum_s / agg.n_mines;
  if (losing_area > 0) agg.loss_per_area_losing = agg.total_loss_GgC_yr * kGramsPerGg / losing_area;
  return agg;
}

// Columns of an aggregate table, filled row by row.
struct AggregateColumns {
  std::vector<std::int64_t> year, n_mines, n_losing;
  std::vector<double> total_nep, mean_s, share_losing, loss, gain, loss_per_area, net;

  void add(int y, const YearAggregate& a) {
    year.push_back(y);
    n_mines.push_back(a.n_mines);
    n_losing.push_back(a.n_losing);
    total_nep.push_back(a.total_mine_nep_GgC_yr);
    mean_s.push_back(a.mean_change_rel);
    share_losing.push_back(a.n_mines ? static_cast<double>(a.n_losing) / a.n_mines : kNaN);
    loss.push_back(a.total_loss_GgC_yr);
    gain.push_back(a.total_gain_GgC_yr);
    loss_per_area.push_back(a.loss_per_area_losing);
    net.push_back(a.net_change_GgC_yr);
  }
  void into(Table& table) {
    table.add("year", std::move(year));
    table.add("n_mines", std::move(n_mines));
    table.add("total_mine_nep_GgC_yr", std::move(total_nep));
    table.add("mean_nep_change_rel_gC_m2_yr", std::move(mean_s));
    table.add("n_mines_losing", std::move(n_losing));
    table.add("share_mines_losing", std::move(share_losing));
    table.add("total_loss_losing_GgC_yr", std::move(loss));
    table.add("total_gain_gaining_GgC_yr", std::move(gain));
    table.add("loss_per_area_losing_gC_m2_yr", std::move(loss_per_area));
    table.add("net_change_rel_GgC_yr", std::move(net));
  }
};

// Trend statistics of one series against the years.
struct TrendColumns {
  std::vector<double> ols_slope, ols_r2, mk_tau, mk_z, mk_p, sen_slope;
  void add(const std::vector<double>& years, const std::vector<double>& values) {
    const stats::OlsFit fit = stats::ols(years, values);
    const stats::MannKendall mk = stats::mann_kendall(years, values);
    ols_slope.push_back(fit.slope);
    ols_r2.push_back(fit.r2);
    mk_tau.push_back(mk.tau_b);
    mk_z.push_back(mk.z);
    mk_p.push_back(mk.p);
    sen_slope.push_back(stats::sen_slope(years, values).slope);
  }
  void into(Table& table, const std::string& prefix, const std::string& unit_per_yr) {
    table.add(prefix + "ols_slope_" + unit_per_yr, std::move(ols_slope));
    table.add(prefix + "ols_r2", std::move(ols_r2));
    table.add(prefix + "mk_tau", std::move(mk_tau));
    table.add(prefix + "mk_z", std::move(mk_z));
    table.add(prefix + "mk_p", std::move(mk_p));
    table.add(prefix + "sen_slope_" + unit_per_yr, std::move(sen_slope));
  }
};

// "lon −1.2 … 3.4, lat 50.1 … 52.0" of every mine.
std::string lonlat_extent(const std::vector<geo::MultiPolygon>& shapes) {
  double x_min = 1e300, y_min = 1e300, x_max = -1e300, y_max = -1e300;
  for (const auto& shape : shapes) {
    if (shape.empty()) continue;
    const geo::Bounds b = geo::bounds(shape);
    x_min = std::min(x_min, b.x_min);
    y_min = std::min(y_min, b.y_min);
    x_max = std::max(x_max, b.x_max);
    y_max = std::max(y_max, b.y_max);
  }
  char text[160];
  std::snprintf(text, sizeof text, "lon %.6g to %.6g, lat %.6g to %.6g", x_min, x_max, y_min,
                y_max);
  return text;
}

}  // namespace

DamageResult run_damage(const DamageParams& params, const DamageInputs& inputs,
                        const RunContext& context) {
  const auto started = std::chrono::steady_clock::now();
  // Wall seconds per phase, reported in the summary so users see where a long run goes.
  nlohmann::json phase_seconds;
  auto phase_start = started;
  auto end_phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    phase_seconds[name] = std::chrono::duration<double>(now - phase_start).count();
    phase_start = now;
  };
  const geo::PolygonLayer& layer = inputs.mines;
  const geo::RasterSeries& nep = inputs.nep;
  const std::size_t n_mines = layer.features.size();
  const std::size_t n_years = nep.years.size();
  // A library caller gets the same checks as the command line, before any work.
  params.validate();
  params.check_against_years(nep.years.front(), nep.years.back());
  const int base_year = params.base_year == 0 ? nep.years.front() : params.base_year;
  const std::size_t base_idx = static_cast<std::size_t>(base_year - nep.years.front());
  DamageResult result;

  // Group keys, checked before any heavy work.
  std::vector<std::vector<std::string>> group_values;
  for (GroupColumn& column : group_columns(layer, params.group_by, params.iso3_field,
                                           inputs.m49 ? &*inputs.m49 : nullptr, "[damage]")) {
    if (column.unknown_iso3 > 0) {
      result.warnings.push_back(std::to_string(column.unknown_iso3) +
                                " mines have an ISO-3 code in '" + column.iso3_field +
                                "' that the M49 table does not know; grouped as 'unknown' in " +
                                column.field);
    }
    group_values.push_back(std::move(column.values));
  }

  // Geometry: lon/lat for geodesic areas and rings, the raster CRS for coverage.
  context.say("damage: " + std::to_string(n_mines) + " mines, " + std::to_string(n_years) +
              " years " + std::to_string(nep.years.front()) + "-" +
              std::to_string(nep.years.back()));
  // PROJ transformations are not thread-safe: one per worker, made on first use.
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  std::vector<std::unique_ptr<geo::CrsTransform>> to_lonlat(workers), lonlat_to_raster(workers),
      layer_to_raster(workers);
  auto transform = [](std::unique_ptr<geo::CrsTransform>& slot, const std::string& from,
                      const std::string& to) -> const geo::CrsTransform& {
    if (!slot) slot = std::make_unique<geo::CrsTransform>(from, to);
    return *slot;
  };
  std::vector<geo::MultiPolygon> mines_lonlat(n_mines);
  std::vector<double> area_m2(n_mines);
  std::vector<std::string> ids(n_mines);
  parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
    const auto& feature = layer.features[mine];
    ids[mine] = feature.id;
    mines_lonlat[mine] = transform(to_lonlat[worker], layer.crs_wkt, geo::kWgs84)
                             .apply(feature.shape, layer.path + " feature " + feature.id);
    area_m2[mine] = geo::geodesic_area_m2(mines_lonlat[mine]);
  });
  end_phase("geometry_and_areas");
  std::vector<bool> analysed(n_mines);
  int below_min_area = 0;
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    analysed[mine] = area_m2[mine] / 1e6 >= params.min_area_km2;
    if (!analysed[mine]) ++below_min_area;
  }
  context.say("damage: " + std::to_string(below_min_area) + " of " + std::to_string(n_mines) +
              " mines are below min_area_km2 = " + std::to_string(params.min_area_km2) +
              " and are reported without analysis");

  // Reference zones, in lon/lat.
  std::vector<geo::ReferenceZone> reference(n_mines);
  bool references_in_raster_crs = false;  // rings are built in lon/lat, user polygons are not
  std::vector<geo::MultiPolygon> gap_zones;
  if (params.reference == ReferenceKind::ring) {
    geo::RingSet ring_set =
        geo::build_reference_rings(mines_lonlat, ids, analysed, params.ring, context);
    reference = std::move(ring_set.zones);
    gap_zones = std::move(ring_set.gap_zones);
    result.summary["rings"] = {{"outer_from_convex_hull", ring_set.hull_outer}};
  } else {
    const geo::PolygonLayer& refs = *inputs.reference_polygons;
    // Straight into the raster CRS, like the mines (no lon/lat round trip).
    geo::CrsTransform ref_to_raster(refs.crs_wkt, nep.crs_wkt);
    references_in_raster_crs = true;
    std::map<std::string, const geo::PolygonFeature*> by_id;
    for (const auto& f : refs.features)
      by_id[f.id] = &f;
    int unmatched = 0;
    for (std::size_t mine = 0; mine < n_mines; ++mine) {
      auto it = by_id.find(ids[mine]);
      if (it == by_id.end()) {
        ++unmatched;
        continue;
      }
      reference[mine].outer =
          ref_to_raster.apply(it->second->shape, refs.path + " feature " + ids[mine]);
    }
    if (unmatched > 0) {
      result.warnings.push_back(std::to_string(unmatched) +
                                " mines have no reference polygon with " + "the same id in " +
                                refs.path + "; their status is no_reference");
    }
  }

  end_phase("reference_zones");
  // Coverage of every analysed mine and its reference on the NEP grid, computed once for all years.
  std::vector<geo::Coverage> mine_cov(n_mines), ref_cov(n_mines);
  // Gap zones in the raster CRS, with their coverage: each cuts every ring it reaches.
  std::vector<geo::MultiPolygon> gap_raster(gap_zones.size());
  std::vector<geo::Coverage> gap_cov(gap_zones.size());
  std::vector<char> gap_needed(gap_zones.size(), 0);
  for (std::size_t mine = 0; mine < n_mines; ++mine)
    if (analysed[mine])
      for (std::size_t gap : reference[mine].cut_candidates)
        gap_needed[gap] = 1;
  parallel_for(gap_zones.size(), context.threads, [&](std::size_t gap, std::size_t worker) {
    if (!gap_needed[gap]) return;
    gap_raster[gap] = transform(lonlat_to_raster[worker], geo::kWgs84, nep.crs_wkt)
                          .apply(gap_zones[gap], "gap zone of mine " + ids[gap]);
    gap_cov[gap] = geo::compute_coverage(gap_raster[gap], nep.grid);
  });
  std::vector<std::unique_ptr<geo::RingCutter>> cutters(workers);
  std::vector<geo::RingCutter::CutStats> cut_stats(workers);
  parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
    if (!analysed[mine]) return;
    const std::string what = "mine " + ids[mine];
    const geo::CrsTransform& to_raster =
        transform(lonlat_to_raster[worker], geo::kWgs84, nep.crs_wkt);
    // Straight from the layer's CRS (no lon/lat round trip: inverse projections such as
    // EPSG:6933's are series expansions that move vertices by millimetres).
    mine_cov[mine] =
        geo::compute_coverage(transform(layer_to_raster[worker], layer.crs_wkt, nep.crs_wkt)
                                  .apply(layer.features[mine].shape, what),
                              nep.grid);
    const geo::ReferenceZone& zone = reference[mine];
    if (zone.outer.empty()) return;
    const geo::MultiPolygon outer =
        references_in_raster_crs ? zone.outer : to_raster.apply(zone.outer, what);
    if (zone.cut_candidates.empty()) {  // the user's own reference polygon
      ref_cov[mine] = geo::compute_coverage(outer, nep.grid);
      return;
    }
    std::vector<const geo::MultiPolygon*> cuts;
    std::vector<const geo::Coverage*> cut_coverages;
    for (std::size_t gap : zone.cut_candidates) {
      cuts.push_back(&gap_raster[gap]);
      cut_coverages.push_back(&gap_cov[gap]);
    }
    if (!cutters[worker]) cutters[worker] = std::make_unique<geo::RingCutter>();
    ref_cov[mine] = cutters[worker]->coverage(outer, cuts, cut_coverages, nep.grid, ids[mine],
                                              cut_stats[worker]);
  });
  if (params.reference == ReferenceKind::ring) {
    std::size_t reached = 0, overlays = 0;
    for (const auto& stats : cut_stats) {
      reached += stats.reached_by_other_mines;
      overlays += stats.overlays;
    }
    result.summary["rings"]["reached_by_other_mines"] = reached;
    result.summary["rings"]["polygon_overlays"] = overlays;
  }
  std::vector<const geo::Coverage*> zones;
  zones.reserve(2 * n_mines);
  for (std::size_t mine = 0; mine < n_mines; ++mine)
    zones.push_back(&mine_cov[mine]);
  for (std::size_t mine = 0; mine < n_mines; ++mine)
    zones.push_back(&ref_cov[mine]);
  const std::vector<double> cell_area =
      geo::cell_area_by_row_m2(nep.grid, nep.geographic, nep.metres_per_unit);
  end_phase("coverage");
  const geo::ZonalSums sums = geo::zonal_sums(zones, cell_area, nep, context);
  end_phase("zonal_statistics");

  // Eqs 1–4 per mine and year.
  std::vector<std::vector<MineYear>> values(n_mines, std::vector<MineYear>(n_years));
  std::vector<std::string> status(n_mines, "ok");
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (!analysed[mine]) {
      status[mine] = "below_min_area";
      continue;
    }
    for (std::size_t year = 0; year < n_years; ++year) {
      MineYear& v = values[mine][year];
      v.q = sums.mean(mine, year);
      v.o = sums.mean(n_mines + mine, year);
      v.mine_valid_m2 = sums.valid(mine, year);
      v.ref_valid_m2 = sums.valid(n_mines + mine, year);
    }
    const double q_base = values[mine][base_idx].q, o_base = values[mine][base_idx].o;
    std::vector<double> q(n_years), o(n_years);
    for (std::size_t year = 0; year < n_years; ++year) {
      q[year] = values[mine][year].q;
      o[year] = values[mine][year].o;
    }
    const auto changes = carbon::nep_change(q, o, base_idx, area_m2[mine]);
    for (std::size_t year = 0; year < n_years; ++year) {
      MineYear& v = values[mine][year];
      v.p = changes[year].mine_change_gC_m2_yr;
      v.w = changes[year].ref_change_gC_m2_yr;
      v.s = changes[year].change_rel_gC_m2_yr;
    }
    if (sums.covered_area_m2[mine] == 0) {
      status[mine] = "outside_raster";
    } else if (reference[mine].outer.empty() || sums.covered_area_m2[n_mines + mine] == 0) {
      status[mine] = "no_reference";
    } else if (std::none_of(values[mine].begin(), values[mine].end(),
                            [](const MineYear& v) { return v.mine_valid_m2 > 0; })) {
      status[mine] = "no_valid_mine_cells";
    } else if (std::none_of(values[mine].begin(), values[mine].end(),
                            [](const MineYear& v) { return v.ref_valid_m2 > 0; })) {
      status[mine] = "no_valid_reference_cells";
    } else if (!std::isfinite(q_base) || !std::isfinite(o_base)) {
      status[mine] = "no_data_in_base_year";
    }
  }
  std::map<std::string, int> status_counts;
  for (const auto& s : status)
    ++status_counts[s];
  const auto n_analysed = static_cast<std::ptrdiff_t>(n_mines) - below_min_area;
  if (n_analysed > 0 && std::count(status.begin(), status.end(), "outside_raster") == n_analysed) {
    throw DataError("damage: no mine overlaps the NEP rasters: the mines span " +
                    lonlat_extent(mines_lonlat) + " (lon/lat), the rasters " + nep.grid.describe() +
                    " in their own CRS; check that both cover the same "
                    "region (and the layer's CRS)");
  }
  for (const auto& [name, count] : status_counts) {
    if (name != "ok" && name != "below_min_area")
      result.warnings.push_back(std::to_string(count) + " mines with status " + name);
  }

  std::vector<double> years_d(nep.years.begin(), nep.years.end());

  // mine_year (long table, analysed mines only).
  {
    std::vector<std::string> id_col;
    std::vector<std::int64_t> year_col;
    std::vector<double> q, o, p, w, s, loss, h_mg, h_gg, mine_valid, ref_valid;
    for (std::size_t mine = 0; mine < n_mines; ++mine) {
      if (!analysed[mine]) continue;
      for (std::size_t year = 0; year < n_years; ++year) {
        const MineYear& v = values[mine][year];
        id_col.push_back(ids[mine]);
        year_col.push_back(nep.years[year]);
        q.push_back(v.q);
        o.push_back(v.o);
        p.push_back(v.p);
        w.push_back(v.w);
        s.push_back(v.s);
        loss.push_back(0.0 - v.s);  // 0 − S, not −S: a zero loss prints as 0, not -0
        h_mg.push_back(v.s * area_m2[mine] / kGramsPerMg);
        h_gg.push_back(v.s * area_m2[mine] / kGramsPerGg);
        mine_valid.push_back(v.mine_valid_m2);
        ref_valid.push_back(v.ref_valid_m2);
      }
    }
    Table& t = result.mine_year;
    t.add("mine_id", std::move(id_col));
    t.add("year", std::move(year_col));
    t.add("nep_mine_gC_m2_yr", std::move(q));
    t.add("nep_ref_gC_m2_yr", std::move(o));
    t.add("nep_mine_change_gC_m2_yr", std::move(p));
    t.add("nep_ref_change_gC_m2_yr", std::move(w));
    t.add("nep_change_rel_gC_m2_yr", std::move(s));
    t.add("nep_loss_gC_m2_yr", std::move(loss));
    t.add("nep_change_rel_MgC_yr", std::move(h_mg));
    t.add("nep_change_rel_GgC_yr", std::move(h_gg));
    t.add("mine_valid_area_m2", std::move(mine_valid));
    t.add("ref_valid_area_m2", std::move(ref_valid));
  }

  // mines (wide: one row per input mine).
  {
    std::vector<std::string> id_col, status_col;
    std::vector<double> area_col, area_km2, covered, ref_covered, min_valid_share, ref_area_share;
    std::vector<double> q_base, o_base, s_last, loss_last, s_mean, h_last_mg;
    TrendColumns trend_s, trend_q;
    for (std::size_t mine = 0; mine < n_mines; ++mine) {
      id_col.push_back(ids[mine]);
      status_col.push_back(status[mine]);
      area_col.push_back(area_m2[mine]);
      area_km2.push_back(area_m2[mine] / 1e6);
      const bool a = analysed[mine];
      covered.push_back(a ? sums.covered_area_m2[mine] : kNaN);
      ref_covered.push_back(a ? sums.covered_area_m2[n_mines + mine] : kNaN);
      double min_share = kNaN;
      if (a && sums.covered_area_m2[mine] > 0) {
        min_share = 1.0;
        for (std::size_t year = 0; year < n_years; ++year)
          min_share =
              std::min(min_share, values[mine][year].mine_valid_m2 / sums.covered_area_m2[mine]);
      }
      min_valid_share.push_back(min_share);
      ref_area_share.push_back(a && sums.covered_area_m2[mine] > 0
                                   ? sums.covered_area_m2[n_mines + mine] /
                                         sums.covered_area_m2[mine]
                                   : kNaN);
      std::vector<double> s_series(n_years, kNaN), q_series(n_years, kNaN);
      for (std::size_t year = 0; year < n_years; ++year) {
        s_series[year] = values[mine][year].s;
        q_series[year] = values[mine][year].q;
      }
      q_base.push_back(values[mine][base_idx].q);
      o_base.push_back(values[mine][base_idx].o);
      s_last.push_back(s_series.back());
      loss_last.push_back(0.0 - s_series.back());
      h_last_mg.push_back(s_series.back() * area_m2[mine] / kGramsPerMg);
      double sum = 0;
      int count = 0;
      for (std::size_t year = base_idx + 1; year < n_years; ++year) {
        if (std::isfinite(s_series[year])) {
          sum += s_series[year];
          ++count;
        }
      }
      s_mean.push_back(count ? sum / count : kNaN);
      trend_s.add(years_d, s_series);
      trend_q.add(years_d, q_series);
    }
    Table& t = result.mines;
    t.add("mine_id", std::move(id_col));
    t.add("status", std::move(status_col));
    if (n_mines > 0) {
      // The layer's own attributes ride along (so the table joins back in QGIS), then joined M49
      // columns; a name we use ourselves gets a "src_" prefix.
      const std::vector<std::string> ours = {"mine_id", "status", "area_m2", "area_km2"};
      for (const auto& field : layer.field_names) {
        std::vector<std::string> col(n_mines);
        bool present = false;
        for (std::size_t mine = 0; mine < n_mines; ++mine) {
          auto it = layer.features[mine].attributes.find(field);
          if (it != layer.features[mine].attributes.end()) {
            col[mine] = it->second;
            present = true;
          }
        }
        if (!present) continue;  // the id field itself
        const bool clash = std::find(ours.begin(), ours.end(), field) != ours.end();
        t.add(clash ? "src_" + field : field, std::move(col));
      }
      for (std::size_t g = 0; g < params.group_by.size(); ++g) {
        if (t.find(params.group_by[g]) == nullptr) t.add(params.group_by[g], group_values[g]);
      }
    }
    t.add("area_m2", std::move(area_col));
    t.add("area_km2", std::move(area_km2));
    t.add("mine_covered_area_m2", std::move(covered));
    t.add("ref_covered_area_m2", std::move(ref_covered));
    t.add("ref_to_mine_area_ratio", std::move(ref_area_share));
    t.add("mine_min_valid_share", std::move(min_valid_share));
    t.add("nep_mine_base_gC_m2_yr", std::move(q_base));
    t.add("nep_ref_base_gC_m2_yr", std::move(o_base));
    t.add("nep_change_rel_last_gC_m2_yr", std::move(s_last));
    t.add("nep_loss_last_gC_m2_yr", std::move(loss_last));
    t.add("nep_change_rel_mean_gC_m2_yr", std::move(s_mean));
    t.add("nep_change_rel_last_MgC_yr", std::move(h_last_mg));
    trend_s.into(t, "change_rel_", "gC_m2_yr2");
    trend_q.into(t, "nep_mine_", "gC_m2_yr2");
  }

  // year_summary and group tables.
  std::vector<std::size_t> all_mines;
  for (std::size_t mine = 0; mine < n_mines; ++mine)
    if (analysed[mine]) all_mines.push_back(mine);
  std::vector<std::vector<YearAggregate>> all_by_year(1);
  {
    AggregateColumns cols;
    for (std::size_t year = 0; year < n_years; ++year) {
      all_by_year[0].push_back(aggregate(all_mines, year, values, area_m2));
      cols.add(nep.years[year], all_by_year[0].back());
    }
    cols.into(result.year_summary);
    for (std::size_t year = 0; year < n_years; ++year) {
      if (all_by_year[0][year].n_mines == 0 && !all_mines.empty())
        result.warnings.push_back("year " + std::to_string(nep.years[year]) +
                                  ": no analysed mine has valid data; its totals are NA");
    }
  }
  {
    std::vector<std::string> field_col, group_col, trend_field, trend_group, trend_metric;
    AggregateColumns cols;
    TrendColumns trends;
    auto add_trends = [&](const std::string& field, const std::string& group,
                          const std::vector<YearAggregate>& series) {
      std::vector<double> mean_s, net, total;
      for (const auto& a : series) {
        mean_s.push_back(a.mean_change_rel);
        net.push_back(a.net_change_GgC_yr);
        total.push_back(a.total_mine_nep_GgC_yr);
      }
      for (const auto& [metric, data] :
           {std::pair<std::string, std::vector<double>*>{"mean_nep_change_rel_gC_m2_yr", &mean_s},
            {"net_change_rel_GgC_yr", &net},
            {"total_mine_nep_GgC_yr", &total}}) {
        trend_field.push_back(field);
        trend_group.push_back(group);
        trend_metric.push_back(metric);
        trends.add(years_d, *data);
      }
    };
    add_trends("all", "all", all_by_year[0]);
    for (std::size_t g = 0; g < params.group_by.size(); ++g) {
      std::map<std::string, std::vector<std::size_t>> members;
      for (std::size_t mine : all_mines)
        members[group_values[g][mine]].push_back(mine);
      for (const auto& [group, list] : members) {
        std::vector<YearAggregate> series;
        for (std::size_t year = 0; year < n_years; ++year) {
          series.push_back(aggregate(list, year, values, area_m2));
          field_col.push_back(params.group_by[g]);
          group_col.push_back(group);
          cols.add(nep.years[year], series.back());
        }
        add_trends(params.group_by[g], group, series);
      }
    }
    result.group_year.add("group_field", std::move(field_col));
    result.group_year.add("group", std::move(group_col));
    cols.into(result.group_year);
    result.group_trend.add("group_field", std::move(trend_field));
    result.group_trend.add("group", std::move(trend_group));
    result.group_trend.add("metric", std::move(trend_metric));
    trends.into(result.group_trend, "", "per_yr");
  }

  // Periods: relative change and linear trend of the totals within each period.
  {
    std::vector<std::string> label, metric;
    std::vector<std::int64_t> first, last;
    std::vector<double> v_first, v_last, rel, slope, r2;
    for (const auto& period : params.periods) {
      for (const std::string m : {"total_mine_nep_GgC_yr", "net_change_rel_GgC_yr"}) {
        std::vector<double> ys, vs;
        for (int y = period.first_year; y <= period.last_year; ++y) {
          const auto& a = all_by_year[0][static_cast<std::size_t>(y - nep.years.front())];
          ys.push_back(y);
          vs.push_back(m == "total_mine_nep_GgC_yr" ? a.total_mine_nep_GgC_yr
                                                    : a.net_change_GgC_yr);
        }
        const stats::OlsFit fit = stats::ols(ys, vs);
        label.push_back(period.label);
        metric.push_back(m);
        first.push_back(period.first_year);
        last.push_back(period.last_year);
        v_first.push_back(vs.front());
        v_last.push_back(vs.back());
        rel.push_back(vs.front() != 0 ? (vs.back() - vs.front()) / std::fabs(vs.front()) : kNaN);
        slope.push_back(fit.slope);
        r2.push_back(fit.r2);
      }
    }
    Table& t = result.periods;
    t.add("period", std::move(label));
    t.add("first_year", std::move(first));
    t.add("last_year", std::move(last));
    t.add("metric", std::move(metric));
    t.add("value_first", std::move(v_first));
    t.add("value_last", std::move(v_last));
    t.add("rel_change", std::move(rel));
    t.add("ols_slope_per_yr", std::move(slope));
    t.add("ols_r2", std::move(r2));
  }

  // Summary.
  nlohmann::json& js = result.summary;
  js["stage"] = "damage";
  js["parameters"] = {{"base_year", base_year},
                      {"min_area_km2", params.min_area_km2},
                      {"reference", params.reference == ReferenceKind::ring ? "ring" : "polygons"},
                      {"ring_outer_m", params.ring.outer_m},
                      {"ring_gap_m", params.ring.gap_m},
                      {"ring_quad_segs", params.ring.quad_segs},
                      {"group_by", params.group_by},
                      {"years", {nep.years.front(), nep.years.back()}}};
  js["inputs"] = {{"mines", layer.path},
                  {"mines_layer", layer.layer_name},
                  {"nep_pattern", nep.spec.pattern},
                  {"nep_grid", nep.grid.describe()},
                  {"nep_geographic", nep.geographic}};
  js["counts"] = {{"mines", n_mines},
                  {"analysed", all_mines.size()},
                  {"below_min_area", below_min_area},
                  {"repaired_geometries", layer.repaired_ids.size()},
                  {"status", status_counts}};
  js["repaired_ids"] = layer.repaired_ids;
  if (!layer.repaired_ids.empty()) {
    result.warnings.push_back(std::to_string(layer.repaired_ids.size()) +
                              " invalid mine polygons were repaired with GEOS MakeValid (ids in "
                              "summary.json: repaired_ids)");
  }
  const auto& last = all_by_year[0].back();
  js["last_year"] = {{"year", nep.years.back()},
                     {"mines_losing", last.n_losing},
                     {"total_loss_losing_GgC_yr", last.total_loss_GgC_yr},
                     {"net_change_rel_GgC_yr", last.net_change_GgC_yr}};
  end_phase("tables");
  js["phase_seconds"] = phase_seconds;
  js["warnings"] = result.warnings;
  js["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minecarbon::assess
