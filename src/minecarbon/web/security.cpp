#include "minecarbon/web/security.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

#include "minecarbon/web/config_check.h"

namespace minecarbon::web {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(const std::string& header, const std::string& name) {
  std::size_t at = 0;
  while (at < header.size()) {
    std::size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    const std::string pair = trim(header.substr(at, end - at));
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    at = end + 1;
  }
  return "";
}

bool is_write(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH";
}

}  // namespace

Security::Security(SecurityOptions options) : options_(std::move(options)) {
  if (options_.token.empty()) throw std::invalid_argument("Security: empty token");
  const std::string port = ":" + std::to_string(options_.port);
  if (is_loopback(options_.host)) {
    for (const char* name : {"127.0.0.1", "localhost", "[::1]"})
      allowed_.push_back(std::string(name) + port);
  } else if (!options_.allow_hosts.empty()) {
    const bool v6 = options_.host.find(':') != std::string::npos;
    allowed_.push_back(lower(v6 ? "[" + options_.host + "]" : options_.host) + port);
  }
  for (const auto& h : options_.allow_hosts) {
    allowed_.push_back(lower(h));
    if (h.find(':') == std::string::npos || h.back() == ']') allowed_.push_back(lower(h) + port);
  }
}

bool Security::is_loopback(const std::string& host) {
  const std::string h = lower(host);
  return h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

bool Security::host_allowed(const std::string& host_header) const {
  // A non-loopback bind without --allow-host takes any Host: the token is the guard there.
  if (allowed_.empty()) return true;
  const std::string h = lower(trim(host_header));
  return std::find(allowed_.begin(), allowed_.end(), h) != allowed_.end();
}

bool Security::token_matches(const std::string& candidate) const {
  const std::string& token = options_.token;
  if (candidate.size() != token.size()) return false;  // the length of the token is not secret
  return CRYPTO_memcmp(candidate.data(), token.data(), token.size()) == 0;
}

std::string Security::random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw std::runtime_error("OpenSSL's random generator failed; give --token or --token-file");
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Security::default_headers() {
  return {{"Content-Security-Policy",
           "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; "
           "connect-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"}};
}

bool Security::filter(HttpRequest& request, HttpResponse& response, const RouteInfo* route) const {
  // 1. Host (DNS rebinding): a page of another origin resolved to us must not be answered.
  const auto host = request.header("Host");
  if (!host || !host_allowed(*host)) {
    response.error(421, "misdirected",
                   "this server answers only requests addressed to it (Host " +
                       std::string(host ? "not allowed" : "missing") +
                       "); start it with --allow-host NAME to add a name");
    return true;
  }
  // 2. Token.
  const bool public_route = request.method == "GET" && request.path == "/api/health";
  bool bearer = false;
  bool authorised = public_route;
  if (const auto auth = request.header("Authorization")) {
    const std::string prefix = "Bearer ";
    if (auth->rfind(prefix, 0) == 0 && token_matches(auth->substr(prefix.size()))) {
      bearer = true;
      authorised = true;
    } else if (!public_route) {
      response.error(401, "unauthorized", "the Authorization header does not hold the token");
      response.set_header("WWW-Authenticate", "Bearer");
      return true;
    }
  }
  if (!authorised) {
    if (const auto cookie = request.header("Cookie"))
      authorised = token_matches(cookie_value(*cookie, kCookie));
  }
  const auto query_token = request.query.find("token");
  if (query_token != request.query.end()) {
    if (!token_matches(query_token->second)) {
      response.error(401, "unauthorized", "the token in the address is not this server's", "token");
      return true;
    }
    authorised = true;
    // Exchanged once for a cookie the page's scripts cannot read; the address bar loses it.
    response.set_header("Set-Cookie", std::string(kCookie) + "=" + options_.token +
                                          "; HttpOnly; SameSite=Strict; Path=/");
    if (request.method == "GET" && !request.path.starts_with("/api/")) {
      response.status = 303;
      response.content_type = "text/plain; charset=utf-8";
      response.body = "see " + request.path + "\n";
      response.set_header("Location", request.path);
      response.set_header("Cache-Control", "no-store");
      return true;
    }
    request.query.erase(query_token);
  }
  if (!authorised) {
    response.error(401, "unauthorized",
                   "a token is needed: open the address minecarbon serve printed, or send "
                   "Authorization: Bearer TOKEN");
    response.set_header("WWW-Authenticate", "Bearer");
    return true;
  }
  // 3. CSRF: a cookie is sent by any page's form; the origin or a Bearer header proves the caller.
  if (is_write(request.method)) {
    const auto origin = request.header("Origin");
    const bool same_origin = origin && lower(*origin) == "http://" + lower(trim(*host));
    if (origin ? !same_origin : !bearer) {
      response.error(403, "forbidden",
                     origin ? "the request comes from another origin (" + *origin + ")"
                            : "a write without Origin needs an Authorization: Bearer header");
      return true;
    }
    // 4. Read-only.
    if (options_.read_only) {
      response.error(405, "read_only", "the server runs with --read-only: no writes");
      return true;
    }
  }
  if (!route) return false;  // 404 / 405 from the dispatcher
  // 5. Content type.
  if (!route->content_type.empty()) {
    std::string type = lower(trim(request.header("Content-Type").value_or("")));
    const auto semicolon = type.find(';');
    if (semicolon != std::string::npos) type = trim(type.substr(0, semicolon));
    if (type != route->content_type) {
      response.error(415, "unsupported_media_type",
                     "expected Content-Type " + route->content_type + ", got " +
                         (type.empty() ? "none" : type),
                     "Content-Type");
      return true;
    }
  }
  // 6. Size, before reading.
  if (const auto length = request.header("Content-Length")) {
    std::uint64_t bytes = 0;
    try {
      bytes = std::stoull(*length);
    } catch (const std::exception&) {
      response.error(400, "bad_request", "Content-Length is not a number", "Content-Length");
      return true;
    }
    if (bytes > route->body_cap) {
      response.error(413, "too_large",
                     "the body of " + std::to_string(bytes) + " bytes is over the limit of " +
                         std::to_string(route->body_cap) + " bytes");
      return true;
    }
  }
  // 7. Query strings are never paths on the server.
  for (const auto& [key, value] : request.query)
    if (is_unsafe_path_string(value)) {
      response.error(422, "unsafe_path",
                     "\"" + key +
                         "\" looks like a path on the server (absolute, \"..\", /vsi or "
                         "PG:); files are addressed by their ids",
                     key);
      return true;
    }
  return false;
}

}  // namespace minecarbon::web
