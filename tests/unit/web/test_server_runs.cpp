// Runs: the queue (one at a time, cancel), the event stream (numbered, resumable), and a whole
// run of the synthetic demo through the API.
#include <cmath>
#include <cstdlib>

#include "minecarbon/report/report_model.h"
#include "minecarbon/web/mine_tiles.h"
#include "minecarbon/web/run_queue.h"
#include "test_server_fixture.h"

namespace minecarbon::web::test {
namespace {

RunJob shell_job(const std::string& id, const fs::path& dir, const std::string& script) {
  return RunJob{id, dir, {"/bin/sh", "-c", script}};
}

// The run's done event is out (its state, folder and run.json are final before it).
bool ended(const RunQueue& q, const std::string& id) {
  bool over = false;
  return q.events(id, 0, std::chrono::milliseconds(0), over) && over;
}

TEST(RunQueueTest, TwoRunsAreQueuedNotConcurrent) {
  const fs::path dir = fresh_dir("queue");
  const fs::path log = dir / "log";
  RunQueue q;
  const std::string script =
      "echo start_$0 >> " + log.string() + "; sleep 0.3; echo end_$0 >> " + log.string();
  q.submit(RunJob{"aaaaaaaaaaaa", dir / "a", {"/bin/sh", "-c", script, "a"}});
  q.submit(RunJob{"bbbbbbbbbbbb", dir / "b", {"/bin/sh", "-c", script, "b"}});
  ASSERT_TRUE(wait_for([&] { return q.state("aaaaaaaaaaaa")->status == RunStatus::running; }));
  EXPECT_EQ(q.state("bbbbbbbbbbbb")->status, RunStatus::queued);
  ASSERT_TRUE(wait_for([&] { return ended(q, "bbbbbbbbbbbb"); }));
  EXPECT_EQ(slurp(log), "start_a\nend_a\nstart_b\nend_b\n");
  EXPECT_EQ(q.state("aaaaaaaaaaaa")->status, RunStatus::ok);
  EXPECT_EQ(q.state("bbbbbbbbbbbb")->exit_code, 0);
  fs::remove_all(dir);
}

TEST(RunQueueTest, CancelKillsTheProcessGroupAndRemovesTheFolder) {
  const fs::path dir = fresh_dir("cancel");
  fs::create_directories(dir / "run");
  { std::ofstream(dir / "run" / "run.json") << "{}"; }
  RunQueue q;
  // The shell starts a child of its own: SIGTERM to the group must end both.
  q.submit(shell_job("cccccccccccc", dir / "run",
                     "echo '{\"type\":\"log\",\"message\":\"working\"}'; sleep 30 & wait"));
  // A queued run behind it is cancelled without ever starting.
  fs::create_directories(dir / "queued");
  q.submit(shell_job("dddddddddddd", dir / "queued", "touch " + (dir / "started").string()));
  bool done = false;
  ASSERT_TRUE(wait_for([&] {
    const auto e = q.events("cccccccccccc", 0, std::chrono::milliseconds(0), done);
    return e && !e->empty();
  }));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(q.cancel("dddddddddddd"));
  EXPECT_TRUE(q.cancel("cccccccccccc"));
  ASSERT_TRUE(wait_for([&] { return ended(q, "cccccccccccc"); }, 10));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(q.state("cccccccccccc")->status, RunStatus::cancelled);
  EXPECT_EQ(q.state("cccccccccccc")->exit_code, 128 + SIGTERM);
  EXPECT_EQ(q.state("dddddddddddd")->status, RunStatus::cancelled);
  EXPECT_FALSE(fs::exists(dir / "run"));
  EXPECT_FALSE(fs::exists(dir / "queued"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(fs::exists(dir / "started"));
  EXPECT_FALSE(q.cancel("cccccccccccc"));  // over
  fs::remove_all(dir);
}

TEST(RunQueueTest, EventsAreNumberedAndTheEndComesFromTheExitStatus) {
  const fs::path dir = fresh_dir("events");
  RunQueue q;
  q.submit(shell_job("eeeeeeeeeeee", dir,
                     "echo '{\"type\":\"progress\",\"stage\":\"damage\",\"phase\":\"zonal\","
                     "\"done\":1,\"total\":4,\"fraction\":0.25}'; echo plain text; "
                     "echo '{\"type\":\"done\",\"status\":\"error\",\"exit_code\":3,"
                     "\"message\":\"mines.gpkg: no layer\"}'; exit 3"));
  ASSERT_TRUE(wait_for([&] { return ended(q, "eeeeeeeeeeee"); }));
  bool over = false;
  const auto events = q.events("eeeeeeeeeeee", 0, std::chrono::milliseconds(0), over);
  ASSERT_TRUE(events);
  EXPECT_TRUE(over);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].id, 1u);
  EXPECT_EQ((*events)[0].type, "progress");
  EXPECT_EQ(json::parse((*events)[0].data)["fraction"], 0.25);
  EXPECT_EQ((*events)[1].type, "log");
  EXPECT_EQ(json::parse((*events)[1].data)["message"], "plain text");
  EXPECT_EQ((*events)[2].id, 3u);
  EXPECT_EQ((*events)[2].type, "done");
  const json end = json::parse((*events)[2].data);
  EXPECT_EQ(end["status"], "error");
  EXPECT_EQ(end["exit_code"], 3);
  EXPECT_EQ(end["message"], "mines.gpkg: no layer");
  fs::remove_all(dir);
}

struct SseEvent {
  std::uint64_t id = 0;
  std::string type;
  json data;
};

// Reads the event stream of `run` (from after `last`, when given) to its end.
std::vector<SseEvent> read_events(httplib::Client& c, const std::string& run,
                                  const std::string& last = "") {
  std::string text;
  httplib::Headers headers;
  if (!last.empty()) headers.emplace("Last-Event-ID", last);
  auto r = c.Get(("/api/runs/" + run + "/events").c_str(), headers,
                 [&](const char* data, std::size_t size) {
                   text.append(data, size);
                   return true;
                 });
  EXPECT_TRUE(r);
  if (r) {
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  }
  std::vector<SseEvent> out;
  std::istringstream in(text);
  std::string line;
  SseEvent e;
  while (std::getline(in, line)) {
    if (line.rfind("id: ", 0) == 0) e.id = std::stoull(line.substr(4));
    if (line.rfind("event: ", 0) == 0) e.type = line.substr(7);
    if (line.rfind("data: ", 0) == 0) e.data = json::parse(line.substr(6));
    if (line.empty() && !e.type.empty()) {
      out.push_back(e);
      e = SseEvent{};
    }
  }
  return out;
}

#ifdef MC_CLI
// The synthetic demo world, its damage section only, run through the API: PUT config, POST run,
// events to done/ok, then values aligned to the model's ids.
TEST(ServerEndToEnd, DemoRunThroughTheApi) {
  const fs::path dir = fresh_dir("e2e");
  const fs::path demo = dir / "demo";
  const std::string synth = std::string(MC_CLI) + " --quiet synth --out " + demo.string();
  ASSERT_EQ(std::system(synth.c_str()), 0);

  // `run --check` on the whole demo project: exit 0, nothing computed or written; a typo in a
  // section name: exit 2 and, with --progress jsonl, [{line, section, key, message}].
  const std::string check = std::string(MC_CLI) + " run " + (demo / "project.toml").string() +
                            " --check --progress jsonl > " + (dir / "check.json").string() +
                            " 2> /dev/null";
  int exit_status = std::system(check.c_str());
  EXPECT_EQ(WEXITSTATUS(exit_status), 0);
  EXPECT_EQ(json::parse(slurp(dir / "check.json")), json::array());
  EXPECT_FALSE(fs::exists(demo / "results"));
  fs::copy_file(demo / "project.toml", dir / "project.toml.orig");
  {
    std::ofstream out(demo / "project.toml", std::ios::app);
    out << "\n[damage_typo]\nx = 1\n";
  }
  exit_status = std::system(check.c_str());
  EXPECT_EQ(WEXITSTATUS(exit_status), 2);
  const json problems = json::parse(slurp(dir / "check.json"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_GT(problems[0]["line"].get<int>(), 1);
  EXPECT_NE(problems[0]["message"].get<std::string>().find("damage_typo"), std::string::npos);
  fs::copy_file(dir / "project.toml.orig", demo / "project.toml",
                fs::copy_options::overwrite_existing);
  // The demo's project.toml with the [damage] section only (the other stages take longer).
  std::string config;
  {
    std::istringstream in(slurp(demo / "project.toml"));
    std::string line;
    bool keep = false;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] == '[') keep = line == "[damage]";
      if (keep) config += line + "\n";
      // The demo's damage takes NEP from its [nep] stage; the planted rasters are faster.
      if (line == "[damage]") config += "nep = \"nep/nep_{year}.tif\"\n";
    }
  }
  ASSERT_NE(config.find("[damage]"), std::string::npos);
  fs::remove(demo / "project.toml");
  { std::ofstream(demo / "project.json") << R"({"name":"demo"})"; }

  TestServer server(dir);
  auto c = server.client();
  const json projects = json::parse(c->Get("/api/projects")->body)["projects"];
  ASSERT_EQ(projects.size(), 1u);
  const std::string p = projects[0]["id"];
  EXPECT_EQ(projects[0]["name"], "demo");

  // A config with a wrong key: 422 with line, section and key; nothing saved.
  auto bad = c->Put(("/api/projects/" + p + "/config").c_str(), config + "ring_gap = 5\n",
                    "application/toml");
  ASSERT_EQ(bad->status, 422) << bad->body;
  const json problem = json::parse(bad->body)["errors"][0];
  EXPECT_EQ(problem["section"], "damage");
  EXPECT_EQ(problem["key"], "ring_gap");
  EXPECT_GT(problem["line"].get<int>(), 1);
  EXPECT_EQ(bad->body.find(dir.string()), std::string::npos);  // no server path
  EXPECT_FALSE(fs::exists(demo / "project.toml"));
  // A missing input: the data check of run --check, 422 too.
  auto missing = c->Put(("/api/projects/" + p + "/config").c_str(),
                        "[damage]\nmines = \"nowhere.gpkg\"\nnep = \"nep/nep_{year}.tif\"\n",
                        "application/toml");
  EXPECT_EQ(missing->status, 422) << missing->body;

  auto put = c->Put(("/api/projects/" + p + "/config").c_str(), config, "application/toml");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(slurp(demo / "project.toml"), config);

  auto posted = c->Post(("/api/projects/" + p + "/runs").c_str(), "{}", "application/json");
  ASSERT_EQ(posted->status, 202) << posted->body;
  const std::string run = json::parse(posted->body)["run_id"];
  EXPECT_TRUE(std::regex_match(run, std::regex("[a-z0-9]{12}")));

  const auto events = read_events(*c, run);
  ASSERT_FALSE(events.empty());
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_EQ(events[i].id, i + 1);
  EXPECT_EQ(events.back().type, "done");
  EXPECT_EQ(events.back().data["status"], "ok") << events.back().data.dump();
  EXPECT_EQ(events.back().data["exit_code"], 0);
  bool progress = false;
  for (const auto& e : events)
    if (e.type == "progress") {
      progress = true;
      EXPECT_GE(e.data["fraction"].get<double>(), 0.0);
      EXPECT_LE(e.data["fraction"].get<double>(), 1.0);
      EXPECT_LE(e.data["done"].get<std::size_t>(), e.data["total"].get<std::size_t>());
    }
  EXPECT_TRUE(progress);

  // Reconnect after event k: exactly events k+1 … end.
  const std::size_t k = events.size() / 2;
  const auto rest = read_events(*c, run, std::to_string(k));
  ASSERT_EQ(rest.size(), events.size() - k);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].id, events[k + i].id);
    EXPECT_EQ(rest[i].type, events[k + i].type);
    EXPECT_EQ(rest[i].data, events[k + i].data);
  }

  const json status = json::parse(c->Get(("/api/runs/" + run).c_str())->body);
  EXPECT_EQ(status["status"], "ok");
  EXPECT_EQ(status["exit_code"], 0);
  const json record = json::parse(slurp(demo / "runs" / run / "run.json"));
  EXPECT_EQ(record["status"], "ok");
  EXPECT_EQ(record["config"], config);
  EXPECT_EQ(record["version"], "test");

  // Values aligned to the model's ids, equal to the stage's own CSV.
  auto model_r = c->Get(("/api/runs/" + run + "/model").c_str());
  ASSERT_EQ(model_r->status, 200) << model_r->body;
  const json model = json::parse(model_r->body);
  const auto ids = model["mine_ids"];
  ASSERT_GT(ids.size(), 3u);
  std::string key, table;
  for (const auto& v : model["variables"])
    if (v["column"] == "nep_loss_last_gC_m2_yr") {
      key = v["key"];
      table = v["table"];
    }
  ASSERT_FALSE(key.empty());
  auto values_r = c->Get(("/api/runs/" + run + "/values?var=" + key).c_str());
  ASSERT_EQ(values_r->status, 200) << values_r->body;
  const json values = json::parse(values_r->body)["values"];
  ASSERT_EQ(values.size(), ids.size());
  // The same number in the per-mine detail.
  const std::string mine = ids[2];
  auto detail = c->Get(("/api/runs/" + run + "/mines/" + mine).c_str());
  ASSERT_EQ(detail->status, 200);
  EXPECT_EQ(json::parse(detail->body)["attributes"][key], values[2]);
  EXPECT_EQ(c->Get(("/api/runs/" + run + "/mines/no-such-mine").c_str())->status, 404);
  EXPECT_EQ(c->Get(("/api/runs/" + run + "/values?var=nope").c_str())->status, 404);
  // Against the stage's CSV.
  const fs::path csv = demo / "runs" / run / "tables" / (table + ".csv");
  ASSERT_TRUE(fs::exists(csv)) << csv;
  {
    std::istringstream in(slurp(csv));
    std::string header, row;
    std::getline(in, header);
    std::vector<std::string> columns;
    {
      std::istringstream h(header);
      std::string col;
      while (std::getline(h, col, ','))
        columns.push_back(col);
    }
    const auto at = std::find(columns.begin(), columns.end(), "nep_loss_last_gC_m2_yr");
    ASSERT_NE(at, columns.end());
    std::map<std::string, std::string> by_id;
    while (std::getline(in, row)) {
      std::vector<std::string> cells;
      std::istringstream r(row);
      std::string cell;
      while (std::getline(r, cell, ','))
        cells.push_back(cell);
      if (cells.size() > static_cast<std::size_t>(at - columns.begin()))
        by_id[cells[0]] = cells[at - columns.begin()];
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string text = by_id[ids[i].get<std::string>()];
      if (text.empty() || text == "NA")
        EXPECT_TRUE(values[i].is_null());
      else
        EXPECT_DOUBLE_EQ(values[i].get<double>(), std::stod(text)) << ids[i];
    }
  }

  // Map tiles: the bytes served are the run's own MineTiles encoding (web/mine_tiles.h); a revisit
  // with the ETag is a 304, a tile without mines a 204, beyond z 16 or an unknown layer a 404.
  {
    const MineTiles tiles = MineTiles::from_model(report::load_report_model(demo / "runs" / run));
    const std::string base = "/api/runs/" + run + "/tiles/";
    auto world = c->Get((base + "mine_points/0/0/0.mvt").c_str());
    ASSERT_EQ(world->status, 200) << world->body;
    EXPECT_EQ(world->body, *tiles.tile(TileLayer::mine_points, 0, 0, 0));
    EXPECT_EQ(world->get_header_value("Content-Type"), "application/vnd.mapbox-vector-tile");
    const std::string etag = world->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(
        c->Get((base + "mine_points/0/0/0.mvt").c_str(), httplib::Headers{{"If-None-Match", etag}})
            ->status,
        304);
    // The demo lies around 110.2°E, 35°N: z 4 tile x = ⌊(110.2 + 180)/360 · 16⌋ = 12, y = 6.
    auto outlines = c->Get((base + "mines/4/12/6.mvt").c_str());
    ASSERT_EQ(outlines->status, 200);
    EXPECT_EQ(outlines->body, *tiles.tile(TileLayer::mines, 4, 12, 6));
    EXPECT_EQ(c->Get((base + "mines/4/0/0.mvt").c_str())->status, 204);
    EXPECT_EQ(c->Get((base + "mines/17/0/0.mvt").c_str())->status, 404);
    EXPECT_EQ(c->Get((base + "mines/4/16/0.mvt").c_str())->status, 404);
    EXPECT_EQ(c->Get((base + "roads/4/12/6.mvt").c_str())->status, 404);
  }

  // Compare a run with itself: A − B is 0 for every mine.
  auto cmp = c->Get(("/api/compare?a=" + run + "&b=" + run + "&var=" + key).c_str());
  ASSERT_EQ(cmp->status, 200) << cmp->body;
  const json compared = json::parse(cmp->body);
  ASSERT_EQ(compared["mines"].size(), ids.size());
  for (const auto& m : compared["mines"])
    if (!m["diff"].is_null()) {
      EXPECT_EQ(m["diff"], 0.0);
    }
  EXPECT_EQ(compared["totals"]["diff"], 0.0);

  // The run's files are downloads, with Content-Disposition: attachment.
  ASSERT_FALSE(status["files"].empty());
  const std::string file_id = status["files"][0]["id"];
  auto file = c->Get(("/api/runs/" + run + "/files/" + file_id).c_str());
  ASSERT_EQ(file->status, 200);
  EXPECT_EQ(file->get_header_value("Content-Disposition").rfind("attachment; filename=", 0), 0u);
  EXPECT_EQ(c->Get(("/api/runs/" + run + "/files/aaaaaaaaaaaa").c_str())->status, 404);

  // Deleting a finished run removes its folder.
  EXPECT_EQ(c->Delete(("/api/runs/" + run).c_str())->status, 200);
  EXPECT_FALSE(fs::exists(demo / "runs" / run));
}

// Cancel through the API: the run's folder is gone.
TEST(ServerEndToEnd, CancelThroughTheApiLeavesNoRunFolder) {
  const fs::path dir = fresh_dir("cancel_api");
  fs::create_directories(dir / "p");
  // A fake program standing in for minecarbon: it waits until killed.
  const fs::path fake = dir / "fake-minecarbon";
  {
    std::ofstream(fake) << "#!/bin/sh\necho '{\"type\":\"log\",\"message\":\"started\"}'\n"
                           "sleep 30 & wait\n";
  }
  fs::permissions(fake, fs::perms::owner_all);
  { std::ofstream(dir / "p" / "project.toml") << "[damage]\n"; }
  ServeOptions o;
  o.executable = fake.string();
  TestServer server(dir, o);
  server.platform();
  auto c = server.client();
  const std::string p = json::parse(c->Get("/api/projects")->body)["projects"][0]["id"];
  const std::string first = json::parse(
      c->Post(("/api/projects/" + p + "/runs").c_str(), "{}", "application/json")->body)["run_id"];
  const std::string second = json::parse(
      c->Post(("/api/projects/" + p + "/runs").c_str(), "{}", "application/json")->body)["run_id"];
  ASSERT_TRUE(wait_for([&] {
    return json::parse(c->Get(("/api/runs/" + first).c_str())->body)["status"] == "running";
  }));
  EXPECT_EQ(json::parse(c->Get(("/api/runs/" + second).c_str())->body)["status"], "queued");
  EXPECT_TRUE(fs::exists(dir / "p" / "runs" / first));
  EXPECT_EQ(c->Delete(("/api/runs/" + first).c_str())->status, 202);
  EXPECT_EQ(c->Delete(("/api/runs/" + second).c_str())->status, 202);
  const auto events = read_events(*c, first);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "done");
  EXPECT_EQ(events.back().data["status"], "cancelled");
  // A cancel is accepted (202), not finished: the queue may already have started the second run
  // when its DELETE arrived, and then the folder goes only once that child is gone. Its done event
  // is the moment to look.
  const auto second_events = read_events(*c, second);
  ASSERT_FALSE(second_events.empty());
  EXPECT_EQ(second_events.back().type, "done");
  EXPECT_EQ(second_events.back().data["status"], "cancelled");
  EXPECT_FALSE(fs::exists(dir / "p" / "runs" / first));
  EXPECT_FALSE(fs::exists(dir / "p" / "runs" / second));
  EXPECT_EQ(c->Get(("/api/runs/" + first).c_str())->status, 404);
}
#endif

}  // namespace
}  // namespace minecarbon::web::test
