#include "minecarbon/assess/landuse/landuse_pass.h"

#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

#include "minecarbon/core/run_context.h"
#include "minecarbon/geo/categorical_raster.h"
#include "minecarbon/geo/cell_area.h"

namespace minecarbon::assess::landuse {
namespace {

struct MinePartial {
  std::size_t mine = 0;
  MineSums sums;
};

// The sums of one window.
struct BlockPartial {
  double grid_area_m2 = 0;
  std::vector<double> class_area_m2;
  std::vector<std::int64_t> class_cells;
  std::vector<double> trans_area_m2;
  std::vector<std::int64_t> trans_cells;
  std::vector<std::map<std::int64_t, std::int64_t>> unknown;
  std::vector<MinePartial> mines;
};

// What one worker reuses from window to window.
struct Scratch {
  std::vector<int> class_idx;   // [date · cells + cell]
  std::vector<double> area_m2;  // per cell
  std::unique_ptr<geo::ProjectedCellAreas> projected;
  std::vector<std::vector<float>> raster_values;
};

}  // namespace

PassSums landuse_pass(const PassSetup& setup, const RunContext& context) {
  const geo::AlignedRasters& rasters = *setup.rasters;
  const geo::Grid& grid = rasters.grid();
  const geo::BlockPlan& plan = setup.plan;
  const std::size_t n_dates = rasters.size();
  const std::size_t n_pairs = setup.pairs.size();
  const std::size_t n_classes = setup.codes.size();
  const std::size_t k2 = n_classes * n_classes;
  const std::size_t n_blocks = plan.size();
  const bool per_cell_area = setup.area == LanduseArea::true_area && !rasters.geographic();
  // Areas that depend on the row only: latitude bands, or the planar cell area.
  std::vector<double> row_area_m2;
  if (!per_cell_area) {
    if (setup.area == LanduseArea::planar) {
      const double mpu = rasters.metres_per_unit();
      row_area_m2.assign(static_cast<std::size_t>(grid.rows),
                         std::fabs(grid.dx * grid.dy) * mpu * mpu);
    } else {
      row_area_m2 = geo::cell_area_by_row_m2(grid, true);
    }
  }
  // The mines touching each window.
  std::vector<std::vector<std::size_t>> block_mines(n_blocks);
  for (std::size_t mine = 0; mine < setup.mine_coverage.size(); ++mine) {
    const geo::Coverage& cov = setup.mine_coverage[mine];
    if (cov.window.empty()) continue;
    for (std::size_t id : plan.ids_touching(cov.window))
      block_mines[id].push_back(mine);
  }
  const std::size_t n_raster_values = setup.raster_output ? n_dates + n_pairs +
                                                                [&] {
                                                                  std::size_t n = 0;
                                                                  for (double k : setup.valuation_k)
                                                                    n += std::isnan(k) ? 0 : 1;
                                                                  return n;
                                                                }()
                                                          : 0;

  std::vector<BlockPartial> partials(n_blocks);
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  std::vector<Scratch> scratch(workers);
  std::atomic<std::size_t> done{0};
  std::mutex say_mutex;
  const std::size_t report_every = std::max<std::size_t>(1, n_blocks / 10);
  const double nan = std::numeric_limits<double>::quiet_NaN();

  geo::for_each_block<double>(
      rasters, plan, context.threads,
      [&](const geo::RasterBlock<double>& block, std::size_t worker) {
        Scratch& s = scratch[worker];
        const geo::Window& w = block.window;
        const std::size_t cells = static_cast<std::size_t>(w.cells());
        BlockPartial& part = partials[block.block_id];
        part.class_area_m2.assign(n_dates * n_classes, 0.0);
        part.class_cells.assign(n_dates * n_classes, 0);
        part.trans_area_m2.assign(n_pairs * k2, 0.0);
        part.trans_cells.assign(n_pairs * k2, 0);
        part.unknown.assign(n_dates, {});
        // Cell areas.
        s.area_m2.resize(cells);
        if (per_cell_area) {
          if (!s.projected)
            s.projected = std::make_unique<geo::ProjectedCellAreas>(rasters.crs_wkt());
          s.projected->areas_m2(grid, w, s.area_m2);
        } else {
          for (std::int64_t r = 0; r < w.rows; ++r)
            for (std::int64_t c = 0; c < w.cols; ++c)
              s.area_m2[static_cast<std::size_t>(r * w.cols + c)] =
                  row_area_m2[static_cast<std::size_t>(w.row0 + r)];
        }
        // Class indices, with the mask applied.
        s.class_idx.resize(n_dates * cells);
        for (std::size_t d = 0; d < n_dates; ++d) {
          const double* values = block.layer(d);
          int* idx = s.class_idx.data() + d * cells;
          for (std::size_t i = 0; i < cells; ++i) {
            double v = values[i];
            if (setup.lulc_nodata && v == *setup.lulc_nodata) v = nan;
            int k = setup.codes.index_of(v);
            if (k == geo::ClassCodes::kUnknown) {
              ++part.unknown[d][static_cast<std::int64_t>(std::llround(v))];
              k = geo::ClassCodes::kNoData;
            }
            idx[i] = k;
          }
        }
        if (setup.mask == LanduseMask::common && n_dates > 1) {
          for (std::size_t i = 0; i < cells; ++i) {
            bool all = true;
            for (std::size_t d = 0; d < n_dates; ++d)
              all = all && s.class_idx[d * cells + i] >= 0;
            if (!all)
              for (std::size_t d = 0; d < n_dates; ++d)
                s.class_idx[d * cells + i] = -1;
          }
        }
        // Map totals.
        for (std::size_t i = 0; i < cells; ++i) {
          const double a = s.area_m2[i];
          part.grid_area_m2 += a;
          for (std::size_t d = 0; d < n_dates; ++d) {
            const int k = s.class_idx[d * cells + i];
            if (k < 0) continue;
            part.class_area_m2[d * n_classes + static_cast<std::size_t>(k)] += a;
            ++part.class_cells[d * n_classes + static_cast<std::size_t>(k)];
          }
          for (std::size_t p = 0; p < n_pairs; ++p) {
            const int from = s.class_idx[setup.pairs[p].from * cells + i];
            const int to = s.class_idx[setup.pairs[p].to * cells + i];
            if (from < 0 || to < 0) continue;
            const std::size_t slot =
                p * k2 + static_cast<std::size_t>(from) * n_classes + static_cast<std::size_t>(to);
            part.trans_area_m2[slot] += a;
            ++part.trans_cells[slot];
          }
        }
        // Mines: the same sums weighted by coverage.
        for (std::size_t mine : block_mines[block.block_id]) {
          const geo::Coverage& cov = setup.mine_coverage[mine];
          const geo::Window inside = cov.window.intersect(w);
          if (inside.empty()) continue;
          MinePartial mp;
          mp.mine = mine;
          mp.sums.class_area_m2.assign(n_dates * n_classes, 0.0);
          mp.sums.trans_area_m2.assign(n_pairs * k2, 0.0);
          for (std::int64_t row = inside.row0; row < inside.row0 + inside.rows; ++row)
            for (std::int64_t col = inside.col0; col < inside.col0 + inside.cols; ++col) {
              const double c = cov.at(row, col);
              if (c == 0.0) continue;
              const std::size_t i =
                  static_cast<std::size_t>((row - w.row0) * w.cols + (col - w.col0));
              const double ca = c * s.area_m2[i];
              mp.sums.covered_area_m2 += ca;
              for (std::size_t d = 0; d < n_dates; ++d) {
                const int k = s.class_idx[d * cells + i];
                if (k >= 0)
                  mp.sums.class_area_m2[d * n_classes + static_cast<std::size_t>(k)] += ca;
              }
              for (std::size_t p = 0; p < n_pairs; ++p) {
                const int from = s.class_idx[setup.pairs[p].from * cells + i];
                const int to = s.class_idx[setup.pairs[p].to * cells + i];
                if (from < 0 || to < 0) continue;
                mp.sums.trans_area_m2[p * k2 + static_cast<std::size_t>(from) * n_classes +
                                      static_cast<std::size_t>(to)] += ca;
              }
            }
          part.mines.push_back(std::move(mp));
        }
        // Rasters: t C/ha (storage, change) and currency/ha (npv), NaN = nodata.
        if (setup.raster_output) {
          s.raster_values.resize(n_raster_values);
          std::size_t layer = 0;
          for (std::size_t d = 0; d < n_dates; ++d, ++layer) {
            auto& out = s.raster_values[layer];
            out.resize(cells);
            for (std::size_t i = 0; i < cells; ++i) {
              const int k = s.class_idx[d * cells + i];
              out[i] = k >= 0 ? static_cast<float>(setup.class_c_tC_ha[static_cast<std::size_t>(k)])
                              : std::numeric_limits<float>::quiet_NaN();
            }
          }
          auto change_of = [&](std::size_t p, std::size_t i) {
            const int from = s.class_idx[setup.pairs[p].from * cells + i];
            const int to = s.class_idx[setup.pairs[p].to * cells + i];
            if (from < 0 || to < 0) return nan;
            return setup.class_c_tC_ha[static_cast<std::size_t>(to)] -
                   setup.class_c_tC_ha[static_cast<std::size_t>(from)];
          };
          for (std::size_t p = 0; p < n_pairs; ++p, ++layer) {
            auto& out = s.raster_values[layer];
            out.resize(cells);
            for (std::size_t i = 0; i < cells; ++i)
              out[i] = static_cast<float>(change_of(p, i));
          }
          for (std::size_t p = 0; p < n_pairs; ++p) {
            if (std::isnan(setup.valuation_k[p])) continue;
            auto& out = s.raster_values[layer++];
            out.resize(cells);
            for (std::size_t i = 0; i < cells; ++i)
              out[i] = static_cast<float>(change_of(p, i) * setup.valuation_k[p]);
          }
          setup.raster_output->write_block(block.block_id, s.raster_values);
        }
        const std::size_t finished = ++done;
        if (finished % report_every == 0 || finished == n_blocks) {
          std::lock_guard<std::mutex> lock(say_mutex);
          context.say("landuse: " + std::to_string(finished) + " of " + std::to_string(n_blocks) +
                      " windows read");
        }
      });

  // Merge in window order: the same sums for any thread count.
  PassSums sums;
  sums.n_classes = n_classes;
  sums.class_area_m2.assign(n_dates * n_classes, 0.0);
  sums.class_cells.assign(n_dates * n_classes, 0);
  sums.trans_area_m2.assign(n_pairs * k2, 0.0);
  sums.trans_cells.assign(n_pairs * k2, 0);
  sums.unknown.resize(n_dates);
  sums.mines.resize(setup.mine_coverage.size());
  for (MineSums& m : sums.mines) {
    m.class_area_m2.assign(n_dates * n_classes, 0.0);
    m.trans_area_m2.assign(n_pairs * k2, 0.0);
  }
  std::vector<std::map<std::int64_t, std::int64_t>> unknown(n_dates);
  for (const BlockPartial& part : partials) {
    sums.grid_area_m2 += part.grid_area_m2;
    for (std::size_t idx = 0; idx < part.class_area_m2.size(); ++idx) {
      sums.class_area_m2[idx] += part.class_area_m2[idx];
      sums.class_cells[idx] += part.class_cells[idx];
    }
    for (std::size_t idx = 0; idx < part.trans_area_m2.size(); ++idx) {
      sums.trans_area_m2[idx] += part.trans_area_m2[idx];
      sums.trans_cells[idx] += part.trans_cells[idx];
    }
    for (std::size_t d = 0; d < part.unknown.size(); ++d)
      for (const auto& [code, n] : part.unknown[d])
        unknown[d][code] += n;
    for (const MinePartial& mp : part.mines) {
      MineSums& m = sums.mines[mp.mine];
      m.covered_area_m2 += mp.sums.covered_area_m2;
      for (std::size_t idx = 0; idx < mp.sums.class_area_m2.size(); ++idx)
        m.class_area_m2[idx] += mp.sums.class_area_m2[idx];
      for (std::size_t idx = 0; idx < mp.sums.trans_area_m2.size(); ++idx)
        m.trans_area_m2[idx] += mp.sums.trans_area_m2[idx];
    }
  }
  for (std::size_t d = 0; d < n_dates; ++d)
    sums.unknown[d].assign(unknown[d].begin(), unknown[d].end());
  return sums;
}

}  // namespace minecarbon::assess::landuse
