#include "minecarbon/demo/synth_potential.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "minecarbon/core/random.h"
#include "minecarbon/geo/coverage.h"

namespace minecarbon::demo {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kLonMin = 104.0, kLatMin = 34.0, kSpanDeg = 4.0;
constexpr double kNepCellDeg = 0.005, kCovariateCellDeg = 0.02, kDemCellDeg = 0.0025;
constexpr double kMetresPerDegLat = 110950.0;  // near 36°N, used only to size and space shapes
constexpr double kMinSpacingM = 3000.0;
constexpr double kRestoredShare = 0.45;

double sixteenths(double value) {
  return std::round(value * 16.0) / 16.0;
}

double metres_per_deg_lon(double lat) {
  return 111320.0 * std::cos(lat * std::numbers::pi / 180.0);
}

// The fields, at (u, v) in [0, 1]²; each φ is the field rescaled to [0, 1].
double phi_precip(double u, double v) {
  return 0.5 + 0.5 * std::sin(kTwoPi * (0.7 * u + 0.15 * v) + 0.4);
}
double phi_gpp(double u, double v) {
  return 0.5 + 0.5 * std::cos(kTwoPi * (0.2 * u + 0.85 * v) + 1.1);
}
double phi_tmax(double u, double v) {
  return 0.5 + 0.5 * std::sin(kTwoPi * (1.3 * u - 0.9 * v) + 2.0);
}
double precip_mm_yr(double u, double v) {
  return 300.0 + 600.0 * phi_precip(u, v);
}
double gpp_gC_m2_yr(double u, double v) {
  return 500.0 + 900.0 * phi_gpp(u, v);
}
double tmax_C(double u, double v) {
  return 22.0 + 10.0 * phi_tmax(u, v);
}
double tmin_C(double u, double v) {
  return tmax_C(u, v) - 13.0 + 3.0 * std::sin(kTwoPi * (0.6 * u + 1.4 * v));
}
double soc_g_kg(double u, double v) {
  return 6.0 + 14.0 * (0.5 + 0.5 * std::sin(kTwoPi * (2.1 * u + 1.6 * v) + 0.7));
}
double spei(double u, double v) {
  return 1.5 * std::sin(kTwoPi * (2.7 * u - 2.2 * v) + 1.9);
}
double gdp_usd_km2(double u, double v) {
  return 2e5 + 1.8e6 * (0.5 + 0.5 * std::cos(kTwoPi * (1.7 * u + 2.9 * v)));
}
double population_per_cell(double u, double v) {
  auto bump = [](double du, double dv, double width) {
    return std::exp(-(du * du + dv * dv) / width);
  };
  return 200.0 + 3000.0 * bump(u - 0.3, v - 0.6, 0.02) + 1500.0 * bump(u - 0.75, v - 0.25, 0.05);
}
double elevation_m(double u, double v) {
  return 900.0 + 350.0 * std::sin(kTwoPi * 1.3 * u) * std::cos(kTwoPi * 1.1 * v) +
         300.0 * std::sin(kTwoPi * (6.0 * u + 4.0 * v)) +
         120.0 * std::sin(kTwoPi * (23.0 * u - 17.0 * v));
}

double achievable(double u, double v) {
  return 150.0 + 260.0 * phi_precip(u, v) + 110.0 * phi_gpp(u, v) + 50.0 * phi_tmax(u, v);
}

SynthRaster sample_field(const std::string& name, const std::string& stat, const geo::Grid& grid,
                         double (*field)(double, double)) {
  SynthRaster raster{name, stat, grid,
                     std::vector<float>(static_cast<std::size_t>(grid.rows * grid.cols))};
  for (std::int64_t row = 0; row < grid.rows; ++row) {
    const double v = (grid.cell_center_y(row) - kLatMin) / kSpanDeg;
    for (std::int64_t col = 0; col < grid.cols; ++col) {
      const double u = (grid.col_x(static_cast<double>(col) + 0.5) - kLonMin) / kSpanDeg;
      raster.values[static_cast<std::size_t>(row * grid.cols + col)] =
          static_cast<float>(field(u, v));
    }
  }
  return raster;
}

const char* iso3_of(double u, double v) {
  if (u < 0.5) return v >= 0.5 ? "CHN" : "ZAF";
  return v >= 0.5 ? "BRA" : "AUS";
}

}  // namespace

SynthPotentialWorld make_synth_potential_world(std::uint64_t seed, std::size_t n_mines) {
  RandomStream rng(seed, StreamPurpose::demo_potential_world, 0);
  constexpr double kNoiseSd = 12.0;  // unexplained part of the achievable NEP, gC m-2 yr-1
  SynthPotentialWorld world;
  const auto cells = [](double cell) {
    return static_cast<std::int64_t>(std::llround(kSpanDeg / cell));
  };
  world.nep_grid = geo::Grid{kLonMin,     kLatMin + kSpanDeg, kNepCellDeg,
                             kNepCellDeg, cells(kNepCellDeg), cells(kNepCellDeg)};
  const geo::Grid cov_grid{kLonMin,           kLatMin + kSpanDeg,       kCovariateCellDeg,
                           kCovariateCellDeg, cells(kCovariateCellDeg), cells(kCovariateCellDeg)};
  const geo::Grid dem_grid{kLonMin,     kLatMin + kSpanDeg, kDemCellDeg,
                           kDemCellDeg, cells(kDemCellDeg), cells(kDemCellDeg)};
  world.covariates = {
      sample_field("precip_mm_yr", "mean", cov_grid, precip_mm_yr),
      sample_field("gpp_gC_m2_yr", "mean", cov_grid, gpp_gC_m2_yr),
      sample_field("tmax_C", "mean", cov_grid, tmax_C),
      sample_field("tmin_C", "mean", cov_grid, tmin_C),
      sample_field("soc_g_kg", "mean", cov_grid, soc_g_kg),
      sample_field("spei", "mean", cov_grid, spei),
      sample_field("gdp_usd_km2", "mean", cov_grid, gdp_usd_km2),
      sample_field("population", "sum", cov_grid, population_per_cell),
  };
  world.dem = sample_field("elevation_m", "mean", dem_grid, elevation_m);

  // Mine centres at least kMinSpacingM apart (rejection with a bucket grid), 3 km from the edges.
  const double margin_deg = 3000.0 / kMetresPerDegLat;
  const double bucket_deg = 0.05;
  std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> buckets;
  auto far_enough = [&](double lon, double lat) {
    const int bx = static_cast<int>(lon / bucket_deg), by = static_cast<int>(lat / bucket_deg);
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy) {
        const auto it = buckets.find({bx + dx, by + dy});
        if (it == buckets.end()) continue;
        for (const auto& [olon, olat] : it->second) {
          const double ex = (lon - olon) * metres_per_deg_lon(lat);
          const double ey = (lat - olat) * kMetresPerDegLat;
          if (ex * ex + ey * ey < kMinSpacingM * kMinSpacingM) return false;
        }
      }
    return true;
  };
  std::size_t attempts = 0;
  while (world.mines.size() < n_mines && attempts < 200 * n_mines + 1000) {
    ++attempts;
    const double lon = kLonMin + margin_deg + (kSpanDeg - 2 * margin_deg) * rng.uniform01();
    const double lat = kLatMin + margin_deg + (kSpanDeg - 2 * margin_deg) * rng.uniform01();
    if (!far_enough(lon, lat)) continue;
    buckets[{static_cast<int>(lon / bucket_deg), static_cast<int>(lat / bucket_deg)}].push_back(
        {lon, lat});
    SynthPotentialMine mine;
    mine.id = "P" + std::to_string(world.mines.size() + 1);
    mine.lon = lon;
    mine.lat = lat;
    const double u = (lon - kLonMin) / kSpanDeg, v = (lat - kLatMin) / kSpanDeg;
    mine.iso3 = iso3_of(u, v);
    const double radius_m = 500.0 + 500.0 * rng.uniform01();
    const int vertices = 8 + static_cast<int>(rng.uniform01() * 13);
    geo::Polygon star;
    for (int k = 0; k < vertices; ++k) {
      const double angle = (k + 0.7 * rng.uniform01()) * kTwoPi / vertices;
      const double r = radius_m * (0.7 + 0.45 * rng.uniform01());
      star.exterior.push_back({lon + r * std::cos(angle) / metres_per_deg_lon(lat),
                               lat + r * std::sin(angle) / kMetresPerDegLat});
    }
    mine.shape_lonlat = {star};
    mine.achievable_gC_m2_yr = sixteenths(achievable(u, v) + kNoiseSd * rng.normal());
    mine.restored = rng.uniform01() < kRestoredShare;
    mine.observed_gC_m2_yr =
        mine.restored ? mine.achievable_gC_m2_yr : sixteenths(-40.0 + 135.0 * rng.uniform01());
    mine.nep_base_gC_m2_yr = sixteenths(60.0 + 200.0 * rng.uniform01());
    world.mines.push_back(std::move(mine));
  }

  // NEP: a static background, every touched cell of a mine painted with the mine's own series.
  const geo::Grid& grid = world.nep_grid;
  const auto n_cells = static_cast<std::size_t>(grid.rows * grid.cols);
  std::vector<float> background(n_cells);
  for (std::int64_t row = 0; row < grid.rows; ++row) {
    const double v = (grid.cell_center_y(row) - kLatMin) / kSpanDeg;
    for (std::int64_t col = 0; col < grid.cols; ++col) {
      const double u = (grid.col_x(static_cast<double>(col) + 0.5) - kLonMin) / kSpanDeg;
      background[static_cast<std::size_t>(row * grid.cols + col)] = static_cast<float>(sixteenths(
          260.0 + 90.0 * std::sin(kTwoPi * (1.1 * u + 0.4 * v)) + 8.0 * rng.uniform01()));
    }
  }
  const int n_years = world.last_year - world.first_year + 1;
  world.nep.assign(static_cast<std::size_t>(n_years), background);
  for (const auto& mine : world.mines) {
    const geo::Coverage cov = geo::compute_coverage(mine.shape_lonlat, grid);
    for (std::int64_t r = 0; r < cov.window.rows; ++r) {
      for (std::int64_t c = 0; c < cov.window.cols; ++c) {
        if (cov.frac[static_cast<std::size_t>(r * cov.window.cols + c)] <= 0.0) continue;
        const auto cell =
            static_cast<std::size_t>((cov.window.row0 + r) * grid.cols + cov.window.col0 + c);
        for (int t = 0; t < n_years; ++t) {
          const double share = static_cast<double>(t) / static_cast<double>(n_years - 1);
          world.nep[static_cast<std::size_t>(t)][cell] = static_cast<float>(
              sixteenths(mine.nep_base_gC_m2_yr + share * mine.observed_gC_m2_yr));
        }
      }
    }
  }
  return world;
}

}  // namespace minecarbon::demo
