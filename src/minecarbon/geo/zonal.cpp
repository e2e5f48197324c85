#include "minecarbon/geo/zonal.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "minecarbon/core/parallel.h"
#include "minecarbon/core/progress.h"
#include "minecarbon/core/run_context.h"

namespace minecarbon::geo {
namespace {

// Reading windows: the raster's own blocks, so only blocks some zone touches are decoded; blocks
// smaller than 128 cells a side (strips of one row, say) are grouped up to about 256.
Window window_shape(const RasterSeries& series) {
  constexpr std::int64_t kMinSide = 128, kTarget = 256;
  std::int64_t cols = std::max<std::int64_t>(1, series.block_cols);
  std::int64_t rows = std::max<std::int64_t>(1, series.block_rows);
  if (cols < kMinSide) cols *= std::max<std::int64_t>(1, kTarget / cols);
  if (rows < kMinSide) rows *= std::max<std::int64_t>(1, kTarget / rows);
  return Window{0, 0, std::min(rows, series.grid.rows), std::min(cols, series.grid.cols)};
}

struct Pair {
  std::size_t window_idx;
  std::size_t zone;
};

}  // namespace

double ZonalSums::mean(std::size_t zone, std::size_t year) const {
  const double area = valid_area_m2[zone * n_years + year];
  return area > 0 ? weighted_sum[zone * n_years + year] / area : std::nan("");
}

ZonalSums zonal_sums(const std::vector<const Coverage*>& coverages,
                     const std::vector<double>& cell_area_m2_by_row, const RasterSeries& series,
                     const RunContext& context) {
  const Grid& grid = series.grid;
  const std::size_t n_years = series.years.size();
  ZonalSums out;
  out.n_zones = coverages.size();
  out.n_years = n_years;
  out.valid_area_m2.assign(out.n_zones * n_years, 0.0);
  out.weighted_sum.assign(out.n_zones * n_years, 0.0);
  out.covered_area_m2.assign(out.n_zones, 0.0);

  const Window shape = window_shape(series);
  const std::int64_t n_win_cols = (grid.cols + shape.cols - 1) / shape.cols;
  auto window_of = [&](std::size_t window_idx) {
    const std::int64_t wr = static_cast<std::int64_t>(window_idx) / n_win_cols;
    const std::int64_t wc = static_cast<std::int64_t>(window_idx) % n_win_cols;
    return Window{wr * shape.rows, wc * shape.cols, shape.rows, shape.cols}.intersect(grid.full());
  };

  // Which zones touch which window.
  std::vector<Pair> pairs;
  for (std::size_t zone = 0; zone < coverages.size(); ++zone) {
    const Coverage& cov = *coverages[zone];
    if (cov.window.empty()) continue;
    for (std::int64_t row = 0; row < cov.window.rows; ++row) {
      const double area = cell_area_m2_by_row[static_cast<std::size_t>(cov.window.row0 + row)];
      const double* frac = &cov.frac[static_cast<std::size_t>(row * cov.window.cols)];
      double row_sum = 0;
      for (std::int64_t col = 0; col < cov.window.cols; ++col)
        row_sum += frac[col];
      out.covered_area_m2[zone] += row_sum * area;
    }
    const std::int64_t wr0 = cov.window.row0 / shape.rows;
    const std::int64_t wr1 = (cov.window.row0 + cov.window.rows - 1) / shape.rows;
    const std::int64_t wc0 = cov.window.col0 / shape.cols;
    const std::int64_t wc1 = (cov.window.col0 + cov.window.cols - 1) / shape.cols;
    for (std::int64_t wr = wr0; wr <= wr1; ++wr)
      for (std::int64_t wc = wc0; wc <= wc1; ++wc)
        pairs.push_back({static_cast<std::size_t>(wr * n_win_cols + wc), zone});
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.window_idx < b.window_idx; });
  // Windows that some zone touches, and where their pairs start.
  std::vector<std::size_t> windows, first_pair;
  for (std::size_t idx = 0; idx < pairs.size(); ++idx) {
    if (idx == 0 || pairs[idx].window_idx != pairs[idx - 1].window_idx) {
      windows.push_back(pairs[idx].window_idx);
      first_pair.push_back(idx);
    }
  }
  first_pair.push_back(pairs.size());

  // partial[pair][year][0 = valid area, 1 = weighted sum]
  std::vector<double> partial(pairs.size() * n_years * 2, 0.0);
  const int workers = std::max(1, context.threads);
  std::vector<std::unique_ptr<RasterSeriesReader>> readers(static_cast<std::size_t>(workers));
  std::vector<std::vector<double>> buffers(static_cast<std::size_t>(workers));
  Progress progress(context, "zonal statistics", windows.size());

  parallel_for(windows.size(), workers, [&](std::size_t task, std::size_t worker) {
    auto& reader = readers[worker];
    if (!reader) reader = std::make_unique<RasterSeriesReader>(series);
    std::vector<double>& values = buffers[worker];
    const Window win = window_of(windows[task]);
    for (std::size_t year = 0; year < n_years; ++year) {
      reader->read(year, win, values);
      for (std::size_t pair_idx = first_pair[task]; pair_idx < first_pair[task + 1]; ++pair_idx) {
        const Coverage& cov = *coverages[pairs[pair_idx].zone];
        const Window part = cov.window.intersect(win);
        double sum_w = 0, sum_wx = 0;
        for (std::int64_t row = part.row0; row < part.row0 + part.rows; ++row) {
          const double area = cell_area_m2_by_row[static_cast<std::size_t>(row)];
          const double* frac = &cov.frac[static_cast<std::size_t>(
              (row - cov.window.row0) * cov.window.cols + (part.col0 - cov.window.col0))];
          const double* x = &values[static_cast<std::size_t>((row - win.row0) * win.cols +
                                                             (part.col0 - win.col0))];
          double row_w = 0, row_wx = 0;
          for (std::int64_t col = 0; col < part.cols; ++col) {
            // NaN (nodata) fails the comparison and is skipped without a branch on the data.
            const bool valid = x[col] == x[col];
            const double w = valid ? frac[col] : 0.0;
            row_w += w;
            row_wx += valid ? w * x[col] : 0.0;
          }
          sum_w += row_w * area;
          sum_wx += row_wx * area;
        }
        partial[(pair_idx * n_years + year) * 2] = sum_w;
        partial[(pair_idx * n_years + year) * 2 + 1] = sum_wx;
      }
    }
    progress.advance();
  });
  progress.finish();

  // Reduce in window order: deterministic whatever the thread count.
  for (std::size_t pair_idx = 0; pair_idx < pairs.size(); ++pair_idx) {
    const std::size_t zone = pairs[pair_idx].zone;
    for (std::size_t year = 0; year < n_years; ++year) {
      out.valid_area_m2[zone * n_years + year] += partial[(pair_idx * n_years + year) * 2];
      out.weighted_sum[zone * n_years + year] += partial[(pair_idx * n_years + year) * 2 + 1];
    }
  }
  return out;
}

}  // namespace minecarbon::geo
