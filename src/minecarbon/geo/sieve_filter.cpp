#include "minecarbon/geo/sieve_filter.h"

#include <gdal_alg.h>
#include <gdal_priv.h>

#include <memory>

#include "minecarbon/core/errors.h"

namespace minecarbon::geo {
namespace {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

}  // namespace

void sieve_raster(const std::string& source, const std::string& target, std::int64_t min_cells,
                  int connectedness) {
  GDALAllRegister();
  DatasetPtr src(GDALDataset::Open(source.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!src) throw RunError("sieve: cannot open " + source + ": " + CPLGetLastErrorMsg());
  GDALRasterBand* band = src->GetRasterBand(1);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!driver) throw RunError("sieve: GDAL has no GTiff driver");
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
                           nullptr};
  DatasetPtr dst(driver->Create(target.c_str(), src->GetRasterXSize(), src->GetRasterYSize(), 1,
                                GDT_Byte, const_cast<char**>(options)));
  if (!dst) throw RunError("sieve: cannot create " + target + ": " + CPLGetLastErrorMsg());
  double transform[6];
  if (src->GetGeoTransform(transform) == CE_None) dst->SetGeoTransform(transform);
  if (const OGRSpatialReference* srs = src->GetSpatialRef()) dst->SetSpatialRef(srs);
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  GDALRasterBand* out = dst->GetRasterBand(1);
  if (has_nodata) out->SetNoDataValue(nodata);
  GDALRasterBandH mask = has_nodata ? GDALGetMaskBand(band) : nullptr;
  const CPLErr err = GDALSieveFilter(band, mask, out, static_cast<int>(min_cells), connectedness,
                                     nullptr, nullptr, nullptr);
  if (err != CE_None)
    throw RunError("sieve: GDAL failed on " + source + ": " + CPLGetLastErrorMsg());
  CPLErrorReset();
  dst->FlushCache();
  dst.reset();
  if (CPLGetLastErrorType() >= CE_Failure)
    throw RunError("sieve: cannot write " + target + ": " + CPLGetLastErrorMsg());
}

}  // namespace minecarbon::geo
