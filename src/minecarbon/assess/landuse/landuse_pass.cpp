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
  std::unique_ptr<geo::ProjectedCellAreas> exact;
  std::vector<std::vector<float>> raster_values;
};

// Where the cell areas come from: a value per grid row (latitude bands, planar), the
// interpolated lattice of projected true areas, or the exact geodesic rule per cell.
struct CellAreaSource {
  std::vector<double> row_area_m2;
  std::unique_ptr<geo::ProjectedCellAreaLattice> lattice;
  bool exact_per_cell = false;
  std::string crs_wkt;
};

CellAreaSource make_cell_area_source(const geo::AlignedRasters& rasters, LanduseArea area) {
  CellAreaSource source;
  const geo::Grid& grid = rasters.grid();
  if (area == LanduseArea::planar) {
    const double mpu = rasters.metres_per_unit();
    source.row_area_m2.assign(static_cast<std::size_t>(grid.rows),
                              std::fabs(grid.dx * grid.dy) * mpu * mpu);
  } else if (rasters.geographic()) {
    source.row_area_m2 = geo::cell_area_by_row_m2(grid, true);
  } else {
    source.lattice = std::make_unique<geo::ProjectedCellAreaLattice>(rasters.crs_wkt(), grid);
    source.exact_per_cell = source.lattice->exact();
    source.crs_wkt = rasters.crs_wkt();
  }
  return source;
}

std::string describe(const CellAreaSource& source, LanduseArea area, bool geographic) {
  if (area == LanduseArea::planar) return "planar: |dx * dy| per cell";
  if (geographic) return "true: ellipsoidal latitude band per row";
  if (source.exact_per_cell)
    return "true: exact geodesic area of each cell's corners (no lattice met the error bound)";
  return "true: exact geodesic cell areas every " + std::to_string(source.lattice->step_cells()) +
         " cells, cubic interpolation between (bound " +
         std::to_string(source.lattice->error_bound_rel()) + " relative)";
}

// Area of every cell of window `w`, m², into s.area_m2.
void window_cell_areas(const CellAreaSource& source, const geo::Grid& grid, const geo::Window& w,
                       Scratch& s) {
  if (source.exact_per_cell) {
    if (!s.exact) s.exact = std::make_unique<geo::ProjectedCellAreas>(source.crs_wkt);
    s.exact->areas_m2(grid, w, s.area_m2);
    return;
  }
  if (source.lattice) {
    source.lattice->areas_m2(w, s.area_m2);
    return;
  }
  s.area_m2.resize(static_cast<std::size_t>(w.cells()));
  for (std::int64_t r = 0; r < w.rows; ++r) {
    const double a = source.row_area_m2[static_cast<std::size_t>(w.row0 + r)];
    double* row = s.area_m2.data() + r * w.cols;
    for (std::int64_t c = 0; c < w.cols; ++c)
      row[c] = a;
  }
}

// Class index of a raster value (ClassCodes' rule, with lulc_nodata as nodata), for decoded
// doubles and for raw integers through a dense table over the codes' range.
class CodeIndex {
 public:
  CodeIndex(const geo::ClassCodes& codes, std::optional<double> lulc_nodata)
      : codes_(codes), lulc_nodata_(lulc_nodata) {
    if (codes.size() == 0) return;
    std::int64_t lo = codes.codes().front(), hi = lo;
    for (std::int64_t code : codes.codes()) {
      lo = std::min(lo, code);
      hi = std::max(hi, code);
    }
    if (hi - lo >= (1 << 20)) return;  // sparse codes: ClassCodes' own lookup
    min_code_ = lo;
    table_.assign(static_cast<std::size_t>(hi - lo + 1), geo::ClassCodes::kUnknown);
    for (std::int64_t code : codes.codes())
      table_[static_cast<std::size_t>(code - lo)] = codes.index_of(static_cast<double>(code));
    if (lulc_nodata && *lulc_nodata == std::floor(*lulc_nodata) &&
        std::fabs(*lulc_nodata) < 2147483648.0)
      int_nodata_ = static_cast<std::int32_t>(*lulc_nodata);
  }

  int of(double v) const {
    if (lulc_nodata_ && v == *lulc_nodata_) return geo::ClassCodes::kNoData;
    return codes_.index_of(v);
  }
  int of(std::int32_t v) const {
    if (v == geo::kInt32NoData || (int_nodata_ && v == *int_nodata_))
      return geo::ClassCodes::kNoData;
    if (table_.empty()) return of(static_cast<double>(v));
    const auto offset = static_cast<std::uint64_t>(static_cast<std::int64_t>(v) - min_code_);
    return offset < table_.size() ? table_[offset] : geo::ClassCodes::kUnknown;
  }

 private:
  const geo::ClassCodes& codes_;
  std::optional<double> lulc_nodata_;
  std::optional<std::int32_t> int_nodata_;
  std::int64_t min_code_ = 0;
  std::vector<int> table_;
};

std::int64_t code_of(double v) {
  return static_cast<std::int64_t>(std::llround(v));
}
std::int64_t code_of(std::int32_t v) {
  return v;
}

// Class indices of every date into s.class_idx; values not in the table are counted in
// part.unknown and become nodata.
template <class T>
void class_indices(const geo::RasterBlock<T>& block, const CodeIndex& index, std::size_t n_dates,
                   Scratch& s, BlockPartial& part) {
  const std::size_t cells = static_cast<std::size_t>(block.window.cells());
  s.class_idx.resize(n_dates * cells);
  for (std::size_t d = 0; d < n_dates; ++d) {
    const T* values = block.layer(d);
    int* idx = s.class_idx.data() + d * cells;
    bool any_unknown = false;
    for (std::size_t i = 0; i < cells; ++i) {
      const int k = index.of(values[i]);
      idx[i] = k;
      any_unknown |= k == geo::ClassCodes::kUnknown;
    }
    if (!any_unknown) continue;
    for (std::size_t i = 0; i < cells; ++i)
      if (idx[i] == geo::ClassCodes::kUnknown) {
        ++part.unknown[d][code_of(values[i])];
        idx[i] = geo::ClassCodes::kNoData;
      }
  }
}

// mask = "common": a cell without a class at some date has none at every date.
void apply_common_mask(std::size_t n_dates, std::size_t cells, Scratch& s) {
  for (std::size_t i = 0; i < cells; ++i) {
    bool all = true;
    for (std::size_t d = 0; d < n_dates; ++d)
      all = all && s.class_idx[d * cells + i] >= 0;
    if (!all)
      for (std::size_t d = 0; d < n_dates; ++d)
        s.class_idx[d * cells + i] = -1;
  }
}

// Class areas and cells per date, transitions per pair, and the grid area of one window.
void add_map_sums(const PassSetup& setup, std::size_t n_dates, std::size_t cells, const Scratch& s,
                  BlockPartial& part) {
  const std::size_t n_classes = setup.codes.size();
  const std::size_t k2 = n_classes * n_classes;
  const double* area = s.area_m2.data();
  double grid_area = 0;
  for (std::size_t i = 0; i < cells; ++i)
    grid_area += area[i];
  part.grid_area_m2 += grid_area;
  for (std::size_t d = 0; d < n_dates; ++d) {
    const int* idx = s.class_idx.data() + d * cells;
    double* class_area = part.class_area_m2.data() + d * n_classes;
    std::int64_t* class_cells = part.class_cells.data() + d * n_classes;
    for (std::size_t i = 0; i < cells; ++i) {
      const int k = idx[i];
      if (k < 0) continue;
      class_area[k] += area[i];
      ++class_cells[k];
    }
  }
  for (std::size_t p = 0; p < setup.pairs.size(); ++p) {
    const int* from = s.class_idx.data() + setup.pairs[p].from * cells;
    const int* to = s.class_idx.data() + setup.pairs[p].to * cells;
    double* trans_area = part.trans_area_m2.data() + p * k2;
    std::int64_t* trans_cells = part.trans_cells.data() + p * k2;
    const int k = static_cast<int>(n_classes);
    for (std::size_t i = 0; i < cells; ++i) {
      if ((from[i] | to[i]) < 0) continue;
      const int slot = from[i] * k + to[i];
      trans_area[slot] += area[i];
      ++trans_cells[slot];
    }
  }
}

// One mine's sums over window `w`: class and transition areas weighted by coverage × cell area,
// and the covered area.
MinePartial mine_sums(const PassSetup& setup, std::size_t mine, const geo::Window& w,
                      std::size_t n_dates, const Scratch& s) {
  const std::size_t n_classes = setup.codes.size();
  const std::size_t k2 = n_classes * n_classes;
  const std::size_t cells = static_cast<std::size_t>(w.cells());
  const geo::Coverage& cov = setup.mine_coverage[mine];
  const geo::Window inside = cov.window.intersect(w);
  MinePartial mp;
  mp.mine = mine;
  mp.sums.class_area_m2.assign(n_dates * n_classes, 0.0);
  mp.sums.trans_area_m2.assign(setup.pairs.size() * k2, 0.0);
  for (std::int64_t row = inside.row0; row < inside.row0 + inside.rows; ++row)
    for (std::int64_t col = inside.col0; col < inside.col0 + inside.cols; ++col) {
      const double c = cov.at(row, col);
      if (c == 0.0) continue;
      const std::size_t i = static_cast<std::size_t>((row - w.row0) * w.cols + (col - w.col0));
      const double ca = c * s.area_m2[i];
      mp.sums.covered_area_m2 += ca;
      for (std::size_t d = 0; d < n_dates; ++d) {
        const int k = s.class_idx[d * cells + i];
        if (k >= 0) mp.sums.class_area_m2[d * n_classes + static_cast<std::size_t>(k)] += ca;
      }
      for (std::size_t p = 0; p < setup.pairs.size(); ++p) {
        const int from = s.class_idx[setup.pairs[p].from * cells + i];
        const int to = s.class_idx[setup.pairs[p].to * cells + i];
        if (from < 0 || to < 0) continue;
        mp.sums.trans_area_m2[p * k2 + static_cast<std::size_t>(from) * n_classes +
                              static_cast<std::size_t>(to)] += ca;
      }
    }
  return mp;
}

// The window's raster values: c_storage per date, c_change per pair (t C/ha), npv per valued
// pair (currency/ha); NaN = nodata.
void raster_values(const PassSetup& setup, std::size_t n_dates, std::size_t cells,
                   std::size_t n_layers, Scratch& s) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.raster_values.resize(n_layers);
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
  for (std::size_t p = 0; p < setup.pairs.size(); ++p, ++layer) {
    auto& out = s.raster_values[layer];
    out.resize(cells);
    for (std::size_t i = 0; i < cells; ++i)
      out[i] = static_cast<float>(change_of(p, i));
  }
  for (std::size_t p = 0; p < setup.pairs.size(); ++p) {
    if (std::isnan(setup.valuation_k[p])) continue;
    auto& out = s.raster_values[layer++];
    out.resize(cells);
    for (std::size_t i = 0; i < cells; ++i)
      out[i] = static_cast<float>(change_of(p, i) * setup.valuation_k[p]);
  }
}

// Sums the windows' partials in window order: the same sums for any thread count.
PassSums merge_partials(const std::vector<BlockPartial>& partials, std::size_t n_dates,
                        std::size_t n_pairs, std::size_t n_classes, std::size_t n_mines) {
  const std::size_t k2 = n_classes * n_classes;
  PassSums sums;
  sums.n_classes = n_classes;
  sums.class_area_m2.assign(n_dates * n_classes, 0.0);
  sums.class_cells.assign(n_dates * n_classes, 0);
  sums.trans_area_m2.assign(n_pairs * k2, 0.0);
  sums.trans_cells.assign(n_pairs * k2, 0);
  sums.unknown.resize(n_dates);
  sums.mines.resize(n_mines);
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

// The mines whose coverage touches each window.
std::vector<std::vector<std::size_t>> mines_by_window(const PassSetup& setup) {
  std::vector<std::vector<std::size_t>> block_mines(setup.plan.size());
  for (std::size_t mine = 0; mine < setup.mine_coverage.size(); ++mine) {
    const geo::Coverage& cov = setup.mine_coverage[mine];
    if (cov.window.empty()) continue;
    for (std::size_t id : setup.plan.ids_touching(cov.window))
      block_mines[id].push_back(mine);
  }
  return block_mines;
}

std::size_t raster_layer_count(const PassSetup& setup, std::size_t n_dates) {
  if (!setup.raster_output) return 0;
  std::size_t n = n_dates + setup.pairs.size();
  for (double k : setup.valuation_k)
    n += std::isnan(k) ? 0 : 1;
  return n;
}

}  // namespace

PassSums landuse_pass(const PassSetup& setup, const RunContext& context) {
  const geo::AlignedRasters& rasters = *setup.rasters;
  const geo::Grid& grid = rasters.grid();
  const std::size_t n_dates = rasters.size();
  const std::size_t n_pairs = setup.pairs.size();
  const std::size_t n_classes = setup.codes.size();
  const std::size_t k2 = n_classes * n_classes;
  const std::size_t n_blocks = setup.plan.size();
  const CellAreaSource areas = make_cell_area_source(rasters, setup.area);
  const std::vector<std::vector<std::size_t>> block_mines = mines_by_window(setup);
  const std::size_t n_raster_layers = raster_layer_count(setup, n_dates);
  const CodeIndex index(setup.codes, setup.lulc_nodata);

  std::vector<BlockPartial> partials(n_blocks);
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  std::vector<Scratch> scratch(workers);
  std::atomic<std::size_t> done{0};
  std::mutex say_mutex;
  const std::size_t report_every = std::max<std::size_t>(1, n_blocks / 10);

  auto visit = [&](const auto& block, std::size_t worker) {
    Scratch& s = scratch[worker];
    const geo::Window& w = block.window;
    const std::size_t cells = static_cast<std::size_t>(w.cells());
    BlockPartial& part = partials[block.block_id];
    part.class_area_m2.assign(n_dates * n_classes, 0.0);
    part.class_cells.assign(n_dates * n_classes, 0);
    part.trans_area_m2.assign(n_pairs * k2, 0.0);
    part.trans_cells.assign(n_pairs * k2, 0);
    part.unknown.assign(n_dates, {});
    window_cell_areas(areas, grid, w, s);
    class_indices(block, index, n_dates, s, part);
    if (setup.mask == LanduseMask::common && n_dates > 1) apply_common_mask(n_dates, cells, s);
    add_map_sums(setup, n_dates, cells, s, part);
    for (std::size_t mine : block_mines[block.block_id])
      if (!setup.mine_coverage[mine].window.intersect(w).empty())
        part.mines.push_back(mine_sums(setup, mine, w, n_dates, s));
    if (setup.raster_output) {
      raster_values(setup, n_dates, cells, n_raster_layers, s);
      setup.raster_output->write_block(block.block_id, s.raster_values);
    }
    const std::size_t finished = ++done;
    if (finished % report_every == 0 || finished == n_blocks) {
      std::lock_guard<std::mutex> lock(say_mutex);
      context.say("landuse: " + std::to_string(finished) + " of " + std::to_string(n_blocks) +
                  " windows read");
    }
  };
  // Integer bands are read as integers (4 bytes a cell instead of 8, no decoding).
  bool all_int32 = true;
  for (const geo::RasterLayer& layer : rasters.layers())
    all_int32 = all_int32 && layer.int32_exact;
  if (all_int32)
    geo::for_each_block<std::int32_t>(rasters, setup.plan, context.threads, visit);
  else
    geo::for_each_block<double>(rasters, setup.plan, context.threads, visit);

  PassSums sums = merge_partials(partials, n_dates, n_pairs, n_classes, setup.mine_coverage.size());
  sums.area_method = describe(areas, setup.area, rasters.geographic());
  sums.area_lattice_step_cells = areas.lattice ? areas.lattice->step_cells() : 0;
  return sums;
}

}  // namespace minecarbon::assess::landuse
