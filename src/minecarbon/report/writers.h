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

// `threads` > 1 formats blocks of rows on that many threads and writes them in row order (the
// same bytes as one thread); worth it for tables of tens of thousands of rows and more.
void write_csv_file(const std::string& path, const Table& table, int threads = 1);
// A CSV file to write and the table it holds.
struct CsvFile {
  std::string path;
  const Table* table = nullptr;
};

// write_geopackage(gpkg_path, layer, tables) and write_csv_file for each of `csvs`, at the same
// time when threads > 1: the GeoPackage (SQLite takes one writer) on one thread while the CSV
// files are written one after another, formatted by the other threads. Every file has the same
// bytes as when written alone. The GeoPackage's error is rethrown in preference to a CSV's.
void write_geopackage_and_csvs(const std::string& gpkg_path, const GeometryLayer& layer,
                               const std::vector<const Table*>& tables,
                               const std::vector<CsvFile>& csvs, int threads);

void write_json_file(const std::string& path, const nlohmann::json& document);

}  // namespace minecarbon::report
