// Command-line flags from a stage's option table: one flag per option (`ring_gap_m` →
// `--ring-gap-m`), its help line with unit, default and constraint, and the values applied to the
// settings after parsing through the same setters the project file uses.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "minecarbon/core/options.h"

namespace minecarbon::cli {

template <class Settings>
class OptionFlags {
 public:
  // Adds a flag for every command-line option of `table` to `sub`. `table` must outlive this.
  void setup(const OptionTable<Settings>& table, CLI::App& sub) {
    table_ = &table;
    const auto rows = option_rows(table);
    for (std::size_t idx = 0; idx < table.options().size(); ++idx) {
      const OptionSpec& spec = table.options()[idx].spec;
      if (!spec.cli) continue;
      const std::string help = spec.doc + option_help_suffix(rows[idx]);
      auto& texts = texts_[spec.key];
      CLI::Option* option = nullptr;
      if (spec.type == OptionType::flag) {
        // A flag that defaults to true is switched off by --no-<key> (option_rows names it).
        const bool default_on = rows[idx].default_text == "true";
        option = sub.add_flag_callback(
            rows[idx].flag, [&texts, default_on] { texts = {default_on ? "false" : "true"}; },
            help);
      } else if (spec.repeatable && !spec.choices.empty()) {
        // Values from a fixed set never hold a comma, so `--figure-format svg,png` is two values.
        option = sub.add_option(rows[idx].flag, texts, help + " (repeatable or comma-separated)")
                     ->delimiter(',');
      } else if (spec.repeatable) {
        option = sub.add_option(rows[idx].flag, texts, help + " (repeatable)");
      } else {
        option = sub.add_option_function<std::string>(
            rows[idx].flag, [&texts](const std::string& text) { texts = {text}; }, help);
      }
      if (spec.required) option->required();
    }
  }

  // Applies the given flags to `settings`; a bad value is a ConfigError naming the flag.
  void apply(Settings& settings) const {
    for (const auto& o : table_->options()) {
      auto it = texts_.find(o.spec.key);
      if (it == texts_.end() || it->second.empty()) continue;
      // Given flags replace a list's default ("0-30, 0-100") rather than add to it.
      if (o.reset) o.reset(settings);
      for (const auto& text : it->second) {
        try {
          o.from_text(settings, text);
        } catch (const std::invalid_argument& e) {
          throw ConfigError(table_->stage() + ": " + o.spec.flag + " " + text + ": " + e.what());
        }
      }
    }
  }

  // "--ring-gap-m 600: must be ..." for an OptionError of validate().
  ConfigError error(const OptionError& e) const {
    const Option<Settings>* o = table_->find(e.key());
    const std::string flag = o ? o->spec.flag : e.key();
    auto it = texts_.find(e.key());
    const bool given = it != texts_.end() && !it->second.empty();
    return ConfigError(table_->stage() + ": " +
                       with_problem(flag + (given ? "" : " (default)"), e.problem()));
  }

 private:
  const OptionTable<Settings>* table_ = nullptr;
  std::map<std::string, std::vector<std::string>> texts_;
};

}  // namespace minecarbon::cli
