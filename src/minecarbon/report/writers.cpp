#include "minecarbon/report/writers.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cerrno>
#include <cmath>
#include <fstream>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"

namespace minecarbon::report {
namespace {

OGRFieldType field_type(const Column& column) {
  if (std::holds_alternative<std::vector<double>>(column.data)) return OFTReal;
  if (std::holds_alternative<std::vector<std::int64_t>>(column.data)) return OFTInteger64;
  return OFTString;
}

void set_field(OGRFeature& feature, int field_idx, const Column& column, std::size_t row) {
  if (const auto* d = std::get_if<std::vector<double>>(&column.data)) {
    const double v = (*d)[row];
    // NULL, not NaN: QGIS, R and Excel all read NULL as missing.
    if (std::isfinite(v))
      feature.SetField(field_idx, v);
    else
      feature.SetFieldNull(field_idx);
  } else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&column.data)) {
    feature.SetField(field_idx, static_cast<GIntBig>((*i)[row]));
  } else {
    feature.SetField(field_idx, std::get<std::vector<std::string>>(column.data)[row].c_str());
  }
}

OGRLayer* create_layer(GDALDataset& ds, const Table& table, OGRSpatialReference* srs,
                       OGRwkbGeometryType type, const std::string& path) {
  char** options = nullptr;
  if (type == wkbNone) options = CSLSetNameValue(options, "ASPATIAL_VARIANT", "GPKG_ATTRIBUTES");
  OGRLayer* layer = ds.CreateLayer(table.name().c_str(), srs, type, options);
  CSLDestroy(options);
  if (!layer) throw_write_failure(path, "layer '" + table.name() + "'", 0, CPLGetLastErrorMsg());
  for (const auto& column : table.columns()) {
    OGRFieldDefn defn(column.name.c_str(), field_type(column));
    if (layer->CreateField(&defn) != OGRERR_NONE)
      throw_write_failure(path, "field '" + column.name + "' of '" + table.name() + "'", 0,
                          CPLGetLastErrorMsg());
  }
  return layer;
}

void fill_layer(OGRLayer& layer, const Table& table, const std::vector<geo::MultiPolygon>* shapes,
                const std::string& path) {
  if (layer.StartTransaction() != OGRERR_NONE)
    throw_write_failure(path, "'" + table.name() + "'", 0, CPLGetLastErrorMsg());
  const auto& columns = table.columns();
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    OGRFeature feature(layer.GetLayerDefn());
    for (std::size_t col = 0; col < columns.size(); ++col)
      set_field(feature, static_cast<int>(col), columns[col], row);
    if (shapes) {
      OGRMultiPolygon multi;
      for (const auto& polygon : (*shapes)[row]) {
        OGRPolygon ogr_polygon;
        auto add_ring = [&](const geo::Ring& ring) {
          OGRLinearRing r;
          for (const auto& p : ring)
            r.addPoint(p.x, p.y);
          r.closeRings();
          ogr_polygon.addRing(&r);
        };
        add_ring(polygon.exterior);
        for (const auto& hole : polygon.holes)
          add_ring(hole);
        multi.addGeometry(&ogr_polygon);
      }
      feature.SetGeometry(&multi);
    }
    if (layer.CreateFeature(&feature) != OGRERR_NONE)
      throw_write_failure(path, "row " + std::to_string(row) + " of '" + table.name() + "'", 0,
                          CPLGetLastErrorMsg());
  }
  if (layer.CommitTransaction() != OGRERR_NONE)
    throw_write_failure(path, "'" + table.name() + "'", 0, CPLGetLastErrorMsg());
}

}  // namespace

void write_geopackage(const std::string& path, const GeometryLayer& layer,
                      const std::vector<const Table*>& tables) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!driver) throw RunError("GDAL has no GPKG driver");
  CPLErrorReset();
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw_write_failure(path, "the GeoPackage", 0, CPLGetLastErrorMsg());
  OGRSpatialReference srs;
  srs.SetFromUserInput(layer.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayer* geo_layer = create_layer(*ds, *layer.attributes, &srs, wkbMultiPolygon, path);
  fill_layer(*geo_layer, *layer.attributes, layer.shapes, path);
  for (const Table* table : tables) {
    OGRLayer* t = create_layer(*ds, *table, nullptr, wkbNone, path);
    fill_layer(*t, *table, nullptr, path);
  }
  CPLErrorReset();
  ds.reset();  // closes and flushes: a full disk may only show here
  if (CPLGetLastErrorType() == CE_Failure)
    throw_write_failure(path, "the GeoPackage", 0, CPLGetLastErrorMsg());
}

// errno is reset before each file so that the value a failed write leaves names the cause (for
// GDAL writes above it is not used: SQLite leaves stale values, so GDAL's message and the free
// space on the device tell).
void write_csv_file(const std::string& path, const Table& table) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  if (!out) throw_write_failure(path, "the CSV file", errno);
  write_csv(table, out);
  out.close();
  if (!out) throw_write_failure(path, "the CSV file", errno);
}

void write_json_file(const std::string& path, const nlohmann::json& document) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  if (!out) throw_write_failure(path, "the JSON file", errno);
  out << document.dump(2) << '\n';
  out.close();
  if (!out) throw_write_failure(path, "the JSON file", errno);
}

}  // namespace minecarbon::report
