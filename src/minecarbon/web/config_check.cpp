#include "minecarbon/web/config_check.h"

#include <regex>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::web {
namespace fs = std::filesystem;

namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
}

void walk(const toml::node& node, const std::string& where, std::vector<ConfigProblem>& out) {
  if (const auto* table = node.as_table()) {
    for (const auto& [k, child] : *table)
      walk(child, where.empty() ? std::string(k.str()) : where + "." + std::string(k.str()), out);
  } else if (const auto* array = node.as_array()) {
    for (const auto& child : *array)
      walk(child, where, out);
  } else if (const auto* text = node.as_string()) {
    if (is_unsafe_path_string(text->get())) {
      ConfigProblem p;
      p.line = static_cast<int>(node.source().begin.line);
      const auto dot = where.rfind('.');
      p.section = dot == std::string::npos ? "" : where.substr(0, dot);
      p.key = dot == std::string::npos ? where : where.substr(dot + 1);
      p.message = "\"" + text->get() +
                  "\" is not allowed here: a path on the server must be relative to the project "
                  "folder, without \"..\", \"/vsi\" or \"PG:\" (upload the file as an input)";
      out.push_back(std::move(p));
    }
  }
}

}  // namespace

bool is_unsafe_path_string(const std::string& text) {
  if (text.empty()) return false;
  if (text[0] == '/' || text[0] == '\\' || text[0] == '~') return true;
  if (text.size() >= 2 && text[1] == ':') return true;  // C:\… on a Windows client
  if (text.find("..") != std::string::npos) return true;
  if (text.rfind("/vsi", 0) == 0 || text.rfind("PG:", 0) == 0 || text.rfind("pg:", 0) == 0)
    return true;
  return false;
}

ConfigProblem problem_from_message(const std::string& message, const std::string& file) {
  std::string rest = message;
  if (!file.empty() && rest.rfind(file, 0) == 0) {
    rest = rest.substr(file.size());
    if (!rest.empty() && rest[0] == ':') rest = rest.substr(1);
    while (!rest.empty() && rest[0] == ' ')
      rest = rest.substr(1);
  }
  ConfigProblem p;
  static const std::regex with_key(R"(^(\d+) \[([^\]]+)\] ([^:]+): ([\s\S]*)$)");
  static const std::regex with_line(R"(^(\d+): ([\s\S]*)$)");
  std::smatch m;
  if (std::regex_match(rest, m, with_key)) {
    p.line = std::stoi(m[1]);
    p.section = m[2];
    p.key = m[3];
    p.message = m[4];
    const auto space = p.key.find(' ');  // "ring_gap_m (default)"
    if (space != std::string::npos) p.key = p.key.substr(0, space);
  } else if (std::regex_match(rest, m, with_line)) {
    p.line = std::stoi(m[1]);
    p.message = m[2];
    static const std::regex section_in_text(R"(\[([a-z_.]+)\])");
    std::smatch s;
    if (std::regex_search(p.message, s, section_in_text)) p.section = s[1];
  } else {
    p.message = rest;
  }
  return p;
}

ConfigCheck check_project_file(const fs::path& file, const fs::path& hide_prefix) {
  ConfigCheck check;
  RunContext context;  // informational lines are discarded: a check says only what is wrong
  context.quiet = true;
  std::string message;
  try {
    (void)pipeline::prepare_project(file.string(), "", context);
    return check;
  } catch (const Error& e) {
    check.exit_code = static_cast<int>(e.code());
    message = e.what();
  } catch (const std::exception& e) {
    check.exit_code = static_cast<int>(ExitCode::input_data);
    message = e.what();
  }
  ConfigProblem p = problem_from_message(message, file.string());
  if (!hide_prefix.empty()) {
    replace_all(p.message, (hide_prefix / "").string(), "");
    replace_all(p.message, hide_prefix.string(), ".");
  }
  check.problems.push_back(std::move(p));
  return check;
}

nlohmann::json problems_json(const std::vector<ConfigProblem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems)
    out.push_back(
        {{"line", p.line}, {"section", p.section}, {"key", p.key}, {"message", p.message}});
  return out;
}

std::vector<ConfigProblem> unsafe_path_strings(const toml::table& doc) {
  std::vector<ConfigProblem> out;
  walk(doc, "", out);
  return out;
}

}  // namespace minecarbon::web
