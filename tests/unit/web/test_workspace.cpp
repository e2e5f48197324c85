// Workspace::run (web/workspace.h) remembers what it found; these changes, made behind its back
// (no note_change), must still be seen: a new [project] out, a run.json replaced, a run folder
// removed, the project file gone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "minecarbon/web/workspace.h"

namespace fs = std::filesystem;
using minecarbon::web::Workspace;

namespace {

void write(const fs::path& path, const std::string& text) {
  // A new file renamed into place, as editors and the server do.
  const fs::path tmp = path.string() + ".tmp";
  std::ofstream(tmp, std::ios::binary) << text;
  fs::rename(tmp, path);
}

}  // namespace

TEST(Workspace, RememberedRunsFollowChangesMadeBehindItsBack) {
  const fs::path root = fs::temp_directory_path() / ("mc_ws_memo_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "results");
  fs::create_directories(root / "other");
  write(root / "project.toml", "[project]\nout = \"results\"\n");
  const Workspace ws(root, true);
  const std::string project = Workspace::derived_id("project:" + root.filename().string());
  const std::string imported = Workspace::derived_id("imported:" + project);
  const std::string run = "abcdefabcdef";
  fs::create_directories(root / "runs" / run);
  write(root / "runs" / run / "run.json", R"({"status": "queued", "created": "1"})");

  // Found, and found again the same from memory.
  for (int i = 0; i < 2; ++i) {
    const auto r = ws.run(imported);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->dir, fs::canonical(root) / "results");
    const auto s = ws.run(run);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->record.value("status", ""), "queued");
  }
  // Another program changes the out folder and the run's record.
  write(root / "project.toml", "[project]\nout = \"other\"\n");
  write(root / "runs" / run / "run.json", R"({"status": "ok", "created": "1"})");
  EXPECT_EQ(ws.run(imported)->dir, fs::canonical(root) / "other");
  EXPECT_EQ(ws.run(run)->record.value("status", ""), "ok");
  // The run folder goes; then the project file (no project: no imported run either).
  fs::remove_all(root / "runs" / run);
  EXPECT_FALSE(ws.run(run).has_value());
  fs::remove(root / "project.toml");
  EXPECT_FALSE(ws.run(imported).has_value());
  fs::remove_all(root);
}
