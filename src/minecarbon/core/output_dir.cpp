#include "minecarbon/core/output_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <set>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/interrupt.h"

namespace fs = std::filesystem;

namespace minecarbon {
namespace {

bool process_alive(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

long read_pid(const fs::path& lock) {
  std::ifstream in(lock);
  long pid = 0;
  in >> pid;
  return pid;
}

// The process id in ".minecarbon-staging-<pid>-<n>", or 0.
long staging_pid(const std::string& name) {
  const std::string prefix = OutputDir::kStagingPrefix;
  if (name.rfind(prefix, 0) != 0) return 0;
  try {
    return std::stol(name.substr(prefix.size()));
  } catch (const std::exception&) {
    return 0;
  }
}

std::vector<std::string> read_manifest(const fs::path& path) {
  std::vector<std::string> files;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) files.push_back(line);
  return files;
}

// Whether `inner` is `outer` or lies inside it (both absolute and normal).
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// Whether the file system holding `path` (or its nearest existing parent) is all but full.
bool nearly_full(const std::string& path) {
  constexpr unsigned long long kFullBelowBytes = 64 * 1024;
  std::error_code ec;
  fs::path probe = path;
  while (!probe.empty() && !fs::exists(probe, ec))
    probe = probe.parent_path();
  if (probe.empty()) return false;
  struct statvfs stat {};
  if (::statvfs(probe.c_str(), &stat) != 0) return false;
  return static_cast<unsigned long long>(stat.f_bavail) * stat.f_frsize < kFullBelowBytes;
}

}  // namespace

std::string write_failure_reason(int error_number, const std::string& detail,
                                 const std::string& path) {
  std::string lower = detail;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  const bool full = error_number == ENOSPC || lower.find("disk is full") != std::string::npos ||
                    lower.find("no space left") != std::string::npos ||
                    (!path.empty() && nearly_full(path));
  if (full) return "no space left on device";
  if (error_number == 0 || !detail.empty()) {
    return detail.empty() ? std::string("the system gave no reason") : detail;
  }
  switch (error_number) {
    case EDQUOT:
      return "disk quota exceeded";
    case EROFS:
      return "read-only file system";
    case EACCES:
    case EPERM:
      return "permission denied";
    default:
      return std::strerror(error_number);
  }
}

void throw_write_failure(const std::string& path, const std::string& what, int error_number,
                         const std::string& detail) {
  const std::string reason = write_failure_reason(error_number, detail, path);
  std::string advice;
  if (reason == "no space left on device" || reason == "disk quota exceeded") {
    advice = "; free space on that file system or pass another --out";
  } else if (reason == "read-only file system" || reason == "permission denied") {
    advice = "; pass a writable --out";
  }
  throw RunError(path + ": cannot write " + what + ": " + reason + advice);
}

OutputDir::OutputDir(const fs::path& dir) : dir_(dir), cleanup_(new CleanupOnInterrupt) {
  std::error_code ec;
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec)) {
    throw ConfigError("output folder '" + dir_.string() +
                      "' exists and is not a folder; pass another --out");
  }
  if (!fs::exists(dir_, ec)) {
    fs::create_directories(dir_, ec);
    if (ec) {
      throw ConfigError("cannot create output folder '" + dir_.string() +
                        "': " + write_failure_reason(ec.value()) + "; pass a writable --out");
    }
    created_dir_ = true;
    // A folder this run made holds nothing else: an interrupt removes it whole.
    cleanup_->add(dir_);
  }
  if (::access(dir_.c_str(), W_OK) != 0) {
    release();
    throw ConfigError("output folder '" + dir_.string() +
                      "' is not writable (permission denied); pass a writable --out");
  }
  take_lock();
  remove_leftovers_of_dead_runs();
  // The process id and a random suffix keep the staging folders of runs apart.
  std::random_device device;
  staging_ = dir_ / (kStagingPrefix + std::to_string(::getpid()) + "-" +
                     std::to_string(device() % 1000000));
  cleanup_->add(staging_);
  fs::create_directory(staging_, ec);
  if (ec || ::access(staging_.c_str(), W_OK) != 0) {
    const std::string reason =
        ec ? write_failure_reason(ec.value()) : std::string("permission denied");
    release();
    throw ConfigError("output folder '" + dir_.string() + "' is not writable (" + reason +
                      "); pass a writable --out");
  }
}

void OutputDir::take_lock() {
  lock_ = dir_ / kLockName;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(lock_.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd >= 0) {
      const std::string pid = std::to_string(::getpid()) + "\n";
      const bool written = ::write(fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
      ::close(fd);
      if (!written) break;
      locked_ = true;
      cleanup_->add(lock_);
      return;
    }
    if (errno != EEXIST) break;
    const long holder = read_pid(lock_);
    if (process_alive(holder)) {
      release();
      throw ConfigError("output folder '" + dir_.string() +
                        "' is being written by another minecarbon run (process " +
                        std::to_string(holder) + "); wait for it to finish or pass another --out");
    }
    // Left by a run that was killed: its process is gone.
    std::error_code ec;
    fs::remove(lock_, ec);
  }
  const std::string reason = std::strerror(errno);
  release();
  throw ConfigError("cannot lock output folder '" + dir_.string() + "' (" + reason +
                    "); pass a writable --out");
}

void OutputDir::remove_leftovers_of_dead_runs() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const long pid = staging_pid(entry.path().filename().string());
    if (pid > 0 && !process_alive(pid)) fs::remove_all(entry.path(), ec);
  }
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  if (!staging_.empty()) fs::remove_all(staging_, ec);
  release();
}

void OutputDir::release() {
  std::error_code ec;
  if (locked_) fs::remove(lock_, ec);
  locked_ = false;
  cleanup_->clear();
  // A folder this run created for results it never published is removed too.
  if (created_dir_ && !committed_ && fs::is_empty(dir_, ec)) fs::remove(dir_, ec);
}

fs::path OutputDir::staged(const std::string& relative) {
  files_.push_back(relative);
  fs::path path = staging_ / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw_write_failure(path.parent_path().string(), "a folder", ec.value());
  return path;
}

void OutputDir::remove_stale_outputs() {
  const std::set<std::string> now(files_.begin(), files_.end());
  for (const auto& old : read_manifest(dir_ / kManifestName)) {
    if (now.count(old) || old.find("..") != std::string::npos) continue;
    std::error_code ec;
    const fs::path stale = dir_ / old;
    fs::remove(stale, ec);
    // Folders the results lived in (tables/) go when they are left empty.
    for (fs::path parent = stale.parent_path(); parent != dir_ && within(parent, dir_);
         parent = parent.parent_path()) {
      if (!fs::is_empty(parent, ec) || !fs::remove(parent, ec)) break;
    }
  }
}

std::vector<fs::path> OutputDir::commit() {
  {
    std::ofstream manifest(staging_ / kManifestName);
    for (const auto& relative : files_)
      manifest << relative << '\n';
    if (!manifest) throw RunError("cannot write the output manifest in '" + dir_.string() + "'");
  }
  std::vector<fs::path> published;
  {
    // An interrupt waits until every file is in place.
    auto hold = CleanupOnInterrupt::hold();
    remove_stale_outputs();
    for (const auto& relative : files_) {
      fs::path target = dir_ / relative;
      std::error_code ec;
      fs::create_directories(target.parent_path(), ec);
      fs::rename(staging_ / relative, target, ec);
      if (ec) {
        throw RunError("cannot move result '" + relative + "' into '" + dir_.string() +
                       "': " + write_failure_reason(ec.value()));
      }
      published.push_back(target);
    }
    std::error_code ec;
    fs::rename(staging_ / kManifestName, dir_ / kManifestName, ec);
    committed_ = true;
  }
  std::error_code ec;
  fs::remove_all(staging_, ec);
  release();
  return published;
}

void check_output_apart_from_inputs(const fs::path& out_dir, const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& what) {
  std::error_code ec;
  const fs::path out = fs::weakly_canonical(fs::absolute(out_dir), ec);
  for (std::size_t idx = 0; idx < inputs.size(); ++idx) {
    const std::string& input = inputs[idx];
    if (input.empty() || input.rfind("/vsi", 0) == 0 || is_pg_source(input)) continue;
    const fs::path in = fs::weakly_canonical(fs::absolute(input), ec);
    const std::string label = idx < what.size() ? what[idx] + " " : "";
    if (within(in, out)) {
      throw ConfigError("the output folder '" + out_dir.string() + "' holds the input " + label +
                        "'" + input +
                        "': publishing could replace or delete it; pass another --out (a new "
                        "folder for the results)");
    }
    if (within(out, in)) {
      throw ConfigError("the output folder '" + out_dir.string() + "' lies inside the input " +
                        label + "'" + input + "'; pass another --out outside the inputs");
    }
  }
}

}  // namespace minecarbon
