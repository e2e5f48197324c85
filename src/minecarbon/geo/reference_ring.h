// Reference rings: the undisturbed surroundings a mine is compared with.
//
// ring_i = { p : d(p, mine_i) ≤ outer_m }  \  ⋃_j { p : d(p, mine_j) ≤ gap_m }   (j over all mines)
//
// i.e. the points within `outer_m` of the mine and farther than `gap_m` from every mine polygon,
// its own included (other mines are not undisturbed). Distances are metres on the WGS84
// ellipsoid: each mine is buffered in an azimuthal equidistant projection centred on it (PROJ
// `aeqd +guam`), where distances within the ~10 km of a ring are true to centimetres.
//
// Construction: gap zone = buffer(mine, gap_m); outer = buffer(gap zone, outer_m − gap_m), which
// is buffer(mine, outer_m) for exact buffers (Minkowski sums of discs add), or, when provably the
// same set to within nominal_sagitta_m(outer_m − gap_m), the buffer of the gap zone's convex hull
// (see outer_buffer in the .cpp: the bound covers points beyond a hull edge and inside the pocket
// behind it; zones with holes never take the hull).
//
// Accuracy (the tolerance each edge keeps from its exact distance):
// - GEOS draws each arc of a buffer at distance d as chords between points on the circle. It
//   rounds an arc's number of chords to the nearest integer of (angle / (π/(2·quad_segs))), so a
//   chord spans up to 1.5 quanta and lies up to arc_tolerance_m(d) = d·(1 − cos(3π/(8·quad_segs)))
//   inside the circle (8 segments: 1.1 %, 5.4 m at 500 m, 54 m at 5000 m), not the nominal
//   d·(1 − cos(π/(4·quad_segs))) (0.48 %) of a whole quantum.
// - The gap edge, which separates the ring from disturbed land, is only ever inside its distance:
//   the ring comes no closer to a mine than gap_m − arc_tolerance_m(gap_m).
// - The outer edge lies inside by at most arc_tolerance_m(gap_m) + arc_tolerance_m(outer_m −
//   gap_m) = arc_tolerance_m(outer_m) (sagittas add), and outside by at most
//   nominal_sagitta_m(outer_m − gap_m) from the hull shortcut (22 m with the defaults), plus GEOS's
//   input simplification (it drops concave vertices shallower than 1 % of the distance before
//   offsetting; measured at most 6 m on 100 real outlines, tests/unit/geo/test_reference_ring.cpp).
//   So outer_m − arc_tolerance_m(outer_m) ≤ distance of the outer edge ≤ outer_m +
//   arc_tolerance_m(outer_m), with 32 m to spare for the simplification with the defaults; the
//   tests measure the farthest and nearest ring points on real outlines.
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

// Sagitta of a chord spanning one quantum π/(2·quad_segs) of a circle of radius distance_m: the
// budget the hull shortcut may add to the outer edge. Metres.
double nominal_sagitta_m(double distance_m, int quad_segs);
// Largest gap between a GEOS buffer arc at distance_m and its circle: the sagitta of a chord
// spanning 1.5 quanta (GEOS rounds the chord count per arc). The ring's edges keep within this of
// their exact distances (see above). Metres.
double arc_tolerance_m(double distance_m, int quad_segs);

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
