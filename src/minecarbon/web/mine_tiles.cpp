#include "minecarbon/web/mine_tiles.h"

#include <algorithm>
#include <array>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "minecarbon/core/nan.h"
#include "minecarbon/report/display_geometry.h"
#include "minecarbon/report/report_model.h"
#include "minecarbon/web/mvt.h"

namespace minecarbon::web {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using BoxEntry = std::pair<BBox, std::uint32_t>;
using PointEntry = std::pair<BPoint, std::uint32_t>;

constexpr std::array<std::string_view, 2> kKeys{"mine_id", "status"};

// Web Mercator metres → tile units of one tile (x right, y down).
struct TileTransform {
  double x0_m, y_top_m, units_per_m;
  TileTransform(int z, int x, int y) {
    const geo::Bounds b = tile_bounds_m(z, x, y);
    x0_m = b.x_min;
    y_top_m = b.y_max;
    units_per_m = mvt::kExtent / (b.x_max - b.x_min);
  }
  geo::XY operator()(const geo::XY& p) const {
    return {(p.x - x0_m) * units_per_m, (y_top_m - p.y) * units_per_m};
  }
};

BBox buffered_box(int z, int x, int y) {
  const geo::Bounds b = tile_bounds_m(z, x, y);
  const double buffer_m = (b.x_max - b.x_min) * mvt::kBuffer / mvt::kExtent;
  return BBox(BPoint(b.x_min - buffer_m, b.y_min - buffer_m),
              BPoint(b.x_max + buffer_m, b.y_max + buffer_m));
}

}  // namespace

struct MineTiles::Index {
  bgi::rtree<BoxEntry, bgi::rstar<16>> boxes;
  bgi::rtree<PointEntry, bgi::rstar<16>> points;
};

std::string_view tile_layer_name(TileLayer layer) {
  return layer == TileLayer::mines ? "mines" : "mine_points";
}

std::optional<TileLayer> parse_tile_layer(std::string_view name) {
  if (name == "mines") return TileLayer::mines;
  if (name == "mine_points") return TileLayer::mine_points;
  return std::nullopt;
}

bool valid_tile(int z, int x, int y) {
  if (z < 0 || z > kMaxTileZoom) return false;
  const int n = 1 << z;
  return x >= 0 && x < n && y >= 0 && y < n;
}

geo::XY lonlat_to_web_mercator(double lon_deg, double lat_deg) {
  constexpr double deg = std::numbers::pi / 180.0;
  const double lat = std::clamp(lat_deg, -kMaxMercatorLat_deg, kMaxMercatorLat_deg) * deg;
  return {kEarthRadius_m * lon_deg * deg,
          kEarthRadius_m * std::log(std::tan(std::numbers::pi / 4 + lat / 2))};
}

geo::Bounds tile_bounds_m(int z, int x, int y) {
  const double size_m = 2 * kHalfWorld_m / static_cast<double>(1u << z);
  const double x_min = -kHalfWorld_m + x * size_m;
  const double y_max = kHalfWorld_m - y * size_m;
  return {x_min, y_max - size_m, x_min + size_m, y_max};
}

MineTiles::MineTiles(std::vector<std::string> mine_ids, std::vector<std::string> status,
                     const std::vector<geo::MultiPolygon>& shapes_lonlat)
    : ids_(std::move(mine_ids)), status_(std::move(status)), index_(std::make_unique<Index>()) {
  if (status_.size() != ids_.size() || shapes_lonlat.size() != ids_.size())
    throw std::invalid_argument("MineTiles: " + std::to_string(ids_.size()) + " ids, " +
                                std::to_string(status_.size()) + " statuses and " +
                                std::to_string(shapes_lonlat.size()) +
                                " shapes; expected one of each per mine");
  const std::size_t n = ids_.size();
  mine_ring_.reserve(n + 1);
  points_m_.assign(n, {kNaN, kNaN});
  std::vector<BoxEntry> boxes;
  std::vector<PointEntry> points;
  geo::MultiPolygon shape_m;
  auto add_ring = [&](const geo::Ring& ring, bool exterior, geo::Ring& out) {
    out.clear();
    for (const geo::XY& p : ring)
      out.push_back(lonlat_to_web_mercator(p.x, p.y));
    if (out.size() > 1 && out.front().x == out.back().x && out.front().y == out.back().y)
      out.pop_back();
    ring_vertex_.push_back(static_cast<std::uint32_t>(coords_m_.size()));
    ring_exterior_.push_back(exterior ? 1 : 0);
    coords_m_.insert(coords_m_.end(), out.begin(), out.end());
  };
  for (std::size_t mine = 0; mine < n; ++mine) {
    mine_ring_.push_back(static_cast<std::uint32_t>(ring_vertex_.size()));
    shape_m.clear();
    for (const geo::Polygon& polygon : shapes_lonlat[mine]) {
      if (polygon.exterior.size() < 3) continue;
      geo::Polygon& p = shape_m.emplace_back();
      add_ring(polygon.exterior, true, p.exterior);
      for (const geo::Ring& hole : polygon.holes) {
        if (hole.size() < 3) continue;
        add_ring(hole, false, p.holes.emplace_back());
      }
    }
    if (shape_m.empty()) continue;
    const geo::Bounds b = geo::bounds(shape_m);
    boxes.emplace_back(BBox(BPoint(b.x_min, b.y_min), BPoint(b.x_max, b.y_max)),
                       static_cast<std::uint32_t>(mine));
    points_m_[mine] = report::point_on_surface_or_centre(shape_m);
    points.emplace_back(BPoint(points_m_[mine].x, points_m_[mine].y),
                        static_cast<std::uint32_t>(mine));
  }
  mine_ring_.push_back(static_cast<std::uint32_t>(ring_vertex_.size()));
  ring_vertex_.push_back(static_cast<std::uint32_t>(coords_m_.size()));
  // Packing construction (STR-like bulk load): faster to build and better packed than inserts.
  index_->boxes = decltype(index_->boxes)(boxes.begin(), boxes.end());
  index_->points = decltype(index_->points)(points.begin(), points.end());
}

MineTiles MineTiles::from_model(const report::ReportModel& model) {
  const report::ReportVariable* status = nullptr;
  for (const report::ReportVariable& v : model.variables) {
    if (v.column != "status" || v.numeric || v.per_year() ||
        v.texts.size() != model.mine_ids.size())
      continue;
    if (!status || (v.stage == "damage" && status->stage != "damage")) status = &v;
  }
  std::vector<std::string> texts =
      status ? status->texts : std::vector<std::string>(model.mine_ids.size());
  std::vector<geo::MultiPolygon> shapes = model.geometry;
  shapes.resize(model.mine_ids.size());
  return MineTiles(model.mine_ids, std::move(texts), shapes);
}

MineTiles::MineTiles(MineTiles&&) noexcept = default;
MineTiles& MineTiles::operator=(MineTiles&&) noexcept = default;
MineTiles::~MineTiles() = default;

geo::MultiPolygon MineTiles::shape_m(std::size_t mine) const {
  geo::MultiPolygon out;
  for (std::uint32_t r = mine_ring_[mine]; r < mine_ring_[mine + 1]; ++r) {
    geo::Ring ring(coords_m_.begin() + ring_vertex_[r], coords_m_.begin() + ring_vertex_[r + 1]);
    if (ring_exterior_[r])
      out.push_back({std::move(ring), {}});
    else
      out.back().holes.push_back(std::move(ring));
  }
  return out;
}

std::optional<std::string> MineTiles::tile(TileLayer layer, int z, int x, int y) const {
  if (!valid_tile(z, x, y))
    throw std::out_of_range("tile " + std::to_string(z) + "/" + std::to_string(x) + "/" +
                            std::to_string(y) + ": expected 0 ≤ z ≤ " +
                            std::to_string(kMaxTileZoom) + " and 0 ≤ x, y < 2^z");
  return layer == TileLayer::mines ? mines_tile(z, x, y) : points_tile(z, x, y);
}

std::optional<std::string> MineTiles::mines_tile(int z, int x, int y) const {
  std::vector<BoxEntry> hits;
  index_->boxes.query(bgi::intersects(buffered_box(z, x, y)), std::back_inserter(hits));
  if (hits.empty()) return std::nullopt;
  // Mine order, whatever the tree's: the tile's bytes depend only on the mines.
  std::sort(hits.begin(), hits.end(),
            [](const BoxEntry& a, const BoxEntry& b) { return a.second < b.second; });
  const TileTransform to_tile(z, x, y);
  mvt::LayerEncoder layer(std::string(tile_layer_name(TileLayer::mines)),
                          {std::string(kKeys[0]), std::string(kKeys[1])});
  std::vector<geo::XY> projected, clipped, scratch;
  std::vector<std::vector<mvt::TilePoint>> rings;
  std::vector<char> exterior;
  for (const BoxEntry& hit : hits) {
    const std::uint32_t mine = hit.second;
    const std::uint32_t r0 = mine_ring_[mine], r1 = mine_ring_[mine + 1];
    if (rings.size() < r1 - r0) rings.resize(r1 - r0);
    exterior.clear();
    std::size_t kept = 0;
    for (std::uint32_t r = r0; r < r1; ++r) {
      projected.clear();
      for (std::uint32_t v = ring_vertex_[r]; v < ring_vertex_[r + 1]; ++v)
        projected.push_back(to_tile(coords_m_[v]));
      mvt::clip_ring(projected, mvt::kBufferedTile, clipped, scratch);
      const bool is_exterior = ring_exterior_[r] != 0;
      if (clipped.empty()) {
        // A clipped-away exterior must still start a new polygon, so that its holes (outside
        // the tile too, or inside a dropped exterior) are not given to the previous polygon.
        if (is_exterior) {
          rings[kept].clear();
          exterior.push_back(1);
          ++kept;
        }
        continue;
      }
      mvt::quantise_ring(clipped, rings[kept]);
      exterior.push_back(is_exterior ? 1 : 0);
      ++kept;
    }
    const std::array<std::string_view, 2> values{ids_[mine], status_[mine]};
    layer.add_polygon(mine, std::span(rings.data(), kept), exterior, values);
  }
  if (layer.feature_count() == 0) return std::nullopt;
  std::string tile;
  layer.append_to_tile(tile);
  return tile;
}

std::optional<std::string> MineTiles::points_tile(int z, int x, int y) const {
  std::vector<PointEntry> hits;
  index_->points.query(bgi::intersects(buffered_box(z, x, y)), std::back_inserter(hits));
  if (hits.empty()) return std::nullopt;
  const TileTransform to_tile(z, x, y);
  const bool merge = z <= kMaxMergedPointZoom;
  // Each hit keyed (cell << 32 | mine): sorted, a cell's mines are together, lowest index first.
  // Without merging the cell is 0 for all and the key is the mine alone.
  constexpr std::int32_t kCells = (mvt::kExtent + 2 * mvt::kBuffer) / kPointCell_units + 1;
  auto cell_of = [](std::int32_t v) {
    return std::clamp((v + mvt::kBuffer) / kPointCell_units, 0, kCells - 1);
  };
  struct Hit {
    std::uint64_t key;  // cell << 32 | mine
    mvt::TilePoint q;
  };
  std::vector<Hit> keyed(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const std::uint32_t mine = hits[i].second;
    const geo::XY p = to_tile(points_m_[mine]);
    const mvt::TilePoint q{static_cast<std::int32_t>(std::lround(p.x)),
                           static_cast<std::int32_t>(std::lround(p.y))};
    const std::uint64_t cell =
        merge ? static_cast<std::uint64_t>(cell_of(q.x)) * kCells + cell_of(q.y) : 0;
    keyed[i] = {(cell << 32) | mine, q};
  }
  std::sort(keyed.begin(), keyed.end(), [](const Hit& a, const Hit& b) { return a.key < b.key; });
  // One feature per cell: its lowest mine index (first after sorting) stands for it, at its own
  // point, with the cell's count. Features go in representative order, so the tile's bytes
  // depend only on the mines, not on the tree's order.
  struct Cell {
    std::uint32_t mine, count;
    mvt::TilePoint q;
  };
  std::vector<Cell> cells;
  cells.reserve(keyed.size());
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    const auto mine = static_cast<std::uint32_t>(keyed[i].key & 0xffffffffu);
    if (merge && i > 0 && (keyed[i].key >> 32) == (keyed[i - 1].key >> 32))
      ++cells.back().count;
    else
      cells.push_back({mine, 1, keyed[i].q});
  }
  if (merge)
    std::sort(cells.begin(), cells.end(),
              [](const Cell& a, const Cell& b) { return a.mine < b.mine; });
  mvt::LayerEncoder layer(std::string(tile_layer_name(TileLayer::mine_points)),
                          {std::string(kKeys[0]), std::string(kKeys[1])}, {"count"});
  for (const Cell& c : cells) {
    const std::array<std::string_view, 2> values{ids_[c.mine], status_[c.mine]};
    const std::array<std::uint64_t, 1> numbers{c.count};
    layer.add_point(c.mine, c.q, values, numbers);
  }
  std::string tile;
  layer.append_to_tile(tile);
  return tile;
}

}  // namespace minecarbon::web
