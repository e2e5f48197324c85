// The repository stands alone: no source, header, test, doc, script, benchmark or CMake file may
// point at a path outside it (a sibling checkout's shared folder, or a build machine's home,
// scratch or work directories). A clone must be able to read every derivation a header cites and
// rerun every fixture script (docs/architecture.md). System paths that exist on every machine
// (the GDAL virtual file systems, the proc file system, system binaries, the null device) are
// legitimate and must not be flagged.
//
// The patterns are assembled from pieces below, so this file does not match itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

const std::string kSharedParent = std::string("..") + "/shared";
const std::string kSharedParentWindows = std::string("..") + "\\shared";
// Folders of the shared project kit that a path "shared", folder, file points into.
const std::array<std::string, 5> kSharedFolders = {"methods", "data", "bench", "reference",
                                                   "hooks"};
// Top-level directories that only exist on a build or developer machine.
const std::array<std::string, 7> kMachineRoots = {"work",  "home", "root",   "tmp",
                                                  "Users", "mnt",  "scratch"};

bool is_path_char(char c) {
  // Not '-': in a shell default (colon, dash, absolute path) the path starts after the dash.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '~' || c == '$' || c == '{' || c == '}';
}

// A match of `needle` at `pos` starts a path of its own (not the tail of a longer word or path
// such as "https://example.org/home/" or "framework/").
bool starts_path(std::string_view line, std::size_t pos) {
  return pos == 0 || !is_path_char(line[pos - 1]);
}

// Every reference to a path outside the repository in one line of text, as "what" strings
// (a parent-relative shared folder, a machine root such as "/work" + "/"); empty when the line
// is clean.
std::vector<std::string> outside_paths_in_line(std::string_view line) {
  std::vector<std::string> found;
  for (const std::string& needle : {kSharedParent, kSharedParentWindows}) {
    if (line.find(needle) != std::string_view::npos) found.push_back(needle);
  }
  for (const std::string& folder : kSharedFolders) {
    const std::string needle = "shared/" + folder + "/";
    for (std::size_t pos = line.find(needle); pos != std::string_view::npos;
         pos = line.find(needle, pos + 1)) {
      // A parent-relative shared path is reported above already.
      const bool after_parent = pos >= 3 && line.substr(pos - 3, 3) == "../";
      if (!after_parent && starts_path(line, pos)) {
        found.push_back(needle);
        break;
      }
    }
  }
  for (const std::string& root : kMachineRoots) {
    const std::string needle = "/" + root + "/";
    for (std::size_t pos = line.find(needle); pos != std::string_view::npos;
         pos = line.find(needle, pos + 1)) {
      if (starts_path(line, pos)) {
        found.push_back(needle);
        break;
      }
    }
  }
  // Windows user folders with backslashes: a drive letter, a colon, then Users between two
  // backslashes (the forward-slash form is caught as a machine root above).
  const std::string windows_users = std::string(":\\") + "Users" + "\\";
  for (std::size_t pos = line.find(windows_users); pos != std::string_view::npos;
       pos = line.find(windows_users, pos + 1)) {
    if (pos > 0 && std::isalpha(static_cast<unsigned char>(line[pos - 1]))) {
      found.push_back(windows_users);
      break;
    }
  }
  return found;
}

// The parts of the repository the scan covers (prefixes of repository-relative paths).
bool in_scope(const std::string& path) {
  static const std::array<std::string, 10> roots = {
      "src/", "tests/", "docs/", "scripts/", "bench/", "data/", ".ci/", "fuzz/", "web/", "cmake/"};
  if (path == "README.md" || path == "CMakeLists.txt") return true;
  for (const auto& root : roots)
    if (path.rfind(root, 0) == 0) return true;
  return false;
}

// Binary fixtures (rasters, GeoPackages, raw doubles) are skipped by extension and, for anything
// else, by a NUL byte in the first 8 KiB.
bool is_binary(const fs::path& file) {
  static const std::array<std::string, 9> binary = {".tif", ".tiff", ".gpkg", ".f64", ".rda",
                                                    ".png", ".jpg",  ".gz",   ".zip"};
  std::string ext = file.extension().string();
  for (auto& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& b : binary)
    if (ext == b) return true;
  std::ifstream in(file, std::ios::binary);
  std::array<char, 8192> head{};
  in.read(head.data(), head.size());
  const auto n = static_cast<std::size_t>(in.gcount());
  for (std::size_t k = 0; k < n; ++k)
    if (head[k] == '\0') return true;
  return false;
}

// Repository-relative paths of the tracked files, from git when the source tree is a checkout;
// otherwise (a source archive) every file under the scanned roots.
std::vector<std::string> repository_files(const fs::path& root, bool& from_git) {
  std::vector<std::string> files;
  from_git = false;
  const std::string command = "git -C \"" + root.string() + "\" ls-files -z 2>/dev/null";
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::string out;
    std::array<char, 65536> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
      out.append(buffer.data(), n);
    const int status = pclose(pipe);
    if (status == 0 && !out.empty()) {
      from_git = true;
      std::size_t start = 0;
      for (std::size_t end = out.find('\0'); end != std::string::npos;
           start = end + 1, end = out.find('\0', start))
        files.push_back(out.substr(start, end - start));
      return files;
    }
  }
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path& p = it->path();
    if (it->is_directory() &&
        (p.filename() == ".git" || fs::exists(p / "CMakeCache.txt"))) {  // VCS and build trees
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(fs::relative(p, root).generic_string());
  }
  return files;
}

TEST(RepositoryStandsAlone, FlagsPathsOutsideTheRepository) {
  const auto root = [](const char* name) { return "/" + std::string(name) + "/"; };
  const std::vector<std::pair<std::string, std::string>> planted = {
      {"see " + kSharedParent + "/methods/rothc.md §2", kSharedParent},
      {"// methods note shared/" + std::string("methods/carbon_methods.md §3.1"),
       "shared/" + std::string("methods/")},
      {"python3 /" + std::string("work/") + "shared" + "/bench/gen_data.py --out .", root("work")},
      {"cmake -S /" + std::string("work/main -B build"), root("work")},
      {"data=${1:-/" + std::string("tmp/minecarbon_zonal_bench}"), root("tmp")},
      {"open(\"/" + std::string("home/alice/nep_2000.tif\")"), root("home")},
      {"`/" + std::string("root/.cache/x`"), root("root")},
      {"file:///" + std::string("home/x/y.gpkg"), root("home")},
      {"C:/" + std::string("Users/bob/mines.gpkg"), root("Users")},
      {"C:\\" + std::string("Users\\bob\\mines.gpkg"), ":\\" + std::string("Users\\")},
  };

  for (const auto& [line, what] : planted) {
    const auto found = outside_paths_in_line(line);
    EXPECT_NE(std::find(found.begin(), found.end(), what), found.end())
        << line << ": expected '" << what << "' among " << found.size() << " findings";
  }
}

TEST(RepositoryStandsAlone, LeavesSystemRelativeAndUrlPathsAlone) {
  const std::vector<std::string> clean = {
      "/vsizip/archive.zip/nep_2000.tif",
      "readLines(\"/proc/self/status\")",
      "std::filesystem::read_symlink(\"/proc/self/exe\")",
      "/usr/bin/time -v /usr/bin/python3 bench/random_forest/bench_sklearn.py",
      "command > /dev/null 2>&1",
      "https://example.org/home/index.html and http://host/tmp/x",
      "tests/data/random_forest/gen_data.py --out rfwork/bench_data",
      "bin=\"$root/build/minecarbon\"; out=$(mktemp -d); ${TMPDIR:-/tmp}",
      "std::shared_ptr<Grid> shared_grid; // shared by every thread",
      "docs/carbon_methods.md §2.3 and tests/data/mining_polygons/README.md",
  };
  for (const auto& line : clean)
    EXPECT_TRUE(outside_paths_in_line(line).empty()) << line;
}

TEST(RepositoryStandsAlone, NoFileOfTheRepositoryReferencesAPathOutsideIt) {
  const fs::path root = MC_SOURCE_DIR;
  bool from_git = false;
  const std::vector<std::string> files = repository_files(root, from_git);
  std::size_t scanned = 0;
  bool saw_readme = false, saw_header = false;
  std::vector<std::string> problems;
  for (const std::string& rel : files) {
    if (!in_scope(rel)) continue;
    const fs::path file = root / rel;
    if (!fs::is_regular_file(file) || is_binary(file)) continue;
    ++scanned;
    saw_readme = saw_readme || rel == "README.md";
    saw_header = saw_header || rel == "src/minecarbon/core/errors.h";
    std::ifstream in(file, std::ios::binary);
    std::string line;
    for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
      for (const std::string& what : outside_paths_in_line(line)) {
        std::string excerpt = line.size() > 160 ? line.substr(0, 160) + "…" : line;
        problems.push_back(rel + ":" + std::to_string(line_no) + ": refers to '" + what +
                           "' outside the repository: " + excerpt);
      }
    }
  }
  // The scan must have seen the tree, or it proves nothing.
  EXPECT_TRUE(saw_readme) << "README.md not scanned (source dir " << root << ")";
  EXPECT_TRUE(saw_header) << "src/ not scanned (source dir " << root << ")";
  EXPECT_GT(scanned, 100u) << "only " << scanned << " files scanned"
                           << (from_git ? " (git ls-files)" : " (directory walk)");
  std::ostringstream report;
  for (std::size_t k = 0; k < problems.size() && k < 50; ++k)
    report << "  " << problems[k] << "\n";
  if (problems.size() > 50) report << "  … and " << problems.size() - 50 << " more\n";
  EXPECT_TRUE(problems.empty())
      << problems.size()
      << " references to paths outside the repository. Summarise what they point at in docs/ "
         "(in our words, with the primary sources), copy fixture scripts beside their fixtures in "
         "tests/data/<set>/, and cite those instead:\n"
      << report.str();
}

}  // namespace
