// The HTTP server of `minecarbon serve`, with cpp-httplib kept behind this header so that it can be
// swapped out: routes, the security filter and the handlers (web/api.h, web/security.h) see only
// the types below.
//
// Every request goes through one dispatcher: the filter first (before any byte of a body is
// read: host, token, CSRF, content type, size from Content-Length), then the route, whose body is
// read with its own cap (413 while streaming a chunked body), then the handler. Responses always
// carry an explicit Content-Type; errors are JSON {"error": {"code", "message", "field"}}.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::web {

// A request as the handlers see it. Header names are matched case-insensitively.
struct HttpRequest {
  std::string method;  // "GET"
  std::string path;    // "/api/runs/abc", without the query
  std::map<std::string, std::string> query;
  std::vector<std::string> params;  // the route's captures, in order
  std::string body;                 // read for routes without a streamed body
  std::string remote_addr;

  std::optional<std::string> header(const std::string& name) const;
  std::string query_value(const std::string& key) const;  // "" when absent

  // Routes with a streamed body: calls `on_part(name, filename, content_type)` for each part of a
  // multipart body and `on_data` with its bytes; either returning false stops. Returns false when
  // the body could not be read whole or a callback refused.
  using PartHeader = std::function<bool(const std::string& name, const std::string& filename,
                                        const std::string& content_type)>;
  using Data = std::function<bool(const char* data, std::size_t size)>;
  std::function<bool(PartHeader on_part, Data on_data)> read_multipart;

  std::vector<std::pair<std::string, std::string>> headers;  // as received
};

// Writes server-sent events: returns false when the client is gone.
using StreamWrite = std::function<bool(const std::string& text)>;
// Called until it returns false (the stream ends); it may block a while waiting for data.
using StreamProvider = std::function<bool(const StreamWrite& write)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  StreamProvider stream;  // set: the body is streamed (chunked) instead of `body`
  // Set: the body is this file, read and sent in pieces with its Content-Length (a download of
  // a GeoPackage or GeoTIFF is never read whole into memory).
  std::filesystem::path file;
  // Set: the body is these bytes, which outlive the response (assets built into the binary, or
  // held by `bytes_owner`), sent as they are: the HTTP layer compresses a text `body` on its own,
  // never these.
  std::string_view bytes;
  // Keeps `bytes` alive until they are sent (a cached tile: no copy of hundreds of kB per hit).
  std::shared_ptr<const void> bytes_owner;

  void set_header(const std::string& name, const std::string& value);
  void json(int status, const std::string& text);
  // {"error": {"code", "message", "field"}}; code is a short word ("not_found").
  void error(int status, const std::string& code, const std::string& message,
             const std::string& field = "");
};

// Bytes of a body read and dropped past its cap before answering 413, so that a client still
// sending gets the answer instead of a reset connection; past these the connection is cut.
inline constexpr std::uint64_t kDrainBytes = 16ull << 20;

struct ServerLimits {
  int threads = 8;  // worker threads; each open event stream holds one
  int read_timeout_s = 30;
  int write_timeout_s = 30;
  int keep_alive_max_count = 100;
  int keep_alive_timeout_s = 5;
};

class HttpServer {
 public:
  using Handler = std::function<void(HttpRequest&, HttpResponse&)>;
  // Runs before the route's body is read; returns true when it answered the request itself.
  using Filter = std::function<bool(HttpRequest&, HttpResponse&, const struct RouteInfo*)>;

  explicit HttpServer(ServerLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // `pattern` is a regular expression over the whole path; its groups become request.params.
  // `body` says what body the route takes (none by default); its method is set here.
  void route(const std::string& method, const std::string& pattern, Handler handler,
             struct RouteInfo body);
  void route(const std::string& method, const std::string& pattern, Handler handler);
  void set_filter(Filter filter);
  // Headers added to every response (security headers).
  void set_default_headers(std::vector<std::pair<std::string, std::string>> headers);

  // Binds `host`:`port` (0 = a free port) and returns the port. Throws ConfigError (exit 2)
  // naming the address when it cannot be bound (in use, no such address).
  int bind(const std::string& host, int port);
  // Serves until stop(); blocks.
  void listen();
  void stop();
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What the filter knows of the route a request matched (nullptr: none matched).
struct RouteInfo {
  std::string method;
  std::string content_type;    // the media type its body must have: "application/json"; "" none
  std::uint64_t body_cap = 0;  // bytes at most (413 above)
  bool streamed = false;       // the handler reads the body itself (request.read_multipart)
};

}  // namespace minecarbon::web
