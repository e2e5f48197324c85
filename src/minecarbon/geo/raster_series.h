// A series of single-band rasters on one grid, one per year (annual NEP), opened for reading by
// blocks. Opening checks everything up front (every file exists, one grid, a CRS) so a long run
// never dies in year 19.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/geo/grid.h"

namespace minecarbon::geo {

struct RasterSeriesSpec {
  std::string pattern;  // path with "{year}", e.g. "nep/nep_{year}.tif"
  int first_year = 0;
  int last_year = 0;
  // value = raw · scale + offset; unset = the band's own scale/offset metadata (default 1, 0).
  std::optional<double> scale;
  std::optional<double> offset;
  // NaN cells are nodata when the band's nodata is NaN; otherwise they are an input error unless
  // this is set (a float raster whose producer meant NaN as nodata without saying so).
  bool nan_is_nodata = false;
};

struct RasterSeries {
  RasterSeriesSpec spec;
  std::vector<int> years;
  std::vector<std::string> paths;
  Grid grid;
  std::string crs_wkt;
  bool geographic = false;
  double metres_per_unit = 1.0;
  std::vector<std::optional<double>> nodata;  // per year, raw value
  std::vector<double> scale, offset;          // per year, in effect
  int block_cols = 256, block_rows = 256;     // natural block size of the first year's band
};

// Throws ConfigError for a pattern without "{year}" or an empty year range; DataError naming
// the file for a missing, unreadable, truncated or corrupt raster (every block of band 1 must lie
// within the file), a missing CRS, a rotated grid, and — naming both files — a year whose CRS,
// grid or band count differs from the first year's. Every year is checked.
RasterSeries open_raster_series(const RasterSeriesSpec& spec);

std::string expand_year(const std::string& pattern, int year);

// Reads windows of any year into doubles, nodata and masked cells as NaN, scale/offset applied.
// One reader per thread: it owns its GDAL dataset handles (GDAL datasets are not thread-safe).
class RasterSeriesReader {
 public:
  explicit RasterSeriesReader(const RasterSeries& series);
  ~RasterSeriesReader();
  RasterSeriesReader(const RasterSeriesReader&) = delete;
  RasterSeriesReader& operator=(const RasterSeriesReader&) = delete;

  // values.size() becomes window.cells(), row-major. Throws DataError for NaN (unless nodata)
  // and infinite values, naming the file and the cell.
  void read(std::size_t year_idx, const Window& window, std::vector<double>& values);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace minecarbon::geo
