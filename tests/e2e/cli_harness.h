// Runs the built `minecarbon` binary and captures what a user sees: exit code and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace minecarbon::e2e {

struct CliRun {
  int exit_code = -1;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline CliRun run_cli(const std::string& args) {
  static int counter = 0;
  const auto err_file =
      std::filesystem::temp_directory_path() /
      ("mc_e2e_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string command = std::string(MC_CLI) + " " + args + " 2> " + err_file.string();
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = slurp(err_file);
  std::filesystem::remove(err_file);
  return run;
}

// A fresh folder under the system temp folder, removed at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("mc_e2e_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::string str(const std::string& sub = {}) const {
    return sub.empty() ? path_.string() : (path_ / sub).string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace minecarbon::e2e
