// Land-use maps of the demo world with planted per-mine transitions of known area.
//
// Three maps (2000, 2010, 2020) on a 30 m grid in UTM zone 49N (EPSG:32649) covering the demo
// world's mines (near 35°N, 110.2°E). Classes: 1 cropland, 2 forest, 3 grassland,
// 4 water, 5 built, 6 pit, 7 dump, 8 reclaimed grass, 9 reclaimed forest; 255 = nodata.
//
// Planting. The background is a pattern of 1.2 km blocks of cropland, forest, grassland, water and
// built land, the same at every date. Around each group of mines (mines whose bounding boxes
// overlap share one) the bounding box, snapped outward to the grid, is cut into column strips,
// each an axis-aligned rectangle on grid lines with one class per date, following the group's
// damage history (the first mine's onset and restoration years of synth_world):
//   A  forest → pit → reclaimed forest;
//   S  one column (30 m): grassland → built (a haul road; the sliver);
//   B  grassland → dump → reclaimed grass;
//   C  cropland → pit five years after onset → reclaimed grass six years after restoration.
// A strip is "disturbed" from the onset year on, "reclaimed" from restore_year + 2 on.
// The grid's west edge runs through the westernmost mine centre, so the mine with a hole and the
// other mines of the lattice's west column lie partly off the maps.
// Nodata patches (one per date, different places, all on grid lines) cover parts of strips.
//
// Truth (area = "planar", mask = "common"): the area a mine has in transition (from, to) of a
// date pair is Σ over strips with that (from, to) of area(mine ∩ strip) − area(mine ∩ strip ∩
// patch) over the patches, each an exact polygon clip against a rectangle (mine vertices
// transformed to UTM with PROJ, as the stage does): nothing of the stage's raster coverage code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/demo/synth_world.h"
#include "minecarbon/geo/grid.h"

namespace minecarbon::demo {

struct SynthLanduseClass {
  int code = 0;
  std::string name;
  double c_above = 0, c_below = 0, c_soil = 0, c_dead = 0;  // Mg C/ha
  double sd_above = 0, sd_below = 0, sd_soil = 0, sd_dead = 0;
  double total() const { return c_above + c_below + c_soil + c_dead; }
};

// One planted transition of one mine and date pair (from ≠ to), area in ha (planar).
struct SynthLanduseTruth {
  std::string mine_id;
  int year_from = 0, year_to = 0;
  std::string pair_kind;  // consecutive or first_last
  int from_code = 0, to_code = 0;
  double area_ha = 0;
  double carbon_change_tC = 0;  // area_ha · (C_to − C_from)
};

struct SynthLanduse {
  std::string crs = "EPSG:32649";
  geo::Grid grid;
  std::vector<int> years{2000, 2010, 2020};
  std::uint8_t nodata = 255;
  std::vector<std::vector<std::uint8_t>> maps;  // [date][row * cols + col]
  std::vector<SynthLanduseClass> classes;
  std::vector<std::string> mine_ids;  // mines the maps cover (at least in part)
  std::vector<SynthLanduseTruth> truth;
};

// Area (planar, CRS units²) of a polygon with holes inside an axis-aligned rectangle: each ring
// clipped by Sutherland–Hodgman against the rectangle's four half-planes (exact for a convex clip
// region, whatever the ring's shape), exterior minus holes.
double clipped_area(const geo::MultiPolygon& shape, double x0, double y0, double x1, double y1);

// Deterministic: no random draws (the pattern and the strips follow from the world's mines).
SynthLanduse make_synth_landuse(const SynthWorld& world);

}  // namespace minecarbon::demo
