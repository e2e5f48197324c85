// Hydrological terrain of a DEM held in memory: depression filling, D8 and MFD flow
// accumulation, specific catchment area and the LS factor of the (R)USLE.
//
// Grids are row-major, rows × cols, row 0 at the top (north), NaN = nodata; dx_m[row], dy_m[row]
// are the distances between neighbouring cell centres east-west and north-south on each row
// (geo/terrain.h terrain_spacing, true sizes on lon/lat grids), cell_area_m2[row] the true cell
// area (geo/cell_area.h). The eight neighbours are at distance L_i: dx, dy or √(dx² + dy²).
//
// Agreement with SAGA GIS 8.5.0 (tests/unit/geo/test_flow_accumulation.cpp, data in
// tests/data/topography/): fill = `ta_preprocessor 4`, D8 and MFD = `ta_hydrology 0` METHOD 0
// and 4 (FLOW_UNIT 1, MFD_CONTOUR 0), LS = `ta_hydrology 22` METHOD 0 with CONV 1.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace minecarbon::geo {

// Wang & Liu (2006) depression filling by a priority flood (Wang, L. & Liu, H., Int. J. Geogr.
// Inf. Sci. 20(2):193-213, doi:10.1080/13658810500433453; with min_slope_deg = 0 it is the
// minimal depressionless surface that Planchon & Darboux 2002, Catena 46:159-176 also compute):
//   seeds: every valid cell on the grid border or next to a nodata cell, with its own elevation;
//   repeatedly take the lowest queued cell c (elevation Z_c), make it final, and offer each
//   valid neighbour n that is not final (direction i)  Z_n = max(z_n, Z_c + ε_i),
//   ε_i = tan(min_slope)·L_i, keeping the lowest offer (a shortest-path relaxation, so an
//   orthogonal path beats a diagonal one at the same spill level).
// With min_slope_deg = 0 every depression becomes a flat at its spill elevation; with > 0 (SAGA's
// default 0.1°) the filled surface keeps a gradient ≥ min_slope along the spill paths, so every
// cell drains to the border. The result does not depend on the order of ties. Nodata stays NaN.
// Cost O(n log n).
std::vector<double> fill_depressions(std::span<const double> z, std::size_t rows, std::size_t cols,
                                     std::span<const double> dx_m, std::span<const double> dy_m,
                                     double min_slope_deg);

enum class FlowMethod { d8, mfd };
// Name table: "d8", "mfd".
std::string_view to_string(FlowMethod method);
// Throws ConfigError naming the accepted names.
FlowMethod flow_method_from_string(std::string_view name);

// Upslope contributing area (m²) of every cell, the cell's own area included (SAGA "Flow
// Accumulation (Top-Down)", FLOW_UNIT = cell area). Cells are taken from the highest down; each
// passes its area plus what it received to its valid, strictly lower neighbours n (in-grid):
//   d8:  all of it to the neighbour of steepest descent max_i (z_c − z_n)/L_i (O'Callaghan & Mark
//        1984, Comput. Vision Graph. 28:323-344; the first in N, NE, E, SE, S, SW, W, NW order on a
//        tie);
//   mfd: fraction f_i = t_i^p / Σ t_j^p, t_i = (z_c − z_n)/L_i, p = `convergence` (Freeman 1991,
//        Comput. Geosci. 17(3):413-422; p = 1.1 as SAGA's default; no contour-length weights).
// Edges as SAGA: in D8 a cell on the grid border or next to nodata is an outlet (it keeps its
// area: the water leaves the DEM there); in MFD a missing neighbour n gets z_n = 2·z_c − z_o
// from the opposite neighbour o (the surface continued as a plane; no share when o is missing
// too), and the share sent to it leaves the DEM. A cell with no lower neighbour keeps its area.
// Run it on a filled DEM (fill_depressions) so water is routed across depressions. NaN in, NaN
// out. Deterministic: cells sorted by (elevation descending, index).
std::vector<double> flow_accumulation_m2(std::span<const double> z, std::size_t rows,
                                         std::size_t cols, std::span<const double> dx_m,
                                         std::span<const double> dy_m,
                                         std::span<const double> cell_area_m2, FlowMethod method,
                                         double convergence = 1.1);

// Specific catchment area a = A / w (m²/m = m), with w = √(cell area) the width of the cell
// (SAGA's "1 / cell size" conversion; w = the cell size on square projected cells).
double specific_catchment_area_m(double area_m2, double cell_area_m2);

// LS factor, Moore, Grayson & Ladson (1991, Hydrol. Process. 5:3-30, doi:10.1002/hyp.3360050103)
// in SAGA's form (ta_hydrology 22 METHOD 0; Moore & Burch 1986 exponents m = 0.4, n = 1.3):
//   LS = (m + 1)·(a / 22.13)^m·(sin β / 0.0896)^n
// a = specific catchment area (m), β = slope (radians). Dimensionless; 0 on a flat cell; NaN
// when a or β is NaN. Valid for sheet and rill flow; exaggerates on long convergent slopes
// (channels), as every form does.
double ls_factor_moore(double sca_m, double slope_rad);

}  // namespace minecarbon::geo
