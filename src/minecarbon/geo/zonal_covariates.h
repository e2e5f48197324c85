// Covariates of every mine: zonal statistics of named rasters over the mine polygon, terrain
// statistics from a DEM, and the mine's own area — the predictors of the potential stage.
//
// Raster covariates, for mine i and raster x, over the cells k its polygon covers, with c_k the
// exact coverage fraction (geo/coverage.h) and a_k the true cell area in m² (geo/cell_area.h):
//   mean      x̄_i = Σ c_k·a_k·x_k / Σ c_k·a_k         (for intensities: mm/yr, °C, gC/m²/yr, m)
//   sum       S_i = Σ c_k·x_k                          (for per-cell totals: persons per cell)
//   area_sum  T_i = Σ c_k·a_k·x_k                      (for densities per m²: x's unit · m²)
// Nodata cells never enter; valid_area_m2 = Σ c_k·a_k over valid cells beside every value, and
// covered_area_m2 = Σ c_k·a_k over all cells. A mine whose polygon misses the raster
// (covered_area_m2 = 0) or covers only nodata (valid_area_m2 = 0) has the covariate missing (NaN).
//
// Coverage is computed once per distinct grid (origin, cell size, size and CRS) and reused by
// every raster on it; the rasters are read tile by tile for all mines at once (geo/zonal.h).
//
// Terrain covariates from a DEM: slope, aspect and curvatures per cell (geo/terrain.h, on true
// cell spacings), then over the mine's cells with weights c_k·a_k, using only cells whose 3×3
// neighbourhood is complete:
//   slope_deg, profile/plan/general_curvature_per_m: the weighted mean
//   aspect_deg:  the circular mean, atan2(Σ w·sin A, Σ w·cos A) in [0, 360), NaN when the sums
//                vanish (a symmetric cone) or every cell is flat
//   northness, eastness: the weighted means of cos A and sin A (dimensionless, −1…1): unlike the
//                aspect itself these are linear and fit a regression
// The DEM is read per mine in a window one cell larger than the mine's cells on every side.
//
// mine_area_km2: the geodesic area of the polygon on WGS84 (geo/geodesic_area.h), never missing.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/geo/raster_series.h"
#include "minecarbon/geo/terrain.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::geo {

enum class CovariateStat { mean, sum, area_sum };

// Name table: "mean", "sum", "area_sum".
std::string_view to_string(CovariateStat stat);
// Throws ConfigError listing the names.
CovariateStat covariate_stat_from_string(std::string_view name);

struct RasterCovariate {
  std::string name;     // column name, with its unit (precip_mm_yr)
  RasterSeries raster;  // one layer (geo/covariate_raster.h)
  CovariateStat stat = CovariateStat::mean;
};

enum class TerrainCovariate {
  slope_deg,
  aspect_deg,
  northness,
  eastness,
  profile_curvature_per_m,
  plan_curvature_per_m,
  general_curvature_per_m,
};

// Name table (the names are also the output column names): "slope_deg", "aspect_deg",
// "northness", "eastness", "profile_curvature_per_m", "plan_curvature_per_m",
// "general_curvature_per_m".
std::string_view to_string(TerrainCovariate covariate);
TerrainCovariate terrain_covariate_from_string(std::string_view name);
const std::vector<TerrainCovariate>& all_terrain_covariates();

struct CovariateSources {
  std::vector<RasterCovariate> rasters;
  std::optional<RasterSeries> dem;  // needed when terrain is not empty
  std::vector<TerrainCovariate> terrain;
  SlopeMethod slope_method = SlopeMethod::zevenbergen_thorne;
  bool mine_area = true;  // add mine_area_km2
};

inline constexpr const char* kMineAreaCovariate = "mine_area_km2";

struct ZonalCovariates {
  std::size_t n_mines = 0;
  std::vector<std::string> names;  // rasters in order, then terrain, then mine_area_km2
  std::vector<std::string> kinds;  // "mean", "sum", "area_sum", "terrain", "geometry"
  // [covariate][mine]; NaN = missing.
  std::vector<std::vector<double>> values;
  std::vector<std::vector<double>> valid_area_m2;
  std::vector<std::vector<double>> covered_area_m2;
  std::vector<double> area_m2;  // geodesic, per mine
  std::size_t distinct_grids = 0;

  bool complete(std::size_t mine) const;
  // Names of the covariates missing for the mine, with the reason: "precip_mm_yr (outside)",
  // "gpp (nodata)"; empty when complete.
  std::vector<std::string> missing(std::size_t mine) const;
};

// Throws ConfigError when terrain covariates are asked for without a DEM or a name repeats;
// DataError for mines that cannot be transformed to a raster's CRS.
ZonalCovariates extract_zonal_covariates(const PolygonLayer& mines, const CovariateSources& sources,
                                         const RunContext& context);

}  // namespace minecarbon::geo
