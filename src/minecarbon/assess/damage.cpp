#include "minecarbon/assess/damage.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

#include "minecarbon/assess/damage/damage_steps.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

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

}  // namespace

DamageResult run_damage(const DamageParams& params, const DamageInputs& inputs,
                        const RunContext& context) {
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

  const steps::ReferenceZones reference =
      steps::reference_zones(params, inputs, geometry, analysed, context);
  result.warnings.append(reference.warnings);
  end_phase("reference_zones");
  const steps::Coverages coverages =
      steps::coverages(inputs, geometry, analysed, reference, context);
  end_phase("coverage");
  const geo::ZonalSums sums = steps::zonal_pass(coverages, nep, context);
  end_phase("zonal_statistics");

  steps::MineYearValues values =
      steps::mine_year_values(sums, analysed, geometry.area_m2, nep.years, base_idx);
  const std::vector<MineStatus> status = steps::mine_statuses(sums, reference, values, base_idx);
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
  if (reference.rings) {
    js["rings"] = {{"outer_from_convex_hull", reference.hull_outer},
                   {"reached_by_other_mines", coverages.reached_by_other_mines},
                   {"polygon_overlays", coverages.polygon_overlays}};
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
  end_phase("tables");
  js["phase_seconds"] = phase_seconds;
  js["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace minecarbon::assess
