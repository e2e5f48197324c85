// Mapbox Vector Tile 2.1 encoder, written by hand (docs/web_tiles.md).
//
// Spec: Mapbox Vector Tile Specification 2.1 (github.com/mapbox/vector-tile-spec, 2016). A tile is
// a protobuf `Tile { repeated Layer layers = 3; }`; a `Layer` has version (15) = 2, name (1),
// features (2), keys (3), values (4) and extent (5); a `Feature` has id (1), packed tags (2), type
// (3) and packed geometry (4); a `Value` holds one of string (1), float, double, int, uint, sint or
// bool (2–7). Geometry is a packed uint32 stream of commands `(id & 7) | (count << 3)` — MoveTo 1,
// LineTo 2, ClosePath 7 — each followed by zigzag-encoded deltas from the cursor.
//
// Polygons: an exterior ring has positive area by the surveyor's formula in tile coordinates (x
// right, y down: clockwise on screen), its holes negative area, and each exterior is followed by
// its holes. A ring has ≥ 3 distinct vertices, no closing vertex (ClosePath closes it) and non-zero
// area; `encode_polygon_feature` enforces all of this on quantised rings.
//
// What is here is pure: geometry comes in tile coordinates; no file, clock or global state.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "minecarbon/geo/polygon.h"

namespace minecarbon::web::mvt {

// The tile grid every client expects (spec §4.3.1 suggests 4096) and our buffer around it: 64 units
// is 1/64 of the tile, enough for a stroke and anti-aliasing at any zoom without duplicating much.
inline constexpr std::int32_t kExtent = 4096;
inline constexpr std::int32_t kBuffer = 64;

// An axis-aligned box in tile coordinates (double: before quantisation).
struct ClipBox {
  double x_min, y_min, x_max, y_max;
};
// The buffered tile: [−kBuffer, kExtent + kBuffer]² (inclusive).
inline constexpr ClipBox kBufferedTile{-kBuffer, -kBuffer, kExtent + kBuffer, kExtent + kBuffer};

// Sutherland–Hodgman clip of one ring against `box` (Sutherland & Hodgman 1974, Commun. ACM 17(1),
// doi:10.1145/360767.360802), appended to `out` (cleared first); `scratch` is a work buffer.
// The input ring may be closed or not; the output is not closed. The result has the exact area of
// ring ∩ box (as a signed area with the input's orientation); for a concave ring whose part
// inside the box is several pieces it is one ring joined by zero-area edges along the box side,
// which fills and measures the same (the renderers' even-odd/non-zero fill agree on it).
// Empty when the ring lies outside the box.
void clip_ring(std::span<const geo::XY> ring, const ClipBox& box, std::vector<geo::XY>& out,
               std::vector<geo::XY>& scratch);

// A vertex on the integer tile grid.
struct TilePoint {
  std::int32_t x = 0;
  std::int32_t y = 0;
  friend bool operator==(const TilePoint&, const TilePoint&) = default;
};

// Surveyor's formula ×2 over integer vertices (exact in int64 for |coordinates| < 2³⁰): > 0 for
// an MVT exterior ring (clockwise on screen, y down).
std::int64_t twice_signed_area(std::span<const TilePoint> ring);

// Rounds `ring` (tile coordinates) to the grid into `out`, dropping each vertex equal to the one
// before it and the closing vertex. `out` may end with fewer than 3 vertices (a collapsed ring).
void quantise_ring(std::span<const geo::XY> ring, std::vector<TilePoint>& out);

// One layer of a tile being built. Keys are fixed at construction: `keys` take string values,
// then `uint_keys` unsigned integer values (Value.uint_value), so that a client can compare them
// as numbers. Values are interned, so a value shared by many features is stored once.
class LayerEncoder {
 public:
  LayerEncoder(std::string name, std::vector<std::string> keys,
               std::vector<std::string> uint_keys = {});

  // A polygon feature from quantised rings: `rings[k]` with `is_exterior[k]` (0 or 1) saying whether it
  // starts a new polygon (true) or is a hole of the last one. Rings with < 3 vertices or zero area
  // are dropped, and so are the holes of a dropped exterior; each kept ring is reversed when its
  // winding is not the spec's. Returns false (nothing written) when no exterior ring survives.
  // `values` gives one string per key, in key order.
  bool add_polygon(std::uint64_t id, std::span<const std::vector<TilePoint>> rings,
                   std::span<const char> is_exterior, std::span<const std::string_view> values);
  // `uint_values` gives one number per uint key, in key order.
  void add_point(std::uint64_t id, TilePoint point, std::span<const std::string_view> values,
                 std::span<const std::uint64_t> uint_values = {});

  std::size_t feature_count() const { return features_; }
  // Appends the layer as a field of `Tile` (tag 3, length-delimited) to `tile`; nothing when it
  // has no feature (the spec allows a layer without features, but it would only cost bytes).
  void append_to_tile(std::string& tile) const;

 private:
  void write_feature(std::uint64_t id, std::uint32_t geom_type,
                     std::span<const std::string_view> values,
                     std::span<const std::uint64_t> uint_values);
  // The index of the `Value` message whose encoded body is `value`, added when new.
  std::uint32_t intern(const std::string& value);

  std::string name_;
  std::vector<std::string> keys_;  // string keys, then uint keys
  std::size_t string_keys_ = 0;
  std::vector<std::string> values_;  // interned `Value` message bodies, in index order
  std::unordered_map<std::string, std::uint32_t> value_index_;
  std::string value_;           // work buffer: the body being interned
  std::string features_bytes_;  // the encoded `features` fields
  std::size_t features_ = 0;
  // Work buffers reused across features (no allocation per feature once warm).
  std::vector<std::uint32_t> geometry_;
  std::vector<std::uint32_t> tags_;
  std::vector<TilePoint> oriented_;
};

// --- protobuf primitives, public for the tests' decoder and the benchmark ---
void append_varint(std::string& out, std::uint64_t value);
inline std::uint32_t zigzag32(std::int32_t value) {
  return (static_cast<std::uint32_t>(value) << 1) ^ static_cast<std::uint32_t>(value >> 31);
}
inline std::int32_t unzigzag32(std::uint32_t value) {
  return static_cast<std::int32_t>(value >> 1) ^ -static_cast<std::int32_t>(value & 1);
}
inline constexpr std::uint32_t command(std::uint32_t id, std::uint32_t count) {
  return (id & 0x7) | (count << 3);
}
inline constexpr std::uint32_t kMoveTo = 1;
inline constexpr std::uint32_t kLineTo = 2;
inline constexpr std::uint32_t kClosePath = 7;
// GeomType (spec §4.3.4).
inline constexpr std::uint32_t kGeomPoint = 1;
inline constexpr std::uint32_t kGeomPolygon = 3;

}  // namespace minecarbon::web::mvt
