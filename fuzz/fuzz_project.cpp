// libFuzzer target: reading a project file (project.toml): toml++ parses it, then every table is
// read through core/options.h's read_toml_options (the reader of every stage section) into a
// settings struct whose option table has one option of each kind, checked with check_options and
// echoed with options_json.
//
// The option table is declared here rather than taken from pipeline/ so that this target links
// only mc_core: toml++ is compiled into it from its headers (Debian also ships it as a shared
// library, which libFuzzer could not see into), so the fuzzer's coverage guidance reaches the
// TOML parser itself.
#undef TOML_HEADER_ONLY
#undef TOML_SHARED_LIB
#define TOML_HEADER_ONLY 1

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "minecarbon/core/options.h"

namespace {

using minecarbon::OptionCodec;
using minecarbon::OptionTable;
using minecarbon::fuzz::expect_clean;

enum class Kind { first, second };

// One option of every kind a stage declares, under real keys of the stages so that "did you
// mean" runs on near misses as well as on hits.
struct Settings {
  double ring_outer_m = 5000;
  std::optional<double> nep_scale;
  int base_year = 0;
  std::optional<std::int64_t> seed;
  std::string mines;
  std::vector<std::string> group_by;
  std::vector<std::string> intervals;
  bool growth = true;
  Kind kind = Kind::first;
  std::vector<std::size_t> trees_grid;
  std::string years = "2000-2020";
};

const OptionTable<Settings>& options() {
  static const OptionTable<Settings> table = [] {
    using S = Settings;
    OptionTable<S> t("fuzz");
    t.add(
         "ring_outer_m", [](S& s) -> double& { return s.ring_outer_m; }, "")
        .above(0);
    t.add(
        "nep_scale", [](S& s) -> std::optional<double>& { return s.nep_scale; }, "");
    t.add(
         "base_year", [](S& s) -> int& { return s.base_year; }, "")
        .range(0, 9999);
    t.add(
         "seed", [](S& s) -> std::optional<std::int64_t>& { return s.seed; }, "")
        .at_least(0);
    t.add_path(
        "mines", [](S& s) -> std::string& { return s.mines; }, "");
    t.add(
         "group_by", [](S& s) -> std::vector<std::string>& { return s.group_by; }, "")
        .choices({"continent", "region"});
    t.add_path(
        "intervals", [](S& s) -> std::vector<std::string>& { return s.intervals; }, "");
    t.add(
        "growth", [](S& s) -> bool& { return s.growth; }, "");
    const std::pair<Kind, std::string> kinds[] = {{Kind::first, "first"}, {Kind::second, "second"}};
    t.add_choice(
        "kind", [](S& s) -> Kind& { return s.kind; }, kinds, "");
    t.add(
         "trees_grid", [](S& s) -> std::vector<std::size_t>& { return s.trees_grid; }, "")
        .range(1, 1000);
    OptionCodec<std::string> years{[](const std::string& text) {
                                     if (text.find('-') == std::string::npos)
                                       throw std::invalid_argument("expected FIRST-LAST");
                                     return text;
                                   },
                                   [](const std::string& v) { return v; }};
    t.add_custom(
        "years", [](S& s) -> std::string& { return s.years; }, years, "");
    return t;
  }();
  return table;
}

void read_section(const toml::table& table, const std::string& name, int depth) {
  const minecarbon::TomlSource source{"fuzz.toml", name, "/project"};
  std::vector<std::string> nested;
  for (const auto& [key, node] : table)
    if (node.is_table() || node.is_array_of_tables()) nested.emplace_back(key.str());
  expect_clean([&] {
    Settings settings;
    minecarbon::read_toml_options(options(), table, source, settings, nested);
    try {
      minecarbon::check_options(options(), settings);
    } catch (const minecarbon::OptionError& e) {
      throw minecarbon::toml_option_error(e, source, table);
    }
    (void)minecarbon::options_json(options(), settings).dump();
  });
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    // Nested tables and arrays of tables, as the soil scenarios and potential covariates use.
    if (depth > 8) continue;
    if (const toml::table* sub = node.as_table()) {
      read_section(*sub, name + "." + k, depth + 1);
    } else if (const toml::array* array = node.as_array()) {
      std::size_t idx = 0;
      for (const auto& item : *array) {
        ++idx;
        if (const toml::table* sub = item.as_table()) {
          read_section(*sub, name + "." + k + "[" + std::to_string(idx) + "]", depth + 1);
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  toml::table doc;
  try {
    doc = toml::parse(minecarbon::fuzz::as_text(data, size), std::string_view("fuzz.toml"));
  } catch (const toml::parse_error& e) {
    // What the CLI turns into a ConfigError: the message and the line must be there.
    if (std::string_view(e.description()).empty()) std::abort();
    return 0;
  }
  read_section(doc, "project", 0);
  return 0;
}
