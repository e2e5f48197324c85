// A small RAII wrapper over libpq: one connection, queries with bound parameters only
// (PQexecParams), results freed when they go out of scope. Every message it throws has the
// connection string's password redacted (core/connection_string.h).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace minecarbon::store {

// "PG:dbname=mc host=/tmp tables=public.mines" → "dbname=mc host=/tmp": the libpq part of a GDAL
// connection string, without GDAL's own keys (tables, schemas, active_schema, list_all_tables).
std::string libpq_conninfo(const std::string& gdal_connection);

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  ExecStatusType status() const {
    return result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
  }
  int rows() const { return PQntuples(result_.get()); }
  int columns() const { return PQnfields(result_.get()); }
  bool is_null(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  std::string text(int row, int col) const { return PQgetvalue(result_.get(), row, col); }
  std::string column_name(int col) const { return PQfname(result_.get(), col); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class PgConnection {
 public:
  // Connects with a libpq conninfo string. Throws ConfigError (exit 2) with libpq's message,
  // the password redacted, when the server cannot be reached or refuses the credentials.
  explicit PgConnection(const std::string& conninfo);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with text parameters ($1, $2, … ; nullopt = NULL). Throws RunError naming
  // `what` with the server's message when it fails.
  PgResult exec(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                const std::string& what);
  PgResult exec(const std::string& sql, const std::string& what) { return exec(sql, {}, what); }

  PGconn* get() { return conn_.get(); }

 private:
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
};

// `name` quoted as an SQL identifier ("a""b"), for names that come from our own tables only.
std::string quote_identifier(const std::string& name);

}  // namespace minecarbon::store
