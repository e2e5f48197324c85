#include "minecarbon/demo/synth_world.h"

#include <cmath>
#include <numbers>

#include "minecarbon/core/random.h"
#include "minecarbon/geo/coverage.h"

namespace minecarbon::demo {
namespace {

constexpr double kCellDeg = 0.0045;
constexpr double kMetresPerDegLat = 110574.0;  // mean, used only to size the shapes
// Painted cells: coverage above this (a border exactly on a grid line leaves 1e-13 slivers).
constexpr double kPaintThreshold = 1e-9;

// Every value is a multiple of 1/16 below 2^14, so float32 stores it and sums of it exactly:
// the planted answers are then recoverable to the rounding of doubles, not of floats.
double sixteenths(double value) {
  return std::round(value * 16.0) / 16.0;
}

double metres_to_dlon(double m, double lat) {
  return m / (111320.0 * std::cos(lat * std::numbers::pi / 180.0));
}

geo::Polygon star(double lon, double lat, double radius_m, int vertices, RandomStream& rng) {
  geo::Polygon p;
  for (int k = 0; k < vertices; ++k) {
    const double a = (k + 0.8 * rng.uniform01()) * 2 * std::numbers::pi / vertices;
    const double r = radius_m * (0.65 + 0.5 * rng.uniform01());
    p.exterior.push_back(
        {lon + metres_to_dlon(r * std::cos(a), lat), lat + r * std::sin(a) / kMetresPerDegLat});
  }
  return p;
}

geo::Ring rectangle(double lon0, double lat0, double lon1, double lat1) {
  return {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}};
}

}  // namespace

double SynthMine::disturbance(int year) const {
  if (year < onset_year) return 0.0;
  double d = -loss_gC_m2_yr;
  if (restore_year > 0 && year >= restore_year) d += recovery_gC_m2_yr2 * (year - restore_year + 1);
  return std::min(0.0, d);
}

SynthWorld make_synth_world(std::uint64_t seed) {
  RandomStream rng(seed, StreamPurpose::demo_damage_world, 0);
  SynthWorld world;
  // 0.945° × 0.405° (≈ 86 × 45 km) around 110.225°E, 35°N: one UTM zone (49N), so 30 m land-use
  // maps in UTM cover every mine.
  const std::int64_t cols = 210, rows = 90;
  world.grid = geo::Grid{109.7525, 35.2025, kCellDeg, kCellDeg, rows, cols};
  const geo::Grid& grid = world.grid;

  // Three clusters of mines side by side (23 km apart); positions on a 3 × 3 lattice 6.5 km
  // apart, jittered. The ISO-3 codes only exercise the grouping (all three are in Asia).
  const struct {
    double lon;
    const char* iso3;
  } clusters[] = {{109.975, "VNM"}, {110.225, "CHN"}, {110.475, "MNG"}};
  int next_id = 1;
  auto add_mine = [&](geo::MultiPolygon shape, const char* iso3) {
    SynthMine m;
    m.id = "M" + std::to_string(next_id++);
    m.iso3 = iso3;
    m.shape_lonlat = std::move(shape);
    m.onset_year = 1998 + static_cast<int>(rng.uniform01() * 15);  // some before the base year
    m.loss_gC_m2_yr = sixteenths(60 + 240 * rng.uniform01());
    if (rng.uniform01() < 0.7) {
      m.restore_year = m.onset_year + 3 + static_cast<int>(rng.uniform01() * 6);
      m.recovery_gC_m2_yr2 = sixteenths(5 + 20 * rng.uniform01());
    }
    world.mines.push_back(std::move(m));
  };
  for (const auto& cluster : clusters) {
    for (int k = 0; k < 9; ++k) {
      const double lat = 35.0 + ((k / 3) - 1) * 6500.0 / kMetresPerDegLat;
      const double lon = cluster.lon + metres_to_dlon(((k % 3) - 1) * 6500.0, lat);
      const double jitter_lat = (rng.uniform01() - 0.5) * 800 / kMetresPerDegLat;
      const double jitter_lon = metres_to_dlon((rng.uniform01() - 0.5) * 800, lat);
      const double clat = lat + jitter_lat, clon = lon + jitter_lon;
      if (k == 4) {
        // Two rectangles sharing a border that lies exactly on a grid line.
        const double split = grid.col_x(std::round(grid.col_f(clon)));
        const double half_h = 700 / kMetresPerDegLat;
        add_mine({geo::Polygon{rectangle(split - 3 * kCellDeg, clat - half_h, split, clat + half_h),
                               {}}},
                 cluster.iso3);
        add_mine({geo::Polygon{rectangle(split, clat - half_h, split + 4 * kCellDeg, clat + half_h),
                               {}}},
                 cluster.iso3);
      } else if (k == 0) {
        // A mine with a hole (an unmined island), ~2.4 km across.
        geo::Polygon p;
        const double w = metres_to_dlon(1200, clat), h = 1200 / kMetresPerDegLat;
        p.exterior = rectangle(clon - w, clat - h, clon + w, clat + h);
        p.holes.push_back(rectangle(clon - w / 3, clat - h / 3, clon + w / 3, clat + h / 3));
        add_mine({p}, cluster.iso3);
      } else if (k == 8) {
        add_mine({star(clon, clat, 350, 9, rng)}, cluster.iso3);  // below 1 km²
      } else {
        // Draws in separate statements: the order of evaluation of function arguments is
        // unspecified, so draws inside one call would differ between compilers.
        const double radius_m = 700 + 500 * rng.uniform01();
        const int vertices = 8 + static_cast<int>(rng.uniform01() * 30);
        add_mine({star(clon, clat, radius_m, vertices, rng)}, cluster.iso3);
      }
    }
  }

  // Background and regional anomaly.
  const int n_years = world.last_year - world.first_year + 1;
  std::vector<float> background(static_cast<std::size_t>(rows * cols));
  constexpr double kNoiseSd = 8.0;  // pixel noise of the background, gC m-2 yr-1
  for (std::int64_t row = 0; row < rows; ++row) {
    for (std::int64_t col = 0; col < cols; ++col) {
      const double y = static_cast<double>(row) / 12.0, x = static_cast<double>(col) / 25.0;
      background[static_cast<std::size_t>(row * cols + col)] =
          static_cast<float>(sixteenths(260 + 120 * std::sin(y) * std::cos(x) +
                                        40 * std::sin(0.37 * y + x) + kNoiseSd * rng.normal()));
    }
  }
  std::vector<double> anomaly(static_cast<std::size_t>(n_years));
  for (int t = 0; t < n_years; ++t)
    anomaly[static_cast<std::size_t>(t)] = sixteenths(3.0 * t + 25.0 * std::sin(1.3 * t));

  // A mine's floor is uniform (stripped land is): its own background level on every cell it
  // touches, so a cloud over part of a mine does not shift its mean.
  std::vector<geo::Coverage> mine_cover;
  for (const auto& mine : world.mines) {
    mine_cover.push_back(geo::compute_coverage(mine.shape_lonlat, grid));
    const float floor_level = static_cast<float>(sixteenths(180 + 150 * rng.uniform01()));
    const geo::Coverage& cov = mine_cover.back();
    for (std::int64_t r = 0; r < cov.window.rows; ++r)
      for (std::int64_t c = 0; c < cov.window.cols; ++c)
        if (cov.frac[static_cast<std::size_t>(r * cov.window.cols + c)] > kPaintThreshold)
          background[static_cast<std::size_t>((cov.window.row0 + r) * cols + cov.window.col0 + c)] =
              floor_level;
  }
  world.nep.assign(static_cast<std::size_t>(n_years), background);
  for (int t = 0; t < n_years; ++t)
    for (auto& v : world.nep[static_cast<std::size_t>(t)])
      v = static_cast<float>(v + anomaly[static_cast<std::size_t>(t)]);

  // Paint the planted disturbances.
  for (std::size_t idx = 0; idx < world.mines.size(); ++idx) {
    const SynthMine& mine = world.mines[idx];
    const geo::Coverage& cov = mine_cover[idx];
    for (std::int64_t r = 0; r < cov.window.rows; ++r) {
      for (std::int64_t c = 0; c < cov.window.cols; ++c) {
        if (cov.frac[static_cast<std::size_t>(r * cov.window.cols + c)] <= kPaintThreshold)
          continue;
        const std::size_t cell =
            static_cast<std::size_t>((cov.window.row0 + r) * cols + cov.window.col0 + c);
        for (int t = 0; t < n_years; ++t)
          world.nep[static_cast<std::size_t>(t)][cell] +=
              static_cast<float>(mine.disturbance(world.first_year + t));
      }
    }
  }

  // Nodata: a permanent lake in one cluster's surroundings and "clouds" in some years over mines.
  auto mask_box = [&](int t, double lon0, double lat0, double lon1, double lat1) {
    const auto c0 = static_cast<std::int64_t>(grid.col_f(lon0)),
               c1 = static_cast<std::int64_t>(grid.col_f(lon1));
    const auto r0 = static_cast<std::int64_t>(grid.row_f(lat1)),
               r1 = static_cast<std::int64_t>(grid.row_f(lat0));
    for (std::int64_t r = std::max<std::int64_t>(0, r0); r <= std::min(rows - 1, r1); ++r)
      for (std::int64_t c = std::max<std::int64_t>(0, c0); c <= std::min(cols - 1, c1); ++c)
        world.nep[static_cast<std::size_t>(t)][static_cast<std::size_t>(r * cols + c)] =
            world.nodata;
  };
  for (int t = 0; t < n_years; ++t)
    mask_box(t, 110.30, 34.93, 110.36, 34.97);  // lake
  const SynthMine& clouded = world.mines[2];
  const geo::Bounds cb = geo::bounds(clouded.shape_lonlat);
  for (int t : {5, 13})
    mask_box(t, cb.x_min, cb.y_min, 0.5 * (cb.x_min + cb.x_max), cb.y_max);
  return world;
}

}  // namespace minecarbon::demo
