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
#include "minecarbon/core/options.h"

namespace minecarbon::pipeline {

// One row per key of a section: the same table serves parsing, docs and --help.
struct OptionDoc {
  const char* key;
  const char* type;
  const char* default_value;
  const char* doc;
};

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
      std::vector<std::string> keys;
      for (const auto& o : known)
        keys.push_back(o.key);
      const std::string best = nearest_key(k, keys);
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

}  // namespace minecarbon::pipeline
