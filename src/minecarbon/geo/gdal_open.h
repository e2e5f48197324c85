// Opening GDAL datasets for reading, with messages a user can act on: a missing file says it does
// not exist, a damaged one says it is truncated or corrupt (with what GDAL said), instead of
// GDAL's empty or misleading messages ("cannot open ()", "has no georeferencing").
//
// Internal to geo/: the readers (raster_series, covariate_raster, polygon_layer) include it;
// nothing outside geo/ sees a GDAL type.
#pragma once

#include <gdal_priv.h>

#include <string>

namespace minecarbon::geo {

// A dataset opened for reading, and every warning or error GDAL raised while opening it (a damaged
// TIFF opens with warnings such as "TIFFReadDirectory: Bogus StripByteCounts field").
struct OpenedDataset {
  GDALDatasetUniquePtr dataset;
  std::string complaints;  // GDAL's messages during the open, "; "-separated; empty when none
};

// `what` names the input in messages ("mines", "NEP raster for year 2003", "covariate gpp").
// Throws DataError: "<what>: <path> does not exist; check the path", "... is a folder, not a file",
// "... is empty (0 bytes)", "... cannot be read as a raster: the file is truncated or corrupt, or
// not in a format GDAL reads (GDAL: ...)". Paths under /vsi... are passed to GDAL unchecked.
OpenedDataset open_raster_for_reading(const std::string& path, const std::string& what);
OpenedDataset open_vector_for_reading(const std::string& path, const std::string& what);

// Checks that every block of band 1 lies within the file (a GeoTIFF cut short by a failed copy or
// download still opens: its header is intact, its last blocks are gone) and that GDAL opened it
// without complaint. Throws DataError "<what>: <path> is truncated or corrupt: ..." naming the
// first missing block, the byte it needs and the file's size, and saying to copy or export it
// again. Formats that do not report block offsets (anything but TIFF) pass on the first check.
void check_raster_complete(const OpenedDataset& opened, const std::string& path,
                           const std::string& what);

// The message for a block read that failed: DataError "<path>: cannot read rows a-b: the file is
// truncated or corrupt (GDAL: ...); copy or export it again".
[[noreturn]] void throw_read_failure(const std::string& path, long long row0, long long rows);

}  // namespace minecarbon::geo
