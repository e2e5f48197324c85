// Result writers: GeoPackage (one geometry layer plus attribute tables, opens in QGIS, R sf and
// GDAL), CSV (R, pandas, Excel) and JSON. They write wherever they are told; atomicity comes from
// writing into an OutputDir's staging folder.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "minecarbon/core/table.h"
#include "minecarbon/geo/polygon.h"

namespace minecarbon::report {

struct GeometryLayer {
  const Table* attributes = nullptr;  // one row per shape
  const std::vector<geo::MultiPolygon>* shapes = nullptr;
  std::string crs_wkt;
};

// Creates `path` (GeoPackage) with the geometry layer named attributes->name() and every table
// of `tables` as a non-spatial table. Throws RunError when GDAL fails.
void write_geopackage(const std::string& path, const GeometryLayer& layer,
                      const std::vector<const Table*>& tables);

void write_csv_file(const std::string& path, const Table& table);
void write_json_file(const std::string& path, const nlohmann::json& document);

}  // namespace minecarbon::report
