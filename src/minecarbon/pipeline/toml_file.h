// Reading a TOML file a user named (a project, a rules file, a schemes file): one place that turns
// toml++'s parse error into the file:line message every front end prints.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace minecarbon::pipeline {

// The parsed document of `file`. Throws ConfigError "FILE: no such <what>" when the file does not
// exist, and "FILE:LINE: <the parser's description>" when it does not parse.
toml::table parse_toml_file(const std::string& file, std::string_view what = "file");

// The line of `node` in its file, as text, for "FILE:LINE: …" messages.
inline std::string line_of(const toml::node& node) {
  return std::to_string(node.source().begin.line);
}

}  // namespace minecarbon::pipeline
