#include "minecarbon/web/api.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/report/display_geometry.h"
#include "minecarbon/report/html_report.h"
#include "minecarbon/report/model_json.h"
#include "minecarbon/report/report_model.h"
#include "minecarbon/report/web_assets.h"
#include "minecarbon/web/app_assets.h"
#include "minecarbon/web/config_check.h"
#include "minecarbon/web/mine_tiles.h"
#include "minecarbon/web/run_queue.h"
#include "minecarbon/web/security.h"
#include "minecarbon/web/server.h"
#include "minecarbon/web/tile_cache.h"
#include "minecarbon/web/workspace.h"

namespace minecarbon::web {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kId = "([a-z0-9]{12})";

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json number_or_null(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

// What the server keeps per run (its report model, tile index, model JSON), keyed by
// Platform::Impl::cache_key. Loading happens outside the lock, so two requests for a run not yet
// loaded may both load it; the first stored wins. Past `capacity` runs the one stored first goes.
template <class T>
class RunCache {
 public:
  explicit RunCache(std::size_t capacity) : capacity_(capacity) {}

  template <class Load>
  std::shared_ptr<const T> get(const std::string& key, Load&& load) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = items_.find(key); it != items_.end()) return it->second;
    }
    auto loaded = std::make_shared<const T>(load());
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = items_.find(key); it != items_.end()) return it->second;
    if (items_.size() >= capacity_) {
      items_.erase(order_.front());
      order_.pop_front();
    }
    items_.emplace(key, loaded);
    order_.push_back(key);
    return loaded;
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const T>> items_;
  std::deque<std::string> order_;  // keys, oldest first
};

// Runs whose model, tiles and model JSON stay loaded.
constexpr std::size_t kCachedRuns = 8;

std::string content_type_of(const std::string& name) {
  static const std::map<std::string, std::string> types = {
      {".csv", "text/csv; charset=utf-8"},
      {".json", "application/json"},
      {".html", "text/html; charset=utf-8"},
      {".gpkg", "application/geopackage+sqlite3"},
      {".tif", "image/tiff"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".md", "text/markdown; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".toml", "application/toml"}};
  const auto it = types.find(fs::path(name).extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

// A file name safe inside a quoted Content-Disposition parameter.
std::string attachment_name(const std::string& relative) {
  std::string name;
  for (char c : fs::path(relative).filename().string())
    name += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  return name;
}

// The kinds of upload accepted: extension (lower case) → GDAL driver.
struct UploadKind {
  const char* ext;
  const char* driver;
};
constexpr UploadKind kUploadKinds[] = {
    {"gpkg", "GPKG"},  {"geojson", "GeoJSON"}, {"json", "GeoJSON"},      {"tif", "GTiff"},
    {"tiff", "GTiff"}, {"csv", "CSV"},         {"zip", "ESRI Shapefile"}};

const UploadKind* upload_kind(const std::string& filename) {
  std::string ext = fs::path(filename).extension().string();
  if (!ext.empty()) ext = ext.substr(1);
  for (auto& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& k : kUploadKinds)
    if (ext == k.ext) return &k;
  return nullptr;
}

std::string crs_text(const OGRSpatialReference* srs) {
  if (!srs) return "";
  const char* name = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (name && code) return std::string(name) + ":" + code;
  const char* label = srs->GetName();
  return label ? label : "";
}

// Opens `path` with only the driver its kind allows; nullopt when that fails. The metadata of an
// input: driver, CRS and feature count (vector layers) or raster size.
std::optional<json> input_metadata(const fs::path& path, const UploadKind& kind) {
  GDALAllRegister();
  const std::string ext = path.extension().string();
  const std::string open_path = ext == ".zip" ? "/vsizip/" + path.string() : path.string();
  const char* drivers[] = {kind.driver, nullptr};
  std::unique_ptr<GDALDataset> ds(GDALDataset::FromHandle(
      GDALOpenEx(open_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_READONLY, drivers,
                 nullptr, nullptr)));
  if (!ds) return std::nullopt;
  json meta = {{"driver", kind.driver}};
  if (ds->GetRasterCount() > 0) {
    meta["width"] = ds->GetRasterXSize();
    meta["height"] = ds->GetRasterYSize();
    meta["bands"] = ds->GetRasterCount();
    meta["crs"] = crs_text(ds->GetSpatialRef());
  }
  if (ds->GetLayerCount() > 0) {
    json layers = json::array();
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
      OGRLayer* layer = ds->GetLayer(i);
      layers.push_back({{"name", layer->GetName()},
                        {"features", layer->GetFeatureCount()},
                        {"crs", crs_text(layer->GetSpatialRef())}});
    }
    meta["layers"] = layers;
    meta["features"] = layers[0]["features"];
    meta["crs"] = layers[0]["crs"];
  }
  if (ds->GetRasterCount() == 0 && ds->GetLayerCount() == 0) return std::nullopt;
  return meta;
}

}  // namespace

struct Platform::Impl {
  ServeOptions options;
  Workspace workspace;
  std::unique_ptr<RunQueue> queue;
  std::unique_ptr<Security> security;
  HttpServer http;
  int port = 0;
  std::thread thread;
  RunCache<report::ReportModel> models{kCachedRuns};
  // A run's tile index, keyed like `models`; tiles themselves are cached by bytes.
  RunCache<MineTiles> tile_sets{kCachedRuns};
  // The text of GET /api/runs/{r}/model (for 45k mines, points and bounds take a while).
  RunCache<std::string> model_texts{kCachedRuns};
  TileCache tile_cache;

  explicit Impl(ServeOptions o)
      : options(std::move(o)),
        workspace(options.project_dir, options.read_only),
        http(ServerLimits{options.threads}) {}

  void install();
  void on_run_change(const RunJob& job, const RunState& state);
  json run_json(const RunEntry& run);
  std::shared_ptr<const report::ReportModel> model(const RunEntry& run);
  // The run's key in the caches: its folder and the time its results were published, so a run
  // written again is read again.
  std::string cache_key(const RunEntry& run) const;
  std::shared_ptr<const MineTiles> tiles(const RunEntry& run, const std::string& key);

  // Handlers.
  void projects(HttpRequest&, HttpResponse&);
  void create_project(HttpRequest&, HttpResponse&);
  void project(HttpRequest&, HttpResponse&);
  void delete_project(HttpRequest&, HttpResponse&);
  void put_config(HttpRequest&, HttpResponse&);
  void upload(HttpRequest&, HttpResponse&);
  void delete_input(HttpRequest&, HttpResponse&);
  void start_run(HttpRequest&, HttpResponse&);
  void get_run(HttpRequest&, HttpResponse&);
  void delete_run(HttpRequest&, HttpResponse&);
  void events(HttpRequest&, HttpResponse&);
  void get_model(HttpRequest&, HttpResponse&);
  void values(HttpRequest&, HttpResponse&);
  void mine(HttpRequest&, HttpResponse&);
  void compare(HttpRequest&, HttpResponse&);
  void report_html(HttpRequest&, HttpResponse&);
  void file(HttpRequest&, HttpResponse&);
  void tile(HttpRequest&, HttpResponse&);
  void asset(HttpRequest&, HttpResponse&);
  void scenario_values(const RunEntry& run, const report::ReportModel& m, HttpRequest& req,
                       HttpResponse& res);
  std::string model_text(const RunEntry& run, const report::ReportModel& m) const;

  std::optional<ProjectEntry> find_project(const std::string& id, HttpResponse& res) {
    auto p = workspace.project(id);
    if (!p) res.error(404, "not_found", "no project " + id, "project");
    return p;
  }
  std::optional<RunEntry> find_run(const std::string& id, HttpResponse& res,
                                   const std::string& field = "run") {
    auto r = workspace.run(id);
    if (!r) res.error(404, "not_found", "no run " + id, field);
    return r;
  }
  void send_file(const RunEntry& run, const std::string& relative, HttpResponse& res);
};

void Platform::Impl::on_run_change(const RunJob& job, const RunState& state) {
  std::ifstream in(job.dir / "run.json");
  json record = json::parse(in, nullptr, false);
  if (!record.is_object()) record = json::object();
  record["status"] = to_string(state.status);
  if (!state.started_utc.empty()) record["started"] = state.started_utc;
  if (!state.finished_utc.empty()) record["finished"] = state.finished_utc;
  record["exit_code"] = state.exit_code >= 0 ? json(state.exit_code) : json(nullptr);
  record["message"] = state.message;
  Workspace::write_run_record(job.dir, record);
  if (state.status != RunStatus::queued && state.status != RunStatus::running) {
    std::error_code ec;  // the configuration snapshot the run read
    fs::remove(job.dir.parent_path().parent_path() / (".minecarbon-run-" + job.run_id + ".toml"),
               ec);
  }
}

json Platform::Impl::run_json(const RunEntry& run) {
  json out = run.record;
  out.erase("config");
  out["id"] = run.id;
  out["project"] = run.project_id;
  if (auto s = queue->state(run.id)) {
    out["status"] = to_string(s->status);
    out["events"] = s->last_event;
    if (s->exit_code >= 0) out["exit_code"] = s->exit_code;
  }
  json files = json::array();
  for (const auto& f : Workspace::run_files(run))
    files.push_back({{"id", Workspace::derived_id("file:" + f)}, {"name", f}});
  out["files"] = files;
  return out;
}

std::string Platform::Impl::cache_key(const RunEntry& run) const {
  std::error_code ec;
  const auto stamp = fs::last_write_time(run.dir / ".minecarbon-manifest", ec);
  return run.dir.string() + "@" + std::to_string(ec ? 0 : stamp.time_since_epoch().count());
}

std::shared_ptr<const MineTiles> Platform::Impl::tiles(const RunEntry& run,
                                                       const std::string& key) {
  return tile_sets.get(key, [&] { return MineTiles::from_model(*model(run)); });
}

std::shared_ptr<const report::ReportModel> Platform::Impl::model(const RunEntry& run) {
  return models.get(cache_key(run), [&] { return report::load_report_model(run.dir); });
}

void Platform::Impl::projects(HttpRequest&, HttpResponse& res) {
  json list = json::array();
  for (const auto& p : workspace.projects())
    list.push_back({{"id", p.id}, {"name", p.name}, {"runs", workspace.runs(p).size()}});
  res.json(200, dump({{"projects", list}}));
}

void Platform::Impl::create_project(HttpRequest& req, HttpResponse& res) {
  const json body = json::parse(req.body, nullptr, false);
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
      body["name"].get<std::string>().empty() || body["name"].get<std::string>().size() > 200) {
    res.error(422, "invalid", "expected {\"name\": \"…\"} with a name of 1 to 200 characters",
              "name");
    return;
  }
  try {
    const ProjectEntry p = workspace.create_project(body["name"]);
    res.json(201, dump({{"id", p.id}, {"name", p.name}}));
  } catch (const ConfigError& e) {
    res.error(409, "conflict", e.what(), "name");
  }
}

void Platform::Impl::project(HttpRequest& req, HttpResponse& res) {
  const auto p = find_project(req.params[0], res);
  if (!p) return;
  json inputs = json::array();
  for (const auto& in : workspace.inputs(*p)) {
    json item = {{"id", in.id}, {"name", in.name}};
    if (const UploadKind* kind = upload_kind(in.path.filename().string()))
      if (auto meta = input_metadata(in.path, *kind)) item.update(*meta);
    inputs.push_back(item);
  }
  json runs = json::array();
  for (const auto& r : workspace.runs(*p))
    runs.push_back(run_json(r));
  const fs::path config = p->dir / "project.toml";
  res.json(200, dump({{"id", p->id},
                      {"name", p->name},
                      {"config", fs::exists(config) ? json(slurp(config)) : json(nullptr)},
                      {"inputs", inputs},
                      {"runs", runs}}));
}

void Platform::Impl::delete_project(HttpRequest& req, HttpResponse& res) {
  const auto p = find_project(req.params[0], res);
  if (!p) return;
  for (const auto& r : workspace.runs(*p))
    if (queue->active(r.id)) {
      res.error(409, "conflict", "run " + r.id + " of this project is queued or running; cancel it",
                "project");
      return;
    }
  try {
    workspace.remove_project(*p);
  } catch (const ConfigError& e) {
    res.error(409, "conflict", e.what(), "project");
    return;
  }
  res.json(200, dump({{"deleted", p->id}}));
}

void Platform::Impl::put_config(HttpRequest& req, HttpResponse& res) {
  const auto p = find_project(req.params[0], res);
  if (!p) return;
  auto refuse = [&](const std::vector<ConfigProblem>& problems) {
    const ConfigProblem& first = problems.front();
    json body = {
        {"error", {{"code", "invalid_config"}, {"message", first.message}, {"field", first.key}}},
        {"errors", problems_json(problems)}};
    res.json(422, dump(body));
  };
  toml::table doc;
  try {
    doc = toml::parse(std::string_view(req.body), std::string_view("project.toml"));
  } catch (const toml::parse_error& e) {
    ConfigProblem problem;
    problem.line = static_cast<int>(e.source().begin.line);
    problem.message = std::string(e.description());
    refuse({problem});
    return;
  }
  if (auto unsafe = unsafe_path_strings(doc); !unsafe.empty()) {
    refuse(unsafe);
    return;
  }
  // Checked as a file beside project.toml, so relative paths resolve the same way.
  const fs::path candidate = p->dir / (".minecarbon-check-" + Workspace::new_id() + ".toml");
  {
    std::ofstream out(candidate, std::ios::binary);
    out << req.body;
  }
  const ConfigCheck check = check_project_file(candidate, p->dir);
  std::error_code ec;
  if (check.exit_code != 0) {
    fs::remove(candidate, ec);
    refuse(check.problems);
    return;
  }
  fs::rename(candidate, p->dir / "project.toml", ec);
  if (ec) {
    fs::remove(candidate, ec);
    res.error(500, "internal", "the configuration could not be saved");
    return;
  }
  res.json(200, dump({{"ok", true}}));
}

void Platform::Impl::upload(HttpRequest& req, HttpResponse& res) {
  const auto p = find_project(req.params[0], res);
  if (!p) return;
  const fs::path dir = p->dir / "inputs";
  fs::create_directories(dir);
  const std::string id = Workspace::new_id();
  const fs::path partial = dir / (".upload-" + id + ".part");
  std::ofstream out;
  std::uint64_t bytes = 0;
  int parts = 0;
  bool over = false, write_failed = false;
  std::string filename;
  const std::uint64_t cap = options.max_upload_bytes;
  const bool read = req.read_multipart(
      [&](const std::string&, const std::string& name, const std::string&) {
        if (++parts > 1) return false;  // one file per upload
        filename = name;
        out.open(partial, std::ios::binary);
        return static_cast<bool>(out);
      },
      [&](const char* data, std::size_t size) {
        bytes += size;
        if (bytes > cap) {
          if (!over) out.close();
          over = true;
          return bytes <= cap + kDrainBytes;  // dropped, not written (web/server.h)
        }
        out.write(data, static_cast<std::streamsize>(size));
        write_failed = !out;
        return !write_failed;
      });
  out.close();
  std::error_code ec;
  auto discard = [&] { fs::remove(partial, ec); };
  if (over) {
    discard();
    res.error(413, "too_large",
              "the upload is over --max-upload-mb (" + std::to_string(cap >> 20) + " MiB)", "file");
    res.set_header("Connection", "close");
    return;
  }
  if (parts != 1 || !read || write_failed) {
    discard();
    res.error(422, "invalid_upload",
              parts > 1 ? "send one file per upload" : "expected one multipart file part", "file");
    if (!read) res.set_header("Connection", "close");
    return;
  }
  // The client's file name is metadata: only its extension picks the kind.
  const UploadKind* kind = upload_kind(filename);
  if (!kind) {
    discard();
    res.error(422, "unsupported_file",
              "accepted: GeoPackage (.gpkg), GeoJSON (.geojson), GeoTIFF (.tif), CSV (.csv) and "
              "a zipped ESRI Shapefile (.zip)",
              "file");
    return;
  }
  const fs::path final_path = dir / (id + "." + kind->ext);
  fs::rename(partial, final_path, ec);
  if (ec) {
    discard();
    res.error(500, "internal", "the upload could not be stored");
    return;
  }
  const auto meta = input_metadata(final_path, *kind);
  if (!meta) {
    fs::remove(final_path, ec);
    res.error(422, "unreadable_file",
              std::string("the file could not be opened as ") + kind->driver +
                  " (the kind its extension names); nothing was kept",
              "file");
    return;
  }
  std::string name;
  for (char c : fs::path(filename).filename().string())
    name += static_cast<unsigned char>(c) < 0x20 ? '_' : c;
  std::ofstream(dir / (id + ".json")) << dump({{"name", name}, {"uploaded", RunQueue::now_utc()}});
  json body = {{"id", id}, {"name", name}, {"bytes", bytes}};
  body.update(*meta);
  res.json(201, dump(body));
}

void Platform::Impl::delete_input(HttpRequest& req, HttpResponse& res) {
  const auto p = find_project(req.params[0], res);
  if (!p) return;
  const auto in = workspace.input(*p, req.params[1]);
  if (!in) {
    res.error(404, "not_found", "no input " + req.params[1], "input");
    return;
  }
  std::error_code ec;
  fs::remove(in->path, ec);
  fs::remove(p->dir / "inputs" / (in->id + ".json"), ec);
  res.json(200, dump({{"deleted", in->id}}));
}

void Platform::Impl::start_run(HttpRequest& req, HttpResponse& res) {
  const auto p = find_project(req.params[0], res);
  if (!p) return;
  if (!req.body.empty() && !json::parse(req.body, nullptr, false).is_object()) {
    res.error(422, "invalid", "expected a JSON object ({} is enough)");
    return;
  }
  const fs::path config = p->dir / "project.toml";
  if (!fs::exists(config)) {
    res.error(422, "no_config", "the project has no configuration yet; PUT it first", "config");
    return;
  }
  const std::string text = slurp(config);
  const json record = {{"status", "queued"},         {"created", RunQueue::now_utc()},
                       {"version", options.version}, {"config", text},
                       {"exit_code", nullptr},       {"project", p->id}};
  const RunEntry run = workspace.create_run(*p, record);
  // The run reads a snapshot beside project.toml (relative paths resolve the same way), so an
  // edit while it is queued does not change it.
  const fs::path snapshot = p->dir / (".minecarbon-run-" + run.id + ".toml");
  std::ofstream(snapshot, std::ios::binary) << text;
  RunJob job;
  job.run_id = run.id;
  job.dir = run.dir;
  job.argv = {options.executable, "run",  snapshot.string(), "--out", run.dir.string(),
              "--progress",       "jsonl"};
  queue->submit(std::move(job));
  res.json(202, dump({{"run_id", run.id}}));
}

void Platform::Impl::get_run(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  res.json(200, dump(run_json(*run)));
}

void Platform::Impl::delete_run(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  if (queue->active(run->id)) {
    queue->cancel(run->id);
    res.json(202, dump({{"cancelled", run->id}}));
    return;
  }
  if (run->imported) {
    res.error(409, "conflict", "the imported run is the project's own results folder; not deleted",
              "run");
    return;
  }
  std::error_code ec;
  fs::remove_all(run->dir, ec);
  res.json(200, dump({{"deleted", run->id}}));
}

void Platform::Impl::events(HttpRequest& req, HttpResponse& res) {
  // A run this server queued keeps its events even when its folder is gone (cancelled).
  RunQueue* q = queue.get();
  const std::string id = req.params[0];
  std::optional<RunEntry> run;
  if (!q->state(id)) {
    run = find_run(id, res);
    if (!run) return;
  }
  std::uint64_t after = 0;
  const std::string last = req.header("Last-Event-ID").value_or(req.query_value("last_event_id"));
  if (!last.empty()) {
    try {
      after = std::stoull(last);
    } catch (const std::exception&) {
      res.error(422, "invalid", "Last-Event-ID must be a whole number", "Last-Event-ID");
      return;
    }
  }
  res.status = 200;
  res.content_type = "text/event-stream";
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  if (run) {
    // A run of an earlier server (or imported): its end, from run.json, as event 1.
    const json record = run->record;
    const std::string text =
        after >= 1 ? ""
                   : "id: 1\nevent: done\ndata: " +
                         dump({{"status", record.value("status", std::string("unknown"))},
                               {"exit_code",
                                record.contains("exit_code") ? record["exit_code"] : json(nullptr)},
                               {"message", record.value("message", std::string())}}) +
                         "\n\n";
    res.stream = [text](const StreamWrite& write) {
      if (!text.empty()) write(text);
      return false;
    };
    return;
  }
  auto cursor = std::make_shared<std::uint64_t>(after);
  res.stream = [q, id, cursor](const StreamWrite& write) {
    bool ended = false;
    const auto events = q->events(id, *cursor, std::chrono::milliseconds(1000), ended);
    if (!events) return false;
    if (events->empty()) return ended ? false : write(": keep-alive\n\n");
    std::string text;
    for (const auto& e : *events) {
      text += "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + e.data + "\n\n";
      *cursor = e.id;
    }
    if (!write(text)) return false;
    return !ended;
  };
}

void Platform::Impl::get_model(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  const std::string key = cache_key(*run);
  const auto m = model(*run);
  const auto text = model_texts.get(key, [&] { return model_text(*run, *m); });
  res.json(200, *text);
}

namespace {

// The year index of `v` for the request's `year`, or an error message.
std::optional<std::size_t> year_index(const report::ReportVariable& v, const std::string& year,
                                      std::string& problem) {
  if (!v.per_year()) {
    if (!year.empty()) problem = "variable " + v.key + " has one value per mine, no years";
    return problem.empty() ? std::optional<std::size_t>(0) : std::nullopt;
  }
  if (year.empty()) {
    problem = "variable " + v.key + " has a value per year: give year=";
    return std::nullopt;
  }
  long parsed = 0;
  try {
    std::size_t used = 0;
    parsed = std::stol(year, &used);
    if (used != year.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    problem = "year must be a whole number";
    return std::nullopt;
  }
  for (std::size_t y = 0; y < v.years.size(); ++y)
    if (v.years[y] == parsed) return y;
  problem = "variable " + v.key + " has no year " + year + " (it has " +
            std::to_string(v.years.front()) + " to " + std::to_string(v.years.back()) + ")";
  return std::nullopt;
}

// A numeric column of a per-mine table with a `scenario` column (soil's `scenarios` and
// `scenario_years`; a plan's schemes later): a variable with a scenario dimension, keyed like the
// model's variables ("<stage>.<table>.<column>"), with a year dimension when the table has a
// `year` column. GET values?var=KEY&scenario=S[&year=Y] serves one scenario (and year) of it.
struct ScenarioColumn {
  const report::ReportTable* table = nullptr;
  std::size_t column = 0;
  std::string key;
  std::vector<std::string> scenarios;  // in the table's order of first appearance
  std::vector<std::int32_t> years;     // sorted; empty without a year column
};

std::vector<ScenarioColumn> scenario_columns(const report::ReportModel& m) {
  std::vector<ScenarioColumn> out;
  for (const auto& t : m.tables) {
    const auto has = [&](const char* c) {
      return std::find(t.columns.begin(), t.columns.end(), c) != t.columns.end();
    };
    if (!has("mine_id") || !has("scenario")) continue;
    const std::size_t sc = t.column("scenario");
    if (t.numeric[sc]) continue;
    std::vector<std::string> scenarios;
    for (const auto& name : t.texts[sc])
      if (!name.empty() && std::find(scenarios.begin(), scenarios.end(), name) == scenarios.end())
        scenarios.push_back(name);
    std::vector<std::int32_t> years;
    if (has("year") && t.numeric[t.column("year")]) {
      std::set<std::int32_t> distinct;
      for (double y : t.numbers[t.column("year")])
        if (std::isfinite(y)) distinct.insert(static_cast<std::int32_t>(y));
      years.assign(distinct.begin(), distinct.end());
    }
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const std::string& name = t.columns[c];
      if (!t.numeric[c] || name == "year" || name == "mine_id" || name == "scenario") continue;
      out.push_back({&t, c, t.stage + "." + t.name + "." + name, scenarios, years});
    }
  }
  return out;
}

json value_at(const report::ReportVariable& v, std::size_t mine, std::size_t year_idx) {
  if (v.numeric) return number_or_null(v.value(mine, year_idx));
  const std::size_t n = v.years.empty() ? v.texts.size() : v.texts.size() / v.years.size();
  const std::string& t = v.texts.at(year_idx * n + mine);
  return t.empty() ? json(nullptr) : json(t);
}

}  // namespace

void Platform::Impl::values(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  const auto m = model(*run);
  const std::string key = req.query_value("var");
  if (req.query.count("scenario")) return scenario_values(*run, *m, req, res);
  const report::ReportVariable* v = m->find_variable(key);
  if (!v) {
    res.error(404, "not_found", "no variable \"" + key + "\" in run " + run->id, "var");
    return;
  }
  std::string problem;
  const auto y = year_index(*v, req.query_value("year"), problem);
  if (!y) {
    res.error(422, "invalid", problem, "year");
    return;
  }
  json values = json::array();
  for (std::size_t i = 0; i < m->mine_ids.size(); ++i)
    values.push_back(value_at(*v, i, *y));
  res.json(200, dump({{"run", run->id},
                      {"var", v->key},
                      {"year", v->per_year() ? json(v->years[*y]) : json(nullptr)},
                      {"unit", v->unit},
                      {"values", values}}));
}

// values?var=KEY&scenario=S[&year=Y] for a variable with a scenario dimension (ScenarioColumn):
// per mine of the model, the value in the row of that mine, scenario (and year); null where the
// table has no such row or its value is NA.
void Platform::Impl::scenario_values(const RunEntry& run, const report::ReportModel& m,
                                     HttpRequest& req, HttpResponse& res) {
  const std::string key = req.query_value("var");
  const std::string scenario = req.query_value("scenario");
  const auto columns = scenario_columns(m);
  const auto it = std::find_if(columns.begin(), columns.end(),
                               [&](const ScenarioColumn& c) { return c.key == key; });
  if (it == columns.end()) {
    std::string known;
    for (const auto& c : columns)
      known += (known.empty() ? "" : ", ") + c.key;
    res.error(m.find_variable(key) ? 422 : 404, m.find_variable(key) ? "invalid" : "not_found",
              "\"" + key + "\" has no scenarios in run " + run.id +
                  "; variables with scenarios: " + (known.empty() ? "none" : known),
              "var");
    return;
  }
  if (std::find(it->scenarios.begin(), it->scenarios.end(), scenario) == it->scenarios.end()) {
    std::string known;
    for (const auto& name : it->scenarios)
      known += (known.empty() ? "" : ", ") + name;
    res.error(404, "not_found",
              "variable " + key + " has no scenario \"" + scenario + "\" (it has " + known + ")",
              "scenario");
    return;
  }
  const report::ReportTable& t = *it->table;
  const std::string year_text = req.query_value("year");
  std::optional<std::int32_t> year;
  if (!it->years.empty()) {
    std::size_t used = 0;
    long parsed = 0;
    try {
      parsed = std::stol(year_text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (year_text.empty() || used != year_text.size() ||
        !std::binary_search(it->years.begin(), it->years.end(), parsed)) {
      res.error(422, "invalid",
                "variable " + key + " has a value per year: give year= one of " +
                    std::to_string(it->years.front()) + " to " + std::to_string(it->years.back()),
                "year");
      return;
    }
    year = static_cast<std::int32_t>(parsed);
  } else if (!year_text.empty()) {
    res.error(422, "invalid", "variable " + key + " has one value per mine and scenario, no years",
              "year");
    return;
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < m.mine_ids.size(); ++i)
    index.emplace(m.mine_ids[i], i);
  const auto& ids = t.texts[t.column("mine_id")];
  const auto& names = t.texts[t.column("scenario")];
  const std::vector<double>* years = year ? &t.numbers[t.column("year")] : nullptr;
  const auto& numbers = t.numbers[it->column];
  json values = json::array();
  std::vector<double> out(m.mine_ids.size(), NAN);
  for (std::size_t r = 0; r < t.rows; ++r) {
    if (names[r] != scenario || (years && (*years)[r] != *year)) continue;
    if (const auto at = index.find(ids[r]); at != index.end()) out[at->second] = numbers[r];
  }
  for (double v : out)
    values.push_back(number_or_null(v));
  const auto rule = report::unit_rule_of(t.columns[it->column]);
  res.json(200, dump({{"run", run.id},
                      {"var", key},
                      {"scenario", scenario},
                      {"year", year ? json(*year) : json(nullptr)},
                      {"unit", rule ? std::string(rule->unit) : std::string()},
                      {"values", values}}));
}

// The model as the web app's HttpProvider reads it (docs/serve.md): the island header's shapes
// (report/model_json.h) plus the report's meta JSON, every per-mine (not per-year) value under
// "attributes" (the series come from values and mines/{id}), each mine's point on its surface and
// lon/lat bounds (fitting the map; the outlines themselves come as tiles), and the variables with
// a scenario dimension.
std::string Platform::Impl::model_text(const RunEntry& run, const report::ReportModel& m) const {
  json stages = json::array();
  for (const auto& s : m.stages)
    stages.push_back({{"stage", s.stage}, {"summary", s.summary}});
  json attributes = json::object();
  for (const auto& v : m.variables) {
    if (v.per_year()) continue;
    json column = json::array();
    for (std::size_t i = 0; i < m.mine_ids.size(); ++i)
      column.push_back(value_at(v, i, 0));
    attributes[v.key] = std::move(column);
  }
  // Degrees to 1e-6 (about 0.1 m): enough to fit a map or click a mine.
  const auto deg = [](double x) { return std::round(x * 1e6) / 1e6; };
  json points = json::array(), bounds = json::array();
  for (std::size_t i = 0; i < m.mine_ids.size(); ++i) {
    const geo::MultiPolygon* shape = i < m.geometry.size() ? &m.geometry[i] : nullptr;
    if (!shape || shape->empty()) {
      points.push_back(nullptr);
      bounds.push_back(nullptr);
      continue;
    }
    double w = INFINITY, so = INFINITY, e = -INFINITY, n = -INFINITY;
    for (const auto& poly : *shape)
      for (const auto& p : poly.exterior) {
        w = std::min(w, p.x);
        so = std::min(so, p.y);
        e = std::max(e, p.x);
        n = std::max(n, p.y);
      }
    const geo::XY p = report::point_on_surface_or_centre(*shape);
    points.push_back(std::isfinite(p.x) ? json::array({deg(p.x), deg(p.y)}) : json(nullptr));
    bounds.push_back(w <= e ? json::array({deg(w), deg(so), deg(e), deg(n)}) : json(nullptr));
  }
  json scenario_variables = json::array();
  for (const auto& c : scenario_columns(m)) {
    const std::string& column = c.table->columns[c.column];
    const auto rule = report::unit_rule_of(column);
    scenario_variables.push_back({{"key", c.key},
                                  {"stage", c.table->stage},
                                  {"table", c.table->name},
                                  {"column", column},
                                  {"unit", rule ? std::string(rule->unit) : std::string()},
                                  {"scenarios", c.scenarios},
                                  {"years", c.years.empty() ? json(nullptr) : json(c.years)}});
  }
  report::HtmlReportOptions o;
  o.title = "minecarbon: " + run.id;
  if (const auto p = workspace.project(run.project_id)) o.title = p->name + " · " + run.id;
  o.minecarbon_version = run.record.value("version", options.version);
  o.created = run.record.value("finished", run.record.value("created", std::string()));
  report::IslandGeometry geometry;
  geometry.kind =
      m.geometry_source.empty() ? report::GeometryKind::none : report::GeometryKind::full;
  const json meta = report::report_meta(m, o, geometry, "", nullptr);
  return dump({{"run", run.id},
               {"meta", meta},
               {"mine_ids", m.mine_ids},
               {"mines", report::mines_json(m)},
               {"variables", report::variables_json(m)},
               {"tables", report::tables_json(m)},
               {"stages", stages},
               {"attributes", attributes},
               {"points", points},
               {"bounds", bounds},
               {"scenario_variables", scenario_variables}});
}

void Platform::Impl::mine(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  const auto m = model(*run);
  const std::string& id = req.params[1];  // a user string: looked up, never a path
  const auto it = std::find(m->mine_ids.begin(), m->mine_ids.end(), id);
  if (it == m->mine_ids.end()) {
    res.error(404, "not_found", "no mine \"" + id + "\" in run " + run->id, "mine");
    return;
  }
  const std::size_t idx = static_cast<std::size_t>(it - m->mine_ids.begin());
  json attributes = json::object(), series = json::object();
  for (const auto& v : m->variables) {
    if (!v.per_year()) {
      attributes[v.key] = value_at(v, idx, 0);
      continue;
    }
    json values = json::array();
    for (std::size_t y = 0; y < v.years.size(); ++y)
      values.push_back(value_at(v, idx, y));
    series[v.key] = {{"years", v.years}, {"values", values}, {"unit", v.unit}};
  }
  res.json(200, dump({{"id", id}, {"index", idx}, {"attributes", attributes}, {"series", series}}));
}

void Platform::Impl::compare(HttpRequest& req, HttpResponse& res) {
  const auto a = find_run(req.query_value("a"), res, "a");
  if (!a) return;
  const auto b = find_run(req.query_value("b"), res, "b");
  if (!b) return;
  const auto ma = model(*a);
  const auto mb = model(*b);
  const std::string key = req.query_value("var");
  const report::ReportVariable* va = ma->find_variable(key);
  const report::ReportVariable* vb = mb->find_variable(key);
  if (!va || !vb || !va->numeric || !vb->numeric) {
    res.error(404, "not_found", "\"" + key + "\" is not a numeric variable of both runs", "var");
    return;
  }
  std::string problem;
  const auto ya = year_index(*va, req.query_value("year"), problem);
  const auto yb = problem.empty() ? year_index(*vb, req.query_value("year"), problem) : ya;
  if (!ya || !yb) {
    res.error(422, "invalid", problem, "year");
    return;
  }
  // Mines of A in A's order, then those only B has.
  std::map<std::string, std::size_t> in_b;
  for (std::size_t i = 0; i < mb->mine_ids.size(); ++i)
    in_b.emplace(mb->mine_ids[i], i);
  std::vector<std::string> ids = ma->mine_ids;
  std::map<std::string, std::size_t> in_a;
  for (std::size_t i = 0; i < ids.size(); ++i)
    in_a.emplace(ids[i], i);
  for (const auto& id : mb->mine_ids)
    if (!in_a.count(id)) ids.push_back(id);
  json mines = json::array();
  double total_a = 0, total_b = 0, total_diff = 0;
  for (const auto& id : ids) {
    const auto ia = in_a.find(id);
    const auto ib = in_b.find(id);
    const double x = ia == in_a.end() ? NAN : va->value(ia->second, *ya);
    const double y = ib == in_b.end() ? NAN : vb->value(ib->second, *yb);
    if (std::isfinite(x)) total_a += x;
    if (std::isfinite(y)) total_b += y;
    if (std::isfinite(x) && std::isfinite(y)) total_diff += x - y;
    mines.push_back({{"id", id},
                     {"a", number_or_null(x)},
                     {"b", number_or_null(y)},
                     {"diff", number_or_null(x - y)}});
  }
  res.json(200, dump({{"var", key},
                      {"unit", va->unit},
                      {"mines", mines},
                      {"totals", {{"a", total_a}, {"b", total_b}, {"diff", total_diff}}}}));
}

void Platform::Impl::send_file(const RunEntry& run, const std::string& relative,
                               HttpResponse& res) {
  const fs::path path = run.dir / relative;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    res.error(404, "not_found", "the run listed " + relative + " but it is gone", "file");
    return;
  }
  res.status = 200;
  res.content_type = content_type_of(relative);
  res.file = path;  // sent in pieces (web/server.h), never read whole
  res.set_header("Content-Disposition",
                 "attachment; filename=\"" + attachment_name(relative) + "\"");
}

void Platform::Impl::report_html(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  for (const auto& f : Workspace::run_files(*run))
    if (fs::path(f).filename() == "report.html") return send_file(*run, f, res);
  res.error(404, "not_found", "run " + run->id + " has no report.html", "file");
}

void Platform::Impl::file(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  for (const auto& f : Workspace::run_files(*run))
    if (Workspace::derived_id("file:" + f) == req.params[1]) return send_file(*run, f, res);
  res.error(404, "not_found", "run " + run->id + " lists no file " + req.params[1], "file");
}

// GET /api/runs/{r}/tiles/{mines|mine_points}/{z}/{x}/{y}.mvt (docs/web_tiles.md): 204 for a tile
// without features, 404 beyond z 16 (MapLibre over-zooms), gzip when the client takes it and it
// pays, and an ETag so a revisited tile costs a 304.
void Platform::Impl::tile(HttpRequest& req, HttpResponse& res) {
  const auto run = find_run(req.params[0], res);
  if (!run) return;
  const std::optional<TileLayer> layer = parse_tile_layer(req.params[1]);
  int zxy[3] = {-1, -1, -1};
  for (int i = 0; i < 3; ++i) {
    const std::string& text = req.params[2 + i];
    if (text.size() > 9) break;  // the route allows digits only; 9 of them fit an int
    zxy[i] = std::stoi(text);
  }
  if (!layer || !valid_tile(zxy[0], zxy[1], zxy[2])) {
    res.error(404, "not_found",
              "no tile " + req.params[2] + "/" + req.params[3] + "/" + req.params[4] +
                  " of layer " + req.params[1] +
                  ": layers are mines and mine_points, z is 0 to 16, x and y 0 to 2^z - 1",
              "tile");
    return;
  }
  const std::string key = cache_key(*run);
  const auto set = tiles(*run, key);
  const auto cached = tile_cache.get_or_make(TileKey{key, *layer, zxy[0], zxy[1], zxy[2]}, [&] {
    return set->tile(*layer, zxy[0], zxy[1], zxy[2]);
  });
  res.content_type = "application/vnd.mapbox-vector-tile";
  res.set_header("Cache-Control", "private, no-cache");
  if (cached->empty()) {
    res.status = 204;
    return;
  }
  res.set_header("ETag", cached->etag);
  res.set_header("Vary", "Accept-Encoding");
  const auto if_none_match = req.header("If-None-Match");
  if (if_none_match && *if_none_match == cached->etag) {
    res.status = 304;
    return;
  }
  const auto accept = req.header("Accept-Encoding");
  res.status = 200;
  // Sent from the cache entry itself, which the response holds until it is written.
  res.bytes_owner = cached;
  if (accept && accept->find("gzip") != std::string::npos && !cached->gzip.empty()) {
    res.set_header("Content-Encoding", "gzip");
    res.bytes = cached->gzip;
  } else {
    res.bytes = cached->raw;
  }
}

// GET / and /assets/…: an embedded asset with its Content-Type and ETag (304 on a match), gzip'd
// when the client takes it; the page is revalidated on every visit, the hashed chunks kept.
void Platform::Impl::asset(HttpRequest& req, HttpResponse& res) {
  const AppAsset* a = find_app_asset(req.path);
  if (!a) {
    res.error(
        404, "not_found",
        app_assets().empty() ? std::string(report::kNoWebAssetsMessage) : "no asset " + req.path,
        "path");
    res.set_header("Cache-Control", "no-store");
    return;
  }
  res.content_type = std::string(a->content_type);
  res.set_header("ETag", std::string(a->etag));
  res.set_header("Cache-Control",
                 a->immutable ? "private, max-age=31536000, immutable" : "private, no-cache");
  if (!a->gzip.empty()) res.set_header("Vary", "Accept-Encoding");
  const auto if_none_match = req.header("If-None-Match");
  if (if_none_match && *if_none_match == a->etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  const auto accept = req.header("Accept-Encoding");
  if (!a->gzip.empty() && accept && accept->find("gzip") != std::string::npos) {
    res.set_header("Content-Encoding", "gzip");
    res.bytes = a->gzip;
  } else {
    res.bytes = a->raw;
  }
}

void Platform::Impl::install() {
  http.set_default_headers(Security::default_headers());
  http.set_filter([this](HttpRequest& req, HttpResponse& res, const RouteInfo* route) {
    return security->filter(req, res, route);
  });
  using Method = void (Impl::*)(HttpRequest&, HttpResponse&);
  auto bind = [this](Method m) {
    return [this, m](HttpRequest& req, HttpResponse& res) {
      (this->*m)(req, res);
      // A write may have changed what the workspace's remembered lookups read.
      if (req.method != "GET") Workspace::note_change();
      // The API is never cached; a tile says itself how it may be (revalidated by its ETag).
      const bool has_policy =
          std::any_of(res.headers.begin(), res.headers.end(),
                      [](const auto& header) { return header.first == "Cache-Control"; });
      if (res.content_type != "text/event-stream" && !has_policy)
        res.set_header("Cache-Control", "no-store");
    };
  };
  const std::string p = std::string("/api/projects/") + kId;
  const std::string r = std::string("/api/runs/") + kId;
  const RouteInfo json_body{"", "application/json", options.max_json_bytes, false};
  const RouteInfo toml_body{"", "application/toml", options.max_json_bytes, false};
  const RouteInfo upload_body{"", "multipart/form-data", options.max_upload_bytes, true};
  // The web app (web/app_assets.h): the page and its content-hashed chunks, from memory.
  http.route("GET", "/", [this](HttpRequest& req, HttpResponse& res) { asset(req, res); });
  http.route("GET", "/assets/[A-Za-z0-9._-]+",
             [this](HttpRequest& req, HttpResponse& res) { asset(req, res); });
  const std::string version = options.version;
  http.route("GET", "/api/health", [version](HttpRequest&, HttpResponse& res) {
    res.json(200, dump({{"version", version}}));
    res.set_header("Cache-Control", "no-store");
  });
  http.route("GET", "/api/projects", bind(&Impl::projects));
  http.route("POST", "/api/projects", bind(&Impl::create_project), json_body);
  http.route("GET", p, bind(&Impl::project));
  http.route("DELETE", p, bind(&Impl::delete_project));
  http.route("PUT", p + "/config", bind(&Impl::put_config), toml_body);
  http.route("POST", p + "/inputs", bind(&Impl::upload), upload_body);
  http.route("DELETE", p + "/inputs/" + kId, bind(&Impl::delete_input));
  http.route("POST", p + "/runs", bind(&Impl::start_run), json_body);
  http.route("GET", r, bind(&Impl::get_run));
  http.route("DELETE", r, bind(&Impl::delete_run));
  http.route("GET", r + "/events", bind(&Impl::events));
  http.route("GET", r + "/model", bind(&Impl::get_model));
  http.route("GET", r + "/values", bind(&Impl::values));
  http.route("GET", r + "/mines/(.+)", bind(&Impl::mine));
  http.route("GET", r + "/report.html", bind(&Impl::report_html));
  http.route("GET", r + "/files/" + kId, bind(&Impl::file));
  http.route("GET", "/api/compare", bind(&Impl::compare));
  http.route("GET", r + "/tiles/([a-z_]+)/([0-9]+)/([0-9]+)/([0-9]+)\\.mvt", bind(&Impl::tile));
}

Platform::Platform(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& i = *impl_;
  if (i.options.token.empty()) throw ConfigError("minecarbon serve: no token");
  i.port = i.http.bind(i.options.host, i.options.port);
  SecurityOptions s;
  s.token = i.options.token;
  s.host = i.options.host;
  s.port = i.port;
  s.allow_hosts = i.options.allow_hosts;
  s.read_only = i.options.read_only;
  i.security = std::make_unique<Security>(s);
  i.queue = std::make_unique<RunQueue>(
      [&i](const RunJob& job, const RunState& state) { i.on_run_change(job, state); });
  i.install();
}

Platform::~Platform() {
  stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->queue.reset();  // cancels what still runs before the server goes
}

int Platform::port() const {
  return impl_->port;
}

std::string Platform::url() const {
  const std::string& host = impl_->options.host;
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + shown + ":" + std::to_string(impl_->port) + "/?token=" + impl_->options.token;
}

void Platform::serve() {
  impl_->http.listen();
}

void Platform::start() {
  impl_->thread = std::thread([this] { impl_->http.listen(); });
  for (int i = 0; i < 500 && !impl_->http.running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void Platform::stop() {
  impl_->http.stop();
}

HttpServer& Platform::server() {
  return impl_->http;
}

}  // namespace minecarbon::web
