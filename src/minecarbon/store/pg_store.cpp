#include "minecarbon/store/pg_store.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <ogr_spatialref.h>

#include <random>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"

namespace minecarbon::store {
namespace {

// The runs table: one row per committed run.
const char* const kRunsColumns[][2] = {
    {"run_id", "text"},  {"started_utc", "text"}, {"finished_utc", "text"},
    {"version", "text"}, {"config_toml", "text"}, {"summary_json", "jsonb"},
    {"status", "text"},
};

const char* ogr_type_name(OGRFieldType type) {
  switch (type) {
    case OFTReal:
      return "real";
    case OFTInteger64:
      return "integer64";
    case OFTInteger:
      return "integer";
    case OFTString:
      return "string";
    default:
      return OGRFieldDefn::GetFieldTypeName(type);
  }
}

}  // namespace

void check_schema_name(const std::string& schema) {
  bool ok = !schema.empty() && schema.size() <= 63 &&
            ((schema[0] >= 'a' && schema[0] <= 'z') || schema[0] == '_');
  for (char c : schema)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    throw ConfigError("--pg-schema '" + schema +
                      "': expected lower-case letters, digits and _ (at most 63, not starting "
                      "with a digit), e.g. minecarbon");
}

std::string make_run_id() {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<int> pick(0, 35);
  std::string id;
  for (int k = 0; k < 12; ++k)
    id += kAlphabet[pick(device)];
  return id;
}

PgStore::PgStore(const PgStoreOptions& options, std::string run_id)
    : run_id_(std::move(run_id)), schema_(options.schema), connection_(options.connection) {
  check_schema_name(schema_);
  const std::string conninfo = libpq_conninfo(connection_);
  lock_conn_ = std::make_unique<PgConnection>(conninfo);
  PgConnection& db = *lock_conn_;
  const std::string database = PQdb(db.get()) ? PQdb(db.get()) : "";
  if (db.exec("SELECT 1 FROM pg_extension WHERE extname = 'postgis'", "checking PostGIS").rows() ==
      0) {
    throw ConfigError("PostgreSQL: database '" + database + "' (" + where() +
                      ") has no PostGIS extension; run CREATE EXTENSION postgis; in it (as its "
                      "owner or a superuser), then run again");
  }
  const PgResult locked = db.exec("SELECT pg_try_advisory_lock(hashtext($1))",
                                  {"minecarbon:" + schema_}, "taking the schema's writer lock");
  if (locked.text(0, 0) != "t")
    throw ConfigError("PostgreSQL: another minecarbon run is writing to schema '" + schema_ +
                      "' of database '" + database +
                      "'; wait until it ends, or pass another --pg-schema");
  const std::string qschema = quote_identifier(schema_);
  db.exec("SET client_min_messages = warning", "setting the message level");
  db.exec("CREATE SCHEMA IF NOT EXISTS " + qschema, "creating schema " + schema_);
  std::string create = "CREATE TABLE IF NOT EXISTS " + qschema + ".runs (";
  for (const auto& column : kRunsColumns)
    create += std::string(column[0]) + " " + column[1] +
              (column == kRunsColumns[0] ? " PRIMARY KEY" : "") + ", ";
  create.resize(create.size() - 2);
  db.exec(create + ")", "creating " + schema_ + ".runs");
  // The runs table of an older or foreign layout is named rather than written into.
  const PgResult columns = db.exec(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND "
      "table_name = 'runs' ORDER BY ordinal_position",
      {schema_}, "reading " + schema_ + ".runs");
  std::string found, expected;
  for (int r = 0; r < columns.rows(); ++r)
    found += (r ? ", " : "") + columns.text(r, 0) + " " + columns.text(r, 1);
  for (const auto& column : kRunsColumns)
    expected += (expected.empty() ? "" : ", ") + std::string(column[0]) + " " + column[1];
  if (found != expected)
    throw DataError("PostgreSQL: table " + schema_ + ".runs exists with columns (" + found +
                    "), expected (" + expected +
                    "); drop or rename it, or pass another --pg-schema");

  GDALAllRegister();
  // COPY instead of one INSERT per row (GDAL's PG driver).
  CPLSetConfigOption("PG_USE_COPY", "YES");
  const std::string gdal_conn = "PG:" + conninfo + " schemas=" + schema_;
  CPLErrorReset();
  ds_.reset(GDALDataset::Open(gdal_conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr,
                              nullptr));
  if (!ds_)
    throw ConfigError("PostgreSQL: GDAL cannot open " + where() +
                      " for writing: " + redact_passwords(CPLGetLastErrorMsg()));
  if (ds_->StartTransaction(FALSE) != OGRERR_NONE)
    throw RunError("PostgreSQL: cannot start the run's transaction on " + where() + ": " +
                   redact_passwords(CPLGetLastErrorMsg()));
  in_transaction_ = true;
}

PgStore::~PgStore() {
  if (ds_ && in_transaction_) ds_->RollbackTransaction();
  ds_.reset();
}

std::string PgStore::where() const {
  return redact_passwords(connection_) + " schema " + schema_;
}

OGRLayer* PgStore::layer_for(const Table& table, const std::string& name, bool spatial,
                             OGRSpatialReference* srs) {
  const std::string qualified = schema_ + "." + name;
  CPLPushErrorHandler(CPLQuietErrorHandler);
  OGRLayer* existing = ds_->GetLayerByName(name.c_str());
  CPLPopErrorHandler();
  CPLErrorReset();
  if (!existing) {
    report::LayerSpec spec{
        name, "run_id", run_id_, {"LAUNDER=NO", "PRECISION=NO", "FID=fid"}, false};
    if (spatial) spec.creation_options.push_back("GEOMETRY_NAME=geom");
    return report::create_result_layer(*ds_, table, spatial ? srs : nullptr,
                                       spatial ? wkbMultiPolygon : wkbNone, spec, where());
  }
  // A table of another shape is never written into: the same columns in the same order with
  // the same types, and a MultiPolygon geometry exactly when the layer has shapes.
  OGRFeatureDefn* defn = existing->GetLayerDefn();
  std::string have, want = "run_id string";
  for (int idx = 0; idx < defn->GetFieldCount(); ++idx)
    have += (idx ? ", " : "") + std::string(defn->GetFieldDefn(idx)->GetNameRef()) + " " +
            ogr_type_name(defn->GetFieldDefn(idx)->GetType());
  for (const auto& column : table.columns())
    want += ", " + column.name + " " + ogr_type_name(report::result_field_type(column));
  const OGRwkbGeometryType geom = wkbFlatten(existing->GetGeomType());
  const bool geom_ok = spatial ? geom == wkbMultiPolygon : geom == wkbNone;
  if (have != want || !geom_ok)
    throw DataError(
        "PostgreSQL: table " + qualified + " exists with another shape: columns (" + have + ")" +
        (geom_ok ? "" : ", geometry " + std::string(OGRGeometryTypeToName(geom))) + "; expected (" +
        want + ")" + (spatial ? ", geometry MultiPolygon" : ", no geometry") +
        "; drop or rename it, or pass another --pg-schema");
  return existing;
}

void PgStore::write(const report::GeometryLayer& layer, const std::vector<const Table*>& tables) {
  if (stage_.empty()) throw RunError("PostgreSQL store: a table was written outside a stage");
  OGRSpatialReference srs;
  srs.SetFromUserInput(layer.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto put = [&](const Table& table, const std::vector<geo::MultiPolygon>* shapes) {
    const std::string name = stage_ + "_" + table.name();
    OGRLayer* target = layer_for(table, name, shapes != nullptr, &srs);
    const report::LayerSpec spec{name, "run_id", run_id_, {}, false};
    report::fill_result_layer(*target, table, shapes, spec, where());
    written_.push_back(name);
  };
  put(*layer.attributes, layer.shapes);
  for (const Table* table : tables)
    put(*table, nullptr);
}

void PgStore::commit(const std::string& started_utc, const std::string& finished_utc,
                     const std::string& version, const std::string& config_toml,
                     const nlohmann::json& summary) {
  auto literal = [&](const std::string& text) {
    char* quoted = PQescapeLiteral(lock_conn_->get(), text.c_str(), text.size());
    if (!quoted) throw RunError("PostgreSQL: cannot quote a value of the run's row");
    std::string out = quoted;
    PQfreemem(quoted);
    return out;
  };
  const std::string insert = "INSERT INTO " + quote_identifier(schema_) +
                             ".runs (run_id, started_utc, finished_utc, version, config_toml, "
                             "summary_json, status) VALUES (" +
                             literal(run_id_) + ", " + literal(started_utc) + ", " +
                             literal(finished_utc) + ", " + literal(version) + ", " +
                             literal(redact_passwords(config_toml)) + ", " +
                             literal(redact_passwords(summary.dump())) + "::jsonb, 'ok')";
  CPLErrorReset();
  OGRLayer* none = ds_->ExecuteSQL(insert.c_str(), nullptr, nullptr);
  if (none) ds_->ReleaseResultSet(none);
  if (CPLGetLastErrorType() >= CE_Failure)
    throw RunError("PostgreSQL: adding run " + run_id_ + " to " + schema_ +
                   ".runs failed: " + redact_passwords(CPLGetLastErrorMsg()));
  if (ds_->CommitTransaction() != OGRERR_NONE)
    throw RunError("PostgreSQL: committing run " + run_id_ + " to " + where() +
                   " failed: " + redact_passwords(CPLGetLastErrorMsg()));
  in_transaction_ = false;
}

}  // namespace minecarbon::store
