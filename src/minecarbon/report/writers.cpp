#include "minecarbon/report/writers.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <exception>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <type_traits>
#include <utility>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/report/result_layers.h"

namespace minecarbon::report {
namespace {

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

std::atomic<TableSink*> g_table_sink{nullptr};
std::mutex g_table_sink_mutex;

// GDAL configuration options set for this thread only, restored when the scope ends.
class ThreadConfig {
 public:
  ThreadConfig(std::initializer_list<std::pair<const char*, const char*>> options) {
    for (const auto& [key, value] : options) {
      const char* before = CPLGetThreadLocalConfigOption(key, nullptr);
      saved_.emplace_back(key, before ? std::optional<std::string>(before) : std::nullopt);
      CPLSetThreadLocalConfigOption(key, value);
    }
  }
  ~ThreadConfig() {
    for (const auto& [key, value] : saved_)
      CPLSetThreadLocalConfigOption(key.c_str(), value ? value->c_str() : nullptr);
  }
  ThreadConfig(const ThreadConfig&) = delete;
  ThreadConfig& operator=(const ThreadConfig&) = delete;

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace

OGRFieldType result_field_type(const Column& column) {
  if (std::holds_alternative<std::vector<double>>(column.data)) return OFTReal;
  if (std::holds_alternative<std::vector<std::int64_t>>(column.data)) return OFTInteger64;
  return OFTString;
}

OGRLayer* create_result_layer(GDALDataset& ds, const Table& table, OGRSpatialReference* srs,
                              OGRwkbGeometryType type, const LayerSpec& spec,
                              const std::string& path) {
  char** options = nullptr;
  for (const auto& option : spec.creation_options)
    options = CSLAddString(options, option.c_str());
  OGRLayer* layer = ds.CreateLayer(spec.name.c_str(), srs, type, options);
  CSLDestroy(options);
  if (!layer) throw_write_failure(path, "layer '" + spec.name + "'", 0, CPLGetLastErrorMsg());
  auto add_field = [&](const std::string& name, OGRFieldType field_type) {
    OGRFieldDefn defn(name.c_str(), field_type);
    if (layer->CreateField(&defn) != OGRERR_NONE)
      throw_write_failure(path, "field '" + name + "' of '" + spec.name + "'", 0,
                          CPLGetLastErrorMsg());
  };
  if (!spec.tag_column.empty()) add_field(spec.tag_column, OFTString);
  for (const auto& column : table.columns())
    add_field(column.name, result_field_type(column));
  return layer;
}

// One OGRFeature for all rows (its FID reset before each insert): building and destroying a
// feature per row cost a tenth of writing the 945,000 mine-year rows of the damage benchmark.
void fill_result_layer(OGRLayer& layer, const Table& table,
                       const std::vector<geo::MultiPolygon>* shapes, const LayerSpec& spec,
                       const std::string& path) {
  if (spec.own_transaction && layer.StartTransaction() != OGRERR_NONE)
    throw_write_failure(path, "'" + spec.name + "'", 0, CPLGetLastErrorMsg());
  const auto& columns = table.columns();
  const int first = spec.tag_column.empty() ? 0 : 1;
  OGRFeature feature(layer.GetLayerDefn());
  if (first == 1) feature.SetField(0, spec.tag_value.c_str());
  std::vector<double> xs, ys;
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    feature.SetFID(OGRNullFID);
    for (std::size_t col = 0; col < columns.size(); ++col)
      set_field(feature, first + static_cast<int>(col), columns[col], row);
    if (shapes) {
      auto multi = std::make_unique<OGRMultiPolygon>();
      for (const auto& polygon : (*shapes)[row]) {
        auto ogr_polygon = std::make_unique<OGRPolygon>();
        auto add_ring = [&](const geo::Ring& ring) {
          xs.clear();
          ys.clear();
          for (const auto& p : ring) {
            xs.push_back(p.x);
            ys.push_back(p.y);
          }
          auto r = std::make_unique<OGRLinearRing>();
          r->setPoints(static_cast<int>(xs.size()), xs.data(), ys.data());
          r->closeRings();
          ogr_polygon->addRingDirectly(r.release());
        };
        add_ring(polygon.exterior);
        for (const auto& hole : polygon.holes)
          add_ring(hole);
        multi->addGeometryDirectly(ogr_polygon.release());
      }
      feature.SetGeometryDirectly(multi.release());
    }
    if (layer.CreateFeature(&feature) != OGRERR_NONE)
      throw_write_failure(path, "row " + std::to_string(row) + " of '" + spec.name + "'", 0,
                          CPLGetLastErrorMsg());
  }
  if (spec.own_transaction && layer.CommitTransaction() != OGRERR_NONE)
    throw_write_failure(path, "'" + spec.name + "'", 0, CPLGetLastErrorMsg());
}

void set_table_sink(TableSink* sink) {
  g_table_sink.store(sink);
}

void write_geopackage(const std::string& path, const GeometryLayer& layer,
                      const std::vector<const Table*>& tables) {
  GDALAllRegister();
  // The file is written once, into a staging folder that is discarded on any failure, so SQLite
  // need not make each transaction durable as it goes: no fsync per commit and the rollback
  // journal in memory. Write errors (a full disk) are still reported by every step and at close.
  // gpkg_contents.last_change is fixed (GDAL's OGR_CURRENT_DATE), not the clock: two runs of the
  // same inputs give the same bytes, whatever the process count (issue 16).
  ThreadConfig config({{"OGR_SQLITE_SYNCHRONOUS", "OFF"},
                       {"OGR_SQLITE_JOURNAL", "MEMORY"},
                       {"OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z"}});
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!driver) throw RunError("GDAL has no GPKG driver");
  CPLErrorReset();
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw_write_failure(path, "the GeoPackage", 0, CPLGetLastErrorMsg());
  OGRSpatialReference srs;
  srs.SetFromUserInput(layer.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const LayerSpec geo_spec{layer.attributes->name(), "", "", {}, true};
  OGRLayer* geo_layer =
      create_result_layer(*ds, *layer.attributes, &srs, wkbMultiPolygon, geo_spec, path);
  fill_result_layer(*geo_layer, *layer.attributes, layer.shapes, geo_spec, path);
  for (const Table* table : tables) {
    const LayerSpec spec{table->name(), "", "", {"ASPATIAL_VARIANT=GPKG_ATTRIBUTES"}, true};
    OGRLayer* t = create_result_layer(*ds, *table, nullptr, wkbNone, spec, path);
    fill_result_layer(*t, *table, nullptr, spec, path);
  }
  CPLErrorReset();
  ds.reset();  // closes and flushes: a full disk may only show here
  if (CPLGetLastErrorType() == CE_Failure)
    throw_write_failure(path, "the GeoPackage", 0, CPLGetLastErrorMsg());
  if (TableSink* sink = g_table_sink.load()) {
    const std::lock_guard lock(g_table_sink_mutex);
    sink->write(layer, tables);
  }
}

namespace {

// Rows [begin, end) of `table`, as a table of its own (the columns copied).
Table row_slice(const Table& table, std::size_t begin, std::size_t end) {
  Table out(table.name());
  for (const auto& column : table.columns()) {
    std::visit(
        [&](const auto& values) {
          using Values = std::decay_t<decltype(values)>;
          const auto first = values.begin() + static_cast<std::ptrdiff_t>(begin);
          out.add(column.name, Values(first, values.begin() + static_cast<std::ptrdiff_t>(end)));
        },
        column.data);
  }
  return out;
}

}  // namespace

// errno is reset before each file so that the value a failed write leaves names the cause (for
// GDAL writes above it is not used: SQLite leaves stale values, so GDAL's message and the free
// space on the device tell).
void write_csv_file(const std::string& path, const Table& table, int threads) {
  constexpr std::size_t kChunkRows = 16384;
  errno = 0;
  std::vector<char> buffer(std::size_t{1} << 20);  // fewer, larger writes than the default 8 KiB
  std::ofstream out;
  out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.open(path, std::ios::binary);
  if (!out) throw_write_failure(path, "the CSV file", errno);
  const std::size_t rows = table.row_count();
  const auto workers = static_cast<std::size_t>(std::max(1, threads));
  if (workers == 1 || rows < 2 * kChunkRows) {
    write_csv(table, out);
  } else {
    // Text of `workers` chunks of rows made at once, then written in row order: the same bytes
    // as one pass, with the formatting (shortest round-trip doubles) on every worker.
    std::ostringstream header;
    write_csv(row_slice(table, 0, 0), header);
    const std::size_t header_chars = header.str().size();
    out << header.str();
    std::vector<std::string> texts(workers);
    for (std::size_t begin = 0; begin < rows; begin += workers * kChunkRows) {
      const std::size_t chunks = std::min(workers, (rows - begin + kChunkRows - 1) / kChunkRows);
      parallel_for(chunks, static_cast<int>(workers), [&](std::size_t chunk, std::size_t) {
        const std::size_t first = begin + chunk * kChunkRows;
        std::ostringstream text;
        write_csv(row_slice(table, first, std::min(rows, first + kChunkRows)), text);
        texts[chunk] = text.str().substr(header_chars);
      });
      for (std::size_t chunk = 0; chunk < chunks && out; ++chunk)
        out << texts[chunk];
    }
  }
  out.close();
  if (!out) throw_write_failure(path, "the CSV file", errno);
}

void write_geopackage_and_csvs(const std::string& gpkg_path, const GeometryLayer& layer,
                               const std::vector<const Table*>& tables,
                               const std::vector<CsvFile>& csvs, int threads) {
  auto write_csvs = [&](int csv_threads) {
    for (const auto& csv : csvs)
      write_csv_file(csv.path, *csv.table, csv_threads);
  };
  if (threads <= 1) {
    write_geopackage(gpkg_path, layer, tables);
    write_csvs(1);
    return;
  }
  std::exception_ptr gpkg_error, csv_error;
  parallel_for(2, 2, [&](std::size_t task, std::size_t) {
    try {
      if (task == 0)
        write_geopackage(gpkg_path, layer, tables);
      else
        write_csvs(threads - 1);
    } catch (...) {
      (task == 0 ? gpkg_error : csv_error) = std::current_exception();
    }
  });
  if (gpkg_error) std::rethrow_exception(gpkg_error);
  if (csv_error) std::rethrow_exception(csv_error);
}

void write_json_file(const std::string& path, const nlohmann::json& document) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  if (!out) throw_write_failure(path, "the JSON file", errno);
  // A connection string echoed in a summary never carries its password (core/connection_string.h).
  out << redact_passwords(document.dump(2)) << '\n';
  out.close();
  if (!out) throw_write_failure(path, "the JSON file", errno);
}

}  // namespace minecarbon::report
