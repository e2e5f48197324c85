// The damage stage's work units: how the mines are cut into units whose results do not depend on
// how many processes or threads compute them (issue 16, docs/scale_out.md).
//
//   plan_units   mines, NEP grid           -> Hilbert order, unit cuts, cost-sorted queue
//   unit_sums    one unit's mines          -> their coverages, rings and zonal sums
//   encode_unit / decode_unit               -> the unit's result as bytes (messages, checkpoints)
//
// Units: the mines sorted by the Hilbert key of their centroid on the raster grid (ties by input
// order), cut into runs of `unit_mines`. A unit builds the reference rings of its own mines only:
// the gap zones of its mines and of every mine whose gap zone may reach their rings (a superset
// of the cut candidates of geo/reference_ring.h, found from bounding boxes every process has), so
// each ring gets exactly the cut candidates, in the same order, whichever unit builds it. Every
// per-mine number is then a function of the mine, its candidates and the rasters, and each mine's
// zonal sums are reduced in ascending window order (geo/zonal.h): one unit or 2,000, one process
// or many, the bits are the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "minecarbon/assess/damage/damage_steps.h"
#include "minecarbon/core/distributor.h"

namespace minecarbon::assess::damage_steps {

// Index along the Hilbert curve of order 31 of cell (x, y), x and y < 2³¹ (Skilling's / the
// classic rotate-and-reflect construction). Neighbouring keys are neighbouring cells.
std::uint64_t hilbert_key(std::uint32_t x, std::uint32_t y);

struct UnitPlan {
  std::vector<std::uint64_t> key;  // per mine: Hilbert key of its centroid on the NEP grid
  std::vector<std::size_t> order;  // mines in key order, ties by input order
  std::vector<std::size_t> first;  // unit u holds order[first[u] .. first[u + 1])
  std::vector<double> cost;        // per unit: estimated cells read × years
  std::vector<std::size_t> queue;  // unit ids by cost, largest first (ties: lower id first)
  std::size_t n_units() const { return cost.size(); }
  std::span<const std::size_t> mines(std::size_t unit) const {
    return {order.data() + first[unit], first[unit + 1] - first[unit]};
  }
};
UnitPlan plan_units(const MineGeometry& geometry, const std::vector<bool>& analysed,
                    const geo::RasterSeries& nep, const DamageParams& params,
                    std::size_t unit_mines);

// Mines whose gap zone may reach the ring of a given mine: bounding boxes of the mines grown by
// (more than) gap_m, compared with a reach of (more than) outer_m, in lon/lat buckets.
class RingNeighbours {
 public:
  RingNeighbours(const std::vector<geo::MultiPolygon>& lonlat, const geo::RingParams& ring);
  // The mines of `unit` and every mine whose gap zone may reach their rings, ascending.
  std::vector<std::size_t> around(std::span<const std::size_t> unit) const;

 private:
  std::vector<geo::Bounds> grown_;  // bounds of each mine's gap zone, with margin
  double reach_deg_ = 0, bucket_deg_ = 0;
  std::vector<std::pair<std::int64_t, std::size_t>> buckets_;  // (bucket, mine), sorted
  std::int64_t key(double lon, double lat) const;
};

// One unit's result: for each of its mines (in unit order) the covered areas, whether a
// reference zone was built, and the valid areas and NEP sums of mine and reference every year
// (the reference's sum of squares too).
struct UnitSums {
  std::vector<std::uint64_t> mines;
  std::size_t n_years = 0;
  std::vector<double> mine_covered_m2, ref_covered_m2, has_reference;
  std::vector<double> mine_valid_m2, mine_sum, ref_valid_m2, ref_sum;  // [k * n_years + year]
  // Σ c·a·x² of the reference zone [k * n_years + year]: its area-weighted sd (ZonalSums::sd),
  // which the warning stage's spatial z divides by.
  std::vector<double> ref_sq_sum;
  std::uint64_t hull_outer = 0, reached_by_other_mines = 0, polygon_overlays = 0;
  std::uint64_t gap_zones_built = 0;
  std::vector<double> windows;  // reading windows decoded (ids), for the duplicate-decode share
};

// `polygon_zones`: the user's reference polygons (ReferenceKind::polygons), else null.
UnitSums unit_sums(std::span<const std::size_t> unit, const DamageInputs& inputs,
                   const MineGeometry& geometry, const std::vector<bool>& analysed,
                   const DamageParams& params, const ReferenceZones* polygon_zones,
                   const RingNeighbours* neighbours, const RunContext& context,
                   geo::ZonalReaders* readers = nullptr);

Bytes encode_unit(const UnitSums& sums);
// Throws DataError naming `what` when the bytes are not a unit of `n_years` years.
UnitSums decode_unit(const Bytes& bytes, std::size_t n_years, const std::string& what);

}  // namespace minecarbon::assess::damage_steps
