// Coverage- and area-weighted zonal sums of a raster series, for many zones at once.
//
// For zone z and year t, over the cells i its coverage touches:
//   valid_area_m2[z][t] = Σ c_i·a_i            over cells whose value is valid (not nodata)
//   weighted_sum[z][t]  = Σ c_i·a_i·x_i,t      (x in the raster's unit, scale/offset applied)
// so the mean is weighted_sum / valid_area_m2 (NaN when no valid cell), with c_i the exact
// coverage fraction and a_i the true cell area (cell_area.h). covered_area_m2[z] = Σ c_i·a_i over
// all cells of the grid, valid or not: the share valid/covered tells users how much of a zone is
// nodata in a year.
//
// Each (zone, window, year) is a PlainContinuousAccumulator (zonal_accumulator.h): row sums of
// c·x first, times the row's cell area, the arithmetic of this pass since it was written, kept so
// the stages' numbers do not move.
//
// Processing is tile-major: the grid is cut into windows aligned to the raster's blocks
// (block_plan.h), each window is read once per year and serves every zone that touches it, so the
// input order of the zones does not matter (the peer exactextract re-decodes blocks when features
// jump around). Windows are spread over threads; each (zone, window) pair writes its own partial
// sums, and the partials are added in window order afterwards, so the numbers are identical for any
// thread count.
#pragma once

#include <memory>
#include <vector>

#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/raster_series.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::geo {

struct ZonalSums {
  std::size_t n_zones = 0;
  std::size_t n_years = 0;
  std::vector<double> valid_area_m2;    // [zone * n_years + year]
  std::vector<double> weighted_sum;     // [zone * n_years + year]
  std::vector<double> covered_area_m2;  // [zone]
  // The reading windows decoded (ids of the BlockPlan of the series), ascending: a window read by
  // two calls (two work units) is decoded twice, which the scale-out reports.
  std::vector<std::size_t> windows_read;

  double mean(std::size_t zone, std::size_t year) const;
  double valid(std::size_t zone, std::size_t year) const {
    return valid_area_m2[zone * n_years + year];
  }

  // Σ c_i·a_i·x_i,t² [zone * n_years + year] for the zones zonal_sums was asked to square (0 for
  // the others); empty when none was asked.
  std::vector<double> weighted_sq_sum;
  std::vector<char> squared;  // [zone]: 1 when Σ c·a·x² was asked for; empty when none was
  // The zone's area-weighted standard deviation in year t, population form (weights c_i·a_i):
  //   sd = √(Σ c·a·x²/Σ c·a − mean²), the variance clamped at 0 against rounding,
  // i.e. √(Σ w (x − mean)²/Σ w) with w = c·a. NaN when no valid cell or the zone was not squared.
  // Rounding: the one-pass form loses about (mean/sd)²·2⁻⁵² of the variance relatively, against
  // a two-pass sum (for NEP, mean/sd ≲ 100: below 1e-11).
  double sd(std::size_t zone, std::size_t year) const;
};

// Per-thread readers kept from one call to the next (the work units of one run), so each thread
// opens each raster once per run rather than once per call.
struct ZonalReaders {
  std::vector<std::unique_ptr<RasterSeriesReader>> per_worker;
};

// `coverages` are on series.grid. `cell_area_m2_by_row` has series.grid.rows entries. Each zone's
// sums depend on its coverage and the rasters only, not on the other zones of the call.
ZonalSums zonal_sums(const std::vector<const Coverage*>& coverages,
                     const std::vector<double>& cell_area_m2_by_row, const RasterSeries& series,
                     const RunContext& context, ZonalReaders* readers = nullptr);

// The same sums, bit for bit, and Σ c·a·x² for every zone with squares[zone] != 0 (squares has
// one entry per coverage; the others cost nothing extra): the reference rings' area-weighted sd
// beside their mean, for the warning stage's spatial z.
ZonalSums zonal_sums(const std::vector<const Coverage*>& coverages,
                     const std::vector<double>& cell_area_m2_by_row, const RasterSeries& series,
                     const RunContext& context, const std::vector<char>& squares,
                     ZonalReaders* readers = nullptr);

}  // namespace minecarbon::geo
