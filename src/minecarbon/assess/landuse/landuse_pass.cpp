#include "minecarbon/assess/landuse/landuse_pass.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
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
  double excluded0_area_m2 = 0;  // cells without a class at the first date
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
  std::vector<int> pair_slot;     // from · K + to per cell, −1 = not valid at both dates
  std::vector<double> lane_area;  // see MapLanes
  std::vector<std::int64_t> lane_cells;
  double excluded0_lanes[4] = {0, 0, 0, 0};
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
  char bound[32];
  std::snprintf(bound, sizeof bound, "%.2g", source.lattice->error_bound_rel());
  return "true: exact geodesic cell areas every " + std::to_string(source.lattice->step_cells()) +
         " cells, cubic interpolation between (bound " + bound + " relative)";
}

// Area of the cells of rows [r0, r1) of window `w`, m², into s.area_m2 (sized w.cells()).
void strip_cell_areas(const CellAreaSource& source, const geo::Grid& grid, const geo::Window& w,
                      std::int64_t r0, std::int64_t r1, Scratch& s) {
  double* out = s.area_m2.data() + r0 * w.cols;
  if (source.exact_per_cell) {
    // The slow fallback: the whole window at once, with the first strip.
    if (r0 != 0) return;
    if (!s.exact) s.exact = std::make_unique<geo::ProjectedCellAreas>(source.crs_wkt);
    std::vector<double> all;
    s.exact->areas_m2(grid, w, all);
    std::copy(all.begin(), all.end(), s.area_m2.begin());
    return;
  }
  if (source.lattice) {
    source.lattice->areas_m2(geo::Window{w.row0 + r0, w.col0, r1 - r0, w.cols}, out);
    return;
  }
  for (std::int64_t r = r0; r < r1; ++r) {
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
    if (lulc_nodata && *lulc_nodata == std::floor(*lulc_nodata) &&
        std::fabs(*lulc_nodata) < 2147483648.0) {
      int_nodata_ = static_cast<std::int32_t>(*lulc_nodata);
      lo = std::min<std::int64_t>(lo, *int_nodata_);
      hi = std::max<std::int64_t>(hi, *int_nodata_);
    }
    if (hi - lo >= (1 << 20)) return;  // sparse codes: ClassCodes' own lookup
    min_code_ = lo;
    table_.assign(static_cast<std::size_t>(hi - lo + 1), geo::ClassCodes::kUnknown);
    for (std::int64_t code : codes.codes())
      table_[static_cast<std::size_t>(code - lo)] = codes.index_of(static_cast<double>(code));
    if (int_nodata_) table_[static_cast<std::size_t>(*int_nodata_ - lo)] = geo::ClassCodes::kNoData;
  }

  int of(double v) const {
    if (lulc_nodata_ && v == *lulc_nodata_) return geo::ClassCodes::kNoData;
    return codes_.index_of(v);
  }
  // One predictable branch per cell: the table holds the codes and lulc_nodata.
  int of(std::int32_t v) const {
    const auto offset = static_cast<std::uint64_t>(static_cast<std::int64_t>(v) - min_code_);
    if (offset < table_.size()) [[likely]]
      return table_[offset];
    if (v == geo::kInt32NoData) return geo::ClassCodes::kNoData;
    return table_.empty() ? of(static_cast<double>(v)) : geo::ClassCodes::kUnknown;
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

// Class indices of cells [c0, c1) of every date into s.class_idx (sized dates · cells); values
// not in the table are counted in part.unknown and become nodata.
template <class T>
void class_indices(const geo::RasterBlock<T>& block, const CodeIndex& index, std::size_t n_dates,
                   std::size_t c0, std::size_t c1, Scratch& s, BlockPartial& part) {
  const std::size_t cells = static_cast<std::size_t>(block.window.cells());
  for (std::size_t d = 0; d < n_dates; ++d) {
    const T* values = block.layer(d);
    int* idx = s.class_idx.data() + d * cells;
    bool any_unknown = false;
    for (std::size_t i = c0; i < c1; ++i) {
      const int k = index.of(values[i]);
      idx[i] = k;
      any_unknown |= k == geo::ClassCodes::kUnknown;
    }
    if (!any_unknown) continue;
    for (std::size_t i = c0; i < c1; ++i)
      if (idx[i] == geo::ClassCodes::kUnknown) {
        ++part.unknown[d][code_of(values[i])];
        idx[i] = geo::ClassCodes::kNoData;
      }
  }
}

// mask = "common": a cell of [c0, c1) without a class at some date has none at every date.
void apply_common_mask(std::size_t n_dates, std::size_t cells, std::size_t c0, std::size_t c1,
                       Scratch& s) {
  if (n_dates == 2) {  // the usual case, branch-free (vectorised)
    int* __restrict a = s.class_idx.data();
    int* __restrict b = s.class_idx.data() + cells;
    for (std::size_t i = c0; i < c1; ++i) {
      const bool bad = (a[i] | b[i]) < 0;
      a[i] = bad ? -1 : a[i];
      b[i] = bad ? -1 : b[i];
    }
    return;
  }
  for (std::size_t i = c0; i < c1; ++i) {
    bool all = true;
    for (std::size_t d = 0; d < n_dates; ++d)
      all = all && s.class_idx[d * cells + i] >= 0;
    if (!all)
      for (std::size_t d = 0; d < n_dates; ++d)
        s.class_idx[d * cells + i] = -1;
  }
}

// Histogram sums split over kLanes interleaved copies (cell i goes to copy i mod kLanes): land-use
// maps are patchy, so consecutive cells mostly hit the same class, and with one copy every add
// would wait for the previous one to the same slot (store-to-load latency, ~10 cycles); the
// copies are summed in a fixed order afterwards, so the result is deterministic.
constexpr std::size_t kLanes = 4;

// Adds area[i] and 1 to lane (i mod kLanes), slot slot[i] of the lanes, for i in [c0, c1)
// (slot < 0: skipped).
void lane_add(const int* slot, const double* area, std::size_t c0, std::size_t c1,
              std::size_t n_slots, double* lane_area, std::int64_t* lane_cells) {
  for (std::size_t i = c0; i < c1; ++i) {
    const int k = slot[i];
    if (k < 0) continue;
    const std::size_t at = (i % kLanes) * n_slots + static_cast<std::size_t>(k);
    lane_area[at] += area[i];
    ++lane_cells[at];
  }
}

// The lanes summed in a fixed order into area_out/cells_out (n_slots each).
void lane_flush(const double* lane_area, const std::int64_t* lane_cells, std::size_t n_slots,
                double* area_out, std::int64_t* cells_out) {
  for (std::size_t lane = 0; lane < kLanes; ++lane)
    for (std::size_t k = 0; k < n_slots; ++k) {
      area_out[k] += lane_area[lane * n_slots + k];
      cells_out[k] += lane_cells[lane * n_slots + k];
    }
}

// Lane layout of the map sums: grid area (kLanes), then per date K slots, then per pair K² slots.
// With mask = "common" every valid cell is valid at every date, so when every date is the
// `from` or `to` of some pair its class sums are that pair's row (or column) sums: one histogram
// instead of dates + pairs, and class areas that reconcile exactly with the transitions.
struct MapLanes {
  std::size_t n_classes = 0, n_dates = 0, n_pairs = 0;
  bool dates_from_pairs = false;
  const std::vector<LandusePair>* pairs = nullptr;
  std::size_t date_offset(std::size_t d) const { return kLanes * d * n_classes; }
  std::size_t pair_offset(std::size_t p) const {
    return kLanes * (n_dates * n_classes + p * n_classes * n_classes);
  }
  std::size_t size() const {
    return kLanes * (n_dates * n_classes + n_pairs * n_classes * n_classes);
  }
};

// Class areas and cells per date, transitions per pair, and the grid area of cells [c0, c1),
// into the lanes.
void add_map_sums(const PassSetup& setup, const MapLanes& lanes, std::size_t cells, std::size_t c0,
                  std::size_t c1, Scratch& s) {
  const std::size_t n_classes = setup.codes.size();
  const std::size_t k2 = n_classes * n_classes;
  const double* area = s.area_m2.data();
  const int* first = s.class_idx.data();
  for (std::size_t i = c0; i < c1; ++i)
    s.excluded0_lanes[i % kLanes] += first[i] < 0 ? area[i] : 0.0;
  if (!lanes.dates_from_pairs)
    for (std::size_t d = 0; d < lanes.n_dates; ++d)
      lane_add(s.class_idx.data() + d * cells, area, c0, c1, n_classes,
               s.lane_area.data() + lanes.date_offset(d),
               s.lane_cells.data() + lanes.date_offset(d));
  const int k = static_cast<int>(n_classes);
  for (std::size_t p = 0; p < setup.pairs.size(); ++p) {
    const int* from = s.class_idx.data() + setup.pairs[p].from * cells;
    const int* to = s.class_idx.data() + setup.pairs[p].to * cells;
    for (std::size_t c = c0; c < c1; ++c)
      s.pair_slot[c] = (from[c] | to[c]) < 0 ? -1 : from[c] * k + to[c];
    lane_add(s.pair_slot.data(), area, c0, c1, k2, s.lane_area.data() + lanes.pair_offset(p),
             s.lane_cells.data() + lanes.pair_offset(p));
  }
}

// The window's lanes into its partial sums.
void flush_map_sums(const MapLanes& lanes, const Scratch& s, BlockPartial& part) {
  const std::size_t n_classes = lanes.n_classes;
  const std::size_t k2 = n_classes * n_classes;
  part.excluded0_area_m2 =
      (s.excluded0_lanes[0] + s.excluded0_lanes[1]) + (s.excluded0_lanes[2] + s.excluded0_lanes[3]);
  if (!lanes.dates_from_pairs)
    for (std::size_t d = 0; d < lanes.n_dates; ++d)
      lane_flush(s.lane_area.data() + lanes.date_offset(d),
                 s.lane_cells.data() + lanes.date_offset(d), n_classes,
                 part.class_area_m2.data() + d * n_classes,
                 part.class_cells.data() + d * n_classes);
  for (std::size_t p = 0; p < lanes.n_pairs; ++p)
    lane_flush(s.lane_area.data() + lanes.pair_offset(p),
               s.lane_cells.data() + lanes.pair_offset(p), k2, part.trans_area_m2.data() + p * k2,
               part.trans_cells.data() + p * k2);
  if (!lanes.dates_from_pairs) return;
  for (std::size_t d = 0; d < lanes.n_dates; ++d) {
    const auto& pairs = *lanes.pairs;
    std::size_t p = 0;
    bool as_from = true;
    for (; p < pairs.size(); ++p) {
      if (pairs[p].from == d) break;
      if (pairs[p].to == d) {
        as_from = false;
        break;
      }
    }
    const double* ta = part.trans_area_m2.data() + p * k2;
    const std::int64_t* tc = part.trans_cells.data() + p * k2;
    for (std::size_t k = 0; k < n_classes; ++k)
      for (std::size_t l = 0; l < n_classes; ++l) {
        const std::size_t slot = as_from ? k * n_classes + l : l * n_classes + k;
        part.class_area_m2[d * n_classes + k] += ta[slot];
        part.class_cells[d * n_classes + k] += tc[slot];
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
  double excluded0_m2 = 0;
  for (const BlockPartial& part : partials) {
    excluded0_m2 += part.excluded0_area_m2;
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
  // The grid's area as the first date's valid area (summed as the stage sums it: class by class)
  // plus its excluded area, so that a map without nodata reports exactly 0 excluded area.
  double valid0_m2 = 0;
  for (std::size_t k = 0; k < n_classes && n_dates > 0; ++k)
    valid0_m2 += sums.class_area_m2[k];
  sums.grid_area_m2 = valid0_m2 + excluded0_m2;
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
  const auto started = std::chrono::steady_clock::now();
  const CellAreaSource areas = make_cell_area_source(rasters, setup.area);
  const std::vector<std::vector<std::size_t>> block_mines = mines_by_window(setup);
  const std::size_t n_raster_layers = raster_layer_count(setup, n_dates);
  const CodeIndex index(setup.codes, setup.lulc_nodata);
  MapLanes lanes{n_classes, n_dates, n_pairs};
  lanes.pairs = &setup.pairs;
  lanes.dates_from_pairs = setup.mask == LanduseMask::common && n_dates > 1;
  for (std::size_t d = 0; d < n_dates; ++d) {
    bool in_pair = false;
    for (const LandusePair& pair : setup.pairs)
      in_pair = in_pair || pair.from == d || pair.to == d;
    lanes.dates_from_pairs = lanes.dates_from_pairs && in_pair;
  }
  // Rows per strip: a few thousand cells, so a strip's values, indices and areas stay in L1/L2.
  constexpr std::int64_t kStripRows = 8;

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
    s.area_m2.resize(cells);
    s.class_idx.resize(n_dates * cells);
    s.pair_slot.resize(cells);
    s.lane_area.assign(lanes.size(), 0.0);
    s.lane_cells.assign(lanes.size(), 0);
    std::fill(std::begin(s.excluded0_lanes), std::end(s.excluded0_lanes), 0.0);
    // Strips of kStripRows rows, each through every step while it is in the cache.
    for (std::int64_t r0 = 0; r0 < w.rows; r0 += kStripRows) {
      const std::int64_t r1 = std::min(w.rows, r0 + kStripRows);
      const auto c0 = static_cast<std::size_t>(r0 * w.cols);
      const auto c1 = static_cast<std::size_t>(r1 * w.cols);
      strip_cell_areas(areas, grid, w, r0, r1, s);
      class_indices(block, index, n_dates, c0, c1, s, part);
      if (setup.mask == LanduseMask::common && n_dates > 1)
        apply_common_mask(n_dates, cells, c0, c1, s);
      add_map_sums(setup, lanes, cells, c0, c1, s);
    }
    flush_map_sums(lanes, s, part);
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
  // The pass's own time (areas, reading, sums, merge; without opening inputs, mines' coverage
  // and writing tables), for the benchmark in bench/landuse.
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cells = static_cast<double>(grid.rows) * static_cast<double>(grid.cols);
  char line[160];
  std::snprintf(line, sizeof line, "landuse: pass %.3f s, %.1f M cells/s (%s)", seconds,
                cells / seconds / 1e6, sums.area_method.c_str());
  context.say(line);
  return sums;
}

}  // namespace minecarbon::assess::landuse
