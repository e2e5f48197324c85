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

}  // namespace minecarbon
