#include "minecarbon/geo/zonal.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "minecarbon/core/parallel.h"
#include "minecarbon/core/progress.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/block_plan.h"
#include "minecarbon/geo/zonal_accumulator.h"

namespace minecarbon::geo {
namespace {

// Reading windows: the raster's own blocks, so only blocks some zone touches are decoded; blocks
// smaller than 128 cells a side (strips of one row, say) are grouped up to about 256.
BlockPlan reading_plan(const RasterSeries& series) {
  const BlockSize block{std::max<std::int64_t>(1, series.block_rows),
                        std::max<std::int64_t>(1, series.block_cols)};
  return BlockPlan(series.grid, {block}, BlockPlanOptions{128, 256, 4096});
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

double ZonalSums::sd(std::size_t zone, std::size_t year) const {
  if (weighted_sq_sum.empty() || !squared[zone]) return std::nan("");
  const std::size_t at = zone * n_years + year;
  const double area = valid_area_m2[at];
  if (!(area > 0)) return std::nan("");
  const double mean_x = weighted_sum[at] / area;
  const double variance = weighted_sq_sum[at] / area - mean_x * mean_x;
  return std::sqrt(std::max(0.0, variance));
}

ZonalSums zonal_sums(const std::vector<const Coverage*>& coverages,
                     const std::vector<double>& cell_area_m2_by_row, const RasterSeries& series,
                     const RunContext& context, ZonalReaders* kept_readers) {
  return zonal_sums(coverages, cell_area_m2_by_row, series, context, {}, kept_readers);
}

ZonalSums zonal_sums(const std::vector<const Coverage*>& coverages,
                     const std::vector<double>& cell_area_m2_by_row, const RasterSeries& series,
                     const RunContext& context, const std::vector<char>& squares,
                     ZonalReaders* kept_readers) {
  if (!squares.empty() && squares.size() != coverages.size())
    throw std::invalid_argument("zonal_sums: squares has " + std::to_string(squares.size()) +
                                " entries for " + std::to_string(coverages.size()) + " zones");
  const bool any_squares = std::any_of(squares.begin(), squares.end(), [](char s) { return s; });
  const std::size_t n_years = series.years.size();
  ZonalSums out;
  out.n_zones = coverages.size();
  out.n_years = n_years;
  out.valid_area_m2.assign(out.n_zones * n_years, 0.0);
  out.weighted_sum.assign(out.n_zones * n_years, 0.0);
  out.covered_area_m2.assign(out.n_zones, 0.0);
  if (any_squares) {
    out.weighted_sq_sum.assign(out.n_zones * n_years, 0.0);
    out.squared = squares;
  }

  const BlockPlan plan = reading_plan(series);

  // Covered areas (the same every year) over each zone's whole window, and which zones touch
  // which reading window.
  std::vector<Pair> pairs;
  for (std::size_t zone = 0; zone < coverages.size(); ++zone) {
    const Coverage& cov = *coverages[zone];
    if (cov.window.empty()) continue;
    PlainContinuousAccumulator covered;
    for (std::int64_t row = 0; row < cov.window.rows; ++row) {
      covered.add_row(&cov.frac[static_cast<std::size_t>(row * cov.window.cols)], nullptr,
                      static_cast<std::size_t>(cov.window.cols),
                      cell_area_m2_by_row[static_cast<std::size_t>(cov.window.row0 + row)]);
    }
    out.covered_area_m2[zone] = covered.finish().covered_area_m2;
    for (std::size_t window_idx : plan.ids_touching(cov.window))
      pairs.push_back({window_idx, zone});
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
  out.windows_read = windows;

  // partial[pair * n_years + year]: the zone's sums over one window.
  std::vector<PlainContinuousAccumulator> partial(pairs.size() * n_years);
  // Σ c·a·x² of the squared zones, beside `partial` (empty when no zone is squared).
  std::vector<PlainSum> partial_sq(any_squares ? pairs.size() * n_years : 0);
  const int workers = std::max(1, context.threads);
  ZonalReaders own_readers;
  std::vector<std::unique_ptr<RasterSeriesReader>>& readers =
      (kept_readers ? *kept_readers : own_readers).per_worker;
  if (readers.size() < static_cast<std::size_t>(workers))
    readers.resize(static_cast<std::size_t>(workers));
  std::vector<std::vector<double>> buffers(static_cast<std::size_t>(workers));
  Progress progress(context, "zonal statistics", windows.size());

  parallel_for(windows.size(), workers, [&](std::size_t task, std::size_t worker) {
    auto& reader = readers[worker];
    if (!reader) reader = std::make_unique<RasterSeriesReader>(series);
    std::vector<double>& values = buffers[worker];
    const Window win = plan.window(windows[task]);
    for (std::size_t year = 0; year < n_years; ++year) {
      reader->read(year, win, values);
      for (std::size_t pair_idx = first_pair[task]; pair_idx < first_pair[task + 1]; ++pair_idx) {
        const Coverage& cov = *coverages[pairs[pair_idx].zone];
        const Window part = cov.window.intersect(win);
        PlainContinuousAccumulator& sums = partial[pair_idx * n_years + year];
        const bool square = any_squares && squares[pairs[pair_idx].zone];
        for (std::int64_t row = part.row0; row < part.row0 + part.rows; ++row) {
          const double* frac = &cov.frac[static_cast<std::size_t>(
              (row - cov.window.row0) * cov.window.cols + (part.col0 - cov.window.col0))];
          const double* x = &values[static_cast<std::size_t>((row - win.row0) * win.cols +
                                                             (part.col0 - win.col0))];
          if (square)
            add_row_with_squares(sums, partial_sq[pair_idx * n_years + year], frac, x,
                                 static_cast<std::size_t>(part.cols),
                                 cell_area_m2_by_row[static_cast<std::size_t>(row)]);
          else
            sums.add_row(frac, x, static_cast<std::size_t>(part.cols),
                         cell_area_m2_by_row[static_cast<std::size_t>(row)]);
        }
      }
    }
    progress.advance();
  });
  progress.finish();

  // Merge each zone's windows in window order: deterministic whatever the thread count. Pairs
  // of one zone, in window order (a stable sort of the window-sorted pairs by zone).
  std::vector<std::size_t> by_zone(pairs.size());
  std::iota(by_zone.begin(), by_zone.end(), std::size_t{0});
  std::stable_sort(by_zone.begin(), by_zone.end(),
                   [&](std::size_t a, std::size_t b) { return pairs[a].zone < pairs[b].zone; });
  for (std::size_t first = 0; first < by_zone.size();) {
    const std::size_t zone = pairs[by_zone[first]].zone;
    std::size_t last = first;
    while (last < by_zone.size() && pairs[by_zone[last]].zone == zone)
      ++last;
    for (std::size_t year = 0; year < n_years; ++year) {
      PlainContinuousAccumulator total;
      for (std::size_t idx = first; idx < last; ++idx)
        total.merge(partial[by_zone[idx] * n_years + year]);
      out.valid_area_m2[zone * n_years + year] = total.sum_ca.value();
      out.weighted_sum[zone * n_years + year] = total.sum_cax.value();
      if (any_squares && squares[zone]) {
        PlainSum total_sq;
        for (std::size_t idx = first; idx < last; ++idx)
          total_sq.merge(partial_sq[by_zone[idx] * n_years + year]);
        out.weighted_sq_sum[zone * n_years + year] = total_sq.value();
      }
    }
    first = last;
  }
  return out;
}

}  // namespace minecarbon::geo
