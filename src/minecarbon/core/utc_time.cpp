#include "minecarbon/core/utc_time.h"

namespace minecarbon {

std::string utc_iso8601(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);  // thread-safe, unlike gmtime: the server's workers write times too
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string utc_now_iso8601() {
  return utc_iso8601(std::time(nullptr));
}

}  // namespace minecarbon
