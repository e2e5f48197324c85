#include "minecarbon/web/workspace.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/web/config_check.h"

namespace minecarbon::web {
namespace fs = std::filesystem;

namespace {

constexpr const char* kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

// Bumped by Workspace::note_change(); a remembered lookup from an older generation is looked up
// again.
std::atomic<std::uint64_t> g_generation{0};

// Runs remembered at most (a workspace with more is looked up again now and then).
constexpr std::size_t kRememberedRuns = 256;
// How long a remembered run is trusted on its stamps alone. File times are coarse (a kernel tick,
// a few ms), so another program rewriting a file in place with the same size within one tick
// would keep its stamp: this bounds how long such an edit can go unseen, for one full look a
// second per run.
constexpr auto kRememberedFor = std::chrono::seconds(1);

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json read_json(const fs::path& path) {
  try {
    return nlohmann::json::parse(slurp(path));
  } catch (const std::exception&) {
    return nlohmann::json::object();
  }
}

// The project's [project] out folder (default "results"), when it is a safe relative path.
std::optional<fs::path> out_folder(const fs::path& project_dir) {
  const fs::path file = project_dir / "project.toml";
  if (!fs::exists(file)) return std::nullopt;
  std::string out = "results";
  try {
    const toml::table doc = toml::parse_file(file.string());
    if (auto v = doc["project"]["out"].value<std::string>()) out = *v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (out.empty() || is_unsafe_path_string(out)) return std::nullopt;
  return project_dir / out;
}

}  // namespace

Workspace::Workspace(fs::path root, bool read_only) : read_only_(read_only) {
  std::error_code ec;
  if (!fs::exists(root, ec))
    throw ConfigError("PROJECT_DIR '" + root.string() +
                      "' does not exist; create it or give the folder that holds your projects");
  if (!fs::is_directory(root, ec))
    throw ConfigError("PROJECT_DIR '" + root.string() + "' is not a folder");
  if (!read_only && ::access(root.c_str(), W_OK | X_OK) != 0)
    throw ConfigError("PROJECT_DIR '" + root.string() +
                      "' is not writable: the server writes runs and uploads there; fix its "
                      "permissions or serve it with --read-only");
  root_ = fs::canonical(root, ec);
  if (ec) root_ = fs::absolute(root);
}

std::string Workspace::new_id() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw RunError("OpenSSL's random generator failed while making an id");
  std::string id;
  for (unsigned char b : bytes)
    id += kAlphabet[b % 36];  // 256 % 36 = 4: a bias of under 2 % per letter, harmless for ids
  return id;
}

bool Workspace::is_id(const std::string& text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
         });
}

std::string Workspace::derived_id(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string id;
  for (unsigned i = 0; i < 12 && i < size; ++i)
    id += kAlphabet[digest[i] % 36];
  return id;
}

std::optional<ProjectEntry> Workspace::project_at(const fs::path& dir) const {
  std::error_code ec;
  const bool has_toml = fs::is_regular_file(dir / "project.toml", ec);
  const bool has_json = fs::is_regular_file(dir / "project.json", ec);
  if (!has_toml && !has_json) return std::nullopt;
  ProjectEntry p;
  p.dir = dir;
  const std::string folder = dir == root_ ? root_.filename().string() : dir.filename().string();
  p.id = dir != root_ && is_id(folder) ? folder : derived_id("project:" + folder);
  p.name = folder;
  if (has_json) {
    const nlohmann::json meta = read_json(dir / "project.json");
    if (meta.contains("name") && meta["name"].is_string()) p.name = meta["name"];
  }
  return p;
}

std::vector<ProjectEntry> Workspace::projects() const {
  std::vector<ProjectEntry> out;
  std::error_code ec;
  if (fs::is_regular_file(root_ / "project.toml", ec)) {
    if (auto p = project_at(root_)) out.push_back(*p);
    return out;
  }
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || !entry.is_directory(ec)) continue;
    if (auto p = project_at(entry.path())) out.push_back(*p);
  }
  std::sort(out.begin(), out.end(),
            [](const ProjectEntry& a, const ProjectEntry& b) { return a.name < b.name; });
  return out;
}

std::optional<ProjectEntry> Workspace::project(const std::string& id) const {
  if (!is_id(id)) return std::nullopt;
  for (auto& p : projects())
    if (p.id == id) return p;
  return std::nullopt;
}

ProjectEntry Workspace::create_project(const std::string& name) {
  if (fs::is_regular_file(root_ / "project.toml"))
    throw ConfigError(
        "this workspace is one project (PROJECT_DIR has a project.toml); serve its "
        "parent folder to hold several");
  ProjectEntry p;
  p.id = new_id();
  p.name = name;
  p.dir = root_ / p.id;
  fs::create_directory(p.dir);
  std::ofstream(p.dir / "project.json") << nlohmann::json{{"name", name}}.dump() << '\n';
  note_change();
  return p;
}

void Workspace::remove_project(const ProjectEntry& project) {
  if (project.dir == root_)
    throw ConfigError("the workspace folder itself is the project; it is not deleted");
  fs::remove_all(project.dir);
  note_change();
}

std::vector<RunEntry> Workspace::runs(const ProjectEntry& project) const {
  std::vector<RunEntry> out;
  std::error_code ec;
  if (auto imported = out_folder(project.dir); imported && fs::is_directory(*imported, ec)) {
    RunEntry r;
    r.id = derived_id("imported:" + project.id);
    r.project_id = project.id;
    r.dir = *imported;
    r.imported = true;
    r.record = {{"status", "imported"}};
    out.push_back(std::move(r));
  }
  for (const auto& entry : fs::directory_iterator(project.dir / "runs", ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_id(name) || !entry.is_directory(ec)) continue;
    RunEntry r;
    r.id = name;
    r.project_id = project.id;
    r.dir = entry.path();
    r.record = read_json(entry.path() / "run.json");
    if (!r.record.contains("status")) r.record["status"] = "unknown";
    out.push_back(std::move(r));
  }
  std::sort(out.begin() + (out.empty() || !out.front().imported ? 0 : 1), out.end(),
            [](const RunEntry& a, const RunEntry& b) {
              return a.record.value("created", std::string()) <
                     b.record.value("created", std::string());
            });
  return out;
}

std::optional<RunEntry> Workspace::find_run(const std::string& id, fs::path* project_dir) const {
  for (const auto& p : projects())
    for (auto& r : runs(p))
      if (r.id == id) {
        if (project_dir) *project_dir = p.dir;
        return r;
      }
  return std::nullopt;
}

Workspace::Stamp Workspace::stamp(const fs::path& path) {
  Stamp s;
  s.path = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return s;
  s.exists = true;
  s.dev = static_cast<std::uint64_t>(st.st_dev);
  s.ino = static_cast<std::uint64_t>(st.st_ino);
  s.mode = static_cast<std::uint64_t>(st.st_mode);
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  s.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return s;
}

void Workspace::note_change() {
  ++g_generation;
}

std::optional<RunEntry> Workspace::run(const std::string& id) const {
  if (!is_id(id)) return std::nullopt;
  {
    std::lock_guard lock(memo_mutex_);
    if (const auto it = run_memo_.find(id); it != run_memo_.end()) {
      const RememberedRun& m = it->second;
      const bool same = m.generation == g_generation.load() &&
                        std::chrono::steady_clock::now() - m.looked_up < kRememberedFor &&
                        std::all_of(m.stamps.begin(), m.stamps.end(),
                                    [](const Stamp& s) { return stamp(s.path) == s; });
      if (same) return m.run;
      run_memo_.erase(it);
    }
  }
  fs::path project_dir;
  const std::optional<RunEntry> first = find_run(id, &project_dir);
  if (!first) return first;
  // What the look read for this run: whether the workspace is one project, its project's files
  // (is it one; its [project] out), the run's folder and its record. They are stamped, then the
  // run looked up again: a file changed after its stamp shows as changed next time (one look
  // more), never as unchanged with stale contents.
  const std::uint64_t generation = g_generation.load();
  RememberedRun m;
  m.looked_up = std::chrono::steady_clock::now();
  for (const fs::path& path : {root_ / "project.toml", project_dir / "project.toml",
                               project_dir / "project.json", first->dir, first->dir / "run.json"})
    m.stamps.push_back(stamp(path));
  fs::path project_again;
  std::optional<RunEntry> found = find_run(id, &project_again);
  if (!found || found->dir != first->dir || project_again != project_dir) return found;
  m.run = *found;
  m.generation = generation;
  std::lock_guard lock(memo_mutex_);
  if (run_memo_.size() >= kRememberedRuns) run_memo_.clear();
  run_memo_.insert_or_assign(id, std::move(m));
  return found;
}

RunEntry Workspace::create_run(const ProjectEntry& project, const nlohmann::json& record) {
  RunEntry r;
  r.id = new_id();
  r.project_id = project.id;
  r.dir = project.dir / "runs" / r.id;
  fs::create_directories(r.dir);
  r.record = record;
  write_run_record(r.dir, record);  // notes the change
  return r;
}

void Workspace::write_run_record(const fs::path& run_dir, const nlohmann::json& record) {
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec)) return;  // cancelled and removed
  const fs::path tmp = run_dir / ".run.json.tmp";
  {
    std::ofstream out(tmp);
    out << record.dump(2) << '\n';
  }
  fs::rename(tmp, run_dir / "run.json", ec);
  note_change();
}

std::vector<InputEntry> Workspace::inputs(const ProjectEntry& project) const {
  std::vector<InputEntry> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(project.dir / "inputs", ec)) {
    const fs::path path = entry.path();
    const std::string stem = path.stem().string();
    if (!is_id(stem) || path.extension() == ".json" || !entry.is_regular_file(ec)) continue;
    InputEntry in;
    in.id = stem;
    in.path = path;
    const nlohmann::json meta = read_json(project.dir / "inputs" / (stem + ".json"));
    in.name = meta.value("name", path.filename().string());
    out.push_back(std::move(in));
  }
  std::sort(out.begin(), out.end(),
            [](const InputEntry& a, const InputEntry& b) { return a.name < b.name; });
  return out;
}

std::optional<InputEntry> Workspace::input(const ProjectEntry& project,
                                           const std::string& id) const {
  if (!is_id(id)) return std::nullopt;
  for (auto& in : inputs(project))
    if (in.id == id) return in;
  return std::nullopt;
}

std::vector<std::string> Workspace::run_files(const RunEntry& run) {
  std::vector<std::string> out;
  std::ifstream in(run.dir / ".minecarbon-manifest");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line.find("..") == std::string::npos && line[0] != '/')
      out.push_back(line);
  return out;
}

}  // namespace minecarbon::web
