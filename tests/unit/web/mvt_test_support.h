// Test support for the MVT tests: a minimal, independent MVT decoder (protobuf wire format read
// field by field, geometry commands kept as they are so their structure can be checked), a
// synthetic set of mines, and small GEOS/GDAL helpers.
#pragma once

#include <gdal.h>
#include <geos_c.h>
#include <gtest/gtest.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/geo/polygon.h"

namespace mvt_test {

// --- decoder ---
struct Command {
  std::uint32_t id = 0, count = 0;
  std::vector<std::pair<std::int32_t, std::int32_t>> deltas;  // count of them (none for ClosePath)
};
struct DecodedFeature {
  bool has_id = false;
  std::uint64_t id = 0;
  std::vector<std::uint32_t> tags;
  std::uint32_t type = 0;
  std::vector<Command> commands;
};
struct DecodedLayer {
  std::uint32_t version = 1;  // the spec's default when absent
  std::string name;
  std::uint32_t extent = 4096;
  std::vector<std::string> keys;
  std::vector<std::string> values;  // strings, uint values as decimal digits; others "<non-string>"
  std::vector<DecodedFeature> features;
  std::string property(const DecodedFeature& f, const std::string& key) const {
    for (std::size_t t = 0; t + 1 < f.tags.size(); t += 2)
      if (keys.at(f.tags[t]) == key) return values.at(f.tags[t + 1]);
    return "<absent>";
  }
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  bool done() const { return p_ >= end_; }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) throw std::runtime_error("varint runs past the end");
      const auto byte = static_cast<unsigned char>(*p_++);
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
    throw std::runtime_error("varint longer than 10 bytes");
  }
  std::string_view bytes() {
    const std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) throw std::runtime_error("length past the end");
    std::string_view out(p_, n);
    p_ += n;
    return out;
  }
  void skip(std::uint32_t wire) {
    if (wire == 0)
      varint();
    else if (wire == 2)
      bytes();
    else if (wire == 1)
      p_ += 8;
    else if (wire == 5)
      p_ += 4;
    else
      throw std::runtime_error("unknown wire type");
  }

 private:
  const char* p_;
  const char* end_;
};

inline std::vector<std::uint32_t> packed(std::string_view bytes) {
  Reader r(bytes);
  std::vector<std::uint32_t> out;
  while (!r.done())
    out.push_back(static_cast<std::uint32_t>(r.varint()));
  return out;
}

inline std::int32_t unzig(std::uint32_t v) {
  return static_cast<std::int32_t>(v >> 1) ^ -static_cast<std::int32_t>(v & 1);
}

inline DecodedFeature decode_feature(std::string_view bytes) {
  DecodedFeature f;
  Reader r(bytes);
  std::vector<std::uint32_t> geometry;
  while (!r.done()) {
    const std::uint64_t key = r.varint();
    const auto field = static_cast<std::uint32_t>(key >> 3),
               wire = static_cast<std::uint32_t>(key & 7);
    if (field == 1 && wire == 0)
      f.has_id = true, f.id = r.varint();
    else if (field == 2 && wire == 2)
      f.tags = packed(r.bytes());
    else if (field == 3 && wire == 0)
      f.type = static_cast<std::uint32_t>(r.varint());
    else if (field == 4 && wire == 2)
      geometry = packed(r.bytes());
    else
      r.skip(wire);
  }
  for (std::size_t i = 0; i < geometry.size();) {
    Command c;
    c.id = geometry[i] & 7;
    c.count = geometry[i] >> 3;
    ++i;
    if (c.id == 1 || c.id == 2) {
      for (std::uint32_t k = 0; k < c.count; ++k, i += 2) {
        if (i + 1 >= geometry.size()) throw std::runtime_error("geometry ends inside a command");
        c.deltas.emplace_back(unzig(geometry[i]), unzig(geometry[i + 1]));
      }
    }
    f.commands.push_back(std::move(c));
  }
  return f;
}

inline std::vector<DecodedLayer> decode_tile(std::string_view tile) {
  std::vector<DecodedLayer> layers;
  Reader r(tile);
  while (!r.done()) {
    const std::uint64_t key = r.varint();
    if (key != ((3 << 3) | 2)) {
      r.skip(static_cast<std::uint32_t>(key & 7));
      continue;
    }
    DecodedLayer layer;
    Reader lr(r.bytes());
    while (!lr.done()) {
      const std::uint64_t k = lr.varint();
      const auto field = static_cast<std::uint32_t>(k >> 3),
                 wire = static_cast<std::uint32_t>(k & 7);
      if (field == 15 && wire == 0)
        layer.version = static_cast<std::uint32_t>(lr.varint());
      else if (field == 1 && wire == 2)
        layer.name = std::string(lr.bytes());
      else if (field == 2 && wire == 2)
        layer.features.push_back(decode_feature(lr.bytes()));
      else if (field == 3 && wire == 2)
        layer.keys.emplace_back(lr.bytes());
      else if (field == 4 && wire == 2) {
        Reader vr(lr.bytes());
        std::string value = "<non-string>";
        while (!vr.done()) {
          const std::uint64_t vk = vr.varint();
          if (vk == ((1 << 3) | 2))
            value = std::string(vr.bytes());
          else if (vk == ((5 << 3) | 0))  // uint_value, as its decimal digits
            value = std::to_string(vr.varint());
          else
            vr.skip(static_cast<std::uint32_t>(vk & 7));
        }
        layer.values.push_back(value);
      } else if (field == 5 && wire == 0)
        layer.extent = static_cast<std::uint32_t>(lr.varint());
      else
        lr.skip(wire);
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

// A polygon feature's rings in tile coordinates, after checking the command structure of the
// spec (§4.3.4.4): per ring MoveTo(1), LineTo(≥ 2), ClosePath(1), and nothing else. Adds a gtest
// failure and returns what it could read when the structure is wrong.
inline std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> polygon_rings(
    const DecodedFeature& f) {
  std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> rings;
  std::int64_t cx = 0, cy = 0;
  for (std::size_t i = 0; i < f.commands.size(); i += 3) {
    if (i + 2 >= f.commands.size()) {
      ADD_FAILURE() << "feature " << f.id << ": a ring is cut short";
      break;
    }
    const Command &move = f.commands[i], &line = f.commands[i + 1], &close = f.commands[i + 2];
    EXPECT_EQ(move.id, 1u);
    EXPECT_EQ(move.count, 1u);
    EXPECT_EQ(line.id, 2u);
    EXPECT_GE(line.count, 2u);
    EXPECT_EQ(close.id, 7u);
    EXPECT_EQ(close.count, 1u);
    auto& ring = rings.emplace_back();
    for (const Command* c : {&move, &line})
      for (const auto& [dx, dy] : c->deltas) {
        cx += dx;
        cy += dy;
        ring.emplace_back(cx, cy);
      }
  }
  return rings;
}

inline std::int64_t twice_area(const std::vector<std::pair<std::int64_t, std::int64_t>>& ring) {
  std::int64_t s = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const auto& a = ring[i];
    const auto& b = ring[(i + 1) % ring.size()];
    s += a.first * b.second - b.first * a.second;
  }
  return s;
}

// --- synthetic mines ---
// `n` star-shaped mines (simple polygons) of radius 150–1500 m scattered over a box of
// `span_deg` around (lon0, lat0); every 7th has a hole, every 11th is two polygons.
inline std::vector<minecarbon::geo::MultiPolygon> synthetic_mines(std::size_t n, double lon0,
                                                                  double lat0, double span_deg,
                                                                  std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  constexpr double m_per_deg = 111320.0;
  auto star = [&](double lon, double lat, double radius_m, int vertices, bool reverse) {
    minecarbon::geo::Ring ring;
    const double k = 1.0 / (m_per_deg * std::cos(lat * std::numbers::pi / 180));
    for (int v = 0; v < vertices; ++v) {
      const double a = 2 * std::numbers::pi * v / vertices;
      const double r = radius_m * (0.6 + 0.4 * u(rng));
      ring.push_back({lon + r * std::cos(a) * k, lat + r * std::sin(a) / m_per_deg});
    }
    if (reverse) std::reverse(ring.begin(), ring.end());
    ring.push_back(ring.front());
    return ring;
  };
  std::vector<minecarbon::geo::MultiPolygon> mines(n);
  for (std::size_t m = 0; m < n; ++m) {
    const double lon = lon0 + span_deg * (u(rng) - 0.5), lat = lat0 + span_deg * (u(rng) - 0.5);
    const double radius_m = 150 + 1350 * u(rng);
    const int vertices = 6 + static_cast<int>(u(rng) * 30);
    minecarbon::geo::Polygon p{star(lon, lat, radius_m, vertices, m % 2 == 0), {}};
    if (m % 7 == 0) p.holes.push_back(star(lon, lat, radius_m * 0.3, 8, m % 3 == 0));
    mines[m].push_back(std::move(p));
    if (m % 11 == 0) {
      const double k = 1.0 / (m_per_deg * std::cos(lat * std::numbers::pi / 180));
      mines[m].push_back({star(lon + 4 * radius_m * k, lat, radius_m * 0.5, 9, false), {}});
    }
  }
  return mines;
}

// --- GEOS ---
struct Geos {
  GEOSContextHandle_t h = GEOS_init_r();
  ~Geos() { GEOS_finish_r(h); }
  GEOSGeometry* ring(const minecarbon::geo::Ring& r) const {
    std::size_t n = r.size();
    const bool closed = n > 1 && r.front().x == r.back().x && r.front().y == r.back().y;
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(closed ? n : n + 1), 2);
    for (std::size_t i = 0; i < n; ++i)
      GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(i), r[i].x, r[i].y);
    if (!closed) GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(n), r[0].x, r[0].y);
    return GEOSGeom_createLinearRing_r(h, seq);
  }
  GEOSGeometry* multipolygon(const minecarbon::geo::MultiPolygon& shape) const {
    std::vector<GEOSGeometry*> polys;
    for (const auto& p : shape) {
      std::vector<GEOSGeometry*> holes;
      for (const auto& hole : p.holes)
        holes.push_back(ring(hole));
      polys.push_back(GEOSGeom_createPolygon_r(h, ring(p.exterior), holes.data(),
                                               static_cast<unsigned>(holes.size())));
    }
    return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(),
                                       static_cast<unsigned>(polys.size()));
  }
  GEOSGeometry* box(double x0, double y0, double x1, double y1) const {
    return multipolygon({{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, {}}});
  }
};

// --- GDAL MVT reading ---
// Writes `bytes` to dir/z/x/y.pbf and opens it with GDAL's MVT driver (EPSG:3857 geometry from the
// z/x/y path; CLIP=NO keeps the buffer). Returns, per layer, the MVT feature id (GDAL's field mvt_id) → its fields and measure.
struct GdalFeature {
  std::string mine_id, status;
  double area_m2 = 0;
  double x = 0, y = 0;  // points
};
inline std::map<std::string, std::map<std::int64_t, GdalFeature>> read_with_gdal(
    const std::filesystem::path& file) {
  const char* open_options[] = {"CLIP=NO", "METADATA_FILE=", nullptr};
  const char* drivers[] = {"MVT", nullptr};
  GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR, drivers, open_options, nullptr);
  if (!ds) throw std::runtime_error("GDAL could not open " + file.string());
  std::map<std::string, std::map<std::int64_t, GdalFeature>> out;
  for (int l = 0; l < GDALDatasetGetLayerCount(ds); ++l) {
    OGRLayerH layer = GDALDatasetGetLayer(ds, l);
    auto& features = out[OGR_L_GetName(layer)];
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      GdalFeature g;
      OGRFeatureDefnH defn = OGR_F_GetDefnRef(f);
      const int id_field = OGR_FD_GetFieldIndex(defn, "mine_id");
      const int status_field = OGR_FD_GetFieldIndex(defn, "status");
      if (id_field >= 0) g.mine_id = OGR_F_GetFieldAsString(f, id_field);
      if (status_field >= 0) g.status = OGR_F_GetFieldAsString(f, status_field);
      if (OGRGeometryH geom = OGR_F_GetGeometryRef(f)) {
        const auto type = wkbFlatten(OGR_G_GetGeometryType(geom));
        if (type == wkbPoint)
          g.x = OGR_G_GetX(geom, 0), g.y = OGR_G_GetY(geom, 0);
        else
          g.area_m2 = OGR_G_Area(geom);
      }
      // GDAL's reader numbers features itself and gives the MVT feature id as field `mvt_id`.
      const int mvt_id_field = OGR_FD_GetFieldIndex(defn, "mvt_id");
      const std::int64_t id =
          mvt_id_field >= 0 && OGR_F_IsFieldSetAndNotNull(f, mvt_id_field)
              ? OGR_F_GetFieldAsInteger64(f, mvt_id_field)
              : -1 - static_cast<std::int64_t>(features.size());  // no id in the tile
      features[id] = g;
      OGR_F_Destroy(f);
    }
  }
  GDALClose(ds);
  return out;
}

inline std::filesystem::path write_tile(const std::filesystem::path& root, int z, int x, int y,
                                        const std::string& bytes) {
  const auto dir = root / std::to_string(z) / std::to_string(x);
  std::filesystem::create_directories(dir);
  const auto file = dir / (std::to_string(y) + ".pbf");
  std::ofstream(file, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file;
}

// Tiles at zoom z (XYZ) covering a lon/lat box.
struct TileRange {
  int x0, x1, y0, y1;  // inclusive
};
inline TileRange tiles_covering(int z, double lon_min, double lat_min, double lon_max,
                                double lat_max) {
  const double n = std::ldexp(1.0, z);
  auto tx = [&](double lon) { return static_cast<int>(std::floor((lon + 180) / 360 * n)); };
  auto ty = [&](double lat) {
    const double r = lat * std::numbers::pi / 180;
    return static_cast<int>(std::floor((1 - std::asinh(std::tan(r)) / std::numbers::pi) / 2 * n));
  };
  return {tx(lon_min), tx(lon_max), ty(lat_max), ty(lat_min)};
}

}  // namespace mvt_test
