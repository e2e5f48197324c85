#include "minecarbon/core/output_dir.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "minecarbon/core/errors.h"

namespace fs = std::filesystem;

namespace minecarbon {

namespace {

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

OutputDir::OutputDir(const fs::path& dir) : dir_(dir) {
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
  }
  // The process id and a random suffix keep two concurrent runs into one folder apart.
  std::random_device device;
  staging_ = dir_ / (".minecarbon-staging-" + std::to_string(::getpid()) + "-" +
                     std::to_string(device() % 1000000));
  fs::create_directory(staging_, ec);
  if (ec || ::access(staging_.c_str(), W_OK) != 0) {
    if (created_dir_) fs::remove(dir_, ec);
    throw ConfigError("output folder '" + dir_.string() + "' is not writable (" +
                      (ec ? write_failure_reason(ec.value()) : std::string("permission denied")) +
                      "); pass a writable --out");
  }
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  // A folder this run created for results it never published is removed too.
  if (created_dir_ && fs::is_empty(dir_, ec)) fs::remove(dir_, ec);
}

fs::path OutputDir::staged(const std::string& relative) {
  files_.push_back(relative);
  fs::path path = staging_ / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw_write_failure(path.parent_path().string(), "a folder", ec.value());
  return path;
}

std::vector<fs::path> OutputDir::commit() {
  std::vector<fs::path> published;
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
  committed_ = true;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  return published;
}

}  // namespace minecarbon
