#include "minecarbon/geo/raster_stack.h"

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/gdal_open.h"

namespace minecarbon::geo {

int raster_band_count(const std::string& path, const std::string& what) {
  const OpenedDataset opened = open_raster_for_reading(path, what);
  const int bands = opened.dataset->GetRasterCount();
  if (bands < 1) throw DataError(what + ": " + path + " has no raster band");
  return bands;
}

std::vector<RasterLayerSpec> stack_layers(const std::string& path, int bands) {
  std::vector<RasterLayerSpec> layers;
  layers.reserve(static_cast<std::size_t>(bands));
  for (int b = 1; b <= bands; ++b) {
    RasterLayerSpec spec;
    spec.path = path;
    spec.band = b;
    spec.name = path + " band " + std::to_string(b);
    layers.push_back(std::move(spec));
  }
  return layers;
}

}  // namespace minecarbon::geo
