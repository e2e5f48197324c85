#include "minecarbon/web/server.h"

#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string_view>

#include "minecarbon/core/errors.h"

namespace minecarbon::web {

namespace {

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string error_json(const std::string& code, const std::string& message,
                       const std::string& field) {
  nlohmann::json e = {{"code", code}, {"message", message}, {"field", field}};
  return nlohmann::json{{"error", e}}.dump(-1, ' ', false,
                                           nlohmann::json::error_handler_t::replace);
}

// Why `host`:`port` cannot be bound, or "" when it can: httplib reports only failure, and the user
// must learn whether the port is taken or the address is not this machine's.
std::string bind_problem(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
    return "no such address on this machine";
  std::string problem;
  const int fd = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0) {
    problem = std::strerror(errno);
  } else {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0)
      problem = errno == EADDRINUSE ? "the port is in use by another program; pick another "
                                      "--port (0 picks a free one)"
                                    : std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return problem;
}

// What any path matching a route's pattern must contain, read from the pattern so that most routes
// are passed over with a few string compares instead of a std::regex match (several microseconds
// each, and a request tried every route before its own; bench/RESULTS_platform.md). Only what is
// certain is kept: literal characters outside groups and classes, not followed by ?, * or {;
// nothing at all for a pattern with an alternation.
struct Literals {
  std::string prefix;               // the path starts with it
  std::string suffix;               // the path ends with it
  std::vector<std::string> middle;  // found in this order after the prefix
  bool could_match(std::string_view path) const {
    if (!path.starts_with(prefix) || !path.ends_with(suffix) ||
        path.size() < prefix.size() + suffix.size())
      return false;
    std::size_t at = prefix.size();
    const std::size_t end = path.size() - suffix.size();
    for (const std::string& m : middle) {
      at = path.find(m, at);
      if (at == std::string_view::npos || at + m.size() > end) return false;
      at += m.size();
    }
    return true;
  }
};

Literals literals_of(const std::string& pattern) {
  if (pattern.find('|') != std::string::npos) return {};
  std::vector<std::string> pieces;
  std::string piece;
  bool starts_literal = false, ends_literal = false;
  auto cut = [&] {
    if (!piece.empty()) pieces.push_back(piece);
    piece.clear();
  };
  int depth = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    char literal = 0;
    if (c == '\\' && i + 1 < pattern.size()) {
      const char e = pattern[++i];
      if (!std::isalnum(static_cast<unsigned char>(e))) literal = e;  // \d, \w …: a class
    } else if (c == '[') {
      // A class: skip to its closing bracket (a ']' right after '[' or '[^' is a member).
      std::size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      while (j < pattern.size() && pattern[j] != ']')
        j += pattern[j] == '\\' ? 2 : 1;
      i = j;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '?' || c == '*' || c == '{') {
      // The character before was left out (next_is_optional below); a {m,n} is skipped.
      if (c == '{')
        while (i < pattern.size() && pattern[i] != '}')
          ++i;
    } else if (c != '.' && c != '+' && c != '^' && c != '$') {
      literal = c;
    }
    const bool next_is_optional =
        i + 1 < pattern.size() &&
        (pattern[i + 1] == '?' || pattern[i + 1] == '*' || pattern[i + 1] == '{');
    if (literal && depth == 0 && !next_is_optional) {
      if (i + 1 - (c == '\\' ? 2 : 1) == 0) starts_literal = true;
      piece += literal;
      if (i + 1 == pattern.size()) ends_literal = true;
    } else {
      cut();
    }
  }
  cut();
  Literals out;
  std::size_t first = 0, last = pieces.size();
  if (starts_literal && first < last) out.prefix = pieces[first++];
  if (ends_literal && first < last) out.suffix = pieces[--last];
  out.middle.assign(pieces.begin() + static_cast<std::ptrdiff_t>(first),
                    pieces.begin() + static_cast<std::ptrdiff_t>(last));
  return out;
}

}  // namespace

std::optional<std::string> HttpRequest::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

std::string HttpRequest::query_value(const std::string& key) const {
  const auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

void HttpResponse::set_header(const std::string& name, const std::string& value) {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) {
      v = value;
      return;
    }
  headers.emplace_back(name, value);
}

void HttpResponse::json(int code, const std::string& text) {
  status = code;
  content_type = "application/json";
  body = text;
}

void HttpResponse::error(int code, const std::string& error_code, const std::string& message,
                         const std::string& field) {
  json(code, error_json(error_code, message, field));
}

struct HttpServer::Impl {
  struct Route {
    std::regex pattern;
    Literals literals;  // a path without them cannot match `pattern`
    Handler handler;
    RouteInfo info;
  };
  httplib::Server server;
  std::vector<Route> routes;
  Filter filter;
  std::uint64_t largest_cap = 1 << 20;

  void dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader);
  static void write(HttpResponse& out, httplib::Response& res);
};

void HttpServer::Impl::write(HttpResponse& out, httplib::Response& res) {
  res.status = out.status;
  for (const auto& [k, v] : out.headers)
    res.set_header(k, v);
  if (out.stream) {
    StreamProvider provider = std::move(out.stream);
    res.set_chunked_content_provider(
        out.content_type, [provider](std::size_t, httplib::DataSink& sink) {
          const StreamWrite write = [&sink](const std::string& text) {
            return sink.is_writable() && sink.write(text.data(), text.size());
          };
          if (!provider(write)) sink.done();
          return true;
        });
  } else if (out.bytes.data() != nullptr) {
    const std::string_view bytes = out.bytes;
    res.set_content_provider(bytes.size(), out.content_type,
                             [bytes, owner = out.bytes_owner](
                                 std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                               return sink.write(bytes.data() + offset,
                                                 std::min(length, bytes.size() - offset));
                             });
  } else if (!out.file.empty()) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(out.file, ec);
    auto in = std::make_shared<std::ifstream>(out.file, std::ios::binary);
    if (ec || !*in) {
      out.error(404, "not_found", "the file is gone", "file");
      res.status = out.status;
      res.set_content(out.body, out.content_type.c_str());
      return;
    }
    res.set_content_provider(static_cast<std::size_t>(size), out.content_type,
                             [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                               // httplib asks for [offset, offset + length); 64 KiB at a time.
                               char buffer[64 * 1024];
                               in->seekg(static_cast<std::streamoff>(offset));
                               const auto want = std::min<std::size_t>(length, sizeof buffer);
                               in->read(buffer, static_cast<std::streamsize>(want));
                               const auto got = static_cast<std::size_t>(in->gcount());
                               // A file that shrank under us: end the response (the client sees it short).
                               return got > 0 && sink.write(buffer, got);
                             });
  } else {
    res.set_content(out.body, out.content_type.c_str());
  }
}

void HttpServer::Impl::dispatch(const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader* reader) {
  HttpRequest request;
  request.method = req.method;
  request.path = req.path;
  request.remote_addr = req.remote_addr;
  for (const auto& [k, v] : req.params)
    request.query.emplace(k, v);  // the first of repeated keys wins
  for (const auto& [k, v] : req.headers)
    request.headers.emplace_back(k, v);
  HttpResponse out;
  try {
    const Route* route = nullptr;
    bool path_known = false;
    for (const auto& r : routes) {
      std::smatch m;
      if (!r.literals.could_match(request.path) || !std::regex_match(request.path, m, r.pattern))
        continue;
      path_known = true;
      if (r.info.method != request.method) continue;
      route = &r;
      for (std::size_t i = 1; i < m.size(); ++i)
        request.params.push_back(m[i]);
      break;
    }
    // A body left unread would be parsed as the next request of the connection: close it.
    const std::string length = req.get_header_value("Content-Length");
    const bool has_body = req.has_header("Transfer-Encoding") || (!length.empty() && length != "0");
    if (filter && filter(request, out, route ? &route->info : nullptr)) {
      if (has_body) {
        // Refused before reading: the body is read and dropped (at most kDrainBytes), so that a
        // client still sending gets this answer, not a reset connection; then the connection
        // closes.
        // A Content-Length over the cap (413) is not read at all.
        if (reader && out.status != 413) {
          std::uint64_t dropped = 0;
          (*reader)([&](const char*, std::size_t size) {
            dropped += size;
            return dropped <= kDrainBytes;
          });
        }
        out.set_header("Connection", "close");
      }
      write(out, res);
      return;
    }
    if (!route) {
      if (path_known)
        out.error(405, "method_not_allowed", request.method + " is not allowed on this path");
      else
        out.error(404, "not_found", "no such route: " + request.path);
      if (has_body) out.set_header("Connection", "close");
      write(out, res);
      return;
    }
    if (!route->info.streamed) {
      const std::uint64_t cap = route->info.body_cap;
      if (reader) {
        bool over = false;
        std::uint64_t total = 0;
        const bool ok = (*reader)([&](const char* data, std::size_t size) {
          total += size;
          if (total > cap) {
            over = true;
            // Past the cap nothing is kept; a little more is read and dropped so that the client,
            // still sending, gets the 413 rather than a reset connection.
            return total <= cap + kDrainBytes;
          }
          request.body.append(data, size);
          return true;
        });
        if (over || !ok) {
          if (over)
            out.error(413, "too_large",
                      "the request body is over " + std::to_string(cap) + " bytes");
          else
            out.error(400, "bad_request", "the request body could not be read");
          out.set_header("Connection", "close");
          write(out, res);
          return;
        }
      } else if (req.body.size() > cap) {
        out.error(413, "too_large", "the request body is over " + std::to_string(cap) + " bytes");
        write(out, res);
        return;
      } else {
        request.body = req.body;
      }
    } else if (reader) {
      request.read_multipart = [reader](HttpRequest::PartHeader on_part,
                                        HttpRequest::Data on_data) {
        return (*reader)(
            [&](const httplib::MultipartFormData& part) {
              return on_part(part.name, part.filename, part.content_type);
            },
            [&](const char* data, std::size_t size) { return on_data(data, size); });
      };
    } else {
      request.read_multipart = [](HttpRequest::PartHeader, HttpRequest::Data) { return false; };
    }
    route->handler(request, out);
  } catch (const std::exception& e) {
    // The message may hold a server path: it goes to the server's log, never to the client.
    std::cerr << "minecarbon serve: " << request.method << " " << request.path
              << " failed: " << e.what() << '\n';
    out = HttpResponse{};
    out.error(500, "internal", "the request failed on the server; see the server's log");
  }
  write(out, res);
}

HttpServer::HttpServer(ServerLimits limits) : impl_(std::make_unique<Impl>()) {
  auto& s = impl_->server;
  const int threads = std::max(2, limits.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_read_timeout(limits.read_timeout_s, 0);
  s.set_write_timeout(limits.write_timeout_s, 0);
  s.set_keep_alive_max_count(static_cast<size_t>(limits.keep_alive_max_count));
  s.set_keep_alive_timeout(limits.keep_alive_timeout_s);
  // No Nagle: cpp-httplib writes a response's headers and body separately, and with Nagle the body
  // waited for the client's delayed ACK (40 ms on Linux), which capped a keep-alive connection at
  // about 25 requests/s (bench/RESULTS_platform.md, "Open-loop tile load").
  s.set_tcp_nodelay(true);
  Impl* impl = impl_.get();
  auto plain = [impl](const httplib::Request& req, httplib::Response& res) {
    impl->dispatch(req, res, nullptr);
  };
  auto with_reader = [impl](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) {
    impl->dispatch(req, res, &reader);
  };
  s.Get(".*", plain);
  s.Post(".*", with_reader);
  s.Put(".*", with_reader);
  s.Delete(".*", with_reader);
  s.Delete(".*", plain);
  s.Patch(".*", with_reader);
  s.Options(".*", plain);
  // Errors httplib answers itself (a malformed request, a URI too long): JSON too.
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty() || res.content_provider_) return;
    res.set_content(error_json("http_" + std::to_string(res.status),
                               "the request was refused by the HTTP layer (status " +
                                   std::to_string(res.status) + ")",
                               ""),
                    "application/json");
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(error_json("internal", "the request failed on the server", ""),
                    "application/json");
  });
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::route(const std::string& method, const std::string& pattern, Handler handler) {
  route(method, pattern, std::move(handler), RouteInfo{});
}

void HttpServer::route(const std::string& method, const std::string& pattern, Handler handler,
                       RouteInfo body) {
  body.method = method;
  impl_->largest_cap = std::max(impl_->largest_cap, body.body_cap);
  impl_->routes.push_back(
      {std::regex(pattern), literals_of(pattern), std::move(handler), std::move(body)});
  impl_->server.set_payload_max_length(static_cast<size_t>(impl_->largest_cap));
}

void HttpServer::set_filter(Filter filter) {
  impl_->filter = std::move(filter);
}

void HttpServer::set_default_headers(std::vector<std::pair<std::string, std::string>> headers) {
  httplib::Headers h;
  for (auto& [k, v] : headers)
    h.emplace(k, v);
  impl_->server.set_default_headers(std::move(h));
}

int HttpServer::bind(const std::string& host, int port) {
  if (port < 0 || port > 65535)
    throw ConfigError("--port " + std::to_string(port) + ": expected 0 to 65535");
  if (port != 0) {
    const std::string problem = bind_problem(host, port);
    if (!problem.empty())
      throw ConfigError("cannot listen on " + host + ":" + std::to_string(port) + ": " + problem);
  }
  const int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                              : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0)
    throw ConfigError("cannot listen on " + host + ":" + std::to_string(port) +
                      ": the address is not this machine's or the port is taken");
  return bound;
}

void HttpServer::listen() {
  impl_->server.listen_after_bind();
}

void HttpServer::stop() {
  if (impl_->server.is_running()) impl_->server.stop();
}

bool HttpServer::running() const {
  return impl_->server.is_running();
}

}  // namespace minecarbon::web
