// The damage stage: how much net ecosystem productivity (NEP) each mine lost against the
// undisturbed ecosystem around it, year by year (Chen Fu et al. 2025, J. China Coal Society
// 50(6):2789, eqs 1–4).
//
//   Q_t  mean NEP per unit area inside mine i in year t      (gC m⁻² yr⁻¹; coverage × true-area
//   O_t  the same over its reference ecosystem                 weighted, nodata excluded)
//   P_t = Q_t − Q_base,  W_t = O_t − O_base                      (eqs 1–2)
//   S_t = P_t − W_t      nep_change_rel_gC_m2_yr: < 0 = the mine lost NEP relative to its reference
//   loss_t = −S_t        nep_loss_gC_m2_yr: the paper's plotted "reduction", > 0 = loss
//   H_t = S_t · U        U = geodesic mine area (m²); reported in Mg C/yr and Gg C/yr (eq 4)
//
// A mine is reported, never dropped: those below min_area_km2, outside the rasters, without valid
// reference cells or without data in the base year carry a `status` saying so and NaN values.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/damage/damage_records.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/distributor.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/problems.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/raster_series.h"
#include "minecarbon/geo/reference_ring.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

struct Period {
  std::string label;  // "2000-2006"
  int first_year = 0;
  int last_year = 0;
};

// "2000-2020" (or "2000") as a period; throws std::invalid_argument with the expected form.
Period parse_period(const std::string& text);
// The codec of year ranges and periods in option tables.
OptionCodec<Period> period_codec();

enum class ReferenceKind { ring, polygons };

struct DamageParams {
  // Base year of eqs 1–2; 0 = the first year of the series.
  int base_year = 0;
  // Mines smaller than this (geodesic area, km²) are reported but not analysed; 1.0 is the
  // paper's threshold (500 m cells make smaller mines mostly edge); 0 disables the filter.
  double min_area_km2 = 1.0;
  ReferenceKind reference = ReferenceKind::ring;
  geo::RingParams ring;
  // Attributes to aggregate by: fields of the mine layer, or the UN M49 columns `continent`,
  // `region`, `sub_region`, `intermediate_region` joined through `iso3_field`.
  std::vector<std::string> group_by;
  // Field with ISO 3166-1 alpha-3 codes; empty = the first of ISO3_CODE, iso3, ISO3, ISO_A3,
  // iso_a3.
  std::string iso3_field;
  std::vector<Period> periods;
  // The largest ring_outer_m accepted (m): memory and time grow with the ring area, and 1e8 m
  // once took 13 GB. Raise it knowingly.
  double ring_outer_limit_m = 50000.0;

  // Every option above, declared once (key, unit, default, range, doc): core/options.h.
  static const OptionTable<DamageParams>& options();
  // Every range and cross-field rule; throws OptionError naming the key. The rules that need the
  // data (base_year and periods within the years of the series) are checked by
  // check_against_years().
  void validate() const;
  void check_against_years(int first_year, int last_year) const;
};

// What every stage measuring mines needs of their geometry, computed once per mine layer
// (pipeline::MineSet shares it between stages): the ids, the shapes in lon/lat (WGS 84) and the
// geodesic areas on the WGS 84 ellipsoid, in layer order.
struct MineGeometry {
  std::vector<std::string> ids;
  std::vector<geo::MultiPolygon> lonlat;
  std::vector<double> area_m2;
};

struct DamageInputs {
  // Shared, not copied: the layer may be read once for several stages (pipeline::MineSet).
  std::shared_ptr<const geo::PolygonLayer> mines;
  // The layer's geometry when already computed (it must be of `mines`); null = computed here.
  std::shared_ptr<const MineGeometry> mine_geometry;
  geo::RasterSeries nep;
  std::optional<geo::PolygonLayer> reference_polygons;  // with ReferenceKind::polygons
  std::optional<CsvText> m49;                           // needed when grouping by M49 columns
};

// What run_damage computed, as typed records (assess/damage/damage_records.h). The published
// tables are made from these by to_tables() (assess/damage/damage_tables.h).
struct DamageResult {
  std::vector<int> years;  // of the series, consecutive
  int base_year = 0;
  // Names of the layer attributes and group keys every MineRecord::attributes carries.
  std::vector<std::string> mine_attribute_names;
  std::vector<MineRecord> mines;            // one per input mine, same order as the layer
  std::vector<MineYearRecord> mine_years;   // analysed mines only, by mine then year
  std::vector<YearAggregate> year_summary;  // all analysed mines, one per year
  std::vector<GroupYearRecord> group_year;
  std::vector<GroupTrendRecord> group_trend;
  std::vector<PeriodRecord> periods;
  ProblemList warnings;     // codes: unknown_iso3, reference_polygon_missing, <mine status>,
                            // nodata_year, repaired_geometry
  nlohmann::json summary;   // parameters used, counts; warnings are added when published
  bool units_only = false;  // a worker rank's or a tile's result: no records (run_damage)
  // The mine layer measured (shared, not copied): the geometry later stages of a run draw their
  // per-mine layers with (the warning stage's `warning` layer).
  std::shared_ptr<const geo::PolygonLayer> mine_layer;
};

// How run_damage runs its work units (assess/damage/damage_units.h). Nothing here changes a
// number of the results: the units are cut from the data alone, and every mine's numbers are
// the same bits whichever process computes its unit, or whether a checkpoint gives it.
struct DamageExecution {
  std::size_t unit_mines = 256;        // mines per work unit
  Distributor* distributor = nullptr;  // null = this process alone
  // Checkpoints (rank 0 only): a unit's stored result, or nullopt to compute it; and where a
  // computed unit's result goes.
  std::function<std::optional<Bytes>(std::size_t unit)> load_unit;
  std::function<void(std::size_t unit, const Bytes& result)> save_unit;
  // --tile i/N: compute only units u with u mod N = i (saved through save_unit), then return
  // without tables (result.summary says which units).
  int tile_index = -1, tile_count = 0;
  // minecarbon merge: every unit must come from load_unit; the missing ones are listed.
  bool merge_only = false;
};

// On a rank other than 0, and with a tile, the result holds no records: only the summary says
// what was computed (`units_only` is true).
DamageResult run_damage(const DamageParams& params, const DamageInputs& inputs,
                        const RunContext& context, const DamageExecution& execution = {});

}  // namespace minecarbon::assess
