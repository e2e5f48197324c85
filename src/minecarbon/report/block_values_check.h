#pragma once
// The check both GeoTIFF writers make on a block of values handed to them (GeoTiffWriter::
// write_block, QueuedGeoTiffWriter::submit): one vector per band, each the size of the block's
// window. A mismatch is a programming error in the stage that built the block, so RunError.
// Internal to report/; one definition so the two writers refuse the same blocks with the same
// words.

#include <cstddef>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/grid.h"

namespace minecarbon::report::detail {

// Throws RunError naming `path` and the block unless `values` holds `bands` vectors of
// window.cells() values each.
inline void check_block_values(const std::string& path, std::size_t block_id,
                               const geo::Window& window,
                               const std::vector<std::vector<float>>& values, int bands) {
  if (values.size() != static_cast<std::size_t>(bands)) {
    throw RunError(path + ": block " + std::to_string(block_id) + " has " +
                   std::to_string(values.size()) + " bands of values, expected " +
                   std::to_string(bands));
  }
  for (const auto& band_values : values) {
    if (band_values.size() != static_cast<std::size_t>(window.cells())) {
      throw RunError(path + ": block " + std::to_string(block_id) + " has " +
                     std::to_string(band_values.size()) + " values, its window " +
                     std::to_string(window.cells()));
    }
  }
}

}  // namespace minecarbon::report::detail
