#include "minecarbon/assess/damage/damage_units.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::assess::damage_steps {
namespace {

// Fewest metres in a degree of latitude, and in a degree of longitude at the equator, on the
// WGS 84 ellipsoid (110,574 m and 111,320 m), rounded down: bounds grown by these are never short.
constexpr double kMinMetresPerDeg = 110000.0;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
// Margin on every grown bound and reach: the buffers' local projection is true to centimetres at
// ring distances, so 2 % is far more than enough to keep the candidate set a superset.
constexpr double kMargin = 1.02;

geo::Bounds grown_bounds(const geo::MultiPolygon& shape, double metres) {
  geo::Bounds b = geo::bounds(shape);
  const double dlat = kMargin * metres / kMinMetresPerDeg;
  const double far_lat = std::min(90.0, std::max(std::fabs(b.y_min), std::fabs(b.y_max)) + dlat);
  const double dlon = dlat / std::max(0.01, std::cos(far_lat * kDegToRad));
  return {b.x_min - dlon, b.y_min - dlat, b.x_max + dlon, b.y_max + dlat};
}

}  // namespace

std::uint64_t hilbert_key(std::uint32_t x, std::uint32_t y) {
  std::uint64_t d = 0;
  for (std::uint32_t s = 1u << 30; s > 0; s >>= 1) {
    const std::uint32_t rx = (x & s) ? 1u : 0u;
    const std::uint32_t ry = (y & s) ? 1u : 0u;
    d += static_cast<std::uint64_t>(s) * s * ((3u * rx) ^ ry);
    if (ry == 0) {  // rotate the quadrant so the curve stays continuous
      if (rx == 1) {
        x = (s - 1) - (x & (s - 1));
        y = (s - 1) - (y & (s - 1));
      }
      std::swap(x, y);
    }
    x &= s - 1;
    y &= s - 1;
  }
  return d;
}

UnitPlan plan_units(const MineGeometry& geometry, const std::vector<bool>& analysed,
                    const geo::RasterSeries& nep, const DamageParams& params,
                    std::size_t unit_mines) {
  if (unit_mines == 0) throw std::invalid_argument("plan_units: unit_mines must be >= 1");
  const std::size_t n = geometry.ids.size();
  UnitPlan plan;
  plan.key.assign(n, ~std::uint64_t{0});
  // Centroid: the centre of the lon/lat bounds, taken to the raster CRS in one call.
  geo::MultiPolygon centres(1);
  std::vector<std::size_t> has_centre;
  std::vector<double> cells(n, 0.0);
  const double cell_m2 = nep.geographic ? 0.0
                                        : std::fabs(nep.grid.dx * nep.grid.dy) *
                                              nep.metres_per_unit * nep.metres_per_unit;
  const double reach_m = params.reference == ReferenceKind::ring ? params.ring.outer_m : 0.0;
  for (std::size_t mine = 0; mine < n; ++mine) {
    if (geometry.lonlat[mine].empty()) continue;
    const geo::Bounds b = geo::bounds(geometry.lonlat[mine]);
    const double lat = 0.5 * (b.y_min + b.y_max);
    centres[0].exterior.push_back({0.5 * (b.x_min + b.x_max), lat});
    has_centre.push_back(mine);
    if (!analysed[mine]) continue;
    // Cells of the box of mine and ring, from its size in metres.
    const double w_m = (b.x_max - b.x_min) * 111320.0 * std::cos(lat * kDegToRad) + 2 * reach_m;
    const double h_m = (b.y_max - b.y_min) * 110574.0 + 2 * reach_m;
    const double cell = cell_m2 > 0 ? cell_m2
                                    : std::fabs(nep.grid.dx * nep.grid.dy) * 111320.0 * 110574.0 *
                                          std::max(0.01, std::cos(lat * kDegToRad));
    cells[mine] = 1.0 + w_m * h_m / cell;
  }
  if (!has_centre.empty()) {
    const geo::CrsTransform to_raster(geo::kWgs84, nep.crs_wkt);
    const geo::MultiPolygon on_grid = to_raster.apply(centres, "mine centroids");
    const auto& pts = on_grid[0].exterior;
    for (std::size_t k = 0; k < has_centre.size(); ++k) {
      auto cell = [](double f) {
        if (!(f > 0)) return std::uint32_t{0};
        return static_cast<std::uint32_t>(std::min(f, double((1u << 31) - 1)));
      };
      plan.key[has_centre[k]] =
          hilbert_key(cell(nep.grid.col_f(pts[k].x)), cell(nep.grid.row_f(pts[k].y)));
    }
  }
  plan.order.resize(n);
  std::iota(plan.order.begin(), plan.order.end(), std::size_t{0});
  std::stable_sort(plan.order.begin(), plan.order.end(),
                   [&](std::size_t a, std::size_t b) { return plan.key[a] < plan.key[b]; });
  for (std::size_t start = 0; start < n; start += unit_mines)
    plan.first.push_back(start);
  plan.first.push_back(n);
  const double years = static_cast<double>(nep.years.size());
  for (std::size_t u = 0; u + 1 < plan.first.size(); ++u) {
    double cost = 0;
    for (std::size_t k = plan.first[u]; k < plan.first[u + 1]; ++k)
      cost += cells[plan.order[k]] * years;
    plan.cost.push_back(cost);
  }
  plan.queue.resize(plan.cost.size());
  std::iota(plan.queue.begin(), plan.queue.end(), std::size_t{0});
  std::stable_sort(plan.queue.begin(), plan.queue.end(),
                   [&](std::size_t a, std::size_t b) { return plan.cost[a] > plan.cost[b]; });
  return plan;
}

RingNeighbours::RingNeighbours(const std::vector<geo::MultiPolygon>& lonlat,
                               const geo::RingParams& ring) {
  grown_.resize(lonlat.size(), geo::Bounds{1, 1, 0, 0});
  reach_deg_ = kMargin * ring.outer_m / kMinMetresPerDeg;
  bucket_deg_ = std::max(0.05, 2.0 * reach_deg_);
  for (std::size_t mine = 0; mine < lonlat.size(); ++mine) {
    if (lonlat[mine].empty()) continue;
    const geo::Bounds& b = grown_[mine] = grown_bounds(lonlat[mine], ring.gap_m);
    for (double lon = std::floor(b.x_min / bucket_deg_); lon <= std::floor(b.x_max / bucket_deg_);
         lon += 1)
      for (double lat = std::floor(b.y_min / bucket_deg_); lat <= std::floor(b.y_max / bucket_deg_);
           lat += 1)
        buckets_.emplace_back(key(lon, lat), mine);
  }
  std::sort(buckets_.begin(), buckets_.end());
}

std::int64_t RingNeighbours::key(double lon_bucket, double lat_bucket) const {
  return (static_cast<std::int64_t>(lon_bucket) << 32) ^
         (static_cast<std::int64_t>(lat_bucket) & 0xffffffff);
}

std::vector<std::size_t> RingNeighbours::around(std::span<const std::size_t> unit) const {
  std::vector<std::size_t> out(unit.begin(), unit.end());
  for (const std::size_t mine : unit) {
    const geo::Bounds& own = grown_[mine];
    if (!(own.x_min <= own.x_max)) continue;  // no geometry
    const double far_lat = std::min(90.0, std::max(std::fabs(own.y_min), std::fabs(own.y_max)));
    const double lon_reach = reach_deg_ / std::max(0.01, std::cos(far_lat * kDegToRad));
    const geo::Bounds box{own.x_min - lon_reach, own.y_min - reach_deg_, own.x_max + lon_reach,
                          own.y_max + reach_deg_};
    for (double lon = std::floor(box.x_min / bucket_deg_);
         lon <= std::floor(box.x_max / bucket_deg_); lon += 1) {
      for (double lat = std::floor(box.y_min / bucket_deg_);
           lat <= std::floor(box.y_max / bucket_deg_); lat += 1) {
        const std::int64_t k = key(lon, lat);
        auto it =
            std::lower_bound(buckets_.begin(), buckets_.end(), std::make_pair(k, std::size_t{0}));
        for (; it != buckets_.end() && it->first == k; ++it) {
          const geo::Bounds& b = grown_[it->second];
          if (b.x_max < box.x_min || b.x_min > box.x_max || b.y_max < box.y_min ||
              b.y_min > box.y_max)
            continue;
          out.push_back(it->second);
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

UnitSums unit_sums(std::span<const std::size_t> unit, const DamageInputs& inputs,
                   const MineGeometry& geometry, const std::vector<bool>& analysed,
                   const DamageParams& params, const ReferenceZones* polygon_zones,
                   const RingNeighbours* neighbours, const RunContext& context,
                   geo::ZonalReaders* readers) {
  const geo::RasterSeries& nep = inputs.nep;
  UnitSums out;
  out.mines.assign(unit.begin(), unit.end());
  out.n_years = nep.years.size();
  // The unit's mines and (with rings) the mines whose gap zones may cut their rings, ascending:
  // the local index space of this unit.
  std::vector<std::size_t> local;
  ReferenceZones zones;
  std::vector<char> in_unit_flag;
  if (params.reference == ReferenceKind::ring) {
    local = neighbours->around(unit);
    std::vector<char> mark(local.size(), 0);
    for (const std::size_t mine : unit)
      mark[static_cast<std::size_t>(std::lower_bound(local.begin(), local.end(), mine) -
                                    local.begin())] = 1;
    std::vector<geo::MultiPolygon> shapes;
    std::vector<std::string> ids;
    std::vector<bool> build_for(local.size());
    for (std::size_t i = 0; i < local.size(); ++i) {
      shapes.push_back(geometry.lonlat[local[i]]);
      ids.push_back(geometry.ids[local[i]]);
      build_for[i] = mark[i] && analysed[local[i]];
    }
    geo::RingSet rings = geo::build_reference_rings(shapes, ids, build_for, params.ring, context);
    zones.zones = std::move(rings.zones);
    zones.gap_zones = std::move(rings.gap_zones);
    zones.rings = true;
    out.hull_outer = rings.hull_outer;
    out.gap_zones_built = local.size();
    in_unit_flag = std::move(mark);
  } else {
    local.assign(unit.begin(), unit.end());
    std::sort(local.begin(), local.end());
    zones.in_raster_crs = true;
    for (const std::size_t mine : local)
      zones.zones.push_back(polygon_zones->zones[mine]);
    in_unit_flag.assign(local.size(), 1);
  }
  std::vector<bool> analysed_local(local.size());
  for (std::size_t i = 0; i < local.size(); ++i)
    analysed_local[i] = in_unit_flag[i] && analysed[local[i]];
  const Coverages cov = coverages(inputs, geometry, local, analysed_local, zones, context);
  out.reached_by_other_mines = cov.reached_by_other_mines;
  out.polygon_overlays = cov.polygon_overlays;

  const std::size_t k_n = unit.size();
  std::vector<std::size_t> at(k_n);
  std::vector<const geo::Coverage*> zone_cov(2 * k_n);
  for (std::size_t k = 0; k < k_n; ++k) {
    at[k] = static_cast<std::size_t>(std::lower_bound(local.begin(), local.end(), unit[k]) -
                                     local.begin());
    zone_cov[k] = &cov.mine[at[k]];
    zone_cov[k_n + k] = &cov.reference[at[k]];
  }
  const std::vector<double> cell_area =
      geo::cell_area_by_row_m2(nep.grid, nep.geographic, nep.metres_per_unit);
  // The reference zones' Σ c·a·x² too, for their area-weighted sd (the warning stage's spatial
  // z); the sums of every zone are those of the plain pass, bit for bit.
  std::vector<char> squares(2 * k_n, 0);
  std::fill(squares.begin() + static_cast<std::ptrdiff_t>(k_n), squares.end(), 1);
  const geo::ZonalSums sums = geo::zonal_sums(zone_cov, cell_area, nep, context, squares, readers);
  const std::size_t ny = out.n_years;
  out.mine_covered_m2.resize(k_n);
  out.ref_covered_m2.resize(k_n);
  out.has_reference.resize(k_n);
  out.mine_valid_m2.resize(k_n * ny);
  out.mine_sum.resize(k_n * ny);
  out.ref_valid_m2.resize(k_n * ny);
  out.ref_sum.resize(k_n * ny);
  out.ref_sq_sum.resize(k_n * ny);
  for (std::size_t k = 0; k < k_n; ++k) {
    out.mine_covered_m2[k] = sums.covered_area_m2[k];
    out.ref_covered_m2[k] = sums.covered_area_m2[k_n + k];
    out.has_reference[k] = zones.zones[at[k]].outer.empty() ? 0.0 : 1.0;
    for (std::size_t y = 0; y < ny; ++y) {
      out.mine_valid_m2[k * ny + y] = sums.valid_area_m2[k * ny + y];
      out.mine_sum[k * ny + y] = sums.weighted_sum[k * ny + y];
      out.ref_valid_m2[k * ny + y] = sums.valid_area_m2[(k_n + k) * ny + y];
      out.ref_sum[k * ny + y] = sums.weighted_sum[(k_n + k) * ny + y];
      out.ref_sq_sum[k * ny + y] = sums.weighted_sq_sum[(k_n + k) * ny + y];
    }
  }
  out.windows.assign(sums.windows_read.begin(), sums.windows_read.end());
  return out;
}

namespace {
// Version 2 carries ref_sq_sum: a version-1 checkpoint is refused, not misread.
constexpr std::uint64_t kUnitMagic = 0x32544e554d474d44ull;  // "DMGMUNT2"
}  // namespace

Bytes encode_unit(const UnitSums& s) {
  ByteWriter w;
  w.u64(kUnitMagic);
  w.u64(s.n_years);
  w.u64(s.mines.size());
  w.raw(s.mines.data(), s.mines.size() * sizeof(std::uint64_t));
  for (const auto* v : {&s.mine_covered_m2, &s.ref_covered_m2, &s.has_reference, &s.mine_valid_m2,
                        &s.mine_sum, &s.ref_valid_m2, &s.ref_sum, &s.ref_sq_sum, &s.windows})
    w.f64s(*v);
  for (const std::uint64_t c :
       {s.hull_outer, s.reached_by_other_mines, s.polygon_overlays, s.gap_zones_built})
    w.u64(c);
  return w.bytes;
}

UnitSums decode_unit(const Bytes& bytes, std::size_t n_years, const std::string& what) {
  ByteReader r(bytes, what);
  if (r.u64() != kUnitMagic) throw DataError(what + ": not a damage unit result");
  UnitSums s;
  s.n_years = r.u64();
  if (s.n_years != n_years)
    throw DataError(what + ": a unit of " + std::to_string(s.n_years) + " years, expected " +
                    std::to_string(n_years));
  s.mines.resize(r.u64());
  r.raw(s.mines.data(), s.mines.size() * sizeof(std::uint64_t));
  for (auto* v : {&s.mine_covered_m2, &s.ref_covered_m2, &s.has_reference, &s.mine_valid_m2,
                  &s.mine_sum, &s.ref_valid_m2, &s.ref_sum, &s.ref_sq_sum, &s.windows})
    *v = r.f64s();
  s.hull_outer = r.u64();
  s.reached_by_other_mines = r.u64();
  s.polygon_overlays = r.u64();
  s.gap_zones_built = r.u64();
  const std::size_t k = s.mines.size();
  if (s.mine_covered_m2.size() != k || s.ref_covered_m2.size() != k ||
      s.has_reference.size() != k || s.mine_valid_m2.size() != k * n_years ||
      s.mine_sum.size() != k * n_years || s.ref_valid_m2.size() != k * n_years ||
      s.ref_sum.size() != k * n_years || s.ref_sq_sum.size() != k * n_years || !r.done())
    throw DataError(what + ": the arrays do not match its " + std::to_string(k) + " mines");
  return s;
}

}  // namespace minecarbon::assess::damage_steps
