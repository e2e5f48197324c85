// Helpers for categorical (class-code) rasters such as land-use maps: checking the band holds
// integers, warping a map onto another map's grid by nearest neighbour, and the true area of the
// cells of a projected grid.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

struct CategoricalRasterInfo {
  std::string path;
  Grid grid;
  std::string crs_wkt;
  std::string data_type;  // GDAL's name: Byte, Int16, UInt16, Int32, Float32…
  std::optional<double> nodata;
};

// Opens `path` (any GDAL format) and checks band `band` holds integers (Byte, Int8, (U)Int16,
// (U)Int32, (U)Int64). Throws DataError naming `what`, the file and its data type for a float or
// complex band ("class codes must be integers; convert with gdal_translate -ot Int32"), and the
// messages of AlignedRasters for a missing file, band, CRS or georeferencing.
CategoricalRasterInfo inspect_categorical_raster(const std::string& path, const std::string& what,
                                                 int band = 1);

// Writes a virtual raster (GDAL VRT, XML only: pixels are warped when read) at `vrt_path` (may be
// under /vsimem/) that puts band 1 of `path` on `grid` in `crs_wkt` by nearest neighbour. Cells the
// source does not cover, and its nodata cells, are nodata (the source's nodata value, or the
// smallest Int32 when it has none); the warped band is Int32.
// Throws RunError when GDAL fails.
void warp_nearest_vrt(const std::string& path, const Grid& grid, const std::string& crs_wkt,
                      const std::string& vrt_path);

// True areas of the cells of a projected grid: each cell's four corners are taken to the CRS's
// own geographic CRS (same ellipsoid) and the area of the quadrilateral with geodesic edges is
// computed on that ellipsoid (Karney 2013, GeographicLib through PROJ) — the area terra's
// cellSize(transform = TRUE) gives with rcx at least the raster's size. Not thread-safe: one
// object per worker.
class ProjectedCellAreas {
 public:
  // Throws DataError for a CRS that is not projected or cannot be transformed.
  explicit ProjectedCellAreas(const std::string& crs_wkt);
  ~ProjectedCellAreas();
  ProjectedCellAreas(const ProjectedCellAreas&) = delete;
  ProjectedCellAreas& operator=(const ProjectedCellAreas&) = delete;

  // Area of every cell of `window` of `grid`, m², row-major (window.cells() values). The window
  // may reach beyond the grid (cells are extrapolated along its rows and columns).
  void areas_m2(const Grid& grid, const Window& window, std::vector<double>& out);

  // Area of the cells (rows[i], cols[i]) of `grid`, m² (any row/column, also beyond the grid).
  // Returns false when a corner cannot be transformed (outside the CRS's domain).
  bool cell_areas_m2(const Grid& grid, const std::vector<std::int64_t>& rows,
                     const std::vector<std::int64_t>& cols, std::vector<double>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The same true cell areas, fast: the geodesic area of a projected grid's cells is a smooth
// function of position (for a conformal projection it is ≈ dx·dy/k² with k the point scale; on
// transverse Mercator k ≈ cosh(x/R), so a relative change of ~x²/R² across the zone). It is
// computed exactly on a lattice of every `step` cells in both directions (extended two nodes
// beyond the grid on each side) and interpolated by tensor-product cubic Lagrange polynomials
// through the 4 nearest lattice nodes in each direction.
//
// Error bound. On the middle interval of 4 equally spaced nodes the cubic's error in one direction
// is |f − p| ≤ max|t(t²−1)(t−2)|/4! · h⁴ · max|f⁗| = (3/128) · h⁴ · max|f⁗| (t ∈ [0, 1], the max
// 9/16 at t = 1/2); the tensor product adds the other direction's error times the cubic's Lebesgue
// constant on that interval (1.25 at t = 1/2):  |E| ≤ (3/128)·(1.25·h⁴·max|∂⁴A/∂x⁴| +
// h⁴·max|∂⁴A/∂y⁴|).  f⁗ is estimated from the fourth differences of a probe lattice with a step H
// about a quarter of the grid's larger side (Δ⁴f = H⁴·f⁗(ξ) for some ξ within 4H), the largest
// over every probe node in both directions, times a safety factor of 2 for the variation of f⁗
// within 4H. The probe must be coarse: the exact geodesic areas of 30 m cells carry rounding noise
// of ~1e-9 relative (GeographicLib sums edge areas S12 of ~1e8 m² for a 900 m² cell), so fourth
// differences on a fine lattice (×16 noise, ~3e-8) measure only the noise; at H the smooth part
// dominates and the remaining noise is scaled by (h/H)⁴. The bound is relative to the smallest
// probe area and does not include that noise: interpolated areas differ from the exact rule by
// the bound plus ~2.6× the exact rule's own rounding (the interpolation averages it). For UTM 30 m cells it predicts ≈ (3/8)·(h/R)⁴ with
// R ≈ 6.4e6 m: h = 256 cells = 7.7 km gives ~8e-13, far below the target.
// The step is chosen automatically: the largest power of two ≤ max_step whose bound is ≤
// `tolerance_rel` and whose lattice transforms everywhere; below a step of 4 cells (very coarse
// cells, or a CRS whose domain ends near the grid) the exact per-cell rule is used instead
// (exact() is true and areas_m2 must not be called: use ProjectedCellAreas).
// After construction the object is read-only: areas_m2 may be called from several threads.
class ProjectedCellAreaLattice {
 public:
  // Throws DataError as ProjectedCellAreas for a CRS that is not projected.
  ProjectedCellAreaLattice(const std::string& crs_wkt, const Grid& grid,
                           double tolerance_rel = 1e-10, std::int64_t max_step = 256);

  bool exact() const { return step_ == 0; }
  std::int64_t step_cells() const { return step_; }  // 0 = exact per cell
  double error_bound_rel() const { return bound_rel_; }

  // Interpolated area of every cell of `window` (inside the grid), m², row-major.
  void areas_m2(const Window& window, std::vector<double>& out) const;
  // The same into out[0 … window.cells()).
  void areas_m2(const Window& window, double* out) const;

 private:
  bool build(ProjectedCellAreas& exact_areas, std::int64_t step);

  Grid grid_;
  std::int64_t step_ = 0;
  double bound_rel_ = 0;
  std::int64_t node_rows_ = 0,
               node_cols_ = 0;    // lattice node (j, i) = cell ((j−2)·step, (i−2)·step)
  std::vector<double> nodes_m2_;  // [j · node_cols_ + i]
  double min_area_m2_ = 0, max_d4_x_ = 0, max_d4_y_ = 0;  // of the last build
  std::vector<double> weights_;                           // [offset · 4 + node]
  std::vector<double> weights_by_node_[4];                // [node][offset]
};

}  // namespace minecarbon::geo
