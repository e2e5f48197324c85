// PostgreSQL connection strings as GDAL takes them (`PG:dbname=mc host=/tmp user=u password=p
// tables=public.mines`): recognised where a path is expected, and told without their password.
//
// Every message, log line and summary that may carry a connection string passes it through
// redact_passwords() first: a password never reaches a terminal, a log or a results folder.
#pragma once

#include <string>

namespace minecarbon {

// True when `text` names a PostgreSQL source for GDAL ("PG:…", case-insensitive prefix).
bool is_pg_source(const std::string& text);

// `text` with the value of every `password=` key (quoted or not, any case) replaced by `***`,
// and the password of every `postgres[ql]://user:password@host` URI as well. Text without a
// password comes back unchanged.
std::string redact_passwords(const std::string& text);

}  // namespace minecarbon
