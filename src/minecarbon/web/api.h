// `minecarbon serve`: the HTTP API over a workspace (docs/serve.md), and the platform that puts the
// workspace, the run queue, the security filter and the server together.
//
// Reads: GET /api/health, /api/projects, /api/projects/{p}, /api/runs/{r}, /api/runs/{r}/model,
// /api/runs/{r}/values, /api/runs/{r}/mines/{id}, /api/compare, /api/runs/{r}/report.html,
// /api/runs/{r}/files/{f}, /api/runs/{r}/events (server-sent events).
// Writes: POST /api/projects, POST /api/projects/{p}/inputs, PUT /api/projects/{p}/config,
// POST /api/projects/{p}/runs, DELETE /api/runs/{r}, /api/projects/{p}/inputs/{i},
// /api/projects/{p}.
// Tiles: GET /api/runs/{r}/tiles/{mines|mine_points}/{z}/{x}/{y}.mvt (web/mine_tiles.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace minecarbon::web {

class HttpServer;

struct ServeOptions {
  std::filesystem::path project_dir;
  std::string host = "127.0.0.1";
  int port = 8765;  // 0 = a free port
  std::string token;
  bool read_only = false;
  std::uint64_t max_upload_bytes = 1024ull << 20;
  std::uint64_t max_json_bytes = 1ull << 20;
  std::vector<std::string> allow_hosts;
  int threads = 8;
  std::string version;
  // The program a run executes (`EXE run … --progress jsonl`): the server's own binary.
  std::string executable = "/proc/self/exe";
};

class Platform {
 public:
  // Checks the workspace and binds the port; throws ConfigError (exit 2) naming what is wrong.
  explicit Platform(ServeOptions options);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  int port() const;
  // http://HOST:PORT/?token=TOKEN
  std::string url() const;
  // Serves until stop(); blocks.
  void serve();
  // Serves on a thread of its own (tests); stop() or the destructor ends it.
  void start();
  void stop();
  // Routes added by other parts of the server (the tiles), before serve()/start().
  HttpServer& server();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace minecarbon::web
