#include "minecarbon/store/pg_connection.h"

#include <cctype>
#include <cstring>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::store {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start])))
    ++start;
  return text.substr(start);
}

bool gdal_only_key(const std::string& key) {
  for (const char* k : {"tables", "schemas", "active_schema", "list_all_tables"})
    if (key == k) return true;
  return false;
}

}  // namespace

std::string libpq_conninfo(const std::string& gdal_connection) {
  std::string text = is_pg_source(gdal_connection) ? gdal_connection.substr(3) : gdal_connection;
  // Split into key=value words (values may be single-quoted), keep libpq's keys.
  std::string out;
  std::size_t k = 0;
  while (k < text.size()) {
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k])))
      ++k;
    if (k >= text.size()) break;
    const std::size_t start = k;
    while (k < text.size() && text[k] != '=' && !std::isspace(static_cast<unsigned char>(text[k])))
      ++k;
    const std::string key = text.substr(start, k - start);
    while (k < text.size() && text[k] == ' ')
      ++k;
    if (k < text.size() && text[k] == '=') ++k;
    while (k < text.size() && text[k] == ' ')
      ++k;
    if (k < text.size() && text[k] == '\'') {
      ++k;
      while (k < text.size() && text[k] != '\'') {
        if (text[k] == '\\') ++k;
        ++k;
      }
      ++k;
    } else {
      while (k < text.size() && !std::isspace(static_cast<unsigned char>(text[k])))
        ++k;
    }
    if (!gdal_only_key(key)) out += (out.empty() ? "" : " ") + text.substr(start, k - start);
  }
  return out;
}

PgConnection::PgConnection(const std::string& conninfo)
    : conn_(PQconnectdb(conninfo.c_str()), &PQfinish) {
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    const std::string message =
        conn_ ? trimmed(PQerrorMessage(conn_.get())) : std::string("out of memory");
    throw ConfigError("PostgreSQL: cannot connect with '" + redact_passwords(conninfo) +
                      "': " + redact_passwords(message) +
                      "; check the host, port, database, user and password");
  }
  // Results as the report writes them: shortest round-trip floats.
  PQclear(PQexec(conn_.get(), "SET extra_float_digits = 3"));
}

PgResult PgConnection::exec(const std::string& sql,
                            const std::vector<std::optional<std::string>>& params,
                            const std::string& what) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params)
    values.push_back(p ? p->c_str() : nullptr);
  PgResult result(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result.status();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw RunError("PostgreSQL: " + what +
                   " failed: " + redact_passwords(trimmed(PQerrorMessage(conn_.get()))));
  }
  return result;
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace minecarbon::store
