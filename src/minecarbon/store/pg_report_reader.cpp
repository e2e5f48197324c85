#include "minecarbon/store/pg_report_reader.h"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <memory>
#include <set>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/ogr_polygons.h"
#include "minecarbon/report/stage_views.h"
#include "minecarbon/store/pg_connection.h"
#include "minecarbon/store/pg_store.h"

namespace minecarbon::store {
namespace {

// Runs listed in a message at most; the rest counted.
constexpr int kRunsListed = 20;

// The stage a summary of the run is: its "stage" key, or for the stages that do not name
// themselves the table only they write (as report/results_folder.cpp tells them in a folder).
const report::StageView* view_of(const nlohmann::json& summary,
                                 const std::set<std::string>& outputs) {
  const std::string stage = summary.is_object() ? summary.value("stage", "") : "";
  if (!stage.empty()) return report::find_stage_view(stage);
  for (const report::StageView& view : report::stage_views())
    if (!view.signature_table.empty() && outputs.count("tables/" + view.signature_table + ".csv"))
      return &view;
  return nullptr;
}

class RunReader {
 public:
  explicit RunReader(const StoredRun& run)
      : run_(run), db_(std::make_shared<PgConnection>(libpq_conninfo(run.connection))) {
    check_schema_name(run.schema);
    schema_ = quote_identifier(run.schema);
    const char* db = PQdb(db_->get());
    database_ = db ? db : "";
    const PgResult tables =
        db_->exec("SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
                  {run.schema}, "listing the tables of schema " + run.schema);
    for (int r = 0; r < tables.rows(); ++r)
      tables_.insert(tables.text(r, 0));
  }

  // The run's summaries, keyed by folder ("." = the root); checks the schema and the run id.
  nlohmann::json summaries() {
    if (!tables_.count("runs")) {
      const PgResult with_runs = db_->exec(
          "SELECT table_schema FROM information_schema.tables WHERE table_name = 'runs' AND "
          "table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
          "listing the schemas with a runs table");
      std::vector<std::string> schemas;
      for (int r = 0; r < with_runs.rows(); ++r)
        schemas.push_back(with_runs.text(r, 0));
      throw ConfigError(
          "PostgreSQL: schema '" + run_.schema + "' of database '" + database_ + "' (" +
          redact_passwords(run_.connection) + ") holds no minecarbon runs table; " +
          (schemas.empty()
               ? std::string("no schema there has one: write a run into it with "
                             "`minecarbon run … --postgis` first")
               : "schemas with runs: " + join(schemas, ", ") + "; pass one with --pg-schema"));
    }
    const PgResult row =
        db_->exec("SELECT summary_json::text, status FROM " + schema_ + ".runs WHERE run_id = $1",
                  {run_.run_id}, "reading run " + run_.run_id + " from " + run_.schema + ".runs");
    if (run_.run_id.empty() || row.rows() == 0) throw unknown_run();
    if (row.is_null(0, 0)) return nlohmann::json::object();
    try {
      return nlohmann::json::parse(row.text(0, 0));
    } catch (const nlohmann::json::parse_error& e) {
      throw DataError("PostgreSQL: " + run_.schema + ".runs, run " + run_.run_id +
                      ", column summary_json: not valid JSON (" + e.what() + ")");
    }
  }

  // The rows of `table` written by the run, in the order written, as CSV text: every column but
  // the store's own (fid, run_id, geom).
  CsvText table_text(const std::string& table) {
    const PgResult columns = db_->exec(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND "
        "table_name = $2 ORDER BY ordinal_position",
        {run_.schema, table}, "reading the columns of " + run_.schema + "." + table);
    CsvText csv;
    csv.source = run_.schema + "." + table + " (run " + run_.run_id + ")";
    bool has_fid = false;
    std::string select;
    for (int r = 0; r < columns.rows(); ++r) {
      const std::string name = columns.text(r, 0);
      has_fid = has_fid || name == "fid";
      if (name == "fid" || name == "run_id" || name == "geom") continue;
      csv.header.push_back(name);
      select += (select.empty() ? "" : ", ") + quote_identifier(name);
    }
    if (!has_fid)
      throw DataError("PostgreSQL: table " + run_.schema + "." + table +
                      " has no fid column: it was not written by minecarbon's store");
    const PgResult rows =
        db_->exec("SELECT " + (select.empty() ? std::string("NULL") : select) + " FROM " + schema_ +
                      "." + quote_identifier(table) + " WHERE run_id = $1 ORDER BY fid",
                  {run_.run_id}, "reading " + csv.source);
    csv.rows.resize(static_cast<std::size_t>(rows.rows()));
    csv.line_numbers.resize(csv.rows.size());
    for (int r = 0; r < rows.rows(); ++r) {
      auto& cells = csv.rows[static_cast<std::size_t>(r)];
      cells.reserve(csv.header.size());
      // NULL (a NaN or NA the stage wrote) is an empty cell: no value, as in the CSV file.
      for (int c = 0; c < static_cast<int>(csv.header.size()); ++c)
        cells.push_back(rows.is_null(r, c) ? std::string() : rows.text(r, c));
      csv.line_numbers[static_cast<std::size_t>(r)] = static_cast<std::size_t>(r) + 1;
    }
    return csv;
  }

  // The mines' outlines of `table` (its geom and mine_id), in the CRS they were written in.
  geo::PolygonLayer outlines(const std::string& table) {
    const std::string source = run_.schema + "." + table + " (run " + run_.run_id + ")";
    geo::PolygonLayer layer;
    layer.path = source;
    layer.layer_name = table;
    const std::string from =
        " FROM " + schema_ + "." + quote_identifier(table) + " WHERE run_id = $1";
    const PgResult srid = db_->exec("SELECT ST_SRID(geom)" + from + " AND geom IS NOT NULL LIMIT 1",
                                    {run_.run_id}, "reading the CRS of " + source);
    if (srid.rows() == 0) return layer;
    const PgResult srs =
        db_->exec("SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid = $1",
                  {srid.text(0, 0)}, "reading the CRS of " + source);
    OGRSpatialReference crs;
    const bool epsg = srs.rows() > 0 && srs.text(0, 0) == "EPSG" && !srs.is_null(0, 1);
    const OGRErr imported =
        epsg ? crs.importFromEPSG(std::stoi(srs.text(0, 1)))
             : (srs.rows() > 0 ? crs.SetFromUserInput(srs.text(0, 2).c_str()) : OGRERR_FAILURE);
    if (imported != OGRERR_NONE)
      throw DataError("PostgreSQL: " + source + ": the CRS of SRID " + srid.text(0, 0) +
                      " (spatial_ref_sys) cannot be read");
    char* wkt = nullptr;
    const char* wkt_options[] = {"FORMAT=WKT2_2018", nullptr};
    crs.exportToWkt(&wkt, wkt_options);
    layer.crs_wkt = wkt ? wkt : "";
    CPLFree(wkt);

    const PgResult rows =
        db_->exec("SELECT mine_id, encode(ST_AsBinary(geom), 'hex')" + from + " ORDER BY fid",
                  {run_.run_id}, "reading the outlines of " + source);
    for (int r = 0; r < rows.rows(); ++r) {
      if (rows.is_null(r, 0) || rows.is_null(r, 1)) continue;
      int wkb_bytes = 0;
      const std::unique_ptr<GByte, decltype(&VSIFree)> wkb(
          CPLHexToBinary(rows.text(r, 1).c_str(), &wkb_bytes), &VSIFree);
      OGRGeometry* read = nullptr;
      if (wkb_bytes == 0 ||
          OGRGeometryFactory::createFromWkb(wkb.get(), nullptr, &read, wkb_bytes) != OGRERR_NONE)
        throw DataError("PostgreSQL: " + source + ", mine '" + rows.text(r, 0) +
                        "': its geom cannot be read as WKB");
      std::unique_ptr<OGRGeometry> geometry(read);
      // As a results folder's reader does (geo/polygon_layer.h): an invalid shape repaired.
      if (!geometry->IsValid()) geometry.reset(geometry->MakeValid());
      geo::PolygonFeature feature;
      feature.id = rows.text(r, 0);
      if (geometry) geo::append_polygons(*geometry, feature.shape);
      layer.features.push_back(std::move(feature));
    }
    return layer;
  }

  bool has_table(const std::string& table) const { return tables_.count(table) > 0; }
  std::shared_ptr<PgConnection> connection() const { return db_; }

 private:
  ConfigError unknown_run() {
    const PgResult runs = db_->exec(
        "SELECT run_id, started_utc FROM " + schema_ + ".runs ORDER BY started_utc, run_id",
        "listing the runs of " + run_.schema + ".runs");
    std::vector<std::string> listed;
    for (int r = 0; r < runs.rows() && r < kRunsListed; ++r)
      listed.push_back(runs.text(r, 0) + " (" + runs.text(r, 1) + ")");
    if (runs.rows() > kRunsListed)
      listed.push_back("and " + std::to_string(runs.rows() - kRunsListed) + " more");
    const std::string known =
        listed.empty() ? "it holds no run yet" : "its runs: " + join(listed, ", ");
    return ConfigError("PostgreSQL: " +
                       (run_.run_id.empty() ? std::string("give the run with --run ID")
                                            : "no run '" + run_.run_id + "'") +
                       " in " + run_.schema + ".runs of database '" + database_ + "' (" +
                       redact_passwords(run_.connection) + "); " + known);
  }

  StoredRun run_;
  std::shared_ptr<PgConnection> db_;
  std::string schema_, database_;
  std::set<std::string> tables_;
};

}  // namespace

std::string stored_run_label(const StoredRun& run) {
  return redact_passwords(run.connection) + " schema " + run.schema + " run " + run.run_id;
}

report::ReportModel load_stored_run(const StoredRun& run) {
  auto reader = std::make_shared<RunReader>(run);
  const nlohmann::json summaries = reader->summaries();
  std::vector<report::StageTables> stages;
  std::vector<std::string> skipped;
  // Keys in order ("." first, then the subfolders by name), as a folder lists them.
  for (const auto& [key, summary] : summaries.items()) {
    std::set<std::string> outputs;
    if (summary.is_object() && summary.contains("outputs") && summary["outputs"].is_array())
      for (const auto& file : summary["outputs"])
        if (file.is_string()) outputs.insert(file.get<std::string>());
    const report::StageView* view = view_of(summary, outputs);
    const std::string folder = key == "." ? std::string() : key + "/";
    if (!view) {
      skipped.push_back(folder + "summary.json (stage '" +
                        (summary.is_object() ? summary.value("stage", "") : "") + "')");
      continue;
    }
    report::StageTables stage{view, key, summary, {}, {}, {}};
    for (const std::string& name : report::view_table_names(*view)) {
      if (!outputs.count("tables/" + name + ".csv")) continue;  // the stage did not write it
      const std::string table = view->stage + "_" + name;
      if (reader->has_table(table))
        stage.tables.emplace(name, reader->table_text(table));
      else
        skipped.push_back(folder + "tables/" + name + ".csv (not in the store: " + run.schema +
                          "." + table + " does not exist)");
    }
    const std::string geometry_table = view->stage + "_" + view->geometry_layer;
    if (!view->geometry_gpkg.empty() && outputs.count(view->geometry_gpkg) &&
        reader->has_table(geometry_table)) {
      stage.outlines = [reader, geometry_table] { return reader->outlines(geometry_table); };
      stage.outlines_source = run.schema + "." + geometry_table;
    }
    stages.push_back(std::move(stage));
  }
  if (stages.empty())
    throw DataError("PostgreSQL: run " + run.run_id + " in " + run.schema +
                    ".runs has no summary of a stage the report knows" +
                    (skipped.empty() ? std::string() : " (" + join(skipped, ", ") + ")"));
  const auto rank = [](const report::StageTables& s) {
    return s.view - report::stage_views().data();
  };
  std::stable_sort(stages.begin(), stages.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return report::build_report_model(std::filesystem::path(run.schema) / run.run_id, stages,
                                    std::move(skipped));
}

}  // namespace minecarbon::store
