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

// What `minecarbon --quiet synth --out OUT_DIR` writes, from a copy: the world of the default seed
// is made once per build of the CLI, in a folder beside it keyed by the binary's size and time,
// and copied to OUT_DIR. Every e2e test is its own process (gtest_discover_tests), so a suite's
// set-up ran synth (3.4 s of CPU, most of it the scenario world) once per test before; that was
// about half of ctest's CPU. test_golden still runs synth itself. The world is built in a private
// folder and renamed into place, so concurrent tests never see half of it.
inline CliRun synth_world(const std::string& out_dir) {
  namespace fs = std::filesystem;
  const fs::path cli(MC_CLI);
  const auto stamp = fs::last_write_time(cli).time_since_epoch().count();
  const fs::path cache = cli.parent_path() / "e2e_synth_cache";
  const fs::path world =
      cache / ("seed42_" + std::to_string(fs::file_size(cli)) + "_" + std::to_string(stamp));
  if (!fs::exists(world)) {
    fs::create_directories(cache);
    const fs::path staging = cache / ("making_" + std::to_string(::getpid()));
    fs::remove_all(staging);
    const CliRun made = run_cli("--quiet synth --out " + staging.string());
    if (made.exit_code != 0) return made;
    std::error_code raced;  // another test renamed its copy first: theirs is the same world
    fs::rename(staging, world, raced);
    if (raced) fs::remove_all(staging);
    // Worlds of earlier builds of the CLI are stale: one 31 MB copy per rebuild would pile up.
    for (const auto& entry : fs::directory_iterator(cache))
      if (entry.path() != world && entry.path().filename().string().rfind("seed42_", 0) == 0)
        fs::remove_all(entry.path(), raced);
  }
  fs::copy(world, out_dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return CliRun{0, {}};
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
