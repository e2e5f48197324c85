// Reference rings: the undisturbed surroundings a mine is compared with.
//
// ring_i = { p : d(p, mine_i) ≤ outer_m }  \  ⋃_j { p : d(p, mine_j) ≤ gap_m }   (j over all mines)
//
// i.e. the points within `outer_m` of the mine and farther than `gap_m` from every mine polygon,
// its own included (other mines are not undisturbed). Distances are metres on the WGS84
// ellipsoid: each mine is buffered in an azimuthal equidistant projection centred on it (PROJ
// `aeqd`), where distances from the centre are exact and distances within the ~10 km of a ring are
// true to better than 1e-6 relative. Buffers are GEOS buffers whose arcs have `quad_segs` segments
// per quarter circle (8: the outer edge is at most outer_m·(1 − cos(π/32)) ≈ 0.5 % inside the
// true circle, 24 m at 5 km). The outer buffer is taken as buffer(buffer(mine, gap), outer − gap),
// the same set as buffer(mine, outer) by the additivity of Minkowski sums, and half the cost.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/geo/polygon.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::geo {

struct RingParams {
  double outer_m = 5000.0;  // reference ring: within this distance of the mine (m)
  double gap_m = 500.0;     // and farther than this from every mine (m); < outer_m
  int quad_segs = 8;        // segments per quarter circle of the buffers
};

struct RingSet {
  std::vector<MultiPolygon> rings;  // one per mine, lon/lat; empty when not built
  std::size_t hull_outer = 0;       // outer buffers taken from the convex hull (see the .cpp)
  std::size_t with_neighbours = 0;  // rings cut by other mines' gap zones
};

// mines_lonlat: every mine of the study (those filtered out still exclude their surroundings).
// build_for: which mines need a ring. Returns one shape per mine (empty when not built or when
// nothing is left). Throws DataError for a buffer GEOS cannot compute, naming the mine id.
RingSet build_reference_rings(const std::vector<MultiPolygon>& mines_lonlat,
                              const std::vector<std::string>& ids,
                              const std::vector<bool>& build_for, const RingParams& params,
                              const RunContext& context);

}  // namespace minecarbon::geo
