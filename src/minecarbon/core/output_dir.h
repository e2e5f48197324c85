// Atomic output of a whole run into one folder.
//
// Every result file is first written into a hidden staging folder inside the target folder (same
// file system, so the final rename is atomic), and moved into place only by commit(). A run that
// fails, throws or is interrupted before commit() leaves the target folder as it was: no half-
// written GeoPackage, no CSV from a run that died, and never a touched input.
//
// Around that:
//   - a lock file (.minecarbon-lock, holding the process id) keeps two runs out of one folder:
//     the second is refused with a ConfigError (exit 2) naming the first one's process;
//   - what a killed run left (its staging folder, its lock) is removed by the next run into the
//     folder, once the process that made them is gone;
//   - a manifest (.minecarbon-manifest) lists the files the last commit published, so a rerun
//     that writes fewer files removes the previous run's leftovers instead of leaving them beside
//     the new summary; files minecarbon did not write are never touched;
//   - on SIGINT/SIGTERM the staging folder and the lock are removed (interrupt.h).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace minecarbon {

class CleanupOnInterrupt;

class OutputDir {
 public:
  // Creates `dir` if needed, takes its lock and makes a staging folder in it. Throws ConfigError
  // naming the folder when it cannot be created or written, or when another run holds it (exit 2:
  // the user must pick another --out or wait).
  explicit OutputDir(const std::filesystem::path& dir);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Where to write the file that will be published as `dir/relative`.
  std::filesystem::path staged(const std::string& relative);

  // Moves every staged file into `dir`, replacing older results of the same name, removes the
  // files of the previous commit that this one did not write, and releases the lock. Returns the
  // final paths.
  std::vector<std::filesystem::path> commit();

  const std::filesystem::path& dir() const { return dir_; }
  // The files staged so far, relative to dir(), in the order they were staged.
  const std::vector<std::string>& staged_files() const { return files_; }

  static constexpr const char* kLockName = ".minecarbon-lock";
  static constexpr const char* kManifestName = ".minecarbon-manifest";
  static constexpr const char* kStagingPrefix = ".minecarbon-staging-";

 private:
  void take_lock();
  void remove_leftovers_of_dead_runs();
  void remove_stale_outputs();
  void release();

  std::filesystem::path dir_;
  std::filesystem::path staging_;
  std::filesystem::path lock_;
  std::vector<std::string> files_;
  std::unique_ptr<CleanupOnInterrupt> cleanup_;
  bool committed_ = false;
  bool created_dir_ = false;
  bool locked_ = false;
};

// Throws ConfigError (exit 2) when `out_dir` is one of `inputs`, holds one of them, or is inside
// one (an input folder): publishing would replace or delete what the run reads. Each input is
// named as the user gave it, with what it is (`what[i]`, e.g. "mines").
void check_output_apart_from_inputs(const std::filesystem::path& out_dir,
                                    const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& what);

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
