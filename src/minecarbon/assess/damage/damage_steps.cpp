#include "minecarbon/assess/damage/damage_steps.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "minecarbon/assess/grouping.h"
#include "minecarbon/carbon/nep_change.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/units.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/stats/trend.h"

namespace minecarbon::assess::damage_steps {
namespace {

constexpr double kGPerGg = units::kGPerMg * units::kMgPerGg;

// PROJ transformations are not thread-safe: one per worker, made on first use.
class WorkerTransforms {
 public:
  WorkerTransforms(std::string from, std::string to, int threads)
      : from_(std::move(from)),
        to_(std::move(to)),
        slots_(static_cast<std::size_t>(std::max(1, threads))) {}
  const geo::CrsTransform& get(std::size_t worker) {
    auto& slot = slots_[worker];
    if (!slot) slot = std::make_unique<geo::CrsTransform>(from_, to_);
    return *slot;
  }

 private:
  std::string from_, to_;
  std::vector<std::unique_ptr<geo::CrsTransform>> slots_;
};

}  // namespace

TrendStats trend_stats(std::span<const double> years, std::span<const double> values,
                       double operand_scale) {
  const stats::TrendTests tests = stats::trend_tests(years, values, operand_scale);
  TrendStats t;
  t.no_variation = tests.no_variation;
  t.ols_slope_per_yr = tests.ols.slope;
  t.ols_r2 = tests.ols.r2;
  t.mk_tau = tests.mk.tau_b;
  t.mk_z = tests.mk.z;
  t.mk_p = tests.mk.p;
  t.sen_slope_per_yr = tests.sen.slope;
  return t;
}

GroupKeys group_keys(const DamageParams& params, const DamageInputs& inputs) {
  GroupKeys keys;
  keys.fields = params.group_by;
  for (GroupColumn& column : group_columns(*inputs.mines, params.group_by, params.iso3_field,
                                           inputs.m49 ? &*inputs.m49 : nullptr, "[damage]")) {
    if (column.unknown_iso3 > 0) {
      keys.warnings.add("unknown_iso3", std::to_string(column.unknown_iso3) +
                                            " mines have an ISO-3 code in '" + column.iso3_field +
                                            "' that the M49 table does not know; grouped as "
                                            "'unknown' in " +
                                            column.field);
    }
    keys.values.push_back(std::move(column.values));
  }
  return keys;
}

MineGeometry mine_geometry(const geo::PolygonLayer& layer, const RunContext& context) {
  const std::size_t n_mines = layer.features.size();
  MineGeometry g;
  g.ids.resize(n_mines);
  g.lonlat.resize(n_mines);
  g.area_m2.resize(n_mines);
  WorkerTransforms to_lonlat(layer.crs_wkt, geo::kWgs84, context.threads);
  parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
    const auto& feature = layer.features[mine];
    g.ids[mine] = feature.id;
    g.lonlat[mine] =
        to_lonlat.get(worker).apply(feature.shape, layer.path + " feature " + feature.id);
    g.area_m2[mine] = geo::geodesic_area_m2(g.lonlat[mine]);
  });
  return g;
}

std::vector<bool> select_analysed(std::span<const double> area_m2, double min_area_km2) {
  std::vector<bool> analysed(area_m2.size());
  for (std::size_t mine = 0; mine < area_m2.size(); ++mine)
    analysed[mine] = area_m2[mine] / units::kM2PerKm2 >= min_area_km2;
  return analysed;
}

ReferenceZones reference_zones(const DamageParams& params, const DamageInputs& inputs,
                               const MineGeometry& geometry, const std::vector<bool>& analysed,
                               const RunContext& context) {
  ReferenceZones out;
  const std::size_t n_mines = geometry.ids.size();
  out.zones.resize(n_mines);
  if (params.reference == ReferenceKind::ring) {
    geo::RingSet ring_set =
        geo::build_reference_rings(geometry.lonlat, geometry.ids, analysed, params.ring, context);
    out.zones = std::move(ring_set.zones);
    out.gap_zones = std::move(ring_set.gap_zones);
    out.rings = true;
    out.hull_outer = ring_set.hull_outer;
    return out;
  }
  const geo::PolygonLayer& refs = *inputs.reference_polygons;
  // Straight into the raster CRS, like the mines (no lon/lat round trip).
  geo::CrsTransform ref_to_raster(refs.crs_wkt, inputs.nep.crs_wkt);
  out.in_raster_crs = true;
  std::map<std::string, const geo::PolygonFeature*> by_id;
  for (const auto& f : refs.features)
    by_id[f.id] = &f;
  int unmatched = 0;
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    auto it = by_id.find(geometry.ids[mine]);
    if (it == by_id.end()) {
      ++unmatched;
      continue;
    }
    out.zones[mine].outer =
        ref_to_raster.apply(it->second->shape, refs.path + " feature " + geometry.ids[mine]);
  }
  if (unmatched > 0) {
    out.warnings.add("reference_polygon_missing",
                     std::to_string(unmatched) + " mines have no reference polygon with " +
                         "the same id in " + refs.path + "; their status is no_reference");
  }
  return out;
}

Coverages coverages(const DamageInputs& inputs, const MineGeometry& geometry,
                    std::span<const std::size_t> mines, const std::vector<bool>& analysed,
                    const ReferenceZones& reference, const RunContext& context) {
  const geo::PolygonLayer& layer = *inputs.mines;
  const geo::RasterSeries& nep = inputs.nep;
  const std::size_t n_mines = mines.size();
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  WorkerTransforms lonlat_to_raster(geo::kWgs84, nep.crs_wkt, context.threads);
  WorkerTransforms layer_to_raster(layer.crs_wkt, nep.crs_wkt, context.threads);
  Coverages out;
  out.mine.resize(n_mines);
  out.reference.resize(n_mines);
  // Gap zones in the raster CRS, with their coverage: each cuts every ring it reaches.
  const auto& gap_zones = reference.gap_zones;
  std::vector<geo::MultiPolygon> gap_raster(gap_zones.size());
  std::vector<geo::Coverage> gap_cov(gap_zones.size());
  std::vector<char> gap_needed(gap_zones.size(), 0);
  for (std::size_t mine = 0; mine < n_mines; ++mine)
    if (analysed[mine])
      for (std::size_t gap : reference.zones[mine].cut_candidates)
        gap_needed[gap] = 1;
  parallel_for(gap_zones.size(), context.threads, [&](std::size_t gap, std::size_t worker) {
    if (!gap_needed[gap]) return;
    gap_raster[gap] = lonlat_to_raster.get(worker).apply(
        gap_zones[gap], "gap zone of mine " + geometry.ids[mines[gap]]);
    gap_cov[gap] = geo::compute_coverage(gap_raster[gap], nep.grid);
  });
  std::vector<std::unique_ptr<geo::RingCutter>> cutters(workers);
  std::vector<geo::RingCutter::CutStats> cut_stats(workers);
  parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
    if (!analysed[mine]) return;
    const std::string& id = geometry.ids[mines[mine]];
    const std::string what = "mine " + id;
    // Straight from the layer's CRS (no lon/lat round trip: inverse projections such as
    // EPSG:6933's are series expansions that move vertices by millimetres).
    out.mine[mine] = geo::compute_coverage(
        layer_to_raster.get(worker).apply(layer.features[mines[mine]].shape, what), nep.grid);
    const geo::ReferenceZone& zone = reference.zones[mine];
    if (zone.outer.empty()) return;
    const geo::MultiPolygon outer =
        reference.in_raster_crs ? zone.outer : lonlat_to_raster.get(worker).apply(zone.outer, what);
    if (zone.cut_candidates.empty()) {  // the user's own reference polygon
      out.reference[mine] = geo::compute_coverage(outer, nep.grid);
      return;
    }
    std::vector<const geo::MultiPolygon*> cuts;
    std::vector<const geo::Coverage*> cut_coverages;
    for (std::size_t gap : zone.cut_candidates) {
      cuts.push_back(&gap_raster[gap]);
      cut_coverages.push_back(&gap_cov[gap]);
    }
    if (!cutters[worker]) cutters[worker] = std::make_unique<geo::RingCutter>();
    out.reference[mine] =
        cutters[worker]->coverage(outer, cuts, cut_coverages, nep.grid, id, cut_stats[worker]);
  });
  for (const auto& stats : cut_stats) {
    out.reached_by_other_mines += stats.reached_by_other_mines;
    out.polygon_overlays += stats.overlays;
  }
  return out;
}

MineYearValues mine_year_values(const geo::ZonalSums& sums, const std::vector<bool>& analysed,
                                std::span<const double> area_m2, std::span<const int> years,
                                std::size_t base_idx) {
  const std::size_t n_mines = analysed.size();
  const std::size_t n_years = years.size();
  MineYearValues out;
  out.n_years = n_years;
  out.first_row.assign(n_mines, MineYearValues::npos);
  std::vector<double> q(n_years), o(n_years);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (!analysed[mine]) continue;
    out.first_row[mine] = out.rows.size();
    for (std::size_t year = 0; year < n_years; ++year) {
      q[year] = sums.mean(mine, year);
      o[year] = sums.mean(n_mines + mine, year);
    }
    const auto changes = carbon::nep_change(q, o, base_idx, area_m2[mine]);
    for (std::size_t year = 0; year < n_years; ++year) {
      MineYearRecord r;
      r.mine = mine;
      r.year = years[year];
      r.nep_mine_gC_m2_yr = q[year];
      r.nep_ref_gC_m2_yr = o[year];
      r.nep_mine_change_gC_m2_yr = changes[year].mine_change_gC_m2_yr;
      r.nep_ref_change_gC_m2_yr = changes[year].ref_change_gC_m2_yr;
      const double s = changes[year].change_rel_gC_m2_yr;
      r.nep_change_rel_gC_m2_yr = s;
      r.nep_loss_gC_m2_yr = 0.0 - s;  // 0 − S, not −S: a zero loss prints as 0, not -0
      r.nep_change_rel_MgC_yr = s * area_m2[mine] / units::kGPerMg;
      r.nep_change_rel_GgC_yr = s * area_m2[mine] / kGPerGg;
      r.mine_valid_area_m2 = sums.valid(mine, year);
      r.ref_valid_area_m2 = sums.valid(n_mines + mine, year);
      r.nep_ref_sd_gC_m2_yr = sums.sd(n_mines + mine, year);
      out.rows.push_back(r);
    }
  }
  return out;
}

std::vector<MineStatus> mine_statuses(const geo::ZonalSums& sums,
                                      const std::vector<char>& has_reference,
                                      const MineYearValues& values, std::size_t base_idx) {
  const std::size_t n_mines = values.first_row.size();
  std::vector<MineStatus> status(n_mines, MineStatus::ok);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    const MineYearRecord* v = values.of(mine);
    if (!v) {
      status[mine] = MineStatus::below_min_area;
      continue;
    }
    const MineYearRecord* end = v + values.n_years;
    if (sums.covered_area_m2[mine] == 0) {
      status[mine] = MineStatus::outside_raster;
    } else if (!has_reference[mine] || sums.covered_area_m2[n_mines + mine] == 0) {
      status[mine] = MineStatus::no_reference;
    } else if (std::none_of(v, end,
                            [](const MineYearRecord& r) { return r.mine_valid_area_m2 > 0; })) {
      status[mine] = MineStatus::no_valid_mine_cells;
    } else if (std::none_of(v, end,
                            [](const MineYearRecord& r) { return r.ref_valid_area_m2 > 0; })) {
      status[mine] = MineStatus::no_valid_reference_cells;
    } else if (!std::isfinite(v[base_idx].nep_mine_gC_m2_yr) ||
               !std::isfinite(v[base_idx].nep_ref_gC_m2_yr)) {
      status[mine] = MineStatus::no_data_in_base_year;
    }
  }
  return status;
}

AttributeColumns attribute_columns(const geo::PolygonLayer& layer, const GroupKeys& groups) {
  AttributeColumns out;
  if (layer.features.empty()) return out;
  // The layer's own attributes ride along (so the table joins back in QGIS), then joined M49
  // columns; a name we use ourselves gets a "src_" prefix.
  const std::vector<std::string> ours = {"mine_id", "status", "area_m2", "area_km2"};
  for (const auto& field : layer.field_names) {
    const bool present =
        std::any_of(layer.features.begin(), layer.features.end(),
                    [&](const geo::PolygonFeature& f) { return f.attributes.count(field) > 0; });
    if (!present) continue;  // the id field itself
    const bool clash = std::find(ours.begin(), ours.end(), field) != ours.end();
    out.names.push_back(clash ? "src_" + field : field);
    out.layer_fields.push_back(field);
    out.group_index.push_back(0);
  }
  for (std::size_t g = 0; g < groups.fields.size(); ++g) {
    const std::string& name = groups.fields[g];
    if (name == "mine_id" || name == "status" ||
        std::find(out.names.begin(), out.names.end(), name) != out.names.end())
      continue;
    out.names.push_back(name);
    out.layer_fields.emplace_back();
    out.group_index.push_back(g);
  }
  return out;
}

std::vector<MineRecord> mine_records(const geo::PolygonLayer& layer, const MineGeometry& geometry,
                                     const std::vector<MineStatus>& status,
                                     const geo::ZonalSums& sums, const MineYearValues& values,
                                     std::span<const int> years, std::size_t base_idx,
                                     const AttributeColumns& attributes, const GroupKeys& groups) {
  const std::size_t n_mines = geometry.ids.size();
  const std::size_t n_years = years.size();
  const std::vector<double> years_d(years.begin(), years.end());
  std::vector<MineRecord> out(n_mines);
  std::vector<double> s_series(n_years), q_series(n_years);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    MineRecord& m = out[mine];
    m.mine_id = geometry.ids[mine];
    m.status = status[mine];
    for (std::size_t a = 0; a < attributes.names.size(); ++a) {
      if (attributes.layer_fields[a].empty()) {
        m.attributes.push_back(groups.values[attributes.group_index[a]][mine]);
      } else {
        const auto& attrs = layer.features[mine].attributes;
        auto it = attrs.find(attributes.layer_fields[a]);
        m.attributes.push_back(it != attrs.end() ? it->second : std::string());
      }
    }
    m.area_m2 = geometry.area_m2[mine];
    const MineYearRecord* v = values.of(mine);
    for (std::size_t year = 0; year < n_years; ++year) {
      s_series[year] = v ? v[year].nep_change_rel_gC_m2_yr : kDamageNaN;
      q_series[year] = v ? v[year].nep_mine_gC_m2_yr : kDamageNaN;
    }
    // S is a difference of Q and O: its rounding is that of their magnitude, not its own.
    double operand_scale = 0;
    for (std::size_t year = 0; v && year < n_years; ++year) {
      for (double operand : {v[year].nep_mine_gC_m2_yr, v[year].nep_ref_gC_m2_yr})
        if (std::isfinite(operand)) operand_scale = std::max(operand_scale, std::fabs(operand));
    }
    m.change_rel_trend = trend_stats(years_d, s_series, operand_scale);
    m.nep_mine_trend = trend_stats(years_d, q_series);
    if (!v) continue;
    const double covered = sums.covered_area_m2[mine];
    m.mine_covered_area_m2 = covered;
    m.ref_covered_area_m2 = sums.covered_area_m2[n_mines + mine];
    if (covered > 0) {
      double min_share = 1.0;
      for (std::size_t year = 0; year < n_years; ++year)
        min_share = std::min(min_share, v[year].mine_valid_area_m2 / covered);
      m.mine_min_valid_share = min_share;
      m.ref_to_mine_area_ratio = sums.covered_area_m2[n_mines + mine] / covered;
    }
    m.nep_mine_base_gC_m2_yr = v[base_idx].nep_mine_gC_m2_yr;
    m.nep_ref_base_gC_m2_yr = v[base_idx].nep_ref_gC_m2_yr;
    const double s_last = s_series.back();
    m.nep_change_rel_last_gC_m2_yr = s_last;
    m.nep_loss_last_gC_m2_yr = 0.0 - s_last;
    m.nep_change_rel_last_MgC_yr = s_last * m.area_m2 / units::kGPerMg;
    double sum = 0;
    int count = 0;
    for (std::size_t year = base_idx + 1; year < n_years; ++year) {
      if (std::isfinite(s_series[year])) {
        sum += s_series[year];
        ++count;
      }
    }
    m.nep_change_rel_mean_gC_m2_yr = count ? sum / count : kDamageNaN;
  }
  return out;
}

namespace {

YearAggregate aggregate(const std::vector<std::size_t>& members, std::size_t year,
                        const MineYearValues& values, std::span<const double> area_m2) {
  YearAggregate agg;
  agg.total_mine_nep_GgC_yr = 0;
  agg.total_loss_losing_GgC_yr = agg.total_gain_gaining_GgC_yr = agg.net_change_rel_GgC_yr = 0;
  double sum_s = 0, losing_area = 0;
  bool any_nep = false;
  for (std::size_t mine : members) {
    const MineYearRecord& v = values.of(mine)[year];
    if (std::isfinite(v.nep_mine_gC_m2_yr)) {
      agg.total_mine_nep_GgC_yr += v.nep_mine_gC_m2_yr * area_m2[mine] / kGPerGg;
      any_nep = true;
    }
    const double s = v.nep_change_rel_gC_m2_yr;
    if (!std::isfinite(s)) continue;
    ++agg.n_mines;
    sum_s += s;
    const double h_GgC = s * area_m2[mine] / kGPerGg;
    agg.net_change_rel_GgC_yr += h_GgC;
    if (s < 0) {
      ++agg.n_mines_losing;
      agg.total_loss_losing_GgC_yr += -h_GgC;
      losing_area += area_m2[mine];
    } else {
      agg.total_gain_gaining_GgC_yr += h_GgC;
    }
  }
  // Totals over no valid mine are unknown, not zero: a year of nodata must not enter the totals
  // and the period trends as a loss of everything.
  if (!any_nep) agg.total_mine_nep_GgC_yr = kDamageNaN;
  if (agg.n_mines == 0) {
    agg.total_loss_losing_GgC_yr = agg.total_gain_gaining_GgC_yr = agg.net_change_rel_GgC_yr =
        kDamageNaN;
  } else {
    agg.mean_nep_change_rel_gC_m2_yr = sum_s / agg.n_mines;
    agg.share_mines_losing = static_cast<double>(agg.n_mines_losing) / agg.n_mines;
  }
  if (losing_area > 0)
    agg.loss_per_area_losing_gC_m2_yr = agg.total_loss_losing_GgC_yr * kGPerGg / losing_area;
  return agg;
}

}  // namespace

std::vector<YearAggregate> year_totals(const std::vector<std::size_t>& members,
                                       const MineYearValues& values,
                                       std::span<const double> area_m2,
                                       std::span<const int> years) {
  std::vector<YearAggregate> out;
  for (std::size_t year = 0; year < years.size(); ++year) {
    out.push_back(aggregate(members, year, values, area_m2));
    out.back().year = years[year];
  }
  return out;
}

GroupTables group_tables(const std::vector<YearAggregate>& all_years,
                         const std::vector<std::size_t>& analysed_mines, const GroupKeys& groups,
                         const MineYearValues& values, std::span<const double> area_m2,
                         std::span<const int> years) {
  GroupTables out;
  const std::vector<double> years_d(years.begin(), years.end());
  auto add_trends = [&](const std::string& field, const std::string& group,
                        const std::vector<YearAggregate>& series) {
    std::vector<double> mean_s, net, total;
    for (const auto& a : series) {
      mean_s.push_back(a.mean_nep_change_rel_gC_m2_yr);
      net.push_back(a.net_change_rel_GgC_yr);
      total.push_back(a.total_mine_nep_GgC_yr);
    }
    out.group_trend.push_back(
        {field, group, GroupMetric::mean_nep_change_rel, trend_stats(years_d, mean_s)});
    out.group_trend.push_back(
        {field, group, GroupMetric::net_change_rel, trend_stats(years_d, net)});
    out.group_trend.push_back(
        {field, group, GroupMetric::total_mine_nep, trend_stats(years_d, total)});
  };
  add_trends("all", "all", all_years);
  for (std::size_t g = 0; g < groups.fields.size(); ++g) {
    std::map<std::string, std::vector<std::size_t>> members;
    for (std::size_t mine : analysed_mines)
      members[groups.values[g][mine]].push_back(mine);
    for (const auto& [group, list] : members) {
      const std::vector<YearAggregate> series = year_totals(list, values, area_m2, years);
      for (const auto& totals : series)
        out.group_year.push_back({groups.fields[g], group, totals});
      add_trends(groups.fields[g], group, series);
    }
  }
  return out;
}

std::vector<PeriodRecord> period_records(const std::vector<Period>& periods,
                                         const std::vector<YearAggregate>& year_summary,
                                         int first_year) {
  std::vector<PeriodRecord> out;
  for (const auto& period : periods) {
    for (const GroupMetric metric : {GroupMetric::total_mine_nep, GroupMetric::net_change_rel}) {
      std::vector<double> ys, vs;
      for (int y = period.first_year; y <= period.last_year; ++y) {
        const auto& a = year_summary[static_cast<std::size_t>(y - first_year)];
        ys.push_back(y);
        vs.push_back(metric == GroupMetric::total_mine_nep ? a.total_mine_nep_GgC_yr
                                                           : a.net_change_rel_GgC_yr);
      }
      const stats::OlsFit fit = stats::trend_tests(ys, vs).ols;
      PeriodRecord r;
      r.period = period.label;
      r.first_year = period.first_year;
      r.last_year = period.last_year;
      r.metric = metric;
      r.value_first = vs.front();
      r.value_last = vs.back();
      r.rel_change =
          vs.front() != 0 ? (vs.back() - vs.front()) / std::fabs(vs.front()) : kDamageNaN;
      r.ols_slope_per_yr = fit.slope;
      r.ols_r2 = fit.r2;
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace minecarbon::assess::damage_steps
