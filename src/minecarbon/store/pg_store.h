// The optional PostGIS store of a run (`--postgis 'PG:…' [--pg-schema minecarbon]`): every layer
// and table a stage writes to its GeoPackage is written as well, through GDAL's PG driver and the
// same layer code (report/result_layers.h), into `<schema>.<stage>_<table>`, each row tagged with
// the run's `run_id` so runs coexist. A `runs` table holds one row per run (run_id, times,
// version, config_toml, summary_json, status).
//
// One transaction per run: the rows of every stage and the run's row are committed together by
// commit(); a run that fails before (or a store destroyed without commit) leaves nothing. One
// writer per schema: a session advisory lock on the schema's name is held from open to close.
//
// Errors, each with the password redacted: the server unreachable or refusing the credentials,
// no PostGIS extension, another writer holding the lock (ConfigError, exit 2); a table of the
// schema with the same name but another shape (DataError, exit 3, naming it and its columns).
#pragma once

#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "minecarbon/report/result_layers.h"
#include "minecarbon/store/pg_connection.h"

namespace minecarbon::store {

struct PgStoreOptions {
  std::string connection;  // "PG:dbname=… host=… user=… password=…"
  std::string schema = "minecarbon";
};

// A schema name we create and quote: [a-z_][a-z0-9_]{0,62}. Throws ConfigError otherwise.
void check_schema_name(const std::string& schema);

// [a-z0-9]{12} from the system's random device.
std::string make_run_id();

class PgStore : public report::TableSink {
 public:
  // Connects (libpq, then GDAL), checks PostGIS, creates the schema and the runs table when
  // missing, takes the advisory lock and starts the run's transaction.
  PgStore(const PgStoreOptions& options, std::string run_id);
  ~PgStore() override;  // rolls back unless committed
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  const std::string& run_id() const { return run_id_; }
  const std::string& schema() const { return schema_; }
  // The connection string for messages: the password redacted.
  std::string where() const;

  // The stage whose tables the next writes are: tables are named <stage>_<table>.
  void begin_stage(const std::string& stage) { stage_ = stage; }
  void write(const report::GeometryLayer& layer, const std::vector<const Table*>& tables) override;
  // The tables written so far, "<stage>_<table>", in order.
  const std::vector<std::string>& tables_written() const { return written_; }

  // Adds the run's row (status "ok") and commits everything written since the start.
  void commit(const std::string& started_utc, const std::string& finished_utc,
              const std::string& version, const std::string& config_toml,
              const nlohmann::json& summary);

 private:
  OGRLayer* layer_for(const Table& table, const std::string& name, bool spatial,
                      OGRSpatialReference* srs);

  std::string run_id_, schema_, connection_, stage_;
  std::unique_ptr<PgConnection> lock_conn_;  // holds the advisory lock
  GDALDatasetUniquePtr ds_;
  bool in_transaction_ = false;
  std::vector<std::string> written_;
};

}  // namespace minecarbon::store
