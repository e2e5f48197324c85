// Atomic output of a whole run into one folder.
//
// Every result file is first written into a hidden staging folder inside the target folder (same
// file system, so the final rename is atomic), and moved into place only by commit(). A run that
// fails, throws or is interrupted before commit() leaves the target folder as it was: no half-
// written GeoPackage, no CSV from a run that died, and never a touched input.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace minecarbon {

class OutputDir {
 public:
  // Creates `dir` if needed and a staging folder in it. Throws ConfigError naming the folder
  // when it cannot be created or written (exit 2: the user must pick another --out).
  explicit OutputDir(const std::filesystem::path& dir);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Where to write the file that will be published as `dir/relative`.
  std::filesystem::path staged(const std::string& relative);

  // Moves every staged file into `dir`, replacing older results of the same name.
  // Returns the final paths.
  std::vector<std::filesystem::path> commit();

  const std::filesystem::path& dir() const { return dir_; }
  // The files staged so far, relative to dir(), in the order they were staged.
  const std::vector<std::string>& staged_files() const { return files_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path staging_;
  std::vector<std::string> files_;
  bool committed_ = false;
  bool created_dir_ = false;
};

// Why a write failed, in words a user acts on: "no space left on device" for ENOSPC, for a
// library's "disk is full" (SQLite, under GDAL's GeoPackage driver) and, when `path` is given,
// for a file system holding it with under 64 KiB free (GDAL does not always say why a write
// failed, and errno after a library call may be stale); "disk quota exceeded" (EDQUOT),
// "read-only file system" (EROFS), "permission denied" (EACCES, EPERM); otherwise `detail`, or
// the system's text for error_number (0 when unknown).
std::string write_failure_reason(int error_number, const std::string& detail = {},
                                 const std::string& path = {});

// Throws RunError "<path>: cannot write <what>: <reason>; <advice>", with advice for a full disk
// ("free space on that file system or pass another --out").
[[noreturn]] void throw_write_failure(const std::string& path, const std::string& what,
                                      int error_number, const std::string& detail = {});

}  // namespace minecarbon
