// The 45,000-mine synthetic world of the tile benchmarks (bm_web_mvt, tile_load): the size of
// issue 14's benchmark world. Star-shaped mines of 6–35 vertices and radius 150–1500 m, every 7th
// with a hole and every 11th with a second part, in 300 mining districts (Gaussian, σ = 25 km)
// scattered over 100–120°E, 25–40°N, from a fixed seed. Outlines in lon/lat (EPSG:4326), rings
// closed. Mine m has id "M<m>" and status "too_small" when m % 9 == 0, else "ok".
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "minecarbon/geo/polygon.h"

namespace minecarbon::bench {

inline constexpr std::size_t kTileWorldMines = 45000;
inline constexpr std::uint64_t kTileWorldSeed = 20261207;
inline constexpr std::size_t kTileWorldDistricts = 300;

struct TileWorld {
  std::vector<std::pair<double, double>> districts;  // lon, lat of each district's centre
  std::vector<geo::MultiPolygon> shapes;
  std::vector<std::string> ids, status;
};

inline TileWorld make_tile_world(std::size_t n_mines = kTileWorldMines) {
  TileWorld w;
  std::mt19937_64 rng(kTileWorldSeed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> district_offset_m(0.0, 25000.0);
  constexpr double m_per_deg = 111320.0;
  w.districts.resize(kTileWorldDistricts);
  for (auto& [lon, lat] : w.districts)
    lon = 100 + 20 * u(rng), lat = 25 + 15 * u(rng);
  auto star = [&](double lon, double lat, double radius_m, int vertices) {
    geo::Ring ring;
    const double k = 1.0 / (m_per_deg * std::cos(lat * std::numbers::pi / 180));
    for (int v = 0; v < vertices; ++v) {
      const double a = 2 * std::numbers::pi * v / vertices;
      const double r = radius_m * (0.6 + 0.4 * u(rng));
      ring.push_back({lon + r * std::cos(a) * k, lat + r * std::sin(a) / m_per_deg});
    }
    ring.push_back(ring.front());
    return ring;
  };
  w.shapes.resize(n_mines);
  for (std::size_t m = 0; m < n_mines; ++m) {
    const auto& [dlon, dlat] = w.districts[m % w.districts.size()];
    const double lat = dlat + district_offset_m(rng) / m_per_deg;
    const double lon =
        dlon + district_offset_m(rng) / (m_per_deg * std::cos(lat * std::numbers::pi / 180));
    const double radius_m = 150 + 1350 * u(rng);
    geo::Polygon p{star(lon, lat, radius_m, 6 + static_cast<int>(u(rng) * 30)), {}};
    if (m % 7 == 0) p.holes.push_back(star(lon, lat, radius_m * 0.3, 8));
    w.shapes[m].push_back(std::move(p));
    if (m % 11 == 0) {
      const double k = 1.0 / (m_per_deg * std::cos(lat * std::numbers::pi / 180));
      w.shapes[m].push_back({star(lon + 4 * radius_m * k, lat, radius_m * 0.5, 9), {}});
    }
  }
  for (std::size_t m = 0; m < n_mines; ++m) {
    w.ids.push_back("M" + std::to_string(m));
    w.status.push_back(m % 9 == 0 ? "too_small" : "ok");
  }
  return w;
}

}  // namespace minecarbon::bench
