// The server's web app and the API parts it needs: the embedded assets at / (Content-Type, CSP,
// ETag/304, gzip), values with a scenario dimension, and downloads sent in pieces.
#include <sys/wait.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>

#include "minecarbon/report/web_assets.h"
#include "minecarbon/web/app_assets.h"
#include "test_server_fixture.h"

namespace minecarbon::web::test {
namespace {

std::string gunzip(const std::string& data) {
  z_stream z{};
  inflateInit2(&z, 16 + MAX_WBITS);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "<bad gzip>";
}

#ifdef MC_CLI
// -DMINECARBON_WEB=OFF: `serve` exits 2 with the reason before it binds anything. (With the web
// app built, the ServeCli tests cover the command line.)
TEST(ServerApp, WithoutWebAssetsServeExitsTwoWithTheReason) {
  if (!app_assets().empty()) GTEST_SKIP() << "this build has the web app (MINECARBON_WEB=ON)";
  const fs::path dir = fresh_dir("no_assets");
  const std::string command = std::string(MC_CLI) + " serve " + dir.string() +
                              " --port 0 > /dev/null 2> " + (dir / "err").string() + " < /dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(slurp(dir / "err").find(report::kNoWebAssetsMessage), std::string::npos);
  fs::remove_all(dir);
}
#endif

TEST(ServerApp, TheEmbeddedAppIsServedWithTypesCspAndEtags) {
  TestServer server(fresh_dir("app"));
  auto c = server.client();
  c->set_decompress(false);
  if (app_assets().empty()) {
    // -DMINECARBON_WEB=OFF: no page, and the reason (`serve` itself exits 2 before this).
    auto r = c->Get("/");
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(r->body.find(report::kNoWebAssetsMessage), std::string::npos) << r->body;
    return;
  }
  ASSERT_NE(find_app_asset("/"), nullptr);
  std::size_t scripts = 0, workers = 0;
  for (const AppAsset& a : app_assets()) {
    auto r = c->Get(std::string(a.path).c_str());
    ASSERT_EQ(r->status, 200) << a.path;
    EXPECT_EQ(r->get_header_value("Content-Type"), a.content_type) << a.path;
    EXPECT_EQ(r->body, a.raw) << a.path;  // no Accept-Encoding: the bytes as built
    EXPECT_EQ(r->get_header_value("Content-Security-Policy"),
              "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; "
              "connect-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_TRUE(r->get_header_value("Access-Control-Allow-Origin").empty());
    const std::string etag = r->get_header_value("ETag");
    EXPECT_EQ(etag, a.etag);
    EXPECT_EQ(
        c->Get(std::string(a.path).c_str(), httplib::Headers{{"If-None-Match", etag}})->status,
        304);
    // gzip'd at build time; never compressed a second time by the HTTP layer.
    auto z = c->Get(std::string(a.path).c_str(), httplib::Headers{{"Accept-Encoding", "gzip"}});
    if (!a.gzip.empty()) {
      EXPECT_EQ(z->get_header_value("Content-Encoding"), "gzip") << a.path;
      EXPECT_EQ(gunzip(z->body), a.raw) << a.path;
    }
    // The page is revalidated on each visit; a content-hashed chunk is kept.
    EXPECT_EQ(r->get_header_value("Cache-Control"),
              a.path == "/" ? "private, no-cache" : "private, max-age=31536000, immutable");
    if (a.content_type.starts_with("text/javascript")) ++scripts;
    if (a.path.find("worker") != std::string_view::npos) ++workers;
  }
  EXPECT_GE(scripts, 2u);  // chunks, not one inlined file
  EXPECT_EQ(workers, 1u);  // MapLibre's worker: a same-origin asset
  // The page loads its scripts from /assets/, which all exist.
  const std::string page(find_app_asset("/")->raw);
  std::size_t at = 0, referenced = 0;
  while ((at = page.find("/assets/", at)) != std::string::npos) {
    const std::size_t end = page.find('"', at);
    EXPECT_NE(find_app_asset(page.substr(at, end - at)), nullptr) << page.substr(at, end - at);
    at = end;
    ++referenced;
  }
  EXPECT_GE(referenced, 2u);
  // Without the token, no page; unknown assets are 404; nothing outside /assets/ is a file.
  EXPECT_EQ(server.client(false)->Get("/")->status, 401);
  EXPECT_EQ(c->Get("/assets/nope.js")->status, 404);
  EXPECT_EQ(c->Get("/assets/../api/health")->status, 404);
}

// A results folder made by hand: damage's per-mine table and soil's per-scenario tables (the
// model reads the stages' CSV tables), shown as the project's imported run, with a manifest.
fs::path scenario_workspace() {
  const fs::path dir = fresh_dir("scenario");
  std::ofstream(dir / "project.toml") << "[project]\nout = \"results\"\n";
  const fs::path results = dir / "results";
  fs::create_directories(results / "damage" / "tables");
  fs::create_directories(results / "soil" / "tables");
  std::ofstream(results / "damage" / "summary.json") << R"({"stage": "damage"})";
  std::ofstream(results / "damage" / "tables" / "mines.csv")
      << "mine_id,status,nep_loss_last_gC_m2_yr\nA,ok,1.5\nB,ok,-2\nC,ok,NA\n";
  std::ofstream(results / "soil" / "summary.json") << R"({"stage": "soil"})";
  std::ofstream(results / "soil" / "tables" / "scenarios.csv")
      << "mine_id,scenario,first_year,last_year,soc_start_tC_ha,soc_end_tC_ha\n"
         "A,bau,2020,2040,30,28\nB,bau,2020,2040,40,39.5\n"
         "A,restore,2020,2040,30,45.25\nB,restore,2020,2040,40,NA\nZ,restore,2020,2040,1,2\n";
  std::ofstream(results / "soil" / "tables" / "scenario_years.csv")
      << "mine_id,scenario,year,soc_tC_ha\n"
         "A,bau,2020,30\nA,bau,2030,29\nB,bau,2030,39.75\nA,restore,2030,38\n";
  // A large file to download: 3 MiB of a known pattern.
  {
    std::ofstream big(results / "soil" / "big.bin", std::ios::binary);
    for (int i = 0; i < 3 * 1024 * 1024; ++i)
      big.put(static_cast<char>((i * 7 + i / 65536) & 0xff));
  }
  std::ofstream(results / ".minecarbon-manifest")
      << "damage/tables/mines.csv\nsoil/big.bin\nsoil/tables/scenarios.csv\n";
  return dir;
}

TEST(ServerApp, ValuesServeAScenarioAlignedToTheModel) {
  TestServer server(scenario_workspace());
  auto c = server.client();
  const json projects = json::parse(c->Get("/api/projects")->body)["projects"];
  ASSERT_EQ(projects.size(), 1u);
  const json project =
      json::parse(c->Get(("/api/projects/" + projects[0]["id"].get<std::string>()).c_str())->body);
  ASSERT_EQ(project["runs"].size(), 1u);
  const std::string run = project["runs"][0]["id"];
  auto model_r = c->Get(("/api/runs/" + run + "/model").c_str());
  ASSERT_EQ(model_r->status, 200) << model_r->body;
  const json model = json::parse(model_r->body);
  ASSERT_EQ(model["mine_ids"], json({"A", "B", "C"}));
  // Per-mine values come with the model; no geometry: no points, no bounds.
  EXPECT_EQ(model["attributes"]["damage.mines.nep_loss_last_gC_m2_yr"], json({1.5, -2.0, nullptr}));
  EXPECT_EQ(model["points"], json({nullptr, nullptr, nullptr}));
  EXPECT_EQ(model["meta"]["format"], "minecarbon-report");
  EXPECT_EQ(model_r->body.find(server.dir().string()), std::string::npos);  // no server path
  // The variables with scenarios: the numeric columns of the two soil tables.
  std::map<std::string, json> by_key;
  for (const auto& v : model["scenario_variables"])
    by_key[v["key"]] = v;
  ASSERT_TRUE(by_key.count("soil.scenarios.soc_end_tC_ha"));
  EXPECT_EQ(by_key["soil.scenarios.soc_end_tC_ha"]["scenarios"], json({"bau", "restore"}));
  EXPECT_TRUE(by_key["soil.scenarios.soc_end_tC_ha"]["years"].is_null());
  EXPECT_EQ(by_key["soil.scenario_years.soc_tC_ha"]["years"], json({2020, 2030}));
  EXPECT_FALSE(by_key.count("soil.scenarios.scenario"));

  const std::string base = "/api/runs/" + run + "/values?var=";
  auto get = [&](const std::string& q) { return c->Get((base + q).c_str()); };
  // Per mine of the model (A, B, C); C has no row, B's restore is NA, Z is no mine of the model.
  auto restore = get("soil.scenarios.soc_end_tC_ha&scenario=restore");
  ASSERT_EQ(restore->status, 200) << restore->body;
  EXPECT_EQ(json::parse(restore->body)["values"], json({45.25, nullptr, nullptr}));
  EXPECT_EQ(json::parse(restore->body)["unit"], "t C ha⁻¹");
  EXPECT_EQ(json::parse(get("soil.scenarios.soc_end_tC_ha&scenario=bau")->body)["values"],
            json({28.0, 39.5, nullptr}));
  auto y2030 = get("soil.scenario_years.soc_tC_ha&scenario=bau&year=2030");
  ASSERT_EQ(y2030->status, 200) << y2030->body;
  EXPECT_EQ(json::parse(y2030->body)["values"], json({29.0, 39.75, nullptr}));
  EXPECT_EQ(json::parse(y2030->body)["year"], 2030);
  // Errors name the field.
  const auto field = [](const httplib::Result& r) {
    return json::parse(r->body)["error"]["field"].get<std::string>();
  };
  auto no_year = get("soil.scenario_years.soc_tC_ha&scenario=bau");
  EXPECT_EQ(no_year->status, 422);
  EXPECT_EQ(field(no_year), "year");
  EXPECT_EQ(get("soil.scenario_years.soc_tC_ha&scenario=bau&year=2031")->status, 422);
  EXPECT_EQ(get("soil.scenarios.soc_end_tC_ha&scenario=bau&year=2030")->status, 422);
  auto unknown = get("soil.scenarios.soc_end_tC_ha&scenario=nope");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(field(unknown), "scenario");
  EXPECT_NE(unknown->body.find("bau, restore"), std::string::npos) << unknown->body;
  // A variable without scenarios, asked for one: 422; no such variable: 404.
  EXPECT_EQ(get("damage.mines.nep_loss_last_gC_m2_yr&scenario=bau")->status, 422);
  EXPECT_EQ(get("soil.nothing.x&scenario=bau")->status, 404);
  // Without scenario= the variable is served as before.
  EXPECT_EQ(json::parse(get("damage.mines.nep_loss_last_gC_m2_yr")->body)["values"],
            json({1.5, -2.0, nullptr}));
}

TEST(ServerApp, DownloadsAreTheFilesBytesWithTheirLength) {
  TestServer server(scenario_workspace());
  auto c = server.client();
  c->set_decompress(false);
  const std::string project = json::parse(c->Get("/api/projects")->body)["projects"][0]["id"];
  const json runs = json::parse(c->Get(("/api/projects/" + project).c_str())->body)["runs"];
  const std::string run = runs[0]["id"];
  std::map<std::string, std::string> ids;
  for (const auto& f : runs[0]["files"])
    ids[f["name"]] = f["id"];
  ASSERT_EQ(ids.size(), 3u);
  const std::string big = slurp(server.dir() / "results" / "soil" / "big.bin");
  ASSERT_EQ(big.size(), 3u << 20);
  auto r = c->Get(("/api/runs/" + run + "/files/" + ids["soil/big.bin"]).c_str(),
                  httplib::Headers{{"Accept-Encoding", "gzip, br"}});
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(big.size()));
  EXPECT_TRUE(r->get_header_value("Content-Encoding").empty());
  EXPECT_EQ(r->body, big);
  EXPECT_EQ(r->get_header_value("Content-Disposition"), "attachment; filename=\"big.bin\"");
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/octet-stream");
  auto csv = c->Get(("/api/runs/" + run + "/files/" + ids["soil/tables/scenarios.csv"]).c_str());
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body, slurp(server.dir() / "results" / "soil" / "tables" / "scenarios.csv"));
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  // Listed but gone: 404, no path in the answer.
  fs::remove(server.dir() / "results" / "damage" / "tables" / "mines.csv");
  auto gone = c->Get(("/api/runs/" + run + "/files/" + ids["damage/tables/mines.csv"]).c_str());
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(gone->body.find(server.dir().string()), std::string::npos);
}

}  // namespace
}  // namespace minecarbon::web::test
