// The mines of one run as on-demand vector tiles (issue 15, Part 1 item 4; docs/web_tiles.md).
//
// Built once per run when the server opens it: every mine's outline projected to Web Mercator
// (EPSG:3857), an R-tree of the outlines' bounding boxes and one of the points on their surfaces.
// `tile(layer, z, x, y)` then makes one MVT tile (web/mvt.h) on request: the mines whose boxes meet
// the buffered tile, clipped, quantised and encoded. Nothing is generated ahead of time.
//
// Two layers, each feature with id = the mine's index in the run's id table and two string
// properties, `mine_id` and `status` (colours come from feature-state keyed on mine_id, so a new
// variable or year never refetches a tile):
//   mines        the outlines, clipped to the tile plus kBuffer units; a mine whose rings all
//                collapse at this zoom (smaller than about one tile unit) has no polygon here;
//   mine_points  a point on the surface of every mine (inside it, unlike a centroid), at every
//                zoom, so that no mine vanishes from the map at low zoom. Up to
//                kMaxMergedPointZoom the mines whose points fall in the same cell of
//                kPointCell_units² (2 × 2 pixels of a 512-pixel tile, where their dots would be
//                drawn on top of each other anyway) are one feature: that of the lowest mine index
//                among them, at its point, with a uint property `count` (the cell's mines; 1 for a
//                lone mine, and at deeper zooms). Cells are aligned to the tile's origin, so a
//                cell is whole in every tile that holds it (docs/web_tiles.md).
//
// Thread safety: `tile` is const and touches no shared mutable state; any number of threads may
// call it at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/geo/polygon.h"

namespace minecarbon::report {
struct ReportModel;
}

namespace minecarbon::web {

enum class TileLayer { mines, mine_points };
std::string_view tile_layer_name(TileLayer layer);  // "mines", "mine_points"
std::optional<TileLayer> parse_tile_layer(std::string_view name);

// Deeper zooms are over-zoomed by the client (MapLibre): at z 16 one tile unit is 2.4 cm at the
// equator, finer than any mine outline.
inline constexpr int kMaxTileZoom = 16;
// mine_points merge the mines of one cell up to this zoom: the zooms where the web app draws
// points (web/src/app/tile_map.ts POINTS_MAX_ZOOM = 8 shows outlines from z 8), and where the big
// point tiles are (z 2–4 tiles of the 45k-mine world held 20k–45k mines, 47–55 ms CPU each).
inline constexpr int kMaxMergedPointZoom = 7;
// The merge cell, in tile units (extent 4096): 2 × 2 pixels of a tile drawn 512 pixels wide, so
// mines merged are under 3 pixels apart, well inside the 5-pixel radius of the app's dots. One
// pixel (8 units) left the z 3 and z 4 tiles at 270 kB gzip and 40–55 ms of CPU; 2 pixels halve
// both (docs/web_tiles.md).
inline constexpr int kPointCell_units = 16;

// 0 ≤ z ≤ kMaxTileZoom and 0 ≤ x, y < 2^z (XYZ scheme: y = 0 at the top).
bool valid_tile(int z, int x, int y);

// Spherical Web Mercator (EPSG:3857), R = 6378137 m: X = R·λ, Y = R·ln(tan(π/4 + φ/2)), λ and φ in
// radians (IOGP Guidance Note 7-2, method 1024). Latitude is clamped to ±kMaxMercatorLat_deg, where
// Y = ±kHalfWorld_m and the world is square; longitude is taken as given.
inline constexpr double kEarthRadius_m = 6378137.0;
inline constexpr double kHalfWorld_m = 20037508.342789244;       // π·R
inline constexpr double kMaxMercatorLat_deg = 85.0511287798066;  // 2·atan(e^π) − π/2
geo::XY lonlat_to_web_mercator(double lon_deg, double lat_deg);

// The tile's bounds in Web Mercator metres (unbuffered).
geo::Bounds tile_bounds_m(int z, int x, int y);

class MineTiles {
 public:
  // `shapes_lonlat[i]` in EPSG:4326 (x = lon); an empty shape gives the mine no feature. The three
  // vectors are aligned (throws std::invalid_argument otherwise). `status` may be empty strings.
  MineTiles(std::vector<std::string> mine_ids, std::vector<std::string> status,
            const std::vector<geo::MultiPolygon>& shapes_lonlat);
  // From a run's report model: its ids, geometry and the text variable `status` (the damage
  // stage's when there is one, else the first stage's that wrote one; "" when none did).
  static MineTiles from_model(const report::ReportModel& model);

  MineTiles(MineTiles&&) noexcept;
  MineTiles& operator=(MineTiles&&) noexcept;
  ~MineTiles();

  // The encoded tile (uncompressed protobuf), or nullopt when the layer has no feature in it (the
  // server answers 204). Throws std::out_of_range when !valid_tile(z, x, y) (the server gives 404).
  std::optional<std::string> tile(TileLayer layer, int z, int x, int y) const;

  std::size_t size() const { return ids_.size(); }
  const std::string& mine_id(std::size_t mine) const { return ids_[mine]; }
  const std::string& status(std::size_t mine) const { return status_[mine]; }
  // The mine's outline in Web Mercator metres (rings as given, not closed); empty without geometry.
  geo::MultiPolygon shape_m(std::size_t mine) const;
  // Its point on the surface in Web Mercator metres; NaN without geometry.
  geo::XY point_m(std::size_t mine) const { return points_m_[mine]; }

 private:
  struct Index;
  std::optional<std::string> mines_tile(int z, int x, int y) const;
  std::optional<std::string> points_tile(int z, int x, int y) const;

  std::vector<std::string> ids_;
  std::vector<std::string> status_;
  // Outlines, flattened: mine m has rings [mine_ring_[m], mine_ring_[m+1]); ring r has vertices
  // [ring_vertex_[r], ring_vertex_[r+1]) of coords_m_ and starts a polygon when ring_exterior_[r].
  std::vector<geo::XY> coords_m_;
  std::vector<std::uint32_t> ring_vertex_;
  std::vector<std::uint32_t> mine_ring_;
  std::vector<char> ring_exterior_;
  std::vector<geo::XY> points_m_;
  std::unique_ptr<Index> index_;
};

}  // namespace minecarbon::web
