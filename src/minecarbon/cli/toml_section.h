// Reading one [section] of a project file with messages that point at the line:
// "project.toml:14 [damage] ring_gap_m: must be >= 0 ...". Unknown keys are errors with a
// "did you mean" suggestion drawn from the section's option table, which also documents the keys.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::cli {

// One row per key of a section: the same table serves parsing, docs and --help.
struct OptionDoc {
  const char* key;
  const char* type;
  const char* default_value;
  const char* doc;
};

// Levenshtein distance, for "did you mean".
inline std::size_t edit_distance(const std::string& a, const std::string& b) {
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

class TomlSection {
 public:
  TomlSection(const toml::table& table, std::string file, std::string name, std::string base_dir)
      : table_(table),
        file_(std::move(file)),
        name_(std::move(name)),
        base_dir_(std::move(base_dir)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    const toml::node* node = table_.get(key);
    std::string where = file_;
    if (node) where += ":" + std::to_string(node->source().begin.line);
    throw ConfigError(where + " [" + name_ + "] " + key + ": " + problem);
  }

  void reject_unknown(const std::vector<OptionDoc>& known) const {
    for (const auto& [key, node] : table_) {
      const std::string k(key.str());
      if (std::any_of(known.begin(), known.end(), [&](const OptionDoc& o) { return k == o.key; }))
        continue;
      std::string best;
      std::size_t best_d = 4;
      for (const auto& o : known) {
        const std::size_t d = edit_distance(k, o.key);
        if (d < best_d) {
          best_d = d;
          best = o.key;
        }
      }
      fail(k, "unknown key" + (best.empty() ? "; see `minecarbon " + name_ + " --help`"
                                            : "; did you mean '" + best + "'?"));
    }
  }

  std::string text(const std::string& key, const std::string& fallback = {}) const {
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    if (auto s = node->value<std::string>()) return *s;
    fail(key, "expected a string in quotes");
  }
  std::string path(const std::string& key) const {
    std::string p = text(key);
    if (p.empty() || std::filesystem::path(p).is_absolute() || p.rfind("/vsi", 0) == 0) return p;
    return (std::filesystem::path(base_dir_) / p).string();
  }
  double number(const std::string& key, double fallback) const {
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    if (auto v = node->value<double>()) return *v;
    fail(key, "expected a number");
  }
  std::optional<double> optional_number(const std::string& key) const {
    if (!table_.get(key)) return std::nullopt;
    return number(key, 0);
  }
  bool flag(const std::string& key, bool fallback) const {
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    if (auto v = node->value<bool>()) return *v;
    fail(key, "expected true or false");
  }
  std::vector<std::string> texts(const std::string& key) const {
    const toml::node* node = table_.get(key);
    if (!node) return {};
    const toml::array* array = node->as_array();
    if (!array) fail(key, "expected a list of strings, e.g. [\"ISO3_CODE\", \"continent\"]");
    std::vector<std::string> out;
    for (const auto& item : *array) {
      auto s = item.value<std::string>();
      if (!s) fail(key, "expected a list of strings");
      out.push_back(*s);
    }
    return out;
  }

 private:
  const toml::table& table_;
  std::string file_, name_, base_dir_;
};

}  // namespace minecarbon::cli
