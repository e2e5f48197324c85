// The `load` label (issue 15, Part 3): `minecarbon serve` on the synthetic demo (its damage run),
// 32 concurrent clients on loopback sending 200 mixed requests each — map tiles of both layers
// (gzip and plain, some revalidated with If-None-Match), value arrays, mine details. Every answer
// must be 200 or 304 and byte-equal to the answer a single client got for the same request
// before, and the server must still be up afterwards. It asserts correctness, not time; it prints
// p50, p95 and p99 of the latencies.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../e2e/cli_harness.h"  // synth_world: one synth per build of the CLI

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kClients = 32;
constexpr int kRequestsPerClient = 200;
constexpr int kServerThreads = 8;  // serve's default
const std::string kToken = "load-test-token-0123456789";

// The synthetic demo's mines lie around 110.2°E, 35°N within about 0.6° (demo/synth).
constexpr double kDemoLon_deg = 110.2, kDemoLat_deg = 35.0;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// XYZ tile column and row holding lon/lat at zoom z (spherical Web Mercator).
std::pair<int, int> tile_of(double lon_deg, double lat_deg, int z) {
  const double n = std::ldexp(1.0, z);
  const double lat = lat_deg * std::numbers::pi / 180;
  const double x = (lon_deg + 180.0) / 360.0 * n;
  const double y = (1.0 - std::asinh(std::tan(lat)) / std::numbers::pi) / 2.0 * n;
  return {static_cast<int>(x), static_cast<int>(y)};
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

struct Request {
  std::string path;
  httplib::Headers headers;
};

// What the sequential fetch got; the concurrent answers must equal it.
struct Answer {
  int status = 0;
  std::string body, encoding, content_type, etag;
  bool operator==(const Answer&) const = default;
};

Answer fetch(httplib::Client& client, const Request& r) {
  auto res = client.Get(r.path.c_str(), r.headers);
  Answer a;
  if (!res) return a;
  a.status = res->status;
  a.body = res->body;
  a.encoding = res->get_header_value("Content-Encoding");
  a.content_type = res->get_header_value("Content-Type");
  a.etag = res->get_header_value("ETag");
  return a;
}

std::unique_ptr<httplib::Client> client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_bearer_token_auth(kToken);
  c->set_keep_alive(true);
  c->set_tcp_nodelay(true);
  c->set_decompress(false);  // compare the bytes on the wire
  c->set_read_timeout(60, 0);
  c->set_connection_timeout(10, 0);
  return c;
}

// `minecarbon serve DIR` as a child process; its port from the first stdout line.
class ServeProcess {
 public:
  explicit ServeProcess(const fs::path& dir) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      const std::string threads = std::to_string(kServerThreads);
      ::execl(MC_CLI, MC_CLI, "--quiet", "serve", dir.c_str(), "--port", "0", "--token",
              kToken.c_str(), "--threads", threads.c_str(), "--read-only", nullptr);
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string line;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n')
      line += c;
    ::close(fds[0]);
    std::smatch m;
    if (std::regex_search(line, m, std::regex(R"(http://127\.0\.0\.1:(\d+)/)")))
      port_ = std::stoi(m[1]);
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  int port() const { return port_; }
  // True while the process has not exited.
  bool alive() const {
    int status = 0;
    return pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == 0;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

double percentile(const std::vector<double>& sorted, double q) {
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// The demo world with its damage stage run into `results/` (the run `serve` shows as imported).
fs::path make_demo(const fs::path& dir) {
  const fs::path demo = dir / "demo";
  if (minecarbon::e2e::synth_world(demo.string()).exit_code != 0) return {};
  std::string config;
  std::istringstream in(slurp(demo / "project.toml"));
  std::string line;
  bool keep = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[') keep = line == "[damage]" || line == "[project]";
    if (keep) config += line + "\n";
    // The demo's damage takes NEP from its [nep] stage; the planted rasters are faster.
    if (line == "[damage]") config += "nep = \"nep/nep_{year}.tif\"\n";
  }
  std::ofstream(demo / "project.toml") << config;
  const std::string run = std::string(MC_CLI) + " --quiet run " + (demo / "project.toml").string();
  if (std::system(run.c_str()) != 0) return {};
  return demo;
}

TEST(ServeLoad, ThirtyTwoClientsGetWhatOneClientGot) {
  const auto t_start = std::chrono::steady_clock::now();
  const fs::path dir = fs::temp_directory_path() / ("mc_load_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path demo = make_demo(dir);
  ASSERT_FALSE(demo.empty()) << "synth or run of the demo failed";

  ServeProcess serve(demo);
  ASSERT_GT(serve.port(), 0) << "serve printed no address";
  auto c = client(serve.port());
  auto projects = c->Get("/api/projects");
  ASSERT_TRUE(projects);
  ASSERT_EQ(projects->status, 200) << projects->body;
  const std::string p = json::parse(projects->body)["projects"].at(0)["id"];
  const json project = json::parse(c->Get(("/api/projects/" + p).c_str())->body);
  ASSERT_FALSE(project["runs"].empty());
  const std::string run = project["runs"][0]["id"];
  const std::string r = "/api/runs/" + run;
  const json model = json::parse(c->Get((r + "/model").c_str())->body);
  const auto& ids = model["mine_ids"];
  ASSERT_GT(ids.size(), 10u);

  // The pool: tiles of both layers at z 6–13 around the demo (those with features: 204 is not a
  // load answer), each as gzip and plain, and revalidated with its ETag (304); values of up to
  // 12 variables (one year each where per-year); details of up to 40 mines.
  std::vector<Request> candidates;
  for (int z = 6; z <= 13; ++z) {
    const auto [cx, cy] = tile_of(kDemoLon_deg, kDemoLat_deg, z);
    const int reach = z <= 9 ? 1 : 2;
    for (int dy = -reach; dy <= reach; ++dy)
      for (int dx = -reach; dx <= reach; ++dx)
        for (const char* layer : {"mines", "mine_points"})
          candidates.push_back({r + "/tiles/" + layer + "/" + std::to_string(z) + "/" +
                                    std::to_string(cx + dx) + "/" + std::to_string(cy + dy) +
                                    ".mvt",
                                {{"Accept-Encoding", "gzip"}}});
  }
  std::vector<Request> pool;
  std::vector<Answer> expected;
  std::size_t tiles = 0, gzipped = 0, revalidated = 0;
  for (const Request& tile : candidates) {
    const Answer gz = fetch(*c, tile);
    if (gz.status != 200) continue;  // 204: no mine in it
    ++tiles;
    pool.push_back(tile);
    expected.push_back(gz);
    if (gz.encoding == "gzip") ++gzipped;
    const Request plain{tile.path, {}};
    pool.push_back(plain);
    expected.push_back(fetch(*c, plain));
    const Request again{tile.path, {{"If-None-Match", gz.etag}}};
    pool.push_back(again);
    expected.push_back(fetch(*c, again));
    ++revalidated;
  }
  std::size_t values = 0;
  for (const auto& v : model["variables"]) {
    if (values >= 12) break;
    std::string path = r + "/values?var=" + url_encode(v["key"]);
    if (v["years"].is_array() && !v["years"].empty())
      path += "&year=" + std::to_string(v["years"][v["years"].size() / 2].get<int>());
    pool.push_back({path, {}});
    expected.push_back(fetch(*c, pool.back()));
    ++values;
  }
  const std::size_t mine_step = std::max<std::size_t>(1, ids.size() / 40);
  std::size_t mines = 0;
  for (std::size_t m = 0; m < ids.size(); m += mine_step, ++mines) {
    pool.push_back({r + "/mines/" + url_encode(ids[m].get<std::string>()), {}});
    expected.push_back(fetch(*c, pool.back()));
  }
  for (std::size_t i = 0; i < pool.size(); ++i)
    ASSERT_TRUE(expected[i].status == 200 || expected[i].status == 304)
        << pool[i].path << " gave " << expected[i].status << " alone: " << expected[i].body;
  ASSERT_GE(tiles, 20u) << "too few tiles with mines around the demo";
  EXPECT_GT(gzipped, 0u) << "no tile large enough to be sent gzip'd";
  std::printf(
      "pool: %zu requests (%zu tiles ×3: gzip, plain, If-None-Match; %zu of them gzip'd), "
      "%zu value arrays, %zu mine details\n",
      pool.size(), tiles, gzipped, values, mines);

  // 32 clients at once, each its own connection, 200 requests drawn from the pool (seeded).
  std::vector<std::vector<double>> latency_ms(kClients);
  std::atomic<int> mismatches{0};
  std::vector<std::string> problems(kClients);
  std::vector<std::thread> threads;
  const auto t_load = std::chrono::steady_clock::now();
  for (int k = 0; k < kClients; ++k)
    threads.emplace_back([&, k] {
      auto mine = client(serve.port());
      std::mt19937 rng(1500u + static_cast<unsigned>(k));
      std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
      for (int i = 0; i < kRequestsPerClient; ++i) {
        const std::size_t q = pick(rng);
        const auto t0 = std::chrono::steady_clock::now();
        const Answer got = fetch(*mine, pool[q]);
        latency_ms[k].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        if (!(got == expected[q])) {
          if (mismatches++ < 5)
            problems[k] += pool[q].path + ": status " + std::to_string(got.status) + " (alone " +
                           std::to_string(expected[q].status) + "), " +
                           std::to_string(got.body.size()) + " bytes (alone " +
                           std::to_string(expected[q].body.size()) + ")\n";
        }
      }
    });
  for (auto& t : threads)
    t.join();
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();

  std::string all_problems;
  for (const auto& text : problems)
    all_problems += text;
  EXPECT_EQ(mismatches.load(), 0) << all_problems;
  EXPECT_TRUE(serve.alive()) << "the server exited under load";
  auto health = client(serve.port())->Get("/api/health");
  ASSERT_TRUE(health) << "the server does not answer after the load";
  EXPECT_EQ(health->status, 200);

  std::vector<double> all;
  for (const auto& l : latency_ms)
    all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kClients * kRequestsPerClient));
  std::printf(
      "load: %d clients x %d requests on %d server threads in %.2f s (%.0f requests/s); "
      "latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms; whole test %.1f s\n",
      kClients, kRequestsPerClient, kServerThreads, load_s,
      static_cast<double>(all.size()) / load_s, percentile(all, 0.50), percentile(all, 0.95),
      percentile(all, 0.99), all.back(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count());
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
