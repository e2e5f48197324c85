// A server started in-process on a free port over a fresh workspace, and the clients the server
// tests use: httplib::Client for ordinary requests, a raw socket where a test must control the
// bytes on the wire (a Content-Length without its body).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "minecarbon/web/api.h"

namespace minecarbon::web::test {

namespace fs = std::filesystem;
using nlohmann::json;

inline const std::string kToken = "test-token-0123456789abcdef";

inline fs::path fresh_dir(const std::string& name) {
  static int counter = 0;
  const fs::path dir =
      fs::temp_directory_path() /
      ("mc_web_" + name + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::size_t count_files(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    (void)e;
    ++n;
  }
  return n;
}

// A running server over `dir`; stopped and its folder removed at the end.
class TestServer {
 public:
  explicit TestServer(fs::path dir, ServeOptions extra = {}) : dir_(std::move(dir)) {
    ServeOptions o = std::move(extra);
    o.project_dir = dir_;
    o.host = "127.0.0.1";
    o.port = 0;
    o.token = kToken;
    o.version = "test";
#ifdef MC_CLI
    o.executable = MC_CLI;
#endif
    platform_ = std::make_unique<Platform>(o);
    platform_->start();
  }
  ~TestServer() {
    platform_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  int port() const {
    return platform_->port();
  }
  std::string host() const {
    return "127.0.0.1:" + std::to_string(port());
  }
  std::string origin() const {
    return "http://" + host();
  }
  const fs::path& dir() const {
    return dir_;
  }
  Platform& platform() {
    return *platform_;
  }

  // A client with the Bearer token (unless `with_token` is false).
  std::unique_ptr<httplib::Client> client(bool with_token = true) const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port());
    c->set_read_timeout(30, 0);
    if (with_token) c->set_bearer_token_auth(kToken);
    return c;
  }

 private:
  fs::path dir_;
  std::unique_ptr<Platform> platform_;
};

// Sends `request` as it is and returns the status code of the answer (0 when none came).
inline int raw_status(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  (void)!::write(fd, request.data(), request.size());
  std::string reply;
  char buffer[1024];
  ssize_t n;
  while (reply.find("\r\n") == std::string::npos && (n = ::read(fd, buffer, sizeof buffer)) > 0)
    reply.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  // "HTTP/1.1 413 Payload Too Large"
  if (reply.size() < 12) return 0;
  return std::stoi(reply.substr(9, 3));
}

// Waits until `done` is true or `seconds` pass.
template <class F>
bool wait_for(F done, double seconds = 20) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace minecarbon::web::test
