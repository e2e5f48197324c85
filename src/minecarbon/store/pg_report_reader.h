// A run of the PostGIS store (store/pg_store.h) read back into the report's model
// (report/report_model.h): `minecarbon report PG:… --run ID`.
//
// The run's row in `<schema>.runs` gives every summary.json of the run (keyed by its folder);
// each summary's `outputs` says which tables the stage wrote; each such table is read from
// `<schema>.<stage>_<table>` (the rows of the run, in the order they were written: by fid) as the
// text the CSV file holds (doubles at full precision, NULL as no value), and the mines' outlines
// from the geometry layer's `geom`. The model is then built by the same code as a results
// folder's (report::build_report_model), so a run gives the same model from either.
//
// A table a stage writes only as a file (no GeoPackage layer, so never in the store) is left out
// and named in ReportModel::skipped.
#pragma once

#include <string>

#include "minecarbon/report/report_model.h"

namespace minecarbon::store {

struct StoredRun {
  std::string connection;  // "PG:dbname=… host=… user=…" (GDAL's form; libpq's keys are used)
  std::string schema = "minecarbon";
  std::string run_id;
};

// Where the run is, for titles and messages, the password redacted: "<schema>/<run_id>" is the
// model's results_dir; this is the longer form with the connection.
std::string stored_run_label(const StoredRun& run);

// Throws ConfigError (exit 2) with the password redacted: the server unreachable or refusing the
// credentials (libpq's message), a bad schema name, a schema without a runs table (naming the
// schemas of the database that have one), no run id or an unknown one (listing the runs of the
// schema); DataError (exit 3) for a stored summary that is not JSON, a stored table missing
// mine_id or geom, or a geometry that cannot be read.
report::ReportModel load_stored_run(const StoredRun& run);

}  // namespace minecarbon::store
