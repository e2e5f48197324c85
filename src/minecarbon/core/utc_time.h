// ISO 8601 UTC timestamps ("2026-12-07T19:21:05Z") for summary.json, the report's meta, the
// server's run records and the PostGIS `runs` table: one format everywhere a time is written.
#pragma once

#include <ctime>
#include <string>

namespace minecarbon {

// `t` as YYYY-MM-DDThh:mm:ssZ (UTC, whole seconds).
std::string utc_iso8601(std::time_t t);

// The current time, as utc_iso8601.
std::string utc_now_iso8601();

}  // namespace minecarbon
