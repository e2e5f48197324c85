#include "minecarbon/core/options.h"

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/text.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace minecarbon {

const char* option_type_name(OptionType type) {
  switch (type) {
    case OptionType::flag:
      return "bool";
    case OptionType::integer:
      return "integer";
    case OptionType::number:
      return "number";
    case OptionType::text:
      return "text";
    case OptionType::path:
      return "path";
    case OptionType::list:
      return "list";
    case OptionType::path_list:
      return "list of paths";
    case OptionType::choice:
      return "choice";
    case OptionType::custom:
      return "text";
    case OptionType::count_list:
      return "list of integers";
  }
  return "text";
}

namespace option_detail {

std::string range_text(const OptionSpec& spec) {
  std::string out;
  if (spec.min) out = (spec.min_exclusive ? "> " : ">= ") + format_plain(*spec.min);
  if (spec.max) {
    if (!out.empty()) out += " and ";
    out += (spec.max_exclusive ? "< " : "<= ") + format_plain(*spec.max);
  }
  return out;
}

std::string check_number(const OptionSpec& spec, double value) {
  if (!std::isfinite(value)) return "must be a finite number, got " + format_plain(value);
  const bool low = spec.min && (spec.min_exclusive ? !(value > *spec.min) : !(value >= *spec.min));
  const bool high = spec.max && (spec.max_exclusive ? !(value < *spec.max) : !(value <= *spec.max));
  if (low || high) {
    return "= " + format_plain(value) + ": must be " + range_text(spec) +
           (spec.unit.empty() ? "" : " (" + spec.unit + ")");
  }
  return {};
}

std::string check_choice(const OptionSpec& spec, const std::string& value) {
  if (std::find(spec.choices.begin(), spec.choices.end(), value) != spec.choices.end()) return {};
  std::string list;
  for (const auto& c : spec.choices)
    list += (list.empty() ? "" : ", ") + c;
  return "= '" + value + "': expected one of " + list;
}

double parse_number(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("expected a number, got '" + text + "'");
  }
  if (used != text.size()) throw std::invalid_argument("expected a number, got '" + text + "'");
  return value;
}

std::int64_t parse_integer(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range)
    throw std::invalid_argument("whole number out of range: '" + text + "'");
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument("expected a whole number, got '" + text + "'");
  return value;
}

bool parse_flag(const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw std::invalid_argument("expected true or false, got '" + text + "'");
}

std::string resolve_path(const std::string& path, const std::filesystem::path& base) {
  if (path.empty() || base.empty() || std::filesystem::path(path).is_absolute() ||
      path.rfind("/vsi", 0) == 0 || is_pg_source(path))
    return path;
  return (base / path).string();
}

std::string flag_of(const std::string& key) {
  std::string flag = "--" + key;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

std::vector<std::size_t> parse_counts(const std::string& text) {
  const std::string expected =
      "expected whole numbers >= 0 separated by commas, e.g. 3,6,11; got '" + text + "'";
  std::vector<std::size_t> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::int64_t value = 0;
    try {
      value = parse_integer(item);
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument(expected);
    }
    if (value < 0) throw std::invalid_argument(expected);
    out.push_back(static_cast<std::size_t>(value));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::size_t count_from_toml(const toml::node& node) {
  auto value = node.value_exact<std::int64_t>();
  if (!value || *value < 0)
    throw std::invalid_argument("expected whole numbers >= 0, e.g. [3, 6, 11] or 3");
  return static_cast<std::size_t>(*value);
}

}  // namespace option_detail

std::string toml_where(const TomlSource& source, const toml::table& table, const std::string& key) {
  std::string where = source.file;
  if (const toml::node* node = table.get(key))
    where += ":" + std::to_string(node->source().begin.line);
  return where + " [" + source.section + "] " + key;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string nearest_key(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = 4;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(key, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best;
}

ConfigError toml_option_error(const OptionError& error, const TomlSource& source,
                              const toml::table& table) {
  std::string where = toml_where(source, table, error.key());
  if (!table.get(error.key()) && error.problem().rfind("required", 0) != 0) where += " (default)";
  return ConfigError(with_problem(where, error.problem()));
}

namespace {

std::string markdown_cell(std::string text) {
  std::string out;
  for (char c : text)
    out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::string options_markdown(const std::string& stage, const std::string& summary,
                             const std::vector<OptionRow>& rows) {
  std::ostringstream out;
  out << "# Options of `" << stage << "`\n\n"
      << "Generated by `minecarbon help --markdown " << stage
      << "` from the stage's option table; do not edit by hand.\n\n"
      << summary << "\n\n"
      << "Each key is written in the `[" << stage
      << "]` table of a project file; the flag is the same option on the command line.\n\n"
      << "| key | flag | type | unit | default | constraint | meaning |\n"
      << "|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    out << "| `" << r.key << "` | " << (r.flag.empty() ? "(project file only)" : "`" + r.flag + "`")
        << " | " << r.type << " | " << markdown_cell(r.unit) << " | "
        << markdown_cell(r.default_text) << " | " << markdown_cell(r.constraint) << " | "
        << markdown_cell(r.doc) << " |\n";
  }
  return out.str();
}

std::string option_help_suffix(const OptionRow& row) {
  std::string parts;
  auto add = [&](const std::string& text) {
    if (text.empty()) return;
    parts += (parts.empty() ? "" : "; ") + text;
  };
  add(row.unit);
  if (row.default_text != "(required)") add("default " + row.default_text);
  add(row.constraint);
  return parts.empty() ? "" : " (" + parts + ")";
}

}  // namespace minecarbon
