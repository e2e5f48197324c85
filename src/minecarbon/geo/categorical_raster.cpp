#include "minecarbon/geo/categorical_raster.h"

#include <gdal_utils.h>
#include <geodesic.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/geo/gdal_open.h"

namespace minecarbon::geo {

CategoricalRasterInfo inspect_categorical_raster(const std::string& path, const std::string& what,
                                                 int band) {
  // AlignedRasters checks file, band, georeferencing and CRS with the project's messages.
  const AlignedRasters one({RasterLayerSpec{path, band, what, {}, {}, false}});
  CategoricalRasterInfo info;
  info.path = path;
  info.grid = one.grid();
  info.crs_wkt = one.crs_wkt();
  info.nodata = one.layers()[0].nodata;
  const OpenedDataset opened = open_raster_for_reading(path, what);
  GDALRasterBand* raster_band = opened.dataset->GetRasterBand(band);
  const GDALDataType type = raster_band->GetRasterDataType();
  info.data_type = GDALGetDataTypeName(type);
  if (!GDALDataTypeIsInteger(type) || GDALDataTypeIsComplex(type)) {
    throw DataError(what + ": " + path + " band " + std::to_string(band) + " is " + info.data_type +
                    "; land-use class codes must be integers: convert it with gdal_translate "
                    "-ot Int32 (after checking its values are whole class codes)");
  }
  return info;
}

void warp_nearest_vrt(const std::string& path, const Grid& grid, const std::string& crs_wkt,
                      const std::string& vrt_path) {
  const OpenedDataset opened = open_raster_for_reading(path, "land-use map to align");
  // Cells outside the source get the source's nodata, or the smallest Int32 when it has none
  // (no land-use code); the warped band is Int32 either way.
  int has_nodata = 0;
  const double source_nodata = opened.dataset->GetRasterBand(1)->GetNoDataValue(&has_nodata);
  const double fill = has_nodata ? source_nodata : -2147483648.0;
  std::vector<std::string> args = {"-of",
                                   "VRT",
                                   "-r",
                                   "near",
                                   "-ot",
                                   "Int32",
                                   "-dstnodata",
                                   format_plain(fill),
                                   "-t_srs",
                                   crs_wkt,
                                   "-te",
                                   format_number(grid.x_min),
                                   format_number(grid.y_min()),
                                   format_number(grid.x_max()),
                                   format_number(grid.y_max),
                                   "-ts",
                                   std::to_string(grid.cols),
                                   std::to_string(grid.rows)};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
  if (!options) throw RunError("align: GDAL refused the warp options for " + path);
  GDALDatasetH source = GDALDataset::ToHandle(opened.dataset.get());
  int usage_error = 0;
  GDALDatasetH out = GDALWarp(vrt_path.c_str(), nullptr, 1, &source, options, &usage_error);
  GDALWarpAppOptionsFree(options);
  if (!out || usage_error)
    throw RunError("align: warping " + path + " onto " + grid.describe() +
                   " failed: " + CPLGetLastErrorMsg());
  GDALClose(out);
}

struct ProjectedCellAreas::Impl {
  std::unique_ptr<OGRCoordinateTransformation> to_geographic;
  geod_geodesic geodesic{};
  std::vector<double> xs, ys;
};

ProjectedCellAreas::ProjectedCellAreas(const std::string& crs_wkt)
    : impl_(std::make_unique<Impl>()) {
  OGRSpatialReference projected;
  if (projected.SetFromUserInput(crs_wkt.c_str()) != OGRERR_NONE || !projected.IsProjected())
    throw DataError("cell areas: the CRS is not a projected CRS");
  projected.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRSpatialReference> geographic(projected.CloneGeogCS());
  if (!geographic) throw DataError("cell areas: the CRS has no geographic base CRS");
  geographic->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  impl_->to_geographic.reset(OGRCreateCoordinateTransformation(&projected, geographic.get()));
  if (!impl_->to_geographic)
    throw DataError(std::string("cell areas: no transformation to the CRS's geographic CRS: ") +
                    CPLGetLastErrorMsg());
  OGRErr err = OGRERR_NONE;
  const double a = projected.GetSemiMajor(&err);
  const double inv_f = projected.GetInvFlattening(&err);
  geod_init(&impl_->geodesic, a, inv_f == 0 ? 0.0 : 1.0 / inv_f);
}

ProjectedCellAreas::~ProjectedCellAreas() = default;

void ProjectedCellAreas::areas_m2(const Grid& grid, const Window& window,
                                  std::vector<double>& out) {
  const std::int64_t corner_cols = window.cols + 1, corner_rows = window.rows + 1;
  const std::size_t n = static_cast<std::size_t>(corner_cols * corner_rows);
  impl_->xs.resize(n);
  impl_->ys.resize(n);
  for (std::int64_t r = 0; r < corner_rows; ++r)
    for (std::int64_t c = 0; c < corner_cols; ++c) {
      const std::size_t idx = static_cast<std::size_t>(r * corner_cols + c);
      impl_->xs[idx] = grid.col_x(static_cast<double>(window.col0 + c));
      impl_->ys[idx] = grid.row_y(static_cast<double>(window.row0 + r));
    }
  if (!impl_->to_geographic->Transform(static_cast<int>(n), impl_->xs.data(), impl_->ys.data()))
    throw DataError("cell areas: a cell corner of window " + std::to_string(window.row0) + "," +
                    std::to_string(window.col0) +
                    " cannot be transformed to longitude/latitude (outside the CRS's area?)");
  out.resize(static_cast<std::size_t>(window.cells()));
  for (std::int64_t r = 0; r < window.rows; ++r)
    for (std::int64_t c = 0; c < window.cols; ++c) {
      const std::size_t i00 = static_cast<std::size_t>(r * corner_cols + c);
      const std::size_t i01 = i00 + 1;
      const std::size_t i10 = i00 + static_cast<std::size_t>(corner_cols);
      const std::size_t i11 = i10 + 1;
      double lats[4] = {impl_->ys[i00], impl_->ys[i01], impl_->ys[i11], impl_->ys[i10]};
      double lons[4] = {impl_->xs[i00], impl_->xs[i01], impl_->xs[i11], impl_->xs[i10]};
      double area = 0, perimeter = 0;
      geod_polygonarea(&impl_->geodesic, lats, lons, 4, &area, &perimeter);
      out[static_cast<std::size_t>(r * window.cols + c)] = std::fabs(area);
    }
}

bool ProjectedCellAreas::cell_areas_m2(const Grid& grid, const std::vector<std::int64_t>& rows,
                                       const std::vector<std::int64_t>& cols,
                                       std::vector<double>& out) {
  const std::size_t n = rows.size();
  // Corners in the order of areas_m2 (top-left, top-right, bottom-right, bottom-left), so a cell
  // gets bit for bit the area areas_m2 gives it.
  impl_->xs.resize(4 * n);
  impl_->ys.resize(4 * n);
  for (std::size_t i = 0; i < n; ++i) {
    const double c = static_cast<double>(cols[i]), r = static_cast<double>(rows[i]);
    const double x0 = grid.col_x(c), x1 = grid.col_x(c + 1);
    const double y0 = grid.row_y(r), y1 = grid.row_y(r + 1);
    const double xs[4] = {x0, x1, x1, x0}, ys[4] = {y0, y0, y1, y1};
    for (int k = 0; k < 4; ++k) {
      impl_->xs[4 * i + static_cast<std::size_t>(k)] = xs[k];
      impl_->ys[4 * i + static_cast<std::size_t>(k)] = ys[k];
    }
  }
  std::vector<int> ok(4 * n, 0);
  CPLPushErrorHandler(CPLQuietErrorHandler);
  const bool all = impl_->to_geographic->Transform(static_cast<int>(4 * n), impl_->xs.data(),
                                                   impl_->ys.data(), nullptr, ok.data());
  CPLPopErrorHandler();
  if (!all || std::find(ok.begin(), ok.end(), 0) != ok.end()) return false;
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double lats[4], lons[4];
    for (std::size_t k = 0; k < 4; ++k) {
      lats[k] = impl_->ys[4 * i + k];
      lons[k] = impl_->xs[4 * i + k];
      if (!std::isfinite(lats[k]) || !std::isfinite(lons[k])) return false;
    }
    double area = 0, perimeter = 0;
    geod_polygonarea(&impl_->geodesic, lats, lons, 4, &area, &perimeter);
    out[i] = std::fabs(area);
  }
  return true;
}

namespace {

// Cubic Lagrange weights of the nodes at −1, 0, 1, 2 for a point t ∈ [0, 1).
void cubic_weights(double t, double w[4]) {
  w[0] = -t * (t - 1) * (t - 2) / 6;
  w[1] = (t + 1) * (t - 1) * (t - 2) / 2;
  w[2] = -(t + 1) * t * (t - 2) / 2;
  w[3] = (t + 1) * t * (t - 1) / 6;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

ProjectedCellAreaLattice::ProjectedCellAreaLattice(const std::string& crs_wkt, const Grid& grid,
                                                   double tolerance_rel, std::int64_t max_step)
    : grid_(grid) {
  ProjectedCellAreas exact_areas(crs_wkt);
  // The fourth derivatives, from a probe lattice about as coarse as the grid is wide: there the
  // smooth part of the fourth differences stands out of the exact areas' rounding noise, and
  // whatever noise remains is scaled down by (step/probe)⁴ below.
  std::int64_t probe = 4;
  while (probe * 4 <= std::max(grid.rows, grid.cols))
    probe *= 2;
  for (; probe >= 4; probe /= 2)
    if (build(exact_areas, probe)) break;
  if (probe >= 4) {
    const double p4 = std::pow(static_cast<double>(probe), 4);
    const double d4_per_cell4 = (max_d4_x_ + max_d4_y_) / p4;
    const double min_area = min_area_m2_;
    std::int64_t step = 4;
    while (step * 2 <= max_step)
      step *= 2;
    for (; step >= 4; step /= 2) {
      // |E| ≤ (3/128)·1.25·(h⁴·max|f⁗x| + h⁴·max|f⁗y|), ×2 safety (see the header).
      const double bound = 2.0 * (3.0 / 128.0) * 1.25 * d4_per_cell4 *
                           std::pow(static_cast<double>(step), 4) / min_area;
      if (bound <= tolerance_rel && build(exact_areas, step)) {
        step_ = step;
        bound_rel_ = bound;
        // Weights by the offset within a lattice interval (the same for rows and columns).
        weights_.resize(4 * static_cast<std::size_t>(step));
        for (auto& v : weights_by_node_)
          v.resize(static_cast<std::size_t>(step));
        for (std::int64_t k = 0; k < step; ++k) {
          const auto at = static_cast<std::size_t>(k);
          cubic_weights(static_cast<double>(k) / static_cast<double>(step), &weights_[4 * at]);
          for (std::size_t m = 0; m < 4; ++m)
            weights_by_node_[m][at] = weights_[4 * at + m];
        }
        return;
      }
    }
  }
  step_ = 0;
  bound_rel_ = 0;
  nodes_m2_.clear();
}

bool ProjectedCellAreaLattice::build(ProjectedCellAreas& exact_areas, std::int64_t step) {
  // Node j ↔ cell (j − 2)·step: two nodes before the grid, and after its last cell the two the
  // cubic needs plus one for the fourth differences.
  node_rows_ = (grid_.rows - 1) / step + 6;
  node_cols_ = (grid_.cols - 1) / step + 6;
  std::vector<std::int64_t> rows, cols;
  for (std::int64_t j = 0; j < node_rows_; ++j)
    for (std::int64_t i = 0; i < node_cols_; ++i) {
      rows.push_back((j - 2) * step);
      cols.push_back((i - 2) * step);
    }
  if (!exact_areas.cell_areas_m2(grid_, rows, cols, nodes_m2_)) return false;
  auto at = [&](std::int64_t j, std::int64_t i) {
    return nodes_m2_[static_cast<std::size_t>(j * node_cols_ + i)];
  };
  min_area_m2_ = at(0, 0);
  max_d4_x_ = max_d4_y_ = 0;
  for (std::int64_t j = 0; j < node_rows_; ++j)
    for (std::int64_t i = 0; i < node_cols_; ++i) {
      min_area_m2_ = std::min(min_area_m2_, at(j, i));
      if (i >= 2 && i + 2 < node_cols_)
        max_d4_x_ = std::max(max_d4_x_, std::fabs(at(j, i - 2) - 4 * at(j, i - 1) + 6 * at(j, i) -
                                                  4 * at(j, i + 1) + at(j, i + 2)));
      if (j >= 2 && j + 2 < node_rows_)
        max_d4_y_ = std::max(max_d4_y_, std::fabs(at(j - 2, i) - 4 * at(j - 1, i) + 6 * at(j, i) -
                                                  4 * at(j + 1, i) + at(j + 2, i)));
    }
  return min_area_m2_ > 0 && std::isfinite(max_d4_x_ + max_d4_y_);
}

void ProjectedCellAreaLattice::areas_m2(const Window& window, std::vector<double>& out) const {
  out.resize(static_cast<std::size_t>(window.cells()));
  areas_m2(window, out.data());
}

void ProjectedCellAreaLattice::areas_m2(const Window& window, double* out) const {
  const std::int64_t step = step_;
  if (window.empty()) return;
  const std::vector<double>& w = weights_;
  const double* wx[4] = {weights_by_node_[0].data(), weights_by_node_[1].data(),
                         weights_by_node_[2].data(), weights_by_node_[3].data()};
  // Lattice columns this window needs: i from first−1 … last+2 in interval numbers (+2 offset).
  const std::int64_t first = window.col0 / step, last = (window.col0 + window.cols - 1) / step;
  const std::int64_t i0 = first + 1, n_i = last - first + 4;
  std::vector<double> column(static_cast<std::size_t>(n_i));
  for (std::int64_t r = 0; r < window.rows; ++r) {
    const std::int64_t row = window.row0 + r;
    const std::int64_t jr = floor_div(row, step);
    const double* wr = &w[4 * static_cast<std::size_t>(row - jr * step)];
    // The row interpolated at every needed lattice column.
    for (std::int64_t i = 0; i < n_i; ++i) {
      double v = 0;
      for (std::int64_t m = 0; m < 4; ++m)
        v += wr[m] * nodes_m2_[static_cast<std::size_t>((jr + 1 + m) * node_cols_ + i0 + i)];
      column[static_cast<std::size_t>(i)] = v;
    }
    // Along the row, one lattice interval at a time.
    double* dst = out + r * window.cols;
    std::int64_t col = window.col0;
    const std::int64_t col_end = window.col0 + window.cols;
    while (col < col_end) {
      const std::int64_t jc = col / step;
      const std::int64_t k0 = col - jc * step;
      const std::int64_t k1 = std::min(step, col_end - jc * step);
      const double* v = &column[static_cast<std::size_t>(jc - first)];
      const double a = v[0], b = v[1], c = v[2], d = v[3];
      const double* __restrict w0 = wx[0];
      const double* __restrict w1 = wx[1];
      const double* __restrict w2 = wx[2];
      const double* __restrict w3 = wx[3];
      double* __restrict o = dst + (col - window.col0) - k0;
      for (std::int64_t k = k0; k < k1; ++k)
        o[k] = w0[k] * a + w1[k] * b + w2[k] * c + w3[k] * d;
      col = jc * step + k1;
    }
  }
}

}  // namespace minecarbon::geo
