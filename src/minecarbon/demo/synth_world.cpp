#include "minecarbon/demo/synth_world.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "minecarbon/core/random.h"
#include "minecarbon/demo/synth_potential.h"
#include "minecarbon/geo/coverage.h"

namespace minecarbon::demo {
namespace {

constexpr double kCellDeg = 0.0045;
constexpr double kMetresPerDegLat = 110574.0;  // mean, used only to size the shapes
constexpr double kCentreLon = 110.225, kCentreLat = 35.0;
constexpr double kSiteSpacingM = 3600.0, kJitterM = 400.0;  // jitter: full width (±200 m)
constexpr double kMarginM = 7500.0;  // grid beyond the sites: the 5 km rings and a mine's radius
constexpr int kSmallEvery = 40;      // every 40th site holds a mine below 1 km²
// Painted cells: coverage above this (a border exactly on a grid line leaves 1e-13 slivers).
constexpr double kPaintThreshold = 1e-9;
// The potential planting: noise of the achievable increment, share of restored mines.
constexpr double kAchievableNoiseSd = 12.0;
constexpr double kRestoredShare = 0.45;

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

double site_lat(int row) {
  return kCentreLat + (row - 0.5 * (kSynthLatticeRows - 1)) * kSiteSpacingM / kMetresPerDegLat;
}
double site_lon(int col, double lat) {
  return kCentreLon + metres_to_dlon((col - 0.5 * (kSynthLatticeCols - 1)) * kSiteSpacingM, lat);
}

// Onset, loss and recovery of a mine whose NEP must change by exactly `target` (sixteenths
// after rounding) from 2000 to 2020; returns the change planted.
double plant_history(SynthMine& m, double target, RandomStream& rng) {
  if (target > 0) {
    // Stripped before 2000 and recovering: d(2020) − d(2000) = recovery × years of recovery
    // within 2000…2020; the loss exceeds all recovery to 2020, so the cap at 0 never bites.
    m.onset_year = 1990 + static_cast<int>(rng.uniform01() * 11);
    m.restore_year = m.onset_year + 3 + static_cast<int>(rng.uniform01() * 10);
    const int n = (2021 - m.restore_year) - std::max(0, 2001 - m.restore_year);
    m.recovery_gC_m2_yr2 = std::max(1.0 / 16.0, sixteenths(target / n));
    m.loss_gC_m2_yr =
        m.recovery_gC_m2_yr2 * (2021 - m.restore_year) + sixteenths(20 + 100 * rng.uniform01());
    return m.recovery_gC_m2_yr2 * n;
  }
  // Loss after 2000, partly recovered or not at all: d(2000) = 0, d(2020) = target.
  m.onset_year = 2001 + static_cast<int>(rng.uniform01() * 12);
  const double net_loss = sixteenths(-target);
  if (rng.uniform01() < 0.3 && net_loss >= 30) {
    m.loss_gC_m2_yr = net_loss;
    return -net_loss;
  }
  m.restore_year = m.onset_year + 3 + static_cast<int>(rng.uniform01() * 6);
  m.recovery_gC_m2_yr2 = sixteenths(5 + 20 * rng.uniform01());
  m.loss_gC_m2_yr = net_loss + m.recovery_gC_m2_yr2 * (2021 - m.restore_year);
  return -net_loss;
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
  RandomStream potential_rng(seed, StreamPurpose::demo_potential_world, 0);
  SynthWorld world;

  // The grid: the sites' span plus kMarginM on every side, on multiples of the cell size.
  const double lat_lo = site_lat(0) - kMarginM / kMetresPerDegLat;
  const double lat_hi = site_lat(kSynthLatticeRows - 1) + kMarginM / kMetresPerDegLat;
  const double half_lon = metres_to_dlon(0.5 * (kSynthLatticeCols - 1) * kSiteSpacingM + kMarginM,
                                         std::min(std::abs(lat_lo), std::abs(lat_hi)));
  const double x0 = std::floor((kCentreLon - half_lon) / kCellDeg) * kCellDeg;
  const double x1 = std::ceil((kCentreLon + half_lon) / kCellDeg) * kCellDeg;
  const double y0 = std::floor(lat_lo / kCellDeg) * kCellDeg;
  const double y1 = std::ceil(lat_hi / kCellDeg) * kCellDeg;
  const auto cols = static_cast<std::int64_t>(std::llround((x1 - x0) / kCellDeg));
  const auto rows = static_cast<std::int64_t>(std::llround((y1 - y0) / kCellDeg));
  world.grid = geo::Grid{x0, y1, kCellDeg, kCellDeg, rows, cols};
  const geo::Grid& grid = world.grid;
  world.extent = {grid.x_min, grid.y_min(), grid.x_max(), grid.y_max};

  const int n_years = world.last_year - world.first_year + 1;
  world.anomaly.resize(static_cast<std::size_t>(n_years));
  for (int t = 0; t < n_years; ++t)
    world.anomaly[static_cast<std::size_t>(t)] = sixteenths(3.0 * t + 25.0 * std::sin(1.3 * t));
  const double anomaly_change = world.anomaly.back() - world.anomaly.front();

  // Mines, site by site. The ISO-3 codes (by third of the lattice, west to east) only exercise
  // the grouping (all three are in Asia).
  const char* iso3[] = {"VNM", "CHN", "MNG"};
  const int pair_site = kSynthLatticeCols * (kSynthLatticeRows / 2) + kSynthLatticeCols / 2;
  int next_id = 1;
  auto add_mine = [&](geo::MultiPolygon shape, int col, double lon, double lat) {
    SynthMine m;
    m.id = "M" + std::to_string(next_id++);
    m.iso3 = iso3[std::min(2, 3 * col / kSynthLatticeCols)];
    m.shape_lonlat = std::move(shape);
    m.lon = lon;
    m.lat = lat;
    world.mines.push_back(std::move(m));
  };
  for (int row = 0; row < kSynthLatticeRows; ++row) {
    for (int col = 0; col < kSynthLatticeCols; ++col) {
      const int site = row * kSynthLatticeCols + col;
      const double lat0 = site_lat(row);
      const double lon0 = site_lon(col, lat0);
      // Draws in separate statements: the order of evaluation of function arguments is
      // unspecified, so draws inside one call would differ between compilers.
      const double jitter_lat = (rng.uniform01() - 0.5) * kJitterM / kMetresPerDegLat;
      const double jitter_m = (rng.uniform01() - 0.5) * kJitterM;
      const double clat = lat0 + jitter_lat, clon = lon0 + metres_to_dlon(jitter_m, lat0);
      if (site == 0) {
        // A mine with a hole (an unmined island), ~2 km across; the land-use maps' west edge
        // runs through it.
        geo::Polygon p;
        const double w = metres_to_dlon(1000, clat), h = 1000 / kMetresPerDegLat;
        p.exterior = rectangle(clon - w, clat - h, clon + w, clat + h);
        p.holes.push_back(rectangle(clon - w / 3, clat - h / 3, clon + w / 3, clat + h / 3));
        add_mine({p}, col, clon, clat);
      } else if (site == pair_site) {
        // Two rectangles sharing a border that lies exactly on a grid line.
        const double split = grid.col_x(std::round(grid.col_f(clon)));
        const double half_h = 700 / kMetresPerDegLat;
        add_mine({geo::Polygon{rectangle(split - 3 * kCellDeg, clat - half_h, split, clat + half_h),
                               {}}},
                 col, clon, clat);
        add_mine({geo::Polygon{rectangle(split, clat - half_h, split + 2 * kCellDeg, clat + half_h),
                               {}}},
                 col, clon, clat);
      } else if (site % kSmallEvery == kSmallEvery / 2) {
        add_mine({star(clon, clat, 350, 9, rng)}, col, clon, clat);  // below 1 km²
      } else {
        const double radius_m = 720 + 220 * rng.uniform01();
        const int vertices = 8 + static_cast<int>(rng.uniform01() * 30);
        add_mine({star(clon, clat, radius_m, vertices, rng)}, col, clon, clat);
      }
    }
  }

  // The potential relation, then the history that gives each mine its increment.
  for (SynthMine& m : world.mines) {
    const double u = (m.lon - world.extent.x_min) / (world.extent.x_max - world.extent.x_min);
    const double v = (m.lat - world.extent.y_min) / (world.extent.y_max - world.extent.y_min);
    const double noise = kAchievableNoiseSd * potential_rng.normal();
    const double achievable = std::max(110.0, planted_achievable_mean(u, v) + noise);
    m.potential_restored = potential_rng.uniform01() < kRestoredShare;
    // M1, the mine the README follows, is restored: stripped before 2000, recovering since.
    if (&m == &world.mines.front()) m.potential_restored = true;
    const double unrestored_increment = -40.0 + 135.0 * potential_rng.uniform01();
    const double target = m.potential_restored ? achievable : unrestored_increment;
    m.nep_increment_gC_m2_yr = anomaly_change + plant_history(m, target - anomaly_change, rng);
    m.achievable_gC_m2_yr =
        m.potential_restored ? m.nep_increment_gC_m2_yr : sixteenths(achievable);
  }

  // Background.
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

  // A mine's floor is uniform (stripped land is): its own background level on every cell it
  // touches, so a cloud over part of a mine does not shift its mean.
  // No cell is touched by two mines (the lattice keeps them apart; checked here).
  std::vector<geo::Coverage> mine_cover;
  std::vector<int> owner(background.size(), -1);
  for (const auto& mine : world.mines) {
    mine_cover.push_back(geo::compute_coverage(mine.shape_lonlat, grid));
    const float floor_level = static_cast<float>(sixteenths(180 + 150 * rng.uniform01()));
    const geo::Coverage& cov = mine_cover.back();
    for (std::int64_t r = 0; r < cov.window.rows; ++r)
      for (std::int64_t c = 0; c < cov.window.cols; ++c)
        if (cov.frac[static_cast<std::size_t>(r * cov.window.cols + c)] > kPaintThreshold) {
          const auto cell =
              static_cast<std::size_t>((cov.window.row0 + r) * cols + cov.window.col0 + c);
          if (owner[cell] >= 0)
            throw std::logic_error("synthetic world: mines " + world.mines[owner[cell]].id +
                                   " and " + mine.id + " touch one cell");
          owner[cell] = static_cast<int>(mine_cover.size() - 1);
          background[cell] = floor_level;
        }
  }
  world.nep.assign(static_cast<std::size_t>(n_years), background);
  for (int t = 0; t < n_years; ++t)
    for (auto& v : world.nep[static_cast<std::size_t>(t)])
      v = static_cast<float>(v + world.anomaly[static_cast<std::size_t>(t)]);

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

  // Nodata: a permanent lake between four sites and "clouds" in some years over a mine.
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
  const double lake_lat = 0.5 * (site_lat(3) + site_lat(4));
  const double lake_lon = 0.5 * (site_lon(5, lake_lat) + site_lon(6, lake_lat));
  const double lake_h = 500 / kMetresPerDegLat, lake_w = metres_to_dlon(500, lake_lat);
  for (int t = 0; t < n_years; ++t)
    mask_box(t, lake_lon - lake_w, lake_lat - lake_h, lake_lon + lake_w, lake_lat + lake_h);
  // The cloud covers only cells the mine touches (its western half), so no reference ring, which
  // keeps 1000 m from every mine, loses cells in those years.
  const geo::Coverage& clouded = mine_cover[2];
  for (int t : {5, 13})
    for (std::int64_t r = 0; r < clouded.window.rows; ++r)
      for (std::int64_t c = 0; c < clouded.window.cols / 2; ++c)
        if (clouded.frac[static_cast<std::size_t>(r * clouded.window.cols + c)] > kPaintThreshold)
          world.nep[static_cast<std::size_t>(t)][static_cast<std::size_t>(
              (clouded.window.row0 + r) * cols + clouded.window.col0 + c)] = world.nodata;
  return world;
}

}  // namespace minecarbon::demo
