// Reference rings: the undisturbed surroundings a mine is compared with.
//
// ring_i = { p : d(p, mine_i) ≤ outer_m }  \  ⋃_j { p : d(p, mine_j) ≤ gap_m }   (j over all mines)
//
// i.e. the points within `outer_m` of the mine and farther than `gap_m` from every mine polygon,
// its own included (other mines are not undisturbed). Distances are metres on the WGS84
// ellipsoid: each mine is buffered in an azimuthal equidistant projection centred on it (PROJ
// `aeqd +guam`), where distances within the ~10 km of a ring are true to centimetres.
//
// Accuracy: buffers are GEOS buffers whose arcs have `quad_segs` segments per quarter circle,
// inscribed, so an edge at distance d lies up to the sagitta d·(1 − cos(π/(4·quad_segs))) inside
// the true distance (8 segments: 0.48 %, 2.4 m for the 500 m gap). The outer buffer is
// buffer(gap zone, outer − gap) — the same set as buffer(mine, outer), Minkowski sums add — and,
// where the gap zone's pockets are narrow enough, the buffer of its convex hull, which may
// overshoot by at most the same sagitta (see outer_buffer in the .cpp): the outer edge is within
// ±22 m of 5000 m with the defaults. The gap edge, which separates the ring from disturbed land,
// is only ever inside its true distance (the ring never reaches closer than gap_m − 2.4 m).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/geo/coverage.h"
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

// A mine's reference ring before the cut: its outer buffer and the gap zones that may reach into
// it (its own and those of mines whose bounding box comes within reach).
struct ReferenceZone {
  MultiPolygon outer;                       // lon/lat; empty when no ring was built
  std::vector<std::size_t> cut_candidates;  // indices into RingSet::gap_zones
};

struct RingSet {
  std::vector<ReferenceZone> zones;     // one per mine
  std::vector<MultiPolygon> gap_zones;  // one per mine: points within gap_m of it, lon/lat
  std::size_t hull_outer = 0;           // outer buffers taken from the convex hull (see the .cpp)
};

// mines_lonlat: every mine of the study (those filtered out still exclude their surroundings).
// build_for: which mines need a ring. Returns one shape per mine (empty when not built or when
// nothing is left). Throws DataError for a buffer GEOS cannot compute, naming the mine id.
RingSet build_reference_rings(const std::vector<MultiPolygon>& mines_lonlat,
                              const std::vector<std::string>& ids,
                              const std::vector<bool>& build_for, const RingParams& params,
                              const RunContext& context);

// The cut, on the raster grid: coverage of outer \ ⋃ cuts, with every shape already in the grid's
// CRS (so shared edges stay shared exactly). Coverage is additive, so the ring is the outer
// buffer less disjoint pieces inside it: cov(ring) = cov(outer) − Σ cov(piece), exactly. A cut
// zone inside the outer buffer that overlaps no other is a piece as it is (its coverage, given in
// cut_coverages, is computed once for every ring it cuts); overlapping zones are unioned, and a
// group that crosses the outer edge is clipped to it, by GEOS. One cutter per thread.
class RingCutter {
 public:
  struct CutStats {
    std::size_t reached_by_other_mines = 0;  // rings that another mine's gap zone reaches
    std::size_t overlays = 0;                // GEOS unions/clips of overlapping or crossing zones
  };
  RingCutter();
  ~RingCutter();
  RingCutter(const RingCutter&) = delete;
  RingCutter& operator=(const RingCutter&) = delete;
  Coverage coverage(const MultiPolygon& outer, const std::vector<const MultiPolygon*>& cuts,
                    const std::vector<const Coverage*>& cut_coverages, const Grid& grid,
                    const std::string& id, CutStats& stats);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace minecarbon::geo
