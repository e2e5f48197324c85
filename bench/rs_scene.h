// A synthetic multi-band scene for the raster-pipeline benchmarks: `bands` UInt16 bands of
// side × side cells, tiled, DEFLATE (or ZSTD) with the integer predictor, like a Landsat
// Collection-2 surface-reflectance stack (DN ≈ 7,000–17,000 with texture and noise, so the
// compression ratio is realistic rather than that of a constant field). Written tile by tile, so
// making a 16384² scene needs only one tile in memory.
#pragma once

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace minecarbon::bench {

struct SceneSpec {
  std::int64_t side = 1024;
  int bands = 7;
  int tile = 512;
  std::string compress = "DEFLATE";
  std::string interleave = "BAND";  // or PIXEL
};

// DN of band `band` (1-based) at a cell: smooth land-cover pattern + band offset + hashed noise.
inline std::uint16_t scene_dn(int band, std::int64_t row, std::int64_t col) {
  const double field =
      std::sin(0.013 * static_cast<double>(row)) * std::cos(0.011 * static_cast<double>(col));
  std::uint64_t h = static_cast<std::uint64_t>(row) * 0x9E3779B97F4A7C15ull ^
                    static_cast<std::uint64_t>(col) * 0xC2B2AE3D27D4EB4Full ^
                    static_cast<std::uint64_t>(band) * 0x165667B19E3779F9ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  const double noise = static_cast<double>(h % 401) - 200.0;
  const double dn = 10000.0 + 600.0 * band + 3000.0 * field * (band == 5 ? -1.0 : 1.0) + noise;
  return static_cast<std::uint16_t>(dn);
}

inline void write_scene(const std::string& path, const SceneSpec& spec) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  const std::string tile = std::to_string(spec.tile);
  const std::string bx = "BLOCKXSIZE=" + tile, by = "BLOCKYSIZE=" + tile;
  const std::string compress = "COMPRESS=" + spec.compress;
  const std::string interleave = "INTERLEAVE=" + spec.interleave;
  const char* options[] = {"TILED=YES",   bx.c_str(),         by.c_str(),         compress.c_str(),
                           "PREDICTOR=2", interleave.c_str(), "BIGTIFF=IF_SAFER", nullptr};
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), static_cast<int>(spec.side),
                                         static_cast<int>(spec.side), spec.bands, GDT_UInt16,
                                         const_cast<char**>(options)));
  if (!ds) throw std::runtime_error(path + ": cannot create the benchmark scene");
  double gt[6] = {500000.0, 30.0, 0, 4100000.0, 0, -30.0};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.SetFromUserInput("EPSG:32650");
  ds->SetSpatialRef(&srs);
  const std::int64_t n_tiles = (spec.side + spec.tile - 1) / spec.tile;
  std::vector<std::uint16_t> buffer(static_cast<std::size_t>(spec.tile) * spec.tile);
  for (std::int64_t tile_row = 0; tile_row < n_tiles; ++tile_row) {
    for (std::int64_t tile_col = 0; tile_col < n_tiles; ++tile_col) {
      const std::int64_t row0 = tile_row * spec.tile, col0 = tile_col * spec.tile;
      const int rows = static_cast<int>(std::min<std::int64_t>(spec.tile, spec.side - row0));
      const int cols = static_cast<int>(std::min<std::int64_t>(spec.tile, spec.side - col0));
      for (int band = 1; band <= spec.bands; ++band) {
        for (int r = 0; r < rows; ++r)
          for (int c = 0; c < cols; ++c)
            buffer[static_cast<std::size_t>(r) * cols + c] = scene_dn(band, row0 + r, col0 + c);
        if (ds->GetRasterBand(band)->RasterIO(GF_Write, static_cast<int>(col0),
                                              static_cast<int>(row0), cols, rows, buffer.data(),
                                              cols, rows, GDT_UInt16, 0, 0, nullptr) != CE_None)
          throw std::runtime_error(path + ": cannot write the benchmark scene");
      }
      // Whole tiles are complete: let GDAL compress and drop them (flat memory).
      if (tile_col + 1 == n_tiles) ds->FlushCache(false);
    }
  }
}

}  // namespace minecarbon::bench
