// A small Landsat-like scene series with a planted RSEI ordering, for `minecarbon indices`
// (docs/indices.md, "Demo"): a restored mine whose RSEI rises every year and a degrading mine
// whose RSEI falls, on a stable background.
//
// Grid: 48 rows × 64 columns of 30 m in UTM 50N (EPSG:32650), origin (500000, 4400000); years
// 2016–2020, one 7-band Float32 scene per year (bands 1–6 surface reflectance blue, green, red,
// NIR, SWIR1, SWIR2; band 7 land surface temperature in K; no scale/offset).
//
// Every pixel is a linear mix of green vegetation and bare spoil with vegetation fraction g:
//   ρ_b = g·V_b + (1 − g)·S_b   (V = 0.03 0.06 0.04 0.40 0.20 0.10, S = 0.12 0.16 0.22 0.28 0.34
//   0.30, typical of the two covers), LST = 295 + 12·(1 − g) K (bare spoil is hotter).
// So NDVI and WET rise with g, NDBSI and LST fall: each RSEI indicator is a monotone function of
// g with the sign RSEI gives it, and PC1's projection rises with g.
//   background        g = 0.50 + 0.08·sin(col/5)·cos(row/7)  (the same every year)
//   bare strip        g = 0 (rows 0–3), dense strip g = 1 (rows 44–47): the scene's extremes every
//                     year, so min and max of the projection come from the same covers;
//   mine R (restored) rows 10–21 × cols 8–25: g = 0.10 + 0.15·(year − 2016)  (0.10 → 0.70);
//   mine D (degrading) rows 26–37 × cols 36–55: g = 0.75 − 0.15·(year − 2016) (0.75 → 0.15);
//   plus a deterministic jitter of ±0.01 per pixel (no indicator is constant inside a mine).
// The planted order: RSEI of R rises strictly from year to year, RSEI of D falls strictly, and
// D ranks above R in 2016 and below it in 2020 (truth_indices.csv).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace minecarbon::demo {

struct SynthIndicesMine {
  std::string id;                 // "R" or "D"
  std::string trend;              // "rising" or "falling"
  int row0, row1, col0, col1;     // cells [row0, row1) × [col0, col1)
  std::vector<double> greenness;  // planted g per year (before the jitter)
};

struct SynthIndices {
  int rows = 48, cols = 64;
  double x0 = 500000.0, y0 = 4400000.0, cell_m = 30.0;
  int epsg = 32650;
  int first_year = 2016, last_year = 2020;
  // [year − first_year][band 0..6][row · cols + col]
  std::vector<std::array<std::vector<float>, 7>> bands;
  std::vector<SynthIndicesMine> mines;
};

// Deterministic (no random draws).
SynthIndices make_synth_indices();

// Writes into `folder`: scene_<year>.tif (7 bands, Float32, tiled), mines.geojson (the two mines
// as cell-aligned rectangles in EPSG:32650, field mine_id) and truth_indices.csv (mine_id, year,
// greenness, planted_trend). Returns the command that runs the stage on them. Throws
// std::runtime_error when GDAL cannot write a file.
std::string write_synth_indices(const SynthIndices& scene, const std::string& folder);

}  // namespace minecarbon::demo
