#include "minecarbon/geo/block_reader.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <utility>

#include "minecarbon/core/errors.h"

namespace minecarbon::geo {
namespace {

GDALDatasetUniquePtr open_dataset(const std::string& path) {
  GDALAllRegister();
  if (path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(path)) {
    throw DataError(path + ": does not exist; check the path");
  }
  GDALDatasetUniquePtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY,
                                                 nullptr, nullptr, nullptr));
  if (!dataset) {
    throw DataError(path + ": cannot open as a raster (" + std::string(CPLGetLastErrorMsg()) +
                    "); the file may be truncated or corrupt");
  }
  return dataset;
}

Grid grid_of(GDALDataset& dataset, const std::string& path) {
  double gt[6];
  if (dataset.GetGeoTransform(gt) != CE_None) {
    throw DataError(path + ": has no georeferencing (geotransform); georeference it first");
  }
  if (gt[2] != 0.0 || gt[4] != 0.0) {
    throw DataError(path + ": rotated or sheared grid (geotransform terms " +
                    std::to_string(gt[2]) + ", " + std::to_string(gt[4]) +
                    "); warp it to a north-up grid with gdalwarp");
  }
  if (!(gt[1] > 0) || !(gt[5] < 0)) {
    throw DataError(path + ": grid is not north-up (pixel size " + std::to_string(gt[1]) + " x " +
                    std::to_string(gt[5]) + "); warp it to a north-up grid with gdalwarp");
  }
  return Grid{gt[0], gt[3], gt[1], -gt[5], dataset.GetRasterYSize(), dataset.GetRasterXSize()};
}

std::string crs_name(const OGRSpatialReference& srs) {
  const char* name = srs.GetName();
  return name ? name : "unnamed CRS";
}

}  // namespace

std::string RasterLayer::label() const {
  return spec.name.empty()
             ? spec.path + " band " + std::to_string(spec.band)
             : spec.name + " (" + spec.path + " band " + std::to_string(spec.band) + ")";
}

struct AlignedRasters::VirtualFiles {
  std::vector<std::string> paths;
  ~VirtualFiles() {
    for (const std::string& path : paths)
      VSIUnlink(path.c_str());
  }
};

AlignedRasters::AlignedRasters(const std::vector<RasterLayerSpec>& layers) {
  open(layers, nullptr);
}

AlignedRasters::AlignedRasters(const std::vector<RasterLayerSpec>& layers,
                               const AlignOptions& options) {
  open(layers, &options);
}

nlohmann::json AlignedRasters::warped_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const WarpRecord& record : warped_)
    out.push_back(record.to_json());
  return out;
}

void AlignedRasters::open(const std::vector<RasterLayerSpec>& layers, const AlignOptions* options) {
  if (layers.empty()) throw ConfigError("aligned rasters: no raster layer given");
  OGRSpatialReference first_srs;
  std::string first_path;
  auto virtual_files = std::make_shared<VirtualFiles>();
  std::map<std::pair<std::string, Resampling>, std::size_t> warp_of;  // → index in warped_
  for (const RasterLayerSpec& spec : layers) {
    RasterLayer layer;
    layer.spec = spec;
    GDALDatasetUniquePtr dataset = open_dataset(spec.path);
    if (spec.band < 1 || spec.band > dataset->GetRasterCount()) {
      throw DataError(layer.label() + ": no band " + std::to_string(spec.band) + "; the file has " +
                      std::to_string(dataset->GetRasterCount()) + " band(s), numbered from 1");
    }
    const Grid grid = grid_of(*dataset, spec.path);
    const OGRSpatialReference* srs = dataset->GetSpatialRef();
    if (!srs || srs->IsEmpty()) {
      throw DataError(spec.path + ": has no CRS; assign one (gdal_edit.py -a_srs EPSG:4326 " +
                      spec.path + ")");
    }
    if (layers_.empty()) {
      grid_ = grid;
      first_srs = *srs;
      first_path = spec.path;
      char* wkt = nullptr;
      const char* wkt_options[] = {"FORMAT=WKT2_2018", nullptr};
      srs->exportToWkt(&wkt, wkt_options);
      crs_wkt_ = wkt ? wkt : "";
      CPLFree(wkt);
      geographic_ = srs->IsGeographic() != 0;
      metres_per_unit_ = geographic_ ? 1.0 : srs->GetLinearUnits(nullptr);
    } else if (!grid.same_as(grid_) || !srs->IsSame(&first_srs)) {
      if (options && options->warp_off_grid) {
        const Resampling resampling =
            spec.resampling.empty()
                ? options->resampling
                : parse_resampling(spec.resampling, layer.label() + ": resampling");
        const auto key = std::make_pair(spec.path, resampling);
        auto found = warp_of.find(key);
        if (found == warp_of.end()) {
          static std::atomic<std::uint64_t> counter{0};
          const std::string vrt_path = "/vsimem/minecarbon_warp_" +
                                       std::to_string(counter.fetch_add(1)) + "_" +
                                       std::filesystem::path(spec.path).stem().string() + ".vrt";
          const BlockSize reference_block = layers_.front().block;
          write_warped_vrt(WarpRequest{spec.path, grid_, crs_wkt_, resampling, reference_block.rows,
                                       reference_block.cols, options->warp_memory_mb},
                           vrt_path);
          virtual_files->paths.push_back(vrt_path);
          WarpRecord record;
          record.path = spec.path;
          record.resampling = resampling;
          record.source_grid = grid;
          record.source_crs = crs_name(*srs);
          record.target_grid = grid_;
          record.target_crs = crs_name(first_srs);
          record.vrt_path = vrt_path;
          found = warp_of.emplace(key, warped_.size()).first;
          warped_.push_back(std::move(record));
        }
        WarpRecord& record = warped_[found->second];
        if (std::find(record.bands.begin(), record.bands.end(), spec.band) == record.bands.end())
          record.bands.push_back(spec.band);
        layer.read_path = record.vrt_path;
        layer.warped = true;
      } else if (!grid.same_as(grid_)) {
        throw DataError(spec.path + ": grid " + grid.describe() + " differs from " + first_path +
                        ": grid " + grid_.describe() +
                        "; rasters read together must share one grid: warp them with gdalwarp "
                        "-tr/-te (and -tap) to the same grid");
      } else {
        throw DataError(
            spec.path + ": CRS '" + crs_name(*srs) + "' differs from " + first_path + ": CRS '" +
            crs_name(first_srs) +
            "'; rasters read together must share one CRS: warp one with gdalwarp -t_srs");
      }
    }
    GDALRasterBand* band = dataset->GetRasterBand(spec.band);
    // Scale and offset are the source band's (applied after the warp: see grid_warp.h); nodata
    // and block are those of the band actually read.
    int has_scale = 0, has_offset = 0;
    const double band_scale = band->GetScale(&has_scale);
    const double band_offset = band->GetOffset(&has_offset);
    layer.scale = spec.scale.value_or(has_scale ? band_scale : 1.0);
    layer.offset = spec.offset.value_or(has_offset ? band_offset : 0.0);
    GDALDatasetUniquePtr warped_dataset;
    if (layer.warped) {
      warped_dataset = open_dataset(layer.read_path);
      band = warped_dataset->GetRasterBand(spec.band);
    }
    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    if (has_nodata) layer.nodata = nodata;
    int block_cols = 0, block_rows = 0;
    band->GetBlockSize(&block_cols, &block_rows);
    layer.block = BlockSize{std::max(1, block_rows), std::max(1, block_cols)};
    const GDALDataType type = band->GetRasterDataType();
    const bool fits = type == GDT_Byte || type == GDT_Int16 || type == GDT_UInt16 ||
                      type == GDT_Int32 || GDALGetDataTypeSizeBits(type) == 8;
    layer.int32_exact = fits && !GDALDataTypeIsComplex(type) && GDALDataTypeIsInteger(type) &&
                        layer.scale == 1.0 && layer.offset == 0.0;
    layers_.push_back(std::move(layer));
  }
  if (!virtual_files->paths.empty()) virtual_files_ = std::move(virtual_files);
}

BlockPlan AlignedRasters::plan(const BlockPlanOptions& options) const {
  std::vector<BlockSize> blocks;
  for (const RasterLayer& layer : layers_)
    blocks.push_back(layer.block);
  return BlockPlan(grid_, blocks, options);
}

struct BlockReader::Impl {
  const AlignedRasters* rasters = nullptr;
  std::map<std::string, GDALDatasetUniquePtr> datasets;  // one handle per distinct file
  std::vector<double> raw;
  std::vector<unsigned char> mask;
  std::vector<unsigned char> native;  // one natural block in the band's own type

  GDALRasterBand& band(const RasterLayer& layer) {
    GDALDatasetUniquePtr& dataset = datasets[layer.source()];
    if (!dataset) dataset = open_dataset(layer.source());
    return *dataset->GetRasterBand(layer.spec.band);
  }

  // Reads `window` into `out` (row-major, window.cols wide, of `out_type`) tile by tile with
  // ReadBlock, which decodes straight into one reused buffer instead of going through GDAL's block
  // cache (a cache entry allocated, filled and copied per tile: ~45 % on top of the decode of a
  // DEFLATE UInt16 scene, bench/bm_geo_decode_floor); the values are GDAL's own conversion
  // (GDALCopyWords), as RasterIO gives them. Only for a window of whole natural blocks of a
  // GeoTIFF band whose blocks hold that band alone (one band, or INTERLEAVE=BAND: a
  // pixel-interleaved tile read band by band would be decoded once per band); returns false
  // otherwise, and the caller uses RasterIO.
  bool read_by_blocks(GDALRasterBand& gdal_band, const Window& window, void* out,
                      GDALDataType out_type) {
    GDALDataset* dataset = gdal_band.GetDataset();
    if (!dataset || !dataset->GetDriver() ||
        !EQUAL(dataset->GetDriver()->GetDescription(), "GTiff"))
      return false;
    if (dataset->GetRasterCount() > 1) {
      const char* interleave = dataset->GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE");
      if (!interleave || !EQUAL(interleave, "BAND")) return false;
    }
    int block_cols = 0, block_rows = 0;
    gdal_band.GetBlockSize(&block_cols, &block_rows);
    const std::int64_t grid_rows = gdal_band.GetYSize(), grid_cols = gdal_band.GetXSize();
    if (block_cols < 1 || block_rows < 1 || window.row0 % block_rows != 0 ||
        window.col0 % block_cols != 0 ||
        (window.rows % block_rows != 0 && window.row0 + window.rows != grid_rows) ||
        (window.cols % block_cols != 0 && window.col0 + window.cols != grid_cols))
      return false;
    const GDALDataType type = gdal_band.GetRasterDataType();
    const int type_bytes = GDALGetDataTypeSizeBytes(type);
    const int out_bytes = GDALGetDataTypeSizeBytes(out_type);
    native.resize(static_cast<std::size_t>(block_cols) * block_rows * type_bytes);
    auto* out_bytes_ptr = static_cast<unsigned char*>(out);
    for (std::int64_t block_row = window.row0 / block_rows;
         block_row * block_rows < window.row0 + window.rows; ++block_row) {
      for (std::int64_t block_col = window.col0 / block_cols;
           block_col * block_cols < window.col0 + window.cols; ++block_col) {
        if (gdal_band.ReadBlock(static_cast<int>(block_col), static_cast<int>(block_row),
                                native.data()) != CE_None)
          return false;  // RasterIO then tries and reports
        const std::int64_t rows =
            std::min<std::int64_t>(block_rows, grid_rows - block_row * block_rows);
        const std::int64_t cols =
            std::min<std::int64_t>(block_cols, grid_cols - block_col * block_cols);
        for (std::int64_t r = 0; r < rows; ++r) {
          const std::int64_t out_row = block_row * block_rows + r - window.row0;
          const std::int64_t out_col = block_col * block_cols - window.col0;
          GDALCopyWords64(native.data() + static_cast<std::size_t>(r * block_cols * type_bytes),
                          type, type_bytes,
                          out_bytes_ptr + static_cast<std::size_t>(
                                              (out_row * window.cols + out_col) * out_bytes),
                          out_type, out_bytes, cols);
        }
      }
    }
    return true;
  }

  // Reads `layer`'s `window` into `values` as `type` (by whole blocks when it can, else one
  // RasterIO) and its mask into `mask` (left empty when every cell is valid or nodata alone marks
  // missing cells, so masks other than nodata — alpha bands, .msk files — are honoured too). The
  // read path of read_decoded and read_small_int_as_float; they differ only in the cell type.
  void read_window_and_mask(const RasterLayer& layer, GDALRasterBand& gdal_band,
                            const Window& window, void* values, GDALDataType type) {
    const int col0 = static_cast<int>(window.col0), row0 = static_cast<int>(window.row0);
    const int cols = static_cast<int>(window.cols), rows = static_cast<int>(window.rows);
    if (!read_by_blocks(gdal_band, window, values, type) &&
        gdal_band.RasterIO(GF_Read, col0, row0, cols, rows, values, cols, rows, type, 0, 0,
                           nullptr) != CE_None) {
      throw RunError(layer.label() + ": read failed at rows " + std::to_string(window.row0) + "+" +
                     std::to_string(window.rows) + ", columns " + std::to_string(window.col0) +
                     "+" + std::to_string(window.cols) + ": " + CPLGetLastErrorMsg() +
                     "; the file may be truncated or corrupt");
    }
    const int mask_flags = gdal_band.GetMaskFlags();
    mask.clear();
    if (!(mask_flags & GMF_ALL_VALID) && !(mask_flags & GMF_NODATA)) {
      mask.resize(static_cast<std::size_t>(window.cells()));
      if (gdal_band.GetMaskBand()->RasterIO(GF_Read, col0, row0, cols, rows, mask.data(), cols,
                                            rows, GDT_Byte, 0, 0, nullptr) != CE_None)
        mask.clear();
    }
  }

  // Reads one layer's window into `raw` and decodes it there (NaN = nodata, scale/offset).
  void read_decoded(const RasterLayer& layer, const Window& window) {
    GDALRasterBand& gdal_band = band(layer);
    raw.resize(static_cast<std::size_t>(window.cells()));
    read_window_and_mask(layer, gdal_band, window, raw.data(), GDT_Float64);
    const std::optional<double>& nodata = layer.nodata;
    const bool nan_is_nodata = (nodata && std::isnan(*nodata)) || layer.spec.nan_is_nodata;
    const double scale = layer.scale, offset = layer.offset;
    for (std::size_t idx = 0; idx < raw.size(); ++idx) {
      double& value = raw[idx];
      if (std::isnan(value)) {
        if (nan_is_nodata) continue;
        throw DataError(layer.label() + ": NaN at row " + std::to_string(row_of(window, idx)) +
                        ", column " + std::to_string(col_of(window, idx)) +
                        " but the band's nodata is " +
                        (nodata ? std::to_string(*nodata) : std::string("not set")) +
                        "; set nan_is_nodata if NaN marks missing data");
      }
      if ((nodata && value == *nodata) || (!mask.empty() && mask[idx] == 0)) {
        value = std::nan("");
        continue;
      }
      if (std::isinf(value)) {
        throw DataError(layer.label() + ": infinite value at row " +
                        std::to_string(row_of(window, idx)) + ", column " +
                        std::to_string(col_of(window, idx)) + "; set it to the nodata value");
      }
      value = value * scale + offset;
    }
  }

  // Bands of at most 16-bit integers (Byte, Int8, (U)Int16) hold values a float represents
  // exactly: they are read straight into `out` as Float32 (one conversion by GDAL, half the memory
  // traffic of the double path) and decoded there. Same bits as read_decoded + a cast to float:
  // the nodata test sees the exact raw value, scale/offset are applied in double and rounded
  // once, and such a band can hold neither NaN nor infinity. Returns false for other bands.
  bool read_small_int_as_float(const RasterLayer& layer, const Window& window,
                               std::vector<float>& out) {
    GDALRasterBand& gdal_band = band(layer);
    const GDALDataType type = gdal_band.GetRasterDataType();
    if (!GDALDataTypeIsInteger(type) || GDALDataTypeIsComplex(type) ||
        GDALGetDataTypeSizeBits(type) > 16)
      return false;
    out.resize(static_cast<std::size_t>(window.cells()));
    read_window_and_mask(layer, gdal_band, window, out.data(), GDT_Float32);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const bool has_nodata = layer.nodata.has_value();
    const double nodata = has_nodata ? *layer.nodata : 0.0;
    const double scale = layer.scale, offset = layer.offset;
    const bool affine = scale != 1.0 || offset != 0.0;
    const bool masked = !mask.empty();
    for (std::size_t idx = 0; idx < out.size(); ++idx) {
      const double value = out[idx];
      if ((has_nodata && value == nodata) || (masked && mask[idx] == 0)) {
        out[idx] = nan;
      } else if (affine) {
        out[idx] = static_cast<float>(value * scale + offset);
      }
    }
    return true;
  }

  // Reads one int32_exact layer's window into `ints`: raw values, nodata and masked cells →
  // kInt32NoData.
  void read_int32(const RasterLayer& layer, const Window& window, std::vector<std::int32_t>& ints) {
    if (!layer.int32_exact)
      throw ConfigError(layer.label() +
                        ": not an integer band with scale 1 and offset 0; read it "
                        "as double");
    GDALRasterBand& gdal_band = band(layer);
    ints.resize(static_cast<std::size_t>(window.cells()));
    const int col0 = static_cast<int>(window.col0), row0 = static_cast<int>(window.row0);
    const int cols = static_cast<int>(window.cols), rows = static_cast<int>(window.rows);
    if (!read_by_blocks(gdal_band, window, ints.data(), GDT_Int32) &&
        gdal_band.RasterIO(GF_Read, col0, row0, cols, rows, ints.data(), cols, rows, GDT_Int32, 0,
                           0, nullptr) != CE_None) {
      throw RunError(layer.label() + ": read failed at rows " + std::to_string(window.row0) + "+" +
                     std::to_string(window.rows) + ", columns " + std::to_string(window.col0) +
                     "+" + std::to_string(window.cols) + ": " + CPLGetLastErrorMsg() +
                     "; the file may be truncated or corrupt");
    }
    const int mask_flags = gdal_band.GetMaskFlags();
    mask.clear();
    if (!(mask_flags & GMF_ALL_VALID) && !(mask_flags & GMF_NODATA)) {
      mask.resize(ints.size());
      if (gdal_band.GetMaskBand()->RasterIO(GF_Read, col0, row0, cols, rows, mask.data(), cols,
                                            rows, GDT_Byte, 0, 0, nullptr) != CE_None)
        mask.clear();
    }
    // A nodata value the band type cannot hold marks no cell.
    const std::optional<double>& nodata = layer.nodata;
    if (nodata && *nodata == std::floor(*nodata) && *nodata >= -2147483648.0 &&
        *nodata <= 2147483647.0) {
      const auto nd = static_cast<std::int32_t>(*nodata);
      for (std::int32_t& v : ints)
        v = v == nd ? kInt32NoData : v;
    }
    if (!mask.empty())
      for (std::size_t idx = 0; idx < ints.size(); ++idx)
        if (mask[idx] == 0) ints[idx] = kInt32NoData;
  }

  static std::int64_t row_of(const Window& window, std::size_t idx) {
    return window.row0 + static_cast<std::int64_t>(idx) / window.cols;
  }
  static std::int64_t col_of(const Window& window, std::size_t idx) {
    return window.col0 + static_cast<std::int64_t>(idx) % window.cols;
  }
};

BlockReader::BlockReader(const AlignedRasters& rasters) : impl_(std::make_unique<Impl>()) {
  impl_->rasters = &rasters;
}

BlockReader::~BlockReader() = default;

void BlockReader::read(const Window& window, RasterBlock<double>& block) {
  const auto& layers = impl_->rasters->layers();
  block.window = window;
  block.values.resize(layers.size());
  for (std::size_t layer_idx = 0; layer_idx < layers.size(); ++layer_idx) {
    impl_->read_decoded(layers[layer_idx], window);
    block.values[layer_idx].swap(impl_->raw);
  }
}

void BlockReader::read(const Window& window, RasterBlock<float>& block) {
  const auto& layers = impl_->rasters->layers();
  block.window = window;
  block.values.resize(layers.size());
  for (std::size_t layer_idx = 0; layer_idx < layers.size(); ++layer_idx) {
    if (impl_->read_small_int_as_float(layers[layer_idx], window, block.values[layer_idx]))
      continue;
    impl_->read_decoded(layers[layer_idx], window);
    block.values[layer_idx].assign(impl_->raw.begin(), impl_->raw.end());
  }
}

void BlockReader::read(const Window& window, RasterBlock<std::int32_t>& block) {
  const auto& layers = impl_->rasters->layers();
  block.window = window;
  block.values.resize(layers.size());
  for (std::size_t layer_idx = 0; layer_idx < layers.size(); ++layer_idx)
    impl_->read_int32(layers[layer_idx], window, block.values[layer_idx]);
}

}  // namespace minecarbon::geo
