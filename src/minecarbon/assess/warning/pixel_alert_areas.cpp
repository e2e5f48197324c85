#include "minecarbon/assess/warning/pixel_alert_areas.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>

#include "minecarbon/core/parallel.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/raster_pass.h"

namespace minecarbon::assess::warning {

PixelAlertAreas pixel_alert_areas(const std::string& alert_raster, const geo::PolygonLayer& layer,
                                  const std::vector<std::string>& levels, std::int64_t memory_mb,
                                  int threads) {
  PixelAlertAreas out;
  out.levels.push_back("none");
  out.levels.insert(out.levels.end(), levels.begin(), levels.end());
  const std::size_t n_classes = out.levels.size();
  geo::RasterLayerSpec spec;
  spec.path = alert_raster;
  const geo::AlignedRasters rasters(std::vector<geo::RasterLayerSpec>{spec});
  const geo::Grid& grid = rasters.grid();

  // Coverage of every mine on the alert grid. PROJ transformations are not thread-safe: one per
  // worker. Each mine is independent work, so the result does not depend on the threads.
  const std::size_t n_mines = layer.features.size();
  std::vector<geo::Coverage> coverage(n_mines);
  std::vector<std::unique_ptr<geo::CrsTransform>> transforms(block_count(n_mines, threads));
  parallel_for(n_mines, threads, [&](std::size_t mine, std::size_t worker) {
    auto& transform = transforms[worker];
    if (!transform)
      transform = std::make_unique<geo::CrsTransform>(layer.crs_wkt, rasters.crs_wkt());
    coverage[mine] =
        geo::compute_coverage(transform->apply(layer.features[mine].shape,
                                               layer.path + " feature " + layer.features[mine].id),
                              grid);
  });

  geo::RasterPassRequest request;
  request.memory_mb = memory_mb;
  request.threads = threads;
  request.window_bytes_per_cell = 8.0;
  request.output_bytes_per_cell = 0;
  request.output_tile = 0;
  request.source = "[warning] memory_mb";
  const geo::RasterPass pass = geo::plan_raster_pass(rasters, request);
  std::vector<std::vector<std::size_t>> mines_of_block(pass.plan.size());
  for (std::size_t m = 0; m < n_mines; ++m) {
    if (coverage[m].window.empty()) continue;
    for (std::size_t block : pass.plan.ids_touching(coverage[m].window))
      mines_of_block[block].push_back(m);
  }
  const std::vector<double> row_area_m2 =
      geo::cell_area_by_row_m2(grid, rasters.geographic(), rasters.metres_per_unit());
  std::vector<geo::CategoricalAccumulator> acc(n_mines, geo::CategoricalAccumulator(n_classes));
  std::mutex mutex;
  geo::run_block_pass(rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t) {
    const geo::Window& w = block.window;
    const std::vector<double>& code = block.values[0];  // NaN: the nodata 255
    std::vector<std::pair<std::size_t, geo::CategoricalAccumulator>> parts;
    for (std::size_t m : mines_of_block[block.block_id]) {
      const geo::Coverage& cov = coverage[m];
      const std::int64_t r0 = std::max(w.row0, cov.window.row0);
      const std::int64_t r1 = std::min(w.row0 + w.rows, cov.window.row0 + cov.window.rows);
      const std::int64_t c0 = std::max(w.col0, cov.window.col0);
      const std::int64_t c1 = std::min(w.col0 + w.cols, cov.window.col0 + cov.window.cols);
      if (r0 >= r1 || c0 >= c1) continue;
      geo::CategoricalAccumulator part(n_classes);
      for (std::int64_t row = r0; row < r1; ++row) {
        const double a = row_area_m2[static_cast<std::size_t>(row)];
        for (std::int64_t col = c0; col < c1; ++col) {
          const double c = cov.at(row, col);
          if (c <= 0) continue;
          const double x = code[static_cast<std::size_t>((row - w.row0) * w.cols + (col - w.col0))];
          // A code past the levels (only 255 is written, read as NaN) counts as no data.
          const int k = x >= 0 && x < static_cast<double>(n_classes) ? static_cast<int>(x) : -1;
          part.add(c, a, k);
        }
      }
      parts.emplace_back(m, std::move(part));
    }
    // Exact sums: merging in the order blocks finish gives the same bits as any other order.
    const std::lock_guard<std::mutex> lock(mutex);
    for (auto& [m, part] : parts)
      acc[m].merge(part);
  });
  for (std::size_t m = 0; m < n_mines; ++m) {
    out.mine_ids.push_back(layer.features[m].id);
    out.areas.push_back(acc[m].finish());
  }
  return out;
}

Table pixel_alert_area_table(const PixelAlertAreas& areas) {
  const std::size_t n = areas.mine_ids.size();
  std::vector<double> covered(n), valid(n), nodata(n);
  std::vector<std::vector<double>> area(areas.levels.size(), std::vector<double>(n));
  std::vector<std::vector<double>> share(areas.levels.size(), std::vector<double>(n));
  for (std::size_t m = 0; m < n; ++m) {
    const geo::CategoricalAreas& a = areas.areas[m];
    covered[m] = a.covered_area_m2;
    valid[m] = a.valid_area_m2;
    nodata[m] = a.covered_area_m2 - a.valid_area_m2;
    for (std::size_t l = 0; l < areas.levels.size(); ++l) {
      area[l][m] = a.area_m2[l];
      share[l][m] = a.valid_area_m2 > 0 ? a.area_m2[l] / a.valid_area_m2
                                        : std::numeric_limits<double>::quiet_NaN();
    }
  }
  Table t("warning_pixel_mine");
  t.add("mine_id", areas.mine_ids);
  t.add("covered_area_m2", covered);
  t.add("valid_area_m2", valid);
  t.add("nodata_area_m2", nodata);
  for (std::size_t l = 0; l < areas.levels.size(); ++l) {
    t.add("pixel_" + areas.levels[l] + "_area_m2", area[l]);
    t.add("pixel_" + areas.levels[l] + "_share", share[l]);
  }
  return t;
}

}  // namespace minecarbon::assess::warning
