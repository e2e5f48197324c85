#include "minecarbon/geo/zonal_covariates.h"

#include "minecarbon/core/units.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <set>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/units.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/geo/zonal.h"

namespace minecarbon::geo {
namespace {

constexpr double kRadPerDeg = std::numbers::pi / 180.0;
constexpr double kDegPerRad = 180.0 / std::numbers::pi;

struct StatName {
  CovariateStat stat;
  std::string_view name;
};
constexpr StatName kStatNames[] = {{CovariateStat::mean, "mean"},
                                   {CovariateStat::sum, "sum"},
                                   {CovariateStat::area_sum, "area_sum"}};

struct TerrainName {
  TerrainCovariate covariate;
  std::string_view name;
};
constexpr TerrainName kTerrainNames[] = {
    {TerrainCovariate::slope_deg, "slope_deg"},
    {TerrainCovariate::aspect_deg, "aspect_deg"},
    {TerrainCovariate::northness, "northness"},
    {TerrainCovariate::eastness, "eastness"},
    {TerrainCovariate::profile_curvature_per_m, "profile_curvature_per_m"},
    {TerrainCovariate::plan_curvature_per_m, "plan_curvature_per_m"},
    {TerrainCovariate::general_curvature_per_m, "general_curvature_per_m"},
};

// Rasters that share a grid and a CRS share one coverage per mine.
struct GridGroup {
  const RasterSeries* first = nullptr;
  std::vector<std::size_t> rasters;  // indices into sources.rasters
  bool has_dem = false;
  std::vector<Coverage> coverage;    // per mine
  std::vector<double> cell_area_m2;  // per grid row
};

bool same_grid(const RasterSeries& a, const RasterSeries& b) {
  return a.crs_wkt == b.crs_wkt && a.grid.same_as(b.grid, 1e-9);
}

// Terrain sums of one mine: weights Σw and Σw·x per terrain output.
struct TerrainSums {
  double w_slope = 0, wx_slope = 0;
  double w_aspect = 0, w_cos = 0, w_sin = 0;
  double w_profile = 0, wx_profile = 0;
  double w_plan = 0, wx_plan = 0;
  double w_general = 0, wx_general = 0;
};

TerrainSums terrain_sums(const Coverage& cov, const RasterSeries& dem,
                         const TerrainSpacing& spacing, const std::vector<double>& cell_area,
                         SlopeMethod method, RasterSeriesReader& reader,
                         std::vector<double>& buffer) {
  TerrainSums sums;
  if (cov.window.empty()) return sums;
  // The mine's cells plus one cell on every side, clipped to the grid.
  const Window read =
      Window{cov.window.row0 - 1, cov.window.col0 - 1, cov.window.rows + 2, cov.window.cols + 2}
          .intersect(dem.grid.full());
  reader.read(0, read, buffer);
  const auto rows = static_cast<std::size_t>(read.rows), cols = static_cast<std::size_t>(read.cols);
  const auto row0 = static_cast<std::size_t>(read.row0);
  const std::span<const double> dx(spacing.dx_m.data() + row0, rows);
  const std::span<const double> dy(spacing.dy_m.data() + row0, rows);
  const TerrainLayers layers = compute_terrain(buffer, rows, cols, dx, dy, method);
  for (std::int64_t row = cov.window.row0; row < cov.window.row0 + cov.window.rows; ++row) {
    const double area = cell_area[static_cast<std::size_t>(row)];
    for (std::int64_t col = cov.window.col0; col < cov.window.col0 + cov.window.cols; ++col) {
      const double frac = cov.at(row, col);
      if (frac <= 0) continue;
      const double w = frac * area;
      const std::size_t cell = static_cast<std::size_t>(row - read.row0) * cols +
                               static_cast<std::size_t>(col - read.col0);
      if (const double v = layers.slope_deg[cell]; !std::isnan(v)) {
        sums.w_slope += w;
        sums.wx_slope += w * v;
      }
      if (const double v = layers.aspect_deg[cell]; !std::isnan(v)) {
        sums.w_aspect += w;
        sums.w_cos += w * std::cos(v * kRadPerDeg);
        sums.w_sin += w * std::sin(v * kRadPerDeg);
      }
      if (const double v = layers.profile_curvature_per_m[cell]; !std::isnan(v)) {
        sums.w_profile += w;
        sums.wx_profile += w * v;
      }
      if (const double v = layers.plan_curvature_per_m[cell]; !std::isnan(v)) {
        sums.w_plan += w;
        sums.wx_plan += w * v;
      }
      if (const double v = layers.general_curvature_per_m[cell]; !std::isnan(v)) {
        sums.w_general += w;
        sums.wx_general += w * v;
      }
    }
  }
  return sums;
}

// Value and valid area of one terrain covariate from a mine's sums.
std::pair<double, double> terrain_value(TerrainCovariate covariate, const TerrainSums& s) {
  auto ratio = [](double wx, double w) { return w > 0 ? wx / w : kNaN; };
  switch (covariate) {
    case TerrainCovariate::slope_deg:
      return {ratio(s.wx_slope, s.w_slope), s.w_slope};
    case TerrainCovariate::aspect_deg: {
      if (!(s.w_aspect > 0) || (s.w_cos == 0 && s.w_sin == 0)) return {kNaN, s.w_aspect};
      double aspect = std::atan2(s.w_sin, s.w_cos) * kDegPerRad;
      if (aspect < 0) aspect += 360.0;
      return {aspect >= 360.0 ? 0.0 : aspect, s.w_aspect};
    }
    case TerrainCovariate::northness:
      return {ratio(s.w_cos, s.w_aspect), s.w_aspect};
    case TerrainCovariate::eastness:
      return {ratio(s.w_sin, s.w_aspect), s.w_aspect};
    case TerrainCovariate::profile_curvature_per_m:
      return {ratio(s.wx_profile, s.w_profile), s.w_profile};
    case TerrainCovariate::plan_curvature_per_m:
      return {ratio(s.wx_plan, s.w_plan), s.w_plan};
    case TerrainCovariate::general_curvature_per_m:
      return {ratio(s.wx_general, s.w_general), s.w_general};
  }
  return {kNaN, 0};
}

}  // namespace

std::string_view to_string(CovariateStat stat) {
  for (const auto& entry : kStatNames)
    if (entry.stat == stat) return entry.name;
  return "unknown";
}

CovariateStat covariate_stat_from_string(std::string_view name) {
  for (const auto& entry : kStatNames)
    if (entry.name == name) return entry.stat;
  throw ConfigError("statistic '" + std::string(name) +
                    "' is unknown; use \"mean\" (area-weighted mean), \"sum\" (Σ coverage · value, "
                    "for per-cell totals) or \"area_sum\" (Σ coverage · area · value, for "
                    "densities per m²)");
}

std::string_view to_string(TerrainCovariate covariate) {
  for (const auto& entry : kTerrainNames)
    if (entry.covariate == covariate) return entry.name;
  return "unknown";
}

TerrainCovariate terrain_covariate_from_string(std::string_view name) {
  for (const auto& entry : kTerrainNames)
    if (entry.name == name) return entry.covariate;
  std::string names;
  for (const auto& entry : kTerrainNames)
    names += (names.empty() ? "" : ", ") + std::string(entry.name);
  throw ConfigError("terrain covariate '" + std::string(name) + "' is unknown; use one of " +
                    names);
}

const std::vector<TerrainCovariate>& all_terrain_covariates() {
  static const std::vector<TerrainCovariate> all = [] {
    std::vector<TerrainCovariate> out;
    for (const auto& entry : kTerrainNames)
      out.push_back(entry.covariate);
    return out;
  }();
  return all;
}

bool ZonalCovariates::complete(std::size_t mine) const {
  return std::all_of(values.begin(), values.end(), [&](const std::vector<double>& column) {
    return std::isfinite(column[mine]);
  });
}

std::vector<std::string> ZonalCovariates::missing(std::size_t mine) const {
  std::vector<std::string> out;
  for (std::size_t cov = 0; cov < names.size(); ++cov) {
    if (std::isfinite(values[cov][mine])) continue;
    const char* reason = !(covered_area_m2[cov][mine] > 0) ? "outside"
                         : !(valid_area_m2[cov][mine] > 0) ? "nodata"
                                                           : "undefined";
    out.push_back(names[cov] + " (" + reason + ")");
  }
  return out;
}

ZonalCovariates extract_zonal_covariates(const PolygonLayer& mines, const CovariateSources& sources,
                                         const RunContext& context) {
  const std::size_t n_mines = mines.features.size();
  ZonalCovariates out;
  out.n_mines = n_mines;
  if (!sources.terrain.empty() && !sources.dem) {
    throw ConfigError("terrain covariates need a DEM raster (dem)");
  }
  // Names and order.
  for (const auto& raster : sources.rasters) {
    out.names.push_back(raster.name);
    out.kinds.emplace_back(to_string(raster.stat));
  }
  for (TerrainCovariate covariate : sources.terrain) {
    out.names.emplace_back(to_string(covariate));
    out.kinds.emplace_back("terrain");
  }
  if (sources.mine_area) {
    out.names.emplace_back(kMineAreaCovariate);
    out.kinds.emplace_back("geometry");
  }
  std::set<std::string> seen;
  for (const auto& name : out.names) {
    if (name.empty()) throw ConfigError("a covariate has an empty name");
    if (!seen.insert(name).second) {
      throw ConfigError("covariate name '" + name + "' is used twice; give each a unique name");
    }
  }
  // Names the covariate table uses for its own columns.
  for (const auto& name : out.names) {
    const bool reserved = name == "mine_id" || name == "area_km2" ||
                          name == "covariates_complete" || name == "missing_covariates";
    for (const std::string suffix : {"_valid_area_m2", "_covered_area_m2"}) {
      const std::string base = name.size() > suffix.size() && name.ends_with(suffix)
                                   ? name.substr(0, name.size() - suffix.size())
                                   : std::string();
      if (!base.empty() && seen.count(base)) {
        throw ConfigError("covariate name '" + name + "' clashes with the " + suffix +
                          " column of covariate '" + base + "'; rename it");
      }
    }
    if (reserved) {
      throw ConfigError("covariate name '" + name +
                        "' is a column of the covariate table itself; rename it");
    }
  }
  const std::size_t n_cov = out.names.size();
  out.values.assign(n_cov, std::vector<double>(n_mines, kNaN));
  out.valid_area_m2.assign(n_cov, std::vector<double>(n_mines, 0.0));
  out.covered_area_m2.assign(n_cov, std::vector<double>(n_mines, 0.0));

  // Geodesic areas (lon/lat) and shapes in each raster CRS, one PROJ transform per worker.
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  {
    std::vector<std::unique_ptr<CrsTransform>> to_lonlat(workers);
    out.area_m2.assign(n_mines, 0.0);
    parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
      if (!to_lonlat[worker])
        to_lonlat[worker] = std::make_unique<CrsTransform>(mines.crs_wkt, kWgs84);
      const auto& feature = mines.features[mine];
      out.area_m2[mine] = geodesic_area_m2(
          to_lonlat[worker]->apply(feature.shape, mines.path + " feature " + feature.id));
    });
  }

  // Group the rasters (and the DEM) by grid.
  std::vector<GridGroup> groups;
  auto group_of = [&](const RasterSeries& raster) -> GridGroup& {
    for (auto& group : groups)
      if (same_grid(*group.first, raster)) return group;
    groups.push_back(GridGroup{&raster, {}, false, {}, {}});
    return groups.back();
  };
  for (std::size_t idx = 0; idx < sources.rasters.size(); ++idx)
    group_of(sources.rasters[idx].raster).rasters.push_back(idx);
  if (!sources.terrain.empty()) group_of(*sources.dem).has_dem = true;
  out.distinct_grids = groups.size();

  for (auto& group : groups) {
    const RasterSeries& grid_raster = *group.first;
    // Coverage of every mine on this grid, in the grid's CRS.
    std::vector<std::unique_ptr<CrsTransform>> to_raster(workers);
    group.coverage.resize(n_mines);
    parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
      if (!to_raster[worker])
        to_raster[worker] = std::make_unique<CrsTransform>(mines.crs_wkt, grid_raster.crs_wkt);
      const auto& feature = mines.features[mine];
      const MultiPolygon shape = to_raster[worker]->apply(
          feature.shape, mines.path + " feature " + feature.id + " (to the CRS of " +
                             grid_raster.paths.front() + ")");
      group.coverage[mine] = compute_coverage(shape, grid_raster.grid);
    });
    group.cell_area_m2 =
        cell_area_by_row_m2(grid_raster.grid, grid_raster.geographic, grid_raster.metres_per_unit);
    std::vector<const Coverage*> zones;
    zones.reserve(n_mines);
    for (const auto& cov : group.coverage)
      zones.push_back(&cov);

    for (std::size_t raster_idx : group.rasters) {
      const RasterCovariate& covariate = sources.rasters[raster_idx];
      context.say("potential: covariate " + covariate.name + " (" +
                  std::string(to_string(covariate.stat)) + " of " + covariate.raster.paths.front() +
                  ")");
      const ZonalSums sums = zonal_sums(zones, group.cell_area_m2, covariate.raster, context);
      std::vector<double>& values = out.values[raster_idx];
      for (std::size_t mine = 0; mine < n_mines; ++mine) {
        out.valid_area_m2[raster_idx][mine] = sums.valid(mine, 0);
        out.covered_area_m2[raster_idx][mine] = sums.covered_area_m2[mine];
        if (!(sums.valid(mine, 0) > 0)) continue;
        if (covariate.stat == CovariateStat::mean) {
          values[mine] = sums.mean(mine, 0);
        } else if (covariate.stat == CovariateStat::area_sum) {
          values[mine] = sums.weighted_sum[mine];
        }
      }
      if (covariate.stat == CovariateStat::sum) {
        // Σ c·x: the same pass with unit cell weights.
        const std::vector<double> ones(group.cell_area_m2.size(), 1.0);
        const ZonalSums counts = zonal_sums(zones, ones, covariate.raster, context);
        for (std::size_t mine = 0; mine < n_mines; ++mine)
          if (sums.valid(mine, 0) > 0) values[mine] = counts.weighted_sum[mine];
      }
    }

    if (group.has_dem) {
      const RasterSeries& dem = *sources.dem;
      context.say("potential: terrain from " + dem.paths.front() + " (" +
                  std::string(to_string(sources.slope_method)) + ")");
      const TerrainSpacing spacing = terrain_spacing(dem.grid, dem.geographic, dem.metres_per_unit);
      std::vector<TerrainSums> sums(n_mines);
      std::vector<double> covered(n_mines, 0.0);
      std::vector<std::unique_ptr<RasterSeriesReader>> readers(workers);
      std::vector<std::vector<double>> buffers(workers);
      parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
        if (!readers[worker]) readers[worker] = std::make_unique<RasterSeriesReader>(dem);
        const Coverage& cov = group.coverage[mine];
        for (std::int64_t row = cov.window.row0; row < cov.window.row0 + cov.window.rows; ++row)
          for (std::int64_t col = cov.window.col0; col < cov.window.col0 + cov.window.cols; ++col)
            covered[mine] += cov.at(row, col) * group.cell_area_m2[static_cast<std::size_t>(row)];
        sums[mine] = terrain_sums(cov, dem, spacing, group.cell_area_m2, sources.slope_method,
                                  *readers[worker], buffers[worker]);
      });
      for (std::size_t k = 0; k < sources.terrain.size(); ++k) {
        const std::size_t cov_idx = sources.rasters.size() + k;
        for (std::size_t mine = 0; mine < n_mines; ++mine) {
          const auto [value, valid] = terrain_value(sources.terrain[k], sums[mine]);
          out.values[cov_idx][mine] = value;
          out.valid_area_m2[cov_idx][mine] = valid;
          out.covered_area_m2[cov_idx][mine] = covered[mine];
        }
      }
    }
  }

  if (sources.mine_area) {
    const std::size_t cov_idx = n_cov - 1;
    for (std::size_t mine = 0; mine < n_mines; ++mine) {
      out.values[cov_idx][mine] = out.area_m2[mine] / units::kM2PerKm2;
      out.valid_area_m2[cov_idx][mine] = out.area_m2[mine];
      out.covered_area_m2[cov_idx][mine] = out.area_m2[mine];
    }
  }
  return out;
}

}  // namespace minecarbon::geo
