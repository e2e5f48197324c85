#include "minecarbon/web/mvt.h"

#include <algorithm>
#include <cmath>

namespace minecarbon::web::mvt {
namespace {

// Protobuf wire types and the field keys `(field << 3) | wire_type` of the four messages.
constexpr std::uint32_t kWireVarint = 0;
constexpr std::uint32_t kWireBytes = 2;
constexpr std::uint32_t key(std::uint32_t field, std::uint32_t wire) {
  return (field << 3) | wire;
}

void append_bytes_field(std::string& out, std::uint32_t field, std::string_view bytes) {
  append_varint(out, key(field, kWireBytes));
  append_varint(out, bytes.size());
  out.append(bytes);
}

void append_packed(std::string& out, std::uint32_t field, std::span<const std::uint32_t> values) {
  std::size_t length = 0;
  for (std::uint32_t v : values) {
    do {
      ++length;
      v >>= 7;
    } while (v != 0);
  }
  append_varint(out, key(field, kWireBytes));
  append_varint(out, length);
  for (std::uint32_t v : values)
    append_varint(out, v);
}

// One Sutherland–Hodgman pass: keeps the part of `in` where `inside` holds, cutting each edge that
// crosses the boundary at `cut`.
template <class Inside, class Cut>
void clip_pass(const std::vector<geo::XY>& in, std::vector<geo::XY>& out, Inside inside, Cut cut) {
  out.clear();
  if (in.empty()) return;
  geo::XY prev = in.back();
  bool prev_in = inside(prev);
  for (const geo::XY& cur : in) {
    const bool cur_in = inside(cur);
    if (cur_in) {
      if (!prev_in) out.push_back(cut(prev, cur));
      out.push_back(cur);
    } else if (prev_in) {
      out.push_back(cut(prev, cur));
    }
    prev = cur;
    prev_in = cur_in;
  }
}

// The point of segment a→b at x = x0 (a and b on opposite sides of it), and likewise for y.
geo::XY at_x(const geo::XY& a, const geo::XY& b, double x0) {
  const double t = (x0 - a.x) / (b.x - a.x);
  return {x0, a.y + t * (b.y - a.y)};
}
geo::XY at_y(const geo::XY& a, const geo::XY& b, double y0) {
  const double t = (y0 - a.y) / (b.y - a.y);
  return {a.x + t * (b.x - a.x), y0};
}

}  // namespace

void append_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void clip_ring(std::span<const geo::XY> ring, const ClipBox& box, std::vector<geo::XY>& out,
               std::vector<geo::XY>& scratch) {
  out.assign(ring.begin(), ring.end());
  if (out.size() > 1 && out.front().x == out.back().x && out.front().y == out.back().y)
    out.pop_back();
  if (out.size() < 3) {
    out.clear();
    return;
  }
  // Whole ring inside (the common case at high zoom, and for small mines): nothing to cut.
  double x_min = out[0].x, x_max = out[0].x, y_min = out[0].y, y_max = out[0].y;
  for (const geo::XY& p : out) {
    x_min = std::min(x_min, p.x);
    x_max = std::max(x_max, p.x);
    y_min = std::min(y_min, p.y);
    y_max = std::max(y_max, p.y);
  }
  if (x_min >= box.x_min && x_max <= box.x_max && y_min >= box.y_min && y_max <= box.y_max) return;
  if (x_max < box.x_min || x_min > box.x_max || y_max < box.y_min || y_min > box.y_max) {
    out.clear();
    return;
  }
  clip_pass(
      out, scratch, [&](const geo::XY& p) { return p.x >= box.x_min; },
      [&](const geo::XY& a, const geo::XY& b) { return at_x(a, b, box.x_min); });
  clip_pass(
      scratch, out, [&](const geo::XY& p) { return p.x <= box.x_max; },
      [&](const geo::XY& a, const geo::XY& b) { return at_x(a, b, box.x_max); });
  clip_pass(
      out, scratch, [&](const geo::XY& p) { return p.y >= box.y_min; },
      [&](const geo::XY& a, const geo::XY& b) { return at_y(a, b, box.y_min); });
  clip_pass(
      scratch, out, [&](const geo::XY& p) { return p.y <= box.y_max; },
      [&](const geo::XY& a, const geo::XY& b) { return at_y(a, b, box.y_max); });
  if (out.size() < 3) out.clear();
}

std::int64_t twice_signed_area(std::span<const TilePoint> ring) {
  std::int64_t sum = 0;
  const std::size_t n = ring.size();
  for (std::size_t idx = 0; idx < n; ++idx) {
    const TilePoint& a = ring[idx];
    const TilePoint& b = ring[idx + 1 == n ? 0 : idx + 1];
    sum += static_cast<std::int64_t>(a.x) * b.y - static_cast<std::int64_t>(b.x) * a.y;
  }
  return sum;
}

void quantise_ring(std::span<const geo::XY> ring, std::vector<TilePoint>& out) {
  out.clear();
  for (const geo::XY& p : ring) {
    const TilePoint q{static_cast<std::int32_t>(std::lround(p.x)),
                      static_cast<std::int32_t>(std::lround(p.y))};
    if (out.empty() || !(out.back() == q)) out.push_back(q);
  }
  while (out.size() > 1 && out.back() == out.front())
    out.pop_back();
}

LayerEncoder::LayerEncoder(std::string name, std::vector<std::string> keys,
                           std::vector<std::string> uint_keys)
    : name_(std::move(name)), keys_(std::move(keys)), string_keys_(keys_.size()) {
  keys_.insert(keys_.end(), uint_keys.begin(), uint_keys.end());
}

std::uint32_t LayerEncoder::intern(const std::string& value) {
  // The body's first byte (the field key) tells a string from a number, so "3" and 3 differ.
  const auto it = value_index_.find(value);
  if (it != value_index_.end()) return it->second;
  const auto index = static_cast<std::uint32_t>(values_.size());
  value_index_.emplace(value, index);
  values_.push_back(value);
  return index;
}

void LayerEncoder::write_feature(std::uint64_t id, std::uint32_t geom_type,
                                 std::span<const std::string_view> values,
                                 std::span<const std::uint64_t> uint_values) {
  tags_.clear();
  for (std::size_t k = 0; k < string_keys_ && k < values.size(); ++k) {
    value_.clear();
    append_bytes_field(value_, 1, values[k]);  // Value.string_value
    tags_.push_back(static_cast<std::uint32_t>(k));
    tags_.push_back(intern(value_));
  }
  for (std::size_t k = 0; k + string_keys_ < keys_.size() && k < uint_values.size(); ++k) {
    value_.clear();
    append_varint(value_, key(5, kWireVarint));  // Value.uint_value
    append_varint(value_, uint_values[k]);
    tags_.push_back(static_cast<std::uint32_t>(string_keys_ + k));
    tags_.push_back(intern(value_));
  }
  std::string feature;
  feature.reserve(16 + geometry_.size() * 2);
  append_varint(feature, key(1, kWireVarint));
  append_varint(feature, id);
  append_packed(feature, 2, tags_);
  append_varint(feature, key(3, kWireVarint));
  append_varint(feature, geom_type);
  append_packed(feature, 4, geometry_);
  append_bytes_field(features_bytes_, 2, feature);
  ++features_;
}

bool LayerEncoder::add_polygon(std::uint64_t id, std::span<const std::vector<TilePoint>> rings,
                               std::span<const char> is_exterior,
                               std::span<const std::string_view> values) {
  geometry_.clear();
  TilePoint cursor{0, 0};
  bool have_exterior = false;  // the current polygon's exterior survived
  bool any = false;
  for (std::size_t r = 0; r < rings.size(); ++r) {
    const auto& ring = rings[r];
    const bool exterior = is_exterior[r] != 0;
    if (exterior) have_exterior = false;
    if (!exterior && !have_exterior) continue;  // hole of a dropped exterior
    if (ring.size() < 3) continue;
    const std::int64_t area2 = twice_signed_area(ring);
    if (area2 == 0) continue;
    // Exterior: area > 0 (clockwise on screen, y down); hole: area < 0.
    oriented_.assign(ring.begin(), ring.end());
    if ((area2 > 0) != exterior) std::reverse(oriented_.begin(), oriented_.end());
    if (exterior) have_exterior = true;
    any = true;
    geometry_.push_back(command(kMoveTo, 1));
    geometry_.push_back(zigzag32(oriented_[0].x - cursor.x));
    geometry_.push_back(zigzag32(oriented_[0].y - cursor.y));
    cursor = oriented_[0];
    geometry_.push_back(command(kLineTo, static_cast<std::uint32_t>(oriented_.size() - 1)));
    for (std::size_t v = 1; v < oriented_.size(); ++v) {
      geometry_.push_back(zigzag32(oriented_[v].x - cursor.x));
      geometry_.push_back(zigzag32(oriented_[v].y - cursor.y));
      cursor = oriented_[v];
    }
    geometry_.push_back(command(kClosePath, 1));
  }
  if (!any) return false;
  write_feature(id, kGeomPolygon, values, {});
  return true;
}

void LayerEncoder::add_point(std::uint64_t id, TilePoint point,
                             std::span<const std::string_view> values,
                             std::span<const std::uint64_t> uint_values) {
  geometry_.clear();
  geometry_.push_back(command(kMoveTo, 1));
  geometry_.push_back(zigzag32(point.x));
  geometry_.push_back(zigzag32(point.y));
  write_feature(id, kGeomPoint, values, uint_values);
}

void LayerEncoder::append_to_tile(std::string& tile) const {
  if (features_ == 0) return;
  std::string layer;
  layer.reserve(features_bytes_.size() + 64 + values_.size() * 16);
  append_varint(layer, key(15, kWireVarint));
  append_varint(layer, 2);
  append_bytes_field(layer, 1, name_);
  layer.append(features_bytes_);
  for (const std::string& k : keys_)
    append_bytes_field(layer, 3, k);
  for (const std::string& v : values_)
    append_bytes_field(layer, 4, v);
  append_varint(layer, key(5, kWireVarint));
  append_varint(layer, static_cast<std::uint64_t>(kExtent));
  append_bytes_field(tile, 3, layer);
}

}  // namespace minecarbon::web::mvt
