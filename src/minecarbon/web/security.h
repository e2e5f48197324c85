// The security model of `minecarbon serve` (docs/serve.md), as one filter run on every request
// before its body is read (web/server.h):
//
//   1. Host check against DNS rebinding: on a loopback bind only 127.0.0.1, localhost and [::1]
//      with the server's port, plus --allow-host; anything else is 421.
//   2. Token: `Authorization: Bearer T`, the HttpOnly SameSite=Strict cookie, or `?token=T`, which
//      is exchanged for that cookie. Compared in constant time (CRYPTO_memcmp); never logged.
//      Missing or wrong: 401. GET /api/health needs none.
//   3. CSRF: POST, PUT and DELETE need Origin equal to the server's own origin, or with no Origin
//      a Bearer header (a cookie alone is not enough): 403 otherwise.
//   4. --read-only refuses every write with 405.
//   5. Content types: a route's body must have its media type (application/json,
//      application/toml, multipart/form-data): 415 otherwise, form and text/plain posts included.
//   6. Sizes: a Content-Length over the route's cap is 413 before a byte is read (chunked bodies
//      are counted while streaming, web/server.cpp and the upload handler).
//   7. Query strings that look like server paths (absolute, "..", "/vsi…", "PG:…"): 422 naming
//      the key.
// No CORS header is ever sent.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/web/server.h"

namespace minecarbon::web {

struct SecurityOptions {
  std::string token;  // required, non-empty
  std::string host;   // the bound host, as given ("127.0.0.1")
  int port = 0;       // the bound port
  std::vector<std::string> allow_hosts;
  bool read_only = false;
};

class Security {
 public:
  explicit Security(SecurityOptions options);

  // HttpServer's filter: true when it answered (refused) the request.
  bool filter(HttpRequest& request, HttpResponse& response, const RouteInfo* route) const;

  bool token_matches(const std::string& candidate) const;

  // The headers every response carries.
  static std::vector<std::pair<std::string, std::string>> default_headers();

  // 256 random bits from OpenSSL's generator, as 64 hexadecimal digits.
  static std::string random_token();

  // 127.0.0.0/8, ::1 or localhost.
  static bool is_loopback(const std::string& host);

  static constexpr const char* kCookie = "mc_token";

 private:
  bool host_allowed(const std::string& host_header) const;

  SecurityOptions options_;
  std::vector<std::string> allowed_;  // exact Host header values, lower case
};

}  // namespace minecarbon::web
