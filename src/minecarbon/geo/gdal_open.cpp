#include "minecarbon/geo/gdal_open.h"

#include <cpl_error.h>
#include <cpl_vsi.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::geo {
namespace {

// Collects GDAL's warnings and errors instead of letting them print "ERROR 1: ..." to stderr; the
// handler stack is per thread, so readers on several threads do not mix their messages.
void CPL_STDCALL collect(CPLErr level, CPLErrorNum, const char* message) {
  auto* complaints = static_cast<std::string*>(CPLGetErrorHandlerUserData());
  if (level < CE_Warning || !complaints || !message) return;
  if (!complaints->empty()) *complaints += "; ";
  *complaints += message;
}

// DataError for a path that cannot be a readable file; nothing for a file that exists.
void check_file(const std::string& path, const std::string& what) {
  if (path.rfind("/vsi", 0) == 0 || is_pg_source(path)) return;  // a database: GDAL tells
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    throw DataError(what + ": " + path + " does not exist; check the path");
  }
  if (status.type() == std::filesystem::file_type::directory) {
    // A Shapefile folder or a FileGDB is a folder: let GDAL try it.
    return;
  }
  if (error) throw DataError(what + ": " + path + " cannot be accessed: " + error.message());
  if (std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, error) == 0 &&
      !error) {
    throw DataError(what + ": " + path +
                    " is empty (0 bytes): the file is truncated; copy or export it again");
  }
}

OpenedDataset open(const std::string& path, const std::string& what, unsigned kind,
                   const char* kind_name, const char* formats) {
  GDALAllRegister();
  check_file(path, what);
  OpenedDataset opened;
  CPLErrorReset();
  CPLPushErrorHandlerEx(collect, &opened.complaints);
  opened.dataset.reset(
      GDALDataset::Open(path.c_str(), kind | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  CPLPopErrorHandler();
  if (opened.dataset) return opened;
  if (path.rfind("/vsi", 0) != 0 && std::filesystem::is_directory(path)) {
    throw DataError(what + ": " + path + " is a folder that GDAL cannot read as a " + kind_name +
                    " dataset; give the file itself (" + formats + ")");
  }
  if (is_pg_source(path)) {
    // A database the server refused or does not have: the libpq words, never the password.
    throw ConfigError(what + ": " + redact_passwords(path) + " cannot be opened: " +
                      redact_passwords(opened.complaints) + "; check the connection string");
  }
  throw DataError(what + ": " + path + " cannot be read as a " + kind_name +
                  " dataset: the file is truncated or corrupt, or not in a format GDAL reads (" +
                  formats + ")" +
                  (opened.complaints.empty() ? std::string() : "; GDAL: " + opened.complaints));
}

}  // namespace

OpenedDataset open_raster_for_reading(const std::string& path, const std::string& what) {
  return open(path, what, GDAL_OF_RASTER, "raster", "GeoTIFF or another GDAL raster format");
}

OpenedDataset open_vector_for_reading(const std::string& path, const std::string& what) {
  return open(path, what, GDAL_OF_VECTOR, "vector",
              "GeoPackage, GeoJSON, Shapefile or another OGR format");
}

void check_raster_complete(const OpenedDataset& opened, const std::string& path,
                           const std::string& what) {
  GDALDataset& dataset = *opened.dataset;
  if (dataset.GetRasterCount() < 1 || !dataset.GetDriver() ||
      std::strcmp(dataset.GetDriver()->GetDescription(), "GTiff") != 0)
    return;
  VSIStatBufL stat;
  if (VSIStatL(path.c_str(), &stat) != 0) return;
  const auto file_bytes = static_cast<unsigned long long>(stat.st_size);
  GDALRasterBand* band = dataset.GetRasterBand(1);
  int block_cols = 0, block_rows = 0;
  band->GetBlockSize(&block_cols, &block_rows);
  if (block_cols <= 0 || block_rows <= 0) return;
  const int blocks_x = (band->GetXSize() + block_cols - 1) / block_cols;
  const int blocks_y = (band->GetYSize() + block_rows - 1) / block_rows;
  char key[64];
  for (int by = 0; by < blocks_y; ++by) {
    for (int bx = 0; bx < blocks_x; ++bx) {
      std::snprintf(key, sizeof key, "BLOCK_OFFSET_%d_%d", bx, by);
      const char* offset_text = band->GetMetadataItem(key, "TIFF");
      if (!offset_text) continue;  // a sparse (absent) block reads as nodata
      std::snprintf(key, sizeof key, "BLOCK_SIZE_%d_%d", bx, by);
      const char* size_text = band->GetMetadataItem(key, "TIFF");
      const unsigned long long offset = std::strtoull(offset_text, nullptr, 10);
      const unsigned long long size = size_text ? std::strtoull(size_text, nullptr, 10) : 0;
      if (offset + size > file_bytes) {
        throw DataError(
            what + ": " + path + " is truncated or corrupt: its block at column " +
            std::to_string(bx) + ", row " + std::to_string(by) + " needs bytes up to " +
            std::to_string(offset + size) + " but the file has " + std::to_string(file_bytes) +
            "; copy or export it again" +
            (opened.complaints.empty() ? std::string() : " (GDAL: " + opened.complaints + ")"));
      }
    }
  }
}

void throw_read_failure(const std::string& path, long long row0, long long rows) {
  throw DataError(path + ": cannot read rows " + std::to_string(row0) + "-" +
                  std::to_string(row0 + rows - 1) + ": the file is truncated or corrupt (GDAL: " +
                  CPLGetLastErrorMsg() + "); copy or export it again");
}

}  // namespace minecarbon::geo
