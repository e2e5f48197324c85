// On-demand MVT tiles (web/mine_tiles.h), cold cache, one core: tiles per second at z 4, 8, 12.
//
// World: the 45,000 synthetic mines of tile_world.h. Tiles: every tile at the zoom that holds a mine's point on surface, in x, y order (at z 12
// every 4th of them); the loop walks them in turn, so each call encodes a different tile, as a
// cold cache would. gzip:0 is mine_tiles.tile() alone, gzip:1 adds what a cache miss also costs
// (make_cached_tile: gzip at kTileGzipLevel when the tile is ≥ 1 kB and shrinks, and the ETag);
// sent_kB/tile is what a gzip-accepting client receives.
//
//   BM_Tiles/<layer>/<z>/<gzip>   layer 0 = mines, 1 = mine_points
//   BM_GzipLevel/<level>          gzip of z 8 tiles at zlib level 1 and 6
//   BM_Build                       MineTiles from the 45k outlines (projection, R-trees, points)
//   BM_Clip{Own,Geos,GeosClipOnly} clipping the rings that cross a z 12 buffered tile's edge
#include <benchmark/benchmark.h>
#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "minecarbon/geo/polygon.h"
#include "minecarbon/report/gzip.h"
#include "minecarbon/web/mine_tiles.h"
#include "minecarbon/web/mvt.h"
#include "minecarbon/web/tile_cache.h"
#include "tile_world.h"

namespace {

namespace web = minecarbon::web;
namespace geo = minecarbon::geo;

struct World {
  std::vector<geo::MultiPolygon> shapes;
  std::unique_ptr<web::MineTiles> tiles;
};

const World& world() {
  static const World w = [] {
    World out;
    minecarbon::bench::TileWorld made = minecarbon::bench::make_tile_world();
    out.shapes = std::move(made.shapes);
    out.tiles = std::make_unique<web::MineTiles>(made.ids, made.status, out.shapes);
    return out;
  }();
  return w;
}

std::vector<std::array<int, 2>> tiles_with_mines(int z) {
  const auto& tiles = *world().tiles;
  const double size_m = 2 * web::kHalfWorld_m / std::ldexp(1.0, z);
  std::set<std::array<int, 2>> set;
  for (std::size_t m = 0; m < tiles.size(); ++m) {
    const auto p = tiles.point_m(m);
    set.insert({static_cast<int>((p.x + web::kHalfWorld_m) / size_m),
                static_cast<int>((web::kHalfWorld_m - p.y) / size_m)});
  }
  std::vector<std::array<int, 2>> out(set.begin(), set.end());
  if (z >= 12) {  // thin to every 4th: enough tiles to be cold, a short set-up
    std::vector<std::array<int, 2>> thin;
    for (std::size_t i = 0; i < out.size(); i += 4)
      thin.push_back(out[i]);
    out = std::move(thin);
  }
  return out;
}

void BM_Tiles(benchmark::State& state) {
  const auto layer = state.range(0) == 0 ? web::TileLayer::mines : web::TileLayer::mine_points;
  const int z = static_cast<int>(state.range(1));
  const bool gzip = state.range(2) != 0;
  const auto& tiles = *world().tiles;
  const auto addresses = tiles_with_mines(z);
  std::size_t next = 0, bytes = 0, gz_bytes = 0, features_tiles = 0;
  for (auto _ : state) {
    const auto& [x, y] = addresses[next];
    next = (next + 1) % addresses.size();
    auto raw = tiles.tile(layer, z, x, y);
    if (raw) {
      bytes += raw->size();
      ++features_tiles;
      if (gzip) {
        const auto cached = web::make_cached_tile(std::move(*raw));
        gz_bytes += cached.gzip.empty() ? cached.raw.size() : cached.gzip.size();
        benchmark::DoNotOptimize(cached.gzip.data());
      } else {
        benchmark::DoNotOptimize(raw->data());
      }
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["tiles"] = static_cast<double>(addresses.size());
  state.counters["kB/tile"] =
      features_tiles ? static_cast<double>(bytes) / static_cast<double>(features_tiles) / 1e3 : 0;
  if (gzip && features_tiles)
    state.counters["sent_kB/tile"] =
        static_cast<double>(gz_bytes) / static_cast<double>(features_tiles) / 1e3;
}
BENCHMARK(BM_Tiles)
    ->ArgNames({"layer", "z", "gzip"})
    ->ArgsProduct({{0, 1}, {4, 8, 12}, {0, 1}})
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.5);

void BM_Build(benchmark::State& state) {
  const auto& shapes = world().shapes;
  std::vector<std::string> ids(shapes.size()), status(shapes.size());
  for (std::size_t m = 0; m < shapes.size(); ++m)
    ids[m] = "M" + std::to_string(m);
  for (auto _ : state) {
    web::MineTiles tiles(ids, status, shapes);
    benchmark::DoNotOptimize(tiles.size());
  }
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond)->Iterations(2);

// gzip of z 8 mines tiles (a few kB each) at zlib levels 1 and 6: what a cache miss adds.
void BM_GzipLevel(benchmark::State& state) {
  const int level = static_cast<int>(state.range(0));
  const auto& tiles = *world().tiles;
  std::vector<std::string> raw;
  for (const auto& [x, y] : tiles_with_mines(8))
    if (auto t = tiles.tile(web::TileLayer::mines, 8, x, y)) raw.push_back(std::move(*t));
  std::size_t in = 0, out = 0, next = 0;
  for (auto _ : state) {
    const std::string gz = minecarbon::report::gzip_bytes(raw[next], level);
    in += raw[next].size();
    out += gz.size();
    next = (next + 1) % raw.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["ratio"] = static_cast<double>(out) / static_cast<double>(in);
}
BENCHMARK(BM_GzipLevel)->Arg(1)->Arg(6)->Unit(benchmark::kMicrosecond)->MinTime(0.5);

// Rings (tile units) of the mines met by z 12 tiles that cross the buffered tile's edge: the rings
// the clipper actually cuts.
const std::vector<std::vector<geo::XY>>& crossing_rings() {
  static const auto rings = [] {
    std::vector<std::vector<geo::XY>> out;
    const auto& tiles = *world().tiles;
    const auto addresses = tiles_with_mines(12);
    const auto box = web::mvt::kBufferedTile;
    for (std::size_t t = 0; t < addresses.size() && out.size() < 5000; ++t) {
      const auto b = web::tile_bounds_m(12, addresses[t][0], addresses[t][1]);
      const double units_per_m = web::mvt::kExtent / (b.x_max - b.x_min);
      for (std::size_t m = 0; m < tiles.size(); m += 1) {
        const auto p = tiles.point_m(m);
        if (std::abs(p.x - (b.x_min + b.x_max) / 2) > 4000 ||
            std::abs(p.y - (b.y_min + b.y_max) / 2) > 4000)
          continue;
        for (const auto& polygon : tiles.shape_m(m)) {
          std::vector<geo::XY> ring;
          for (const auto& q : polygon.exterior)
            ring.push_back({(q.x - b.x_min) * units_per_m, (b.y_max - q.y) * units_per_m});
          const auto [xmin, xmax] = std::minmax_element(ring.begin(), ring.end(),
                                                        [](auto& a, auto& c) { return a.x < c.x; });
          const auto [ymin, ymax] = std::minmax_element(ring.begin(), ring.end(),
                                                        [](auto& a, auto& c) { return a.y < c.y; });
          const bool inside = xmin->x >= box.x_min && xmax->x <= box.x_max &&
                              ymin->y >= box.y_min && ymax->y <= box.y_max;
          const bool outside = xmax->x < box.x_min || xmin->x > box.x_max || ymax->y < box.y_min ||
                               ymin->y > box.y_max;
          if (!inside && !outside) out.push_back(std::move(ring));
        }
      }
    }
    if (out.empty()) throw std::runtime_error("no crossing ring");
    return out;
  }();
  return rings;
}

void BM_ClipOwn(benchmark::State& state) {
  const auto& rings = crossing_rings();
  std::vector<geo::XY> out, scratch;
  std::size_t vertices = 0;
  for (auto _ : state) {
    for (const auto& ring : rings) {
      web::mvt::clip_ring(ring, web::mvt::kBufferedTile, out, scratch);
      vertices += out.size();
    }
  }
  benchmark::DoNotOptimize(vertices);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rings.size()));
  state.counters["rings"] = static_cast<double>(rings.size());
}
BENCHMARK(BM_ClipOwn)->Unit(benchmark::kMillisecond);

GEOSGeometry* geos_polygon(GEOSContextHandle_t h, const std::vector<geo::XY>& ring) {
  // Our rings are open; GEOS wants the closing vertex.
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(ring.size() + 1), 2);
  for (std::size_t i = 0; i < ring.size(); ++i)
    GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(i), ring[i].x, ring[i].y);
  GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(ring.size()), ring[0].x, ring[0].y);
  return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, seq), nullptr, 0);
}

// GEOS as the encoder would use it: our ring in, GEOS's clip_by_rect, the vertices back out.
void BM_ClipGeos(benchmark::State& state) {
  const auto& rings = crossing_rings();
  GEOSContextHandle_t h = GEOS_init_r();
  const auto box = web::mvt::kBufferedTile;
  std::vector<geo::XY> out;
  for (auto _ : state) {
    for (const auto& ring : rings) {
      GEOSGeometry* g = geos_polygon(h, ring);
      GEOSGeometry* c = GEOSClipByRect_r(h, g, box.x_min, box.y_min, box.x_max, box.y_max);
      const int parts = GEOSGetNumGeometries_r(h, c);
      for (int p = 0; p < parts; ++p) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(h, c, p);
        if (GEOSGeomTypeId_r(h, part) != GEOS_POLYGON) continue;
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, part));
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(h, seq, &n);
        out.resize(n);
        for (unsigned i = 0; i < n; ++i)
          GEOSCoordSeq_getXY_r(h, seq, i, &out[i].x, &out[i].y);
      }
      GEOSGeom_destroy_r(h, c);
      GEOSGeom_destroy_r(h, g);
    }
  }
  GEOS_finish_r(h);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rings.size()));
}
BENCHMARK(BM_ClipGeos)->Unit(benchmark::kMillisecond);

// GEOS's clip alone, on geometries built beforehand (its best case).
void BM_ClipGeosClipOnly(benchmark::State& state) {
  const auto& rings = crossing_rings();
  GEOSContextHandle_t h = GEOS_init_r();
  std::vector<GEOSGeometry*> geoms;
  for (const auto& ring : rings)
    geoms.push_back(geos_polygon(h, ring));
  const auto box = web::mvt::kBufferedTile;
  for (auto _ : state) {
    for (GEOSGeometry* g : geoms) {
      GEOSGeometry* c = GEOSClipByRect_r(h, g, box.x_min, box.y_min, box.x_max, box.y_max);
      GEOSGeom_destroy_r(h, c);
    }
  }
  for (GEOSGeometry* g : geoms)
    GEOSGeom_destroy_r(h, g);
  GEOS_finish_r(h);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rings.size()));
}
BENCHMARK(BM_ClipGeosClipOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
