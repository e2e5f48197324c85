// A project file checked the way `minecarbon run` checks it (pipeline::prepare_project: every
// section, option and input), with its problems as {line, section, key, message} for
// `minecarbon run --check --progress jsonl` and the server's PUT /api/projects/{p}/config.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace minecarbon::web {

struct ConfigProblem {
  int line = 0;         // 1-based line in the project file; 0 when the message names none
  std::string section;  // "damage"; "" when the message names none
  std::string key;      // "ring_gap_m"; ""
  std::string message;  // what is wrong and what to do, without the file's path
};

struct ConfigCheck {
  int exit_code = 0;  // 0 valid, 2 configuration error, 3 data error (an input cannot be read)
  std::vector<ConfigProblem> problems;
};

// Prepares the project in `file` as `run` would, computing nothing and writing nothing. The
// first problem found is returned (the preparation stops at it). Paths under `hide_prefix`
// (the server's workspace) are shown relative to it, so no absolute server path reaches a client.
ConfigCheck check_project_file(const std::filesystem::path& file,
                               const std::filesystem::path& hide_prefix = {});

// One error message of the project parser ("FILE:LINE [section] key: problem", "FILE:LINE:
// problem" or "FILE: problem") split into its parts; `file` is the prefix removed.
ConfigProblem problem_from_message(const std::string& message, const std::string& file);

nlohmann::json problems_json(const std::vector<ConfigProblem>& problems);

// Every string in `doc` (at any depth) a client may not use as a path on the server: absolute,
// containing "..", or starting with "/vsi" or "PG:" (GDAL's virtual file systems and PostgreSQL
// reach beyond the project). One problem per string, naming its key and line.
std::vector<ConfigProblem> unsafe_path_strings(const toml::table& doc);

// Whether `text` is such a string (web/security.h uses it for request parameters too).
bool is_unsafe_path_string(const std::string& text);

}  // namespace minecarbon::web
