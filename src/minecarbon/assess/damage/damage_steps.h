// The steps of the damage stage (run_damage in assess/damage.cpp calls them in this order). Each
// takes what it reads as arguments and returns what it makes; none shares state with another.
//
//   group_keys        layer (+ M49)                 -> group key per mine and field, warnings
//   mine_geometry     layer                         -> ids, lon/lat shapes, geodesic areas
//   select_analysed   areas, min_area_km2           -> which mines are analysed
//   reference_zones   lon/lat shapes (or polygons)  -> ring or polygon per mine, gap zones
//   coverages         mines, zones, NEP grid        -> cell coverage of every mine and zone
//   zonal_pass        coverages, NEP series         -> covered and valid areas, weighted sums
//   mine_year_values  zonal sums, areas, base year  -> Q, O, P, W, S, H per mine and year
//   mine_statuses     zonal sums, zones, values     -> MineStatus per mine
//   mine_records      all of the above              -> one MineRecord per mine, with trends
//   year_totals       values, areas, members        -> YearAggregate per year
//   group_tables      values, group keys            -> group_year and group_trend records
//   period_records    year summary, periods         -> PeriodRecord per period and metric
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "minecarbon/assess/damage.h"
#include "minecarbon/assess/damage/damage_records.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/geo/reference_ring.h"
#include "minecarbon/geo/zonal.h"

namespace minecarbon::assess::damage_steps {

// Trend statistics of one yearly series (stats::trend_tests); a series without variation beyond
// the rounding of `operand_scale` (stats::has_variation) gets slopes 0 and NaN r², tau, z, p.
TrendStats trend_stats(std::span<const double> years, std::span<const double> values,
                       double operand_scale = 0.0);

struct GroupKeys {
  std::vector<std::string> fields;               // params.group_by
  std::vector<std::vector<std::string>> values;  // [field][mine]
  ProblemList warnings;                          // unknown_iso3
};
GroupKeys group_keys(const DamageParams& params, const DamageInputs& inputs);

// The ids, lon/lat shapes and geodesic areas of the layer's mines (assess::MineGeometry).
MineGeometry mine_geometry(const geo::PolygonLayer& layer, const RunContext& context);

std::vector<bool> select_analysed(std::span<const double> area_m2, double min_area_km2);

struct ReferenceZones {
  std::vector<geo::ReferenceZone> zones;  // one per mine; rings in lon/lat
  std::vector<geo::MultiPolygon> gap_zones;
  bool in_raster_crs = false;  // user polygons are transformed straight to the raster CRS
  bool rings = false;
  std::size_t hull_outer = 0;
  ProblemList warnings;  // no_reference_polygon
};
ReferenceZones reference_zones(const DamageParams& params, const DamageInputs& inputs,
                               const MineGeometry& geometry, const std::vector<bool>& analysed,
                               const RunContext& context);

// The coverage of every analysed mine and of its reference zone on the NEP grid (rings cut by
// the gap zones of every mine they reach), computed once for all years.
struct Coverages {
  std::vector<geo::Coverage> mine, reference;  // one per mine; empty when not analysed
  std::size_t reached_by_other_mines = 0;
  std::size_t polygon_overlays = 0;
};
Coverages coverages(const DamageInputs& inputs, const MineGeometry& geometry,
                    const std::vector<bool>& analysed, const ReferenceZones& reference,
                    const RunContext& context);

// Covered and valid areas and NEP sums of every zone and year; zones 0..n−1 are the mines,
// n..2n−1 their reference zones (with Σ c·a·x², so ZonalSums::sd gives their spread).
geo::ZonalSums zonal_pass(const Coverages& coverages, const geo::RasterSeries& nep,
                          const RunContext& context);

// Per analysed mine (in mine order) n_years consecutive records.
struct MineYearValues {
  std::vector<MineYearRecord> rows;
  std::vector<std::size_t> first_row;  // per mine; npos when not analysed
  std::size_t n_years = 0;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const MineYearRecord* of(std::size_t mine) const {
    return first_row[mine] == npos ? nullptr : &rows[first_row[mine]];
  }
};
MineYearValues mine_year_values(const geo::ZonalSums& sums, const std::vector<bool>& analysed,
                                std::span<const double> area_m2, std::span<const int> years,
                                std::size_t base_idx);

std::vector<MineStatus> mine_statuses(const geo::ZonalSums& sums, const ReferenceZones& reference,
                                      const MineYearValues& values, std::size_t base_idx);

// The attribute columns of the mines table: the layer's fields that some mine has (a name the
// stage uses itself gets a "src_" prefix), then the group_by keys not already among them.
struct AttributeColumns {
  std::vector<std::string> names;
  std::vector<std::string> layer_fields;  // the layer field of each name; "" for a group key
  std::vector<std::size_t> group_index;   // the group key of each name (when not a layer field)
};
AttributeColumns attribute_columns(const geo::PolygonLayer& layer, const GroupKeys& groups);

std::vector<MineRecord> mine_records(const geo::PolygonLayer& layer, const MineGeometry& geometry,
                                     const std::vector<MineStatus>& status,
                                     const geo::ZonalSums& sums, const MineYearValues& values,
                                     std::span<const int> years, std::size_t base_idx,
                                     const AttributeColumns& attributes, const GroupKeys& groups);

// Totals of `members` (analysed mines) in every year.
std::vector<YearAggregate> year_totals(const std::vector<std::size_t>& members,
                                       const MineYearValues& values,
                                       std::span<const double> area_m2, std::span<const int> years);

struct GroupTables {
  std::vector<GroupYearRecord> group_year;
  std::vector<GroupTrendRecord> group_trend;
};
// The trends of the whole set ("all") first, then per group field and value (sorted).
GroupTables group_tables(const std::vector<YearAggregate>& all_years,
                         const std::vector<std::size_t>& analysed_mines, const GroupKeys& groups,
                         const MineYearValues& values, std::span<const double> area_m2,
                         std::span<const int> years);

std::vector<PeriodRecord> period_records(const std::vector<Period>& periods,
                                         const std::vector<YearAggregate>& year_summary,
                                         int first_year);

}  // namespace minecarbon::assess::damage_steps
