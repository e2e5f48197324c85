// One test per security item of the server (docs/serve.md), each with the exact status code.
#include "test_server_fixture.h"

namespace minecarbon::web::test {
namespace {

class ServerSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    ServeOptions o;
    o.max_upload_bytes = 64 << 10;
    o.allow_hosts = {"mc.example"};
    server_ = std::make_unique<TestServer>(fresh_dir("security"), o);
  }
  TestServer& server() { return *server_; }
  httplib::Headers own_origin() const { return {{"Origin", server_->origin()}}; }

  std::unique_ptr<TestServer> server_;
};

// 1. The loopback bind is the default; a non-loopback host needs a token (CLI test, see
//    test_server_cli.cpp). Here: the server answers on 127.0.0.1 at the port it reported.
TEST_F(ServerSecurity, HealthNeedsNoTokenButEverythingElseDoes) {
  auto anonymous = server().client(false);
  auto health = anonymous->Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body)["version"], "test");
  auto projects = anonymous->Get("/api/projects");
  ASSERT_TRUE(projects);
  EXPECT_EQ(projects->status, 401);
  EXPECT_EQ(json::parse(projects->body)["error"]["code"], "unauthorized");
  EXPECT_EQ(anonymous->Get("/")->status, 401);
}

// 2. Token: Bearer, wrong Bearer, ?token= exchanged for an HttpOnly SameSite=Strict cookie.
TEST_F(ServerSecurity, TokenBearerQueryAndCookie) {
  EXPECT_EQ(server().client()->Get("/api/projects")->status, 200);
  auto wrong = server().client(false);
  wrong->set_bearer_token_auth(kToken + "x");
  EXPECT_EQ(wrong->Get("/api/projects")->status, 401);
  wrong->set_bearer_token_auth(kToken.substr(0, kToken.size() - 1) + "X");  // same length
  EXPECT_EQ(wrong->Get("/api/projects")->status, 401);

  auto browser = server().client(false);
  auto first = browser->Get(("/?token=" + kToken).c_str());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 303);
  EXPECT_EQ(first->get_header_value("Location"), "/");
  const std::string cookie = first->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("mc_token=" + kToken), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(browser->Get("/?token=wrong")->status, 401);
  auto page = browser->Get("/", {{"Cookie", "mc_token=" + kToken}});
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(browser->Get("/api/projects", {{"Cookie", "mc_token=nope"}})->status, 401);
}

// 3. Host check against DNS rebinding: 421 for another name, the loopback names and
//    --allow-host pass.
TEST_F(ServerSecurity, HostCheck) {
  auto c = server().client();
  const std::string port = std::to_string(server().port());
  EXPECT_EQ(c->Get("/api/projects", {{"Host", "evil.example:" + port}})->status, 421);
  EXPECT_EQ(c->Get("/api/health", {{"Host", "evil.example:" + port}})->status, 421);
  EXPECT_EQ(c->Get("/api/projects", {{"Host", "127.0.0.1:1"}})->status, 421);  // wrong port
  EXPECT_EQ(c->Get("/api/projects", {{"Host", "localhost:" + port}})->status, 200);
  EXPECT_EQ(c->Get("/api/projects", {{"Host", "[::1]:" + port}})->status, 200);
  EXPECT_EQ(c->Get("/api/projects", {{"Host", "mc.example"}})->status, 200);
  EXPECT_EQ(c->Get("/api/projects", {{"Host", "mc.example:" + port}})->status, 200);
}

// 4. CSRF: a write needs the server's own Origin, or a Bearer header when there is none.
TEST_F(ServerSecurity, CsrfOriginAndBearer) {
  auto cookie_only = server().client(false);
  const httplib::Headers cookie = {{"Cookie", "mc_token=" + kToken}};
  const std::string body = R"({"name": "a"})";
  EXPECT_EQ(cookie_only->Post("/api/projects", cookie, body, "application/json")->status, 403);
  httplib::Headers evil = cookie;
  evil.emplace("Origin", "http://evil.example");
  EXPECT_EQ(cookie_only->Post("/api/projects", evil, body, "application/json")->status, 403);
  httplib::Headers own = cookie;
  own.emplace("Origin", server().origin());
  EXPECT_EQ(cookie_only->Post("/api/projects", own, body, "application/json")->status, 201);
  // A Bearer caller from another origin is still refused: the Origin decides when present.
  EXPECT_EQ(
      server()
          .client()
          ->Post("/api/projects", {{"Origin", "http://evil.example"}}, body, "application/json")
          ->status,
      403);
  EXPECT_EQ(server().client()->Post("/api/projects", body, "application/json")->status, 201);
  // No CORS header, ever.
  auto r = server().client()->Get("/api/projects", {{"Origin", "http://evil.example"}});
  EXPECT_FALSE(r->has_header("Access-Control-Allow-Origin"));
}

// 4b. Content types: form and text/plain posts are refused with 415.
TEST_F(ServerSecurity, ContentTypes) {
  auto c = server().client();
  const std::string body = R"({"name": "a"})";
  EXPECT_EQ(c->Post("/api/projects", body, "text/plain")->status, 415);
  EXPECT_EQ(c->Post("/api/projects", "name=a", "application/x-www-form-urlencoded")->status, 415);
  EXPECT_EQ(c->Post("/api/projects", body, "application/json; charset=utf-8")->status, 201);
  const std::string id =
      json::parse(c->Post("/api/projects", body, "application/json")->body)["id"];
  EXPECT_EQ(
      c->Put(("/api/projects/" + id + "/config").c_str(), "[damage]\n", "application/json")->status,
      415);
  EXPECT_EQ(c->Post(("/api/projects/" + id + "/inputs").c_str(), "x", "application/json")->status,
            415);
}

// 5. Sizes: Content-Length over the cap is 413 before the body is read; a chunked body is
//    counted while streaming; an upload over --max-upload-mb leaves no file.
TEST_F(ServerSecurity, SizeCaps) {
  const std::string host = server().host();
  const std::string headers_only =
      "POST /api/projects HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + kToken +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string((1 << 20) + 1) +
      "\r\n\r\n";
  EXPECT_EQ(raw_status(server().port(), headers_only), 413);

  auto c = server().client();
  const std::string big(2 << 20, ' ');
  std::size_t sent = 0;
  auto chunked = c->Post(
      "/api/projects",
      [&](std::size_t, httplib::DataSink& sink) {
        const std::size_t n = std::min<std::size_t>(64 << 10, big.size() - sent);
        sink.write(big.data() + sent, n);
        sent += n;
        if (sent == big.size()) sink.done();
        return true;
      },
      "application/json");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413);

  const std::string id =
      json::parse(c->Post("/api/projects", R"({"name":"p"})", "application/json")->body)["id"];
  const fs::path inputs = server().dir() / id / "inputs";
  // A multipart upload of 200 KiB, chunked, against a cap of 64 KiB.
  const std::string boundary = "mcboundary42";
  std::string multipart = "--" + boundary +
                          "\r\nContent-Disposition: form-data; name=\"file\"; "
                          "filename=\"big.geojson\"\r\nContent-Type: application/geo+json\r\n\r\n" +
                          std::string(200 << 10, 'x') + "\r\n--" + boundary + "--\r\n";
  sent = 0;
  auto upload = c->Post(("/api/projects/" + id + "/inputs").c_str(),
                        [&](std::size_t, httplib::DataSink& sink) {
                          const std::size_t n =
                              std::min<std::size_t>(16 << 10, multipart.size() - sent);
                          sink.write(multipart.data() + sent, n);
                          sent += n;
                          if (sent == multipart.size()) sink.done();
                          return true;
                        },
                        "multipart/form-data; boundary=" + boundary);
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload->status, 413);
  EXPECT_EQ(count_files(inputs), 0u);
  // With Content-Length over the cap: 413 before a byte of the body is read (none is sent).
  const std::string upload_headers =
      "POST /api/projects/" + id + "/inputs HTTP/1.1\r\nHost: " + host +
      "\r\nAuthorization: Bearer " + kToken +
      "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
      "\r\nContent-Length: " + std::to_string(multipart.size()) + "\r\n\r\n";
  EXPECT_EQ(raw_status(server().port(), upload_headers), 413);
  EXPECT_EQ(count_files(inputs), 0u);
}

// 6. Paths: a config string or a query value that is absolute, has "..", or starts with /vsi or
//    PG: is refused with 422 naming the key; a multipart file name is metadata only.
TEST_F(ServerSecurity, PathStringsAreRefused) {
  auto c = server().client();
  const std::string id =
      json::parse(c->Post("/api/projects", R"({"name":"p"})", "application/json")->body)["id"];
  const std::string url = "/api/projects/" + id + "/config";
  for (const std::string bad :
       {"/etc/passwd", "../other/mines.gpkg", "/vsicurl/http://x/a.tif", "PG:dbname=x"}) {
    auto r = c->Put(url.c_str(), "[damage]\nmines = \"" + bad + "\"\n", "application/toml");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << bad;
    const json body = json::parse(r->body);
    EXPECT_EQ(body["errors"][0]["key"], "mines") << bad;
    EXPECT_EQ(body["errors"][0]["section"], "damage");
    EXPECT_EQ(body["errors"][0]["line"], 2);
    EXPECT_FALSE(fs::exists(server().dir() / id / "project.toml"));
  }
  auto q = c->Get("/api/compare?a=aaaaaaaaaaaa&b=bbbbbbbbbbbb&var=../../etc/passwd");
  EXPECT_EQ(q->status, 422);
  EXPECT_EQ(json::parse(q->body)["error"]["field"], "var");
  // Ids are [a-z0-9]{12}: anything else is no route.
  EXPECT_EQ(c->Get("/api/runs/..%2F..%2Fetc/model")->status, 404);
  EXPECT_EQ(c->Get("/api/projects/ABCDEFGHIJKL")->status, 404);
  // The file name of an upload only picks its kind; the file is stored under a server id.
  httplib::MultipartFormDataItems items = {
      {"file",
       R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
       R"("geometry":{"type":"Point","coordinates":[1,2]}}]})",
       "../../escape.geojson", "application/geo+json"}};
  auto up = c->Post(("/api/projects/" + id + "/inputs").c_str(), items);
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 201) << up->body;
  const json input = json::parse(up->body);
  EXPECT_EQ(input["name"], "escape.geojson");
  EXPECT_EQ(input["driver"], "GeoJSON");
  EXPECT_EQ(input["features"], 1);
  EXPECT_TRUE(
      fs::exists(server().dir() / id / "inputs" / (input["id"].get<std::string>() + ".geojson")));
  EXPECT_FALSE(fs::exists(server().dir() / "escape.geojson"));
  EXPECT_FALSE(fs::exists(server().dir().parent_path() / "escape.geojson"));
}

// 6b. Uploads GDAL cannot open as the kind their extension names, or of another kind: 422 and
//     nothing kept.
TEST_F(ServerSecurity, UnreadableUploadsAreNotKept) {
  auto c = server().client();
  const std::string id =
      json::parse(c->Post("/api/projects", R"({"name":"p"})", "application/json")->body)["id"];
  const std::string url = "/api/projects/" + id + "/inputs";
  for (const auto& [name, content] :
       std::vector<std::pair<std::string, std::string>>{{"notes.txt", "hello"},
                                                        {"mines.geojson", "not json at all"},
                                                        {"dem.tif", "II*\0garbage"},
                                                        {"shapes.zip", "PK not a zip"}}) {
    auto r = c->Post(url.c_str(), httplib::MultipartFormDataItems{{"file", content, name, ""}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << name << " " << r->body;
    EXPECT_EQ(json::parse(r->body)["error"]["field"], "file");
    EXPECT_EQ(count_files(server().dir() / id / "inputs"), 0u) << name;
  }
}

// 8. Headers: CSP, nosniff, no-referrer on every response, no-store on the API, and an explicit
//    Content-Type even on errors.
TEST_F(ServerSecurity, ResponseHeaders) {
  auto c = server().client();
  for (const char* path : {"/api/projects", "/api/runs/aaaaaaaaaaaa", "/nowhere", "/"}) {
    auto r = c->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("Content-Security-Policy"),
              "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; "
              "connect-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
        << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer") << path;
    EXPECT_FALSE(r->get_header_value("Content-Type").empty()) << path;
  }
  auto api = c->Get("/api/projects");
  EXPECT_EQ(api->get_header_value("Cache-Control"), "no-store");
  auto missing = c->Get("/api/runs/aaaaaaaaaaaa");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(missing->body)["error"]["field"], "run");
  // No absolute server path in an error.
  EXPECT_EQ(missing->body.find(server().dir().string()), std::string::npos);
}

// 9. --read-only refuses every write with 405.
TEST(ServerReadOnly, EveryWriteIs405) {
  ServeOptions o;
  o.read_only = true;
  const fs::path dir = fresh_dir("readonly");
  fs::create_directories(dir / "p");
  { std::ofstream(dir / "p" / "project.json") << R"({"name":"p"})"; }
  TestServer server(dir, o);
  auto c = server.client();
  auto list = c->Get("/api/projects");
  ASSERT_EQ(list->status, 200);
  const std::string id = json::parse(list->body)["projects"][0]["id"];
  EXPECT_EQ(c->Post("/api/projects", R"({"name":"q"})", "application/json")->status, 405);
  EXPECT_EQ(
      c->Put(("/api/projects/" + id + "/config").c_str(), "[damage]\n", "application/toml")->status,
      405);
  EXPECT_EQ(c->Post(("/api/projects/" + id + "/runs").c_str(), "{}", "application/json")->status,
            405);
  EXPECT_EQ(c->Delete(("/api/projects/" + id).c_str())->status, 405);
  EXPECT_TRUE(fs::exists(dir / "p" / "project.json"));
}

}  // namespace
}  // namespace minecarbon::web::test
