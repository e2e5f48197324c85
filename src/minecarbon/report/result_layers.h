// One code path for every OGR target of the result writers: the GeoPackage file
// (write_geopackage) and the PostGIS store (store/pg_store) create and fill their layers here, so
// a column's type, NULL for NaN and the geometry are the same in both.
//
// table_sink: where write_geopackage also sends what it writes (the PostGIS store while a run
// with --postgis is on); none by default.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>
#include <vector>

#include "minecarbon/report/writers.h"

namespace minecarbon::report {

struct LayerSpec {
  std::string name;  // the layer's name in the dataset
  // A leading text column set to `tag_value` on every row ("" = none): the store's run_id.
  std::string tag_column, tag_value;
  std::vector<std::string> creation_options;  // "KEY=VALUE" for CreateLayer
  // One transaction for the layer (GeoPackage); false when the caller holds one for the dataset.
  bool own_transaction = true;
};

// The OGR field type a column is written as (Real, Integer64 or String).
OGRFieldType result_field_type(const Column& column);

// Creates the layer with the table's columns (after the tag column, if any). `where` names the
// target in messages (a file path, a schema).
OGRLayer* create_result_layer(GDALDataset& ds, const Table& table, OGRSpatialReference* srs,
                              OGRwkbGeometryType type, const LayerSpec& spec,
                              const std::string& where);

// Appends every row of `table` (and shapes[row] as a MultiPolygon when `shapes` is given) to a
// layer whose fields are the tag column, if any, then the table's columns in order.
void fill_result_layer(OGRLayer& layer, const Table& table,
                       const std::vector<geo::MultiPolygon>* shapes, const LayerSpec& spec,
                       const std::string& where);

class TableSink {
 public:
  virtual ~TableSink() = default;
  // Called once per write_geopackage, after the file is written, with the same layer and tables.
  virtual void write(const GeometryLayer& layer, const std::vector<const Table*>& tables) = 0;
};

// The process's sink (nullptr = none). Set it before a run's stages start and clear it after;
// write_geopackage may call it from any thread, one call at a time.
void set_table_sink(TableSink* sink);

}  // namespace minecarbon::report
