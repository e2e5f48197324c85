#include "minecarbon/assess/damage.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include "minecarbon/assess/damage/damage_steps.h"
#include "minecarbon/assess/damage/damage_units.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

namespace steps = damage_steps;

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
  return "lon " + format_plain(x_min) + " to " + format_plain(x_max) + ", lat " +
         format_plain(y_min) + " to " + format_plain(y_max);
}

// What the units gave, assembled in mine order on rank 0.
struct UnitRun {
  bool complete = false;  // false on worker ranks and for a tile
  geo::ZonalSums sums;    // zones 0..n-1 the mines, n..2n-1 their reference zones
  std::vector<char> has_reference;
  std::size_t hull_outer = 0, reached_by_other_mines = 0, polygon_overlays = 0;
  nlohmann::json summary;  // the "distribution" part of summary.json (run-dependent)
  nlohmann::json clock;    // clock readings, put under timing.phase_seconds
};

// "unit 7 (mines a … b, 16 mines)": where an error happened, for the message.
std::string unit_text(const steps::UnitPlan& plan, const MineGeometry& geometry, std::size_t u) {
  const auto mines = plan.mines(u);
  std::string text = "unit " + std::to_string(u);
  if (mines.empty()) return text;
  return text + " (mine ids " + geometry.ids[mines.front()] + " … " + geometry.ids[mines.back()] +
         " in Hilbert order, " + std::to_string(mines.size()) + " mines)";
}

UnitRun run_units(const steps::UnitPlan& plan, const DamageParams& params,
                  const DamageInputs& inputs, const MineGeometry& geometry,
                  const std::vector<bool>& analysed, const steps::ReferenceZones& polygon_zones,
                  const steps::RingNeighbours* neighbours, const DamageExecution& execution,
                  const RunContext& context) {
  const std::unique_ptr<Distributor> serial = make_serial_distributor();
  const bool tile = execution.tile_count > 0;
  Distributor& dist = execution.distributor && !tile ? *execution.distributor : *serial;
  const std::size_t n_units = plan.n_units();
  const std::size_t n_years = inputs.nep.years.size();
  // Units read from checkpoints (rank 0), and the queue of those still to compute.
  std::vector<std::optional<steps::UnitSums>> units(n_units);
  std::vector<int> computed_by(n_units, -1);
  std::vector<std::size_t> queue, missing;
  for (const std::size_t u : plan.queue) {
    if (tile && static_cast<int>(u % static_cast<std::size_t>(execution.tile_count)) !=
                    execution.tile_index)
      continue;
    if (dist.root() && execution.load_unit) {
      if (std::optional<Bytes> bytes = execution.load_unit(u)) {
        units[u] = steps::decode_unit(*bytes, n_years, "checkpoint of unit " + std::to_string(u));
        continue;
      }
    }
    if (execution.merge_only) missing.push_back(u);
    queue.push_back(u);
  }
  if (!missing.empty()) {
    std::sort(missing.begin(), missing.end());
    std::string list;
    for (std::size_t k = 0; k < missing.size() && k < 50; ++k)
      list += (k ? ", " : "") + std::to_string(missing[k]);
    if (missing.size() > 50) list += ", …";
    throw ConfigError("merge: " + std::to_string(missing.size()) + " of " +
                      std::to_string(n_units) + " units have no checkpoint: " + list +
                      "; run the tiles that compute them (unit u belongs to tile u mod N) and "
                      "merge again");
  }
  RunContext unit_context = context;
  unit_context.quiet = true;  // one line per unit below, not the steps' progress bars
  geo::ZonalReaders readers;
  std::size_t done = 0;
  const std::size_t to_do = queue.size();
  double busy_seconds = 0;  // this rank's
  std::size_t units_here = 0;
  std::vector<double> unit_seconds(n_units, -1.0);  // of the units this rank computed
  const Distributor::Work work = [&](std::size_t u) {
    const auto started = std::chrono::steady_clock::now();
    struct Clock {  // counts the unit's time even when it fails
      std::chrono::steady_clock::time_point t0;
      double& total;
      double& unit;
      ~Clock() {
        unit = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        total += unit;
      }
    } clock{started, busy_seconds, unit_seconds[u]};
    ++units_here;
    try {
      const steps::UnitSums sums =
          steps::unit_sums(plan.mines(u), inputs, geometry, analysed, params, &polygon_zones,
                           neighbours, unit_context, &readers);
      return steps::encode_unit(sums);
    } catch (const DataError& e) {
      throw DataError(unit_text(plan, geometry, u) + ": " + e.what());
    } catch (const ConfigError& e) {
      throw ConfigError(unit_text(plan, geometry, u) + ": " + e.what());
    }
  };
  const Distributor::Store store = [&](std::size_t u, Bytes&& bytes, int rank) {
    if (execution.save_unit) execution.save_unit(u, bytes);
    units[u] = steps::decode_unit(bytes, n_years, "result of unit " + std::to_string(u));
    computed_by[u] = rank;
    ++done;
    if (!context.quiet && (done == to_do || done % 16 == 0))
      context.say("damage: " + std::to_string(done) + " of " + std::to_string(to_do) +
                  " units computed");
  };
  // The hang guard names a slow unit by its mines (core/distributor.h).
  struct UnitNames {
    Distributor& dist;
    ~UnitNames() { dist.set_unit_names(nullptr); }
  } names{dist};
  dist.set_unit_names([&](std::size_t u) { return unit_text(plan, geometry, u); });
  dist.run_queue(queue, work, store);
  ByteWriter mine;
  mine.u64(units_here);
  mine.f64(busy_seconds);
  const std::vector<Bytes> per_rank = dist.gather(mine.bytes);

  UnitRun out;
  nlohmann::json& js = out.summary;
  js["kind"] = tile ? "tile" : dist.kind();
  js["ranks"] = dist.size();
  js["threads_per_rank"] = context.threads;
  js["units"] = n_units;
  js["unit_mines"] = execution.unit_mines;
  js["units_computed"] = queue.size();
  js["units_from_checkpoint"] =
      std::count_if(units.begin(), units.end(), [&](const auto& u) { return u.has_value(); }) -
      static_cast<std::ptrdiff_t>(dist.root() ? queue.size() : 0);
  std::vector<std::size_t> computed_ids;
  for (std::size_t u = 0; u < n_units; ++u)
    if (computed_by[u] >= 0) computed_ids.push_back(u);
  js["computed_unit_ids"] = computed_ids;
  if (tile)
    js["tile"] = std::to_string(execution.tile_index) + "/" + std::to_string(execution.tile_count);
  if (!dist.root() || tile) return out;

  // Per rank: units computed; their busy seconds are clock readings and go under timing (with
  // phase_seconds), so that outside `timing` a rerun's summary is the same.
  js["per_rank"] = nlohmann::json::array();
  nlohmann::json busy = nlohmann::json::array();
  for (std::size_t r = 0; r < per_rank.size(); ++r) {
    ByteReader reader(per_rank[r], "statistics of rank " + std::to_string(r));
    const std::uint64_t n_here = reader.u64();
    js["per_rank"].push_back({{"rank", r}, {"units", n_here}});
    busy.push_back(reader.f64());
  }
  out.clock["rank_busy_seconds"] = busy;
  js["queue"] = plan.queue;
  // Seconds of each unit rank 0 computed (all of them in one process): the costs that
  // bench/scaleout_model.py schedules; with the estimated costs the queue was sorted by.
  out.clock["unit_seconds"] = nlohmann::json::object();
  for (std::size_t u = 0; u < n_units; ++u)
    if (unit_seconds[u] >= 0) out.clock["unit_seconds"][std::to_string(u)] = unit_seconds[u];
  js["unit_cost_estimate"] = plan.cost;

  // Assemble, mine by mine (each mine is in exactly one unit).
  const std::size_t n = geometry.ids.size();
  geo::ZonalSums& sums = out.sums;
  sums.n_zones = 2 * n;
  sums.n_years = n_years;
  sums.valid_area_m2.assign(2 * n * n_years, 0.0);
  sums.weighted_sum.assign(2 * n * n_years, 0.0);
  sums.covered_area_m2.assign(2 * n, 0.0);
  // Σ c·a·x² of the reference zones (n..2n−1) only, as the units computed them.
  sums.weighted_sq_sum.assign(2 * n * n_years, 0.0);
  sums.squared.assign(2 * n, 0);
  std::fill(sums.squared.begin() + static_cast<std::ptrdiff_t>(n), sums.squared.end(), 1);
  out.has_reference.assign(n, 0);
  std::size_t windows_total = 0, gap_zones = 0;
  std::vector<double> windows_all;
  for (std::size_t u = 0; u < n_units; ++u) {
    const steps::UnitSums& s = *units[u];
    const auto expected = plan.mines(u);
    if (s.mines.size() != expected.size() ||
        !std::equal(expected.begin(), expected.end(), s.mines.begin()))
      throw DataError("unit " + std::to_string(u) +
                      ": its stored result is of other mines than this run's unit (a checkpoint "
                      "of a different mine layer or unit_mines?)");
    for (std::size_t k = 0; k < s.mines.size(); ++k) {
      const std::size_t mine = expected[k];
      sums.covered_area_m2[mine] = s.mine_covered_m2[k];
      sums.covered_area_m2[n + mine] = s.ref_covered_m2[k];
      out.has_reference[mine] = s.has_reference[k] != 0.0;
      for (std::size_t y = 0; y < n_years; ++y) {
        sums.valid_area_m2[mine * n_years + y] = s.mine_valid_m2[k * n_years + y];
        sums.weighted_sum[mine * n_years + y] = s.mine_sum[k * n_years + y];
        sums.valid_area_m2[(n + mine) * n_years + y] = s.ref_valid_m2[k * n_years + y];
        sums.weighted_sum[(n + mine) * n_years + y] = s.ref_sum[k * n_years + y];
        sums.weighted_sq_sum[(n + mine) * n_years + y] = s.ref_sq_sum[k * n_years + y];
      }
    }
    out.hull_outer += s.hull_outer;
    out.reached_by_other_mines += s.reached_by_other_mines;
    out.polygon_overlays += s.polygon_overlays;
    windows_total += s.windows.size();
    gap_zones += s.gap_zones_built;
    windows_all.insert(windows_all.end(), s.windows.begin(), s.windows.end());
  }
  std::sort(windows_all.begin(), windows_all.end());
  const auto distinct = static_cast<std::size_t>(
      std::unique(windows_all.begin(), windows_all.end()) - windows_all.begin());
  js["windows_decoded"] = windows_total;
  js["windows_distinct"] = distinct;
  js["duplicate_decode_share"] =
      windows_total ? static_cast<double>(windows_total - distinct) / windows_total : 0.0;
  if (params.reference == ReferenceKind::ring)
    js["gap_zones_built_per_mine"] = n ? static_cast<double>(gap_zones) / n : 0.0;
  out.complete = true;
  return out;
}

}  // namespace

DamageResult run_damage(const DamageParams& params, const DamageInputs& inputs,
                        const RunContext& context, const DamageExecution& execution) {
  namespace steps = damage_steps;
  const auto started = std::chrono::steady_clock::now();
  // Wall seconds per phase, reported in the summary so users see where a long run goes.
  nlohmann::json phase_seconds;
  auto phase_start = started;
  auto end_phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    phase_seconds[name] = std::chrono::duration<double>(now - phase_start).count();
    phase_start = now;
  };
  if (!inputs.mines) throw std::invalid_argument("run_damage: DamageInputs::mines is not set");
  const geo::PolygonLayer& layer = *inputs.mines;
  const geo::RasterSeries& nep = inputs.nep;
  const std::size_t n_mines = layer.features.size();
  const std::size_t n_years = nep.years.size();
  // A library caller gets the same checks as the command line, before any work.
  params.validate();
  params.check_against_years(nep.years.front(), nep.years.back());
  DamageResult result;
  result.years = nep.years;
  result.base_year = params.base_year == 0 ? nep.years.front() : params.base_year;
  const std::size_t base_idx = static_cast<std::size_t>(result.base_year - nep.years.front());

  // Group keys, checked before any heavy work.
  const steps::GroupKeys groups = steps::group_keys(params, inputs);
  result.warnings.append(groups.warnings);

  context.say("damage: " + std::to_string(n_mines) + " mines, " + std::to_string(n_years) +
              " years " + std::to_string(nep.years.front()) + "-" +
              std::to_string(nep.years.back()));
  const std::shared_ptr<const MineGeometry> geometry_ptr =
      inputs.mine_geometry
          ? inputs.mine_geometry
          : std::make_shared<const MineGeometry>(steps::mine_geometry(layer, context));
  if (geometry_ptr->ids.size() != n_mines)
    throw std::invalid_argument("run_damage: mine_geometry is not of the mine layer");
  const MineGeometry& geometry = *geometry_ptr;
  end_phase("geometry_and_areas");
  const std::vector<bool> analysed = steps::select_analysed(geometry.area_m2, params.min_area_km2);
  const auto below_min_area = std::count(analysed.begin(), analysed.end(), false);
  context.say("damage: " + std::to_string(below_min_area) + " of " + std::to_string(n_mines) +
              " mines are below min_area_km2 = " + std::to_string(params.min_area_km2) +
              " and are reported without analysis");

  // User reference polygons are matched here once; rings are built unit by unit.
  steps::ReferenceZones polygon_zones;
  std::optional<steps::RingNeighbours> neighbours;
  if (params.reference == ReferenceKind::polygons) {
    polygon_zones = steps::reference_zones(params, inputs, geometry, analysed, context);
    result.warnings.append(polygon_zones.warnings);
  } else {
    neighbours.emplace(geometry.lonlat, params.ring);
  }
  const steps::UnitPlan plan =
      steps::plan_units(geometry, analysed, nep, params, execution.unit_mines);
  end_phase("unit_plan");
  const UnitRun run = run_units(plan, params, inputs, geometry, analysed, polygon_zones,
                                neighbours ? &*neighbours : nullptr, execution, context);
  end_phase("units");
  if (!run.complete) {
    result.units_only = true;
    result.summary = run.summary;
    return result;
  }
  const geo::ZonalSums& sums = run.sums;
  steps::MineYearValues values =
      steps::mine_year_values(sums, analysed, geometry.area_m2, nep.years, base_idx);
  const std::vector<MineStatus> status =
      steps::mine_statuses(sums, run.has_reference, values, base_idx);
  std::map<std::string, int> status_counts;
  for (const MineStatus s : status)
    ++status_counts[std::string(kMineStatusNames.name(s))];
  const auto n_analysed = static_cast<std::ptrdiff_t>(n_mines) - below_min_area;
  if (n_analysed > 0 &&
      std::count(status.begin(), status.end(), MineStatus::outside_raster) == n_analysed) {
    throw DataError("damage: no mine overlaps the NEP rasters: the mines span " +
                    lonlat_extent(geometry.lonlat) + " (lon/lat), the rasters " +
                    nep.grid.describe() +
                    " in their own CRS; check that both cover the same "
                    "region (and the layer's CRS)");
  }
  for (const auto& [name, count] : status_counts) {
    if (name != "ok" && name != "below_min_area")
      result.warnings.add(name, std::to_string(count) + " mines with status " + name);
  }

  const steps::AttributeColumns attributes = steps::attribute_columns(layer, groups);
  result.mine_attribute_names = attributes.names;
  result.mines = steps::mine_records(layer, geometry, status, sums, values, nep.years, base_idx,
                                     attributes, groups);

  std::vector<std::size_t> all_mines;
  for (std::size_t mine = 0; mine < n_mines; ++mine)
    if (analysed[mine]) all_mines.push_back(mine);
  result.year_summary = steps::year_totals(all_mines, values, geometry.area_m2, nep.years);
  for (const YearAggregate& year : result.year_summary) {
    if (year.n_mines == 0 && !all_mines.empty())
      result.warnings.add("nodata_year",
                          "year " + std::to_string(year.year) +
                              ": no analysed mine has valid data; its totals are NA");
  }
  steps::GroupTables group = steps::group_tables(result.year_summary, all_mines, groups, values,
                                                 geometry.area_m2, nep.years);
  result.group_year = std::move(group.group_year);
  result.group_trend = std::move(group.group_trend);
  result.periods = steps::period_records(params.periods, result.year_summary, nep.years.front());
  result.mine_years = std::move(values.rows);  // last use of values
  result.mine_layer = inputs.mines;

  // Summary.
  nlohmann::json& js = result.summary;
  js["stage"] = "damage";
  if (params.reference == ReferenceKind::ring) {
    js["rings"] = {{"outer_from_convex_hull", run.hull_outer},
                   {"reached_by_other_mines", run.reached_by_other_mines},
                   {"polygon_overlays", run.polygon_overlays}};
  }
  js["parameters"] = {{"base_year", result.base_year},
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
    result.warnings.add("repaired_geometry",
                        std::to_string(layer.repaired_ids.size()) +
                            " invalid mine polygons were repaired with GEOS MakeValid (ids in "
                            "summary.json: repaired_ids)");
  }
  const YearAggregate& last = result.year_summary.back();
  js["last_year"] = {{"year", nep.years.back()},
                     {"mines_losing", last.n_mines_losing},
                     {"total_loss_losing_GgC_yr", last.total_loss_losing_GgC_yr},
                     {"net_change_rel_GgC_yr", last.net_change_rel_GgC_yr}};
  js["distribution"] = run.summary;
  end_phase("tables");
  for (const auto& [key, value] : run.clock.items())
    phase_seconds[key] = value;
  js["phase_seconds"] = phase_seconds;
  js["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minecarbon::assess
