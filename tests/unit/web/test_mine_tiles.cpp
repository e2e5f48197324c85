// Our tiles (web/mine_tiles.h) against peers: GDAL's MVT reader decodes them, GEOS says which
// mines meet each tile and how much of each lies in the buffered tile, and GDAL's MVT writer makes
// the same tiles from the same mines.
#include <cpl_string.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "minecarbon/report/report_model.h"
#include "minecarbon/web/mine_tiles.h"
#include "minecarbon/web/mvt.h"
#include "mvt_test_support.h"

namespace fs = std::filesystem;
namespace web = minecarbon::web;
using minecarbon::geo::MultiPolygon;

namespace {

// ~200 mines over 0.6° around 110.2°E, 35°N (the demo's region), with holes and multipolygons.
constexpr double kLon0 = 110.2, kLat0 = 35.0, kSpanDeg = 0.6;

struct World {
  std::vector<MultiPolygon> shapes;
  std::vector<std::string> ids, status;
  std::unique_ptr<web::MineTiles> tiles;
};

const World& world() {
  static const World w = [] {
    GDALAllRegister();
    World out;
    out.shapes = mvt_test::synthetic_mines(200, kLon0, kLat0, kSpanDeg, 20261207);
    for (std::size_t m = 0; m < out.shapes.size(); ++m) {
      out.ids.push_back("mine-" + std::to_string(m));
      out.status.push_back(m % 5 == 0 ? "too_small" : "ok");
    }
    out.tiles = std::make_unique<web::MineTiles>(out.ids, out.status, out.shapes);
    return out;
  }();
  return w;
}

mvt_test::TileRange region_tiles(int z) {
  const double h = kSpanDeg / 2 + 0.05;
  return mvt_test::tiles_covering(z, kLon0 - h, kLat0 - h, kLon0 + h, kLat0 + h);
}

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    if (!std::getenv("MC_TEST_KEEP")) fs::remove_all(path_);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// GEOS: the mines whose outline (Web Mercator) intersects `box`.
std::set<std::string> mines_meeting(const mvt_test::Geos& geos, const web::MineTiles& tiles,
                                    const minecarbon::geo::Bounds& b) {
  std::set<std::string> out;
  GEOSGeometry* box = geos.box(b.x_min, b.y_min, b.x_max, b.y_max);
  for (std::size_t m = 0; m < tiles.size(); ++m) {
    GEOSGeometry* g = geos.multipolygon(tiles.shape_m(m));
    if (GEOSIntersects_r(geos.h, g, box) == 1) out.insert(tiles.mine_id(m));
    GEOSGeom_destroy_r(geos.h, g);
  }
  GEOSGeom_destroy_r(geos.h, box);
  return out;
}

minecarbon::geo::Bounds buffered(const minecarbon::geo::Bounds& b) {
  const double pad = (b.x_max - b.x_min) * web::mvt::kBuffer / web::mvt::kExtent;
  return {b.x_min - pad, b.y_min - pad, b.x_max + pad, b.y_max + pad};
}

}  // namespace

TEST(MineTiles, WebMercatorMatchesPublishedValues) {
  // EPSG:3857 bounds: ±20037508.34 m at ±180° and at ±85.0511°.
  EXPECT_NEAR(web::lonlat_to_web_mercator(180, 0).x, 20037508.342789244, 1e-6);
  EXPECT_NEAR(web::lonlat_to_web_mercator(0, 85.0511287798066).y, 20037508.342789244, 1e-3);
  EXPECT_NEAR(web::lonlat_to_web_mercator(0, 89.9).y, 20037508.342789244, 1e-3);  // clamped
  // The point lies in the bounds of the tile the XYZ formulas (mvt_test::tiles_covering) give.
  const auto p = web::lonlat_to_web_mercator(110.2, 35.0);
  const auto t = mvt_test::tiles_covering(12, 110.2, 35.0, 110.2, 35.0);
  const auto b = web::tile_bounds_m(12, t.x0, t.y0);
  EXPECT_GE(p.x, b.x_min);
  EXPECT_LT(p.x, b.x_max);
  EXPECT_GE(p.y, b.y_min);
  EXPECT_LT(p.y, b.y_max);
  // PROJ's own forward transform of the same point.
  OGRSpatialReferenceH s4326 = OSRNewSpatialReference(nullptr),
                       s3857 = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(s4326, 4326);
  OSRImportFromEPSG(s3857, 3857);
  OSRSetAxisMappingStrategy(s4326, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy(s3857, OAMS_TRADITIONAL_GIS_ORDER);
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(s4326, s3857);
  double x = 110.2, y = 35.0;
  ASSERT_TRUE(OCTTransform(ct, 1, &x, &y, nullptr));
  EXPECT_NEAR(p.x, x, 1e-6);
  EXPECT_NEAR(p.y, y, 1e-6);
  OCTDestroyCoordinateTransformation(ct);
  OSRDestroySpatialReference(s4326);
  OSRDestroySpatialReference(s3857);
}

TEST(MineTiles, InvalidTilesThrowAndEmptyTilesAreNullopt) {
  const auto& tiles = *world().tiles;
  EXPECT_FALSE(web::valid_tile(17, 0, 0));
  EXPECT_FALSE(web::valid_tile(3, 8, 0));
  EXPECT_FALSE(web::valid_tile(3, 0, -1));
  EXPECT_TRUE(web::valid_tile(16, 65535, 65535));
  EXPECT_THROW((void)tiles.tile(web::TileLayer::mines, 17, 0, 0), std::out_of_range);
  EXPECT_THROW((void)tiles.tile(web::TileLayer::mines, 2, 4, 0), std::out_of_range);
  // The Atlantic at z 8: no mine.
  EXPECT_FALSE(tiles.tile(web::TileLayer::mines, 8, 90, 100).has_value());
  EXPECT_FALSE(tiles.tile(web::TileLayer::mine_points, 8, 90, 100).has_value());
  // z 0: every mine has its point (one z 0 unit is 9.8 km: the outlines collapse), merged with
  // those of its pixel: the counts add up to the mines.
  const auto points = tiles.tile(web::TileLayer::mine_points, 0, 0, 0);
  ASSERT_TRUE(points.has_value());
  const auto z0 = mvt_test::decode_tile(*points).at(0);
  std::size_t counted = 0;
  for (const auto& f : z0.features)
    counted += std::stoul(z0.property(f, "count"));
  EXPECT_EQ(counted, tiles.size());
  EXPECT_LT(z0.features.size(), tiles.size());
  EXPECT_EQ(web::parse_tile_layer("mines"), web::TileLayer::mines);
  EXPECT_EQ(web::parse_tile_layer("mine_points"), web::TileLayer::mine_points);
  EXPECT_FALSE(web::parse_tile_layer("../etc").has_value());
}

// GDAL decodes every tile at z 8–14 over the region; its ids equal GEOS's intersecting set (plus,
// at most, mines meeting only the buffer); feature id = mine index; the structure and winding
// follow the spec; at z ≥ 12 the areas equal GEOS's clip of the source to the buffered tile.
TEST(MineTiles, GdalDecodesOurTilesToTheMinesGeosFindsInThem) {
  const World& w = world();
  const auto& tiles = *w.tiles;
  TempDir dir("mc_mvt_gdal_decode");
  mvt_test::Geos geos;
  std::size_t tiles_checked = 0, areas_checked = 0, buffer_only = 0;
  double worst_rel = 0, sum_source_u2 = 0, sum_decoded_u2 = 0;
  std::size_t within_1pct = 0, strict_checked = 0;
  for (int z : {8, 10, 12, 13, 14}) {
    const auto range = region_tiles(z);
    for (int x = range.x0; x <= range.x1; ++x) {
      for (int y = range.y0; y <= range.y1; ++y) {
        if (z == 14 && (x + y) % 3 != 0) continue;  // a third of z 14 is enough
        const auto b = web::tile_bounds_m(z, x, y);
        const auto expected = mines_meeting(geos, tiles, b);
        const auto reachable = mines_meeting(geos, tiles, buffered(b));
        const auto bytes = tiles.tile(web::TileLayer::mines, z, x, y);
        std::set<std::string> ours;
        if (bytes) {
          // Our own decoder: command structure, winding, ids.
          const auto layers = mvt_test::decode_tile(*bytes);
          ASSERT_EQ(layers.size(), 1u);
          for (const auto& f : layers[0].features) {
            const auto rings = mvt_test::polygon_rings(f);
            ASSERT_FALSE(rings.empty());
            EXPECT_GT(mvt_test::twice_area(rings[0]), 0) << "first ring must be an exterior";
            for (const auto& ring : rings) {
              EXPECT_GE(ring.size(), 3u);
              EXPECT_NE(mvt_test::twice_area(ring), 0);
              for (const auto& [px, py] : ring) {
                EXPECT_GE(px, -web::mvt::kBuffer);
                EXPECT_LE(px, web::mvt::kExtent + web::mvt::kBuffer);
                EXPECT_GE(py, -web::mvt::kBuffer);
                EXPECT_LE(py, web::mvt::kExtent + web::mvt::kBuffer);
              }
            }
            EXPECT_EQ(layers[0].property(f, "mine_id"), w.ids.at(f.id));
          }
          // GDAL's decoder.
          const auto file = mvt_test::write_tile(dir.path(), z, x, y, *bytes);
          const auto decoded = mvt_test::read_with_gdal(file);
          ASSERT_EQ(decoded.count("mines"), 1u);
          for (const auto& [fid, f] : decoded.at("mines")) {
            ours.insert(f.mine_id);
            ASSERT_GE(fid, 0);
            ASSERT_LT(static_cast<std::size_t>(fid), w.ids.size());
            EXPECT_EQ(f.mine_id, w.ids[static_cast<std::size_t>(fid)]);
            EXPECT_EQ(f.status, w.status[static_cast<std::size_t>(fid)]);
            if (z < 12) continue;
            // Areas: GEOS clip of the source to the buffered tile, in tile units².
            const auto bb = buffered(b);
            GEOSGeometry* src = geos.multipolygon(tiles.shape_m(static_cast<std::size_t>(fid)));
            GEOSGeometry* clipped =
                GEOSClipByRect_r(geos.h, src, bb.x_min, bb.y_min, bb.x_max, bb.y_max);
            double area_m2 = 0, perimeter_m = 0;
            GEOSArea_r(geos.h, clipped, &area_m2);
            GEOSLength_r(geos.h, clipped, &perimeter_m);
            GEOSGeom_destroy_r(geos.h, clipped);
            GEOSGeom_destroy_r(geos.h, src);
            const double unit_m = (b.x_max - b.x_min) / web::mvt::kExtent;
            const double area_u2 = area_m2 / (unit_m * unit_m), perimeter_u = perimeter_m / unit_m;
            const double decoded_u2 = f.area_m2 / (unit_m * unit_m);
            if (area_u2 <= 64) continue;
            // Rounding moves each vertex by at most √2/2 unit, so the area moves by at most
            // about √2/2 · perimeter: any clipping or winding error is far larger.
            EXPECT_LE(std::abs(decoded_u2 - area_u2), 0.75 * perimeter_u)
                << z << "/" << x << "/" << y << " " << f.mine_id << ": " << decoded_u2 << " vs "
                << area_u2 << " units², perimeter " << perimeter_u;
            const double rel = std::abs(decoded_u2 - area_u2) / area_u2;
            worst_rel = std::max(worst_rel, rel);
            sum_source_u2 += area_u2;
            sum_decoded_u2 += decoded_u2;
            if (rel < 0.01) ++within_1pct;
            // The 1 % holds wherever rounding noise is below it: parts at least 16 units
            // wide on average (area / perimeter ≥ 16); slivers in the buffer and jagged mines of a
            // few hundred units² can be off by a few %, as any quantised encoding is.
            if (area_u2 / perimeter_u >= 16) ++strict_checked;
            if (area_u2 / perimeter_u >= 16)
              EXPECT_LT(rel, 0.01) << z << "/" << x << "/" << y << " " << f.mine_id << ": "
                                   << decoded_u2 << " vs " << area_u2 << " units²";
            ++areas_checked;
          }
        }
        for (const auto& id : expected)
          EXPECT_TRUE(ours.count(id)) << z << "/" << x << "/" << y << ": " << id << " missing";
        for (const auto& id : ours) {
          EXPECT_TRUE(reachable.count(id)) << z << "/" << x << "/" << y << ": " << id << " extra";
          if (!expected.count(id)) ++buffer_only;
        }
        ++tiles_checked;
      }
    }
  }
  std::printf(
      "checked %zu tiles, %zu areas > 64 units² (%zu within 1 %%, worst %.2e, total %.2e; "
      "%zu held to 1 %%), %zu buffer-only features\n",
      tiles_checked, areas_checked, within_1pct, worst_rel,
      (sum_decoded_u2 - sum_source_u2) / sum_source_u2, strict_checked, buffer_only);
  EXPECT_GT(strict_checked, 200u);
  // Rounding is unbiased: summed over every feature the areas agree far better than 1 %.
  EXPECT_LT(std::abs(sum_decoded_u2 - sum_source_u2) / sum_source_u2, 1e-3);
  EXPECT_GT(tiles_checked, 300u);
  EXPECT_GT(areas_checked, 300u);
}

TEST(MineTiles, PointsLieInsideTheirMinesAndInEveryZoom) {
  const World& w = world();
  const auto& tiles = *w.tiles;
  mvt_test::Geos geos;
  for (std::size_t m = 0; m < tiles.size(); ++m) {
    GEOSGeometry* g = geos.multipolygon(tiles.shape_m(m));
    const auto p = tiles.point_m(m);
    GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(geos.h, p.x, p.y);
    EXPECT_EQ(GEOSContains_r(geos.h, g, pt), 1) << w.ids[m];
    GEOSGeom_destroy_r(geos.h, pt);
    GEOSGeom_destroy_r(geos.h, g);
  }
  // At z 10, each mine's point is in exactly one unbuffered tile; together the tiles list each
  // mine once (plus buffer copies), read back by GDAL at the right place.
  TempDir dir("mc_mvt_points");
  std::map<std::string, int> seen_inside;
  const int z = 10;
  const auto range = region_tiles(z);
  for (int x = range.x0; x <= range.x1; ++x) {
    for (int y = range.y0; y <= range.y1; ++y) {
      const auto bytes = tiles.tile(web::TileLayer::mine_points, z, x, y);
      if (!bytes) continue;
      const auto decoded =
          mvt_test::read_with_gdal(mvt_test::write_tile(dir.path(), z, x, y, *bytes));
      const auto b = web::tile_bounds_m(z, x, y);
      const double unit_m = (b.x_max - b.x_min) / web::mvt::kExtent;
      for (const auto& [fid, f] : decoded.at("mine_points")) {
        const auto p = tiles.point_m(static_cast<std::size_t>(fid));
        EXPECT_NEAR(f.x, p.x, unit_m);  // quantised to half a unit, plus GDAL's pixel centre
        EXPECT_NEAR(f.y, p.y, unit_m);
        if (p.x >= b.x_min && p.x < b.x_max && p.y > b.y_min && p.y <= b.y_max)
          ++seen_inside[f.mine_id];
      }
    }
  }
  EXPECT_EQ(seen_inside.size(), tiles.size());
  for (const auto& [id, n] : seen_inside)
    EXPECT_EQ(n, 1) << id;
}

// Up to kMaxMergedPointZoom a mine_points feature stands for the mines whose quantised points share
// a cell of kPointCell_units² (cells aligned to the tile's origin): the test groups the mines of
// each buffered tile itself and expects one feature per group, with the lowest mine index as id,
// mine_id and status, that mine's point and the group's size as `count`. Over all tiles of a zoom,
// the groups inside the unbuffered tiles count every mine exactly once. Deeper, count is 1 and
// every mine of the buffered tile is its own feature.
TEST(MineTiles, LowZoomPointsAreMergedPerPixelWithACount) {
  const World& w = world();
  const auto& tiles = *w.tiles;
  for (const int z : {0, 3, 5, 7, 8}) {
    const bool merged = z <= web::kMaxMergedPointZoom;
    const auto range = region_tiles(z);
    std::size_t inside_total = 0, features_total = 0;
    for (int x = range.x0; x <= range.x1; ++x) {
      for (int y = range.y0; y <= range.y1; ++y) {
        const auto b = web::tile_bounds_m(z, x, y);
        const auto bb = buffered(b);
        const double per_m = web::mvt::kExtent / (b.x_max - b.x_min);
        struct Group {
          std::size_t first = 0, count = 0;
          std::int32_t qx = 0, qy = 0;
        };
        std::map<std::pair<long, long>, Group> groups;
        for (std::size_t m = 0; m < tiles.size(); ++m) {
          const auto p = tiles.point_m(m);
          if (p.x < bb.x_min || p.x > bb.x_max || p.y < bb.y_min || p.y > bb.y_max) continue;
          const auto qx = static_cast<std::int32_t>(std::lround((p.x - b.x_min) * per_m));
          const auto qy = static_cast<std::int32_t>(std::lround((b.y_max - p.y) * per_m));
          const int cell = web::kPointCell_units;
          const std::pair<long, long> key =
              merged ? std::pair<long, long>{static_cast<long>(std::floor(qx / double(cell))),
                                             static_cast<long>(std::floor(qy / double(cell)))}
                     : std::pair<long, long>{static_cast<long>(m), 0};
          Group& g = groups[key];
          if (g.count++ == 0) g = {m, 1, qx, qy};
        }
        const auto bytes = tiles.tile(web::TileLayer::mine_points, z, x, y);
        if (groups.empty()) {
          EXPECT_FALSE(bytes.has_value());
          continue;
        }
        ASSERT_TRUE(bytes.has_value());
        const auto layer = mvt_test::decode_tile(*bytes).at(0);
        std::map<std::uint64_t, Group> expected;
        for (const auto& [key, g] : groups) {
          expected[g.first] = g;
          if (g.qx >= 0 && g.qx < web::mvt::kExtent && g.qy >= 0 && g.qy < web::mvt::kExtent)
            inside_total += g.count;
        }
        ASSERT_EQ(layer.features.size(), expected.size()) << z << "/" << x << "/" << y;
        features_total += layer.features.size();
        for (const auto& f : layer.features) {
          const auto it = expected.find(f.id);
          ASSERT_NE(it, expected.end()) << "feature " << f.id;
          const Group& g = it->second;
          EXPECT_EQ(layer.property(f, "count"), std::to_string(g.count));
          EXPECT_EQ(layer.property(f, "mine_id"), w.ids[g.first]);
          EXPECT_EQ(layer.property(f, "status"), w.status[g.first]);
          ASSERT_EQ(f.commands.size(), 1u);
          ASSERT_EQ(f.commands[0].deltas.size(), 1u);
          EXPECT_EQ(f.commands[0].deltas[0].first, g.qx);
          EXPECT_EQ(f.commands[0].deltas[0].second, g.qy);
        }
      }
    }
    EXPECT_EQ(inside_total, tiles.size()) << "z " << z;
    if (z <= 3) EXPECT_LT(features_total, tiles.size()) << "z " << z << ": nothing merged";
  }
}

// GDAL's MVT writer on the same mines (EPSG:4326 in, its own reprojection), z 10–12, extent 4096,
// buffer 64, no simplification: the same ids in every tile.
TEST(MineTiles, SameIdSetsAsGdalsMvtWriterAtZoom10To12) {
  const World& w = world();
  TempDir dir("mc_mvt_gdal_writer");
  GDALAllRegister();
  GDALDriverH mem = GDALGetDriverByName("Memory");
  ASSERT_NE(mem, nullptr);
  GDALDatasetH src = GDALCreate(mem, "mines", 0, 0, 0, GDT_Unknown, nullptr);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 4326);
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayerH layer = GDALDatasetCreateLayer(src, "mines", srs, wkbMultiPolygon, nullptr);
  OGRFieldDefnH fd = OGR_Fld_Create("mine_id", OFTString);
  OGR_L_CreateField(layer, fd, TRUE);
  OGR_Fld_Destroy(fd);
  for (std::size_t m = 0; m < w.shapes.size(); ++m) {
    OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiPolygon);
    for (const auto& p : w.shapes[m]) {
      OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
      auto add = [&](const minecarbon::geo::Ring& r) {
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        for (const auto& v : r)
          OGR_G_AddPoint_2D(ring, v.x, v.y);
        OGR_G_CloseRings(ring);
        OGR_G_AddGeometryDirectly(poly, ring);
      };
      add(p.exterior);
      for (const auto& h : p.holes)
        add(h);
      OGR_G_AddGeometryDirectly(multi, poly);
    }
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
    OGR_F_SetFieldString(f, 0, w.ids[m].c_str());
    OGR_F_SetGeometryDirectly(f, multi);
    ASSERT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
    OGR_F_Destroy(f);
  }
  OSRDestroySpatialReference(srs);
  const fs::path out = dir.path() / "gdal";
  char** argv = nullptr;
  for (const char* a :
       {"-f", "MVT", "-dsco", "MINZOOM=10", "-dsco", "MAXZOOM=12", "-dsco", "EXTENT=4096", "-dsco",
        "BUFFER=64", "-dsco", "COMPRESS=NO", "-dsco", "FORMAT=DIRECTORY"})
    argv = CSLAddString(argv, a);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv, nullptr);
  CSLDestroy(argv);
  int usage_error = 0;
  GDALDatasetH written = GDALVectorTranslate(out.c_str(), nullptr, 1, &src, options, &usage_error);
  GDALVectorTranslateOptionsFree(options);
  ASSERT_NE(written, nullptr) << CPLGetLastErrorMsg();
  GDALClose(written);
  GDALClose(src);

  const auto& tiles = *w.tiles;
  std::size_t compared = 0, nonempty = 0;
  for (int z = 10; z <= 12; ++z) {
    const auto range = region_tiles(z);
    for (int x = range.x0; x <= range.x1; ++x) {
      for (int y = range.y0; y <= range.y1; ++y) {
        std::set<std::string> theirs, ours;
        const fs::path file =
            out / std::to_string(z) / std::to_string(x) / (std::to_string(y) + ".pbf");
        if (fs::exists(file))
          for (const auto& [name, features] : mvt_test::read_with_gdal(file))
            for (const auto& [fid, f] : features)
              theirs.insert(f.mine_id);
        if (const auto bytes = tiles.tile(web::TileLayer::mines, z, x, y)) {
          const auto layers = mvt_test::decode_tile(*bytes);
          for (const auto& f : layers.at(0).features)
            ours.insert(w.ids.at(f.id));
        }
        EXPECT_EQ(ours, theirs) << "tile " << z << "/" << x << "/" << y;
        ++compared;
        nonempty += ours.empty() ? 0 : 1;
      }
    }
  }
  std::printf("compared %zu tiles with GDAL's writer (%zu non-empty)\n", compared, nonempty);
  EXPECT_GT(nonempty, 50u);
}

TEST(MineTiles, ConcurrentReadsGiveTheSequentialBytes) {
  const auto& tiles = *world().tiles;
  std::vector<std::array<int, 3>> addresses;
  for (int z : {9, 11, 13}) {
    const auto r = region_tiles(z);
    for (int x = r.x0; x <= r.x1; ++x)
      for (int y = r.y0; y <= r.y1; ++y)
        addresses.push_back({z, x, y});
  }
  std::vector<std::optional<std::string>> sequential;
  for (const auto& [z, x, y] : addresses)
    sequential.push_back(tiles.tile(web::TileLayer::mines, z, x, y));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < addresses.size() * 2; i += 3) {
        const std::size_t a = i % addresses.size();
        const auto& [z, x, y] = addresses[a];
        if (tiles.tile(web::TileLayer::mines, z, x, y) != sequential[a]) ++mismatches;
      }
    });
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(MineTiles, FromModelTakesIdsGeometryAndTheDamageStatus) {
  minecarbon::report::ReportModel model;
  model.mine_ids = {"A", "B", "C"};
  const auto shapes = mvt_test::synthetic_mines(3, kLon0, kLat0, 0.1, 1);
  model.geometry = {shapes[0], {}, shapes[2]};  // B has no outline
  auto text_var = [](std::string stage, std::vector<std::string> texts) {
    minecarbon::report::ReportVariable v;
    v.key = stage + ".mines.status";
    v.stage = stage;
    v.column = "status";
    v.table = "mines";
    v.numeric = false;
    v.texts = std::move(texts);
    return v;
  };
  model.variables.push_back(text_var("topography", {"t1", "t2", "t3"}));
  model.variables.push_back(text_var("damage", {"ok", "no_data", "too_small"}));
  const auto tiles = web::MineTiles::from_model(model);
  ASSERT_EQ(tiles.size(), 3u);
  EXPECT_EQ(tiles.status(0), "ok");
  EXPECT_EQ(tiles.status(2), "too_small");
  EXPECT_TRUE(tiles.shape_m(1).empty());
  EXPECT_TRUE(std::isnan(tiles.point_m(1).x));
  // At z 16 (no merging) the tile of each mine's point has it, with its status.
  for (const std::size_t m : {std::size_t{0}, std::size_t{2}}) {
    const auto p = tiles.point_m(m);
    const int n = 1 << 16;
    const int x = static_cast<int>((p.x + web::kHalfWorld_m) / (2 * web::kHalfWorld_m) * n);
    const int y = static_cast<int>((web::kHalfWorld_m - p.y) / (2 * web::kHalfWorld_m) * n);
    const auto points = tiles.tile(web::TileLayer::mine_points, 16, x, y);
    ASSERT_TRUE(points.has_value());
    const auto layer = mvt_test::decode_tile(*points).at(0);
    ASSERT_EQ(layer.features.size(), 1u);
    EXPECT_EQ(layer.features[0].id, m);
    EXPECT_EQ(layer.property(layer.features[0], "status"), m == 0 ? "ok" : "too_small");
    EXPECT_EQ(layer.property(layer.features[0], "count"), "1");
  }

  // Without a damage status, the first stage's; with none, "".
  model.variables.pop_back();
  EXPECT_EQ(web::MineTiles::from_model(model).status(1), "t2");
  model.variables.clear();
  EXPECT_EQ(web::MineTiles::from_model(model).status(0), "");
}
